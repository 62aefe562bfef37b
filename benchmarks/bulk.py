"""Bulk work against a server 20 ms away: the four benchmarks of the bulk verbs.

    python3 benchmarks/bulk.py [--quick] [--part N ...]

The local server (another process) sleeps 20 ms before every answer, as a real
network's round trip would take, so the time measured is waiting, not CPU.
Every figure is the median wall time of several runs, both sides of a ratio
measured in the same run of this script.

1. ``save_all`` of 1,000 changed models with 8 workers against 1,000 sequential
   ``save()`` calls; target: at least 6x faster.
2. ``get_many`` of 5,000 ids against 5,000 single ``get`` calls: requests sent
   and wall time.
3. ``iter`` over 50,000 models with and without ``prefetch``, the caller doing
   20 ms of I/O per 1,000 models (say, one database write per page); target:
   prefetch takes at most 0.7 of the time.
4. ``max_rate=50`` over 500 requests from 10 threads: the achieved rate, which
   must not exceed 50 per second by more than the bucket's burst (1 request).
"""
from __future__ import annotations

import statistics
import sys
import threading
import time
from typing import Any, Callable, List, Tuple

from _server import EMAIL, PASSWORD, BenchServer, bulk_routes, paging_routes
from _timing import options
from models import site

from atomx import Atomx
from atomx.models import from_payload

#: The round trip the server adds to every answer.
LATENCY = 0.020


def session(url: str, **kwargs: Any) -> Atomx:
    """A session of the benchmark's user, counting its requests in ``session.sent``."""
    atomx = Atomx(EMAIL, PASSWORD, api_endpoint=url, **kwargs)
    http = atomx._transport.http
    counted = {'sent': 0}
    send = http.send

    def counting_send(request: Any, **options: Any) -> Any:
        counted['sent'] += 1
        return send(request, **options)

    http.send = counting_send  # type: ignore[method-assign]
    atomx.sent = counted  # type: ignore[attr-defined]
    return atomx


def wall(work: Callable[[], Any], prepare: Callable[[], Any] = lambda: None,
         repeat: int = 3) -> float:
    """The median wall seconds of ``work(prepare())`` (``prepare`` untimed)."""
    times = []
    for _ in range(repeat):
        made = prepare()
        started = time.perf_counter()
        work(made)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def changed_sites(atomx: Atomx, count: int) -> List[Any]:
    """``count`` sites bound to the session, each with one changed attribute."""
    models = [from_payload('site', site(number), atomx) for number in range(1, count + 1)]
    for model in models:
        model.name = f'{model.name} renamed'
    return models


def save_all_vs_sequential(url: str, count: int, repeat: int) -> Tuple[float, float]:
    """1: median seconds of save_all with 8 workers and of sequential saves."""
    atomx = session(url)
    changed = lambda: changed_sites(atomx, count)  # noqa: E731
    bulk = wall(lambda models: atomx.save_all(models, workers=8).raise_for_failures(),
                changed, repeat)
    one_by_one = wall(lambda models: [model.save() for model in models], changed, repeat)
    return bulk, one_by_one


def get_many_vs_gets(url: str, count: int, repeat: int) -> Tuple[float, int, float, int]:
    """2: seconds and requests of get_many, then of single gets."""
    atomx = session(url)
    ids = list(range(1, count + 1))
    before = atomx.sent['sent']  # type: ignore[attr-defined]
    many = wall(lambda _: atomx.get_many('sites', ids), repeat=repeat)
    many_sent = (atomx.sent['sent'] - before) // repeat  # type: ignore[attr-defined]
    before = atomx.sent['sent']  # type: ignore[attr-defined]
    singles = wall(lambda _: [atomx.get('site', number) for number in ids], repeat=repeat)
    singles_sent = (atomx.sent['sent'] - before) // repeat  # type: ignore[attr-defined]
    return many, many_sent, singles, singles_sent


def iter_prefetch(url: str, total: int, repeat: int) -> Tuple[float, float]:
    """3: median seconds of iter with and without prefetch, the caller writing each page."""
    atomx = session(url)

    def consume(prefetch: bool) -> None:
        seen = 0
        for model in atomx.iter('sites', prefetch=prefetch):
            model.name  # noqa: B018
            seen += 1
            if seen % 1000 == 0:
                time.sleep(LATENCY)  # the caller's own I/O: one write per 1,000 models
        if seen != total:
            raise RuntimeError(f'iter saw {seen} models, not {total}')

    prefetched, plain = [], []
    for _ in range(repeat):  # in turn, so a busy machine slows both alike
        prefetched.append(wall(lambda _: consume(True), repeat=1))
        plain.append(wall(lambda _: consume(False), repeat=1))
    return statistics.median(prefetched), statistics.median(plain)


def max_rate_from_threads(url: str, requests: int, threads: int, rate: float) -> float:
    """4: the achieved requests per second of ``threads`` threads sharing ``max_rate``."""
    atomx = session(url, max_rate=rate)
    each = requests // threads
    start = threading.Barrier(threads)

    def work() -> None:
        start.wait()
        for _ in range(each):
            atomx.get('site', 1)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return each * threads / (time.perf_counter() - started)


def verdict(holds: bool) -> str:
    """``holds`` or ``MISSED``."""
    return 'holds' if holds else 'MISSED'


def main() -> int:
    args = options(__doc__.splitlines()[0], parts=4)
    parts = set(args.part or range(1, 5))
    saves, gets, models, repeat = ((200, 1000, 10_000, 1) if args.quick
                                   else (1000, 5000, 50_000, 3))
    print(f'server latency {LATENCY * 1000:.0f} ms per answer; medians of {repeat} run(s)')
    missed = []
    with BenchServer(bulk_routes, delay=LATENCY) as server:
        if 1 in parts:
            bulk, sequential = save_all_vs_sequential(server.url, saves, repeat)
            speedup = sequential / bulk
            missed += [] if speedup >= 6 else ['1']
            print(f'1: save_all of {saves:,} changed models, 8 workers: {bulk:7.2f}s; '
                  f'sequential save(): {sequential:7.2f}s; {speedup:5.1f}x faster '
                  f'(target >= 6x {verdict(speedup >= 6)})')
        if 2 in parts:
            many, many_sent, singles, singles_sent = get_many_vs_gets(server.url, gets, repeat)
            print(f'2: get_many of {gets:,} ids: {many_sent} requests, {many:7.2f}s; single '
                  f'gets: {singles_sent:,} requests, {singles:7.2f}s; {singles / many:5.1f}x '
                  f'faster')
        if 4 in parts:
            rate = max_rate_from_threads(server.url, 500, 10, 50.0)
            missed += [] if rate <= 51 else ['4']
            print(f'4: max_rate=50, 500 requests from 10 threads: {rate:5.1f} requests/s '
                  f'achieved (limit 50 + burst 1: {verdict(rate <= 51)})')
    if 3 in parts:
        with BenchServer(paging_routes, models, delay=LATENCY) as server:
            prefetched, plain = iter_prefetch(server.url, models, repeat)
            ratio = prefetched / plain
            missed += [] if ratio <= 0.7 else ['3']
            print(f'3: iter over {models:,} models: prefetch {prefetched:6.2f}s, without '
                  f'{plain:6.2f}s; ratio {ratio:4.2f} (target <= 0.70 {verdict(ratio <= 0.7)})')
    print('targets missed: ' + (', '.join(missed) if missed else 'none'))
    return 1 if missed else 0


if __name__ == '__main__':
    sys.exit(main())
