"""``POST /report``, ``GET /reports`` and ``GET``/``PUT``/``DELETE /report/{id}``.

A report is stored with all its rows, also when its ``POST`` answered one page
(``limit``/``offset``); ``GET /report/{id}?limit=N&offset=K`` answers rows K to
K+N-1 of them.

The numbers come from :func:`atomx.sandbox.reporting.run_report` over the delivery
lines the user's rights cover; this module adds what makes a query a report: an
id, the owner, the creation time, and whether it is scheduled (``when`` and
``interval``).  Reports with ``save: false`` are answered but not listed.
"""
from __future__ import annotations

import uuid
from typing import Any, Dict

from werkzeug.wrappers import Response

from .answers import bad_request, forbidden, not_found, single
from .context import Call
from .delivery import lines_for
from .report_query import ReportQueryError, parse_emails
from .reporting import run_report

_URL_PARAMETERS = ('sort', 'limit', 'offset')
#: What ``GET /report/{id}`` reads from the URL: which rows of the stored report.
_PAGE_PARAMETERS = ('limit', 'offset')
_EDITABLE = ('name', 'emails')


def create_report(call: Call) -> Response:
    """Compute, keep and answer a report."""
    user = call.user()
    unknown = sorted(set(call.request.args) - set(_URL_PARAMETERS))
    if unknown:
        raise bad_request(f'unknown URL parameter {unknown[0]!r} for /report; '
                          f'allowed: {", ".join(_URL_PARAMETERS)}')
    query = dict(call.body_object())
    query.update({key: call.request.args[key] for key in _URL_PARAMETERS
                  if key in call.request.args})
    with call.store.lock:
        lines = lines_for(call.store, user)
    try:
        result = run_report(query, lines, call.backend.now())
        whole = _all_rows(query, result, lines, call.backend.now())
    except ReportQueryError as exc:
        raise bad_request(str(exc)) from None
    echo = result['query']
    report = {'id': uuid.uuid4().hex, 'name': echo.get('name'), 'emails': echo.get('emails', []),
              'created_at': call.store.now_text(), 'user_id': user['id'],
              'is_scheduled_report': bool(echo.get('when') and echo.get('interval')),
              **result}
    with call.store.lock:  # the stored report keeps every row, for GET report/{id}
        call.store.keep_report({**report, 'data': whole, 'length': len(whole)})
        call.store.save()
    return single('report', report)


def _all_rows(query: Dict[str, Any], page: Dict[str, Any], lines: Any, now: Any) -> Any:
    """Every row of the report whose (maybe paged) answer is ``page``."""
    if not page['query'].get('limit') and not page['query'].get('offset'):
        return page['data']
    unpaged = {key: value for key, value in query.items() if key not in ('limit', 'offset')}
    return run_report(unpaged, lines, now)['data']


def list_reports(call: Call) -> Response:
    """The user's saved reports and scheduled reports."""
    user = call.user()
    with call.store.lock:
        mine = [rep for rep in call.store.reports.values()
                if rep['user_id'] == user['id'] and rep['query'].get('save', True)]
    mine.sort(key=lambda rep: rep['created_at'])
    return single('reporting', {
        'reports': [rep for rep in mine if not rep['is_scheduled_report']],
        'scheduled': [rep for rep in mine if rep['is_scheduled_report']]})


def _own(call: Call, report_id: str) -> Dict[str, Any]:
    user = call.user()
    report = call.store.reports.get(report_id)
    if report is None:
        raise not_found(f'report {report_id} not found')
    if report['user_id'] != user['id']:
        raise forbidden(f'report {report_id} belongs to another user')
    return report


def get_report(call: Call, report_id: str) -> Response:
    """``GET /report/{id}[?limit=N&offset=K]``: the stored report with rows K to K+N-1."""
    unknown = sorted(set(call.request.args) - set(_PAGE_PARAMETERS))
    if unknown:
        raise bad_request(f'unknown URL parameter {unknown[0]!r} for /report/{{id}}; '
                          f'allowed: {", ".join(_PAGE_PARAMETERS)}')
    try:
        limit, offset = (_page_count(call.request.args.get(key), key)
                         for key in _PAGE_PARAMETERS)
    except ValueError as exc:
        raise bad_request(str(exc)) from None
    with call.store.lock:
        report = _own(call, report_id)
        rows = report['data'][offset or 0:None if limit is None else (offset or 0) + limit]
        return single('report', {**report, 'data': rows, 'length': len(rows)})


def _page_count(text: Any, key: str) -> Any:
    """A ``limit`` or ``offset`` of the URL: ``None`` when absent, else a whole number."""
    if text is None or text == '':
        return None
    if not text.isdigit() or (key == 'limit' and int(text) == 0):
        least = 1 if key == 'limit' else 0
        raise ValueError(f'{key}: expected a whole number >= {least}, got {text!r}')
    return int(text)


def put_report(call: Call, report_id: str) -> Response:
    """``PUT /report/{id}``: change its ``name`` and ``emails``."""
    body = call.body_object()
    extra = sorted(set(body) - set(_EDITABLE))
    if extra:
        raise bad_request(f'a report can only change name and emails, not {", ".join(extra)}')
    changes: Dict[str, Any] = {}
    if 'name' in body:
        if body['name'] is not None and not isinstance(body['name'], str):
            raise bad_request(f'name must be a string, got {body["name"]!r}')
        changes['name'] = body['name']
    if 'emails' in body:
        try:
            changes['emails'] = parse_emails(body['emails'])
        except ReportQueryError as exc:
            raise bad_request(str(exc)) from None
    with call.store.lock:
        report = _own(call, report_id)
        report.update(changes)
        report['query'].update(changes)
        call.store.keep_report(report)
        call.store.save()
        return single('report', report)


def delete_report(call: Call, report_id: str) -> Response:
    """``DELETE /report/{id}``: answers ``{"deleted": {"report": [id]}}``."""
    with call.store.lock:
        _own(call, report_id)
        call.store.drop_report(report_id)
        call.store.save()
    return single('deleted', {'report': [report_id]})
