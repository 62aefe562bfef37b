"""The model endpoints: ``/{model}``, ``/{model}/{id}``, ``/{model}/{id}/{attribute}``.

Reads of read-only models need no token; everything else does.  Lists answer the
full envelope; single records, creations and changes answer
``{"success": true, "resource": "site", "site": {...}}``; a delete answers the
removed ids by model under ``deleted``.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from werkzeug.wrappers import Response

from ..names import MODEL_NAMES, model_name, plural, snake_case
from . import schema
from .answers import ApiError, bad_request, forbidden, listing, not_found, single
from .changes import prepare
from .context import Call
from .delivery import quickstats
from .passwords import password_change
from .query import ListQuery, is_whole_number, paginate, parse_query, sort_records
from .render import Visible, related, render, value_at
from .rights import can_read, can_write, is_network_user

#: User fields only network users may change (they are the rights themselves).
_RIGHTS_FIELDS = ('networks', 'advertisers', 'publishers', 'state')


def resolve_model(name: str) -> str:
    """The model a path segment names, in any spelling; 404 for an unknown one."""
    model = model_name(name)
    if model is None:
        known = ', '.join(sorted(plural(snake_case(m)) for m in MODEL_NAMES))
        raise not_found(f'unknown model {name!r}; the models are: {known}')
    return model


def record_id(text: str) -> int:
    """A record id from the path; 400 unless it is a whole number."""
    if not is_whole_number(text):
        raise bad_request(f'{text!r} is not a record id: ids are whole numbers')
    return int(text)


def _reader(call: Call, model: str) -> Optional[Dict[str, Any]]:
    """The user of a read: optional for read-only models, required otherwise."""
    return call.optional_user() if model in schema.READ_ONLY_MODELS else call.user()


def _visible(call: Call, user: Optional[Dict[str, Any]]) -> Visible:
    return lambda model, record: can_read(call.store, user, model, record)


def _parse(call: Call, model: str) -> ListQuery:
    query = parse_query(call.args(), schema.attribute_names(model), schema.relations(model),
                        snake_case(model))
    for key in query.sort:
        problem = schema.path_error(model, key.path)
        if problem:
            raise bad_request(f'cannot sort by {key}: {problem}')
    return query


def _load(call: Call, model: str, rid: int, user: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    record = call.store.get(model, rid)
    if record is None:
        raise not_found(f'{snake_case(model)} {rid} not found')
    if not can_read(call.store, user, model, record):
        raise forbidden(f'your user has no access to {snake_case(model)} {rid}')
    return record


def _select(call: Call, model: str, records: List[Dict[str, Any]], query: ListQuery,
            user: Optional[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The records the user may see that pass every filter, in the query's order."""
    store = call.store
    kept = [rec for rec in records if can_read(store, user, model, rec)
            and all(f.matches(value_at(store, model, rec, (f.attribute,))) for f in query.filters)]
    return sort_records(kept, query.sort, lambda rec, path: value_at(store, model, rec, path))


def _list(call: Call, model: str, records: List[Dict[str, Any]],
          user: Optional[Dict[str, Any]], every: bool = False) -> Response:
    """A list answer; with ``every`` all ``records`` (no filter, no paging)."""
    query = _parse(call, model)
    if every:
        query = replace(query, filters=(), offset=0, limit=max(len(records), 1))
    selected = _select(call, model, records, query, user)
    items = [render(call.store, model, rec, query, _visible(call, user))
             for rec in paginate(selected, query)]
    return listing(plural(snake_case(model)), items, query, len(selected), call.backend.now())


def _one(call: Call, model: str, record: Dict[str, Any],
         user: Optional[Dict[str, Any]]) -> Response:
    query = _parse(call, model)
    return single(snake_case(model), render(call.store, model, record, query,
                                            _visible(call, user)))


def _writer(call: Call, model: str) -> Dict[str, Any]:
    """The user of a write; 403 for read-only models."""
    user = call.user()
    if model in schema.READ_ONLY_MODELS:
        raise forbidden(f'{snake_case(model)} is a read-only model')
    return user


def _check_write(call: Call, user: Dict[str, Any], model: str, record: Dict[str, Any]) -> None:
    if not can_write(call.store, user, model, record):
        target = f'{snake_case(model)} {record["id"]}' if 'id' in record else \
            f'this {snake_case(model)}'
        raise forbidden(f'your user may not change {target}')


def _update(call: Call, model: str, record: Dict[str, Any], body: Dict[str, Any],
            user: Dict[str, Any], password: Optional[Dict[str, str]] = None) -> Response:
    """Apply a PUT body to ``record`` (and a user's new ``password`` hash) and answer it.

    Everything is checked before anything changes, so a refused body changes nothing.
    """
    changes = prepare(call.store, model, body, current=record)
    if model == 'User' and not is_network_user(user) and set(changes) & set(_RIGHTS_FIELDS):
        raise forbidden(f'only network users may change {", ".join(_RIGHTS_FIELDS)} of a user')
    _check_write(call, user, model, record)
    _check_write(call, user, model, {**record, **changes})
    if password is not None:
        call.store.set_password(record['id'], password)
    call.store.update(model, record['id'], changes, user)
    call.store.save()
    return _one(call, model, record, user)


# -- /{model} -------------------------------------------------------------------------------
def get_collection(call: Call, name: str) -> Response:
    """``GET /{model}``: the list with every URL parameter applied."""
    model = resolve_model(name)
    user = _reader(call, model)
    with call.store.lock:
        return _list(call, model, call.store.all(model), user)


def post_collection(call: Call, name: str) -> Response:
    """``POST /{model}``: create one record (a JSON object) or several (a list)."""
    model = resolve_model(name)
    user = _writer(call, model)
    body = call.body()
    bodies = body if isinstance(body, list) else [body]
    if not bodies or not all(isinstance(item, dict) for item in bodies):
        raise bad_request('the request body must be a JSON object (or a list of objects)')
    with call.store.lock:
        prepared = [prepare(call.store, model, item) for item in bodies]
        for values in prepared:
            _check_write(call, user, model, {**schema.fields(model), **values})
        created = [call.store.insert(model, values, user) for values in prepared]
        call.store.save()
        if isinstance(body, dict):
            return _one(call, model, created[0], user)
        return _list(call, model, created, user, every=True)


def put_collection(call: Call, name: str) -> Response:
    """``PUT /{model}?filter``: change the one record the filter matches."""
    model = resolve_model(name)
    user = _writer(call, model)
    query = _parse(call, model)
    if not query.filters:
        raise bad_request(f'PUT /{name} needs an id in the path or a filter that matches '
                          'exactly one entry, e.g. PUT /domains?hostname=example.com')
    body = call.body_object()
    with call.store.lock:
        matches = _select(call, model, call.store.all(model), query, user)
        described = '&'.join(str(item) for item in query.filters)
        if not matches:
            raise not_found(f'no {snake_case(model)} matches {described}')
        if len(matches) > 1:
            raise bad_request(f'{described} matches {len(matches)} entries of '
                              f'{snake_case(model)}; PUT needs a filter that matches exactly one')
        return _update(call, model, matches[0], body, user)


# -- /{model}/{id} --------------------------------------------------------------------------
@contextmanager
def _open_record(call: Call, name: str, rid: str, write: bool = False,
                 body: Callable[[], Any] = lambda: None) -> Iterator[Tuple[str, Any, Any, Any]]:
    """What every record verb starts with: ``(model, user, record, body())``, the user a
    writer for ``write``, the record loaded under the store's lock, held until the end."""
    model = resolve_model(name)
    user = _writer(call, model) if write else _reader(call, model)
    sent = body()
    with call.store.lock:
        yield model, user, _load(call, model, record_id(rid), user), sent


def get_record(call: Call, name: str, rid: str) -> Response:
    """``GET /{model}/{id}``."""
    with _open_record(call, name, rid) as (model, user, record, _):
        return _one(call, model, record, user)


def put_record(call: Call, name: str, rid: str) -> Response:
    """``PUT /{model}/{id}``: change the record with the body's attributes."""
    with _open_record(call, name, rid, True, call.body_object) as (model, user, record, body):
        password = None
        if model == 'User' and 'password' in body:
            body, password = password_change(call, record, body, user)
        return _update(call, model, record, body, user, password)


def post_record(call: Call, name: str, rid: str) -> Response:
    """``POST /user/{id}`` with ``old_password`` and ``password``: change one's password."""
    model = resolve_model(name)
    if model != 'User':
        raise ApiError(405, f'POST /{name}/{rid} is not allowed: create with POST /{name}, '
                            f'change with PUT /{name}/{rid}')
    return put_record(call, name, rid)


def delete_record(call: Call, name: str, rid: str) -> Response:
    """``DELETE /{model}/{id}``: remove it (and what cannot live without it)."""
    with _open_record(call, name, rid, True) as (model, user, record, _):
        _check_write(call, user, model, record)
        removed = call.store.remove(model, record['id'], user)
        call.store.save()
    return single('deleted', removed)


# -- /{model}/{id}/{attribute} --------------------------------------------------------------
def get_attribute(call: Call, name: str, rid: str, attribute: str) -> Response:
    """``GET /{model}/{id}/{attribute}``: a value, the related record(s) or the quickstats."""
    with _open_record(call, name, rid) as (model, user, record, _):
        rels = schema.relations(model)
        if attribute == 'quickstats' and model in schema.QUICKSTATS_MODELS:
            return single('quickstats', quickstats(model, record['id']))
        if attribute in rels:
            target = rels[attribute].target
            value = related(call.store, model, record, attribute)
            if isinstance(value, list):
                return _list(call, target, value, user)
            if value is None:
                return single(snake_case(target), None)
            return _one(call, target, _load(call, target, value['id'], user), user)
        if attribute in record:
            return single(attribute, record[attribute])
        raise not_found(f'{snake_case(model)} has no attribute {attribute!r}; its attributes '
                        f'are {", ".join(schema.attribute_names(model))}')


def put_attribute(call: Call, name: str, rid: str, attribute: str) -> Response:
    """``PUT /{model}/{id}/{attribute}``: set one attribute.

    The body is ``{"attribute": value}`` or the bare JSON value.
    """
    body = call.body()
    if not (isinstance(body, dict) and set(body) == {attribute}):
        body = {attribute: body}
    with _open_record(call, name, rid, True) as (model, user, record, _):
        return _update(call, model, record, body, user)
