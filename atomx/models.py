"""The Atomx models: :class:`AtomxModel` and one generated class per API resource.

A model keeps the API's JSON object as it came (building one stores the dict and
nothing else) and works out the rest when it is asked:

- reading a loaded attribute is a dict lookup; timestamps (``*_at``, ``*date``) and
  related models (``advertiser``, ``profiles``, ``domains_filter``…) are converted on
  their first read and the result is kept;
- reading an attribute that is not loaded asks the API (``GET {path}/{id}/{name}``)
  once and keeps the answer; so do ids of related models (``advertiser: 42``);
- setting an attribute records a change; so does changing a list or dict in place,
  seen by comparing it at save time with the copy taken when it was handed out;
- :meth:`AtomxModel.save` sends only the changes, and a failed request keeps them.

Models reach the API only through the verbs of the session they are bound to
(``session.get/post/put/delete``); they never import the session module.

Attribute errors: a name that is neither loaded nor loadable raises
:class:`AttributeError` saying why (no id, no session, underscore name, or the
API's error, which is chained as ``__cause__``).  An :class:`AttributeError` is what
keeps ``hasattr``, ``getattr(model, name, default)``, :mod:`copy` and :mod:`pickle`
working; ``except AttributeError as error: error.__cause__`` gives the
:class:`~atomx.exceptions.APIError` with its status code.
"""
from __future__ import annotations

import copy
import html
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Optional, TypeVar

from .attributes import MUTABLE_TYPES, is_date_name, parse_date, shown_value, snapshot, to_json
from .checks import check_count, session_to_use
from .display import SHORT, cell, readable
from .exceptions import APIError, ModelNotFoundError
from .model_docs import model_doc
from .model_list import ModelList
from .names import MODEL_NAMES, model_name, resource_path
from .paths import id_problem
from .reports import Report, ScheduledReport
from .reports import from_answer as report_from_answer

#: How an attribute name is read: as is, as a timestamp, or (any other value) as
#: the related model class.
_PLAIN = 'plain'
_DATE = 'date'
_KINDS: dict[str, Any] = {}
#: What AtomxModel._present does with ids of related models.
_FETCH, _KEEP, _DEFER = 'fetch', 'keep', 'defer'
_IDS = object()  # _related's answer for ids that need a request
_MISSING = object()
_HISTORY_SORTS = ('date.asc', 'date.desc')
#: The model's own class in the hints of methods that return ``self``.
Self = TypeVar('Self', bound='AtomxModel')


class _Changes:
    """What a model tracks beyond its attributes; created on the first need."""

    __slots__ = ('dirty', 'snapshots', 'deleted')

    def __init__(self, dirty: Iterable[str] = (), deleted: bool = False) -> None:
        self.dirty: set[str] = set(dirty)
        #: copies of the lists/dicts handed out, to see in-place changes
        self.snapshots: dict[str, Any] = {}
        self.deleted = deleted


class AtomxModel:
    """An object of the Atomx API, bound to an :class:`atomx.Atomx` session.

    The base class of every model of :mod:`atomx.models`; use a subclass such
    as :class:`Advertiser`, which knows its API resource.

    :param id: the model's id, a whole number: an int of at least 1, or its
        digits as a str (``'42'`` is taken as ``42``); ``None`` for a model not yet
        created.  See :func:`checked_id`.
    :param session: the :class:`atomx.Atomx` session its requests go through.
    :param attributes: the model's attributes; they count as changes, so
        :meth:`save` sends them (``Campaign(7, budget=100).save(atomx)`` is one
        PUT of the budget, without a GET first) and :meth:`create` posts them.
    :raises TypeError: ``id`` is neither an int nor a str (``1.5``, ``True``).
    :raises ValueError: ``id`` is a str that is not digits (``'abc'``) or below 1.

    Attributes are read as Python attributes (``creative.title``).  Names ending
    in ``_at`` or ``date`` are read as :class:`~datetime.datetime`; nested objects
    and ids of related models (``profile.advertiser``) as models.  A name that is
    not loaded is fetched with ``GET {resource}/{id}/{name}`` on its first read
    and kept; one that cannot be had raises :class:`AttributeError` saying why.
    Setting an attribute, changing a list or dict in place, or ``del
    model.name`` is a change that :meth:`save` sends.

    ``==`` compares class and id.  :func:`copy.copy` and :func:`copy.deepcopy` keep
    the session; a pickled model leaves it out (it holds the credentials): set
    ``model.session = atomx`` after loading one.  A request method given a session
    binds a model that has none to it.
    """

    __slots__ = ('_attributes', '_session', '_changes')
    _attributes: dict[str, Any]
    _session: Any
    _changes: Optional[_Changes]

    #: The API path of the model (``advertiser``, ``conversion-pixel``).
    _resource_name: ClassVar[str] = ''

    def __init__(self, id: Any = None, session: Any = None, **attributes: Any) -> None:
        id = checked_id(id)
        dirty = list(attributes)
        if id is not None:
            attributes = {'id': id, **attributes}
        _SET_ATTRIBUTES(self, attributes)
        _SET_SESSION(self, session)
        _SET_CHANGES(self, _Changes(dirty) if dirty else None)

    # -- attributes -------------------------------------------------------------

    @property
    def id(self) -> Any:
        """The model's id, or ``None`` before :meth:`create`.

        Setting it is no change that :meth:`save` sends; it follows the rule
        of :func:`checked_id` (an int of at least 1, its digits as a str, or ``None``).
        """
        return self._attributes.get('id')

    @id.setter
    def id(self, value: Any) -> None:
        self._attributes['id'] = checked_id(value)

    @property
    def session(self) -> Any:
        """The :class:`atomx.Atomx` session this model's requests go through, or ``None``."""
        return self._session

    @session.setter
    def session(self, value: Any) -> None:
        _SET_SESSION(self, value)

    @property
    def deleted(self) -> bool:
        """``True`` once :meth:`delete` removed the model from the API (read only)."""
        return self._changes is not None and self._changes.deleted

    @property
    def json(self) -> dict[str, Any]:
        """The attributes as a dict that :func:`json.dumps` accepts.

        Timestamps are ISO 8601 text, decimals floats, sets sorted lists, and
        related models their own ``json``.  Nothing is requested: attributes that
        are not loaded are not in it.
        """
        return {name: to_json(value, _json_of) for name, value in self._attributes.items()}

    def __getattr__(self, name: str) -> Any:
        # Called when normal lookup fails (methods and properties never get here) and
        # when a _FastRead hands over: for an attribute not loaded, or ids to fetch.
        if name[:1] == '_':
            raise AttributeError(f'{type(self).__name__!r} object has no attribute {name!r}')
        try:
            value = self._attributes[name]
        except KeyError:
            value = self._load(name)
        else:
            value = self._present(name, value, _KINDS.get(name) or _kind(name), _FETCH)
        _install_fast_read(name)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name[:1] == '_' or name in _OWN_NAMES:
            object.__setattr__(self, name, value)
            return
        attributes = self._attributes
        changes = self._tracked()
        before = changes.snapshots.get(name, attributes.get(name, _MISSING))
        if name in changes.dirty or not _same(before, value):
            changes.dirty.add(name)
            changes.snapshots.pop(name, None)
        elif type(value) in MUTABLE_TYPES:
            changes.snapshots[name] = snapshot(value)
        attributes[name] = value

    def __delattr__(self, name: str) -> None:
        """``del model.attr`` clears the attribute (``[]`` for a list, else ``None``)."""
        if name[:1] == '_' or name in _OWN_NAMES:
            object.__delattr__(self, name)
            return
        current = self._attributes.get(name)
        self._attributes[name] = [] if isinstance(current, (list, tuple, set)) else None
        changes = self._tracked()
        changes.dirty.add(name)
        changes.snapshots.pop(name, None)

    def __dir__(self) -> Iterable[str]:
        return sorted((set(super().__dir__()) - _FAST_READS) | set(self._attributes))

    # -- requests ---------------------------------------------------------------

    def create(self: Self, session: Any = None) -> Self:
        """POST the model's attributes to its resource, then take the API's answer.

        The answer's attributes (the new id included) replace the model's, and no
        change is left.  If the request fails the model keeps its values and
        changes, so calling ``create()`` again sends the same request.

        :param session: the :class:`atomx.Atomx` session to use (default: the
            model's; a model without one is bound to it).
        :returns: the model itself.
        :raises NoSessionError: neither the model nor the call has a session.
        :raises ValueError: an attribute holds a model without an id, or a value
            that cannot be sent as JSON.
        :raises APIError: the API refused it (see ``status_code``).
        """
        session = self._session_for('create', session)
        body = {name: to_json(value, _id_of) for name, value in self._attributes.items()}
        self._accept(session.post(self._resource_name, body))
        return self

    def save(self: Self, session: Any = None) -> Self:
        """PUT the changed attributes, then take the API's answer.

        Only the attributes that were set to another value, changed in place or
        deleted are sent; with no change nothing is sent.  Attributes given to the
        constructor count as changes too: ``Campaign(7, budget=100).save(atomx)``
        sends ``{"budget": 100}`` with one PUT, without reading the campaign first.
        Datetimes and dates go as ISO 8601 text, decimals as floats, sets as
        lists, models as their ids.
        If the request fails the changes stay, so calling ``save()`` again sends
        them again.

        :param session: the :class:`atomx.Atomx` session to use (default: the
            model's; a model without one is bound to it).
        :returns: the model itself.
        :raises ModelNotFoundError: the model has no id (use :meth:`create`), or one
            that breaks the path rule of :mod:`atomx.paths`.
        :raises NoSessionError: neither the model nor the call has a session.
        :raises ValueError: a changed attribute holds a model without an id, or a
            value that cannot be sent as JSON.
        :raises APIError: the API refused the change (see ``status_code``).
        """
        model_id = self._require_id('save', 'use create() to add it to the API first')
        session = self._session_for('save', session)
        changed = self._changed_names()
        if changed:
            body = {name: to_json(self._attributes.get(name), _id_of) for name in changed}
            self._accept(session.put(self._resource_name, model_id, body))
        return self

    def update(self: Self, session: Any = None) -> Self:
        """The same as :meth:`save`.

        :param session: the :class:`atomx.Atomx` session to use (default: the model's).
        :returns: the model itself.
        :raises ModelNotFoundError: the model has no id (use :meth:`create`), or one
            that breaks the path rule of :mod:`atomx.paths`.
        :raises NoSessionError: neither the model nor the call has a session.
        :raises APIError: the API refused the change.
        """
        return self.save(session)

    def delete(self, session: Any = None) -> Any:
        """DELETE the model from the API, for good, and set :attr:`deleted` to ``True``.

        :param session: the :class:`atomx.Atomx` session to use (default: the model's).
        :returns: the API's answer: a dict of the removed ids per model name
            (``{'creative': [3]}``).
        :raises ModelNotFoundError: the model has no id, or one that breaks the path
            rule of :mod:`atomx.paths`.
        :raises NoSessionError: neither the model nor the call has a session.
        :raises APIError: the API refused it.
        """
        model_id = self._require_id('delete', 'it was never created')
        session = self._session_for('delete', session)
        removed = session.delete(self._resource_name, model_id)
        self._tracked().deleted = True
        return removed

    def reload(self: Self, session: Any = None, **kwargs: Any) -> Self:
        """GET the model again and replace its attributes with the answer's.

        Unsaved changes are dropped.  Useful after :meth:`atomx.Atomx.search`, whose
        models hold only ``id`` and ``name``, or after a ``get`` with ``attributes=``.

        :param session: the :class:`atomx.Atomx` session to use (default: the model's).
        :param kwargs: the query string, as for :meth:`atomx.Atomx.get`
            (``depth=2``, ``quickstats=True``...).
        :returns: the model itself.
        :raises ModelNotFoundError: the model has no id (or one that breaks the path
            rule of :mod:`atomx.paths`), or the API does not know
            it (HTTP 404, chained as ``__cause__``) or answers no object.
        :raises NoSessionError: neither the model nor the call has a session.
        :raises APIError: any other failed request.
        """
        model_id = self._require_id('reload', 'there is nothing to load it from')
        session = self._session_for('reload', session)
        try:
            fresh = session.get(self._resource_name, model_id, **kwargs)
        except APIError as error:
            if error.status_code == 404:
                raise ModelNotFoundError(
                    f'{self._label()} cannot be reloaded: the API does not know it ({error})'
                ) from error
            raise
        data = fresh._attributes if isinstance(fresh, AtomxModel) else fresh
        if not isinstance(data, dict):
            raise ModelNotFoundError(
                f'{self._label()} cannot be reloaded: the API answered with '
                f'{type(data).__name__}, not an object')
        data.setdefault('id', model_id)
        _SET_ATTRIBUTES(self, data)
        self._mark_saved(data)
        return self

    def history(self, session: Any = None, offset: int = 0, limit: int = 100,
                sort: str = 'date.asc') -> list[dict[str, Any]]:
        """The model's change log (``GET {resource}/{id}/history``).

        :param session: the :class:`atomx.Atomx` session to use (default: the model's).
        :param offset: skip the first ``offset`` entries (an int >= 0).
        :param limit: return at most ``limit`` entries (an int >= 1).
        :param sort: ``'date.asc'`` (oldest first) or ``'date.desc'``.
        :returns: a list of dicts with ``date`` (a :class:`~datetime.datetime`),
            ``user`` and ``history`` (the attributes that changed).
        :raises TypeError: ``offset`` or ``limit`` is not an int, before any request.
        :raises ValueError: ``offset`` below 0, ``limit`` below 1 or an unknown ``sort``,
            before any request.
        :raises ModelNotFoundError: the model has no id, or one that breaks the path
            rule of :mod:`atomx.paths`.
        :raises NoSessionError: neither the model nor the call has a session.
        :raises APIError: the request failed or did not answer a list.
        """
        check_count('offset', offset, 0)
        check_count('limit', limit, 1)
        if sort not in _HISTORY_SORTS:
            raise ValueError(f'history sort must be one of {_HISTORY_SORTS}, not {sort!r}')
        model_id = self._require_id('history', 'it was never created')
        session = self._session_for('history', session)
        entries = session.get(self._resource_name, model_id, 'history',
                              offset=offset, limit=limit, sort=sort)
        if not isinstance(entries, list):
            path = f'{self._resource_name}/{model_id}/history'
            raise APIError(f'GET {path} answered with {type(entries).__name__}, not a list of '
                           'changes', method='GET', path=path)
        return [_with_parsed_date(entry) for entry in entries]

    def _changed_names(self) -> list[str]:
        """The names :meth:`save` would send: set, deleted or changed in place."""
        changes = self._changes
        if changes is None:
            return []
        changed = set(changes.dirty)
        attributes = self._attributes
        for name, before in changes.snapshots.items():
            if name not in changed and not _same(before, attributes.get(name, _MISSING)):
                changed.add(name)
        changed.discard('id')
        return sorted(changed)

    # -- comparison, display, copies ---------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AtomxModel):
            return NotImplemented
        if self.id is None or other.id is None:
            return self is other
        return type(self) is type(other) and self.id == other.id

    def __hash__(self) -> int:
        # Like ==: class and id.  A model without an id hashes by identity, so do not
        # keep it in a set or as a dict key across its create().
        model_id = self.id
        return object.__hash__(self) if model_id is None else hash((type(self), model_id))

    def __repr__(self) -> str:
        shown = [(name, value) for name, value in self._attributes.items() if name != 'id']
        parts = [f'id={self.id!r}'] if self.id is not None else []
        parts += [f'{name}={shown_value(name, value, SHORT.repr)}'
                  for name, value in islice(shown, _REPR_ITEMS)]
        if len(shown) > _REPR_ITEMS:
            parts.append(f'… {len(shown) - _REPR_ITEMS} more')
        return f'{type(self).__name__}({", ".join(parts)})'

    def _repr_html_(self) -> str:
        """A table of the loaded attributes for Jupyter, as a person reads them.

        Text shows without Python's quotes, ``None`` as an empty cell, related
        models as ``Advertiser 42`` (see :func:`atomx.display.readable`), a
        password as ``***``; every value is escaped and long ones are cut.
        Nothing is requested.
        """
        rows = ''.join(f'<tr>{cell(name, "th")}{cell(shown_value(name, value, readable))}</tr>'
                       for name, value in self._attributes.items())
        caption = html.escape(self._label())
        return f'<table class="atomx-model"><caption>{caption}</caption>{rows}</table>'

    def __getstate__(self) -> dict[str, Any]:
        # The session is left out: it holds credentials and a connection pool.
        return {'attributes': self._attributes, 'dirty': self._changed_names(),
                'deleted': self.deleted}

    def __setstate__(self, state: dict[str, Any]) -> None:
        _SET_ATTRIBUTES(self, state['attributes'])
        _SET_SESSION(self, None)
        self._restore_changes(state['dirty'], state['deleted'])

    def __copy__(self: Self) -> Self:
        return self._twin(dict(self._attributes))

    def __deepcopy__(self: Self, memo: dict[int, Any]) -> Self:
        return self._twin(copy.deepcopy(self._attributes, memo))

    # -- internals ----------------------------------------------------------------

    def _twin(self: Self, attributes: dict[str, Any]) -> Self:
        """A model of the same class and session with ``attributes`` and our changes."""
        twin = _bind(type(self), attributes, self._session)
        twin._restore_changes(self._changed_names(), self.deleted)
        return twin

    def _restore_changes(self, dirty: list[str], deleted: bool) -> None:
        _SET_CHANGES(self, _Changes(dirty, deleted) if dirty or deleted else None)

    def _tracked(self) -> _Changes:
        changes = self._changes
        if changes is None:
            changes = _Changes()
            _SET_CHANGES(self, changes)
        return changes

    def _present(self, name: str, value: Any, kind: Any, ids: str) -> Any:
        """The value to hand out for a loaded attribute, converted and kept once.

        ``ids`` says what to do with ids of related models: ``_FETCH`` them, ``_KEEP``
        them, or ``_DEFER`` to ``__getattr__`` (raise AttributeError, so a failing
        fetch inside a descriptor is not retried by the fallback).
        """
        if kind is _DATE:
            if type(value) is str:
                parsed = parse_date(value)
                if parsed is not None:
                    self._attributes[name] = value = parsed
        elif kind is not _PLAIN:
            related = _related(value, kind, self._session)
            if related is _IDS:
                if ids is _DEFER:
                    raise AttributeError(name)
                related = self._fetch(name) if ids is _FETCH else value
            if related is not value:
                self._attributes[name] = value = related
        if type(value) in MUTABLE_TYPES:
            changes = self._tracked()
            if name not in changes.snapshots:
                changes.snapshots[name] = snapshot(value)
        return value

    def _load(self, name: str) -> Any:
        """An attribute that is not loaded: ask the API once, keep the answer."""
        value = self._fetch(name)
        self._attributes[name] = value
        return self._present(name, value, _KINDS.get(name) or _kind(name), _KEEP)

    def _fetch(self, name: str) -> Any:
        """``GET {path}/{id}/{name}``; any failure is an AttributeError saying why."""
        reason = self._why_not_loadable(name)
        if reason:
            raise AttributeError(f'{self._label()} has no attribute {name!r} loaded '
                                 f'and cannot load it: {reason}')
        try:
            value = self._session.get(self._resource_name, self.id, name)
        except APIError as error:
            raise AttributeError(
                f'{self._label()}: loading attribute {name!r} with '
                f'GET {self._resource_name}/{self.id}/{name} failed: {error}') from error
        # an attribute holds a plain list, whose in-place changes save() sees
        return list(value) if type(value) is ModelList else value

    def _why_not_loadable(self, name: str) -> str:
        if not name.isidentifier():  # '', 'a/b', '..' would request another path
            return 'it is not a name the API can have (letters, digits and _ only)'
        if not self._resource_name:
            return 'AtomxModel itself has no API resource; use a model class'
        if self.id is None:
            return 'the model has no id'
        problem = id_problem(self.id)
        if problem:
            return problem
        if self._session is None:
            return 'the model has no atomx.Atomx session'
        return ''

    def _session_for(self, action: str, session: Any) -> Any:
        """The session to use: the argument, else the model's; binds the model to it."""
        if not self._resource_name:
            raise TypeError(f'cannot {action} an AtomxModel: it has no API resource; '
                            f'use a model class such as atomx.models.Advertiser')
        session = session_to_use(session, self._session, action, self._label(), 'model')
        if self._session is None:
            _SET_SESSION(self, session)
        return session

    def _require_id(self, action: str, hint: str) -> Any:
        model_id = self.id
        if model_id is None:
            raise ModelNotFoundError(f'cannot {action} {self._label()}: it has no id; {hint}')
        problem = id_problem(model_id)
        if problem:
            raise ModelNotFoundError(f'cannot {action} {self._label()}: {problem}, which is '
                                     f'no id the API can have (see atomx.paths)')
        return model_id

    def _accept(self, answer: Any) -> None:
        """Take a create/save answer's attributes and forget the sent changes."""
        data = answer._attributes if isinstance(answer, AtomxModel) else answer
        if isinstance(data, dict):
            self._attributes.update(data)
        self._mark_saved(data if isinstance(data, dict) else {})

    def _mark_saved(self, replaced: dict[str, Any]) -> None:
        """No changes left; values kept from before get a fresh copy to compare with."""
        changes = self._changes
        if changes is None:
            return
        changes.dirty.clear()
        attributes = self._attributes
        for name in list(changes.snapshots):
            if name in replaced or name not in attributes:
                del changes.snapshots[name]
            else:
                changes.snapshots[name] = snapshot(attributes[name])

    def _label(self) -> str:
        model_id = self.id
        name = type(self).__name__
        return f'{name} {model_id}' if model_id is not None else f'{name} (no id)'


_SLOTS = vars(AtomxModel)
_SET_ATTRIBUTES = _SLOTS['_attributes'].__set__
_SET_SESSION = _SLOTS['_session'].__set__
_SET_CHANGES = _SLOTS['_changes'].__set__
_NEW = object.__new__
#: Names of the class itself (methods, properties): set and deleted as usual.
_OWN_NAMES = frozenset(dir(AtomxModel))

_REPR_ITEMS = 6


def _bind(cls: type[Self], data: dict[str, Any], session: Any) -> Self:
    """A model of ``cls`` that owns ``data`` as its (unchanged) attributes: no copy."""
    model = _NEW(cls)
    _SET_ATTRIBUTES(model, data)
    _SET_SESSION(model, session)
    _SET_CHANGES(model, None)
    return model


def _related(value: Any, cls: type[AtomxModel], session: Any) -> Any:
    """Nested dicts as models of ``cls``; ``_IDS`` for ids (depth=1) to fetch.

    Id 0 is how the API writes "none" (``"domain": 0``): it stays 0.
    """
    kind = type(value)
    if kind is dict:
        return _bind(cls, value, session)
    if kind is int:
        return _IDS if value else value
    if kind is list and value:
        first = type(value[0])
        if first is dict and all(type(item) is dict for item in value):
            return [_bind(cls, item, session) for item in value]
        if first is int and all(type(item) is int for item in value):
            return _IDS
    return value


class _FastRead:
    """Reads one attribute name of every model without a failed lookup first.

    ``__getattr__`` runs only after normal lookup failed, which before Python 3.12
    costs an AttributeError per read (about 0.7 µs).  After the first successful
    read of a name, this descriptor is set on :class:`AtomxModel` under that name:
    a loaded value is then one dict lookup away.  It hands everything else (not
    loaded, ids to fetch) back to ``__getattr__`` by raising AttributeError.
    """

    __slots__ = ('name', 'kind')

    def __init__(self, name: str, kind: Any) -> None:
        self.name = name
        self.kind = kind

    def __get__(self, model: Optional[AtomxModel], owner: Any = None) -> Any:
        if model is None:
            return self
        value = model._attributes.get(self.name, _MISSING)
        if value is _MISSING:
            raise AttributeError(self.name)
        kind = self.kind
        if ((kind is _PLAIN or type(value) is datetime or isinstance(value, AtomxModel))
                and type(value) not in MUTABLE_TYPES):
            return value  # nothing (more) to convert or to watch
        return model._present(self.name, value, kind, _DEFER)

    def __repr__(self) -> str:
        return f'<atomx model attribute {self.name!r}>'


class _PlainRead(_FastRead):
    """A :class:`_FastRead` for a name read as it is (no timestamp, no related
    model): only a list, dict or set needs watching, so the common read is a dict
    lookup and a type test."""

    __slots__ = ()

    def __get__(self, model: Any, owner: Any = None) -> Any:
        try:
            value = model._attributes[self.name]
        except KeyError:
            raise AttributeError(self.name) from None
        except AttributeError:  # read on the class: model is None
            if model is None:
                return self
            raise
        if type(value) in _WATCHED_TYPES:
            return model._present(self.name, value, _PLAIN, _DEFER)
        return value


_WATCHED_TYPES = frozenset(MUTABLE_TYPES)
#: Names that have a _FastRead on AtomxModel; bounded, should the API vary names.
_FAST_READS: set[str] = set()
_MAX_FAST_READS = 2048


def _install_fast_read(name: str) -> None:
    if (name in _FAST_READS or name in _OWN_NAMES or len(_FAST_READS) >= _MAX_FAST_READS
            or not name.isidentifier()):
        return
    _FAST_READS.add(name)
    kind = _KINDS.get(name) or _kind(name)
    setattr(AtomxModel, name, _PlainRead(name, kind) if kind is _PLAIN else _FastRead(name, kind))


def _kind(name: str) -> Any:
    """Classify an attribute name once: a timestamp, a related model class, or plain."""
    kind: Any = _DATE if is_date_name(name) else (model_class(name) or _PLAIN)
    _KINDS[name] = kind
    return kind


def _same(before: Any, after: Any) -> bool:
    """Equal values of one type (``1`` and ``True`` differ; uncomparable ones differ)."""
    if before is after:
        return True
    try:
        return type(before) is type(after) and bool(before == after)
    except Exception:  # values whose == raises or is ambiguous count as changed
        return False


def _id_of(model: AtomxModel) -> Any:
    """A related model as a request body sends it: its id."""
    if model.id is None:
        raise ValueError(f'{model._label()} has no id to send; create() it first')
    return model.id


def _json_of(model: AtomxModel) -> dict[str, Any]:
    return model.json


def checked_id(value: Any) -> Optional[int]:
    """A model id by the one rule of ids: a whole number of at least 1, or ``None``.

    The API's ids are ints; a str of digits (``'42'``, as read from a file or a
    command line) is taken as its int, so that ``Profile('42') == Profile(42)``.

    :param value: the id given to a model's constructor or set as ``model.id``.
    :returns: the id as an int, or ``None`` (a model not yet created).
    :raises TypeError: a value that is neither an int nor a str (``1.5``, ``True``).
    :raises ValueError: a str that is not digits (``'abc'``), or a number below 1.
    """
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        raise ValueError(f'a model id is a whole number such as 42 (or its digits "42"), '
                         f'not {value!r}')
    else:
        raise TypeError(f'a model id must be an int such as 42 (or its digits "42") or None, '
                        f'not {type(value).__name__} ({value!r})')
    if number < 1:
        raise ValueError(f'a model id is a whole number of at least 1, not {value!r}')
    return number


def _with_parsed_date(entry: Any) -> Any:
    if isinstance(entry, dict) and isinstance(entry.get('date'), str):
        parsed = parse_date(entry['date'])
        if parsed is not None:
            return {**entry, 'date': parsed}
    return entry


def _make_model_class(name: str) -> type[AtomxModel]:
    """The model class ``name``: its resource path and its docstring, nothing else."""
    namespace = {
        '__slots__': (), '__module__': __name__, '__qualname__': name,
        '__doc__': model_doc(name), '_resource_name': resource_path(name),
    }
    return type(name, (AtomxModel,), namespace)


#: The generated model classes by class name, in the order of the docs.
MODEL_CLASSES: dict[str, type[AtomxModel]] = {
    name: _make_model_class(name) for name in MODEL_NAMES}
globals().update(MODEL_CLASSES)

if TYPE_CHECKING:  # the generated classes, spelled out for type checkers only
    class AccountManager(AtomxModel): ...
    class Advertiser(AtomxModel): ...
    class App(AtomxModel): ...
    class Appstore(AtomxModel): ...
    class Bidder(AtomxModel): ...
    class Browser(AtomxModel): ...
    class CampaignDebugReason(AtomxModel): ...
    class Campaign(AtomxModel): ...
    class Category(AtomxModel): ...
    class ConnectionType(AtomxModel): ...
    class City(AtomxModel): ...
    class ConversionPixel(AtomxModel): ...
    class Country(AtomxModel): ...
    class Creative(AtomxModel): ...
    class CreativeAttribute(AtomxModel): ...
    class Datacenter(AtomxModel): ...
    class DeviceType(AtomxModel): ...
    class Domain(AtomxModel): ...
    class Dma(AtomxModel): ...
    class Dsp(AtomxModel): ...
    class Fallback(AtomxModel): ...
    class Isp(AtomxModel): ...
    class Languages(AtomxModel): ...
    class Network(AtomxModel): ...
    class OperatingSystem(AtomxModel): ...
    class Placement(AtomxModel): ...
    class PlacementType(AtomxModel): ...
    class PriceModel(AtomxModel): ...
    class Profile(AtomxModel): ...
    class Publisher(AtomxModel): ...
    class Reason(AtomxModel): ...
    class Segment(AtomxModel): ...
    class SellerProfile(AtomxModel): ...
    class Site(AtomxModel): ...
    class Size(AtomxModel): ...
    class Ssp(AtomxModel): ...
    class SspResultType(AtomxModel): ...
    class SspSuspicious(AtomxModel): ...
    class Timezone(AtomxModel): ...
    class User(AtomxModel): ...
    class Visibility(AtomxModel): ...
    class Zipcode(AtomxModel): ...


def model_class(resource: str) -> Optional[type[AtomxModel]]:
    """The model class for an API resource or attribute name.

    :param resource: a resource or attribute name in any spelling the API uses
        (see :func:`atomx.names.model_name`).
    :returns: the class, or ``None`` when no model has that name.

    >>> model_class('conversion-pixels').__name__
    'ConversionPixel'
    """
    name = model_name(resource)
    return MODEL_CLASSES[name] if name else None


def from_payload(resource: str, payload: Any, session: Any) -> Any:
    """Turn an answer's payload into models bound to ``session``.

    The models own the payload's dicts: they are not copied.

    :param resource: the name the payload came under (the envelope's ``resource``).
    :param payload: the decoded payload.
    :param session: the :class:`atomx.Atomx` session the models are bound to.
    :returns: a :class:`~atomx.model_list.ModelList` (a list) of models for a list
        of objects of a known model, one model
        for one object; for ``reporting``, ``{'reports': [Report…], 'scheduled':
        [ScheduledReport…]}``; for ``report``, a :class:`Report` (a
        :class:`ScheduledReport` when it says ``is_scheduled_report``); anything else (numbers,
        ``quickstats``, unknown resources) as it is.
    :raises ~atomx.exceptions.APIError: a report of the wrong shape (its
        ``columns`` or ``data`` are not lists).
    """
    if resource == 'reporting' and isinstance(payload, dict):
        return {key: [_report(item, session) for item in _list(payload.get(key))
                      if isinstance(item, dict)]
                for key in ('reports', 'scheduled')}
    if resource == 'report' and isinstance(payload, dict):
        return _report(payload, session)
    cls = model_class(resource) if isinstance(resource, str) else None
    if cls is None:
        return payload
    if isinstance(payload, dict):
        return _bind(cls, payload, session)
    if isinstance(payload, list):
        bound = _bind_all(cls, payload, session)
        if bound is not None:
            return ModelList(bound)
    return payload


def _bind_all(cls: type[Self], items: list[Any], session: Any) -> Optional[list[Self]]:
    """Models of ``cls`` for a list of dicts (one pass); ``None`` if an item is no dict."""
    bound: list[Self] = []
    add = bound.append
    for item in items:
        if type(item) is not dict:
            return None
        add(_bind(cls, item, session))
    return bound


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _report(data: dict[str, Any], session: Any) -> Report:
    """A :class:`Report` (a :class:`ScheduledReport` when it says so) from the API's dict
    (``from`` is a keyword: ``from_``)."""
    return report_from_answer(data, session, 'the report answer')


__all__ = ['AtomxModel', 'MODEL_CLASSES', 'ModelList', 'Report', 'ScheduledReport',
           'checked_id', 'from_payload', 'model_class', *MODEL_NAMES]
