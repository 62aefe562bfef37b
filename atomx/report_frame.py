"""A report's rows as a pandas DataFrame, with pandas imported only when asked.

The frame holds what ``pandas.DataFrame(data, columns=columns)`` would make
of the rows, built column by column (:func:`frame_of_columns`): each column
is taken out of the rows in C, a column of plain ints or floats becomes
``int64``/``float64`` at once and text becomes pandas 3's Arrow strings in
one call, instead of going through pandas' general inference value by value,
which is most of the constructor's time on a large report (any other column
gets that inference, as the constructor would give it).
Afterwards only the columns whose type is not yet right are replaced, one
column at a time, so at the peak the process holds the report's rows and one
frame, not more.  No Python code runs per row.

- The time column of an ``hour``/``day``/``week``/``month`` group becomes a
  ``DatetimeIndex`` (the finest of them when there are several; the others
  become datetime columns), so ``df.resample('h')`` works.  The times stay
  naive: they are wall times in the report's timezone.
- ``*_id`` columns become integers (``Int64`` when some are missing).
- Metric columns sent as strings (decimals) become numbers.

The frame is a :class:`ReportFrame`, a ``pandas.DataFrame`` whose ``resample``
also takes the alias the documentation writes, ``'H'``, which pandas 3 refuses
(it says ``'h'``), and the other aliases pandas 3 renamed (``'M'`` -> ``'ME'``
...): the docs' ``df.resample('H')`` runs with every pandas.  It pickles as a
plain ``DataFrame``.
"""
from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Optional

from .optional import require
from .protocol import TIME_GROUPS

if TYPE_CHECKING:  # pragma: no cover
    import pandas

#: Aliases of pandas < 2.2 and their names since (pandas 3 refuses the old ones).
OLD_ALIASES = {'H': 'h', 'BH': 'bh', 'CBH': 'cbh', 'T': 'min', 'S': 's', 'L': 'ms',
               'U': 'us', 'N': 'ns', 'M': 'ME', 'BM': 'BME', 'SM': 'SME', 'CBM': 'CBME',
               'Q': 'QE', 'BQ': 'BQE', 'Y': 'YE', 'BY': 'BYE', 'A': 'YE', 'BA': 'BYE'}
#: The resolution of parsed wall times (NumPy's parser gives microseconds too).
ARROW_TIME_UNIT = 'us'
_RULE = re.compile(r'([0-9]*)([A-Z]+)')
_frame_class: Optional[type] = None
_frame_class_lock = threading.Lock()


def modern_rule(rule: Any) -> Any:
    """The resample rule with an old upper-case alias renamed: ``'2H'`` -> ``'2h'``.

    :param rule: a rule as ``DataFrame.resample`` takes it.
    :returns: the renamed rule, or ``rule`` itself when it has no old alias.
    """
    match = _RULE.fullmatch(rule) if isinstance(rule, str) else None
    if match is None or match.group(2) not in OLD_ALIASES:
        return rule
    return match.group(1) + OLD_ALIASES[match.group(2)]


def frame_class() -> type:
    """:class:`ReportFrame`, defined on first use (it subclasses ``pandas.DataFrame``).

    :returns: the class.
    :raises ~atomx.exceptions.NoPandasInstalledError: pandas is not installed.
    """
    global _frame_class
    with _frame_class_lock:  # one class for every thread: frames compare and copy alike
        if _frame_class is None:
            _frame_class = _define_frame_class(import_pandas())
    return _frame_class


def _define_frame_class(pd: Any) -> type:
    """Define :class:`ReportFrame` on pandas' ``DataFrame``."""

    class ReportFrame(pd.DataFrame):
        """A report's DataFrame; ``resample`` also takes ``'H'`` (see the module).

        It pickles as a plain ``pandas.DataFrame``, so that a pickled frame loads
        where atomx is not installed.
        """

        @property
        def _constructor(self) -> type:
            return ReportFrame

        def __reduce_ex__(self, protocol: Any) -> Any:
            return pd.DataFrame, (pd.DataFrame(self),)

        def resample(self, rule: Any, *args: Any, **kwargs: Any) -> Any:
            """``DataFrame.resample``, retried with :func:`modern_rule` on a refusal.

            :param rule: the target frequency, e.g. ``'h'`` or the docs' ``'H'``.
            :returns: pandas' resampler.
            :raises ValueError: pandas refuses the rule in either spelling.
            """
            try:
                return super().resample(rule, *args, **kwargs)
            except ValueError:
                modern = modern_rule(rule)
                if modern == rule:
                    raise
                return super().resample(modern, *args, **kwargs)

    ReportFrame.__module__, ReportFrame.__qualname__ = __name__, 'ReportFrame'
    return ReportFrame


def __getattr__(name: str) -> Any:
    """``ReportFrame`` is made on first use, so that ``import atomx`` needs no pandas."""
    if name == 'ReportFrame':
        return frame_class()
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def import_pandas() -> Any:
    """Import pandas, only now that a DataFrame is asked for.

    :returns: the ``pandas`` module.
    :raises ~atomx.exceptions.NoPandasInstalledError: pandas is not installed; the
        message says ``pip install "atomx[report]"``.
    """
    return require('pandas', 'report', 'Report.pandas')


def _as_datetimes(pd: Any, column: Any) -> Optional[Any]:
    """The column as datetime64, or ``None`` when its values are not times.

    Strict ISO strings without a zone ('2026-11-23 19:00:00', '2026-11')
    go through Arrow's parser (pyarrow-backed strings, pandas 3) or NumPy's
    (object strings), both far faster than pandas' on a large report;
    anything else (a zone offset makes NumPy warn) goes to pandas.
    """
    if pd.api.types.is_numeric_dtype(column.dtype):  # numbers are no wall times
        return None
    if getattr(column.dtype, 'storage', None) == 'pyarrow':  # pandas 3 with pyarrow installed
        try:  # Arrow's C++ parser: never a Python step per value, and fast
            return column.astype(f'timestamp[{ARROW_TIME_UNIT}][pyarrow]').to_numpy(
                f'datetime64[{ARROW_TIME_UNIT}]')
        except (TypeError, ValueError):  # a zone offset, '2026-11', a gap: pandas below
            pass
    if column.dtype == object or getattr(column.dtype, 'storage', None) == 'python':
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('error')
                return column.to_numpy(dtype=object).astype('datetime64[us]')
        except (TypeError, ValueError, Warning):
            pass
    for layout in ({'format': 'ISO8601'}, {}):  # pandas < 2 has no 'ISO8601'
        try:
            return pd.to_datetime(column, **layout)
        except (TypeError, ValueError, OverflowError):
            pass
    return None


def _as_numbers(pd: Any, column: Any) -> Optional[Any]:
    """The column as numbers, or ``None`` when it is numeric already or cannot be."""
    types = pd.api.types
    if types.is_numeric_dtype(column.dtype) and not types.is_bool_dtype(column.dtype):
        return None
    try:
        return pd.to_numeric(column)
    except (TypeError, ValueError):
        return None


def _as_integers(pd: Any, column: Any) -> Optional[Any]:
    """The id column as int64 (``Int64`` with gaps), or ``None`` when nothing changes."""
    if pd.api.types.is_integer_dtype(column.dtype):
        return None
    numbers = _as_numbers(pd, column)
    numbers = column if numbers is None else numbers
    try:
        return numbers.astype('Int64' if numbers.isna().any() else 'int64')
    except (TypeError, ValueError):  # fractions or text: keep what there is
        return numbers if numbers is not column else None


def _typed_column(pd: Any, np: Any, values: Any) -> Any:
    """An object array of one column's values as the DataFrame constructor types it.

    Plain ints that fit ``int64`` and plain floats are converted directly (a C
    loop), and so is text that pandas keeps in Arrow (pandas 3's ``str``); every
    other column goes through pandas' inference, which is what the constructor
    runs on each column of rows.
    """
    kind = pd.api.types.infer_dtype(values, skipna=False)  # bools, None: never these three
    try:
        if kind == 'integer':
            return values.astype(np.int64)
        if kind == 'floating':
            return values.astype(np.float64)
        strings = _arrow_strings(pd, values) if kind == 'string' else None
        if strings is not None:
            return strings
    except (OverflowError, TypeError, ValueError):  # beyond int64, text Arrow refuses
        pass
    return pd.Series(values, copy=False).infer_objects()


def _arrow_strings(pd: Any, values: Any) -> Any:
    """Strings (an object array) as the constructor's Arrow string column, made by
    Arrow in C rather than checked one by one; ``None`` when pandas keeps text
    elsewhere (objects in pandas 2, Python strings without pyarrow)."""
    dtype = pd.Series(values[:1], copy=False).infer_objects().dtype  # what pandas makes
    if getattr(dtype, 'storage', None) != 'pyarrow':
        return None
    pa = require('pyarrow', 'arrow', 'Report.pandas')  # present: pandas stores str in it
    return pd.Series(pd.array(pa.array(values, type=pa.large_string()), dtype=dtype),
                     copy=False)


def frame_of_columns(columns: Sequence[str], data: Sequence[Sequence[Any]]) -> Any:
    """The :class:`ReportFrame` that ``DataFrame(data, columns=columns)`` would give, built
    column by column; ``None`` when only the constructor can promise that.

    Each column is taken out of the rows by ``numpy.fromiter`` over
    ``map(itemgetter(i), data)`` (C, no Python code per row), then typed by
    :func:`_typed_column`.  Rows of another width, repeated column names, no rows,
    and a NumPy without object arrays from iterators are left to the constructor
    (with its own error for rows of the wrong width).

    :param columns: the column names.
    :param data: the rows, each in ``columns`` order; not copied, not changed.
    :returns: the frame, or ``None``.
    :raises ~atomx.exceptions.NoPandasInstalledError: pandas is not installed.
    """
    pd = import_pandas()
    import numpy as np  # pandas' own dependency: present whenever pandas is

    names = list(columns)
    count = len(data)
    if not count or len(set(names)) != len(names) or set(map(len, data)) != {len(names)}:
        return None
    typed = {}
    for position, name in enumerate(names):
        try:
            values = np.fromiter(map(itemgetter(position), data), dtype=object, count=count)
        except (TypeError, ValueError):  # NumPy < 1.23 makes no object arrays this way
            return None
        typed[name] = _typed_column(pd, np, values)
    return frame_class()(typed, columns=names, copy=False)


def build_frame(columns: Sequence[str], data: Sequence[Sequence[Any]],
                metrics: Iterable[str] = ()) -> pandas.DataFrame:
    """A DataFrame of a report's rows, typed as the module docstring says.

    :param columns: the column names.
    :param data: the rows, each in ``columns`` order; not copied, not changed.
    :param metrics: the metric columns: made numeric when they come as strings.
    :returns: the frame, with a ``DatetimeIndex`` when a time group is present.
    :raises ~atomx.exceptions.NoPandasInstalledError: pandas is not installed.
    """
    pd = import_pandas()
    frame = frame_of_columns(columns, data)
    if frame is None:
        frame = frame_class()(data, columns=list(columns))
    index = None
    for name in TIME_GROUPS:  # finest first; the column leaves the frame for the index
        times = _as_datetimes(pd, frame[name]) if name in frame.columns else None
        if times is not None:
            del frame[name]
            index = pd.DatetimeIndex(times, name=name)
            break
    metric_names = set(metrics)
    for name in frame.columns:
        if name in TIME_GROUPS:
            converted = _as_datetimes(pd, frame[name])
        elif name.endswith('_id'):
            converted = _as_integers(pd, frame[name])
        elif name in metric_names:
            converted = _as_numbers(pd, frame[name])
        else:
            converted = None
        if converted is not None:
            frame[name] = converted
    if index is not None:
        frame.index = index
    return frame


__all__ = ['OLD_ALIASES', 'TIME_GROUPS', 'build_frame', 'frame_class', 'frame_of_columns',
           'import_pandas', 'modern_rule']
