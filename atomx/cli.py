"""The ``atomx`` console script.

Each sub-command is registered by a function that adds its sub-parser and names
the function that runs it; ``atomx sandbox`` is the first, more follow.  Building
the parser imports nothing optional: the sandbox (and werkzeug) load only when
``atomx sandbox`` runs, and its options are the sandbox's own.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable, List, Optional

from .version import VERSION

Registrar = Callable[['argparse._SubParsersAction[argparse.ArgumentParser]'], None]


def _run_sandbox(args: argparse.Namespace, rest: List[str]) -> int:
    try:
        from .sandbox.__main__ import main as sandbox_main
    except ImportError as exc:
        print(f'atomx sandbox needs werkzeug: pip install "atomx[sandbox]" ({exc})',
              file=sys.stderr)
        return 1
    return sandbox_main(rest, prog='atomx sandbox')


def _add_sandbox(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        'sandbox', add_help=False, help='run a local Atomx API sandbox until Ctrl-C '
        '(options: --host, --port, --data, --verbose; see atomx sandbox --help)')
    parser.set_defaults(handler=_run_sandbox, passes_options=True)


#: Functions that register one sub-command each.
SUBCOMMANDS: List[Registrar] = [_add_sandbox]


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``atomx`` with every sub-command."""
    parser = argparse.ArgumentParser(prog='atomx', description='Atomx API command line tools.')
    parser.add_argument('--version', action='version', version=f'atomx {VERSION}')
    commands = parser.add_subparsers(title='commands', dest='command', metavar='COMMAND')
    for add in SUBCOMMANDS:
        add(commands)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the ``atomx`` command line; returns the exit status."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if getattr(args, 'handler', None) is None:
        parser.print_help()
        return 2
    if rest and not getattr(args, 'passes_options', False):
        parser.error(f'unrecognized arguments: {" ".join(rest)}')
    return int(args.handler(args, rest))


if __name__ == '__main__':
    sys.exit(main())
