"""Benchmark: export_report of 1,000,000 and 10,000,000 rows in pages of 100,000.

A local server in another process (``_report_pages``: prebuilt synthetic pages,
not the sandbox's engine) serves ten day windows of a tenth of the rows each.
Each export runs in a fresh client process, which reports its peak RSS, its
wall time and its rows per second; every repetition also measures the limit in
this process: ``orjson.loads`` of the same page bodies plus
``pyarrow.Table.from_arrays`` of their columns, no HTTP and no Parquet.

It prints the medians, the peak RSS of both sizes (target: the same within 10%
and under 400 MB) and export rows/s over the limit's (target: at least 0.8).

Not a test: ``python3 benchmarks/report_export.py [--runs N] [--quick]``.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from _report_pages import page_body, report_arguments, report_page_routes  # noqa: E402
from _server import EMAIL, PASSWORD, BenchServer  # noqa: E402

PAGE = 100_000
WINDOWS = 10
RSS_TARGET_MB, RSS_SPREAD, SPEED_TARGET = 400, 0.10, 0.8


def child(url: str, out: str) -> None:
    """One export in this fresh process; prints its figures as JSON."""
    from atomx import Atomx

    session = Atomx(EMAIL, PASSWORD, api_endpoint=url)
    started = time.perf_counter()
    summary = session.export_report(out, split='day', page_size=PAGE,
                                    **report_arguments(WINDOWS))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'rows': summary.rows, 'seconds': seconds, 'peak_mb': peak_mb}))


def export_once(url: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run([sys.executable, __file__, '--child', url, out],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def limit_rows_per_second(rows: int) -> float:
    """orjson.loads + Table.from_arrays of the same pages (one body, decoded per page)."""
    import orjson
    import pyarrow as pa

    page_rows = min(PAGE, rows // WINDOWS)
    pages = rows // page_rows
    body = page_body(page_rows, PAGE, rows // WINDOWS)
    started = time.perf_counter()
    for _ in range(pages):
        report = orjson.loads(body)['report']
        columns = list(zip(*report['data']))
        pa.Table.from_arrays([pa.array(column) for column in columns], names=report['columns'])
        del report, columns
    return rows / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--quick', action='store_true', help='100,000 and 1,000,000 rows')
    parser.add_argument('--child', nargs=2, metavar=('URL', 'DIR'), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sizes = (100_000, 1_000_000) if args.quick else (1_000_000, 10_000_000)
    figures: dict[int, dict[str, list[float]]] = {}
    for rows in sizes:
        runs: dict[str, list[float]] = {'export': [], 'limit': [], 'peak_mb': []}
        with BenchServer(report_page_routes, rows // WINDOWS, PAGE) as server:
            export_once(server.url)  # warm up: the server's first answers, the disk cache
            for _ in range(args.runs):
                result = export_once(server.url)
                assert result['rows'] == rows, result
                runs['export'].append(rows / result['seconds'])
                runs['peak_mb'].append(result['peak_mb'])
                runs['limit'].append(limit_rows_per_second(rows))
        figures[rows] = runs
        export, limit = statistics.median(runs['export']), statistics.median(runs['limit'])
        print(f'{rows:>10,} rows: export {export:>10,.0f} rows/s, limit {limit:>10,.0f} rows/s,'
              f' ratio {export / limit:.2f} (target >= {SPEED_TARGET}: '
              f'{"holds" if export / limit >= SPEED_TARGET else "MISSED"}); peak RSS '
              f'{statistics.median(runs["peak_mb"]):.0f} MB (runs: '
              f'{", ".join(f"{mb:.0f}" for mb in runs["peak_mb"])})', flush=True)
    small, large = (statistics.median(figures[rows]['peak_mb']) for rows in sizes)
    same = abs(large - small) <= RSS_SPREAD * small
    print(f'peak RSS {sizes[0]:,} -> {sizes[1]:,} rows: {small:.0f} -> {large:.0f} MB '
          f'({large / small:.2f}x; target within {RSS_SPREAD:.0%} and < {RSS_TARGET_MB} MB: '
          f'{"holds" if same and large < RSS_TARGET_MB else "MISSED"})')


if __name__ == '__main__':
    main()
