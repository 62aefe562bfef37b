"""Benchmark: atomx.dask.read_report of 30 day windows on a two-process LocalCluster,
against one sequential export_report, with 50 ms of latency per request.

The server (``_report_pages``, another process) answers every page after
``--latency`` seconds, as a distant API does.  Both sides fetch the same 30
windows in the same pages and write Parquet: the sequential side with
``Atomx.export_report``, the Dask side with ``read_report(...).to_parquet``
on a ``distributed.LocalCluster`` of 2 worker processes (``--threads`` each),
whose tasks log in with ``Atomx.from_env``.  Runs alternate; the medians of the
wall times and their ratio (sequential / Dask; target: above 1) are printed.
The cluster's start is not counted: it is started once and kept, as a
notebook or a scheduler would.

Not a test: ``python3 benchmarks/report_dask.py [--runs N]``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from _report_pages import report_arguments, report_page_routes  # noqa: E402
from _server import EMAIL, PASSWORD, BenchServer  # noqa: E402

from atomx import Atomx  # noqa: E402
from atomx.dask import read_report  # noqa: E402

WINDOWS = 30


def wall(work: Callable[[str], Any]) -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        work(out)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--rows', type=int, default=20_000, help='rows per window')
    parser.add_argument('--page-size', type=int, default=5_000)
    parser.add_argument('--latency', type=float, default=0.05, help='seconds per request')
    parser.add_argument('--threads', type=int, default=2, help='threads per worker')
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    arguments = report_arguments(WINDOWS)
    pages = args.rows // args.page_size + 1  # a full last page is followed by an empty one
    print(f'{WINDOWS} windows of {args.rows:,} rows in pages of {args.page_size:,} '
          f'({WINDOWS * pages} requests), {args.latency * 1000:.0f} ms per request; '
          f'2 worker processes x {args.threads} threads')
    with BenchServer(report_page_routes, args.rows, args.page_size,
                     delay=args.latency) as server:
        os.environ.update(ATOMX_EMAIL=EMAIL, ATOMX_PASSWORD=PASSWORD,
                          ATOMX_API_ENDPOINT=server.url)
        session = Atomx(EMAIL, PASSWORD, api_endpoint=server.url)

        def sequential(out: str) -> None:
            session.export_report(out, split='day', page_size=args.page_size, **arguments)

        def distributed(out: str) -> None:
            read_report(Atomx.from_env, split='day', page_size=args.page_size,
                        **arguments).to_parquet(out)

        with LocalCluster(n_workers=2, processes=True, threads_per_worker=args.threads,
                          dashboard_address=None) as cluster, Client(cluster):
            distributed(tempfile.mkdtemp())  # warm up the workers' imports
            times: dict[str, list[float]] = {'sequential': [], 'dask': []}
            for run in range(args.runs):
                order = [('sequential', sequential), ('dask', distributed)]
                for name, work in (order if run % 2 == 0 else order[::-1]):
                    times[name].append(wall(work))
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians['sequential'] / medians['dask']
    for name, values in times.items():
        print(f'{name:>10}: median {medians[name]:.2f} s '
              f'(runs: {", ".join(f"{value:.2f}" for value in values)})')
    print(f'sequential / dask: {ratio:.2f}x  target > 1 (Dask faster): '
          f'{"holds" if ratio > 1 else "MISSED"}')


if __name__ == '__main__':
    main()
