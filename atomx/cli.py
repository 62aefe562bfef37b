"""The ``atomx`` console script.

Each sub-command is a function that adds its options to a sub-parser and names
the function that runs it; ``atomx sandbox`` is the first, more follow.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable, List, Optional


def _add_sandbox(commands: argparse._SubParsersAction) -> None:
    from .sandbox.__main__ import build_parser, run

    parser = commands.add_parser('sandbox', help='run a local Atomx API sandbox',
                                 description='Run a local Atomx API v3 sandbox with demo data '
                                             'in the foreground until Ctrl-C.')
    build_parser(parser)
    parser.set_defaults(handler=lambda args: run(args.host, args.port, args.data, args.verbose))


#: Functions that register one sub-command each.
SUBCOMMANDS: List[Callable[[argparse._SubParsersAction], None]] = [_add_sandbox]


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``atomx`` with every sub-command."""
    from .version import VERSION

    parser = argparse.ArgumentParser(prog='atomx', description='Atomx API command line tools.')
    parser.add_argument('--version', action='version', version=f'atomx {VERSION}')
    commands = parser.add_subparsers(title='commands', dest='command', metavar='COMMAND')
    for add in SUBCOMMANDS:
        add(commands)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the ``atomx`` command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, 'handler', None) is None:
        parser.print_help()
        return 2
    return int(args.handler(args))


if __name__ == '__main__':
    sys.exit(main())
