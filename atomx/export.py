"""A report as a Parquet dataset: :func:`export_report` (behind ``Atomx.export_report``).

The dataset is Hive-partitioned by window, one file per window::

    path/_atomx_export.json                the manifest
    path/day=2026-01-01/part-0.parquet     the rows of 1 January
    path/day=2026-01-02/part-0.parquet     ...

so DuckDB, polars, pandas, Dask and Spark read it as one table
(``pyarrow.dataset.dataset(path, partitioning='hive')``, or :func:`read_dataset`
for the partition column typed as a timestamp).  Windows are labelled by the
start of their ``split`` unit in the report's timezone (``day=2026-01-01``,
``week=`` its Monday, ``month=`` its first day, ``hour=2026-01-01 05:00:00``
URL-quoted as Hive does).  A group column of the same name as the split (``day``
in a report grouped by day and split by day) lives in the path, not in the
files, as Hive wants.

- **One page in memory.** Each page is typed (:mod:`atomx.columnar`) and
  appended to the window's file as a row group before the next page is asked for.
- **No partial file.** A window is written to a hidden temporary name and
  renamed when complete; readers skip hidden names, so they never see a partial file.
- **Resume.** The manifest records each finished window (its bounds, rows and
  bytes) after its rename; a window that is not over yet (it ends after now)
  is written but not recorded, so the next run fetches it again.  Running the
  same export again skips finished windows, so an interrupted run resumes
  where it stopped; a window that was half written is written again from its
  start.  ``refresh_last=N`` fetches
  the newest N windows again, for delivery data that arrive late.
- **One query per dataset.** The manifest also keeps the report's scope,
  groups, metrics, filters, timezone and split; other ones for an existing
  dataset are an error, never a silent mix.  The period may change (a daily
  run extends ``to``); a window whose bounds changed is fetched again, and the
  windows of an earlier run outside the new period stay in the dataset.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union
from urllib.parse import quote

from . import columnar, dir_lock, report_query
from .checks import check_count
from .optional import require
from .paging import progress_bar
from .report_pages import (
    DEFAULT_PAGE_SIZE,
    PagePlan,
    Window,
    iter_report,
    plan_pages,
    window_pages,
)

#: The manifest's file name (a leading ``_``: dataset readers skip it).
MANIFEST = '_atomx_export.json'
#: The one data file of a window.
PART = 'part-0.parquet'
#: The body keys that make a dataset's query: the same for every run of one dataset.
IDENTITY_KEYS = ('scope', 'groups', 'metrics', 'where', 'timezone')
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class ExportSummary:
    """What :func:`export_report` did.

    :param path: the dataset's directory.
    :param windows: the windows of the period.
    :param written: the windows fetched and written by this run.
    :param skipped: the windows finished by an earlier run and kept.
    :param rows: the rows written by this run.
    :param bytes: the bytes of the files written by this run.
    """

    path: str
    windows: int
    written: int
    skipped: int
    rows: int
    bytes: int


def partition_label(window: Window, split: str) -> str:
    """The Hive value of a window: the start of its ``split`` unit (hour: to the hour).

    :param window: the window.
    :param split: its unit (``'hour'``, ``'day'``, ``'week'``, ``'month'``).
    :returns: ``'2026-01-01'``, or ``'2026-01-01 05:00:00'`` for an hour.
    """
    start = window.start
    if split == 'hour':
        return start.strftime('%Y-%m-%d %H:00:00')
    day = start.date()
    if split == 'week':
        day = day.fromordinal(day.toordinal() - day.weekday())
    elif split == 'month':
        day = day.replace(day=1)
    return day.isoformat()


def partition_directory(path: Path, window: Window, split: str) -> Path:
    """The directory of a window: ``path/day=2026-01-01`` (the value URL-quoted, as Hive does).

    :param path: the dataset's directory.
    :param window: the window.
    :param split: its unit.
    :returns: the directory.
    """
    return _label_directory(path, split, partition_label(window, split))


def _label_directory(path: Path, split: str, label: str) -> Path:
    """The directory of the partition ``label`` (a :func:`partition_label`)."""
    return path / f'{split}={quote(label, safe="")}'


class _Manifest:
    """The dataset's manifest: its query and its finished windows, saved by rename."""

    def __init__(self, path: Path, identity: dict[str, Any]) -> None:
        self.file = path / MANIFEST
        self.identity = identity
        self.windows: dict[str, dict[str, Any]] = {}
        if self.file.exists():
            saved = json.loads(self.file.read_text(encoding='utf-8'))
            if saved.get('query') != identity:
                raise ValueError(
                    f'{path} holds an export of another report ({saved.get("query")}), not of '
                    f'{identity}: export to another path, or remove the old dataset first')
            self.windows = saved.get('windows', {})
            return
        _refuse_other_files(path)  # again, now that this export holds the lock
        self.save()  # first, so that a run killed in its first window leaves a dataset

    def save(self) -> None:
        """Write the manifest (a temporary file, then a rename)."""
        text = json.dumps({'version': MANIFEST_VERSION, 'query': self.identity,
                           'windows': dict(sorted(self.windows.items()))}, indent=1)
        temporary = self.file.with_name('.' + MANIFEST + '.tmp')
        temporary.write_text(text, encoding='utf-8')
        os.replace(temporary, self.file)

    def finished(self, label: str, window: Window, file: Path) -> bool:
        """Whether ``window`` was written whole with these very bounds, and its file is there.

        A partition removed by hand (to have it fetched again) is not finished.
        """
        entry = self.windows.get(label)
        return (entry is not None and (entry['from'], entry['to']) == _bounds(window)
                and (not entry['rows'] or file.exists()))

    def record(self, label: str, window: Window, rows: int, size: int) -> None:
        """Note a finished window and save the manifest (temporary file, then rename)."""
        start, end = _bounds(window)
        self.windows[label] = {'from': start, 'to': end, 'rows': rows, 'bytes': size}
        self.save()

    def schema(self, path: Path, split: str) -> Any:
        """The Arrow schema of the files written so far, or ``None`` before the first."""
        parquet = require('pyarrow.parquet', 'arrow', 'export_report')
        for label, entry in self.windows.items():
            file = _label_directory(path, split, label) / PART
            if entry['rows'] and file.exists():
                return parquet.read_schema(file)
        return None


def _refuse_other_files(path: Path) -> None:
    """Refuse a directory that holds files but no export: a reader of the dataset would
    read them too, or fail on them.  Hidden names (readers skip them) do not count.

    :param path: the dataset's directory.
    :raises ValueError: ``path`` has no manifest and other files.
    """
    if (path / MANIFEST).exists():
        return
    foreign = sorted(entry.name for entry in path.iterdir() if not entry.name.startswith('.'))
    if foreign:
        raise ValueError(f'{path} is not empty ({", ".join(foreign[:3])}'
                         f'{" ..." if len(foreign) > 3 else ""}) and holds no export: '
                         f'export to a new or empty directory')


def _bounds(window: Window) -> tuple[str, str]:
    return window.start.isoformat(sep=' '), window.end.isoformat(sep=' ')


def write_pages(pages: Iterable[Any], final: Path, *, metrics: Sequence[str] = (),
                timezone: Optional[str] = None, drop: Optional[str] = None,
                schema: Any = None, alone: bool = False) -> tuple[int, int, Any]:
    """Append report pages to one Parquet file, one row group per page, then rename it.

    The file is written to a hidden temporary name beside ``final`` and renamed
    when every page is in, so ``final`` is never partial; after a failure the
    temporary file is removed.  Each page's rows are freed once typed.

    :param pages: the :class:`~atomx.models.Report` pages, fetched as they are used.
    :param final: the file to make (replaced when it exists).
    :param metrics: the report's metrics (see :func:`atomx.columnar.report_table`).
    :param timezone: the report's timezone, for the schema's metadata.
    :param drop: a column to leave out (the dataset's partition column).
    :param schema: the types the file must have (the dataset's other files), or ``None``.
    :param alone: ``final`` is a file of its own, not a window of a dataset whose
        lock keeps other writers out: its temporary name is unique to this call,
        and no rows make a file of the columns, without rows.
    :returns: ``(rows, bytes, schema)``; in a dataset no rows make no file (an old
        ``final`` is removed).
    :raises ValueError: a page does not fit ``schema``.
    """
    parquet = require('pyarrow.parquet', 'arrow', 'export_report')
    temporary = final.with_name(f'.{final.name}.{os.getpid()}-{threading.get_ident()}.tmp'
                                if alone else f'.{final.name}.tmp')
    writer, rows, columns = None, 0, None
    try:  # every step up to the rename: a failure removes the temporary file
        for page in pages:
            table = columnar.report_table(page.columns, page.data, metrics, timezone)
            del page  # the rows are in the table now
            if drop in table.column_names:  # it is the partition, in the path
                table = table.drop_columns([drop])
            if table.num_rows:
                table = table if schema is None else columnar.conform(table, schema)
                if writer is None:
                    schema = table.schema
                    writer = parquet.ParquetWriter(temporary, schema)
                writer.write_table(table)
                rows += table.num_rows
            elif alone:
                columns = table  # no rows (yet): the columns of a file without rows
            del table
        if writer is None and alone and columns is not None:
            writer = parquet.ParquetWriter(temporary, columns.schema)
            writer.write_table(columns)
        if writer is None:
            final.unlink(missing_ok=True)
            return 0, 0, schema
        writer.close()
        writer = None
        os.replace(temporary, final)
    except BaseException:
        if writer is not None:
            writer.close()
        temporary.unlink(missing_ok=True)
        raise
    return rows, final.stat().st_size, schema


def export_report(session: Any, path: Union[str, os.PathLike[str]], *, split: str = 'day',
                  page_size: int = DEFAULT_PAGE_SIZE, progress: bool = False, refresh_last: int = 0,
                  **report_arguments: Any) -> ExportSummary:
    """Write a report as a Parquet dataset; see :meth:`atomx.Atomx.export_report`.

    :param session: the :class:`~atomx.Atomx` session whose ``post`` sends.
    :param path: the dataset's directory (made when missing).
    :param split: the window unit: ``'hour'``, ``'day'``, ``'week'`` or ``'month'``.
    :param page_size: rows per request, at least 1.
    :param progress: show a tqdm bar of the rows on stderr.
    :param refresh_last: fetch the newest N windows again even when finished.
    :param report_arguments: the arguments of :meth:`atomx.Atomx.report` that
        select rows (``scope``, ``groups``, ``metrics``, ``where``, ``from_``,
        ``to``, ``timezone``).
    :returns: the :class:`ExportSummary`.
    :raises ValueError: as :meth:`atomx.Atomx.report`; ``split`` not a unit;
        ``daterange`` (use ``from_`` and ``to``); a dataset at ``path`` of another
        query, or a directory with other files and no export; a page that does
        not fit the types of the dataset's files.
    :raises ~atomx.dir_lock.DirectoryBusyError: another export is writing ``path``.
    :raises TypeError: as :meth:`atomx.Atomx.report`, or a count not an int.
    :raises ~atomx.exceptions.MissingDependencyError: pyarrow (or for the bar
        tqdm) is not installed.
    :raises ~atomx.exceptions.APIError: a page failed after the retries (the
        windows finished before it stay finished).
    """
    if split is None:
        raise ValueError('export_report needs split= (\'hour\', \'day\', \'week\' or '
                         '\'month\'): the windows are the dataset\'s partitions')
    check_count('refresh_last', refresh_last, 0)
    if not isinstance(progress, bool):
        raise TypeError(f'progress must be a bool, not {progress!r}')
    plan = plan_pages(getattr(session, 'user', None), split=split, page_size=page_size,
                      **report_arguments)
    columnar.import_pyarrow('export_report')
    require('pyarrow.parquet', 'arrow', 'export_report')
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    _refuse_other_files(directory)  # before the lock file is made in someone's folder
    with dir_lock.exclusive(directory, 'export_report'):
        return _export_windows(session, plan, directory, split, refresh_last, progress)


def _export_windows(session: Any, plan: PagePlan, directory: Path, split: str,
                    refresh_last: int, progress: bool) -> ExportSummary:
    """The body of :func:`export_report`, run while it holds the directory's lock."""
    identity = {key: plan.body.get(key) for key in IDENTITY_KEYS}
    manifest = _Manifest(directory, {**identity, 'split': split})
    windows = [window for window in plan.windows if window is not None]
    refreshed = set(range(len(windows) - refresh_last, len(windows))) if refresh_last else set()
    schema = manifest.schema(directory, split)
    bar = progress_bar(f'export {directory.name}', unit=' rows') if progress else None
    written = skipped = rows = size = 0
    now = report_query.local_now(report_query.utc_now(), plan.body['timezone'])
    try:
        for number, window in enumerate(windows):
            label = partition_label(window, split)
            window_directory = partition_directory(directory, window, split)
            if number not in refreshed and manifest.finished(label, window,
                                                            window_directory / PART):
                skipped += 1
                continue
            window_directory.mkdir(parents=True, exist_ok=True)
            window_rows, window_bytes, schema = write_pages(
                window_pages(session, plan, window, bar), window_directory / PART,
                metrics=plan.body.get('metrics') or (), timezone=plan.body.get('timezone'),
                drop=split, schema=schema)
            if window.end <= now:  # a window not over yet gets more rows: fetched again
                manifest.record(label, window, window_rows, window_bytes)
            written, rows, size = written + 1, rows + window_rows, size + window_bytes
    finally:
        if bar is not None:
            bar.close()
    return ExportSummary(str(directory), len(windows), written, skipped, rows, size)


def write_report_file(session: Any, path: Union[str, os.PathLike[str]], *,
                      split: Optional[str] = None, page_size: int = DEFAULT_PAGE_SIZE,
                      progress: bool = False, **report_arguments: Any) -> tuple[int, int]:
    """Write a report to one Parquet file, page by page (what ``atomx report -o FILE.parquet
    --split day`` does): one page in memory at a time, the file renamed into place when whole.

    :param session: the :class:`~atomx.Atomx` session whose ``post`` sends.
    :param path: the file (created or replaced).
    :param split: the window unit, as for :func:`atomx.report_pages.iter_report`.
    :param page_size: rows per request, at least 1.
    :param progress: show a tqdm bar of the rows.
    :param report_arguments: :meth:`atomx.Atomx.report`'s arguments that select rows.
    :returns: ``(rows, bytes)`` written.
    :raises ValueError: as :meth:`atomx.Atomx.iter_report`.
    :raises TypeError: as :meth:`atomx.Atomx.iter_report`.
    :raises ~atomx.exceptions.MissingDependencyError: pyarrow is not installed.
    :raises ~atomx.exceptions.APIError: a page failed after the retries (no file is left).
    """
    pages = iter_report(session, split=split, page_size=page_size, progress=progress,
                        **report_arguments)
    metrics = report_arguments.get('metrics') or ()
    rows, size, _ = write_pages(pages, Path(path),
                                metrics=[metrics] if isinstance(metrics, str) else metrics,
                                timezone=report_arguments.get('timezone', 'UTC'), alone=True)
    return rows, size


def read_dataset(path: Union[str, os.PathLike[str]]) -> Any:
    """An export as a ``pyarrow.dataset.Dataset``, its partition column a timestamp.

    :param path: the dataset's directory (with its manifest).
    :returns: the dataset; ``.to_table()`` reads it whole.
    :raises FileNotFoundError: ``path`` has no manifest.
    :raises ~atomx.exceptions.MissingDependencyError: pyarrow is not installed.
    """
    pa = columnar.import_pyarrow('read_dataset')
    dataset = require('pyarrow.dataset', 'arrow', 'read_dataset')
    saved = json.loads((Path(path) / MANIFEST).read_text(encoding='utf-8'))
    split = saved['query']['split']
    partitioning = dataset.partitioning(
        pa.schema([(split, pa.timestamp(columnar.ARROW_TIME_UNIT))]), flavor='hive')
    return dataset.dataset(str(path), format='parquet', partitioning=partitioning)


__all__ = ['ExportSummary', 'MANIFEST', 'export_report', 'partition_directory',
           'partition_label', 'read_dataset', 'write_pages', 'write_report_file']
