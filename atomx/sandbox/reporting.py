"""The report engine of the local API sandbox: ``POST /report`` answers.

:func:`run_report` reads a report query (the POSTed JSON body plus ``sort``,
``limit`` and ``offset`` from the URL), validates every part of it, and
computes the rows from synthetic delivery data.  It is a second, independent
reading of the API documents and imports nothing of the SDK.

Choices where the documents are silent:

* Delivery data exist for every line and every complete UTC hour of the 365
  days before ``now``.  A cell's numbers come from an integer hash of the
  line's ids and the hour, so they are the same in every process; a diurnal
  curve, a weekday effect and a per-line volume give them a realistic shape.
  Counts are ints, ``conversions <= clicks <= impressions``; money is in
  dollars with 4 decimals and ``revenue >= cost``.
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
* ``where`` on a group column filters the delivery data before grouping (a
  time value names the bucket holding it: ``['week', '==', '2026-11-04']``
  is the week of Monday 2 November); ``where`` on a metric filters the grouped
  rows, like SQL's HAVING, and ``totals`` count only the rows that pass.
* Ratio metrics (``ctr``, ``cvr``, ``ecpm``) are computed from the sums of a
  row, and their total from the summed totals; they are 0 when the
  denominator is.
* ``scope`` must be one of :data:`SCOPES` but does not change the numbers;
  the caller passes only the lines the user may see.  A report needs groups
  or metrics (or both); without metrics its rows list the groups' values.
  Rows are sorted by the groups unless ``sort`` says otherwise (ties keep
  that order); ``totals`` ignore ``limit`` and ``offset``.
"""
from __future__ import annotations

import operator
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    'DATA_DAYS', 'DATERANGES', 'GROUPS', 'ID_GROUPS', 'METRICS', 'OPERATORS', 'QUERY_KEYS',
    'ReportQueryError', 'SCOPES', 'TIME_GROUPS', 'WHEN', 'run_report',
]

SCOPES = ('advertiser', 'publisher', 'inventory', 'dsp', 'network_managed', 'network_buy',
          'network_sell')
DATERANGES = ('today', 'yesterday', 'last7days', 'last14days', 'last30days', 'monthtodate',
              'lastmonth', 'yeartodate', 'lifetime')
TIME_GROUPS = ('hour', 'day', 'week', 'month')
#: The ids every delivery line carries; each is also a group.
ID_GROUPS = ('network_id', 'advertiser_id', 'campaign_id', 'creative_id', 'profile_id',
             'publisher_id', 'site_id', 'placement_id', 'country_id', 'size_id')
GROUPS = TIME_GROUPS + ID_GROUPS
_SUMMED_METRICS = ('impressions', 'clicks', 'conversions', 'revenue', 'cost', 'profit')
_RATIO_METRICS = ('ctr', 'cvr', 'ecpm')
METRICS = _SUMMED_METRICS + _RATIO_METRICS
OPERATORS = ('==', '!=', '<', '>', 'in', 'not in')
#: When a scheduled report runs.
WHEN = ('daily', 'monthly', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday',
        'sunday')
#: Every key a report query may hold.
QUERY_KEYS = ('scope', 'groups', 'metrics', 'where', 'from', 'to', 'daterange', 'timezone',
              'when', 'interval', 'emails', 'name', 'save', 'editable', 'sort', 'limit',
              'offset')

#: How many days of delivery data exist before ``now``.
DATA_DAYS = 365
_HOUR_FORMAT = '%Y-%m-%d %H:00:00'
#: The years a date may name (far enough from datetime's limits to shift timezones).
_YEARS = (1900, 2999)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: An integer as the URL or a loose client may spell it (ASCII digits, not too many).
_INTEGER = re.compile(r'-?[0-9]{1,18}')


class ReportQueryError(ValueError):
    """A report query the API would refuse; the message says what is allowed."""


def _choices(allowed: Sequence[str]) -> str:
    return ', '.join(allowed)


# --------------------------------------------------------------------------- synthetic data

_M64 = (1 << 64) - 1
#: Hour 0 of the Unix epoch is a Thursday, 72 hours after Monday 00:00.
_EPOCH_HOUR_OF_WEEK = 72
#: Audience activity over a local day in 1/1024, a cosine from 3 in the morning to 15:00.
#: Integers, not floats, so that no platform's libm can change a number.
_DIURNAL = (237, 164, 118, 102, 118, 164, 237, 333, 444, 563, 682, 794,
            889, 962, 1008, 1024, 1008, 962, 889, 794, 682, 563, 444, 333)
#: Activity per weekday in 1/1024, Monday first: busier midweek, quieter at the weekend.
_WEEKDAY = (1024, 1055, 1065, 1034, 983, 819, 758)
#: Activity per hour of the week (Monday 00:00 first), in 1/1024.
_WEEK_SHAPE = tuple(_DIURNAL[hour % 24] * _WEEKDAY[hour // 24] >> 10 for hour in range(168))


def _mix64(value: int) -> int:
    """The splitmix64 finaliser: a well spread 64-bit hash of an integer."""
    value &= _M64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _M64
    return value ^ (value >> 31)


class _LineProfile(NamedTuple):
    """The constants of one delivery line, derived from its ids alone."""

    seed: int
    volume: Tuple[int, ...]  # impressions per hour of the week, times 1024
    ctr_ppm: int             # clicks per million impressions
    cvr_ppm: int             # conversions per million clicks
    cpm: int                 # cost per thousand impressions, in 1/10000 dollar
    margin: int              # revenue per 1000 of cost


def _line_profile(line: Mapping[str, int]) -> _LineProfile:
    """Volume, rates and prices of a line: the same line always delivers alike."""
    seed = 0x5EED
    for key in ID_GROUPS:
        seed = _mix64(seed ^ line[key])
    rates = _mix64(seed + 1)
    base = 30 + seed % 1200
    # The audience of a country lives some hours east of UTC: shift its curve.
    east = _mix64(line['country_id']) % 24
    shape = _WEEK_SHAPE[east:] + _WEEK_SHAPE[:east]
    return _LineProfile(
        seed=seed,
        volume=tuple(base * weight for weight in shape),
        ctr_ppm=800 + rates % 14000,
        cvr_ppm=5000 + (rates >> 16) % 95000,
        cpm=4000 + (rates >> 36) % 26000,
        margin=1050 + (rates >> 52) % 500,
    )


def _deliver(profile: _LineProfile, spans: Sequence[Tuple[int, int]],
             into: List[List[int]]) -> None:
    """Add one line's delivery over each span ``(first, end)`` of UTC hours to ``into``.

    ``into[i]`` sums ``[impressions, clicks, conversions, cost, revenue]`` of
    span ``i``, money in 1/10000 dollar.  Each hour's numbers depend on the
    line and the hour only, so any grouping of the hours adds up the same.
    """
    seed, volume, ctr, cvr, cpm, margin = profile
    for (first, end), sums in zip(spans, into):
        impressions = clicks = conversions = cost = revenue = 0
        for hour in range(first, end):
            mixed = ((seed ^ hour) * 0x9E3779B97F4A7C15) & _M64
            mixed ^= mixed >> 29
            # volume * noise(0.78 .. 1.28); then the rates, randomly rounded.
            cell_impressions = (volume[(hour + _EPOCH_HOUR_OF_WEEK) % 168]
                                * (800 + (mixed & 511)) >> 20)
            spare = mixed >> 9
            cell_clicks = (cell_impressions * ctr + spare % 1000000) // 1000000
            cell_cost = (cell_impressions * cpm + (spare >> 40) % 1000) // 1000
            impressions += cell_impressions
            clicks += cell_clicks
            conversions += (cell_clicks * cvr + (spare >> 20) % 1000000) // 1000000
            cost += cell_cost
            revenue += cell_cost * margin // 1000
        sums[0] += impressions
        sums[1] += clicks
        sums[2] += conversions
        sums[3] += cost
        sums[4] += revenue


def _data_hours(now: datetime) -> Tuple[int, int]:
    """UTC hours ``[first, end)`` that have delivery data: the complete hours of the last year."""
    end = int((now.replace(tzinfo=timezone.utc) - _EPOCH).total_seconds()) // 3600
    return end - DATA_DAYS * 24, end


def _money(units: int) -> float:
    return round(units / 10000, 4)


def _ratio(numerator: float, denominator: float, digits: int) -> float:
    return round(numerator / denominator, digits) if denominator else 0.0


_METRIC_VALUES: Dict[str, Callable[[Sequence[int]], Any]] = {
    'impressions': lambda sums: sums[0],
    'clicks': lambda sums: sums[1],
    'conversions': lambda sums: sums[2],
    'cost': lambda sums: _money(sums[3]),
    'revenue': lambda sums: _money(sums[4]),
    'profit': lambda sums: _money(sums[4] - sums[3]),
    'ctr': lambda sums: _ratio(sums[1], sums[0], 6),
    'cvr': lambda sums: _ratio(sums[2], sums[1], 6),
    'ecpm': lambda sums: _ratio(sums[4] / 10, sums[0], 4),
}


# --------------------------------------------------------------------------- time

def _time_bucket(column: str, local: datetime) -> str:
    """The value of time group ``column`` for a local datetime."""
    if column == 'hour':
        return local.strftime(_HOUR_FORMAT)
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


def _utc_hour(local: datetime, tz: ZoneInfo) -> int:
    """Index of the first UTC hour that starts at or after a naive local time."""
    seconds = int((local.replace(tzinfo=tz) - _EPOCH).total_seconds())
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


_INTERVAL = re.compile(r'^\s*(\d+)\s*(day|days|month|months)\s*$', re.IGNORECASE)


def _interval_days(interval: Any, today: date) -> Tuple[date, date]:
    """Local days ``[first, today)`` of a scheduled report's ``'N days'``/``'N months'``."""
    match = _INTERVAL.match(interval) if isinstance(interval, str) else None
    if match is None or int(match.group(1)) < 1:
        raise ReportQueryError(
            f"interval: {interval!r} is not a period; expected 'N days' or 'N months' "
            'with N >= 1, such as \'7 days\' or \'1 month\'')
    count = int(match.group(1))
    if match.group(2).lower().startswith('day'):
        return today - timedelta(days=count), today
    return _months_before(today, count), today


class _Period(NamedTuple):
    """A report's period as naive local datetimes ``[start, end)``."""

    start: datetime
    end: datetime


def _resolve_period(query: Mapping[str, Any], tz: ZoneInfo, now: datetime) -> _Period:
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
        first_data = _EPOCH + timedelta(hours=_data_hours(now)[0])
        first_day = first_data.astimezone(tz).date()
        first, end = _daterange_days(name, today, first_day)
        return _Period(datetime.combine(first, datetime.min.time()),
                       datetime.combine(end, datetime.min.time()))
    if 'when/interval' in ways:
        when = query.get('when')
        if not isinstance(when, str) or when.lower() not in WHEN:
            raise ReportQueryError(
                f'when: expected one of {_choices(WHEN)} for a scheduled report, got {when!r}')
        first, end = _interval_days(query.get('interval'), today)
        return _Period(datetime.combine(first, datetime.min.time()),
                       datetime.combine(end, datetime.min.time()))
    current_hour = now_local.replace(minute=0, second=0, microsecond=0)
    start = (_parse_time(query['from'], 'from', tz) if query.get('from') is not None
             else current_hour - timedelta(days=7))
    end = _parse_time(query['to'], 'to', tz) if query.get('to') is not None else current_hour
    if start >= end:
        raise ReportQueryError(
            f'from ({start:{_HOUR_FORMAT}}) must be before to ({end:{_HOUR_FORMAT}}); '
            'both are truncated to the hour and to is exclusive')
    return _Period(start, end)


# --------------------------------------------------------------------------- query parsing

_COMPARISONS: Dict[str, Callable[[Any, Any], bool]] = {
    '==': operator.eq, '!=': operator.ne, '<': operator.lt, '>': operator.gt,
    'in': lambda value, allowed: value in allowed,
    'not in': lambda value, allowed: value not in allowed,
}


class _Condition(NamedTuple):
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
        return _time_bucket(column, _parse_time(raw, where, tz))
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


def _parse_condition(index: int, item: Any, tz: ZoneInfo) -> _Condition:
    where = f'where[{index}]'
    if not isinstance(item, (list, tuple)) or len(item) != 3:
        raise ReportQueryError(
            f'{where}: expected a list [column, op, value], got {item!r}')
    column, op, raw = item
    if column not in GROUPS and column not in METRICS:
        raise ReportQueryError(
            f'{where}: unknown column {column!r}; allowed: {_choices(GROUPS + METRICS)}')
    if op not in OPERATORS:
        raise ReportQueryError(
            f'{where}: unknown operator {op!r}; allowed: {_choices(OPERATORS)}')
    if op in ('in', 'not in'):
        if not isinstance(raw, (list, tuple)):
            raise ReportQueryError(f"{where}: '{op}' takes a list of values, got {raw!r}")
        return _Condition(column, op, frozenset(
            _where_operand(column, one, where, tz) for one in raw))
    return _Condition(column, op, _where_operand(column, raw, where, tz))


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


def _parse_count(query: Mapping[str, Any], key: str) -> Optional[int]:
    """``limit`` or ``offset``: a whole number, maybe still a string of the URL."""
    raw = query.get(key)
    if raw is None or raw == '':
        return None
    text = str(raw).strip()
    if isinstance(raw, bool) or not _INTEGER.fullmatch(text) or text.startswith('-'):
        raise ReportQueryError(f'{key}: expected a whole number >= 0, got {raw!r}')
    return int(text)


def _parse_flag(query: Mapping[str, Any], key: str, default: bool) -> bool:
    raw = query.get(key)
    if raw is None:
        return default
    if not isinstance(raw, bool):
        raise ReportQueryError(f'{key}: expected true or false, got {raw!r}')
    return raw


def _parse_emails(raw: Any) -> List[str]:
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


class _Query(NamedTuple):
    """A validated report query."""

    scope: str
    groups: List[str]
    metrics: List[str]
    where: List[_Condition]
    tz: ZoneInfo
    period: _Period
    sort: List[Tuple[str, bool]]
    limit: Optional[int]
    offset: int
    echo: Dict[str, Any]  # the normalised query, as the answer repeats it


def _parse_query(query: Mapping[str, Any], now: datetime) -> _Query:
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
    limit = _parse_count(query, 'limit')
    offset = _parse_count(query, 'offset') or 0
    echo = {
        'scope': scope, 'groups': groups, 'metrics': metrics,
        'where': [condition.as_json() for condition in where],
        'from': period.start.strftime(_HOUR_FORMAT), 'to': period.end.strftime(_HOUR_FORMAT),
        'daterange': query.get('daterange'), 'timezone': tz.key,
        'when': query['when'].lower() if query.get('when') else None,
        'interval': query.get('interval'),
        'emails': _parse_emails(query.get('emails')), 'name': query.get('name'),
        'save': _parse_flag(query, 'save', True), 'editable': _parse_flag(query, 'editable', False),
        'sort': [f"{column}.{'desc' if descending else 'asc'}" for column, descending in sort],
        'limit': limit, 'offset': offset,
    }
    if echo['name'] is not None and not isinstance(echo['name'], str):
        raise ReportQueryError(f"name: expected a string, got {echo['name']!r}")
    return _Query(scope, groups, metrics, where, tz, period, sort, limit, offset, echo)


# --------------------------------------------------------------------------- the engine

def _hour_runs(query: _Query, now: datetime) -> List[Tuple[Tuple[str, ...], int, int]]:
    """Runs ``(time bucket values, first UTC hour, end UTC hour)`` of the report's hours.

    Only hours inside both the period and the data window, and passing the
    ``where`` items on time columns, are kept; consecutive hours of one bucket
    form one run.
    """
    first_data, end_data = _data_hours(now)
    first = max(_utc_hour(query.period.start, query.tz), first_data)
    end = min(_utc_hour(query.period.end, query.tz), end_data)
    time_groups = [group for group in query.groups if group in TIME_GROUPS]
    time_conditions = [cond for cond in query.where if cond.column in TIME_GROUPS]
    columns = set(time_groups) | {cond.column for cond in time_conditions}
    runs: List[Tuple[Tuple[str, ...], int, int]] = []
    for hour in range(first, end):
        local = (_EPOCH + timedelta(hours=hour)).astimezone(query.tz)
        values = {column: _time_bucket(column, local) for column in columns}
        if not all(cond.test(values[cond.column]) for cond in time_conditions):
            continue
        key = tuple(values[group] for group in time_groups)
        if runs and runs[-1][0] == key and runs[-1][2] == hour:
            runs[-1] = (key, runs[-1][1], hour + 1)
        else:
            runs.append((key, hour, hour + 1))
    return runs


def _key_arranger(groups: Sequence[str]) -> Callable[[Tuple[Any, ...]], Tuple[Any, ...]]:
    """Reorder a key built as time values + id values into the order of ``groups``."""
    built = [group for group in groups if group in TIME_GROUPS] + [
        group for group in groups if group in ID_GROUPS]
    order = [built.index(group) for group in groups]
    if order == sorted(order):
        return lambda key: key
    return operator.itemgetter(*order)  # two groups or more here, so it gives a tuple


def _aggregate(query: _Query, lines: Sequence[Mapping[str, int]],
               now: datetime) -> Dict[Tuple[Any, ...], List[int]]:
    """Sums per group (in the order of ``query.groups``) over the matching lines and hours."""
    id_groups = [group for group in query.groups if group in ID_GROUPS]
    id_conditions = [cond for cond in query.where if cond.column in ID_GROUPS]
    runs = _hour_runs(query, now)
    spans = [(first, end) for _, first, end in runs]
    # First per id-group values and run, positionally: no dict work per line and hour.
    per_line_key: Dict[Tuple[int, ...], List[List[int]]] = {}
    for line in lines:
        if all(cond.test(line[cond.column]) for cond in id_conditions):
            line_key = tuple(line[group] for group in id_groups)
            into = per_line_key.get(line_key)
            if into is None:
                into = per_line_key[line_key] = [[0] * 5 for _ in spans]
            _deliver(_line_profile(line), spans, into)
    arrange = _key_arranger(query.groups)
    sums: Dict[Tuple[Any, ...], List[int]] = {}
    for line_key, delivered in per_line_key.items():
        for (time_key, _, _), run_sums in zip(runs, delivered):
            key = arrange(time_key + line_key)
            total = sums.get(key)
            if total is None:
                sums[key] = run_sums
            else:  # one bucket split into several runs by a where on another time column
                total[:] = map(operator.add, total, run_sums)
    return sums


def _check_lines(lines: Sequence[Mapping[str, int]]) -> None:
    """Delivery lines come from the server, not the user: a bad one is a server bug."""
    for line in lines:
        missing = [key for key in ID_GROUPS if not isinstance(line.get(key), int)]
        if missing:
            raise TypeError(f'delivery line {line!r} lacks integer {", ".join(missing)}')


def run_report(query: Mapping[str, Any], lines: Sequence[Mapping[str, int]],
               now: datetime) -> Dict[str, Any]:
    """Compute a report over the delivery ``lines`` the user may see.

    ``query`` is the POSTed body plus ``sort``, ``limit`` and ``offset`` of
    the URL; ``now`` is the server's clock as a naive UTC datetime.  Returns
    ``columns``, ``data`` (rows in column order), ``totals`` (over all rows
    that match, before ``limit``/``offset``), ``length`` (rows returned),
    ``count`` (the rows of the whole report, for pages of ``limit``/``offset``),
    ``from``/``to`` and the normalised ``query``.  Raises
    :class:`ReportQueryError` for a query the API would refuse.
    """
    if now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    parsed = _parse_query(query, now)
    _check_lines(lines)
    metric_conditions = [cond for cond in parsed.where if cond.column in METRICS]
    values_of = [_METRIC_VALUES[metric] for metric in parsed.metrics]
    rows: List[List[Any]] = []
    kept: List[List[int]] = []
    for key, sums in sorted(_aggregate(parsed, lines, now).items()):
        if not metric_conditions or all(
                cond.test(_METRIC_VALUES[cond.column](sums)) for cond in metric_conditions):
            rows.append(list(key) + [value_of(sums) for value_of in values_of])
            kept.append(sums)
    totals = [sum(column) for column in zip(*kept)] if kept else [0] * 5
    columns = parsed.groups + parsed.metrics
    for column, descending in reversed(parsed.sort):
        position = columns.index(column)
        rows.sort(key=operator.itemgetter(position), reverse=descending)
    end = None if parsed.limit is None else parsed.offset + parsed.limit
    data = rows[parsed.offset:end]
    return {
        'columns': columns,
        'data': data,
        'totals': {metric: _METRIC_VALUES[metric](totals) for metric in parsed.metrics},
        'length': len(data),
        'count': len(rows),
        'from': parsed.echo['from'],
        'to': parsed.echo['to'],
        'query': parsed.echo,
    }
