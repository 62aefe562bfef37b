"""Benchmark 2: 50 GETs of 1,000-model lists, every model built and one attribute read.

    python3 benchmarks/list_gets.py [--quick]

The SDK: ``for site in atomx.get('sites', limit=1000): site.name``.  Plain:
``for item in http.get(url).json()['sites']: item['name']``.  The floor: the
same loop over ``orjson.loads(pool.request('GET', url).data)['sites']`` with
urllib3's ``PoolManager``.  Targets: client CPU of the SDK at most 1.25x plain
with the stdlib json; with orjson (the ``speedups`` extra) at most 0.50x plain
and 1.25x the floor.
"""
from __future__ import annotations

from typing import List

from _server import BenchServer, clients, floor_client, site_list_routes
from _timing import Result, Target, compare, options, print_results

NAME = '2: 50 GETs of 1,000 models'
TARGETS = {'json': Target(plain=1.25), 'orjson': Target(plain=0.50, floor=1.25)}


def run(quick: bool = False) -> List[Result]:
    """The SDK (json, orjson), plain requests and the floor; ``quick``: 10 GETs, 3
    repetitions."""
    gets, repeat = (10, 3) if quick else (50, 7)
    with BenchServer(site_list_routes, 1000) as server:
        atomx, http, auth = clients(server.url)
        pool, loads = floor_client()
        url = f'{server.url}/sites'

        def sdk() -> None:
            for _ in range(gets):
                for model in atomx.get('sites', limit=1000):
                    model.name  # noqa: B018

        def plain() -> None:
            for _ in range(gets):
                for item in http.get(url, params='limit=1000', headers=auth).json()['sites']:
                    item['name']  # noqa: B018

        def floor() -> None:
            for _ in range(gets):
                answer = pool.request('GET', f'{url}?limit=1000', headers=auth)
                for item in loads(answer.data)['sites']:
                    item['name']  # noqa: B018

        name = NAME if gets == 50 else f'2: {gets} GETs of 1,000 models'
        return compare(name, sdk, plain, floor, repeat, TARGETS)


if __name__ == '__main__':
    print_results(run(options(__doc__.splitlines()[0]).quick))
