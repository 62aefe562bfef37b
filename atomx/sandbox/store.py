"""The sandbox's state in memory: records, history, credentials, reports, and their file.

One re-entrant lock guards everything; handlers hold it for the whole of a request
that reads or writes records, so no reader sees a half-done change and no two
writers interleave.  With a ``path`` the state is written after every change as JSON,
atomically (a temporary file, then :func:`os.replace`), and read back at start.
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..names import snake_case
from . import schema

TIME_FORMAT = '%Y-%m-%dT%H:%M:%S'
FORMAT_VERSION = 1


def _referrers() -> Dict[str, List[Tuple[str, str, schema.Relation]]]:
    """For each model, the (model, attribute, relation) that point at it and are stored."""
    found: Dict[str, List[Tuple[str, str, schema.Relation]]] = {}
    for model, rels in schema.RELATIONS.items():
        for attribute, rel in rels.items():
            if isinstance(rel, (schema.One, schema.Many)):
                found.setdefault(rel.target, []).append((model, attribute, rel))
    return found


_REFERRERS = _referrers()


class Store:
    """Records by model and id, the change history, credentials and saved reports."""

    def __init__(self, state: Dict[str, Any], path: Optional[str] = None,
                 clock: Callable[[], datetime] = datetime.utcnow) -> None:
        self.lock = threading.RLock()
        self.path = path
        self.clock = clock
        self.records: Dict[str, Dict[int, Dict[str, Any]]] = {
            model: {int(rec['id']): rec for rec in recs}
            for model, recs in state['records'].items()}
        self.history: Dict[str, List[Dict[str, Any]]] = state.get('history', {})
        self.credentials: Dict[str, Dict[str, Any]] = state.get('credentials', {})
        self.reports: Dict[str, Dict[str, Any]] = state.get('reports', {})
        self.resets: Dict[str, Dict[str, Any]] = state.get('resets', {})
        self.next_ids: Dict[str, int] = state.get('next_ids', {})
        #: Called after every logged change with ``(model, id, action, changes, user,
        #: date)``, ``action`` being ``create``, ``update`` or ``delete`` (the websocket's
        #: broadcast); a listener must not block: the store's lock is held.
        self.listeners: List[Callable[..., None]] = []

    @classmethod
    def open(cls, path: Optional[str], fresh: Callable[[], Dict[str, Any]],
             clock: Callable[[], datetime] = datetime.utcnow) -> Store:
        """The state kept in ``path`` if that file exists, else ``fresh()`` (then saved)."""
        if path and os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                try:
                    state = json.load(handle)
                except ValueError as exc:
                    raise ValueError(f'{path} is not a sandbox data file: {exc}') from None
            if not isinstance(state, dict) or state.get('format') != FORMAT_VERSION:
                raise ValueError(f'{path} is not a sandbox data file of format {FORMAT_VERSION}')
            return cls(state, path, clock)
        store = cls(fresh(), path, clock)
        store.save()
        return store

    def now_text(self) -> str:
        """The current time as the API writes it."""
        return self.clock().strftime(TIME_FORMAT)

    # -- reading -------------------------------------------------------------------------
    def get(self, model: str, record_id: int) -> Optional[Dict[str, Any]]:
        """The record or ``None``."""
        return self.records.get(model, {}).get(record_id)

    def all(self, model: str) -> List[Dict[str, Any]]:
        """Every record of ``model`` in id order."""
        table = self.records.get(model, {})
        return [table[key] for key in sorted(table)]

    def reverse(self, model: str, via: str, record_id: int) -> List[Dict[str, Any]]:
        """The records of ``model`` whose ``{via}_id`` is ``record_id``."""
        return [rec for rec in self.all(model) if rec.get(f'{via}_id') == record_id]

    def history_of(self, model: str, record_id: int) -> Optional[List[Dict[str, Any]]]:
        """The change entries of a record, or ``None`` if it never existed here."""
        return self.history.get(f'{model}:{record_id}')

    # -- writing -------------------------------------------------------------------------
    def insert(self, model: str, values: Dict[str, Any], user: Dict[str, Any]) -> Dict[str, Any]:
        """Add a record built from the model's defaults and ``values``; record its history."""
        table = self.records.setdefault(model, {})
        new_id = max(self.next_ids.get(model, 1), max(table, default=0) + 1)
        self.next_ids[model] = new_id + 1  # ids of deleted records are never reused
        record = {'id': new_id, **schema.fields(model)}
        for name, rel in schema.relations(model).items():
            if isinstance(rel, schema.One):
                record[f'{name}_id'] = None
            elif isinstance(rel, schema.Many):
                record[name] = []
        record.update(values)
        record['created_at'] = record['updated_at'] = self.now_text()
        table[record['id']] = record
        self._log(model, record['id'], user, {k: v for k, v in record.items() if k != 'id'},
                  'create')
        return record

    def update(self, model: str, record_id: int, changes: Dict[str, Any],
               user: Dict[str, Any]) -> Dict[str, Any]:
        """Apply ``changes`` to a record; only values that really change are logged."""
        record = self.records[model][record_id]
        changed = {key: value for key, value in changes.items() if record.get(key) != value}
        if changed:
            record.update(changed)
            record['updated_at'] = self.now_text()
            self._log(model, record_id, user, changed, 'update')
        return record

    def remove(self, model: str, record_id: int, user: Dict[str, Any]) -> Dict[str, List[int]]:
        """Delete a record and the records that cannot live without it.

        Answers the removed ids by model (snake-case names); optional references to the
        removed records are cleared.
        """
        removed: Dict[str, List[int]] = {}
        self._remove(model, record_id, user, removed)
        return removed

    def _remove(self, model: str, record_id: int, user: Dict[str, Any],
                removed: Dict[str, List[int]]) -> None:
        if self.records.get(model, {}).pop(record_id, None) is None:
            return
        removed.setdefault(snake_case(model), []).append(record_id)
        self._log(model, record_id, user, {'deleted': True}, 'delete')
        for owner, attribute, rel in _REFERRERS.get(model, []):
            for rec in list(self.records.get(owner, {}).values()):
                if isinstance(rel, schema.Many):
                    if record_id in rec.get(attribute, []):
                        rec[attribute] = [i for i in rec[attribute] if i != record_id]
                elif rec.get(f'{attribute}_id') == record_id:
                    if isinstance(rel, schema.One) and rel.required:
                        self._remove(owner, rec['id'], user, removed)
                    else:
                        rec[f'{attribute}_id'] = None

    def _log(self, model: str, record_id: int, user: Dict[str, Any],
             changes: Dict[str, Any], action: str) -> None:
        entry = {'date': self.now_text(),
                 'user': {key: user.get(key) for key in ('id', 'name', 'email')},
                 'history': changes}
        self.history.setdefault(f'{model}:{record_id}', []).append(entry)
        for listener in self.listeners:
            listener(model, record_id, action, changes, user, entry['date'])

    # -- the file ------------------------------------------------------------------------
    def state(self) -> Dict[str, Any]:
        """Everything worth keeping, as JSON-ready data."""
        return {'format': FORMAT_VERSION,
                'records': {model: self.all(model) for model in self.records},
                'history': self.history, 'credentials': self.credentials,
                'reports': self.reports, 'resets': self.resets, 'next_ids': self.next_ids}

    def save(self) -> None:
        """Write the state to ``path`` (if any) atomically."""
        if not self.path:
            return
        directory = os.path.dirname(os.path.abspath(self.path))
        handle, temporary = tempfile.mkstemp(prefix='.sandbox-', suffix='.json', dir=directory)
        try:
            with os.fdopen(handle, 'w', encoding='utf-8') as out:
                json.dump(self.state(), out)
            os.replace(temporary, self.path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
