"""Reports: :class:`Report`, what :meth:`atomx.Atomx.report` answers.

A report is created with ``POST report`` and comes back with its rows
(``data``, in ``columns`` order) and ``totals``.  :class:`Report` keeps them as
sent and offers them as CSV text, a list of rows, a file, or a pandas
DataFrame (built once, on first use; pandas is imported only then).  The
request itself is built and checked by :mod:`atomx.report_query`, the frame by
:mod:`atomx.report_frame`.

This module talks to the API only through the session's verbs and never
imports the session module.
"""
from __future__ import annotations

import csv
import html
import io
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, TextIO, TypeVar, Union

from . import columnar
from .checks import check_count, session_to_use
from .exceptions import APIError, ModelNotFoundError
from .report_frame import build_frame
from .report_query import parse_datetime

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars
    import pyarrow

#: Rows shown by :meth:`Report._repr_html_`.
HTML_ROWS = 10
#: The report's own class in the hints of methods that return ``self``.
Self = TypeVar('Self', bound='Report')


def _as_datetime(value: Any) -> Any:
    """A datetime from the API's time string; anything unreadable is kept as sent."""
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except (TypeError, ValueError):
        return value


class Report:
    """A report as the API answered it: its rows, totals and query.

    :meth:`atomx.Atomx.report` creates one; ``atomx.get('reports')`` lists them.
    The rows are kept as sent and offered as CSV (:attr:`content`, :attr:`csv`,
    :meth:`to_csv`) or as a DataFrame (:attr:`pandas`).

    :param id: the report's id.
    :param query: the query the API ran (``scope``, ``groups``, ``metrics``, ...).
    :param name: the report's name, or ``None``.
    :param emails: the addresses told when the report is ready.
    :param length: the number of rows; the length of ``data`` when ``None``.
    :param totals: the metrics summed over all rows (a dict by metric).
    :param columns: the column names: the groups, then the metrics.
    :param created_at: when the report was made; a string becomes a ``datetime``.
    :param data: the rows, each a list in ``columns`` order.
    :param user_id: the id of the user who made it.
    :param session: the :class:`~atomx.Atomx` session for :meth:`save`,
        :meth:`delete` and :meth:`reload`.
    :param is_scheduled_report: whether it runs on a schedule (``when``/``interval``).
    :param to: the end of the period (exclusive); a string becomes a ``datetime``.
    :param from_: the start of the period (inclusive); an API answer's ``from``
        is taken when ``from_`` is not given.
    :param kwargs: any other key of the answer, kept in :attr:`extra` and readable
        as an attribute.
    """

    _resource_name = 'report'

    def __init__(self, id: Any, query: Optional[Mapping[str, Any]] = None,
                 name: Optional[str] = None, emails: Any = None, length: Optional[int] = None,
                 totals: Any = None, columns: Optional[list[str]] = None,
                 created_at: Any = None, data: Optional[list[list[Any]]] = None,
                 user_id: Optional[int] = None, session: Any = None,
                 is_scheduled_report: bool = False, to: Any = None, from_: Any = None,
                 **kwargs: Any) -> None:
        sent_from = kwargs.pop('from', None)
        self.id = id
        self.query = query
        self.name = name
        self.emails = emails
        self.columns: list[str] = list(columns or [])
        self.data: list[list[Any]] = data if data is not None else []
        self.length = len(self.data) if length is None else length
        self.totals: Optional[dict[str, Any]] = totals
        self.created_at = _as_datetime(created_at)
        self.user_id = user_id
        self.session = session
        self.is_scheduled_report = is_scheduled_report
        self.to = _as_datetime(to)
        self.from_ = _as_datetime(sent_from if from_ is None else from_)
        self.extra: dict[str, Any] = kwargs
        self._frame: Optional[pandas.DataFrame] = None
        self._table: Optional[pyarrow.Table] = None

    def __getattr__(self, name: str) -> Any:
        """An answer key the constructor does not name, from :attr:`extra`."""
        extra = self.__dict__.get('extra') or {}
        if name in extra:
            return extra[name]
        raise AttributeError(f'{type(self).__name__!r} object has no attribute {name!r}')

    def __repr__(self) -> str:
        """``Report(id=..., name=..., length=...)``: short, without the rows.

        A :class:`ScheduledReport` says ``ScheduledReport(...)``.
        """
        return (f'{type(self).__name__}(id={self.id!r}, name={self.name!r}, '
                f'length={self.length!r})')

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without the session (it holds the credentials) and the cached frames."""
        return {**self.__dict__, 'session': None, '_frame': None, '_table': None}

    # -- the rows in other shapes ------------------------------------------------

    def _write_csv(self, stream: TextIO) -> None:
        writer = csv.writer(stream, lineterminator='\n')
        writer.writerow(self.columns)
        writer.writerows(self.data)

    @property
    def content(self) -> str:
        """The report as CSV text: the column names, then one line per row.

        ``None`` is written as an empty field; lines end with ``\\n``.
        """
        text = io.StringIO()
        self._write_csv(text)
        return text.getvalue()

    @property
    def csv(self) -> list[list[str]]:
        """:attr:`content` read back as a list of rows (lists of str), header first."""
        return list(csv.reader(io.StringIO(self.content)))

    def to_csv(self, path_or_file: Union[str, os.PathLike[str], TextIO]) -> None:
        """Write :attr:`content` to a file.

        :param path_or_file: a path (the file is created or replaced, UTF-8) or a
            text file open for writing (left open).
        :raises OSError: the file cannot be written.
        """
        if isinstance(path_or_file, (str, os.PathLike)):
            with open(path_or_file, 'w', newline='', encoding='utf-8') as stream:
                self._write_csv(stream)
        else:
            self._write_csv(path_or_file)

    @property
    def pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame, built on first use and kept.

        Grouped by hour, day, week or month it has a ``DatetimeIndex`` (so
        ``df.resample('h')`` works); ``*_id`` columns are integers and metrics
        numbers.  See :func:`atomx.report_frame.build_frame`.

        :raises ~atomx.exceptions.NoPandasInstalledError: pandas is not installed
            (``pip install "atomx[report]"``).
        :raises ~atomx.exceptions.APIError: the rows do not form a table with the
            columns (rows of another length, values pandas cannot hold).
        """
        if self._frame is None:
            try:
                self._frame = build_frame(self.columns, self.data,
                                          self._query_value('metrics', ()))
            except (TypeError, ValueError, KeyError, IndexError, AttributeError) as error:
                raise self._not_a_table(error) from error
        return self._frame

    def _not_a_table(self, error: Exception) -> APIError:
        """The error of rows that do not fit the columns: the API's answer is at fault."""
        return APIError(f'the rows of report {self.id} do not form a table with its '
                        f'columns {self.columns!r:.200}: {error}')

    def _query_value(self, key: str, default: Any) -> Any:
        """One key of :attr:`query` (``metrics``, ``timezone``), ``default`` when unknown."""
        value = self.query.get(key) if isinstance(self.query, Mapping) else None
        return default if value is None else value

    @property
    def arrow(self) -> pyarrow.Table:
        """The rows as a ``pyarrow.Table``, built on first use and kept.

        Typed like :attr:`pandas`: time groups are ``timestamp[us]`` wall times in
        the report's timezone (kept in the schema's metadata), ``*_id`` columns
        ``int64``, metrics numbers.  See :func:`atomx.columnar.report_table`.

        :raises ~atomx.exceptions.MissingDependencyError: pyarrow is not installed
            (``pip install "atomx[arrow]"``).
        :raises ~atomx.exceptions.APIError: the rows do not form a table with the
            columns (rows shorter than the columns, values Arrow cannot hold).
        """
        if self._table is None:
            try:
                self._table = columnar.report_table(
                    self.columns, self.data, self._query_value('metrics', ()),
                    self._query_value('timezone', None))
            except (TypeError, ValueError) as error:
                raise self._not_a_table(error) from error
        return self._table

    @property
    def polars(self) -> polars.DataFrame:
        """The rows as a ``polars.DataFrame``, made from :attr:`arrow` (zero-copy where it can).

        :raises ~atomx.exceptions.MissingDependencyError: pyarrow or polars is not
            installed (``pip install "atomx[polars]"``).
        """
        columnar.import_polars('Report.polars')  # the polars extra, before Report.arrow's
        return columnar.polars_frame(self.arrow)

    def to_parquet(self, path: Union[str, os.PathLike[str]]) -> None:
        """Write :attr:`arrow` to one Parquet file.

        :param path: the file (created or replaced).
        :raises ~atomx.exceptions.MissingDependencyError: pyarrow is not installed.
        :raises OSError: the file cannot be written.
        """
        columnar.write_parquet(self.arrow, path)

    def _repr_html_(self) -> str:
        """The first rows and the totals as an HTML table, for notebooks."""
        def row(cells: Any, tag: str = 'td') -> str:
            return '<tr>' + ''.join(
                f'<{tag}>{html.escape("" if cell is None else str(cell))}</{tag}>'
                for cell in cells) + '</tr>'

        shown = self.data[:HTML_ROWS]
        lines = [f'<table><caption>{html.escape(repr(self))}: first {len(shown)} rows'
                 '</caption>', '<thead>' + row(['', *self.columns], 'th') + '</thead><tbody>']
        lines.extend(row([number, *values]) for number, values in enumerate(shown))
        lines.append('</tbody>')
        totals: Any = self.totals  # a list too, from some answers
        if isinstance(totals, Mapping):
            totals = [totals.get(column) for column in self.columns]
        elif totals is not None and not isinstance(totals, (list, tuple)):
            totals = [totals]
        if totals is not None:
            lines.append('<tfoot>' + row(['totals', *totals]) + '</tfoot>')
        lines.append('</table>')
        return '\n'.join(lines)

    # -- requests -----------------------------------------------------------------

    def _session_for(self, action: str, session: Any) -> Any:
        """The session to use: the argument, else the report's (as models do)."""
        return session_to_use(session, self.session, action, f'Report {self.id}', 'report')

    def save(self: Self, session: Any = None) -> Self:
        """Send the report's ``name`` and ``emails`` with ``PUT report/{id}``.

        :param session: the :class:`~atomx.Atomx` session; the report's own when ``None``.
        :returns: ``self``, with the name and emails the API answered.
        :raises ~atomx.exceptions.NoSessionError: there is no session to send with.
        :raises ~atomx.exceptions.APIError: the API refused the change.
        """
        session = self._session_for('save', session)
        emails = [self.emails] if isinstance(self.emails, str) else list(self.emails or [])
        answer = session.put('report', self.id, {'name': self.name, 'emails': emails})
        self.emails = emails
        if isinstance(answer, Mapping):
            self.name = answer.get('name', self.name)
            self.emails = answer.get('emails', self.emails)
        return self

    def delete(self, session: Any = None) -> Any:
        """Remove the report from the user's history with ``DELETE report/{id}``.

        :param session: the :class:`~atomx.Atomx` session; the report's own when ``None``.
        :returns: the API's answer, e.g. ``{'report': [id]}``.
        :raises ~atomx.exceptions.NoSessionError: there is no session to send with.
        :raises ~atomx.exceptions.APIError: the API refused (e.g. an unknown report).
        """
        return self._session_for('delete', session).delete('report', self.id)

    def get(self, limit: Optional[int] = None, offset: int = 0, session: Any = None) -> Report:
        """Read rows of the stored report, as a new report (``GET report/{id}``).

        The API keeps a report's rows; ``report.get(limit=1000, offset=2000)``
        asks for rows 2000 to 2999 of it, in the report's ``sort`` order, with
        ``?limit=1000&offset=2000``.  This report is left as it is.

        :param limit: the most rows to read (an int >= 1); all from ``offset``
            on when ``None``.
        :param offset: the rows to skip (an int >= 0).
        :param session: the :class:`~atomx.Atomx` session; the report's own when ``None``.
        :returns: a new :class:`Report` (a :class:`ScheduledReport` for a scheduled
            one) holding those rows, bound to the session.
        :raises TypeError: ``limit`` or ``offset`` is not an int.
        :raises ValueError: ``limit`` below 1 or ``offset`` below 0.
        :raises ~atomx.exceptions.NoSessionError: there is no session to send with.
        :raises ~atomx.exceptions.ModelNotFoundError: the report has no id.
        :raises ~atomx.exceptions.APIError: the request failed or did not answer a report.
        """
        query = {'limit': None if limit is None else check_count('limit', limit, 1),
                 'offset': check_count('offset', offset, 0)}
        session = self._session_for('get', session)
        if self.id is None:
            raise ModelNotFoundError('a report without an id has no rows stored by the API')
        return as_report(session.get('report', self.id, **query), session,
                         f'GET report/{self.id}')

    def reload(self: Self, session: Any = None) -> Self:
        """Fetch the report again with ``GET report/{id}`` and take its attributes.

        The DataFrame of the old rows is dropped.

        :param session: the :class:`~atomx.Atomx` session; the report's own when ``None``.
        :returns: ``self``.
        :raises ~atomx.exceptions.NoSessionError: there is no session to send with.
        :raises ~atomx.exceptions.ModelNotFoundError: the report has no id.
        :raises ~atomx.exceptions.APIError: the request failed or did not answer a report.
        """
        session = self._session_for('reload', session)
        if self.id is None:
            raise ModelNotFoundError('a report without an id cannot be reloaded')
        fresh = as_report(session.get('report', self.id), session, f'GET report/{self.id}')
        self.__dict__.update(fresh.__dict__)
        self.session = session
        return self


class ScheduledReport(Report):
    """A report that the API makes again and again, on a schedule.

    :meth:`atomx.Atomx.report` with ``when`` and ``interval`` creates one, and
    ``atomx.get('reports')['scheduled']`` lists them: every report answer with
    ``is_scheduled_report: true`` is one.  It is a :class:`Report` in every other
    way (same parameters, rows, :meth:`~Report.get`, :meth:`~Report.save`...);
    ``query['when']`` says when it runs and ``query['interval']`` which period
    each run covers.
    """


def report_class(data: Mapping[str, Any]) -> type[Report]:
    """The class of a report answer: :class:`ScheduledReport` when it says it is scheduled.

    :param data: the report's dict as the API sent it.
    :returns: :class:`ScheduledReport` or :class:`Report`.
    """
    return ScheduledReport if data.get('is_scheduled_report') is True else Report


#: Answer keys that are no field of :class:`Report` (the id is its first argument).
_NOT_FIELDS = frozenset({'id', 'session', 'self', 'from_'})


def from_answer(data: Mapping[str, Any], session: Any, request: str) -> Report:
    """The :class:`Report` of the API's report object, its shape checked.

    :param data: the report as the API answered it (``from`` becomes ``from_``).
    :param session: the session the report keeps.
    :param request: the request, for the error message (``'POST report'``).
    :returns: the report (a :class:`ScheduledReport` when it says it is scheduled).
    :raises ~atomx.exceptions.APIError: ``columns`` is not a list of str, or
        ``data`` not a list of rows (lists).
    """
    columns, rows = data.get('columns'), data.get('data')
    method, _, path = request.partition(' ')
    if columns is not None and not (isinstance(columns, list)
                                    and set(map(type, columns)) <= {str}):
        raise APIError(f'{request} answered a report whose columns are not a list of names',
                       method=method, path=path)
    if rows is not None and not (isinstance(rows, list) and set(map(type, rows)) <= {list}):
        raise APIError(f'{request} answered a report whose data is not a list of rows',
                       method=method, path=path)
    fields = {('from_' if key == 'from' else key): value
              for key, value in data.items() if key not in _NOT_FIELDS}
    return report_class(data)(data.get('id'), session=session, **fields)


def as_report(answer: Any, session: Any, request: str) -> Report:
    """The :class:`Report` of an API answer.

    :param answer: a :class:`Report` (returned as is) or the report's dict.
    :param session: the session the new report keeps.
    :param request: the request, for the error message (``'POST report'``).
    :returns: the report (a :class:`ScheduledReport` when the answer says it is scheduled).
    :raises ~atomx.exceptions.APIError: the answer is not a report, or one of the
        wrong shape (see :func:`from_answer`).
    """
    if isinstance(answer, Report):
        return answer
    if isinstance(answer, Mapping) and 'id' in answer:
        return from_answer(answer, session, request)
    method, _, path = request.partition(' ')
    raise APIError(f'{request} answered {type(answer).__name__} {answer!r:.200}, not a report',
                   method=method, path=path)


__all__ = ['Report', 'ScheduledReport', 'as_report', 'report_class']
