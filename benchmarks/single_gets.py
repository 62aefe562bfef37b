"""Benchmark 1: 500 sequential single-model GETs, SDK against plain requests.

    python3 benchmarks/single_gets.py [--quick]

The SDK: ``atomx.get('site', 1)`` (a ``Site`` model).  Plain:
``requests.Session().get(url, headers=auth).json()['site']``.  Target: client
CPU of the SDK (stdlib json) at most 1.10x plain.
"""
from __future__ import annotations

from typing import List

from _server import BenchServer, clients, single_site_routes
from _timing import Result, compare, options, print_results

NAME = '1: 500 single-model GETs'
TARGETS = {'json': 1.10}


def run(quick: bool = False) -> List[Result]:
    """The SDK (json, orjson) against plain requests; ``quick``: 100 GETs, 3 repetitions."""
    gets, repeat = (100, 3) if quick else (500, 7)
    with BenchServer(single_site_routes) as server:
        atomx, http, auth = clients(server.url)
        url = f'{server.url}/site/1'

        def sdk() -> None:
            for _ in range(gets):
                atomx.get('site', 1)

        def plain() -> None:
            for _ in range(gets):
                http.get(url, headers=auth).json()['site']

        name = NAME if gets == 500 else f'1: {gets} single-model GETs'
        return compare(name, sdk, plain, repeat, TARGETS)


if __name__ == '__main__':
    print_results(run(options(__doc__.splitlines()[0]).quick))
