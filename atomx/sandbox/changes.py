"""A POST or PUT body checked against a model and turned into record changes.

Plain fields must keep the type of their default (a number for ``budget``, text for
``name``), and enumerated fields take one of their values (``state``: ``ACTIVE`` or
``INACTIVE``; see :func:`atomx.sandbox.schema.allowed_values`).  References may be
given as ``advertiser`` or ``advertiser_id`` (an id, a numeric string as in the
documentation's curl example, or an object with ``id``) and must exist; lists of
references likewise.  ``id``, ``created_at``, ``updated_at`` and ``quickstats``
belong to the server and are ignored.  A computed relationship
(``advertiser.profiles``) may only be sent unchanged.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from ..names import snake_case
from . import schema
from .answers import bad_request, unprocessable
from .query import is_whole_number
from .store import Store

_KINDS = ((bool, 'true or false'), (float, 'a number'), (int, 'a whole number'), (str, 'text'))


def prepare(store: Store, model: str, body: Dict[str, Any],
            current: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The changes ``body`` makes to ``current`` (``None`` when creating a record)."""
    subject = snake_case(model)
    plain, rels = schema.fields(model), schema.relations(model)
    changes: Dict[str, Any] = {}
    for key, value in body.items():
        if key in schema.SERVER_FIELDS:
            continue
        if key in plain:
            changes[key] = _enumerated(subject, key, _plain(subject, key, plain[key], value))
        elif key.endswith('_id') and isinstance(rels.get(key[:-3]), schema.One):
            changes[key] = _reference(store, subject, key, rels[key[:-3]].target, value)
        elif key in rels:
            changes.update(_relation(store, model, key, value, current))
        else:
            raise bad_request(f'{subject} has no attribute {key!r}; its attributes are '
                              f'{", ".join(schema.attribute_names(model))}')
    cleared = [key for key in schema.required_fields(model)
               if key in changes and changes[key] in (None, '')]
    if current is not None and cleared:
        raise unprocessable(f'{subject} needs {", ".join(cleared)}: it cannot be emptied')
    if current is None:
        if model == 'Domain' and not changes.get('name'):
            changes['name'] = changes.get('hostname', '')
        missing = [key for key in schema.required_fields(model)
                   if changes.get(key) in (None, '')]
        if missing:
            raise unprocessable(f'a new {subject} needs {", ".join(missing)}')
    return changes


def _plain(subject: str, key: str, default: Any, value: Any) -> Any:
    """A plain field's value, of the type of its default (``None`` clears it)."""
    if value is None:
        return None
    if default is None:  # free-form fields such as dates
        if not isinstance(value, (str, int, float)):
            raise unprocessable(f'{subject}.{key} must be text or a number, got {value!r}')
        return value
    for kind, label in _KINDS:
        if isinstance(default, kind):
            accepted = (int, float) if kind is float else kind
            if (isinstance(value, bool) and kind is not bool) or not isinstance(value, accepted):
                raise unprocessable(f'{subject}.{key} must be {label}, got {value!r}')
            return float(value) if kind is float else value
    return value


def _enumerated(subject: str, key: str, value: Any) -> Any:
    """``value`` if ``key`` is free or ``value`` one of its allowed values; 422 otherwise."""
    allowed = schema.allowed_values(key)
    if allowed is None or value is None or value in allowed:
        return value
    raise unprocessable(f'{subject}.{key} must be one of {", ".join(allowed)}, got {value!r}')


def _reference(store: Store, subject: str, key: str, target: str, value: Any) -> Optional[int]:
    """One referenced id, checked to exist (``None`` clears an optional reference)."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get('id')
    if isinstance(value, str) and is_whole_number(value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise unprocessable(f'{subject}.{key} must be the id of a {snake_case(target)}, '
                            f'got {value!r}')
    if store.get(target, value) is None:
        raise unprocessable(f'{subject}.{key}: {snake_case(target)} {value} does not exist')
    return value


def _relation(store: Store, model: str, key: str, value: Any,
              current: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    subject = snake_case(model)
    rel = schema.relations(model)[key]
    if isinstance(rel, schema.One):
        return {f'{key}_id': _reference(store, subject, key, rel.target, value)}
    if value is None and isinstance(rel, schema.Many):
        return {key: []}
    if not isinstance(value, list):
        raise unprocessable(f'{subject}.{key} must be a list of {snake_case(rel.target)} ids, '
                            f'got {value!r}')
    ids = [_reference(store, subject, key, rel.target, item) for item in value]
    if isinstance(rel, schema.Many):
        return {key: ids}
    present = sorted(rec['id'] for rec in store.reverse(rel.target, rel.via, current['id'])) \
        if current else []
    if sorted(i for i in ids if i is not None) != present:
        raise unprocessable(f'{subject}.{key} cannot be changed here: set {rel.via}_id on the '
                            f'{snake_case(rel.target)} records instead')
    return {}
