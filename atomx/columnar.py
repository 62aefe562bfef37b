"""A report's rows as Arrow columns: :func:`report_table` (behind ``Report.arrow``).

The API sends a report as rows (``data``, each a list in ``columns`` order).
:func:`report_table` turns them into one ``pyarrow.Table`` column by column:
``zip(*data)`` transposes the rows and ``pyarrow.array`` converts each column,
both in C, so no Python code runs per row.  The types follow
``Report.pandas``:

- an ``hour``/``day``/``week``/``month`` group becomes ``timestamp[us]``: the
  wall times in the report's timezone, naive as in ``Report.pandas`` (a wall
  time of a DST change cannot always name one instant; the timezone is kept in
  the schema's metadata under ``atomx.timezone``);
- ``*_id`` columns become ``int64`` (nulls where the API sent none);
- metrics become numbers (decimal strings ``float64``);
- any other column keeps the type pyarrow infers; without a value (an empty
  report, a page of nulls) it is ``string``, so that the pages of one export
  agree.  An int too large for ``int64`` is kept as its decimal text (a metric:
  ``float64``).

pyarrow (the ``arrow`` extra) and polars (the ``polars`` extra) are imported
here at the call, never at ``import atomx``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Optional

from .optional import require
from .report_frame import ARROW_TIME_UNIT, TIME_GROUPS

if TYPE_CHECKING:  # pragma: no cover
    import polars
    import pyarrow

#: The schema metadata key of the report's timezone.
TIMEZONE_KEY = b'atomx.timezone'


def import_pyarrow(feature: str) -> Any:
    """pyarrow, imported now that ``feature`` needs it.

    :param feature: what needs it, for the message (``'Report.arrow'``).
    :returns: the ``pyarrow`` module.
    :raises ~atomx.exceptions.MissingDependencyError: pyarrow is not installed
        (``pip install "atomx[arrow]"``).
    """
    return require('pyarrow', 'arrow', feature)


def as_timestamps(array: pyarrow.Array) -> Optional[pyarrow.Array]:
    """Time strings (``'2026-11-23 19:00:00'``, ``'2026-11-23'``, ``'2026-11'``) as timestamps.

    The parsing runs in Arrow's C++; values that are no times give ``None``.

    :param array: a pyarrow string (or timestamp) array.
    :returns: a ``timestamp[us]`` array, or ``None`` when the values are not times.
    """
    pa = import_pyarrow('time columns')
    compute = require('pyarrow.compute', 'arrow', 'time columns')
    target = pa.timestamp(ARROW_TIME_UNIT)
    if pa.types.is_timestamp(array.type) or pa.types.is_null(array.type):
        return array.cast(target)
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        return None
    try:
        return array.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    try:  # a month as the API may write it: '2026-11'
        return compute.strptime(array, format='%Y-%m', unit=ARROW_TIME_UNIT)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _typed(pa: Any, name: str, values: Sequence[Any], metrics: frozenset[str]) -> Any:
    """One column as an Arrow array of the type the module docstring gives it."""
    try:
        array = pa.array(values, from_pandas=True)  # C++ type inference; NaN counts as null
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        # text and numbers mixed, or an int beyond int64: read it all as text (decimal digits
        # keep every int whole; a metric becomes float64 below)
        array = pa.array([None if value is None else str(value) for value in values])
    if name in TIME_GROUPS:
        times = as_timestamps(array)
        return array if times is None else times
    if pa.types.is_null(array.type) and not name.endswith('_id') and name not in metrics:
        return array.cast(pa.string())  # no values yet: a text group, as the next page's
    wanted = (pa.int64() if name.endswith('_id')
              else pa.float64() if name in metrics and not _is_number(pa, array.type)
              else None)
    if wanted is None or array.type == wanted:
        return array
    try:
        return array.cast(wanted)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # fractions or text: keep them
        return array


def _is_number(pa: Any, kind: Any) -> bool:
    return bool(pa.types.is_integer(kind) or pa.types.is_floating(kind))


def report_table(columns: Sequence[str], data: Sequence[Sequence[Any]],
                 metrics: Iterable[str] = (), timezone: Optional[str] = None,
                 schema: Optional[pyarrow.Schema] = None) -> pyarrow.Table:
    """A ``pyarrow.Table`` of a report's rows, typed as the module docstring says.

    :param columns: the column names.
    :param data: the rows, each in ``columns`` order; not copied, not changed.
    :param metrics: the metric columns: made numeric when they come as strings.
    :param timezone: the report's timezone, kept in the schema's metadata.
    :param schema: a schema to cast the table to (an export's earlier pages),
        or ``None`` to keep the types found.
    :returns: the table, one column per name of ``columns``.
    :raises ValueError: rows shorter than ``columns`` (the shortest row decides
        the columns), or a column that cannot take ``schema``'s type.
    :raises ~atomx.exceptions.MissingDependencyError: pyarrow is not installed.
    """
    pa = import_pyarrow('Report.arrow')
    names = list(columns)
    metric_names = frozenset(metrics)
    values = list(zip(*data)) if data else [() for _ in names]
    if len(values) != len(names):  # zip stops at the shortest row
        raise ValueError(f'report rows must have {len(names)} values ({", ".join(names)}), '
                         f'found a row of {len(values)}')
    arrays = [_typed(pa, name, column, metric_names) for name, column in zip(names, values)]
    values.clear()  # the transposed Python columns go now, before the table is complete
    table = pa.Table.from_arrays(arrays, names=names)
    if schema is not None:
        table = conform(table, schema)
    if timezone is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               TIMEZONE_KEY: timezone.encode()})
    return table


def conform(table: pyarrow.Table, schema: pyarrow.Schema) -> pyarrow.Table:
    """``table`` cast to ``schema`` (same column names), as pages of one dataset must be.

    :param table: a page's table.
    :param schema: the dataset's schema.
    :returns: the cast table (``table`` itself when the types already agree).
    :raises ValueError: other column names, or a value the type cannot hold
        without loss (fractions in an ``int64`` column).
    """
    pa = import_pyarrow('Report.arrow')
    if table.schema.names != schema.names:
        raise ValueError(f'the columns {table.schema.names} differ from the dataset\'s '
                         f'{schema.names}')
    if table.schema.remove_metadata() == schema.remove_metadata():
        return table
    try:
        return table.cast(schema.remove_metadata())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise ValueError(f'this page does not fit the dataset\'s types {schema}: {error}') \
            from None


def polars_frame(table: pyarrow.Table) -> polars.DataFrame:
    """The table as a ``polars.DataFrame`` (zero-copy where Arrow and polars allow).

    :param table: a table of :func:`report_table`.
    :returns: the frame, with the same columns and types.
    :raises ~atomx.exceptions.MissingDependencyError: polars is not installed
        (``pip install "atomx[polars]"``).
    """
    return import_polars('Report.polars').from_arrow(table)


def import_polars(feature: str) -> Any:
    """polars, and the pyarrow it is made from, imported now that ``feature`` needs them.

    :param feature: what needs them, for the message (``'Report.polars'``).
    :returns: the ``polars`` module.
    :raises ~atomx.exceptions.MissingDependencyError: polars or pyarrow is not
        installed; either way the message names the ``polars`` extra, which brings both.
    """
    require('pyarrow', 'polars', feature)
    return require('polars', 'polars', feature)


def write_parquet(table: pyarrow.Table, path: Any) -> None:
    """Write ``table`` as one Parquet file.

    :param table: the table to write.
    :param path: the file's path (created or replaced) or a writable binary file.
    :raises ~atomx.exceptions.MissingDependencyError: pyarrow is not installed.
    :raises OSError: the file cannot be written.
    """
    parquet = require('pyarrow.parquet', 'arrow', 'Report.to_parquet')
    parquet.write_table(table, path)


__all__ = ['TIMEZONE_KEY', 'as_timestamps', 'conform', 'import_polars', 'import_pyarrow',
           'polars_frame', 'report_table', 'write_parquet']
