"""Run every benchmark and print one table (plus the paging memory lines).

    python3 benchmarks/run_all.py [--quick]

Benchmarks 1, 2 and 4 compare the SDK (once with the stdlib json decoder, once
with orjson) against plain ``requests.Session`` + ``response.json()`` on a
local server in another process; the ratio is the SDK's client CPU time over
plain's (medians).  Benchmark 3 pages with ``Atomx.iter`` at two collection
sizes and compares the peak RSS.  Then the reports benchmark
(``report_dataframe.py``: JSON -> DataFrame without HTTP) runs as it is.
"""
from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import iter_paging
import list_gets
import report_http
import single_gets
from _timing import header, line, options

import atomx


def main() -> int:
    quick = options(__doc__.splitlines()[0]).quick
    print(f'atomx {atomx.__version__}, Python {platform.python_version()}, '
          f'{platform.machine()}, {"quick smoke run" if quick else "full run"}')
    results = single_gets.run(quick) + list_gets.run(quick)
    paged, memory_lines, memory_holds = iter_paging.run(quick)
    results += paged + report_http.run(quick)
    print(header())
    for result in results:
        print(line(result))
    print('\n'.join(memory_lines))
    missed = [f'{result.benchmark} ({result.variant})' for result in results
              if result.target is not None and result.ratio > result.target]
    if not memory_holds:
        missed.append('3: constant memory')
    print('targets missed: ' + (', '.join(missed) if missed else 'none'))
    print('\nreport_dataframe.py (the DataFrame part alone, no HTTP):', flush=True)
    script = Path(__file__).with_name('report_dataframe.py')
    extra = ['--rows', '100000', '--runs', '3'] if quick else []
    return subprocess.call([sys.executable, str(script), *extra])


if __name__ == '__main__':
    sys.exit(main())
