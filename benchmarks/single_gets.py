"""Benchmark 1: 500 sequential single-model GETs: SDK, plain requests and the floor.

    python3 benchmarks/single_gets.py [--quick]

The SDK: ``atomx.get('site', 1)`` (a ``Site`` model).  Plain:
``requests.Session().get(url, headers=auth).json()['site']``.  The floor:
``orjson.loads(pool.request('GET', url, headers=auth).data)['site']`` with
urllib3's ``PoolManager``.  Targets: client CPU of the SDK at most 0.60x
plain's and at most 1.4x the floor's, with either decoder.
"""
from __future__ import annotations

from typing import List

from _server import BenchServer, clients, floor_client, single_site_routes
from _timing import Result, Target, compare, options, print_results

NAME = '1: 500 single-model GETs'
TARGETS = {'json': Target(plain=0.60, floor=1.40), 'orjson': Target(plain=0.60, floor=1.40)}


def run(quick: bool = False) -> List[Result]:
    """The SDK (json, orjson), plain requests and the floor; ``quick``: 100 GETs, 3
    repetitions."""
    gets, repeat = (100, 3) if quick else (500, 7)
    with BenchServer(single_site_routes) as server:
        atomx, http, auth = clients(server.url)
        pool, loads = floor_client()
        url = f'{server.url}/site/1'

        def sdk() -> None:
            for _ in range(gets):
                atomx.get('site', 1)

        def plain() -> None:
            for _ in range(gets):
                http.get(url, headers=auth).json()['site']

        def floor() -> None:
            for _ in range(gets):
                loads(pool.request('GET', url, headers=auth).data)['site']

        name = NAME if gets == 500 else f'1: {gets} single-model GETs'
        return compare(name, sdk, plain, floor, repeat, TARGETS)


if __name__ == '__main__':
    print_results(run(options(__doc__.splitlines()[0]).quick))
