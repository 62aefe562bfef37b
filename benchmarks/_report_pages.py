"""Synthetic pages of a large report for the benchmarks' server (not the sandbox's engine).

:func:`report_page_routes` answers ``POST /v3/report?limit=N&offset=K``: every
window of the report has ``rows_per_window`` rows, served in pages of
``page_size``.  The three possible answers (a full page, the short last page,
an empty page) are built once when the server starts, so that serving a page
costs the server only a copy with its first row's site id changed (pages of a
sorted report never start alike) and a write: the client is what is measured.  A network's
latency is ``BenchServer``'s ``delay``.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Dict, Optional
from urllib.parse import parse_qsl, urlsplit

COLUMNS = ['hour', 'site_id', 'impressions', 'clicks', 'revenue']
GROUPS, METRICS = COLUMNS[:2], COLUMNS[2:]


#: The start of every page's first row as :func:`page_body` writes it.
FIRST_ROW = b'[["2025-01-01 00:00:00", 1000'


def page_rows(rows: int) -> list[list[Any]]:
    """``rows`` rows as the API sends them: hours of a year for a run of sites."""
    start = datetime(2025, 1, 1)
    hours = [(start + timedelta(hours=hour)).strftime('%Y-%m-%d %H:00:00')
             for hour in range(24 * 365)]
    return [[hours[row % len(hours)], 1000 + row // len(hours), row % 977, row % 13,
             round((row % 977) * 0.0123, 4)] for row in range(rows)]


def page_body(rows: int, limit: int, count: int) -> bytes:
    """The JSON answer of one page of ``rows`` rows."""
    report = {'id': 'benchmark', 'name': None, 'emails': [], 'length': rows, 'count': count,
              'totals': {}, 'columns': COLUMNS, 'data': page_rows(rows),
              'query': {'groups': GROUPS, 'metrics': METRICS, 'limit': limit,
                        'timezone': 'UTC'},
              'created_at': '2026-01-01T00:00:00', 'user_id': 1,
              'is_scheduled_report': False}
    return json.dumps({'success': True, 'resource': 'report', 'report': report}).encode()


class PageAnswers:
    """The answer of a page request (``_server``'s answerer): full, short last or empty."""

    def __init__(self, rows_per_window: int, page_size: int) -> None:
        self.rows, self.page_size = rows_per_window, page_size
        last = rows_per_window % page_size or page_size
        self.full = page_body(min(page_size, rows_per_window), page_size, rows_per_window)
        self.last = page_body(last, page_size, rows_per_window)
        self.empty = page_body(0, page_size, rows_per_window)

    def __call__(self, method: str, path: str, body: bytes) -> Optional[bytes]:
        if (method, urlsplit(path).path) != ('POST', '/v3/report'):
            return None
        query = dict(parse_qsl(urlsplit(path).query))
        if int(query.get('limit', -1)) != self.page_size:
            raise ValueError(f'this server serves pages of {self.page_size} rows, not {path}')
        offset = int(query.get('offset', 0))
        if offset >= self.rows:
            return self.empty
        body = self.full if offset + self.page_size < self.rows else self.last
        # each page starts with a row of its own, as sorted pages do (the client takes a
        # page that starts with the row of the page before for an API ignoring offset)
        page = offset // self.page_size
        return body.replace(FIRST_ROW, FIRST_ROW[:-4] + b'%d' % (1000 + 10 ** 6 * page), 1)


def report_page_routes(rows_per_window: int, page_size: int) -> PageAnswers:
    """The server's answerer: ``POST report`` pages (see the module docstring)."""
    return PageAnswers(rows_per_window, page_size)


def report_arguments(windows: int) -> Dict[str, Any]:
    """The arguments of ``export_report``/``read_report`` for ``windows`` day windows."""
    start = datetime(2025, 1, 1)
    return {'scope': 'network_buy', 'groups': GROUPS, 'metrics': METRICS,
            'from_': start, 'to': start + timedelta(days=windows), 'timezone': 'UTC'}
