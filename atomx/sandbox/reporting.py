"""The sandbox's report engine: a query read by :mod:`.report_query`, summed over
the synthetic delivery of :mod:`.delivery`, as ``POST /report`` answers it.

Choices where the documents are silent: ``where`` on a group column filters the
delivery before grouping (a time value names its bucket: ``['week', '==',
'2026-11-04']`` is the week of Monday 2 November), on a metric it filters the
grouped rows like SQL's HAVING, and ``totals`` count only the rows that pass;
ratios of a row come from its sums.  Rows are sorted by the groups unless
``sort`` says otherwise; ``totals`` ignore ``limit`` and ``offset``.
"""
from __future__ import annotations

import operator
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Mapping, Sequence, Tuple

from .delivery import EPOCH, ID_GROUPS, METRIC_VALUES, METRICS, data_hours, deliver, line_profile
from .report_query import TIME_GROUPS, ReportQuery, parse_report_query, time_bucket, utc_hour

__all__ = ['run_report']


def _hour_runs(query: ReportQuery, now: datetime) -> List[Tuple[Tuple[str, ...], int, int]]:
    """Runs ``(time bucket values, first UTC hour, end UTC hour)`` of the report's hours.

    Only hours inside both the period and the data window, and passing the
    ``where`` items on time columns, are kept; consecutive hours of one bucket
    form one run.
    """
    first_data, end_data = data_hours(now)
    first = max(utc_hour(query.period.start, query.tz), first_data)
    end = min(utc_hour(query.period.end, query.tz), end_data)
    time_groups = [group for group in query.groups if group in TIME_GROUPS]
    time_conditions = [cond for cond in query.where if cond.column in TIME_GROUPS]
    columns = set(time_groups) | {cond.column for cond in time_conditions}
    runs: List[Tuple[Tuple[str, ...], int, int]] = []
    for hour in range(first, end):
        local = (EPOCH + timedelta(hours=hour)).astimezone(query.tz)
        values = {column: time_bucket(column, local) for column in columns}
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


def _aggregate(query: ReportQuery, lines: Sequence[Mapping[str, int]],
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
            deliver(line_profile(line), spans, into)
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
    parsed = parse_report_query(query, now)
    _check_lines(lines)
    metric_conditions = [cond for cond in parsed.where if cond.column in METRICS]
    values_of = [METRIC_VALUES[metric] for metric in parsed.metrics]
    rows: List[List[Any]] = []
    kept: List[List[int]] = []
    for key, sums in sorted(_aggregate(parsed, lines, now).items()):
        if not metric_conditions or all(
                cond.test(METRIC_VALUES[cond.column](sums)) for cond in metric_conditions):
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
        'totals': {metric: METRIC_VALUES[metric](totals) for metric in parsed.metrics},
        'length': len(data),
        'count': len(rows),
        'from': parsed.echo['from'],
        'to': parsed.echo['to'],
        'query': parsed.echo,
    }
