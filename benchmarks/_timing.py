"""Timing and reporting for the benchmarks: client CPU and wall time, medians, targets.

A workload is timed as client CPU (``time.process_time``: this process only,
the server runs in another) and wall time.  The SDK is measured twice, with the
transport decoding JSON by the standard library and by orjson (the
``speedups`` extra), plain ``requests`` once and the floor once, in turn
within every repetition, so that a busy machine slows all of them alike.

The floor is the least a Python client can do for the same workload: urllib3's
``PoolManager`` directly, orjson, plain dicts (and for reports the same
DataFrame construction as plain).  The SDK's CPU over the floor says how much
of what is left could still go.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Optional

from atomx import transport

DECODERS: Dict[str, Callable[[bytes], Any]] = {'json': json.loads}
try:
    import orjson

    DECODERS['orjson'] = orjson.loads
except ImportError:  # pragma: no cover
    pass


def default_decoder() -> str:
    """The decoder the transport picked at import: ``orjson`` when installed."""
    return 'json' if transport._json_loads is json.loads else 'orjson'


@contextlib.contextmanager
def sdk_decoder(loads: Callable[[bytes], Any]) -> Iterator[None]:
    """Let the transport decode with ``loads`` for a while."""
    before = transport._json_loads
    transport._json_loads = loads
    try:
        yield
    finally:
        transport._json_loads = before


@dataclass
class Timing:
    """Client CPU seconds and wall seconds of one run (or their medians)."""

    cpu: float
    wall: float


@dataclass
class Target:
    """The highest CPU ratios allowed: over plain requests, and over the floor."""

    plain: Optional[float] = None
    floor: Optional[float] = None


@dataclass
class Result:
    """One benchmark line: SDK (with one decoder) against plain requests and the floor."""

    benchmark: str
    variant: str
    sdk: Timing
    plain: Timing
    floor: Optional[Timing] = None
    target: Target = field(default_factory=Target)

    @property
    def ratio(self) -> float:
        """SDK client CPU over plain's."""
        return self.sdk.cpu / self.plain.cpu

    @property
    def floor_ratio(self) -> Optional[float]:
        """SDK client CPU over the floor's, or ``None`` without a floor."""
        return None if self.floor is None else self.sdk.cpu / self.floor.cpu

    def missed(self) -> List[str]:
        """The targets that do not hold (``'plain'``, ``'floor'``)."""
        found = []
        if self.target.plain is not None and self.ratio > self.target.plain:
            found.append('plain')
        floor_ratio = self.floor_ratio
        if (self.target.floor is not None and floor_ratio is not None
                and floor_ratio > self.target.floor):
            found.append('floor')
        return found

    @property
    def verdict(self) -> str:
        """``targets <= Nx (plain), <= Mx (floor): holds`` or ``MISSED ...``; empty
        without a target."""
        wanted = [f'<= {limit:.2f}x {over}' for over, limit in
                  (('plain', self.target.plain), ('floor', self.target.floor))
                  if limit is not None]
        if not wanted:
            return ''
        missed = self.missed()
        return (', '.join(wanted) + ': '
                + ('holds' if not missed else 'MISSED over ' + ' and '.join(missed)))


def timed(work: Callable[[], Any]) -> Timing:
    """One run's client CPU and wall seconds (after a collection, gc left on)."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return Timing(time.process_time() - cpu, time.perf_counter() - wall)


def median(timings: List[Timing]) -> Timing:
    """The median CPU and the median wall time of several runs."""
    return Timing(statistics.median(t.cpu for t in timings),
                  statistics.median(t.wall for t in timings))


def compare(name: str, sdk: Callable[[], Any], plain: Callable[[], Any],
            floor: Callable[[], Any], repeat: int, targets: Dict[str, Target],
            decoders: Optional[Dict[str, Callable[[bytes], Any]]] = None) -> List[Result]:
    """Run ``plain``, ``floor`` and ``sdk`` under every decoder in turn; one result
    per decoder."""
    decoders = DECODERS if decoders is None else decoders
    others = {'plain': plain, 'floor': floor}
    runs: Dict[str, List[Timing]] = {'plain': [], 'floor': [],
                                      **{decoder: [] for decoder in decoders}}
    sdk()  # warm up: connections, imports, caches
    plain()
    floor()
    for repetition in range(repeat):
        order = list(runs) if repetition % 2 == 0 else list(reversed(runs))
        for which in order:
            if which in others:
                runs[which].append(timed(others[which]))
            else:
                with sdk_decoder(decoders[which]):
                    runs[which].append(timed(sdk))
    return [Result(name, f'SDK, {decoder}', median(runs[decoder]), median(runs['plain']),
                   median(runs['floor']), targets.get(decoder, Target()))
            for decoder in decoders]


def header() -> str:
    """The column titles of the table that :func:`line` fills."""
    return (f'{"benchmark":<30} {"variant":<12} {"SDK cpu":>8} {"plain cpu":>9} '
            f'{"floor cpu":>9} {"/plain":>6} {"/floor":>6} {"SDK wall":>8} {"/plain":>6}  '
            'verdict (client CPU ratios)')


def line(result: Result) -> str:
    """One table line: the CPU of the three sides, the SDK's CPU ratios, its wall
    time and wall ratio, and the verdict."""
    sdk, plain, floor = result.sdk, result.plain, result.floor
    floor_cpu = f'{floor.cpu:8.3f}s' if floor is not None else f'{"--":>9}'
    floor_ratio = f'{result.floor_ratio:5.2f}x' if result.floor_ratio is not None else '    --'
    return (f'{result.benchmark:<30} {result.variant:<12} {sdk.cpu:7.3f}s {plain.cpu:8.3f}s '
            f'{floor_cpu} {result.ratio:5.2f}x {floor_ratio} {sdk.wall:7.3f}s '
            f'{sdk.wall / plain.wall:5.2f}x  {result.verdict}')


def print_results(results: List[Result]) -> None:
    """Print the table of ``results``."""
    print(header())
    for result in results:
        print(line(result))


def options(description: str, parts: int = 0) -> argparse.Namespace:
    """The command line of a benchmark script: ``--quick`` (and ``--part N`` of ``parts``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--quick', action='store_true', help='a fast smoke run')
    if parts:
        parser.add_argument('--part', type=int, choices=range(1, parts + 1), action='append',
                            help='run only this benchmark (repeatable; default: all)')
    return parser.parse_args()
