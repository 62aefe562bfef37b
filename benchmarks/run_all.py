"""Run every benchmark and print one table (plus the paging memory and import lines).

    python3 benchmarks/run_all.py [--quick] [--against DIR]

Benchmarks 1, 2 and 4 compare the SDK (once with the stdlib json decoder, once
with orjson) against plain ``requests.Session`` + ``response.json()`` and
against the floor (urllib3's ``PoolManager``, orjson, plain dicts) on a local
server in another process; the ratios are the SDK's client CPU time over
plain's and over the floor's (medians of the same run).  Benchmark 3 pages
with ``Atomx.iter`` at two collection sizes and compares the peak RSS.
Benchmark 5 times ``import atomx`` in fresh processes (against the atomx in
``DIR`` too, when given).  Then the reports benchmark (``report_dataframe.py``:
JSON -> DataFrame without HTTP) runs as it is.
"""
from __future__ import annotations

import argparse
import platform
import subprocess
import sys
from pathlib import Path

import import_time
import iter_paging
import list_gets
import single_gets
from _timing import header, line

import atomx


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='a fast smoke run')
    parser.add_argument('--against', type=Path,
                        help='a directory holding an earlier atomx, for the import time')
    arguments = parser.parse_args()
    quick = arguments.quick
    print(f'atomx {atomx.__version__}, Python {platform.python_version()}, '
          f'{platform.machine()}, {"quick smoke run" if quick else "full run"}')
    results = single_gets.run(quick) + list_gets.run(quick)
    paged, memory_lines, memory_holds = iter_paging.run(quick)
    # pandas is imported only now: its million objects would make every collection
    # of the garbage collector in 1 to 3 slower, flattering the SDK (which decodes
    # large answers with the collector paused) against plain and the floor
    import report_http

    results += paged + report_http.run(quick)
    print(header())
    for result in results:
        print(line(result))
    print('\n'.join(memory_lines))
    import_lines = import_time.run(quick, arguments.against)
    print('\n'.join(import_lines))
    missed = [f'{result.benchmark} ({result.variant}, over {over})' for result in results
              for over in result.missed()]
    if not memory_holds:
        missed.append('3: constant memory')
    missed += [text.split(':', 1)[0] + ': import time' for text in import_lines
               if text.endswith('MISSED')]
    print('targets missed: ' + (', '.join(missed) if missed else 'none'))
    print('\nreport_dataframe.py (the DataFrame part alone, no HTTP):', flush=True)
    script = Path(__file__).with_name('report_dataframe.py')
    extra = ['--rows', '100000', '--runs', '3'] if quick else []
    return subprocess.call([sys.executable, str(script), *extra])


if __name__ == '__main__':
    sys.exit(main())
