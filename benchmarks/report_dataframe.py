"""Benchmark: a large report's JSON answer -> Report -> DataFrame, against plain pandas.

Builds the JSON text of a POST report answer with ``--rows`` hourly rows
(hour, site_id, impressions, clicks, revenue), then times in the same process,
alternating, the median of ``--runs`` runs of

- ours: the transport's JSON decoder, the envelope split of the session,
  ``Report`` and ``Report.pandas`` (DatetimeIndex on hour, typed columns);
- plain: ``json.loads`` and ``pandas.DataFrame(data, columns=columns)``.

Each timed call runs with the garbage collector off (as :mod:`timeit` does),
so a collection of the million decoded rows does not land at random in one
side's time.

It prints both medians, their ratio and whether the target (ours <= 1.05 x
plain) holds, the ratio of the fastest runs (on a shared machine the medians
move with the load of other processes), and the peak memory (tracemalloc)
of one more run of each next to the size of the decoded answer alone.

Not a test: run it by hand,
``python3 benchmarks/report_dataframe.py [--rows N] [--runs N]``.
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

import pandas

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from atomx.protocol import split_envelope  # noqa: E402
from atomx.reports import as_report  # noqa: E402
from atomx.transport import decode_json  # noqa: E402

TARGET = 1.05
COLUMNS = ['hour', 'site_id', 'impressions', 'clicks', 'revenue']


def answer_text(rows: int) -> bytes:
    """The JSON answer of a report with ``rows`` rows: a year of hours per site."""
    start = datetime(2025, 1, 1)
    hours = [(start + timedelta(hours=hour)).strftime('%Y-%m-%d %H:00:00')
             for hour in range(24 * 365)]
    data = [[hours[row % len(hours)], 1000 + row // len(hours), row % 977, row % 13,
             round((row % 977) * 0.0123, 4)] for row in range(rows)]
    report = {'id': 1, 'query': {'groups': ['hour', 'site_id'],
                                 'metrics': ['impressions', 'clicks', 'revenue']},
              'name': 'benchmark', 'emails': [], 'length': rows, 'totals': {},
              'columns': COLUMNS, 'data': data, 'created_at': '2026-01-01T00:00:00',
              'user_id': 1, 'is_scheduled_report': False,
              'from': '2025-01-01 00:00:00', 'to': '2026-01-01 00:00:00'}
    return json.dumps({'success': True, 'resource': 'report', 'report': report}).encode()


def ours(text: bytes) -> pandas.DataFrame:
    _, payload, _ = split_envelope(decode_json(text))
    return as_report(payload, None, 'POST report').pandas


def plain(text: bytes) -> pandas.DataFrame:
    payload = json.loads(text)['report']
    return pandas.DataFrame(payload['data'], columns=payload['columns'])


def decoded_only(text: bytes) -> Any:
    return json.loads(text)


def seconds(function: Callable[[bytes], Any], text: bytes) -> float:
    """One timed call, with the garbage collector off as timeit does."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        result = function(text)
        elapsed = time.perf_counter() - started
    finally:
        gc.enable()
    del result
    return elapsed


def peak_bytes(function: Callable[[bytes], Any], text: bytes) -> int:
    gc.collect()
    tracemalloc.start()
    result = function(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak


def command_line(description: str) -> argparse.Namespace:
    """``--rows`` (default 1,000,000) and ``--runs`` (default 9) of a reports benchmark."""
    options = argparse.ArgumentParser(description=description)
    options.add_argument('--rows', type=int, default=1_000_000)
    options.add_argument('--runs', type=int, default=9)
    return options.parse_args()


def alternate(functions: dict[str, Callable[[bytes], Any]], text: bytes,
              runs: int) -> dict[str, list[float]]:
    """The seconds of ``runs`` runs of each function, alternating which goes first."""
    timings: dict[str, list[float]] = {name: [] for name in functions}
    for run in range(runs):  # each first in turn, so that drift hits both alike
        for name in sorted(functions, reverse=run % 2 == 1):
            timings[name].append(seconds(functions[name], text))
    return timings


def main() -> None:
    args = command_line(__doc__.splitlines()[0])
    text = answer_text(args.rows)
    print(f'{args.rows:,} rows, {len(text) / 1e6:.0f} MB of JSON; pandas {pandas.__version__},'
          f' Python {sys.version.split()[0]}')
    frame = ours(text)
    print(f'ours gives index {type(frame.index).__name__}, dtypes '
          + ', '.join(f'{name}={dtype}' for name, dtype in frame.dtypes.items()))
    del frame

    timings = alternate({'ours': ours, 'plain': plain}, text, args.runs)
    median = {name: statistics.median(values) for name, values in timings.items()}
    ratio = median['ours'] / median['plain']
    for name in ('ours', 'plain'):
        print(f'{name:>5}: median {median[name]:.3f} s of {args.runs} runs '
              f'(min {min(timings[name]):.3f}, max {max(timings[name]):.3f})')
    print(f'ratio ours/plain of the medians: {ratio:.3f}  target <= {TARGET}: '
          f'{"holds" if ratio <= TARGET else "MISSED"}')
    best = min(timings['ours']) / min(timings['plain'])
    print(f'ratio of the fastest runs (least disturbed by other processes): {best:.3f}')

    decoded = peak_bytes(decoded_only, text)
    for name, function in (('ours', ours), ('plain', plain)):
        peak = peak_bytes(function, text)
        print(f'{name:>5}: peak {peak / 1e6:.0f} MB traced '
              f'({peak / decoded:.2f} x the decoded answer alone, {decoded / 1e6:.0f} MB)')


if __name__ == '__main__':
    main()
