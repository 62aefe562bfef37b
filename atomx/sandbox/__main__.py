"""``python -m atomx.sandbox [--host 127.0.0.1] [--port 6543] [--data FILE]``.

Runs the sandbox in the foreground until Ctrl-C (or SIGTERM) and prints its URL
and the demo credentials.
"""
from __future__ import annotations

import argparse
import signal
import sys
from typing import Any, Dict, List, Optional

from .seed import TOTP_SECRET, USERS
from .server import DEFAULT_PORT, Sandbox


def build_parser(prog: str = 'python -m atomx.sandbox') -> argparse.ArgumentParser:
    """The command line options (``atomx sandbox`` shares them, under its own name)."""
    parser = argparse.ArgumentParser(
        prog=prog, description='Run a local Atomx API v3 sandbox with demo data in the '
                               'foreground until Ctrl-C.')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on '
                        '(default: 127.0.0.1)')
    parser.add_argument('--port', type=int, default=DEFAULT_PORT,
                        help=f'port to listen on, 0 for a free one (default: {DEFAULT_PORT})')
    parser.add_argument('--data', metavar='FILE', default=None,
                        help='keep the state across restarts in this file, an SQLite '
                             'database written before each answer (created when missing; '
                             'a JSON data file of an earlier version is migrated) '
                             '(default: in memory only)')
    parser.add_argument('--verbose', action='store_true', help='log every request')
    parser.add_argument('--stats-interval', type=float, default=1.0, metavar='S',
                        help='seconds between two ticks of each live stats channel of the '
                             'websocket (default: 1.0)')
    return parser


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _print_mail(mail: Dict[str, Any]) -> None:
    print(f"mail to {mail['to']}: {mail['subject']}\n  {mail['body']}", flush=True)


def run(host: str, port: int, data: Optional[str], verbose: bool = False,
        stats_interval: float = 1.0) -> int:
    """Serve in the foreground until Ctrl-C or SIGTERM; print the URL and demo users first.

    :returns: 0 after a stop, 1 when the sandbox cannot start (the port is taken,
        the data file is not one or is open in another sandbox: said on stderr).
    """
    sandbox = Sandbox(host=host, port=port, data=data, verbose=verbose, on_mail=_print_mail,
                      stats_interval=stats_interval)
    try:
        sandbox.start()
    except (OSError, ValueError) as exc:
        print(f'cannot start the sandbox: {exc}', file=sys.stderr, flush=True)
        return 1
    print(f'Atomx API sandbox running at {sandbox.url}  (Ctrl-C to stop)')
    print(f'Live updates (websocket, beta) at {sandbox.ws_url}?auth_token=...')
    print('Demo users (email / password):')
    for _id, email, password, name, *_rest in USERS:
        print(f'  {email} / {password}  ({name})')
    print(f'  TOTP secret of the TOTP user: {TOTP_SECRET} (RFC 6238, 30 s, 6 digits)')
    if data:
        print(f'State kept in {data}')
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        sandbox.wait()
    except KeyboardInterrupt:
        print('stopping the sandbox', flush=True)
    finally:
        sandbox.stop()
    return 0


def main(argv: Optional[List[str]] = None, prog: str = 'python -m atomx.sandbox') -> int:
    """Entry point of ``python -m atomx.sandbox`` and ``atomx sandbox``."""
    args = build_parser(prog).parse_args(argv)
    return run(args.host, args.port, args.data, args.verbose, args.stats_interval)


if __name__ == '__main__':
    sys.exit(main())
