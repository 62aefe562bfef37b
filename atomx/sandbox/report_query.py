"""The reading of a report query: columns, ``where``, the period, ``sort`` and paging.

:func:`parse_report_query` reads the POSTed JSON body plus ``sort``, ``limit`` and
``offset`` from the URL, checks every part of it and raises
:class:`ReportQueryError` with a message that says what is allowed.

Choices where the documents are silent:

* A UTC hour belongs to the local bucket (and to the ``from``/``to`` period)
  that holds its first instant, so a report in ``Asia/Tokyo`` groups the same
  hours 9 hours later than one in ``UTC``.  Group values are strings:
  ``hour`` ``'%Y-%m-%d %H:00:00'``, ``day`` ``'%Y-%m-%d'``, ``week`` the
  Monday and ``month`` the first day, both ``'%Y-%m-%d'``.  Id groups are ints.
* ``from``/``to`` are truncated to the hour; ``from`` is inclusive, ``to``
  exclusive.  Dateranges are calendar periods in the report's timezone:
  ``lastNdays`` are the N whole days before today, ``today``, ``monthtodate``,
  ``yeartodate`` and ``lifetime`` end at the end of today (hours not over yet
  carry no data).  A scheduled report (``when`` + ``interval``) covers the
  ``N days`` or ``N months`` that end at today's midnight.
* ``scope`` must be one of :data:`atomx.protocol.SCOPES` but does not change the
  numbers.  A report needs groups or metrics (or both).
"""
from __future__ import annotations

import operator
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..protocol import (
    COUNT_PATTERN,
    DATERANGES,
    HOUR_FORMAT,
    INTERVAL_PATTERN,
    LIST_OPERATORS,
    MAX_COUNT_DIGITS,
    SCHEDULES,
    SCOPES,
    TIME_GROUPS,
    WHERE_OPERATORS,
)
from .delivery import EPOCH, ID_GROUPS, METRICS, data_hours

__all__ = ['GROUPS', 'MAX_COUNT_DIGITS', 'QUERY_KEYS', 'TIME_GROUPS', 'Condition', 'Period',
           'ReportQuery', 'ReportQueryError', 'parse_count', 'parse_emails',
           'parse_report_query', 'time_bucket', 'utc_hour']

GROUPS = TIME_GROUPS + ID_GROUPS
#: Every key a report query may hold.
QUERY_KEYS = ('scope', 'groups', 'metrics', 'where', 'from', 'to', 'daterange', 'timezone',
              'when', 'interval', 'emails', 'name', 'save', 'editable', 'sort', 'limit',
              'offset')
#: The years a date may name (far enough from datetime's limits to shift timezones).
_YEARS = (1900, 2999)
#: An integer as the URL or a loose client may spell it (ASCII digits, not too many).
_INTEGER = re.compile(r'-?[0-9]{1,18}')


class ReportQueryError(ValueError):
    """A report query the API would refuse; the message says what is allowed."""


def _choices(allowed: Sequence[str]) -> str:
    return ', '.join(allowed)


# --------------------------------------------------------------------------- time

def time_bucket(column: str, local: datetime) -> str:
    """The value of time group ``column`` for a local datetime."""
    if column == 'hour':
        return local.strftime(HOUR_FORMAT)
    day = local.date()
    if column == 'week':
        day -= timedelta(days=day.weekday())
    elif column == 'month':
        day = day.replace(day=1)
    return day.isoformat()


def _parse_time(value: Any, field: str, tz: ZoneInfo) -> datetime:
    """A ``from``/``to`` value as a naive local datetime truncated to the hour."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(('Z', 'z')):
            text = text[:-1] + '+00:00'
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ReportQueryError(
                f"{field}: {value!r} is not a date; expected '%Y-%m-%d %H:00:00', "
                "an ISO datetime such as '2026-11-23T09:00:00' or a date '2026-11-23'"
            ) from None
    else:
        raise ReportQueryError(
            f"{field}: expected a date string such as '2026-11-23 09:00:00', "
            f'got {type(value).__name__}')
    if not _YEARS[0] <= parsed.year <= _YEARS[1]:
        raise ReportQueryError(
            f'{field}: {value!r} is out of range; years {_YEARS[0]} to {_YEARS[1]} are allowed')
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(tz).replace(tzinfo=None)
    return parsed.replace(minute=0, second=0, microsecond=0)


def utc_hour(local: datetime, tz: ZoneInfo) -> int:
    """Index of the first UTC hour that starts at or after a naive local time."""
    seconds = int((local.replace(tzinfo=tz) - EPOCH).total_seconds())
    return -(-seconds // 3600)


def _months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier, clamped to the month's end."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for clamped in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, clamped)
        except ValueError:
            continue
    raise AssertionError('unreachable: every month has 28 days')


def _daterange_days(name: str, today: date, first_data_day: date) -> Tuple[date, date]:
    """Local calendar days ``[first, end)`` of a named daterange."""
    tomorrow = today + timedelta(days=1)
    if name == 'today':
        return today, tomorrow
    if name == 'yesterday':
        return today - timedelta(days=1), today
    if name.startswith('last') and name.endswith('days'):
        return today - timedelta(days=int(name[4:-4])), today
    if name == 'monthtodate':
        return today.replace(day=1), tomorrow
    if name == 'lastmonth':
        this_month = today.replace(day=1)
        return _months_before(this_month, 1), this_month
    if name == 'yeartodate':
        return today.replace(month=1, day=1), tomorrow
    return first_data_day, tomorrow  # lifetime


def _interval_days(interval: Any, today: date) -> Tuple[date, date]:
    """Local days ``[first, today)`` of a scheduled report's ``'N days'``/``'N months'``."""
    match = INTERVAL_PATTERN.fullmatch(interval) if isinstance(interval, str) else None
    if match is None:
        raise ReportQueryError(
            f"interval: {interval!r} is not a period; expected 'N days' or 'N months' "
            'with N >= 1, such as \'7 days\' or \'1 month\'')
    count = int(match.group(1))
    if match.group(2) == 'day':
        return today - timedelta(days=count), today
    return _months_before(today, count), today


class Period(NamedTuple):
    """A report's period as naive local datetimes ``[start, end)``."""

    start: datetime
    end: datetime


def _resolve_period(query: Mapping[str, Any], tz: ZoneInfo, now: datetime) -> Period:
    """The period of exactly one of: ``from``/``to``, ``daterange``, ``when`` + ``interval``."""
    now_local = now.replace(tzinfo=timezone.utc).astimezone(tz).replace(tzinfo=None)
    today = now_local.date()
    given = [key for key in ('from', 'to', 'daterange', 'when', 'interval')
             if query.get(key) is not None]
    ways = {'from/to' if key in ('from', 'to') else
            'when/interval' if key in ('when', 'interval') else key for key in given}
    if len(ways) > 1:
        raise ReportQueryError(
            f"give the period one way only, not {' and '.join(sorted(ways))}: "
            "either 'from'/'to', or 'daterange', or 'when' with 'interval'")
    if 'daterange' in ways:
        name = query['daterange']
        if name not in DATERANGES:
            raise ReportQueryError(
                f'daterange: unknown {name!r}; allowed: {_choices(DATERANGES)}')
        first_data = EPOCH + timedelta(hours=data_hours(now)[0])
        first_day = first_data.astimezone(tz).date()
        first, end = _daterange_days(name, today, first_day)
        return Period(datetime.combine(first, datetime.min.time()),
                       datetime.combine(end, datetime.min.time()))
    if 'when/interval' in ways:
        when = query.get('when')
        if not isinstance(when, str) or when.lower() not in SCHEDULES:
            raise ReportQueryError(
                f'when: expected one of {_choices(SCHEDULES)} for a scheduled report, got {when!r}')
        first, end = _interval_days(query.get('interval'), today)
        return Period(datetime.combine(first, datetime.min.time()),
                       datetime.combine(end, datetime.min.time()))
    current_hour = now_local.replace(minute=0, second=0, microsecond=0)
    start = (_parse_time(query['from'], 'from', tz) if query.get('from') is not None
             else current_hour - timedelta(days=7))
    end = _parse_time(query['to'], 'to', tz) if query.get('to') is not None else current_hour
    if start >= end:
        raise ReportQueryError(
            f'from ({start:{HOUR_FORMAT}}) must be before to ({end:{HOUR_FORMAT}}); '
            'both are truncated to the hour and to is exclusive')
    return Period(start, end)


# --------------------------------------------------------------------------- query parsing

_COMPARISONS: Dict[str, Callable[[Any, Any], bool]] = {
    '==': operator.eq, '!=': operator.ne, '<': operator.lt, '>': operator.gt,
    'in': lambda value, allowed: value in allowed,
    'not in': lambda value, allowed: value not in allowed,
}


class Condition(NamedTuple):
    """One ``where`` item, its value already in the column's own type."""

    column: str
    op: str
    value: Any

    def test(self, value: Any) -> bool:
        return _COMPARISONS[self.op](value, self.value)

    def as_json(self) -> List[Any]:
        value = sorted(self.value) if isinstance(self.value, frozenset) else self.value
        return [self.column, self.op, value]


def _where_operand(column: str, raw: Any, where: str, tz: ZoneInfo) -> Any:
    """One operand of a ``where`` item in its column's type."""
    if column in TIME_GROUPS:
        return time_bucket(column, _parse_time(raw, where, tz))
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ReportQueryError(f'{where}: expected a number for {column}, got {raw!r}')
    if column in ID_GROUPS:
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
            return int(raw)
        if not isinstance(raw, int):
            raise ReportQueryError(f'{where}: {column} is an integer id, got {raw!r}')
        return raw
    if isinstance(raw, str):
        try:
            return float(raw)
        except ValueError:
            raise ReportQueryError(
                f'{where}: expected a number for {column}, got {raw!r}') from None
    return raw


def _parse_condition(index: int, item: Any, tz: ZoneInfo) -> Condition:
    where = f'where[{index}]'
    if not isinstance(item, (list, tuple)) or len(item) != 3:
        raise ReportQueryError(
            f'{where}: expected a list [column, op, value], got {item!r}')
    column, op, raw = item
    if column not in GROUPS and column not in METRICS:
        raise ReportQueryError(
            f'{where}: unknown column {column!r}; allowed: {_choices(GROUPS + METRICS)}')
    if op not in WHERE_OPERATORS:
        raise ReportQueryError(
            f'{where}: unknown operator {op!r}; allowed: {_choices(WHERE_OPERATORS)}')
    if op in LIST_OPERATORS:
        if not isinstance(raw, (list, tuple)):
            raise ReportQueryError(f"{where}: '{op}' takes a list of values, got {raw!r}")
        return Condition(column, op, frozenset(
            _where_operand(column, one, where, tz) for one in raw))
    return Condition(column, op, _where_operand(column, raw, where, tz))


def _column_list(query: Mapping[str, Any], key: str, allowed: Sequence[str]) -> List[str]:
    """``groups`` or ``metrics``: a list (or comma-joined string) of known, distinct names."""
    raw = query.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(',') if part.strip()]
    if not isinstance(raw, (list, tuple)):
        raise ReportQueryError(f'{key}: expected a list of names, got {raw!r}')
    names: List[str] = []
    for name in raw:
        if name not in allowed:
            raise ReportQueryError(f'{key}: unknown {name!r}; allowed: {_choices(allowed)}')
        if name in names:
            raise ReportQueryError(f'{key}: {name!r} is given twice')
        names.append(name)
    return names


def _parse_sort(raw: Any, columns: Sequence[str]) -> List[Tuple[str, bool]]:
    """``'impressions.desc,hour'`` -> ``[('impressions', True), ('hour', False)]``."""
    if raw is None:
        return []
    parts = raw.split(',') if isinstance(raw, str) else raw
    if not isinstance(parts, (list, tuple)):
        raise ReportQueryError(f"sort: expected 'column[.asc|.desc],...', got {raw!r}")
    keys: List[Tuple[str, bool]] = []
    for part in parts:
        if not isinstance(part, str):
            raise ReportQueryError(f"sort: expected 'column[.asc|.desc]', got {part!r}")
        text = part.strip()
        if not text:
            continue
        column, _, direction = text.rpartition('.')
        if not column or direction.lower() not in ('asc', 'desc'):
            column, direction = text, 'asc'
        if column not in columns:
            raise ReportQueryError(
                f'sort: {column!r} is not a column of this report; allowed: '
                f"{_choices(columns)}, each with an optional '.asc' or '.desc'")
        keys.append((column, direction.lower() == 'desc'))
    return keys


def parse_count(key: str, raw: Any, least: int = 0) -> Optional[int]:
    """A ``limit`` or ``offset`` of a report (``POST report``, ``GET report/{id}``).

    :param key: its name, for the message.
    :param raw: an int, or the URL's ASCII digits (no sign, no spaces, at most
        :data:`MAX_COUNT_DIGITS`); ``None`` or ``''`` when absent.
    :param least: the smallest number allowed: each endpoint says its own.
    :returns: the number, or ``None`` when absent.
    :raises ReportQueryError: anything else, saying what is allowed.
    """
    if raw is None or raw == '':
        return None
    text = str(raw) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else ''
    if not COUNT_PATTERN.fullmatch(text) or int(text) < least:
        raise ReportQueryError(f'{key}: expected a whole number >= {least}, got {raw!r}')
    return int(text)


def _parse_flag(query: Mapping[str, Any], key: str, default: bool) -> bool:
    raw = query.get(key)
    if raw is None:
        return default
    if not isinstance(raw, bool):
        raise ReportQueryError(f'{key}: expected true or false, got {raw!r}')
    return raw


def parse_emails(raw: Any) -> List[str]:
    """``emails`` as a list: one address or a list of them (``None``: none)."""
    emails = [raw] if isinstance(raw, str) else [] if raw is None else raw
    if not isinstance(emails, (list, tuple)) or not all(
            isinstance(email, str) and '@' in email for email in emails):
        raise ReportQueryError(f'emails: expected an address or a list of addresses, got {raw!r}')
    return list(emails)


def _parse_timezone(raw: Any) -> ZoneInfo:
    if raw is None:
        return ZoneInfo('UTC')
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise ReportQueryError(
            f"timezone: unknown {raw!r}; expected an IANA name such as 'UTC', "
            "'Europe/Vienna' or 'America/Los_Angeles'") from None


class ReportQuery(NamedTuple):
    """A validated report query."""

    scope: str
    groups: List[str]
    metrics: List[str]
    where: List[Condition]
    tz: ZoneInfo
    period: Period
    sort: List[Tuple[str, bool]]
    limit: Optional[int]
    offset: int
    echo: Dict[str, Any]  # the normalised query, as the answer repeats it


def parse_report_query(query: Mapping[str, Any], now: datetime) -> ReportQuery:
    if not isinstance(query, Mapping):
        raise ReportQueryError(f'a report query is a JSON object, got {type(query).__name__}')
    unknown = sorted(set(query) - set(QUERY_KEYS))
    if unknown:
        raise ReportQueryError(
            f"unknown report parameter {', '.join(map(repr, unknown))}; "
            f'allowed: {_choices(QUERY_KEYS)}')
    scope = query.get('scope')
    if scope not in SCOPES:
        raise ReportQueryError(f'scope: expected one of {_choices(SCOPES)}, got {scope!r}')
    groups = _column_list(query, 'groups', GROUPS)
    metrics = _column_list(query, 'metrics', METRICS)
    if not groups and not metrics:
        raise ReportQueryError(
            f'a report needs groups or metrics (or both); groups: {_choices(GROUPS)}; '
            f'metrics: {_choices(METRICS)}')
    tz = _parse_timezone(query.get('timezone'))
    raw_where = query.get('where') or []
    if not isinstance(raw_where, (list, tuple)):
        raise ReportQueryError(f'where: expected a list of [column, op, value], got {raw_where!r}')
    where = [_parse_condition(index, item, tz) for index, item in enumerate(raw_where)]
    period = _resolve_period(query, tz, now)
    sort = _parse_sort(query.get('sort'), groups + metrics)
    limit = parse_count('limit', query.get('limit'))
    offset = parse_count('offset', query.get('offset')) or 0
    echo = {
        'scope': scope, 'groups': groups, 'metrics': metrics,
        'where': [condition.as_json() for condition in where],
        'from': period.start.strftime(HOUR_FORMAT), 'to': period.end.strftime(HOUR_FORMAT),
        'daterange': query.get('daterange'), 'timezone': tz.key,
        'when': query['when'].lower() if query.get('when') else None,
        'interval': query.get('interval'),
        'emails': parse_emails(query.get('emails')), 'name': query.get('name'),
        'save': _parse_flag(query, 'save', True), 'editable': _parse_flag(query, 'editable', False),
        'sort': [f"{column}.{'desc' if descending else 'asc'}" for column, descending in sort],
        'limit': limit, 'offset': offset,
    }
    if echo['name'] is not None and not isinstance(echo['name'], str):
        raise ReportQueryError(f"name: expected a string, got {echo['name']!r}")
    return ReportQuery(scope, groups, metrics, where, tz, period, sort, limit, offset, echo)
