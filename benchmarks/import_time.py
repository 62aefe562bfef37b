"""Benchmark 5: ``import atomx`` in a fresh interpreter (without pandas).

    python3 benchmarks/import_time.py [--quick] [--against DIR]

Each run is a new ``python3`` process that times ``import atomx`` (client CPU
and wall time, the interpreter's own start-up left out) and checks that pandas
was not imported.  The modules are imported from bytecode caches, as an
installed package is (``PYTHONDONTWRITEBYTECODE`` would compile every module in
every run): the caches go to a temporary ``PYTHONPYCACHEPREFIX``, written by one
untimed run of each side first, so the trees are left as they are.  ``import
requests`` alone is timed the same way, for reference: the SDK needs it, so it
is the floor of ``import atomx``.  With
``--against DIR`` the ``atomx`` package found in ``DIR`` (for example an
earlier checkout: ``git archive main atomx | tar -x -C DIR``) is timed in turn
too, and the ratio this tree / ``DIR`` printed: the target is no slower than
before, with ``NOISE`` allowed (the medians of the same tree move by about
that much from one run to the next on a shared machine).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

#: The largest ratio that still counts as no slower: the noise of the medians.
NOISE = 1.02
HERE = Path(__file__).resolve().parent
TREE = HERE.parent
#: What the fresh interpreter runs: the module is the first argument, the tree the second.
CHILD = '''
import sys, time
sys.path.insert(0, sys.argv[2])
cpu, wall = time.process_time(), time.perf_counter()
__import__(sys.argv[1])
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
heavy = [name for name in ('pandas', 'pyarrow', 'polars', 'dask') if name in sys.modules]
print(cpu, wall, ','.join(heavy) or '-')
'''


def _one(module: str, tree: Path, caches: str) -> Tuple[float, float]:
    """Client CPU and wall seconds of one ``import module`` with ``tree`` first on the path
    and the bytecode caches in ``caches``."""
    environment = {**os.environ, 'PYTHONPYCACHEPREFIX': caches}
    environment.pop('PYTHONDONTWRITEBYTECODE', None)
    answer = subprocess.run([sys.executable, '-c', CHILD, module, str(tree)], check=True,
                            capture_output=True, text=True, timeout=120,
                            env=environment).stdout.split()
    if answer[2] != '-':
        raise RuntimeError(f'import {module} imported {answer[2]}')
    return float(answer[0]), float(answer[1])


def run(quick: bool = False, against: Optional[Path] = None) -> List[str]:
    """The lines to print: medians of every import, and the verdict against ``against``."""
    repeat = 5 if quick else 15
    sides: Dict[str, Tuple[str, Path]] = {'atomx': ('atomx', TREE),
                                          'requests': ('requests', TREE)}
    if against is not None:
        sides['atomx before'] = ('atomx', against.resolve())
    runs: Dict[str, List[Tuple[float, float]]] = {name: [] for name in sides}
    with tempfile.TemporaryDirectory(prefix='atomx-import-') as caches:
        for name in sides:  # untimed: writes the bytecode caches
            _one(*sides[name], caches)
        for repetition in range(repeat):  # in turn, so that a busy machine slows all alike
            order = list(sides) if repetition % 2 == 0 else list(reversed(sides))
            for name in order:
                runs[name].append(_one(*sides[name], caches))
    cpu = {name: statistics.median(run[0] for run in found) for name, found in runs.items()}
    wall = {name: statistics.median(run[1] for run in found) for name, found in runs.items()}
    lines = [f'5: import {name:<13} client CPU {cpu[name] * 1000:6.1f} ms, wall '
             f'{wall[name] * 1000:6.1f} ms (median of {repeat} fresh processes)'
             for name in sides]
    if against is not None:
        ratio = cpu['atomx'] / cpu['atomx before']
        lines.append(f'5: import atomx, this tree over {against}: {ratio:.2f}x client CPU; '
                     f'target no slower (<= {NOISE:.2f}x, the noise): '
                     f'{"holds" if ratio <= NOISE else "MISSED"}')
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='a fast smoke run')
    parser.add_argument('--against', type=Path, help='a directory holding an earlier atomx')
    arguments = parser.parse_args()
    print('\n'.join(run(arguments.quick, arguments.against)))


if __name__ == '__main__':
    main()
