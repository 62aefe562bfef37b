"""``/search`` and the ``*_list`` endpoints: ids and names of what the user may see."""
from __future__ import annotations

from typing import Any, Dict, List

from werkzeug.wrappers import Response

from .answers import bad_request, single
from .context import Call
from .query import Filter
from .rights import can_read

#: Search index -> model; the first six are searched when no ``index`` is given.
SEARCH_INDEXES = {'advertisers': 'Advertiser', 'campaigns': 'Campaign', 'creatives': 'Creative',
                  'placements': 'Placement', 'publishers': 'Publisher', 'sites': 'Site',
                  'domains': 'Domain'}
_DEFAULT_INDEXES = ('advertisers', 'campaigns', 'creatives', 'placements', 'publishers', 'sites')
#: ``/{name}_list`` -> model.
LISTS = {'networks_list': 'Network', 'publishers_list': 'Publisher',
         'advertisers_list': 'Advertiser', 'sites_list': 'Site', 'placements_list': 'Placement'}


def search(call: Call) -> Response:
    """``/search?q=...&index=a,b``: ids and names that match, by index."""
    query = call.request.args.get('q', '').strip()
    if not query:
        raise bad_request('search needs a q URL parameter, e.g. /search?q=*mini*')
    names = [n.strip() for n in call.request.args.get('index', '').split(',') if n.strip()]
    unknown = [name for name in names if name not in SEARCH_INDEXES]
    if unknown:
        raise bad_request(f'unknown search index {unknown[0]!r}; '
                          f'indexes: {", ".join(SEARCH_INDEXES)}')
    pattern = Filter('name', (query if '*' in query else f'*{query}*',))
    user = call.user()
    found: Dict[str, List[Dict[str, Any]]] = {}
    with call.store.lock:
        for index in names or _DEFAULT_INDEXES:
            model = SEARCH_INDEXES[index]
            found[index] = [{'id': rec['id'], 'name': rec['name']}
                            for rec in call.store.all(model)
                            if can_read(call.store, user, model, rec)
                            and (pattern.matches(rec['name']) or str(rec['id']) == query)]
    return single('search', found)


def id_list(call: Call, name: str) -> Response:
    """``/advertisers_list`` and friends: ids and names the user may see."""
    model = LISTS[name]
    user = call.user()
    with call.store.lock:
        items = [{'id': rec['id'], 'name': rec['name']} for rec in call.store.all(model)
                 if can_read(call.store, user, model, rec)]
    return single(name, items, count=len(items))
