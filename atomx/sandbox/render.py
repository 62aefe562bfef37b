"""Records as the API shows them: relationships by depth, ``attributes``, ``expand``, stats.

Also reads one value along an attribute path (``category.name``,
``quickstats.lifetime.clicks``, ``sites``), which sorting and filtering share.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Tuple

from . import schema
from .delivery import quickstats
from .query import ListQuery
from .store import Store

#: May the current user see this record?  (model, record) -> bool
Visible = Callable[[str, Dict[str, Any]], bool]


def related(store: Store, model: str, record: Dict[str, Any], attribute: str) -> Any:
    """The record (or list of records) a relationship attribute points at."""
    rel = schema.relations(model)[attribute]
    if isinstance(rel, schema.One):
        target_id = record.get(f'{attribute}_id')
        return store.get(rel.target, target_id) if target_id is not None else None
    if isinstance(rel, schema.Many):
        found = (store.get(rel.target, i) for i in record.get(attribute, []))
        return [rec for rec in found if rec is not None]
    return store.reverse(rel.target, rel.via, record['id'])


def _ids(store: Store, model: str, record: Dict[str, Any], attribute: str) -> Any:
    """A relationship as depth 1 shows it: an id (or ``None``) or a list of ids."""
    rel = schema.relations(model)[attribute]
    if isinstance(rel, schema.One):
        return record.get(f'{attribute}_id')
    if isinstance(rel, schema.Many):
        return list(record.get(attribute, []))
    return [rec['id'] for rec in store.reverse(rel.target, rel.via, record['id'])]


def value_at(store: Store, model: str, record: Optional[Dict[str, Any]],
             path: Tuple[str, ...]) -> Any:
    """The value at ``path`` below ``record``; a bare relationship gives its id(s)."""
    if record is None or not path:
        return record
    head, rest = path[0], path[1:]
    if head == 'quickstats':
        value: Any = quickstats(model, record['id'])
    elif head in schema.relations(model):
        if not rest:
            return _ids(store, model, record, head)
        target = schema.relations(model)[head].target
        value = related(store, model, record, head)
        if isinstance(value, list):
            value = value[0] if value else None
        return value_at(store, target, value, rest)
    else:
        value = record.get(head)
    for part in rest:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def render(store: Store, model: str, record: Dict[str, Any], query: ListQuery,
           visible: Visible) -> Dict[str, Any]:
    """``record`` shaped by the query's depth, attributes, expand and quickstats."""
    rels = schema.relations(model)
    shown = {key: value for key, value in record.items()
             if key not in rels and query.shows(key)}
    for attribute in rels:
        if not query.shows(attribute):
            continue
        level = max(query.depth, 1) + 1 if attribute in query.expand else query.depth
        if level == 1:
            shown[attribute] = _ids(store, model, record, attribute)
        elif level >= 2:
            inner = ListQuery(depth=level - 1)
            target = rels[attribute].target
            value = related(store, model, record, attribute)
            if isinstance(value, list):
                shown[attribute] = [_nested(store, target, rec, inner, visible) for rec in value]
            else:
                shown[attribute] = value and _nested(store, target, value, inner, visible)
    if query.quickstats and model in schema.QUICKSTATS_MODELS and query.shows('quickstats'):
        shown['quickstats'] = quickstats(model, record['id'])
    return shown


def _nested(store: Store, model: str, record: Dict[str, Any], query: ListQuery,
            visible: Visible) -> Dict[str, Any]:
    """An expanded related record, or only its id when the user may not see it."""
    if not visible(model, record):
        return {'id': record['id']}
    return render(store, model, record, query, visible)
