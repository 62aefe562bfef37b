"""``GET /{model}/{id}/history`` (and ``/history/{model}/{id}``): a record's changes.

Each entry is ``{"date", "user": {"id", "name", "email"}, "history": {attribute: new
value}}``; the first is the creation, a removal is ``{"deleted": true}``.  The
parameters are ``offset``, ``limit`` (default 100, at most 1000) and ``sort``
(``date.asc``, the default, or ``date.desc``).
"""
from __future__ import annotations

from werkzeug.wrappers import Response

from ..names import snake_case
from ..protocol import MAX_PAGE_SIZE
from .answers import bad_request, forbidden, not_found, respond
from .context import Call
from .query import DEFAULT_LIMIT, url_count
from .resources import record_id, resolve_model
from .rights import can_read, is_network_user

_SORTS = ('date.asc', 'date.desc')


def get_history(call: Call, name: str, rid: str) -> Response:
    """The change entries of one record, paged and sorted by date."""
    unknown = sorted(set(call.request.args) - {'offset', 'limit', 'sort'})
    if unknown:
        raise bad_request(f'unknown URL parameter {unknown[0]!r} for history; '
                          'allowed: offset, limit, sort')
    sort = call.request.args.get('sort') or 'date.asc'
    if sort not in _SORTS:
        raise bad_request(f'history sort must be date.asc or date.desc, got {sort!r}')
    offset = url_count('offset', call.request.args.get('offset'), 0)
    limit = min(url_count('limit', call.request.args.get('limit'), DEFAULT_LIMIT), MAX_PAGE_SIZE)
    model, number = resolve_model(name), record_id(rid)
    user = call.user()
    with call.store.lock:
        entries = call.store.history_of(model, number)
        if entries is None:
            raise not_found(f'{snake_case(model)} {number} has no history: it never existed')
        record = call.store.get(model, number)
        allowed = can_read(call.store, user, model, record) if record else is_network_user(user)
        if not allowed:
            raise forbidden(f'your user has no access to {snake_case(model)} {number}')
        ordered = list(reversed(entries)) if sort == 'date.desc' else list(entries)
    return respond({'success': True, 'resource': 'history',
                    'history': ordered[offset:offset + limit], 'offset': offset,
                    'limit': limit, 'sort': sort, 'count': len(entries)})
