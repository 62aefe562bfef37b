"""Timing and reporting for the benchmarks: client CPU and wall time, medians, targets.

A workload is timed as client CPU (``time.process_time``: this process only,
the server runs in another) and wall time.  The SDK is measured twice, with the
transport decoding JSON by the standard library and by orjson (the
``speedups`` extra), and plain ``requests`` once, in turn within every
repetition, so that a busy machine slows all of them alike.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import statistics
import time
from dataclasses import dataclass
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
class Result:
    """One benchmark line: SDK (with one decoder) against plain requests."""

    benchmark: str
    variant: str
    sdk: Timing
    plain: Timing
    target: Optional[float]  # the highest CPU ratio allowed, or None for no target

    @property
    def ratio(self) -> float:
        """SDK client CPU over plain's: the figure the targets are about."""
        return self.sdk.cpu / self.plain.cpu

    @property
    def verdict(self) -> str:
        """``target <= Nx holds`` or ``MISSED``; empty without a target."""
        if self.target is None:
            return ''
        return f'target <= {self.target:.2f}x ' + ('holds' if self.ratio <= self.target
                                                   else 'MISSED')


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


def compare(name: str, sdk: Callable[[], Any], plain: Callable[[], Any], repeat: int,
            targets: Dict[str, Optional[float]],
            decoders: Optional[Dict[str, Callable[[bytes], Any]]] = None) -> List[Result]:
    """Run ``plain`` and ``sdk`` under every decoder in turn; one result per decoder."""
    decoders = DECODERS if decoders is None else decoders
    runs: Dict[str, List[Timing]] = {'plain': [], **{decoder: [] for decoder in decoders}}
    sdk()  # warm up: connections, imports, caches
    plain()
    for repetition in range(repeat):
        order = list(runs) if repetition % 2 == 0 else list(reversed(runs))
        for which in order:
            if which == 'plain':
                runs[which].append(timed(plain))
            else:
                with sdk_decoder(decoders[which]):
                    runs[which].append(timed(sdk))
    return [Result(name, f'SDK, {decoder}', median(runs[decoder]), median(runs['plain']),
                   targets.get(decoder)) for decoder in decoders]


def header() -> str:
    """The column titles of the table that :func:`line` fills."""
    return (f'{"benchmark":<34} {"variant":<18} {"SDK cpu":>9} {"plain cpu":>9} {"ratio":>6}'
            f' {"SDK wall":>9} {"plain wall":>10} {"ratio":>6}  verdict')


def line(result: Result) -> str:
    """One table line: CPU and wall of both sides, their ratios and the verdict."""
    sdk, plain = result.sdk, result.plain
    return (f'{result.benchmark:<34} {result.variant:<18} {sdk.cpu:8.3f}s {plain.cpu:8.3f}s '
            f'{result.ratio:5.2f}x {sdk.wall:8.3f}s {plain.wall:9.3f}s '
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
