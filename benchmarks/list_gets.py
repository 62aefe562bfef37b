"""Benchmark 2: 50 GETs of 1,000-model lists, every model built and one attribute read.

    python3 benchmarks/list_gets.py [--quick]

The SDK: ``for site in atomx.get('sites', limit=1000): site.name``.  Plain:
``for item in http.get(url).json()['sites']: item['name']``.  Targets: client
CPU of the SDK at most 1.25x plain with the stdlib json, at most 0.9x with
orjson (the ``speedups`` extra).
"""
from __future__ import annotations

from typing import List

from _server import BenchServer, clients, site_list_routes
from _timing import Result, compare, options, print_results

NAME = '2: 50 GETs of 1,000 models'
TARGETS = {'json': 1.25, 'orjson': 0.90}


def run(quick: bool = False) -> List[Result]:
    """The SDK (json, orjson) against plain requests; ``quick``: 10 GETs, 3 repetitions."""
    gets, repeat = (10, 3) if quick else (50, 7)
    with BenchServer(site_list_routes, 1000) as server:
        atomx, http, auth = clients(server.url)
        url = f'{server.url}/sites'

        def sdk() -> None:
            for _ in range(gets):
                for model in atomx.get('sites', limit=1000):
                    model.name  # noqa: B018

        def plain() -> None:
            for _ in range(gets):
                for item in http.get(url, params='limit=1000', headers=auth).json()['sites']:
                    item['name']  # noqa: B018

        name = NAME if gets == 50 else f'2: {gets} GETs of 1,000 models'
        return compare(name, sdk, plain, repeat, TARGETS)


if __name__ == '__main__':
    print_results(run(options(__doc__.splitlines()[0]).quick))
