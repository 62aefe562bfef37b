"""The ``atomx`` console script (also ``python -m atomx``).

This module parses the command line, logs in and maps failures to exit
statuses; what each command does is in :mod:`atomx.cli_commands`, how its
answer is printed in :mod:`atomx.cli_output`.

Exit status: 0 on success, 1 when the API (or the connection to it) fails,
with its message on stderr, 2 for a usage error.  Credentials come from
``ATOMX_EMAIL``/``--email``, ``ATOMX_PASSWORD`` (or a prompt without echo:
never a flag, so it stays out of the shell history and the process list),
``ATOMX_TOTP`` (or a prompt) and ``ATOMX_API_ENDPOINT``/``--endpoint``, or from a
saved account: ``--profile NAME`` (``ATOMX_PROFILE``) reads the config file of
:mod:`atomx.accounts`, and ``--remember`` keeps the token for the next commands
(:mod:`atomx.cli_accounts`).
"""
from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import sys
from typing import Any, Callable, Iterator, List, Mapping, Optional, TextIO

from . import cli_accounts, cli_commands, cli_output, cli_watch, report_pages
from .cli_commands import Invocation, UsageError
from .exceptions import AtomxError, ProfileError, TotpRequiredError
from .protocol import DATERANGES, SCOPES
from .session import DEFAULT_ENDPOINT, Atomx
from .settings import with_environment
from .timeouts import DEFAULT_TIMEOUT
from .transport import DEFAULT_RETRIES
from .version import VERSION

#: The command's name, as ``usage:`` lines and messages show it.
PROG = 'atomx'
#: Exit statuses.
OK, API_FAILURE, USAGE = 0, 1, 2

_ENVIRONMENT_HELP = """\
environment:
  ATOMX_EMAIL, ATOMX_PASSWORD, ATOMX_TOTP, ATOMX_API_ENDPOINT, ATOMX_PROFILE, ATOMX_CONFIG,
  ATOMX_TIMEOUT, ATOMX_RETRIES
  The password comes from the profile, ATOMX_PASSWORD or a prompt without echo.
exit status: 0 success, 1 API error (message on stderr), 2 usage error"""

Adder = Callable[[Any, argparse.ArgumentParser], None]

#: The default timeout as ``--timeout`` takes it: ``10,120,300``.
_DEFAULT_TIMEOUT = ','.join(f'{seconds:g}' for seconds in DEFAULT_TIMEOUT)


def _global_options(timeout: bool = True) -> argparse.ArgumentParser:
    """``--endpoint``, ``--email``, ``--profile``, ``--remember``, ``--timeout`` and
    ``--retries``, accepted before and after the sub-command.

    Their defaults are suppressed so that a sub-command's parser never
    overwrites a value given before the sub-command.  ``timeout=False`` leaves
    ``--timeout`` out, for ``atomx watch``, whose own ``--timeout`` is the
    silence it waits for (its requests' timeout is ``$ATOMX_TIMEOUT``, or
    ``--timeout`` before ``watch``).
    """
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group('connection')
    group.add_argument('--endpoint', default=argparse.SUPPRESS, metavar='URL',
                       help='API endpoint (default: $ATOMX_API_ENDPOINT or '
                            'https://api.atomx.com/v3)')
    group.add_argument('--email', default=argparse.SUPPRESS,
                       help='login email (default: $ATOMX_EMAIL)')
    group.add_argument('--profile', default=argparse.SUPPRESS, metavar='NAME',
                       help='a saved account of the config file (default: $ATOMX_PROFILE; '
                            'see atomx config)')
    group.add_argument('--remember', action='store_true', default=argparse.SUPPRESS,
                       help='keep the login token in the user cache directory and reuse it '
                            'until it expires (atomx logout forgets it)')
    if timeout:
        group.add_argument('--timeout', dest='request_timeout', default=argparse.SUPPRESS,
                           metavar='SECONDS', type=cli_commands.timeout_value,
                           help=f'seconds to wait for each answer; or CONNECT,READ or '
                                f'CONNECT,READ,TOTAL seconds (default: $ATOMX_TIMEOUT or '
                                f'{_DEFAULT_TIMEOUT}); a wait longer than a few seconds is '
                                f'told on stderr')
    group.add_argument('--retries', default=argparse.SUPPRESS, metavar='N',
                       type=cli_commands.retries_value,
                       help=f'how often a GET, PUT or DELETE is sent again after no '
                            f'answer or an HTTP 429/502/503/504 (default: $ATOMX_RETRIES '
                            f'or {DEFAULT_RETRIES}; 0: never)')
    return options


def _epilog(example: str, environment: bool = True) -> str:
    """The end of a ``--help``: the environment and exit statuses, then an example."""
    return (_ENVIRONMENT_HELP + '\n\n' if environment else '') + f'example:\n  {example}'


def _command(commands: Any, name: str, summary: str, example: str,
             parents: List[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """A sub-command parser whose ``--help`` ends with an example."""
    return commands.add_parser(name, help=summary, description=summary,
                               epilog=_epilog(example), parents=parents,
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def _format_option(parser: argparse.ArgumentParser, default: str = 'table') -> None:
    parser.add_argument('--format', choices=cli_output.FORMATS, default=default,
                        help=f'output format (default: {default})')
    parser.add_argument('--wide', action='store_true',
                        help='a table with every column in full; by default a table on a '
                             'terminal is fitted to its width ($COLUMNS wins), shortening '
                             'cells and leaving out the last columns (it says which)')


def _add_get(commands: Any, options: argparse.ArgumentParser) -> None:
    parser = _command(commands, 'get', 'Read a resource: a list, one model or one attribute.',
                      "atomx get domains -p 'hostname=*atom*' --all --format csv", [options])
    parser.add_argument('resource', metavar='RESOURCE', help='e.g. advertisers, site')
    parser.add_argument('id', metavar='ID', nargs='?', help='the id of one model')
    parser.add_argument('attribute', metavar='ATTRIBUTE', nargs='?',
                        help='one attribute of that model, e.g. profiles')
    parser.add_argument('-p', '--param', action='append', default=[],
                        type=cli_commands.key_value, metavar='KEY=VALUE',
                        help='a query parameter (repeatable), e.g. -p limit=10 '
                             '-p attributes=id,name')
    parser.add_argument('--all', action='store_true',
                        help='page through the whole collection (-p limit=N caps it)')
    parser.add_argument('--progress', action='store_true',
                        help='with --all: a progress bar on stderr (needs tqdm)')
    _format_option(parser)
    parser.set_defaults(handler=cli_commands.run_get, check=cli_commands.get_params)


def _add_search(commands: Any, options: argparse.ArgumentParser) -> None:
    parser = _command(commands, 'search', 'Search ids and names of every model.',
                      "atomx search '*atom*' --index advertisers,sites", [options])
    parser.add_argument('query', metavar='QUERY', help='search text, * is a wildcard')
    parser.add_argument('--index', type=cli_commands.comma_list, metavar='A,B',
                        help='only these resources, comma-separated')
    _format_option(parser)
    parser.set_defaults(handler=cli_commands.run_search, check=cli_commands.check_search)


def _add_report(commands: Any, options: argparse.ArgumentParser) -> None:
    parser = _command(
        commands, 'report', 'Create a report and print its rows (or write them as CSV).',
        "atomx report --scope advertiser --groups hour,advertiser_id \\\n"
        "    --metrics impressions,clicks --where 'advertiser_id in [1,2]' \\\n"
        "    --daterange yesterday -o yesterday.csv", [options])
    lists = cli_commands.comma_list
    parser.add_argument('--scope', help=f'{", ".join(SCOPES)} (guessed for advertiser- '
                                        'or publisher-only users)')
    parser.add_argument('--groups', type=lists, metavar='A,B', help='e.g. hour,site_id')
    parser.add_argument('--metrics', type=lists, metavar='A,B',
                        help='e.g. impressions,clicks')
    parser.add_argument('--where', action='append', type=cli_commands.where_expression,
                        metavar="'COLUMN OP VALUE'",
                        help="a filter (repeatable); the value is read as JSON when it "
                             "parses: 'site_id in [1,2]', 'country_id == 3'")
    parser.add_argument('--from', dest='from_', type=cli_commands.date_time, metavar='TIME',
                        help='start, e.g. "2024-05-01" or "2024-05-01 13:00"')
    parser.add_argument('--to', type=cli_commands.date_time, metavar='TIME', help='end')
    parser.add_argument('--daterange', help=f'instead of --from/--to: {", ".join(DATERANGES)}')
    parser.add_argument('--timezone', default='UTC', help='default: UTC')
    parser.add_argument('--name', help='a name for the report')
    parser.add_argument('--sort', type=lists, metavar='A,B', help='sort by these columns')
    parser.add_argument('--limit', type=int, help='at most this many rows')
    parser.add_argument('--no-save', dest='save', action='store_false',
                        help="do not keep the report in your report history; by default "
                             "it is saved there, so that `atomx get reports` lists it and "
                             "it can be fetched, renamed or deleted later by its id")
    parser.add_argument('-o', '--output', metavar='FILE.csv|FILE.parquet|DIR',
                        type=cli_commands.report_output,
                        help='write the rows to this file instead of stdout: CSV, or Parquet '
                             'for a name ending in .parquet; with --split a directory gets a '
                             'resumable Parquet dataset, one partition per window')
    parser.add_argument('--split', choices=report_pages.SPLITS,
                        help='fetch the period window by window (in pages) into -o DIR or '
                             '-o FILE.parquet; DIR is resumed when run again')
    parser.add_argument('--page-size', type=int, default=report_pages.DEFAULT_PAGE_SIZE,
                        metavar='N', help='rows per request with --split (default: %(default)s)')
    _format_option(parser)
    parser.set_defaults(handler=cli_commands.run_report, check=cli_commands.check_report)


def _add_watch(commands: Any, options: argparse.ArgumentParser) -> None:
    parser = _command(commands, 'watch', 'Print live updates of models as they happen '
                                         '(the API\'s websocket, a beta).',
                      'atomx watch advertiser:42 campaign:7 --stats --format json',
                      [_global_options(timeout=False)])  # its --timeout is the silence
    parser.add_argument('channels', metavar='CHANNEL', nargs='+',
                        help='resource:id (advertiser:42) or stats:resource:id '
                             '(stats:campaign:7)')
    parser.add_argument('--stats', action='store_true',
                        help='also the live stats of each advertiser and campaign given')
    parser.add_argument('--format', choices=cli_watch.WATCH_FORMATS, default='table',
                        help='one line per event: a table row or a JSON object '
                             '(default: table)')
    parser.add_argument('--timeout', type=float, metavar='S',
                        help='stop after S seconds without an event (default: never)')
    parser.set_defaults(handler=cli_watch.run_watch, check=cli_watch.check_watch)


_SANDBOX_EXAMPLE = 'atomx sandbox --port 6543 --data sandbox.db'


def _run_sandbox(run: Invocation) -> int:
    """The sandbox's own options and runner; werkzeug is imported only now."""
    cli_commands.require_for_command('werkzeug', 'sandbox', f'{PROG} sandbox')
    from .sandbox.__main__ import build_parser as sandbox_parser
    from .sandbox.__main__ import run as run_sandbox
    parser = sandbox_parser(prog=f'{PROG} sandbox')
    parser.epilog = _epilog(_SANDBOX_EXAMPLE, environment=False)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    options = parser.parse_args(run.rest)
    return run_sandbox(options.host, options.port, options.data, options.verbose,
                       options.stats_interval, prog=f'{PROG} sandbox')


def _add_sandbox(commands: Any, options: argparse.ArgumentParser) -> None:
    """``atomx sandbox``: its options are the sandbox's own, parsed when it runs."""
    summary = ('Run a local Atomx API v3 sandbox with demo data (options: --host, --port, '
               '--data, --verbose, --stats-interval; see atomx sandbox --help).')
    parser = commands.add_parser('sandbox', add_help=False, help=summary, description=summary,
                                 epilog=_epilog(_SANDBOX_EXAMPLE, environment=False),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(handler=_run_sandbox, takes_rest=True)


def _add_config(commands: Any, options: argparse.ArgumentParser) -> None:
    parser = _command(commands, 'config',
                      'List the saved accounts (profiles) of the config file, without secrets.',
                      'atomx config --format csv', [options])
    parser.description = (
        'List the saved accounts (profiles) of the config file, without secrets, each as\n'
        'a command with --profile NAME would use it; no request is sent.\n'
        '  --profile NAME    list that profile only ($ATOMX_PROFILE does not narrow\n'
        '                    the list)\n'
        '  --endpoint URL,   show the endpoint and email a command given them would\n'
        '  --email EMAIL     log in with, and look the cached token up there')
    _format_option(parser)
    parser.set_defaults(handler=cli_accounts.run_config)


def _add_logout(commands: Any, options: argparse.ArgumentParser) -> None:
    parser = _command(commands, 'logout',
                      'Delete the cached token of a profile (or of --email) kept by --remember.',
                      'atomx logout --profile work', [options])
    parser.set_defaults(handler=cli_accounts.run_logout)


#: Functions that register one sub-command each.
SUBCOMMANDS: List[Adder] = [_add_get, _add_search, _add_report, _add_watch, _add_config,
                            _add_logout, _add_sandbox]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``atomx`` with every sub-command (also for the docs).

    Building it imports nothing optional: the ``sandbox`` sub-command's own
    options are parsed by the sandbox's parser when it runs.

    :returns: the :class:`argparse.ArgumentParser` that :func:`main` uses; the
        parsed namespace carries the sub-command's ``handler``.
    """
    options = _global_options()
    parser = argparse.ArgumentParser(
        prog=PROG, description='Atomx API command line tools.', parents=[options],
        epilog=_epilog('ATOMX_EMAIL=me@example.com atomx get advertisers -p limit=5'),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--version', action='version', version=f'{PROG} {VERSION}')
    commands = parser.add_subparsers(title='commands', dest='command', metavar='COMMAND')
    for add in SUBCOMMANDS:
        add(commands, options)
    return parser


# -- logging in ------------------------------------------------------------------

def _ask(prompt: str, what: str, variable: str) -> str:
    """A secret typed at the terminal without echo; a usage error without a terminal."""
    if not sys.stdin.isatty():
        raise UsageError(f'no {what}: set {variable} (there is no terminal to ask for it)')
    return getpass.getpass(prompt)


def open_session(args: argparse.Namespace, environ: Mapping[str, str]) -> Any:
    """Log in with the flags, the profile, the environment and, for secrets, prompts.

    The flags (``--email``, ``--endpoint``) win over the profile (``--profile``
    or ``ATOMX_PROFILE``), which wins over ``ATOMX_EMAIL`` and
    ``ATOMX_API_ENDPOINT``; the password comes from the profile, from
    ``ATOMX_PASSWORD`` or is asked for without echo, and so is the TOTP code when
    the account needs one and ``ATOMX_TOTP`` is not set.  With ``--remember`` (or
    ``token_cache = yes`` in the profile) a cached token is used instead of a
    login, and then nothing is asked.

    ``--timeout`` and ``--retries`` win over ``ATOMX_TIMEOUT`` and ``ATOMX_RETRIES``.

    :param args: the parsed command line (``email``, ``endpoint``, ``profile``,
        ``remember``, ``request_timeout`` and ``retries`` may be absent).
    :param environ: the environment variables to read, e.g. :data:`os.environ`.
    :returns: the logged-in :class:`~atomx.Atomx` session.
    :raises ~atomx.cli_commands.UsageError: no email, or a secret is missing and
        there is no terminal to ask for it.
    :raises ValueError: ``ATOMX_TIMEOUT`` or ``ATOMX_RETRIES`` is not allowed.
    :raises ~atomx.exceptions.ProfileError: the profile cannot be used.
    :raises ~atomx.exceptions.AtomxError: the login failed (e.g.
        :class:`~atomx.exceptions.InvalidCredentials`).
    """
    def ask_password() -> str:
        return _ask(f'Atomx password for {settings.email}: ', 'password', 'ATOMX_PASSWORD')

    connection = with_environment({name: getattr(args, flag) for name, flag in (
        ('timeout', 'request_timeout'), ('retries', 'retries')) if hasattr(args, flag)},
        environ)  # a bad value before any prompt
    settings = cli_accounts.login_settings(args, environ, ask_password, DEFAULT_ENDPOINT)
    totp = environ.get('ATOMX_TOTP') or None

    def log_in(totp: Optional[str]) -> Atomx:
        return Atomx(settings.email, settings.password, totp=totp,
                     api_endpoint=settings.endpoint, token_cache=settings.token_cache or False,
                     **connection)

    try:
        return log_in(totp)
    except TotpRequiredError:
        if totp is not None or not sys.stdin.isatty():
            raise
        return log_in(_ask('TOTP code: ', 'TOTP code', 'ATOMX_TOTP'))


@contextlib.contextmanager
def _notes_on_stderr() -> Iterator[None]:
    """The requests' INFO lines on stderr while a command runs: a slow answer
    (:mod:`atomx.waiting`), a retry, a new login; restored afterwards.  Only the
    ``atomx`` logger's own lines: those of ``atomx.live`` (a websocket closed
    on Ctrl-C) are not the command's business."""
    logger = logging.getLogger('atomx')
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter('%(message)s'))
    handler.setLevel(logging.INFO)
    handler.addFilter(lambda record: record.name == logger.name)
    level = logger.level
    logger.addHandler(handler)
    if not logger.isEnabledFor(logging.INFO):
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _run(args: argparse.Namespace, rest: List[str], environ: Mapping[str, str]) -> int:
    """Check the command line, then run its handler; it logs in when it asks for the session."""
    check = getattr(args, 'check', None)
    if check is not None:  # usage errors before the login: no request for a bad command
        check(args)
    with contextlib.ExitStack() as notes:
        def login() -> Any:  # the library's INFO lines on stderr from the login on
            notes.enter_context(_notes_on_stderr())
            return open_session(args, environ)

        run = Invocation(args, rest, sys.stdout, sys.stderr, login, environ)
        try:
            return int(args.handler(run))
        finally:
            if run.opened is not None:
                run.opened.close()


def _fail(stream: TextIO, command: Optional[str], message: Any, status: int) -> int:
    stream.write(f'{PROG}{" " + command if command else ""}: error: {message}\n')
    return status


def main(argv: Optional[List[str]] = None,
         environ: Optional[Mapping[str, str]] = None) -> int:
    """Run the ``atomx`` command line.

    Errors are written to stderr as ``atomx COMMAND: error: MESSAGE``, never
    raised.

    :param argv: the arguments after the program name (default: ``sys.argv[1:]``).
    :param environ: the environment for the login (default: :data:`os.environ`).
    :returns: the exit status: 0 on success, 1 when the API or the connection to
        it fails, 2 for a usage error (argparse exits with 2 itself when it cannot
        parse ``argv``), 130 when interrupted.
    :raises SystemExit: from argparse, for ``--help``, ``--version`` and arguments
        it cannot parse.
    """
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)  # exits with status 2 on a usage error
    if getattr(args, 'handler', None) is None:
        parser.print_help()
        return USAGE
    if rest and not getattr(args, 'takes_rest', False):
        parser.error(f'unrecognized arguments: {" ".join(rest)}')
    command = args.command
    try:
        return _run(args, rest, os.environ if environ is None else environ)
    except (UsageError, ProfileError, ValueError, TypeError) as error:
        # bad input found before any request (by us or by the session's checks)
        return _fail(sys.stderr, command, error, USAGE)
    except AtomxError as error:
        return _fail(sys.stderr, command, error, API_FAILURE)
    except KeyboardInterrupt:
        return _fail(sys.stderr, command, 'interrupted', 130)
    except BrokenPipeError:  # e.g. `atomx get ... | head`: the reader has had enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the final flush does not fail
        return OK
    except OSError as error:  # e.g. stdout on a full disk: a failure, not a traceback
        return _fail(sys.stderr, command, error, API_FAILURE)


__all__ = ['API_FAILURE', 'OK', 'PROG', 'USAGE', 'build_parser', 'main', 'open_session']


if __name__ == '__main__':
    sys.exit(main())
