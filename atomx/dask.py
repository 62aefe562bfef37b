"""A report as a Dask DataFrame, one partition per window: :func:`read_report`.

Each window of the period (``split``, as :func:`atomx.report_pages.split_period`
cuts it) becomes one task of ``dask.dataframe.from_map``: the task calls
``session_factory()`` on its worker, fetches the window's pages and returns them
as one pandas DataFrame.  So a report runs on the local scheduler or on a
``distributed`` cluster alike, and no password or token travels in the task
graph: only the factory (``Atomx.from_env`` reads the worker's environment) and
the report's query do.

Every partition has the same columns and dtypes, the ``meta`` known before any
request from the report's columns: time groups ``datetime64[us]`` (wall times of
the report's timezone), ``*_id`` columns ``int64``, metrics ``float64`` (a
metric may hold whole numbers in one window and fractions in the next, and a
Dask column has one dtype), other groups text.

Dask (the ``dask`` extra: ``dask[dataframe]`` and ``distributed``) is imported
here, at the call.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional

from . import columnar
from .optional import require
from .report_frame import TIME_GROUPS
from .report_pages import DEFAULT_PAGE_SIZE, PagePlan, Window, plan_pages, window_pages

if TYPE_CHECKING:  # pragma: no cover
    import dask.dataframe
    import pandas
    import pyarrow


def partition_schema(groups: Sequence[str], metrics: Sequence[str]) -> pyarrow.Schema:
    """The Arrow schema of every partition (see the module docstring).

    :param groups: the report's group columns.
    :param metrics: its metric columns.
    :returns: the schema, groups first, then metrics.
    """
    pa = columnar.import_pyarrow('atomx.dask.read_report')

    def kind(name: str) -> Any:
        if name in TIME_GROUPS:
            return pa.timestamp(columnar.ARROW_TIME_UNIT)
        return pa.int64() if name.endswith('_id') else pa.string()

    return pa.schema([(name, kind(name)) for name in groups]
                     + [(name, pa.float64()) for name in metrics])


@dataclass(frozen=True)
class WindowTask:
    """What one Dask task runs: open a session, fetch one window, return a DataFrame.

    It pickles with the factory and the report's query only; the session it
    opens lives and dies on the worker.

    :param session_factory: called on the worker to get a logged-in session.
    :param plan: the checked request (its body carries no secret).
    """

    session_factory: Callable[[], Any]
    plan: PagePlan

    def __call__(self, window: Optional[Window]) -> pandas.DataFrame:
        """The window's rows as a pandas DataFrame of :func:`partition_schema`.

        :param window: the window, or ``None`` for the whole period.
        :returns: the partition.
        :raises ~atomx.exceptions.APIError: a page failed after the retries.
        """
        pa = columnar.import_pyarrow('atomx.dask.read_report')
        body = self.plan.body
        metrics = body.get('metrics') or []
        schema = partition_schema(body.get('groups') or [], metrics)
        session = self.session_factory()
        try:
            tables = [columnar.report_table(page.columns, page.data, metrics, schema=schema)
                      for page in window_pages(session, self.plan, window)]
        finally:
            close = getattr(session, 'close', None)
            if callable(close):
                close()
        table = pa.concat_tables(tables) if tables else schema.empty_table()
        return table.to_pandas()


def read_report(session_factory: Callable[[], Any], *, split: Optional[str] = 'day',
                page_size: int = DEFAULT_PAGE_SIZE,
                **report_arguments: Any) -> dask.dataframe.DataFrame:
    """A report as a ``dask.dataframe.DataFrame`` with one partition per window.

    Nothing is fetched until the frame is computed.  The arguments are checked
    here, before the graph is built; a report without ``scope`` calls
    ``session_factory()`` once here to tell it from the user's rights.

    :param session_factory: a function without arguments that returns a logged-in
        :class:`~atomx.Atomx` session, called by each task on its worker
        (``Atomx.from_env``, with ``ATOMX_EMAIL`` and ``ATOMX_PASSWORD`` set
        there); the task closes that session when its window is done.  Pass a
        module-level function, not a lambda holding a password: the factory is
        pickled into the graph.
    :param split: the window unit (``'hour'``, ``'day'``, ``'week'``, ``'month'``)
        or ``None`` for one partition.
    :param page_size: rows per request, at least 1.
    :param report_arguments: :meth:`atomx.Atomx.report`'s arguments that select
        rows (``scope``, ``groups``, ``metrics``, ``where``, ``from_``, ``to``,
        ``daterange`` without ``split``, ``timezone``).
    :returns: the lazy DataFrame; ``.compute()`` runs the requests.
    :raises ValueError: as :meth:`atomx.Atomx.iter_report`.
    :raises TypeError: as :meth:`atomx.Atomx.iter_report`, or a factory that
        cannot be called.
    :raises ~atomx.exceptions.MissingDependencyError: dask or pyarrow is not
        installed (``pip install "atomx[dask]"``).
    """
    if not callable(session_factory):
        raise TypeError(f'session_factory must be a function returning an Atomx session '
                        f'(e.g. Atomx.from_env), not {session_factory!r}')
    dataframe = require('dask.dataframe', 'dask', 'atomx.dask.read_report')
    user = None
    if report_arguments.get('scope') is None:
        with session_factory() as session:
            user = session.user
    plan = plan_pages(user, split=split, page_size=page_size, **report_arguments)
    meta = partition_schema(plan.body.get('groups') or [],
                            plan.body.get('metrics') or []).empty_table().to_pandas()
    return dataframe.from_map(WindowTask(session_factory, plan), plan.windows, meta=meta,
                              label='atomx-report', enforce_metadata=False)


__all__ = ['WindowTask', 'partition_schema', 'read_report']
