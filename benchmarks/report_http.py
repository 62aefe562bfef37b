"""Benchmark 4: a 1,000,000-row report from the HTTP answer to a DataFrame.

    python3 benchmarks/report_http.py [--quick]

The local server answers ``POST report`` with the JSON built by
``benchmarks/report_dataframe.py`` (the reports benchmark, which times the
DataFrame part alone, without HTTP).  The SDK:
``atomx.report(...).pandas`` (typed columns, a DatetimeIndex on ``hour``).
Plain: ``http.post(url, json=body).json()`` and
``pandas.DataFrame(data, columns=columns)``.  Targets: client CPU of the SDK at
most 1.05x plain with the stdlib json, at most 0.75x with orjson.
"""
from __future__ import annotations

from typing import List

import pandas
from _server import BenchServer, clients, report_routes
from _timing import DECODERS, Result, compare, options, print_results
from report_dataframe import COLUMNS

TARGETS = {'json': 1.05, 'orjson': 0.75}
QUERY = {'scope': 'network_buy', 'groups': COLUMNS[:2], 'metrics': COLUMNS[2:],
         'daterange': 'lifetime'}


def run(quick: bool = False) -> List[Result]:
    """The SDK (json, orjson) against plain requests; ``quick``: 100,000 rows, 3 runs."""
    rows, repeat = (100_000, 3) if quick else (1_000_000, 5)
    with BenchServer(report_routes, rows) as server:
        atomx, http, auth = clients(server.url)

        def sdk() -> None:
            frame = atomx.report(**QUERY).pandas
            assert len(frame) == rows

        def plain() -> None:
            report = http.post(f'{server.url}/report', json=QUERY, headers=auth).json()['report']
            frame = pandas.DataFrame(report['data'], columns=report['columns'])
            assert len(frame) == rows

        return compare(f'4: report of {rows:,} rows', sdk, plain, repeat, TARGETS, DECODERS)


if __name__ == '__main__':
    print_results(run(options(__doc__.splitlines()[0]).quick))
