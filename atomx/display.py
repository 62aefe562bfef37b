"""Values as a person reads them, and the HTML tables of notebooks.

Jupyter shows an object by its ``_repr_html_``; models and lists of models use
these helpers so that a value looks the same in both: text without Python's
quotes, ``None`` as an empty cell, times as ``2026-11-23 19:00:00``, a related
model as ``Advertiser 42``, a list as its items joined by commas, everything cut
to a readable length and escaped.
"""
from __future__ import annotations

import html
import reprlib
from datetime import date, datetime
from typing import Any, Iterable, Sequence

#: The most characters a cell shows; longer values end with ``…``.
MAX_CELL = 60
#: The most items of a list a cell shows.
MAX_ITEMS = 6

#: A :mod:`reprlib` repr that cuts long values: for a model's ``repr`` and odd cells.
SHORT = reprlib.Repr()
SHORT.maxstring = SHORT.maxother = MAX_CELL
SHORT.maxlist = SHORT.maxdict = SHORT.maxset = 4


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + '…'


def readable(value: Any) -> str:
    """``value`` as a person reads it in a table cell (not yet escaped).

    :param value: an attribute's value.
    :returns: text: a str as it is, ``None`` as ``''``, a datetime without the
        ``T``, a model as its class and id, a list or set as its items joined by
        ``', '`` (the first :data:`MAX_ITEMS`, then ``… N more``), a dict as
        ``key: value`` pairs the same way, anything else as its short ``repr``;
        cut to :data:`MAX_CELL` characters.
    """
    if value is None:
        return ''
    if isinstance(value, str):
        return _cut(value)
    if isinstance(value, (bool, int, float)):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=' ')
    if isinstance(value, date):
        return value.isoformat()
    label = getattr(value, '_label', None)
    if callable(label):  # a model: "Advertiser 42"
        return _cut(str(label()))
    if isinstance(value, dict):
        return _joined([f'{key}: {readable(item)}' for key, item in value.items()])
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
        return _joined([readable(item) for item in items])
    return SHORT.repr(value)


def _joined(parts: list[str]) -> str:
    """The first :data:`MAX_ITEMS` parts joined by commas, then how many more."""
    more = len(parts) - MAX_ITEMS
    return _cut(', '.join(parts[:MAX_ITEMS]) + (f', … {more} more' if more > 0 else ''))


def cell(value: Any, tag: str = 'td') -> str:
    """One escaped HTML cell of ``value`` (see :func:`readable`).

    :param value: the value to show.
    :param tag: ``'td'`` for data, ``'th'`` for a header.
    :returns: ``<td>…</td>``.
    """
    return f'<{tag}>{html.escape(readable(value))}</{tag}>'


def html_table(caption: str, header: Sequence[Any], rows: Iterable[Sequence[Any]],
               css_class: str) -> str:
    """An HTML table with a caption, a header row and escaped cells.

    Every value becomes a ``<td>`` of its :func:`readable` text, escaped: markup
    in a value (a ready-made ``<th>`` cell included) shows as text, so no value
    of the API can inject HTML into a notebook.

    :param caption: the table's caption (escaped here).
    :param header: the column names, shown as escaped ``<th>`` cells; an empty
        sequence for no header row.
    :param rows: the rows, each a sequence of values in ``header`` order.
    :param css_class: the table's ``class`` attribute (escaped here).
    :returns: the ``<table>`` markup.
    """
    head = ('<thead><tr>' + ''.join(cell(name, 'th') for name in header) + '</tr></thead>'
            if header else '')
    body = ''.join('<tr>' + ''.join(cell(value) for value in row) + '</tr>' for row in rows)
    return (f'<table class="{html.escape(css_class)}"><caption>{html.escape(caption)}'
            f'</caption>{head}<tbody>{body}</tbody></table>')


__all__ = ['MAX_CELL', 'MAX_ITEMS', 'SHORT', 'cell', 'html_table', 'readable']
