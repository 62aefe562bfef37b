"""Benchmark: a 1,000,000-row report answer -> Report.arrow, against plain orjson + pyarrow.

Times in the same process, alternating, the median of ``--runs`` runs of

- ours: the transport's JSON decoder, the envelope split, ``Report`` and
  ``Report.arrow`` (time strings parsed to timestamps, ids int64, metrics numbers);
- plain: ``orjson.loads``, ``zip(*data)`` and ``pyarrow.Table.from_arrays`` of
  ``pyarrow.array`` of each column (times left as strings);

and then ``Report.pandas`` against ``pandas.DataFrame(data, columns=columns)``
as ``report_dataframe.py`` does, so that its ratio can be set beside the
figure before this change.  Target: Report.arrow within 1.1x of plain.

Not a test: ``python3 benchmarks/report_columnar.py [--rows N] [--runs N]``.
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any, Callable

import orjson
import pyarrow

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from report_dataframe import alternate, answer_text, command_line  # noqa: E402
from report_dataframe import ours as ours_pandas  # noqa: E402
from report_dataframe import plain as plain_pandas  # noqa: E402

from atomx.reports import as_report  # noqa: E402
from atomx.session import split_envelope  # noqa: E402
from atomx.transport import decode_json  # noqa: E402

TARGET = 1.1


def ours_arrow(text: bytes) -> pyarrow.Table:
    _, payload, _ = split_envelope(decode_json(text))
    return as_report(payload, None, 'POST report').arrow


def plain_arrow(text: bytes) -> pyarrow.Table:
    payload = orjson.loads(text)['report']
    columns = list(zip(*payload['data']))
    return pyarrow.Table.from_arrays([pyarrow.array(column) for column in columns],
                                     names=payload['columns'])


def compare(name: str, ours: Callable[[bytes], Any], plain: Callable[[bytes], Any],
            text: bytes, runs: int, target: float) -> None:
    timings = alternate({'ours': ours, 'plain': plain}, text, runs)
    median = {which: statistics.median(values) for which, values in timings.items()}
    ratio = median['ours'] / median['plain']
    best = min(timings['ours']) / min(timings['plain'])
    print(f'{name}: ours {median["ours"]:.3f} s, plain {median["plain"]:.3f} s (medians of '
          f'{runs}); ratio {ratio:.3f} (fastest runs {best:.3f}); target <= {target}: '
          f'{"holds" if ratio <= target else "MISSED"}', flush=True)


def main() -> None:
    args = command_line(__doc__.splitlines()[0])
    text = answer_text(args.rows)
    print(f'{args.rows:,} rows, {len(text) / 1e6:.0f} MB of JSON; pyarrow '
          f'{pyarrow.__version__}, Python {sys.version.split()[0]}')
    print('Report.arrow schema: ' + ', '.join(
        f'{field.name}={field.type}' for field in ours_arrow(text).schema))
    compare('Report.arrow  vs orjson + pyarrow', ours_arrow, plain_arrow, text, args.runs, TARGET)
    compare('Report.pandas vs json + DataFrame', ours_pandas, plain_pandas, text, args.runs, 1.05)


if __name__ == '__main__':
    main()
