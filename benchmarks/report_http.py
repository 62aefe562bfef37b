"""Benchmark 4: a 1,000,000-row report from the HTTP answer to a DataFrame.

    python3 benchmarks/report_http.py [--quick]

The local server answers ``POST report`` with the JSON built by
``benchmarks/report_dataframe.py`` (the reports benchmark, which times the
DataFrame part alone, without HTTP).  The SDK:
``atomx.report(...).pandas`` (typed columns, a DatetimeIndex on ``hour``).
Plain: ``http.post(url, json=body).json()`` and
``pandas.DataFrame(data, columns=columns)``.  The floor: urllib3's
``PoolManager`` and orjson, then the same DataFrame construction as plain.
Targets: client CPU of the SDK at most 1.05x plain with the stdlib json, at
most 0.55x with orjson.
"""
from __future__ import annotations

from typing import Any, List

import pandas
from _server import BenchServer, clients, floor_client, report_routes
from _timing import DECODERS, Result, Target, compare, options, print_results
from report_dataframe import COLUMNS

TARGETS = {'json': Target(plain=1.05), 'orjson': Target(plain=0.55)}
QUERY = {'scope': 'network_buy', 'groups': COLUMNS[:2], 'metrics': COLUMNS[2:],
         'daterange': 'lifetime'}


def frame_of(report: Any) -> pandas.DataFrame:
    """The DataFrame of a decoded report, as a plain client builds it."""
    return pandas.DataFrame(report['data'], columns=report['columns'])


def run(quick: bool = False) -> List[Result]:
    """The SDK (json, orjson), plain requests and the floor; ``quick``: 100,000 rows,
    3 runs."""
    rows, repeat = (100_000, 3) if quick else (1_000_000, 5)
    with BenchServer(report_routes, rows) as server:
        atomx, http, auth = clients(server.url)
        pool, loads = floor_client()
        url = f'{server.url}/report'

        def sdk() -> None:
            frame = atomx.report(**QUERY).pandas
            assert len(frame) == rows

        def plain() -> None:
            frame = frame_of(http.post(url, json=QUERY, headers=auth).json()['report'])
            assert len(frame) == rows

        def floor() -> None:
            answer = pool.request('POST', url, json=QUERY, headers=auth)
            frame = frame_of(loads(answer.data)['report'])
            assert len(frame) == rows

        return compare(f'4: report of {rows:,} rows', sdk, plain, floor, repeat, TARGETS,
                       DECODERS)


if __name__ == '__main__':
    print_results(run(options(__doc__.splitlines()[0]).quick))
