"""``python -m atomx.sandbox [--host 127.0.0.1] [--port 6543] [--data FILE]``.

Runs the sandbox in the foreground until Ctrl-C (or SIGTERM) and prints its URL
and the demo credentials.
"""
from __future__ import annotations

import argparse
import errno
import signal
import sys
from typing import Any, Dict, List, Optional

from .seed import DEMO_EMAIL, DEMO_PASSWORD, TOTP_SECRET, USERS
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


def export_line(url: str) -> str:
    """The shell line that points the ``atomx`` command at a sandbox, as its demo user.

    :param url: the sandbox's API URL.
    :returns: ``export ATOMX_API_ENDPOINT=... ATOMX_EMAIL=... ATOMX_PASSWORD=...``.
    """
    return (f'export ATOMX_API_ENDPOINT={url} ATOMX_EMAIL={DEMO_EMAIL} '
            f'ATOMX_PASSWORD={DEMO_PASSWORD}')


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _hold_sigterm() -> bool:
    """Hold SIGTERM back (where signal masks exist); whether it is held."""
    if not hasattr(signal, 'pthread_sigmask'):
        return False
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    return True


def _release_sigterm(held: bool) -> None:
    """Let a held SIGTERM through: one that came meanwhile is handled now."""
    if held:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def _print_mail(mail: Dict[str, Any]) -> None:
    print(f"mail to {mail['to']}: {mail['subject']}\n  {mail['body']}", flush=True)


def cannot_listen(host: str, port: int, error: OSError) -> str:
    """Why the sandbox cannot listen on ``host:port``, and what to do, in a sentence.

    :param host: the address asked for.
    :param port: the port asked for.
    :param error: what binding it raised.
    :returns: the message: for a taken port, to stop the other program or to
        pick another port, ``--port 0`` for any free one.
    """
    if error.errno == errno.EADDRINUSE:
        return (f'port {port} of {host} is taken by another program: stop that program, or '
                f'start the sandbox on another port (--port 0 picks a free one)')
    return (f'cannot listen on {host}:{port}: {error.strerror or error} (try --host 127.0.0.1 '
            f'--port 0)')


def run(host: str, port: int, data: Optional[str], verbose: bool = False,
        stats_interval: float = 1.0, prog: str = 'python -m atomx.sandbox') -> int:
    """Serve in the foreground until Ctrl-C or SIGTERM; print the URL and demo users first.

    :returns: 0 after a stop, 1 when the sandbox cannot start (the port is taken,
        the data file is not one or is open in another sandbox: said on stderr as
        ``PROG: error: ...``).
    """
    sandbox = Sandbox(host=host, port=port, data=data, verbose=verbose, on_mail=_print_mail,
                      stats_interval=stats_interval)
    # A SIGTERM that comes once the server answers but before the banner is out
    # waits until the handler is in place (then stops cleanly, banner printed).
    held = _hold_sigterm()
    try:
        sandbox.start()
    except OSError as error:
        listening = error.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)
        reason = (cannot_listen(host, port, error) if listening
                  else f'cannot start the sandbox: {error}')
        print(f'{prog}: error: {reason}', file=sys.stderr, flush=True)
        _release_sigterm(held)
        return 1
    except ValueError as error:
        print(f'{prog}: error: cannot start the sandbox: {error}', file=sys.stderr, flush=True)
        _release_sigterm(held)
        return 1
    print(f'Atomx API sandbox running at {sandbox.url}  (Ctrl-C to stop)')
    print(f'Live updates (websocket, beta) at {sandbox.ws_url}?auth_token=...')
    print('Demo users (email / password):')
    for _id, email, password, name, *_rest in USERS:
        print(f'  {email} / {password}  ({name})')
    print(f'  TOTP secret of the TOTP user: {TOTP_SECRET} (RFC 6238, 30 s, 6 digits)')
    if data:
        print(f'State kept in {data}')
    print('In another shell, for the atomx command and Atomx.from_env():')
    print(f'  {export_line(sandbox.url)}')
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        _release_sigterm(held)
        sandbox.wait()
    except KeyboardInterrupt:
        print('stopping the sandbox', flush=True)
    finally:
        sandbox.stop()
    return 0


def main(argv: Optional[List[str]] = None, prog: str = 'python -m atomx.sandbox') -> int:
    """Entry point of ``python -m atomx.sandbox`` and ``atomx sandbox``."""
    args = build_parser(prog).parse_args(argv)
    return run(args.host, args.port, args.data, args.verbose, args.stats_interval, prog=prog)


if __name__ == '__main__':
    sys.exit(main())
