"""The output formats of the ``atomx`` command line: ``json``, ``csv`` and ``table``.

Whatever a command gets from the session (models, lists of them, reports,
plain values, a report's rows) is first made JSON-ready with :func:`plain`,
then written in one of :data:`FORMATS`.  Every tabular shape goes through
:func:`write_rows` (column names plus rows), so the three formats agree on
what a row is.  A table is fitted to the terminal's width (:func:`fit_table`),
as ``ls`` or ``ps`` fit theirs; csv and json are never shortened.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from typing import Any, Iterable, List, Mapping, Optional, Sequence, TextIO

from .models import AtomxModel
from .reports import Report

#: The values of ``--format``; ``table`` is the default.
FORMATS = ('table', 'json', 'csv')
#: Longest cell of a table; longer text is cut (csv and json are never cut).
TABLE_CELL_WIDTH = 40
#: Narrowest a column is shortened to when the table must fit the terminal.
MIN_COLUMN_WIDTH = 8
#: Space between two table columns.
COLUMN_GAP = '  '
#: What ``atomx get reports`` shows of each report (not its rows).
REPORT_SUMMARY = ('id', 'name', 'length', 'created_at', 'scheduled')
#: The lists of ``GET reports``' answer.
REPORT_LISTS = ('reports', 'scheduled')
#: C0 and C1 control characters and DEL: a terminal acts on them (ESC starts a
#: sequence that can clear the screen or set the title, a newline breaks a line).
_CONTROL = re.compile('[\x00-\x1f\x7f-\x9f]')


def plural(count: int, noun: str) -> str:
    """``1 row``, ``2 rows``, ``0 rows``: a count with its noun.

    :param count: how many.
    :param noun: the singular noun; its plural adds an ``s``.
    :returns: the count and the noun, in the number the count asks for.
    """
    return f'{count} {noun}' if count == 1 else f'{count} {noun}s'


def report_summary(report: Report) -> dict[str, Any]:
    """What a listing of reports shows of one: :data:`REPORT_SUMMARY`, not its rows.

    :param report: a report, e.g. one of ``atomx.get('reports')``.
    :returns: its id, name, length, creation time and whether it is scheduled.
    """
    return {'id': report.id, 'name': report.name, 'length': report.length,
            'created_at': report.created_at, 'scheduled': bool(report.is_scheduled_report)}


def plain(value: Any) -> Any:
    """``value`` with every model replaced by its attributes (``model.json``).

    :param value: a model or a report, a list, tuple or dict of them (at any
        depth), or a plain value.
    :returns: the same shape with dicts in place of the models (tuples become
        lists) and of the reports (:func:`report_summary`).
    """
    if isinstance(value, AtomxModel):
        return value.json
    if isinstance(value, Report):
        return report_summary(value)
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def to_json(value: Any) -> str:
    """Indented JSON text; what JSON cannot hold (datetimes) as its ``str``.

    :param value: anything :func:`plain` takes.
    :returns: the JSON text, without a final newline.
    """
    return json.dumps(plain(value), indent=2, default=str, ensure_ascii=False)


def cell(value: Any) -> str:
    """One value as a csv or table cell: lists and objects as compact JSON.

    :param value: a plain value (``None`` is an empty cell, booleans are
        ``true``/``false`` as in JSON).
    :returns: the cell's text.
    """
    if value is None:
        return ''
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=str, separators=(',', ':'), ensure_ascii=False)
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def _columns(records: Sequence[dict[str, Any]]) -> List[str]:
    """Every key of the records, in the order they first appear."""
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record))
    return list(seen)


def write_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]], output_format: str,
               stream: TextIO, width: Optional[int] = None) -> None:
    """Rows (in ``columns`` order) as a table, csv, or a JSON list of objects.

    :param columns: the column names, the header of csv and table, the keys of JSON.
    :param rows: the rows, each a sequence of values in ``columns`` order.
    :param output_format: one of :data:`FORMATS`; anything else writes a table.
    :param stream: the text stream written to.
    :param width: the characters a table line may take (see :func:`table_width`);
        ``None`` writes every column in full.  csv and json ignore it.
    """
    if output_format == 'json':
        stream.write(to_json([dict(zip(columns, row)) for row in rows]) + '\n')
    elif output_format == 'csv':
        writer = csv.writer(stream, lineterminator='\n')
        writer.writerow(columns)
        writer.writerows([cell(value) for value in row] for row in rows)
    else:
        _write_table(columns, rows, stream, width)


def printable(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\x1b``, ``\\n``).

    Values come from the API, where other users may have put anything: printed as
    they are, an ESC could drive the terminal and a newline split an output line.

    :param text: the text to print on a terminal.
    :returns: the text without control characters.
    """
    return _CONTROL.sub(lambda found: found.group().encode('unicode_escape').decode('ascii'),
                        text)


def table_width(stream: TextIO, wide: bool = False,
                environ: Optional[Mapping[str, str]] = None) -> Optional[int]:
    """How wide a table written to ``stream`` may be: the terminal's width.

    :param stream: where the table goes (stdout).
    :param wide: ``--wide``: no limit.
    :param environ: the environment (default: :data:`os.environ`); ``COLUMNS``
        wins over the terminal, as for ``ls``.
    :returns: the width in characters, or ``None`` (no limit) with ``wide``
        and when ``stream`` is no terminal (a pipe or a file gets every column).
    """
    if wide:
        return None
    columns = (os.environ if environ is None else environ).get('COLUMNS', '')
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns if stream.isatty() else None
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        return None


def _one_line(text: str) -> str:
    """``text`` on one printable line: runs of whitespace as one space, controls escaped."""
    return printable(' '.join(text.split()))


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the last one an ellipsis when it was longer."""
    return text if len(text) <= width else text[:max(width - 1, 0)] + '…'


def _level_widths(natural: Sequence[int], floors: Sequence[int],
                  width: int) -> Optional[List[int]]:
    """Column widths that fit ``width``, shortening the widest columns first.

    Every column keeps ``min(natural, level)`` (but at least its floor) for the
    highest level that fits; ``None`` when even the floors do not fit.
    """
    gaps = len(COLUMN_GAP) * (len(natural) - 1)

    def at(level: int) -> List[int]:
        return [max(floor, min(wanted, level)) for wanted, floor in zip(natural, floors)]

    if sum(at(0)) + gaps > width:
        return None
    low, high = 0, max(natural)
    while low < high:  # the highest level whose widths fit
        middle = (low + high + 1) // 2
        if sum(at(middle)) + gaps <= width:
            low = middle
        else:
            high = middle - 1
    return at(low)


def fit_table(columns: Sequence[str], lines: Sequence[Sequence[str]],
              width: Optional[int]) -> List[int]:
    """The width of each column that is shown, so that a table fits ``width``.

    Columns are first shortened, the widest first, down to
    :data:`MIN_COLUMN_WIDTH` (a header is never cut); when that is not enough,
    the last columns are left out.  The first column is always shown.

    :param columns: the header.
    :param lines: the cells' texts, row by row (the header included or not).
    :param width: the characters a line may take, or ``None`` for no limit.
    :returns: the widths of the columns shown, in order: as many as are shown.
    """
    natural = [max([len(name)] + [len(line[index]) for line in lines])
               for index, name in enumerate(columns)]
    if width is None or not natural:
        return natural
    floors = [min(wanted, max(MIN_COLUMN_WIDTH, len(name)))
              for wanted, name in zip(natural, columns)]
    for shown in range(len(natural), 0, -1):
        widths = _level_widths(natural[:shown], floors[:shown], width)
        if widths is not None:
            return widths
    return [max(1, min(natural[0], width))]


def _write_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], stream: TextIO,
                 width: Optional[int]) -> None:
    # each text is made one printable line once; fitting the table only cuts it
    names = [_one_line(name) for name in columns]  # keys come from the API too
    cells = [[_cut(_one_line(cell(value)), TABLE_CELL_WIDTH) for value in row] for row in rows]
    widths = fit_table(names, cells, width)
    shown = len(widths)
    lines = [names[:shown], ['-' * size for size in widths]] + [row[:shown] for row in cells]
    for line in lines:
        stream.write(COLUMN_GAP.join(_cut(text, size).ljust(size)
                                     for text, size in zip(line, widths)).rstrip() + '\n')
    left_out = names[shown:]
    if left_out:
        stream.write(f'({plural(len(left_out), "column")} left out to fit {width} '
                     f'characters: {", ".join(left_out)}; --wide shows every column)\n')


def write_records(records: Sequence[dict[str, Any]], output_format: str, stream: TextIO,
                  width: Optional[int] = None, columns: Optional[Sequence[str]] = None) -> None:
    """A list of objects, one row each; the columns are all their keys.

    :param records: the objects (dicts); a key missing from one is an empty cell.
    :param output_format: one of :data:`FORMATS`.
    :param stream: the text stream written to.
    :param width: a table's width limit, as for :func:`write_rows`.
    :param columns: the columns to write (default: every key, in the order the
        keys first appear).
    """
    names = _columns(records) if columns is None else list(columns)
    write_rows(names, ([record.get(name) for name in names] for record in records),
               output_format, stream, width)


def _is_reports_listing(value: Any) -> bool:
    """Whether ``value`` is the answer of ``get('reports')``: a dict of lists of reports."""
    if not isinstance(value, dict) or not value:
        return False
    lists = list(value.values())
    if not all(isinstance(items, list) and all(isinstance(item, Report) for item in items)
               for items in lists):
        return False
    return any(lists) or set(value) == set(REPORT_LISTS)  # else an empty answer of another kind


def write_value(value: Any, output_format: str, stream: TextIO,
                width: Optional[int] = None) -> None:
    """What ``atomx get`` answered: a list of models, one model, or a plain value.

    JSON shows it as it is; a table shows one object as name/value lines, a list
    of objects as rows; csv gives one row per object.  The reports of ``get
    reports`` are one row each (:data:`REPORT_SUMMARY`, ``scheduled`` telling
    the two lists apart) in a table or csv; one report (``get report ID``) is
    its rows, as ``atomx report`` prints them.

    :param value: the session's answer: models, a list of them, or a plain value.
    :param output_format: one of :data:`FORMATS`.
    :param stream: the text stream written to.
    :param width: a table's width limit, as for :func:`write_rows`.
    """
    if isinstance(value, Report):  # `get report ID`: its rows, as `atomx report` prints them
        write_rows(value.columns, value.data, output_format, stream, width)
        return
    data = plain(value)
    if output_format == 'json':
        stream.write(to_json(data) + '\n')
    elif _is_reports_listing(value):  # plain() made each report its summary
        write_records([summary for summaries in data.values() for summary in summaries],
                      output_format, stream, width, columns=REPORT_SUMMARY)
    elif isinstance(data, list) and all(isinstance(item, dict) for item in data):
        write_records(data, output_format, stream, width)
    elif isinstance(data, dict) and output_format == 'table':
        write_rows(['attribute', 'value'], list(data.items()), output_format, stream, width)
    elif isinstance(data, dict):
        write_records([data], output_format, stream, width)
    elif isinstance(data, list):
        write_rows(['value'], [[item] for item in data], output_format, stream, width)
    else:
        stream.write(cell(data) + '\n')


def write_json_stream(items: Iterable[Any], stream: TextIO) -> int:
    """A JSON list written item by item (for ``--all``: nothing is kept).

    :param items: models or plain values, e.g. the generator of :meth:`atomx.Atomx.iter`.
    :param stream: the text stream written to.
    :returns: how many items were written.
    """
    count = 0
    for item in items:
        stream.write(('[\n' if count == 0 else ',\n') + json.dumps(
            plain(item), default=str, ensure_ascii=False))
        count += 1
    stream.write('[]\n' if count == 0 else '\n]\n')
    return count


__all__ = ['FORMATS', 'cell', 'fit_table', 'plain', 'plural', 'printable', 'report_summary',
           'table_width', 'to_json', 'write_json_stream', 'write_records', 'write_rows',
           'write_value']
