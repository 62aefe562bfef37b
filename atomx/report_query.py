"""The request of a new report: checked arguments -> JSON body and query string.

Everything here is pure: no HTTP and no session.  :func:`build_report_request`
checks every argument of :meth:`atomx.Atomx.report` and raises a ``ValueError``,
``TypeError`` or :class:`~atomx.exceptions.MissingArgumentError` that names the
bad value and what is allowed, so a mistake never costs a request.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Dict, Optional, Tuple

from dateutil import parser as date_parser
from dateutil import tz

from . import protocol
from .argument_names import argument, argument_item, spelled
from .checks import check_count
from .exceptions import MissingArgumentError

#: The period of a report without ``from_``, ``daterange`` or schedule.
DEFAULT_PERIOD = timedelta(days=7)

Body = Dict[str, Any]  # the JSON body of POST report
Query = Dict[str, Any]  # its query string parameters


def utc_now() -> datetime:
    """The current time as a timezone-naive UTC datetime (replaced in tests).

    :returns: now, in UTC, without ``tzinfo``.
    """
    return datetime.now(tz.UTC).replace(tzinfo=None)


def _listing(values: tuple[str, ...]) -> str:
    return ', '.join(repr(value) for value in values)


def _shown(value: Any) -> str:
    """A value in a message: a datetime as its wall time, anything else as its repr."""
    return f'{value:%Y-%m-%d %H:%M}' if isinstance(value, datetime) else repr(value)


def user_ids(user: Any, name: str) -> list[Any]:
    """The ids (or objects) in one of the user's rights lists.

    A User model is read through its ``json`` (ids as sent), since reading
    ``user.advertisers`` would fetch every advertiser from the API; other
    objects are read by attribute.

    :param user: the login answer's user dict, a User model, or ``None``.
    :param name: ``'networks'``, ``'advertisers'`` or ``'publishers'``.
    :returns: the list (empty when the user has none or is ``None``).
    """
    data = user if isinstance(user, Mapping) else getattr(user, 'json', None)
    value = data.get(name) if isinstance(data, Mapping) else getattr(user, name, None)
    return list(value or [])


def detect_scope(user: Any) -> str:
    """The scope implied by the user's rights: ``'advertiser'`` or ``'publisher'``.

    A user with network rights, with both kinds of rights, or with none can
    create several kinds of report, so the caller has to choose.

    :param user: the session's user (see :func:`user_ids`).
    :returns: ``'advertiser'`` for a user with advertisers only, ``'publisher'``
        for one with publishers only.
    :raises ~atomx.exceptions.MissingArgumentError: any other user: pass ``scope``.
    """
    networks, advertisers, publishers = (
        user_ids(user, name) for name in ('networks', 'advertisers', 'publishers'))
    if not networks and advertisers and not publishers:
        return 'advertiser'
    if not networks and publishers and not advertisers:
        return 'publisher'
    raise MissingArgumentError(
        f'cannot tell the report scope from the user\'s rights ({len(networks)} networks, '
        f'{len(advertisers)} advertisers, {len(publishers)} publishers): pass '
        f'{spelled("scope=", "--scope")}, one of {_listing(protocol.SCOPES)}')


def _column_list(name: str, value: Any) -> list[str]:
    """``groups``/``metrics``/``sort`` as a list of column names (a str is one column)."""
    if value is None:
        return []
    columns = [value] if isinstance(value, str) else value
    if not isinstance(columns, (list, tuple)) or not all(
            isinstance(column, str) and column for column in columns):
        raise TypeError(f'{argument(name)} must be a list of column names, not {value!r}')
    return list(columns)


def _checked_choice(name: str, value: Any, allowed: tuple[str, ...]) -> Any:
    if value is not None and value not in allowed:
        raise ValueError(f'{argument(name)}={value!r} is not allowed; use one of '
                         f'{_listing(allowed)}')
    return value


def _checked_where(where: Any) -> list[list[Any]]:
    """``where`` as a list of ``[column, op, value]`` lists, each checked."""
    if where is None:
        return []
    if not isinstance(where, (list, tuple)):
        raise ValueError(f'where must be a list of [column, op, value] lists, not {where!r}')
    checked = []
    for index, expression in enumerate(where):
        item = argument_item('where', index)
        if not isinstance(expression, (list, tuple)) or len(expression) != 3:
            raise ValueError(f'{item}={expression!r} is not a [column, op, value] list')
        column, operator, value = expression
        if not isinstance(column, str) or not column:
            raise ValueError(f'{item}: the column must be a name, not {column!r}')
        if operator not in protocol.WHERE_OPERATORS:
            raise ValueError(f'{item}: the operator {operator!r} is not one of '
                             f'{_listing(protocol.WHERE_OPERATORS)}')
        is_list = isinstance(value, (list, tuple, set, frozenset))
        if operator in protocol.LIST_OPERATORS and not is_list:
            raise ValueError(f'{item}: {operator!r} needs a list of values, not {value!r}')
        if operator not in protocol.LIST_OPERATORS and (is_list or isinstance(value, Mapping)):
            raise ValueError(f'{item}: {operator!r} compares with one value, not '
                             f'{value!r}; use "in" or "not in" for a list')
        checked.append([column, operator, list(value) if is_list else value])
    return checked


def parse_datetime(value: Any) -> datetime:
    """A datetime from a datetime, a date (its midnight) or a date/time string.

    :param value: a ``datetime`` (returned as is), a ``date`` or a string that
        :mod:`dateutil` reads (``'2026-11-23 19:00:00'``, ``'2026-11-23T19:00'``).
    :returns: the datetime (aware only when the value carries a zone).
    :raises ValueError: a string that is no date.
    :raises TypeError: a value of another type.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return date_parser.parse(value)
        except (ValueError, OverflowError):
            raise ValueError(f'{value!r} is not a date or a date and time') from None
    raise TypeError(f'expected a datetime, a date or a str, not {type(value).__name__}')


def zone_of(timezone: Any) -> Any:
    """The tzinfo of a report's ``timezone``, an IANA name.

    :param timezone: e.g. ``'UTC'`` or ``'Europe/Vienna'``.
    :returns: the tzinfo.
    :raises ValueError: the name is not a timezone that :mod:`dateutil` knows.
    """
    zone = tz.gettz(timezone) if isinstance(timezone, str) and timezone else None
    if zone is None:  # (gettz('') is the local zone: never what a report means)
        raise ValueError(f"{argument('timezone')}={timezone!r} is unknown: use an IANA name "
                         f"such as 'UTC' or 'Europe/Vienna'")
    return zone


def wall_hour(moment: datetime, timezone: str) -> datetime:
    """The hour the API reads ``moment`` as: a naive wall time of ``timezone``, to the hour.

    An aware ``moment`` is converted to ``timezone`` first; a naive one is already
    a wall time there.  The API truncates ``from`` and ``to`` to the hour.

    :param moment: a ``from`` or ``to``.
    :param timezone: the report's timezone, an IANA name.
    :returns: the naive hour.
    :raises ValueError: the timezone is unknown (:func:`zone_of`).
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone_of(timezone)).replace(tzinfo=None)
    return moment.replace(minute=0, second=0, microsecond=0)


def local_now(now: datetime, timezone: str) -> datetime:
    """``now`` (naive UTC) as the wall time of ``timezone``, naive: the API's "now".

    The API reads every time of a report in its ``timezone``, so a default
    ``to`` of "now" must be now there (8 hours before UTC's in Los Angeles).

    :param now: the current time, naive UTC (:func:`utc_now`).
    :param timezone: the report's timezone, an IANA name.
    :returns: the same moment as the timezone's naive wall time.
    :raises ValueError: the timezone is unknown.
    """
    return now.replace(tzinfo=tz.UTC).astimezone(zone_of(timezone)).replace(tzinfo=None)


def _wall_time(name: str, value: Any, timezone: str) -> Tuple[str, datetime]:
    """``(what is sent, the hour it means)`` for ``from_`` or ``to``.

    An aware datetime is converted to the report's timezone first, since the
    API reads every time in that timezone; strings are sent as given.
    """
    try:
        moment = parse_datetime(value)
    except (TypeError, ValueError) as error:
        raise type(error)(f'{argument(name)}: {error}') from None
    hour = wall_hour(moment, timezone)
    return (value if isinstance(value, str) else hour.strftime(protocol.HOUR_FORMAT)), hour


def _period(from_: Any, to: Any, daterange: Any, when: Any, interval: Any,
            timezone: str, now: datetime) -> Body:
    """The body keys that say which time the report covers."""
    if (when is None) != (interval is None):
        raise ValueError(f'a scheduled report needs both when= (one of '
                         f'{_listing(protocol.SCHEDULES)}) and interval= (\'N days\' or '
                         f'\'N month\'); got when={when!r}, interval={interval!r}')
    if when is not None:
        _checked_choice('when', when, protocol.SCHEDULES)
        if not isinstance(interval, str) or not protocol.INTERVAL_PATTERN.fullmatch(interval):
            raise ValueError(f'interval={interval!r} is not allowed; use \'N days\' or '
                             f'\'N month\' such as \'7 days\' or \'1 month\'')
        if from_ is not None or to is not None or daterange is not None:
            raise ValueError('a scheduled report (when=, interval=) covers its interval before '
                             'each run: leave from_, to and daterange unset')
        return {'when': when, 'interval': interval}
    if daterange is not None:
        _checked_choice('daterange', daterange, protocol.DATERANGES)
        if from_ is not None or to is not None:
            raise ValueError(f'{argument("daterange")}={daterange!r} sets from and to itself: '
                             f'leave {argument("from_")} and {argument("to")} unset (got '
                             f'{argument("from_")}={_shown(from_)}, '
                             f'{argument("to")}={_shown(to)})')
        return {'daterange': daterange}
    if from_ is None or to is None:
        now = local_now(now, timezone)
    sent_from, start = _wall_time('from_', now - DEFAULT_PERIOD if from_ is None else from_,
                                  timezone)
    sent_to, end = _wall_time('to', now if to is None else to, timezone)
    if start >= end:
        start_name, end_name = argument('from_'), argument('to')
        raise ValueError(f'{start_name} ({start:%Y-%m-%d %H:00}) must be before {end_name} '
                         f'({end:%Y-%m-%d %H:00}) in whole hours; {start_name} defaults to 7 '
                         f'days ago and {end_name} to now in timezone {timezone!r}')
    return {'from': sent_from, 'to': sent_to}


def _checked_emails(emails: Any) -> Optional[list[str]]:
    if emails is None:
        return None
    addresses = [emails] if isinstance(emails, str) else emails
    if not isinstance(addresses, (list, tuple)):
        raise TypeError(f'emails must be an address or a list of addresses, not {emails!r}')
    for address in addresses:
        if not isinstance(address, str) or '@' not in address:
            raise ValueError(f'emails: {address!r} is not an email address')
    return list(addresses)


def _checked_type(name: str, value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f'{argument(name)} must be a {kind.__name__}, not {value!r}')
    return value


def build_report_request(*, user: Any, now: datetime, scope: Optional[str] = None,
                         groups: Any = None, metrics: Any = None, where: Any = None,
                         from_: Any = None, to: Any = None, daterange: Optional[str] = None,
                         timezone: str = 'UTC', emails: Any = None, when: Optional[str] = None,
                         interval: Optional[str] = None, name: Optional[str] = None,
                         sort: Any = None, limit: Optional[int] = None,
                         offset: Optional[int] = None, save: bool = True,
                         editable: bool = False) -> Tuple[Body, Query]:
    """Check the arguments of :meth:`atomx.Atomx.report` and build its request.

    The other parameters, their defaults and the errors they raise are those of
    :meth:`atomx.Atomx.report`.

    :param user: the session's user; decides the scope when ``scope`` is ``None``.
    :param now: now, naive UTC; the default period ends at this moment's hour in
        ``timezone`` and starts seven days before.
    :returns: ``(body, query)``: the JSON body and the query string parameters
        (``sort``, ``limit``, ``offset``) of ``POST report``.
    :raises ~atomx.exceptions.MissingArgumentError: no groups and no metrics, or
        a scope that cannot be detected.
    :raises ValueError: a value that is not allowed (the message lists what is).
    :raises TypeError: a value of the wrong type.
    """
    group_list, metric_list = _column_list('groups', groups), _column_list('metrics', metrics)
    if not group_list and not metric_list:
        raise MissingArgumentError(spelled(
            "a report needs groups= or metrics= (or both), e.g. groups=['hour'], "
            "metrics=['impressions']",
            'a report needs --groups or --metrics (or both), e.g. --groups hour '
            '--metrics impressions'))
    if scope is None:
        scope = detect_scope(user)
    _checked_choice('scope', scope, protocol.SCOPES)
    body: Body = {'scope': scope, 'groups': group_list, 'metrics': metric_list,
                  'where': _checked_where(where)}
    _checked_type('timezone', timezone, str)
    zone_of(timezone)  # the API reads every time, a daterange's too, in this timezone
    body.update(_period(from_, to, daterange, when, interval, timezone, now))
    body['timezone'] = timezone
    addresses = _checked_emails(emails)
    if addresses is not None:
        body['emails'] = addresses
    if name is not None:
        body['name'] = _checked_type('name', name, str)
    body['save'] = _checked_type('save', save, bool)
    body['editable'] = _checked_type('editable', editable, bool)

    query: Query = {}
    sort_columns = _column_list('sort', sort)
    if sort_columns:
        query['sort'] = ','.join(sort_columns)
    for key, value, minimum in (('limit', limit, 1), ('offset', offset, 0)):
        if value is not None:
            query[key] = check_count(argument(key), value, minimum)
    return body, query


__all__ = ['build_report_request', 'detect_scope', 'local_now', 'parse_datetime', 'user_ids',
           'utc_now', 'wall_hour', 'zone_of']
