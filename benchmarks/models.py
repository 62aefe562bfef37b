"""Micro-benchmark of atomx.models against plain dicts; prints medians and ratios.

    python3 benchmarks/models.py [--quick]

What it measures, each as the median of several timed runs (ours and the plain
version timed in turn, so the printed ratio is the median of paired ratios):

- building 1,000 models from a decoded list (``from_payload``) vs taking the dicts;
- one attribute read per model: a plain value, a timestamp (first read parses,
  later reads are cached), a nested object (first read builds the model), ``id``;
- a whole ``Atomx.get`` of 1,000 sites (HTTP mocked with ``responses``) with one
  attribute read per model, vs ``requests`` + ``response.json()`` + a dict read.
"""
from __future__ import annotations

import json
import statistics
import sys
import timeit
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402
import responses  # noqa: E402

from atomx import Atomx  # noqa: E402
from atomx.models import from_payload  # noqa: E402

API = 'https://api.atomx.com/v3'
COUNT = 1000


def site(number: int) -> dict[str, Any]:
    """A site as the API's documentation shows one (depth=1)."""
    return {
        'advertisers': [], 'advertisers_filter_action': 'EXCLUDE',
        'created_at': '2014-10-29T17:36:42', 'domain': 25040, 'domain_id': 25040,
        'id': number, 'minimum_internal_bid': 0.0, 'name': f'site {number}',
        'networks': [], 'networks_filter_action': 'EXCLUDE', 'placements': [1, 2],
        'publisher': {'id': 3, 'name': 'publisher'}, 'publisher_id': 3, 'state': 'ACTIVE',
        'updated_at': '2015-01-27T22:00:00.072516',
    }


def sites() -> list[dict[str, Any]]:
    return [site(number) for number in range(COUNT)]


def paired(ours: Callable[[], Any], plain: Callable[[], Any],
           setup: Callable[[], Any] = lambda: None, repeat: int = 7,
           number: int = 1, with_gc: bool = False) -> tuple[float, float, float]:
    """Median seconds of ``ours`` and of ``plain``, and the median of their ratios.

    ``with_gc`` keeps the garbage collector on (timeit turns it off), as in real use.

    The two are timed in turn within each repeat (``setup`` untimed before each), so
    a busy machine slows both alike and the ratio stays meaningful.
    """
    ours_times, plain_times, ratios = [], [], []
    collect = 'import gc; gc.enable()' if with_gc else 'pass'
    for _ in range(repeat):
        setup()
        mine = timeit.timeit(ours, collect, number=number) / number
        setup()
        theirs = timeit.timeit(plain, collect, number=number) / number
        ours_times.append(mine)
        plain_times.append(theirs)
        ratios.append(mine / theirs)
    return (statistics.median(ours_times), statistics.median(plain_times),
            statistics.median(ratios))


def row(label: str, timings: tuple[float, float, float], per: int = COUNT) -> None:
    ours, plain, ratio = timings
    print(f'{label:<42} {ours / per * 1e9:9.0f} ns {plain / per * 1e9:9.0f} ns {ratio:7.1f}x')


def construction(repeat: int) -> None:
    payload = sites()
    row('build a model (from_payload)',
        paired(lambda: from_payload('sites', payload, None), lambda: list(payload),
               repeat=repeat, number=20))


def reads(repeat: int, copies: int) -> None:
    """One read per model over ``copies`` lists of 1,000; fresh models for first reads."""
    state: dict[str, Any] = {}
    total = COUNT * copies

    def fresh() -> None:
        state['models'] = [m for _ in range(copies) for m in from_payload('sites', sites(), None)]
        state['dicts'] = [d for _ in range(copies) for d in sites()]

    def compare(label: str, attribute: str, setup: Callable[[], Any]) -> None:
        row(label, paired(lambda: [getattr(m, attribute) for m in state['models']],
                          lambda: [d[attribute] for d in state['dicts']], setup, repeat),
            total)

    compare('read a plain value', 'name', fresh)
    compare('read a timestamp, first read (parses)', 'created_at', fresh)
    compare('read a nested object, first read (builds)', 'publisher', fresh)
    fresh()
    compare('read a timestamp again (cached)', 'created_at', lambda: None)
    compare('read a nested object again (cached)', 'publisher', lambda: None)
    compare('read id (a property)', 'id', lambda: None)


def whole_get(repeat: int, gets: int) -> None:
    """``gets`` GETs of 1,000 sites with one read per model: Atomx vs requests + json."""
    body = json.dumps({'success': True, 'resource': 'sites', 'sites': sites(),
                       'count': COUNT, 'limit': COUNT})
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, API + '/login', json={'auth_token': 't', 'user': {'id': 1}})
        mock.add(responses.GET, API + '/sites', body=body, content_type='application/json')
        atomx = Atomx('bench@example.com', 'pw')
        http = requests.Session()

        def with_models() -> None:
            for _ in range(gets):
                for model in atomx.get('sites'):
                    model.name  # noqa: B018

        def with_requests() -> None:
            for _ in range(gets):
                for item in http.get(API + '/sites').json()['sites']:
                    item['name']  # noqa: B018

        ours, plain, ratio = paired(with_models, with_requests, repeat=repeat, with_gc=True)
    print(f'{gets} GETs of {COUNT:,} sites + one read each (gc on): atomx {ours * 1e3:.1f} ms, '
          f'requests+json {plain * 1e3:.1f} ms, median ratio {ratio:.2f}x (target <= 1.25x)')


def main() -> None:
    quick = '--quick' in sys.argv
    repeat = 3 if quick else 9
    print(f'{"median per model":<42} {"atomx":>12} {"plain dict":>12}    ratio')
    construction(repeat)
    reads(repeat, 2 if quick else 10)
    whole_get(3 if quick else 5, 10 if quick else 50)


if __name__ == '__main__':
    main()
