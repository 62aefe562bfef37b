"""The URL parameters of a read, parsed and checked: paging, sorting, shape and filters.

The semantics follow the endpoints document: ``limit`` (default 100, at most 1000; a
larger value is lowered to 1000), ``offset``, ``sort`` (``attr``, ``attr.asc``,
``attr.desc``, sub-attributes ``category.name.asc``; a bare attribute sorts in
descending order as the document says, the default is ``id.asc``; several keys may
be comma-separated), ``order_by`` (another name for ``sort``), ``depth`` 0/1/2,
``attributes`` (``!`` excludes), ``expand``, ``quickstats`` (present or not) and
every other parameter as an attribute filter (``!attr`` negates; the value is a
comma list of alternatives, each may hold ``*`` wildcards).

Everything here is pure: the caller passes the attribute names a model has and
gets a :class:`ListQuery`, or a :class:`~atomx.sandbox.answers.ApiError` (400) that
says which parameter was wrong and what is allowed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Iterable, List, Optional, Sequence, Tuple

from ..protocol import DEPTHS, MAX_PAGE_SIZE
from .answers import bad_request
from .report_query import parse_count

DEFAULT_LIMIT = 100
PARAMETERS = ('limit', 'offset', 'sort', 'order_by', 'depth', 'attributes', 'expand',
              'quickstats')


@dataclass(frozen=True)
class SortKey:
    """One sort criterion: an attribute path and a direction."""

    path: Tuple[str, ...]
    descending: bool = False

    def __str__(self) -> str:
        return '.'.join(self.path) + ('.desc' if self.descending else '.asc')


@dataclass(frozen=True)
class Filter:
    """``attribute=pattern,pattern`` (or ``!attribute=...``): keep records that match any."""

    attribute: str
    patterns: Tuple[str, ...]
    negate: bool = False

    def __str__(self) -> str:
        return f"{'!' if self.negate else ''}{self.attribute}={','.join(self.patterns)}"

    def matches(self, value: Any) -> bool:
        """Whether ``value`` (a scalar or a list of them) passes this filter."""
        values = value if isinstance(value, (list, tuple)) else [value]
        hit = any(_matches(pattern, item) for pattern in self.patterns for item in values)
        return hit != self.negate


@dataclass(frozen=True)
class ListQuery:
    """Every URL parameter of a read, with the documented defaults."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    sort: Tuple[SortKey, ...] = (SortKey(('id',)),)
    depth: int = 1
    include: Optional[frozenset] = None
    exclude: frozenset = frozenset()
    expand: frozenset = frozenset()
    quickstats: bool = False
    filters: Tuple[Filter, ...] = field(default_factory=tuple)

    @property
    def sort_text(self) -> str:
        """The sort as the envelope reports it, e.g. ``id.asc``."""
        return ','.join(str(key) for key in self.sort)

    def shows(self, attribute: str) -> bool:
        """Whether ``attributes=`` lets ``attribute`` into the answer (``id`` always is)."""
        if attribute == 'id':
            return True
        if self.include is not None and attribute not in self.include:
            return False
        return attribute not in self.exclude


def parse_query(args: Iterable[Tuple[str, str]], attributes: Collection[str],
                relationships: Collection[str], subject: str) -> ListQuery:
    """Parse the URL parameters ``args`` for a model whose attributes are ``attributes``.

    ``relationships`` are the attributes ``expand`` accepts; ``subject`` names the
    model in error messages.
    """
    values: dict = {}
    filters: List[Filter] = []
    for name, value in args:
        key = 'sort' if name == 'order_by' else name
        if key in PARAMETERS:
            if key in values:
                raise bad_request(f'URL parameter {name!r} is given more than once')
            values[key] = value
            continue
        negate = name.startswith('!')
        attribute = name[1:] if negate else name
        if attribute not in attributes:
            raise bad_request(
                f'unknown URL parameter {name!r}: it is neither one of '
                f'{", ".join(PARAMETERS)} nor an attribute of {subject} '
                f'({", ".join(sorted(attributes))})')
        filters.append(Filter(attribute, tuple(value.split(',')), negate))
    include, exclude = _parse_attributes(values.get('attributes'), attributes, subject)
    return ListQuery(
        limit=min(url_count('limit', values.get('limit'), DEFAULT_LIMIT), MAX_PAGE_SIZE),
        offset=url_count('offset', values.get('offset'), 0),
        sort=_parse_sort(values.get('sort'), attributes, subject),
        depth=_parse_depth(values.get('depth')),
        include=include, exclude=exclude,
        expand=_parse_expand(values.get('expand'), relationships, subject),
        quickstats='quickstats' in values,
        filters=tuple(filters),
    )


def is_whole_number(text: str) -> bool:
    """Whether ``text`` is ASCII digits only (``str.isdigit`` also takes ``'²'``,
    which ``int()`` refuses).

    :param text: the text to check.
    :returns: ``True`` for ``'0'``, ``'42'``; ``False`` for ``''``, ``'+1'``, ``'²'``.
    """
    return text.isascii() and text.isdigit()


def url_count(name: str, text: Optional[str], default: int) -> int:
    """A ``limit`` or ``offset`` URL parameter of a list or a history, read as a report
    page's (:func:`~atomx.sandbox.report_query.parse_count`): the same number, the same rule.

    :param name: the parameter's name, for the message.
    :param text: its value in the URL; ``None`` or ``''`` when absent.
    :param default: the number when absent.
    :returns: the number (0 or more).
    :raises ~atomx.sandbox.answers.ApiError: 400 for anything but ASCII digits (at most
        18), saying what is allowed.
    """
    try:
        number = parse_count(name, text)
    except ValueError as exc:
        raise bad_request(str(exc)) from None
    return default if number is None else number


def _parse_depth(text: Optional[str]) -> int:
    if text is None or text == '':
        return 1
    if text not in DEPTHS:
        raise bad_request(f'URL parameter depth must be 0, 1 or 2, got {text!r}')
    return int(text)


def _parse_sort(text: Optional[str], attributes: Collection[str],
                subject: str) -> Tuple[SortKey, ...]:
    if not text:
        return (SortKey(('id',)),)
    keys = []
    for item in text.split(','):
        parts = tuple(part for part in item.strip().split('.'))
        descending = True  # the document: "attribute to sort by in descending order"
        if parts and parts[-1] in ('asc', 'desc'):
            descending = parts[-1] == 'desc'
            parts = parts[:-1]
        if not parts or '' in parts:
            raise bad_request(f'sort {item!r} names no attribute; use e.g. id.asc or name.desc')
        if parts[0] not in attributes:
            raise bad_request(f'cannot sort by {item!r}: {subject} has no attribute '
                              f'{parts[0]!r} ({", ".join(sorted(attributes))})')
        keys.append(SortKey(parts, descending))
    return tuple(keys)


def _split_names(text: Optional[str]) -> List[str]:
    return [name.strip() for name in (text or '').split(',') if name.strip()]


def _parse_attributes(text: Optional[str], attributes: Collection[str],
                      subject: str) -> Tuple[Optional[frozenset], frozenset]:
    include: set = set()
    exclude: set = set()
    for name in _split_names(text):
        target = exclude if name.startswith('!') else include
        bare = name.lstrip('!')
        if bare not in attributes:
            raise bad_request(f'attributes: {subject} has no attribute {bare!r} '
                              f'({", ".join(sorted(attributes))})')
        target.add(bare)
    return (frozenset(include) if include else None), frozenset(exclude)


def _parse_expand(text: Optional[str], relationships: Collection[str], subject: str) -> frozenset:
    names = _split_names(text)
    for name in names:
        if name not in relationships:
            allowed = ', '.join(sorted(relationships)) or 'none'
            raise bad_request(f'expand: {name!r} is not a relationship of {subject} '
                              f'(relationships: {allowed})')
    return frozenset(names)


def _matches(pattern: str, value: Any) -> bool:
    """One filter alternative against one value: wildcards for text, numbers by value."""
    if value is None:
        return pattern.lower() in ('null', 'none', '')
    if isinstance(value, bool):
        return pattern.lower() == str(value).lower()
    if isinstance(value, (int, float)) and '*' not in pattern:
        try:
            return float(pattern) == float(value)
        except ValueError:
            return False
    regex = '.*'.join(re.escape(part) for part in pattern.split('*'))
    return re.fullmatch(regex, str(value), re.IGNORECASE | re.DOTALL) is not None


def sort_key_value(value: Any) -> Tuple[int, Any]:
    """A value made comparable with any other: numbers, then text, then the rest."""
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, str):
        return (1, value.lower())
    if isinstance(value, (list, tuple)):
        return (0, len(value))
    return (2, str(value))


def sort_records(records: Sequence[Any], keys: Sequence[SortKey],
                 value_of: Callable[[Any, Tuple[str, ...]], Any]) -> List[Any]:
    """Sort ``records`` by ``keys``; ``value_of(record, path)`` reads one sort value.

    Missing values (``None``) go last in either direction.
    """
    result = list(records)
    for key in reversed(keys):  # stable sorts, least significant key first
        def present(record: Any, key: SortKey = key) -> Tuple[bool, Tuple[int, Any]]:
            value = value_of(record, key.path)
            missing = value is None
            return (missing != key.descending, sort_key_value(0 if missing else value))
        result.sort(key=present, reverse=key.descending)
    return result


def paginate(records: Sequence[Any], query: ListQuery) -> List[Any]:
    """The page ``offset``/``limit`` selects."""
    return list(records[query.offset:query.offset + query.limit])
