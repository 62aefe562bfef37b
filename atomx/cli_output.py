"""The output formats of the ``atomx`` command line: ``json``, ``csv`` and ``table``.

Whatever a command gets from the session (models, lists of them, plain
values, a report's rows) is first made JSON-ready with :func:`plain`, then
written in one of :data:`FORMATS`.  Every tabular shape goes through
:func:`write_rows` (column names plus rows), so the three formats agree on
what a row is.
"""
from __future__ import annotations

import csv
import json
import re
from typing import Any, Iterable, List, Sequence, TextIO

from .models import AtomxModel

#: The values of ``--format``; ``table`` is the default.
FORMATS = ('table', 'json', 'csv')
#: Longest cell of a table; longer text is cut (csv and json are never cut).
TABLE_CELL_WIDTH = 40
#: C0 and C1 control characters and DEL: a terminal acts on them (ESC starts a
#: sequence that can clear the screen or set the title, a newline breaks a line).
_CONTROL = re.compile('[\x00-\x1f\x7f-\x9f]')


def plain(value: Any) -> Any:
    """``value`` with every model replaced by its attributes (``model.json``).

    :param value: a model, a list, tuple or dict of them (at any depth), or a plain value.
    :returns: the same shape with dicts in place of the models (tuples become lists).
    """
    if isinstance(value, AtomxModel):
        return value.json
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
               stream: TextIO) -> None:
    """Rows (in ``columns`` order) as a table, csv, or a JSON list of objects.

    :param columns: the column names, the header of csv and table, the keys of JSON.
    :param rows: the rows, each a sequence of values in ``columns`` order.
    :param output_format: one of :data:`FORMATS`; anything else writes a table.
    :param stream: the text stream written to.
    """
    if output_format == 'json':
        stream.write(to_json([dict(zip(columns, row)) for row in rows]) + '\n')
    elif output_format == 'csv':
        writer = csv.writer(stream, lineterminator='\n')
        writer.writerow(columns)
        writer.writerows([cell(value) for value in row] for row in rows)
    else:
        _write_table(columns, rows, stream)


def printable(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\x1b``, ``\\n``).

    Values come from the API, where other users may have put anything: printed as
    they are, an ESC could drive the terminal and a newline split an output line.

    :param text: the text to print on a terminal.
    :returns: the text without control characters.
    """
    return _CONTROL.sub(lambda found: found.group().encode('unicode_escape').decode('ascii'),
                        text)


def _cut(text: str) -> str:
    text = printable(' '.join(text.split()))
    return text if len(text) <= TABLE_CELL_WIDTH else text[:TABLE_CELL_WIDTH - 1] + '…'


def _write_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], stream: TextIO) -> None:
    lines = [list(columns)] + [[_cut(cell(value)) for value in row] for row in rows]
    widths = [max(len(line[index]) for line in lines) for index in range(len(columns))]
    lines.insert(1, ['-' * width for width in widths])
    for line in lines:
        stream.write('  '.join(text.ljust(width) for text, width in zip(line, widths))
                     .rstrip() + '\n')


def write_records(records: Sequence[dict[str, Any]], output_format: str, stream: TextIO) -> None:
    """A list of objects, one row each; the columns are all their keys.

    :param records: the objects (dicts); a key missing from one is an empty cell.
    :param output_format: one of :data:`FORMATS`.
    :param stream: the text stream written to.
    """
    columns = _columns(records)
    write_rows(columns, ([record.get(name) for name in columns] for record in records),
               output_format, stream)


def write_value(value: Any, output_format: str, stream: TextIO) -> None:
    """What ``atomx get`` answered: a list of models, one model, or a plain value.

    JSON shows it as it is; a table shows one object as name/value lines, a list
    of objects as rows; csv gives one row per object.

    :param value: the session's answer: models, a list of them, or a plain value.
    :param output_format: one of :data:`FORMATS`.
    :param stream: the text stream written to.
    """
    data = plain(value)
    if output_format == 'json':
        stream.write(to_json(data) + '\n')
    elif isinstance(data, list) and all(isinstance(item, dict) for item in data):
        write_records(data, output_format, stream)
    elif isinstance(data, dict) and output_format == 'table':
        write_rows(['attribute', 'value'], list(data.items()), output_format, stream)
    elif isinstance(data, dict):
        write_records([data], output_format, stream)
    elif isinstance(data, list):
        write_rows(['value'], [[item] for item in data], output_format, stream)
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


__all__ = ['FORMATS', 'cell', 'plain', 'printable', 'to_json', 'write_json_stream', 'write_records',
           'write_rows', 'write_value']
