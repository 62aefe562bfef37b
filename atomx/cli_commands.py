"""What the ``atomx get``, ``search`` and ``report`` commands do, once parsed.

Each ``run_*`` function takes a logged-in session and the parsed arguments,
calls the session's documented verbs and writes the answer to ``out`` with
:mod:`atomx.cli_output`.  The small parsers of option values (``key=value``,
comma lists, ``--where`` expressions, dates) live here too: argparse calls
them and turns their :class:`argparse.ArgumentTypeError` into a usage error.
"""
from __future__ import annotations

import argparse
import json
import re
from datetime import datetime
from typing import Any, Dict, List, TextIO, Tuple

from . import cli_output
from .report_query import WHERE_OPERATORS, parse_datetime

_WHERE = re.compile(r'\s*(\S+)\s+(not\s+in|\S+)\s+(.+?)\s*$', re.IGNORECASE)


class UsageError(Exception):
    """A command line that cannot work as given (exit status 2)."""


# -- option values -------------------------------------------------------------

def key_value(text: str) -> Tuple[str, str]:
    """``'limit=10'`` -> ``('limit', '10')``."""
    key, sep, value = text.partition('=')
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f'{text!r} is not key=value (e.g. -p limit=10)')
    return key.strip(), value


def comma_list(text: str) -> List[str]:
    """``'hour,site_id'`` -> ``['hour', 'site_id']``."""
    items = [item.strip() for item in text.split(',') if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError(f'{text!r} is not a comma-separated list of names')
    return items


def json_or_text(text: str) -> Any:
    """The value read as JSON when it parses (``[1,2]``, ``3``, ``"x"``), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def where_expression(text: str) -> List[Any]:
    """``'site_id in [1,2]'`` -> ``['site_id', 'in', [1, 2]]``."""
    match = _WHERE.match(text)
    operator = ' '.join(match.group(2).lower().split()) if match else ''
    if match is None or operator not in WHERE_OPERATORS:
        allowed = ', '.join(WHERE_OPERATORS)
        raise argparse.ArgumentTypeError(
            f'{text!r} is not "column operator value" with an operator among {allowed} '
            f'(e.g. --where "site_id in [1,2]")')
    return [match.group(1), operator, json_or_text(match.group(3))]


def date_time(text: str) -> datetime:
    """A date or a date and time, as ``--from``/``--to`` take them."""
    try:
        return parse_datetime(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'{text!r} is not a date or a date and time (e.g. "2024-05-01 13:00")') from None


def query_params(pairs: List[Tuple[str, str]]) -> Dict[str, Any]:
    """``-p`` pairs as a dict; a key given twice is a usage error (lists take commas)."""
    params: Dict[str, Any] = {}
    for key, value in pairs:
        if key in params:
            raise UsageError(f'-p {key}= is given twice; give several values as '
                             f'{key}=a,b')
        params[key] = value
    return params


def _as_count(params: Dict[str, Any], name: str) -> None:
    """``limit``/``offset`` of ``--all`` as ints (``iter`` counts with them)."""
    if name in params:
        try:
            params[name] = int(params[name])
        except ValueError:
            raise UsageError(f'-p {name}={params[name]} is not a whole number') from None


# -- the commands ----------------------------------------------------------------

def run_get(atomx: Any, args: argparse.Namespace, out: TextIO) -> int:
    """``atomx get RESOURCE [ID [ATTRIBUTE]]``: one GET, or every page with ``--all``."""
    path = [part for part in (args.id, args.attribute) if part is not None]
    params = query_params(args.param)
    if args.progress and not args.all:
        raise UsageError('--progress shows the paging of --all; add --all')
    if not args.all:
        cli_output.write_value(atomx.get(args.resource, *path, **params), args.format, out)
        return 0
    for name in ('limit', 'offset'):
        _as_count(params, name)
    models = atomx.iter(args.resource, *path, progress=args.progress, **params)
    if args.format == 'json':
        cli_output.write_json_stream(models, out)
    else:
        cli_output.write_records(cli_output.plain(list(models)), args.format, out)
    return 0


def run_search(atomx: Any, args: argparse.Namespace, out: TextIO) -> int:
    """``atomx search QUERY``: the matches per resource (JSON) or one row each."""
    found = atomx.search(args.query, index=args.index)
    if args.format == 'json':
        out.write(cli_output.to_json(found) + '\n')
        return 0
    rows = [[resource, model.id, getattr(model, 'name', None)]
            for resource, models in found.items() for model in models]
    cli_output.write_rows(['resource', 'id', 'name'], rows, args.format, out)
    return 0


def run_report(atomx: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``atomx report``: create a report; its rows to stdout or to ``-o FILE.csv``."""
    report = atomx.report(scope=args.scope, groups=args.groups, metrics=args.metrics,
                          where=args.where or None, from_=args.from_, to=args.to,
                          daterange=args.daterange, timezone=args.timezone, name=args.name,
                          sort=args.sort, limit=args.limit)
    if args.output:
        report.to_csv(args.output)
        err.write(f'report {report.id}: {len(report.data)} rows written to {args.output}\n')
    else:
        cli_output.write_rows(report.columns, report.data, args.format, out)
    return 0


__all__ = ['UsageError', 'comma_list', 'date_time', 'json_or_text', 'key_value',
           'query_params', 'run_get', 'run_report', 'run_search', 'where_expression']
