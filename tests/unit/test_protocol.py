"""The API's facts in :mod:`atomx.protocol`, and the SDK and the sandbox agreeing on them."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from atomx import protocol
from atomx.protocol import split_envelope
from atomx.report_query import build_report_request
from atomx.sandbox.answers import listing
from atomx.sandbox.query import parse_query
from atomx.sandbox.report_query import ReportQueryError
from atomx.sandbox.reporting import run_report

NOW = datetime(2026, 11, 23, 19, 40)
GOOD_INTERVALS = ['1 day', '7 days', '1 month', '3 months', '12 month', '30 days']
BAD_INTERVALS = ['0 days', '07 days', '7days', ' 7 days', '7 days ', '7  days', '7 DAYS',
                 '2 weeks', 'a week', '-1 days', '1.5 days', '7 dayss', '']


def sdk_accepts(**arguments) -> bool:
    """Whether :meth:`atomx.Atomx.report`'s checks let these arguments through."""
    arguments.setdefault('scope', 'advertiser')
    arguments.setdefault('metrics', ['impressions'])
    try:
        build_report_request(user=None, now=NOW, **arguments)
    except ValueError:
        return False
    return True


def sandbox_accepts(**query) -> bool:
    """Whether the sandbox's ``POST /report`` answers these body keys."""
    query.setdefault('scope', 'advertiser')
    query.setdefault('metrics', ['impressions'])
    try:
        run_report(query, [], NOW)
    except ReportQueryError:
        return False
    return True


@pytest.mark.parametrize('envelope, expected', [
    ({'resource': 'sites', 'sites': [], 'count': 0}, ('sites', [], {'resource': 'sites',
                                                                      'count': 0})),
    ({'site': {'id': 1}, 'status': 'OK'}, ('site', {'id': 1}, {'status': 'OK'})),
    ({'success': True, 'message': 'done'}, ('', None, {'success': True, 'message': 'done'})),
    ({'a': 1, 'b': 2, 'count': 2}, ('', {'a': 1, 'b': 2}, {'count': 2})),
    ({'resource': 'missing', 'x': 1}, ('x', 1, {'resource': 'missing'})),
])
def test_split_envelope(envelope, expected):
    assert split_envelope(envelope) == expected


def test_the_interval_grammar_is_the_documented_n_days_or_n_month():
    """The documents allow 'N days' or 'N month'; both spellings of a unit read alike,
    and nothing looser (case, spaces, N below 1, other units) is a documented interval."""
    for good in GOOD_INTERVALS:
        assert protocol.INTERVAL_PATTERN.fullmatch(good), good
    for bad in BAD_INTERVALS:
        assert not protocol.INTERVAL_PATTERN.fullmatch(bad), bad


@pytest.mark.parametrize('interval', GOOD_INTERVALS + BAD_INTERVALS)
def test_sdk_and_sandbox_agree_on_the_interval_grammar(interval):
    good = interval in GOOD_INTERVALS
    assert sdk_accepts(when='daily', interval=interval) is good
    assert sandbox_accepts(when='daily', interval=interval) is good


@pytest.mark.parametrize('key, sdk_key, allowed, refused', [
    ('scope', 'scope', protocol.SCOPES, ['network', 'Advertiser', 'all']),
    ('daterange', 'daterange', protocol.DATERANGES, ['last7day', 'Today', 'thisweek']),
    ('when', 'when', protocol.SCHEDULES, ['weekly', 'hourly', 'mon']),
])
def test_sdk_and_sandbox_agree_on_each_report_vocabulary(key, sdk_key, allowed, refused):
    extra = {'interval': '7 days'} if key == 'when' else {}
    for value in allowed:
        assert sdk_accepts(**{sdk_key: value}, **extra), value
        assert sandbox_accepts(**{key: value}, **extra), value
    for value in refused:
        assert not sdk_accepts(**{sdk_key: value}, **extra), value
        assert not sandbox_accepts(**{key: value}, **extra), value


@pytest.mark.parametrize('operator', [*protocol.WHERE_OPERATORS, '=', '>=', 'like', 'IN '])
def test_sdk_and_sandbox_agree_on_the_where_operators(operator):
    value = [1, 2] if operator in protocol.LIST_OPERATORS else 1
    where = [['advertiser_id', operator, value]]
    good = operator in protocol.WHERE_OPERATORS
    assert sdk_accepts(where=where) is good
    assert sandbox_accepts(where=where) is good


def test_sdk_and_sandbox_agree_on_the_list_operators():
    for operator in protocol.WHERE_OPERATORS:
        takes_list = operator in protocol.LIST_OPERATORS
        where = [['advertiser_id', operator, 1]]
        assert sdk_accepts(where=where) is not takes_list, operator
        assert sandbox_accepts(where=where) is not takes_list, operator


def test_the_sandbox_answers_at_most_the_largest_page():
    query = parse_query([('limit', str(protocol.MAX_PAGE_SIZE + 1))], ['id'], [], 'sites')
    assert query.limit == protocol.MAX_PAGE_SIZE == 1000


def test_the_sandbox_envelope_holds_only_metadata_keys_and_the_payload():
    query = parse_query([('limit', '5')], ['id'], [], 'sites')
    answer = json.loads(listing('sites', [{'id': 1}], query, 1, NOW).get_data())
    assert split_envelope(answer) == ('sites', [{'id': 1}], {key: answer[key] for key in answer
                                                            if key != 'sites'})
    assert set(answer) - {'sites'} <= protocol.ENVELOPE_KEYS


@pytest.mark.parametrize('group', protocol.TIME_GROUPS)
def test_sdk_and_sandbox_agree_on_the_time_groups(group):
    """One list of time groups: the sandbox groups by each, the SDK makes each a time
    column of a DataFrame and splits a report's period by each."""
    from atomx import report_frame, report_pages
    from atomx.sandbox import report_query as sandbox_query

    assert sdk_accepts(groups=[group]) and sandbox_accepts(groups=[group])
    assert group in report_frame.TIME_GROUPS and group in report_pages.SPLITS
    assert group in sandbox_query.TIME_GROUPS
    assert report_frame.TIME_GROUPS is report_pages.SPLITS is sandbox_query.TIME_GROUPS


def test_a_time_group_the_api_does_not_document_is_refused_by_the_sandbox():
    assert not sandbox_accepts(groups=['year'])
