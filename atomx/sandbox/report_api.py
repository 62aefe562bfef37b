"""``POST /report``, ``GET /reports`` and ``GET``/``PUT``/``DELETE /report/{id}``.

A report is kept with all its rows; ``GET /report/{id}?limit=N&offset=K``
answers rows K to K+N-1 of them.  One whose ``POST`` answered a page
(``limit``/``offset``) keeps that page and how to make the rest (its query and
the clock it ran at), and makes every row on its first ``GET`` only: paging
through a big report costs one run per page, not one of the whole report.

The numbers come from :func:`atomx.sandbox.reporting.run_report` over the delivery
lines the user's rights cover; this module adds what makes a query a report: an
id, the owner, the creation time, and whether it is scheduled (``when`` and
``interval``).  Reports with ``save: false`` are answered but not listed.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Dict

from werkzeug.wrappers import Response

from .answers import bad_request, forbidden, not_found, single
from .context import Call
from .delivery import lines_for
from .report_query import ReportQueryError, parse_count, parse_emails
from .reporting import run_report

_URL_PARAMETERS = ('sort', 'limit', 'offset')
#: What ``GET /report/{id}`` reads from the URL (which rows of the stored report), and the
#: least each allows: a page has at least one row, so ``limit=0`` is refused here (the
#: stricter rule on purpose), where ``POST report``'s ``limit=0`` answers the columns alone.
_PAGE_PARAMETERS = {'limit': 1, 'offset': 0}
#: The key of a report kept as a page: how to make all its rows (query and clock).
_RECIPE = '_all_rows'
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
    now = call.backend.now()
    try:
        result = run_report(query, lines, now)
    except ReportQueryError as exc:
        raise bad_request(str(exc)) from None
    echo = result['query']
    report = {'id': uuid.uuid4().hex, 'name': echo.get('name'), 'emails': echo.get('emails', []),
              'created_at': call.store.now_text(), 'user_id': user['id'],
              'is_scheduled_report': bool(echo.get('when') and echo.get('interval')),
              **result}
    kept = dict(report)
    if echo.get('limit') or echo.get('offset'):  # a page: every row is made when first read
        unpaged = {key: value for key, value in query.items() if key not in ('limit', 'offset')}
        kept[_RECIPE] = {'query': unpaged, 'now': now.isoformat()}
    with call.store.lock:
        call.store.keep_report(kept)
        call.store.save()
    return single('report', report)


def _whole(call: Call, report: Dict[str, Any]) -> Dict[str, Any]:
    """The kept report with every row: made (and kept) now for one answered as a page."""
    recipe = report.get(_RECIPE)
    if recipe is None:
        return report
    rows = run_report(recipe['query'], lines_for(call.store, call.user()),
                      datetime.fromisoformat(recipe['now']))['data']
    whole = {**_shown(report), 'data': rows, 'length': len(rows)}
    call.store.keep_report(whole)
    call.store.save()
    return whole


def _shown(report: Dict[str, Any]) -> Dict[str, Any]:
    """A kept report as answered: without what only the sandbox reads."""
    return {key: value for key, value in report.items() if key != _RECIPE}


def list_reports(call: Call) -> Response:
    """The user's saved reports and scheduled reports."""
    user = call.user()
    with call.store.lock:
        mine = [rep for rep in call.store.reports.values()
                if rep['user_id'] == user['id'] and rep['query'].get('save', True)]
    mine.sort(key=lambda rep: rep['created_at'])
    return single('reporting', {
        'reports': [_shown(rep) for rep in mine if not rep['is_scheduled_report']],
        'scheduled': [_shown(rep) for rep in mine if rep['is_scheduled_report']]})


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
        limit, offset = (parse_count(key, call.request.args.get(key), least)
                         for key, least in _PAGE_PARAMETERS.items())
    except ValueError as exc:
        raise bad_request(str(exc)) from None
    with call.store.lock:
        report = _whole(call, _own(call, report_id))
        rows = report['data'][offset or 0:None if limit is None else (offset or 0) + limit]
        return single('report', {**report, 'data': rows, 'length': len(rows)})


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
        return single('report', _shown(report))


def delete_report(call: Call, report_id: str) -> Response:
    """``DELETE /report/{id}``: answers ``{"deleted": {"report": [id]}}``."""
    with call.store.lock:
        _own(call, report_id)
        call.store.drop_report(report_id)
        call.store.save()
    return single('deleted', {'report': [report_id]})
