"""``atomx watch CHANNEL...``: live updates on the command line, one line per event.

The channels are checked before the login (a bad one is a usage error, exit 2);
the subscription reconnects as :meth:`atomx.Atomx.subscribe` does.  The command
ends with exit status 0 on Ctrl-C or after ``--timeout`` seconds without an event.
"""
from __future__ import annotations

import argparse
import json
from datetime import datetime

from .checks import check_seconds
from .cli_commands import Invocation, require_for_command
from .cli_output import cell, printable
from .live import Event, parse_channels

#: The output formats of ``atomx watch``.
WATCH_FORMATS = ('table', 'json')


def check_watch(args: argparse.Namespace) -> None:
    """Refuse bad channels and a missing websockets before the login.

    :param args: the parsed command line (``channels``, ``stats``, ``timeout``).
    :raises ValueError: a bad channel, or a ``--timeout`` that is not a positive, finite
        number of seconds (:func:`atomx.checks.check_seconds`).
    :raises ~atomx.cli_commands.UsageError: websockets is not installed (exit status 2,
        as for every missing optional package of a command).
    """
    parse_channels(args.channels, args.stats)
    if args.timeout is not None:
        check_seconds('--timeout', args.timeout)
    require_for_command('websockets.sync.client', 'live', 'atomx watch')


def event_line(event: Event, output_format: str) -> str:
    """One event as one line: a JSON object, or time, kind, channel and details.

    :param event: the event.
    :param output_format: ``'json'`` or ``'table'``.
    :returns: the line, without its newline.
    """
    if output_format == 'json':
        return json.dumps({'kind': event.kind, 'channel': event.channel, 'data': event.data},
                          default=str, ensure_ascii=False)
    data = event.data
    if event.kind == 'update':
        details = data.get('changes')
    elif event.kind == 'stats':
        details = data.get('lifetime')
    elif event.kind == 'reconnected':
        details = {'channels': ','.join(data.get('channels', []))}
    elif event.kind == 'system':
        details = {key: value for key, value in data.items() if key != 'channel'}
    else:
        details = {}
    text = ' '.join(f'{key}={cell(value)}' for key, value in details.items()) \
        if isinstance(details, dict) else cell(details)
    stamp = datetime.now().strftime('%H:%M:%S')
    return printable(f'{stamp}  {event.kind:<11} {event.channel:<24} {text}'.rstrip())


def run_watch(run: Invocation) -> int:
    """Subscribe and print the events until Ctrl-C or ``--timeout`` seconds of silence.

    :param run: the parsed ``watch`` command line, stdout (the event lines), stderr
        (the ``watching ...`` notice once the channels are confirmed) and the session.
    :returns: the exit status, 0.
    :raises ~atomx.exceptions.SubscriptionError: the server refused a channel.
    :raises ~atomx.exceptions.APIConnectionError: no connection.
    """
    args = run.args
    try:
        with run.session().subscribe(*args.channels, stats=args.stats) as feed:
            run.err.write(f'watching {", ".join(sorted(feed.channels))} (Ctrl-C to stop)\n')
            run.err.flush()
            for event in feed.events(timeout=args.timeout):
                run.out.write(event_line(event, args.format) + '\n')
                run.out.flush()
    except KeyboardInterrupt:  # the way to stop watching: no error
        pass
    return 0


__all__ = ['WATCH_FORMATS', 'check_watch', 'event_line', 'run_watch']
