"""The cost of one write to the sandbox: in memory against ``--data`` (kept on disk).

    python3 benchmarks/sandbox_writes.py [--quick] [--puts N]

A sandbox runs in this process on 127.0.0.1; one kept-alive ``requests.Session``
sends ``PUT /v3/advertiser/42`` with a new name, first to a sandbox without
``data`` and then to one with a data file in a temporary directory, in turn
within every repetition (so that a busy machine slows both alike).  It prints
the median wall time of one PUT of each, their ratio, and the size the data
file reached.  It imports the ``atomx`` of the checkout it lives in and uses
only the public ``Sandbox``, so a copy in another checkout measures that one.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]  # the local atomx first

import requests  # noqa: E402

from atomx.sandbox import Sandbox  # noqa: E402


def _session(sandbox: Sandbox) -> requests.Session:
    http = requests.Session()
    answer = http.post(f'{sandbox.url}/login', timeout=10,
                       json={'email': sandbox.email, 'password': sandbox.password})
    http.headers['Authorization'] = 'Bearer ' + answer.json()['auth_token']
    return http


def _puts(http: requests.Session, url: str, count: int, label: str) -> List[float]:
    """The wall seconds of each of ``count`` PUTs."""
    seconds = []
    for number in range(count):
        start = time.perf_counter()
        answer = http.put(f'{url}/advertiser/42', json={'name': f'{label} {number}'}, timeout=30)
        seconds.append(time.perf_counter() - start)
        if answer.status_code != 200:
            raise SystemExit(f'PUT failed: {answer.status_code} {answer.text}')
    return seconds


def _grow(http: requests.Session, url: str, sites: int) -> None:
    """Add ``sites`` sites in one POST, so the state is larger than the seed."""
    if sites:
        body = [{'name': f'grown {number}', 'publisher_id': 1} for number in range(sites)]
        answer = http.post(f'{url}/site', json=body, timeout=300)
        if answer.status_code != 200:
            raise SystemExit(f'POST failed: {answer.status_code} {answer.text}')


def run(puts: int, repeat: int, grow: int = 0) -> Dict[str, float]:
    """Median seconds of one PUT ``in memory`` and ``with --data``, and the file size.

    :param puts: PUTs per repetition.
    :param repeat: repetitions, alternating the order of the two sandboxes.
    :param grow: sites added before timing (0: the seeded state).
    :returns: the two medians (seconds) and ``file bytes``, the data file's size.
    """
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, 'sandbox-data')
        runs: Dict[str, List[float]] = {'in memory': [], 'with --data': []}
        data: Dict[str, Optional[str]] = {'in memory': None, 'with --data': path}
        sandboxes = {label: Sandbox(data=data[label]).start() for label in runs}
        sessions: Dict[str, requests.Session] = {}
        try:
            sessions.update({label: _session(sandboxes[label]) for label in runs})
            for label in runs:  # warm up
                _grow(sessions[label], sandboxes[label].url, grow)
                _puts(sessions[label], sandboxes[label].url, 10, 'warm')
            for repetition in range(repeat):
                order = list(runs) if repetition % 2 == 0 else list(reversed(runs))
                for label in order:
                    runs[label] += _puts(sessions[label], sandboxes[label].url, puts,
                                         f'{label} {repetition}')
        finally:
            for sandbox in sandboxes.values():
                sandbox.stop()
            for http in sessions.values():
                http.close()
        size = sum(os.path.getsize(os.path.join(directory, name))
                   for name in os.listdir(directory))
    medians = {label: statistics.median(values) for label, values in runs.items()}
    return {**medians, 'file bytes': float(size)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='a fast smoke run')
    parser.add_argument('--puts', type=int, default=100, help='PUTs per repetition')
    args = parser.parse_args()
    repeat, puts = (2, 20) if args.quick else (5, args.puts)
    print(f'one PUT /v3/advertiser/42: median wall time of {repeat} x {puts} PUTs '
          '(the sandbox runs in this process)')
    for grow in (0, 5000):
        result = run(puts, repeat, grow)
        memory, disk = result['in memory'], result['with --data']
        print(f'state: the seed + {grow} sites ({result["file bytes"] / 1024:.0f} KiB on disk '
              'after the run)')
        print(f'  in memory     {memory * 1000:8.2f} ms')
        print(f'  with --data   {disk * 1000:8.2f} ms   ({disk / memory:.1f}x in memory)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
