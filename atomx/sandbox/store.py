"""The sandbox's state in memory: records, history, credentials, reports, and their file.

One re-entrant lock guards everything; handlers hold it for the whole of a request
that reads or writes records, so no reader sees a half-done change and no two
writers interleave.  Every change goes through a method of :class:`Store`, which
notes what changed; :meth:`Store.save` then writes just that to the data file
(:mod:`.datafile`) in one durable transaction, before the handler answers.
"""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from ..names import snake_case
from . import schema
from .datafile import FORMAT_VERSION, DataFile, Entry, Item, record_key

__all__ = ['FORMAT_VERSION', 'TIME_FORMAT', 'Store']

TIME_FORMAT = '%Y-%m-%dT%H:%M:%S'


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

    def __init__(self, state: Dict[str, Any], data: Optional[DataFile] = None,
                 clock: Callable[[], datetime] = datetime.utcnow) -> None:
        self.lock = threading.RLock()
        self.data = data
        self.clock = clock
        self._changed: Set[Tuple[str, str]] = set()
        self._appended: List[Entry] = []
        #: Called after every logged change with ``(model, id, action, changes, user,
        #: date)``, ``action`` being ``create``, ``update`` or ``delete`` (the websocket's
        #: broadcast); a listener must not block: the store's lock is held.
        self.listeners: List[Callable[..., None]] = []
        self._load(state)

    def _load(self, state: Dict[str, Any]) -> None:
        self.records: Dict[str, Dict[int, Dict[str, Any]]] = {
            model: {int(rec['id']): rec for rec in recs}
            for model, recs in state['records'].items()}
        self.history: Dict[str, List[Dict[str, Any]]] = state.get('history', {})
        self.credentials: Dict[str, Dict[str, Any]] = state.get('credentials', {})
        self.reports: Dict[str, Dict[str, Any]] = state.get('reports', {})
        self.resets: Dict[str, Dict[str, Any]] = state.get('resets', {})
        self.next_ids: Dict[str, int] = state.get('next_ids', {})

    @classmethod
    def open(cls, path: Optional[str], fresh: Callable[[], Dict[str, Any]],
             clock: Callable[[], datetime] = datetime.utcnow) -> Store:
        """The state kept in the data file ``path`` (created with ``fresh()`` when missing).

        Without ``path`` the state is ``fresh()`` and lives in memory only.

        :raises ValueError: ``path`` is not a sandbox data file.
        :raises OSError: it cannot be written, or another sandbox has it open.
        """
        if not path:
            return cls(fresh(), None, clock)
        data, state = DataFile.open(path, fresh)
        return cls(state, data, clock)

    def close(self) -> None:
        """Close the data file (if any); every saved change is in it."""
        with self.lock:
            if self.data is not None:
                self.data.close()

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
        self._changed.add(('next_ids', model))
        record = {'id': new_id, **schema.fields(model)}
        for name, rel in schema.relations(model).items():
            if isinstance(rel, schema.One):
                record[f'{name}_id'] = None
            elif isinstance(rel, schema.Many):
                record[name] = []
        record.update(values)
        record['created_at'] = record['updated_at'] = self.now_text()
        table[record['id']] = record
        self._changed.add(('records', record_key(model, new_id)))
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
            self._changed.add(('records', record_key(model, record_id)))
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
        self._changed.add(('records', record_key(model, record_id)))
        self._log(model, record_id, user, {'deleted': True}, 'delete')
        for owner, attribute, rel in _REFERRERS.get(model, []):
            for rec in list(self.records.get(owner, {}).values()):
                if isinstance(rel, schema.Many):
                    if record_id in rec.get(attribute, []):
                        rec[attribute] = [i for i in rec[attribute] if i != record_id]
                        self._changed.add(('records', record_key(owner, rec['id'])))
                elif rec.get(f'{attribute}_id') == record_id:
                    if isinstance(rel, schema.One) and rel.required:
                        self._remove(owner, rec['id'], user, removed)
                    else:
                        rec[f'{attribute}_id'] = None
                        self._changed.add(('records', record_key(owner, rec['id'])))

    def _log(self, model: str, record_id: int, user: Dict[str, Any],
             changes: Dict[str, Any], action: str) -> None:
        entry = {'date': self.now_text(),
                 'user': {key: user.get(key) for key in ('id', 'name', 'email')},
                 'history': changes}
        key = record_key(model, record_id)
        entries = self.history.setdefault(key, [])
        entries.append(entry)
        self._appended.append((key, len(entries) - 1, entry))
        for listener in self.listeners:
            listener(model, record_id, action, changes, user, entry['date'])

    def set_password(self, user_id: int, hashed: Dict[str, str]) -> None:
        """Replace a user's password hash (see :func:`.auth.hash_password`)."""
        self.credentials[str(user_id)]['password'] = hashed
        self._changed.add(('credentials', str(user_id)))

    def keep_report(self, report: Dict[str, Any]) -> None:
        """Add a report, or note that a kept one has changed."""
        self.reports[report['id']] = report
        self._changed.add(('reports', report['id']))

    def drop_report(self, report_id: str) -> None:
        """Remove a kept report."""
        del self.reports[report_id]
        self._changed.add(('reports', report_id))

    def add_reset(self, reset_hash: str, pending: Dict[str, Any]) -> None:
        """Keep a pending password reset under its hash."""
        self.resets[reset_hash] = pending
        self._changed.add(('resets', reset_hash))

    def take_reset(self, reset_hash: str) -> Optional[Dict[str, Any]]:
        """Remove and answer the pending reset of ``reset_hash`` (``None``: there is none)."""
        self._changed.add(('resets', reset_hash))
        return self.resets.pop(reset_hash, None)

    # -- the file ------------------------------------------------------------------------
    def save(self) -> None:
        """Write the changes made since the last save to the data file, durably.

        Without a data file it only forgets them.  When the write fails nothing of
        it is kept, in the file or in memory: the state is read back from the file.

        :raises ValueError: a changed value is not standard JSON.
        :raises sqlite3.Error: the file cannot be written.
        """
        with self.lock:
            changed, self._changed = self._changed, set()
            appended, self._appended = self._appended, []
            if self.data is None:
                return
            try:
                self.data.write([self._item(kind, key) for kind, key in sorted(changed)],
                                appended)
            except BaseException:
                self._load(self.data.read())
                raise

    def _item(self, kind: str, key: str) -> Item:
        """The current value of a changed document (``None`` once it is gone)."""
        if kind == 'records':
            model, _, number = key.partition(':')
            return kind, key, self.get(model, int(number))
        return kind, key, getattr(self, kind).get(key)
