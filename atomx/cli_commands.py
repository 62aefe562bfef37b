"""What the ``atomx get``, ``search`` and ``report`` commands do, once parsed.

Each ``run_*`` function takes the :class:`Invocation` (the parsed arguments, the
output streams, and the session, logged in when first asked for), calls the
session's documented verbs and writes the answer with :mod:`atomx.cli_output`.
The small parsers of option values (``key=value``, comma lists, ``--where``
expressions, dates) live here too: argparse calls them and turns their
:class:`argparse.ArgumentTypeError` into a usage error.
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, TextIO, Tuple

from . import cli_output, export, report_pages, report_query, settings
from .argument_names import flag, spelled_as_flags
from .checks import check_count, url_parameter_problem
from .exceptions import AtomxError, MissingDependencyError
from .optional import require
from .protocol import SCOPES, WHERE_OPERATORS
from .report_query import parse_datetime
from .session import Atomx

_WHERE = re.compile(r'\s*(\S+)\s+(not\s+in|\S+)\s+(.+?)\s*$', re.IGNORECASE)


class Invocation:
    """One run of a command: what every handler of :mod:`atomx.cli` receives.

    :param args: the parsed command line.
    :param rest: the arguments argparse left (only ``atomx sandbox`` takes any).
    :param out: where the answer goes (stdout).
    :param err: where notes go (stderr).
    :param login: opens the logged-in :class:`~atomx.Atomx` session.
    :param environ: the environment the command runs in (default :data:`os.environ`):
        the saved accounts' commands read their files' places from it.
    """

    def __init__(self, args: argparse.Namespace, rest: List[str], out: TextIO, err: TextIO,
                 login: Callable[[], Any], environ: Optional[Mapping[str, str]] = None) -> None:
        self.args, self.rest, self.out, self.err, self.login = args, rest, out, err, login
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.opened: Any = None  # the session, once :meth:`session` logged in

    def session(self) -> Any:
        """The logged-in session, opened on the first call (:mod:`atomx.cli` closes it).

        :returns: the :class:`~atomx.Atomx` session.
        :raises ~atomx.exceptions.AtomxError: the login failed.
        """
        if self.opened is None:
            self.opened = self.login()
        return self.opened


class UsageError(Exception):
    """A command line that cannot work as given (exit status 2).

    Raised before the command's request: a bad combination of options, a value
    the session cannot send, an option whose optional package is missing.
    """


# -- option values -------------------------------------------------------------

def key_value(text: str) -> Tuple[str, str]:
    """``'limit=10'`` -> ``('limit', '10')``: a ``-p`` option, split at its first ``=``.

    :param text: the option's value as typed.
    :returns: the key (stripped) and the value (as it is, possibly empty).
    :raises argparse.ArgumentTypeError: there is no ``=`` or no key.
    """
    key, sep, value = text.partition('=')
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f'{text!r} is not key=value (e.g. -p limit=10)')
    return key.strip(), value


def comma_list(text: str) -> List[str]:
    """``'hour,site_id'`` -> ``['hour', 'site_id']``.

    :param text: names separated by commas; blanks around them are dropped.
    :returns: the names, in their order.
    :raises argparse.ArgumentTypeError: there is no name at all.
    """
    items = [item.strip() for item in text.split(',') if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError(f'{text!r} is not a comma-separated list of names')
    return items


def json_or_text(text: str) -> Any:
    """The value read as JSON when it parses (``[1,2]``, ``3``, ``"x"``), else the text.

    :param text: a value as typed on the command line.
    :returns: the decoded JSON value, or ``text`` itself when it is not JSON.
    """
    try:
        return json.loads(text)
    except ValueError:
        return text


def where_expression(text: str) -> List[Any]:
    """``'site_id in [1,2]'`` -> ``['site_id', 'in', [1, 2]]``: one ``--where``.

    :param text: ``'column operator value'``; the operator is one of
        :data:`~atomx.protocol.WHERE_OPERATORS` (``not in`` may be typed in
        any case and spacing), the value is read by :func:`json_or_text`.
    :returns: ``[column, operator, value]`` as :meth:`atomx.Atomx.report` takes it.
    :raises argparse.ArgumentTypeError: no column, no known operator or no value.
    """
    match = _WHERE.match(text)
    operator = ' '.join(match.group(2).lower().split()) if match else ''
    if match is None or operator not in WHERE_OPERATORS:
        allowed = ', '.join(WHERE_OPERATORS)
        raise argparse.ArgumentTypeError(
            f'{text!r} is not "column operator value" with an operator among {allowed} '
            f'(e.g. --where "site_id in [1,2]")')
    return [match.group(1), operator, json_or_text(match.group(3))]


def date_time(text: str) -> datetime:
    """A date or a date and time, as ``--from``/``--to`` take them.

    :param text: e.g. ``2024-05-01`` or ``2024-05-01 13:00``.
    :returns: the naive :class:`~datetime.datetime` (midnight for a date alone).
    :raises argparse.ArgumentTypeError: ``text`` is not a date.
    """
    try:
        return parse_datetime(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'{text!r} is not a date or a date and time (e.g. "2024-05-01 13:00")') from None


def _as_argument(parse: Callable[[str], Any], text: str) -> Any:
    """``parse(text)``, its ``ValueError`` turned into argparse's usage error."""
    try:
        return parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def timeout_value(text: str) -> Any:
    """``--timeout SECONDS`` or ``--timeout CONNECT,READ``, read as ``ATOMX_TIMEOUT`` is.

    :param text: e.g. ``30`` or ``5,120``.
    :returns: the timeout as :class:`~atomx.Atomx` takes it (see
        :func:`atomx.settings.parse_timeout`).
    :raises argparse.ArgumentTypeError: ``text`` is not a timeout.
    """
    return _as_argument(settings.parse_timeout, text)


def retries_value(text: str) -> int:
    """``--retries N``, read as ``ATOMX_RETRIES`` is.

    :param text: a whole number, 0 or more.
    :returns: the number.
    :raises argparse.ArgumentTypeError: ``text`` is not that.
    """
    return int(_as_argument(settings.parse_retries, text))


def query_params(pairs: List[Tuple[str, str]]) -> Dict[str, Any]:
    """``-p`` pairs as a dict of query parameters.

    :param pairs: the ``(key, value)`` pairs of :func:`key_value`, in order.
    :returns: the parameters by key.
    :raises UsageError: a key is given twice (several values go comma-separated).
    """
    params: Dict[str, Any] = {}
    for key, value in pairs:
        if key in params:
            raise UsageError(f'-p {key}= is given twice; give several values as '
                             f'{key}=a,b')
        params[key] = value
    return params


def output_file(path: str) -> str:
    """A ``-o FILE`` that can be written, checked when parsing: before any request.

    :param path: the file to write; it is neither created nor changed here.
    :returns: ``path`` as it is.
    :raises argparse.ArgumentTypeError: ``path`` is a directory, its folder does
        not exist, or the folder or the existing file is not writable.
    """
    target = Path(path)
    folder = target.parent
    if target.is_dir():
        raise argparse.ArgumentTypeError(f'{path!r} is a directory, not a file')
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f'{path!r}: the folder {str(folder)!r} does not exist')
    if not os.access(target if target.exists() else folder, os.W_OK):
        raise argparse.ArgumentTypeError(f'{path!r}: no permission to write there')
    return path


def check_numeric_params(params: Dict[str, Any]) -> None:
    """The ``-p`` values of the URL parameters the API documents as numbers.

    :param params: the ``-p`` parameters by key.
    :raises UsageError: ``limit``, ``offset`` or ``depth`` is not a number the API
        takes (e.g. ``-p limit=ten``); the message says what is allowed.
    """
    for name, value in params.items():
        allowed = url_parameter_problem(name, value)
        if allowed is not None:
            raise UsageError(f'-p {name}={value}: {name} must be {allowed}')


def report_output(path: str) -> str:
    """``atomx report -o``: a file (checked as :func:`output_file`) or a dataset's directory.

    :param path: a file (``.csv``, ``.parquet``) or a directory for ``--split``.
    :returns: ``path`` as it is.
    :raises argparse.ArgumentTypeError: an existing directory that is not
        writable, or a file that cannot be written (see :func:`output_file`).
    """
    if Path(path).is_dir():
        if not os.access(path, os.W_OK):
            raise argparse.ArgumentTypeError(f'{path!r}: no permission to write there')
        return path
    return output_file(path)


def _is_parquet(path: Any) -> bool:
    return isinstance(path, str) and path.lower().endswith('.parquet')


def require_for_command(module: str, extra: str, feature: str) -> None:
    """:func:`atomx.optional.require` for the command line: a missing package is a usage error.

    :param module: the module to import (``'tqdm'``).
    :param extra: the atomx extra that installs it (``'report'``).
    :param feature: the option or command that needs it (``'--progress'``).
    :raises UsageError: the package is not installed; the message is
        :func:`atomx.optional.missing_message`'s (what needs it, which extra brings it).
    """
    try:
        require(module, extra, feature)
    except MissingDependencyError as missing:
        raise UsageError(str(missing)) from None


def get_params(args: argparse.Namespace) -> Dict[str, Any]:
    """The query of ``atomx get``, checked; :func:`atomx.cli.main` calls it before logging in.

    :param args: the parsed ``get`` command line.
    :returns: the ``-p`` parameters by key; with ``--all``, ``limit`` and
        ``offset`` as ints.
    :raises UsageError: ``--progress`` without ``--all`` or without tqdm
        installed, a ``-p`` key given twice, a ``limit``, ``offset`` or ``depth``
        that is not a number the API takes (:func:`check_numeric_params`).
    """
    if args.progress and not args.all:
        raise UsageError('--progress shows the paging of --all; add --all')
    if args.progress:
        require_for_command('tqdm', 'report', '--progress')
    params = query_params(args.param)
    check_numeric_params(params)
    if args.all:
        params.update({name: int(params[name]) for name in ('limit', 'offset')
                       if name in params})
    return params


# -- the commands ----------------------------------------------------------------

def run_get(run: Invocation) -> int:
    """``atomx get RESOURCE [ID [ATTRIBUTE]]``: one GET, or every page with ``--all``.

    With ``--all --format json`` the models are written as they arrive, one page
    in memory at a time; csv and table gather the rows first (for the columns).

    :param run: the parsed ``get`` command line, stdout and the session.
    :returns: the exit status, 0.
    :raises UsageError: as :func:`get_params`.
    :raises ~atomx.exceptions.APIError: the API refused or did not answer.
    """
    args, out, atomx = run.args, run.out, run.session()
    path = [part for part in (args.id, args.attribute) if part is not None]
    params = get_params(args)
    width = cli_output.table_width(out, args.wide)
    if not args.all:
        cli_output.write_value(atomx.get(args.resource, *path, **params), args.format, out,
                               width)
        return 0
    models = atomx.iter(args.resource, *path, progress=args.progress, **params)
    if args.format == 'json':
        cli_output.write_json_stream(models, out)
    else:
        cli_output.write_records(cli_output.plain(list(models)), args.format, out, width)
    return 0


def check_search(args: argparse.Namespace) -> None:
    """Check ``atomx search``'s query; :func:`atomx.cli.main` calls it before logging in.

    :param args: the parsed ``search`` command line.
    :raises UsageError: the query is empty.
    """
    if not args.query.strip():
        raise UsageError("QUERY is empty: give a word to search for, e.g. atomx search '*atom*'")


def run_search(run: Invocation) -> int:
    """``atomx search QUERY``: the matches per resource (JSON) or one row each.

    :param run: the parsed ``search`` command line, stdout and the session.
    :returns: the exit status, 0.
    :raises ~atomx.exceptions.APIError: the API refused or did not answer.
    """
    args, out = run.args, run.out
    found = run.session().search(args.query, index=args.index)
    if args.format == 'json':
        out.write(cli_output.to_json(found) + '\n')
        return 0
    rows = [[resource, model.id, getattr(model, 'name', None)]
            for resource, models in found.items() for model in models]
    cli_output.write_rows(['resource', 'id', 'name'], rows, args.format, out,
                          cli_output.table_width(out, args.wide))
    return 0


#: The parameters of :meth:`atomx.Atomx.report`, read from its signature.
REPORT_PARAMETERS = tuple(inspect.signature(Atomx.report).parameters)[1:]


def report_arguments(args: argparse.Namespace) -> Dict[str, Any]:
    """The keyword arguments of :meth:`atomx.Atomx.report` that ``atomx report`` gives.

    :param args: the parsed ``report`` command line, whose options carry the names
        of :data:`REPORT_PARAMETERS` (``--from`` is ``from_``).
    :returns: each parameter of :meth:`atomx.Atomx.report` that the command line
        has an option for, by name.
    """
    return {name: getattr(args, name) for name in REPORT_PARAMETERS if hasattr(args, name)}


def split_arguments(args: argparse.Namespace) -> Tuple[Dict[str, Any], List[str]]:
    """What ``atomx report --split`` passes to its paged report, and what it cannot take.

    Both come from one list, :data:`atomx.report_pages.ROW_ARGUMENTS`: a paged report
    takes only the arguments that select rows.  Every other option given is refused,
    but ``--no-save``, which says what the pages do anyway (they are never saved).

    :param args: the parsed ``report`` command line.
    :returns: ``(the keyword arguments of the paged report, the flags given that it
        cannot take)``, the flags in the order of :data:`REPORT_PARAMETERS`.
    """
    arguments = report_arguments(args)
    selection = {name: value for name, value in arguments.items()
                 if name in report_pages.ROW_ARGUMENTS}
    refused = [flag(name) for name, value in arguments.items()
               if name not in selection and value is not None and name != 'save']
    return selection, refused


def check_report(args: argparse.Namespace) -> None:
    """Check ``atomx report``'s arguments; :func:`atomx.cli.main` calls it before logging in.

    Without ``--scope`` the user's rights decide the scope after the login, so
    the other arguments are checked with a stand-in scope here.

    :param args: the parsed ``report`` command line.
    :raises ValueError: a value :meth:`atomx.Atomx.report` does not allow (also
        :class:`TypeError` and :class:`~atomx.exceptions.MissingArgumentError`);
        the message names the flags (``--from``), not the Python arguments.
    :raises UsageError: ``-o`` is a directory without ``--split``; ``--split``
        without ``-o DIR`` or ``-o FILE.parquet``, or with ``--name``, ``--sort``,
        ``--limit`` or ``--daterange``.
    """
    arguments = report_arguments(args)
    arguments['scope'] = arguments['scope'] or SCOPES[0]
    with spelled_as_flags():  # messages name --from, --scope..., not from_, scope=
        report_query.build_report_request(user=None, now=report_query.utc_now(), **arguments)
    if args.output and Path(args.output).is_dir() and not args.split:
        raise UsageError(f'-o {args.output} is a directory: add --split day (or hour, week, '
                         f'month) to export a Parquet dataset there, or name a file')
    if args.split:
        if not args.output or args.output.lower().endswith('.csv'):
            raise UsageError('--split writes windows to -o DIR (a Parquet dataset) or '
                             '-o FILE.parquet')
        _, refused = split_arguments(args)
        if refused:
            raise UsageError(f'{", ".join(refused)} cannot be used with --split: its pages '
                             f'are sorted by the groups and not saved')
        if args.daterange:
            raise UsageError('--split needs --from and --to, not --daterange')
        check_count('--page-size', args.page_size, 1)


def run_report(run: Invocation) -> int:
    """``atomx report``: create a report; its rows to stdout, ``-o FILE.csv`` or ``FILE.parquet``.

    With ``--split`` the period is fetched window by window in pages, into one
    Parquet file (``-o FILE.parquet``) or a resumable dataset (``-o DIR``, see
    :func:`atomx.export.export_report`).

    :param run: the parsed ``report`` command line, stdout (the rows without
        ``-o``), stderr (the line about the written file) and the session.
    :returns: the exit status, 0.
    :raises ValueError: a report parameter :meth:`atomx.Atomx.report` refuses
        (also :class:`TypeError` and :class:`~atomx.exceptions.MissingArgumentError`).
    :raises ~atomx.exceptions.APIError: the API refused or did not answer.
    :raises ~atomx.exceptions.AtomxError: the file could not be written after all;
        the message names the report's id, so its rows are not lost.
    """
    args = run.args
    if args.split:
        return _run_split_report(run)
    with spelled_as_flags():
        report = run.session().report(**report_arguments(args))
    if args.output:
        write = report.to_parquet if _is_parquet(args.output) else report.to_csv
        try:
            write(args.output)
        except OSError as error:
            raise AtomxError(f'report {report.id} was created, but writing it to '
                             f'{args.output} failed: {error}') from error
        rows = cli_output.plural(len(report.data), 'row')
        run.err.write(f'report {report.id}: {rows} written to {args.output}\n')
    else:
        cli_output.write_rows(report.columns, report.data, args.format, run.out,
                              cli_output.table_width(run.out, args.wide))
    return 0


def _run_split_report(run: Invocation) -> int:
    """``atomx report --split``: a Parquet file or a resumable dataset, window by window."""
    args = run.args
    selection, _ = split_arguments(args)
    plural = cli_output.plural
    if _is_parquet(args.output):
        with spelled_as_flags():
            count, size = export.write_report_file(run.session(), args.output, split=args.split,
                                                   page_size=args.page_size, **selection)
        run.err.write(f'{plural(count, "row")} ({size} bytes) written to {args.output}\n')
        return 0
    with spelled_as_flags():
        summary = run.session().export_report(args.output, split=args.split,
                                              page_size=args.page_size, **selection)
    run.err.write(f'{plural(summary.rows, "row")} ({summary.bytes} bytes) in '
                  f'{plural(summary.written, "window")} written to {summary.path}; '
                  f'{summary.skipped} of {plural(summary.windows, "window")} were finished '
                  f'before\n')
    return 0


__all__ = ['REPORT_PARAMETERS', 'Invocation', 'UsageError', 'check_numeric_params',
           'check_report', 'check_search', 'comma_list', 'date_time', 'get_params',
           'json_or_text', 'key_value', 'output_file', 'query_params', 'report_arguments',
           'report_output', 'require_for_command', 'retries_value', 'run_get', 'run_report',
           'run_search', 'split_arguments', 'timeout_value', 'where_expression']
