"""Benchmark 3: paging through 100,000 models with ``Atomx.iter``, in constant memory.

    python3 benchmarks/iter_paging.py [--quick]

The collection is served in pages of 1,000.  The SDK: ``for site in
atomx.iter('sites'): site.name``.  Plain: the same pages with
``requests.Session`` + ``response.json()``; the floor: urllib3's
``PoolManager`` and orjson.  Each run is a fresh client
process, so its peak RSS (``VmHWM``, or ``resource.getrusage``) is its own; the run is made
at two collection sizes.  Target: the SDK's peak RSS does not grow with the
collection (at most 5 MB more for 5 times the models; holding them all would
take hundreds of MB).  The CPU ratio is shown without a target.
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from typing import List, Tuple

from _server import BenchServer, clients, floor_client, page_path, paging_routes
from _timing import Result, Timing, default_decoder, options

NAME = '3: iter over {:,} models'
#: Largest growth of the peak RSS between the two sizes that still counts as constant.
RSS_SLACK_MB = 5.0


def _peak_rss_mb() -> float:
    """This process's peak RSS: ``VmHWM`` on Linux, else ``ru_maxrss``.

    ``ru_maxrss`` is not used on Linux: a child inherits its parent's value
    across fork and exec, which would hide the child's own peak.
    """
    try:
        with open('/proc/self/status', encoding='ascii') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _client(kind: str, url: str, total: int) -> None:
    """One paging run in this fresh process; prints its figures as JSON.

    ``sdk`` pages with ``iter``; ``sdk-list`` keeps every model (the contrast:
    memory that grows with the collection); ``plain`` pages with requests,
    ``floor`` with urllib3 and orjson.
    """
    atomx, http, auth = clients(url)
    pool, loads = floor_client()
    root = url.rsplit('/v3', 1)[0]
    before = _peak_rss_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    seen = 0
    if kind == 'sdk':
        for model in atomx.iter('sites'):
            model.name  # noqa: B018
            seen += 1
    elif kind == 'sdk-list':
        kept = list(atomx.iter('sites'))
        seen = len(kept)
    else:
        for offset in range(0, total, 1000):
            if kind == 'floor':
                page = loads(pool.request('GET', root + page_path(offset), headers=auth).data)
            else:
                page = http.get(root + page_path(offset), headers=auth).json()
            for item in page['sites']:
                item['name']  # noqa: B018
                seen += 1
    print(json.dumps([time.process_time() - cpu, time.perf_counter() - wall, before,
                      _peak_rss_mb(), seen]))


def _in_fresh_process(kind: str, url: str, total: int) -> Tuple[float, float, float, float]:
    """Run :func:`_client` in a new interpreter (only atomx and requests imported)."""
    answer = subprocess.run([sys.executable, __file__, '--client', kind, url, str(total)],
                            capture_output=True, text=True, check=True, timeout=600).stdout
    cpu, wall, before, peak, seen = json.loads(answer)
    if seen != total:
        raise RuntimeError(f'{kind} saw {seen} models, not {total}')
    return cpu, wall, before, peak


def measure(total: int, repeat: int) -> Tuple[Result, List[float], float]:
    """SDK and plain at one size: the result, the peak RSS (MB) of the SDK, of plain
    and of the SDK keeping every model, and the SDK's RSS before paging."""
    with BenchServer(paging_routes, total) as server:
        runs = {kind: [_in_fresh_process(kind, server.url, total) for _ in range(repeat)]
                for kind in ('sdk', 'plain', 'floor')}
        runs['sdk-list'] = [_in_fresh_process('sdk-list', server.url, total)]

    def timing(kind: str) -> Timing:
        return Timing(statistics.median(run[0] for run in runs[kind]),
                      statistics.median(run[1] for run in runs[kind]))

    def peak(kind: str) -> float:
        return statistics.median(run[3] for run in runs[kind])

    baseline = statistics.median(run[2] for run in runs['sdk'])
    result = Result(NAME.format(total), f'SDK, {default_decoder()}', timing('sdk'),
                    timing('plain'), timing('floor'))
    return result, [peak('sdk'), peak('plain'), peak('sdk-list')], baseline


def run(quick: bool = False) -> Tuple[List[Result], List[str], bool]:
    """Results, lines about memory, and whether the memory target holds."""
    sizes, repeat = ((4_000, 20_000), 1) if quick else ((20_000, 100_000), 3)
    results, notes, peaks = [], [], []
    for total in sizes:
        result, (sdk_peak, plain_peak, list_peak), baseline = measure(total, repeat)
        results.append(result)
        peaks.append(sdk_peak)
        notes.append(f'{total:>7,} models: peak RSS SDK iter {sdk_peak:6.1f} MB, plain requests '
                     f'{plain_peak:6.1f} MB, SDK keeping all models {list_peak:6.1f} MB '
                     f'(before paging: {baseline:.1f} MB)')
    growth = peaks[1] - peaks[0]
    holds = growth <= RSS_SLACK_MB
    notes.append(f'SDK peak RSS grows by {growth:+.1f} MB from {sizes[0]:,} to {sizes[1]:,} '
                 f'models: target constant memory (<= {RSS_SLACK_MB:.0f} MB) '
                 + ('holds' if holds else 'MISSED'))
    return results, notes, holds


if __name__ == '__main__' and sys.argv[1:2] == ['--client']:
    _client(sys.argv[2], sys.argv[3], int(sys.argv[4]))
elif __name__ == '__main__':
    from _timing import print_results

    found, lines, _ = run(options(__doc__.splitlines()[0]).quick)
    print_results(found)
    print('\n'.join(lines))
