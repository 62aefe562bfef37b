"""What a model attribute's value means, and how it goes back on the wire.

:mod:`atomx.models` keeps the API's JSON values as they came and converts them
only when they are read.  This module holds the value rules it needs, kept apart
from the model classes so each can be read (and tested) on its own:

- :func:`is_date_name` / :func:`parse_date`: names ending in ``_at`` or ``date``
  hold ISO 8601 timestamps, read back as :class:`datetime.datetime`.
- :func:`snapshot`: a copy of a list/dict/set value handed out to the caller, so an
  in-place change (``profile.domains.append(7)``) can be seen at save time.
- :func:`to_json`: a Python value as JSON-ready data (datetimes as ISO 8601,
  :class:`~decimal.Decimal` as float, sets as lists, models as ids or dicts).
"""
from __future__ import annotations

import datetime
import decimal
from typing import Any, Callable, Optional

from dateutil.parser import isoparse

#: The containers whose in-place changes a model must detect.
MUTABLE_TYPES = (list, dict, set)
#: Attributes whose values are secrets (a password change's): never shown in a repr.
SECRET_NAMES = frozenset({'password', 'old_password'})


def shown_value(name: str, value: Any, show: Callable[[Any], str]) -> str:
    """How a repr shows an attribute's value: ``show(value)``, or ``***`` for a secret.

    :param name: the attribute's name.
    :param value: its value.
    :param show: the function that writes a value (a :class:`reprlib.Repr`'s ``repr``).
    :returns: the text to show.
    """
    return '***' if name in SECRET_NAMES else show(value)


def is_date_name(name: str) -> bool:
    """Whether an attribute name holds timestamps.

    :param name: an attribute name.
    :returns: ``True`` for names ending in ``_at`` or ``date`` (``created_at``,
        ``start_date``, ``date``).
    """
    return name.endswith(('_at', 'date'))


def parse_date(text: str) -> Optional[datetime.datetime]:
    """Parse an ISO 8601 timestamp (fractions and offsets kept).

    :param text: the attribute's text.
    :returns: the datetime, or ``None`` when the text is no timestamp.

    ``None`` means the text is no timestamp; the caller then keeps the text, so an
    attribute that merely has a date-like name is never lost.  The standard
    library's parser is tried first (about 100 times faster); python-dateutil's
    takes what it refuses on older Pythons (``Z``, short fractions).
    """
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return isoparse(text)
    except (ValueError, OverflowError):
        return None


def snapshot(value: Any) -> Any:
    """A copy of the containers in a value (lists, dicts, sets, at any depth).

    :param value: an attribute's value.
    :returns: the copy (a value that is no container is returned itself).

    Models and scalars inside are shared, not copied: a model compares by class and
    id, so sharing it is enough to see a list of models change.
    """
    kind = type(value)
    if kind is list:
        return [snapshot(item) for item in value]
    if kind is dict:
        return {key: snapshot(item) for key, item in value.items()}
    if kind is set:
        return {snapshot(item) for item in value}
    return value


def to_json(value: Any, model: Callable[[Any], Any]) -> Any:
    """A value as data that :func:`json.dumps` accepts.

    datetime/date/time -> ISO 8601 text, Decimal -> float, set/tuple -> list (a
    set sorted when it can be), dict/list -> converted item by item, anything with
    a ``_resource_name`` (a model) -> ``model(value)``; other values as they are.

    :param value: an attribute's value.
    :param model: what a model becomes: its id for a request body, its
        attributes for ``json``.
    :returns: the converted value.
    """
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: to_json(item, model) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return _sorted_if_possible([to_json(item, model) for item in value])
    if isinstance(value, (list, tuple)):
        return [to_json(item, model) for item in value]
    if hasattr(type(value), '_resource_name'):
        return model(value)
    return value


def _sorted_if_possible(items: list[Any]) -> list[Any]:
    """Sets have no order; sort them so the same set always gives the same body."""
    try:
        return sorted(items)
    except TypeError:
        return items


__all__ = ['MUTABLE_TYPES', 'SECRET_NAMES', 'is_date_name', 'parse_date', 'shown_value',
           'snapshot', 'to_json']
