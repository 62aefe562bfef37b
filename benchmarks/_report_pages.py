"""Synthetic pages of a large report for the benchmarks' server (not the sandbox's engine).

:func:`report_page_routes` answers ``POST /v3/report?limit=N&offset=K``: every
window of the report has ``rows_per_window`` rows, served in pages of
``page_size``.  The three possible answers (a full page, the short last page,
an empty page) are built once when the server starts, so that serving a page
costs the server only a write: the client is what is measured.  ``latency``
seconds are waited before each answer, as a distant API would.
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any, Dict
from urllib.parse import parse_qsl, urlsplit

COLUMNS = ['hour', 'site_id', 'impressions', 'clicks', 'revenue']
GROUPS, METRICS = COLUMNS[:2], COLUMNS[2:]


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
    """The answer of a page request: full, short last or empty, after ``latency`` seconds."""

    def __init__(self, rows_per_window: int, page_size: int, latency: float = 0.0) -> None:
        self.rows, self.page_size, self.latency = rows_per_window, page_size, latency
        last = rows_per_window % page_size or page_size
        self.full = page_body(min(page_size, rows_per_window), page_size, rows_per_window)
        self.last = page_body(last, page_size, rows_per_window)
        self.empty = page_body(0, page_size, rows_per_window)

    def __call__(self, path: str, body: bytes) -> bytes:
        query = dict(parse_qsl(urlsplit(path).query))
        if int(query.get('limit', -1)) != self.page_size:
            raise ValueError(f'this server serves pages of {self.page_size} rows, not {path}')
        if self.latency:
            time.sleep(self.latency)
        offset = int(query.get('offset', 0))
        if offset >= self.rows:
            return self.empty
        return self.full if offset + self.page_size < self.rows else self.last


def report_page_routes(rows_per_window: int, page_size: int,
                       latency: float = 0.0) -> Dict[str, Any]:
    """The server's routes: ``POST report`` pages (see the module docstring)."""
    return {'/v3/report': PageAnswers(rows_per_window, page_size, latency)}


def report_arguments(windows: int) -> Dict[str, Any]:
    """The arguments of ``export_report``/``read_report`` for ``windows`` day windows."""
    start = datetime(2025, 1, 1)
    return {'scope': 'network_buy', 'groups': GROUPS, 'metrics': METRICS,
            'from_': start, 'to': start + timedelta(days=windows), 'timezone': 'UTC'}
