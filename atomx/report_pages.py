"""A large report in small answers: :func:`iter_report` (behind :meth:`atomx.Atomx.iter_report`).

One ``POST report`` answer holds every row in memory at once; a year of hourly
rows per site does not fit.  :func:`iter_report` cuts the period into windows
(``split``: hours, days, weeks or months of the report's timezone) and asks for
each window's rows in pages of ``page_size`` with ``limit``/``offset``, sorted
by the group columns so that pages neither overlap nor leave gaps.  Every page
is sent with ``save: false``, so the user's report history stays as it was.

Windows are cut in wall time: the API reads ``from`` and ``to`` as wall times of
the report's ``timezone``, so a day window runs from one midnight to the next
whether that day has 23, 24 or 25 hours.  An hour that a DST change skips
(02:00 on a spring-forward night) holds no instant and gets no window; the
hour that a DST change repeats is one window holding both.

This module talks to the API only through the session's ``post`` and never
imports the session module.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterator, Optional

from dateutil import tz

from . import protocol, report_query
from .checks import check_count
from .exceptions import APIError, AtomxError
from .paging import applied_limit, known_count, progress_bar
from .reports import Report, as_report

#: The units ``split`` may cut a report's period into: the API's time groups.
SPLITS = protocol.TIME_GROUPS
#: The arguments of :meth:`atomx.Atomx.report` that select a report's rows: the
#: only ones a paged report takes (its pages are sorted, limited, never saved
#: nor e-mailed by it).
ROW_ARGUMENTS = ('scope', 'groups', 'metrics', 'where', 'from_', 'to', 'daterange', 'timezone')
#: Rows per page when the caller does not say.
DEFAULT_PAGE_SIZE = 100_000


@dataclass(frozen=True)
class Window:
    """One part of a report's period: ``[start, end)`` in wall time of the report's timezone.

    :param start: the first hour (inclusive), naive.
    :param end: the end (exclusive), naive.
    """

    start: datetime
    end: datetime

    def __str__(self) -> str:
        """``'2026-01-01 00:00 to 2026-01-02 00:00'``, for messages."""
        return f'{self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}'


def _next_boundary(moment: datetime, split: str) -> datetime:
    """The first start of a ``split`` unit after ``moment`` (wall time)."""
    if split == 'hour':
        return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    day = moment.date()
    if split == 'day':
        following = day + timedelta(days=1)
    elif split == 'week':  # weeks start on Monday, as the API's week group
        following = day + timedelta(days=7 - day.weekday())
    else:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return datetime(following.year, following.month, following.day)


#: The tzinfo of a report's timezone (one check, one message: :mod:`atomx.report_query`'s).
zone_of = report_query.zone_of


def split_period(start: datetime, end: datetime, split: Optional[str],
                 timezone: str = 'UTC') -> list[Window]:
    """Cut ``[start, end)`` into the windows of ``split`` in wall time of ``timezone``.

    :param start: the period's start (naive wall time, inclusive).
    :param end: its end (naive wall time, exclusive).
    :param split: ``'hour'``, ``'day'``, ``'week'`` (from Monday), ``'month'``, or
        ``None`` for one window of the whole period.
    :param timezone: the report's timezone: an hour that it skips at a DST change
        gets no window.
    :returns: the windows in order; the first starts at ``start``, the last ends at ``end``.
    :raises ValueError: an unknown ``split`` or ``timezone``.
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f'split={split!r} is not allowed; use one of '
                         f'{", ".join(map(repr, SPLITS))} or None')
    zone = zone_of(timezone)
    if split is None:
        return [Window(start, end)] if start < end else []
    windows = []
    while start < end:
        following = min(_next_boundary(start, split), end)
        if split != 'hour' or _holds_an_instant(start, following, zone):
            windows.append(Window(start, following))
        start = following
    return windows


def _holds_an_instant(start: datetime, end: datetime, zone: Any) -> bool:
    """Whether the wall times ``[start, end)`` hold a real instant of ``zone``.

    A DST gap may skip only part of an hour (Australia/Lord_Howe skips 02:00 to
    02:30, Pacific/Chatham 02:45 to 03:45): that hour still holds the instants
    after the gap.  Offsets change by whole minutes, so looking at each minute of
    a window that starts in a gap is exact (and rare: once or twice a year).
    """
    if tz.datetime_exists(start, zone):
        return True
    minutes = int((end - start).total_seconds() // 60)
    return any(tz.datetime_exists(start + timedelta(minutes=minute), zone)
               for minute in range(1, minutes))


@dataclass
class PagePlan:
    """What :func:`iter_report` sends: the checked body and the windows.

    :param body: the JSON body of ``POST report`` (with ``save: false``).
    :param windows: the windows, or ``[None]`` for one request of ``daterange``.
    :param page_size: rows per page.
    """

    body: dict[str, Any]
    windows: list[Optional[Window]]
    page_size: int

    def window_body(self, window: Optional[Window]) -> dict[str, Any]:
        """The body of one window's pages: ``from``/``to`` replaced by the window's bounds.

        :param window: the window, or ``None`` for the body as it is.
        :returns: a new body.
        """
        if window is None:
            return dict(self.body)
        return {**self.body, 'from': window.start.strftime(protocol.HOUR_FORMAT),
                'to': window.end.strftime(protocol.HOUR_FORMAT)}


def plan_pages(user: Any, *, split: Optional[str] = None, page_size: int = DEFAULT_PAGE_SIZE,
               **report_arguments: Any) -> PagePlan:
    """Check the arguments of :func:`iter_report` and cut its windows, before any request.

    :param user: the session's user (decides the scope when none is given).
    :param split: see :func:`split_period`.
    :param page_size: rows per page, at least 1.
    :param report_arguments: the arguments of :meth:`atomx.Atomx.report` that
        select rows (``scope``, ``groups``, ``metrics``, ``where``, ``from_``,
        ``to``, ``daterange``, ``timezone``).
    :returns: the plan.
    :raises ValueError: as :meth:`atomx.Atomx.report`, an unknown ``split``, or
        ``split`` with ``daterange`` (whose period only the API knows).
    :raises TypeError: as :meth:`atomx.Atomx.report`, ``page_size`` not an int,
        or another argument of :meth:`atomx.Atomx.report` (``limit``, ``sort``,
        ``emails``, ``name``, ``save`` ...).
    """
    others = sorted(set(report_arguments) - set(ROW_ARGUMENTS))
    if others:
        raise TypeError(f'a report in pages takes only the arguments that select rows '
                        f'({", ".join(ROW_ARGUMENTS)}), not {", ".join(others)}: pages are '
                        f'sorted by the groups, limited by page_size and never saved or mailed')
    check_count('page_size', page_size, 1)
    body, _ = report_query.build_report_request(user=user, now=report_query.utc_now(),
                                                save=False, **report_arguments)
    if 'from' not in body:
        if split is not None:
            raise ValueError(f'split={split!r} needs from_ and to: the API alone knows the '
                             f'period of daterange={body.get("daterange")!r}')
        return PagePlan(body, [None], page_size)
    start, end = (report_query.wall_hour(report_query.parse_datetime(body[key]), body['timezone'])
                  for key in ('from', 'to'))
    return PagePlan(body, list(split_period(start, end, split, body['timezone'])), page_size)


def window_pages(session: Any, plan: PagePlan, window: Optional[Window],
                 bar: Any = None) -> Iterator[Report]:
    """The pages of one window, requested one after the other.

    The pages stop at an empty page, or at a page shorter than the page size
    (or than the ``limit`` the API says it applied) once the window's ``count``,
    when the API sends one, is reached.  A ``count`` never ends a window early:
    after a full page the next one is asked for, so a stale or estimated
    ``count`` costs at most one request, never rows.

    :param session: the :class:`~atomx.Atomx` session whose ``post`` sends.
    :param plan: the checked request (:func:`plan_pages`).
    :param window: the window, or ``None`` for the body's own period.
    :param bar: a tqdm bar to advance by the rows (its total grows by each
        window's ``count``), or ``None``.
    :returns: a generator of :class:`~atomx.models.Report` pages.
    :raises ~atomx.exceptions.APIError: a page failed after the transport's
        retries, or a page starts with the row of the page before (the API ignores
        ``offset``: the pages would never end); the message starts with the window
        and the offset reached, also kept as the error's ``report_window`` and
        ``report_offset``.
    """
    body = plan.window_body(window)
    sort = ','.join(body.get('groups') or [])
    query = {'limit': plan.page_size, **({'sort': sort} if sort else {})}
    offset, previous_first = 0, None
    while True:
        try:
            page = as_report(session.post('report', body, offset=offset, **query), session,
                             'POST report')
        except AtomxError as error:
            _located(error, window, offset)
            raise
        rows, count = len(page.data), known_count(page.extra)
        limit = applied_limit(plan.page_size, page.query if isinstance(page.query, dict) else {})
        first = page.data[0] if rows else None
        if first is not None and first == previous_first:  # sorted pages never repeat a row
            raise _located(APIError(f'the answer to offset {offset} starts with the row of '
                                    f'the page before ({first!r:.100}): the API does not page '
                                    f'with offset, so the rows would repeat without end',
                                    method='POST', path='report'), window, offset)
        previous_first = first
        if bar is not None:
            if offset == 0 and count is not None:
                bar.total = (bar.total or 0) + count
            bar.update(rows)
        yield page
        del page  # one page in memory at a time: not this one while the next one comes
        offset += rows
        if rows == 0 or (rows < limit and (count is None or offset >= count)):
            return


def _located(error: AtomxError, window: Optional[Window], offset: int) -> AtomxError:
    """``error`` with the window and the offset reached in front of its message and kept as
    its ``report_window`` and ``report_offset``."""
    where = f'the window {window}' if window else 'the report'
    error.args = (f'{where}, rows from offset {offset}: {error}', *error.args[1:])
    error.report_window, error.report_offset = window, offset  # type: ignore[attr-defined]
    return error


def iter_report(session: Any, *, split: Optional[str] = None,
                page_size: int = DEFAULT_PAGE_SIZE, progress: bool = False,
                **report_arguments: Any) -> Iterator[Report]:
    """A report's rows as :class:`~atomx.models.Report` pages; see :meth:`atomx.Atomx.iter_report`.

    Everything is checked (and tqdm imported) at the call, before any request;
    the requests start with the first ``next()``.

    :param session: the :class:`~atomx.Atomx` session whose ``post`` sends.
    :param split: the window unit (:data:`SPLITS`) or ``None`` for one window.
    :param page_size: rows per page, at least 1.
    :param progress: show a tqdm bar of the rows on stderr.
    :param report_arguments: the arguments of :meth:`atomx.Atomx.report` that
        select rows (see :func:`plan_pages`).
    :returns: a generator of pages, each with at most ``page_size`` rows.
    :raises ValueError: see :func:`plan_pages`.
    :raises TypeError: see :func:`plan_pages`, or ``progress`` not a bool.
    :raises ~atomx.exceptions.MissingDependencyError: ``progress=True`` without tqdm.
    """
    if not isinstance(progress, bool):
        raise TypeError(f'progress must be a bool, not {progress!r}')
    plan = plan_pages(getattr(session, 'user', None), split=split, page_size=page_size,
                      **report_arguments)
    bar = progress_bar('report', unit=' rows') if progress else None
    return _all_pages(session, plan, bar)


def _all_pages(session: Any, plan: PagePlan, bar: Any) -> Iterator[Report]:
    try:
        for window in plan.windows:
            yield from window_pages(session, plan, window, bar)
    finally:
        if bar is not None:
            bar.close()


__all__ = ['DEFAULT_PAGE_SIZE', 'PagePlan', 'ROW_ARGUMENTS', 'SPLITS', 'Window', 'iter_report',
           'plan_pages', 'split_period', 'window_pages', 'zone_of']
