"""Atomx.report() on the wire: the exact POST report body and query, scope detection,
and every bad argument refused before a request is sent."""
import json
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from atomx import Atomx
from atomx.exceptions import MissingArgumentError
from atomx.report_query import build_report_request, detect_scope
from atomx.reports import Report
from tests.unit.conftest import API, TOKEN, USER

NOW = datetime(2026, 11, 23, 19, 42, 7)
ANSWER = {'id': 7, 'name': None, 'emails': [], 'length': 1, 'totals': {'impressions': 10},
          'columns': ['hour', 'impressions'], 'data': [['2026-11-23 18:00:00', 10]],
          'created_at': '2026-11-23T19:42:08', 'user_id': 1, 'is_scheduled_report': False,
          'query': {'groups': ['hour'], 'metrics': ['impressions']},
          'from': '2026-11-16 19:00:00', 'to': '2026-11-23 19:00:00'}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    """'now' of the default period is NOW (naive UTC)."""
    monkeypatch.setattr('atomx.report_query.utc_now', lambda: NOW)


@pytest.fixture
def answered(mocked):
    """POST report answers ANSWER."""
    mocked.add(responses.POST, API + '/report', json={'success': True, 'resource': 'report',
                                                     'report': ANSWER})
    return mocked


def sent_request(mocked):
    """``(method, path, query dict, JSON body)`` of the only request sent."""
    assert len(mocked.calls) == 1
    request = mocked.calls[0].request
    assert request.headers['Authorization'] == f'Bearer {TOKEN}'
    assert request.headers['Content-Type'] == 'application/json'
    url = urlsplit(request.url)
    return request.method, url.path, dict(parse_qsl(url.query)), json.loads(request.body)


def body(**changes):
    """The body of ``report(scope='publisher', groups=['hour'], metrics=['impressions'])``."""
    default = {'scope': 'publisher', 'groups': ['hour'], 'metrics': ['impressions'],
               'where': [], 'from': '2026-11-16 19:00:00', 'to': '2026-11-23 19:00:00',
               'timezone': 'UTC', 'save': True, 'editable': False}
    default.update(changes)
    return {key: value for key, value in default.items() if value is not None}


# -- the body and query of each documented combination -----------------------

def test_docs_example_sends_from_to_timezone_and_where(session, answered):
    now = datetime(2026, 11, 23, 19, 42, 7)
    report = session.report(scope='publisher', groups=['hour'],
                            metrics=['impressions', 'clicks'],
                            where=[['publisher_id', '==', 42]], from_=now - timedelta(days=7),
                            to=now, timezone='America/Los_Angeles')
    assert sent_request(answered) == ('POST', '/v3/report', {}, body(
        metrics=['impressions', 'clicks'], where=[['publisher_id', '==', 42]],
        timezone='America/Los_Angeles'))
    assert isinstance(report, Report)
    assert (report.id, report.length, report.session) == (7, 1, session)
    assert report.from_ == datetime(2026, 11, 16, 19)
    assert report.to == datetime(2026, 11, 23, 19)


def test_default_period_is_the_last_seven_days_until_now_in_whole_hours(session, answered):
    session.report(scope='publisher', groups=['hour'], metrics=['impressions'])
    assert sent_request(answered)[3] == body()


@pytest.mark.parametrize('zone, start, end', [
    # NOW is 19:42 UTC on 23 November: 11:42 in Los Angeles (PST), 04:42 the next day in Tokyo
    ('America/Los_Angeles', '2026-11-16 11:00:00', '2026-11-23 11:00:00'),
    ('Asia/Tokyo', '2026-11-17 04:00:00', '2026-11-24 04:00:00'),
    ('UTC', '2026-11-16 19:00:00', '2026-11-23 19:00:00'),
])
def test_default_to_is_now_in_the_reports_timezone(session, answered, zone, start, end):
    session.report(scope='publisher', groups=['hour'], metrics=['impressions'], timezone=zone)
    assert sent_request(answered)[3] == body(timezone=zone, **{'from': start, 'to': end})


def test_a_default_to_with_a_given_from_is_now_in_the_timezone(session, answered):
    session.report(scope='publisher', groups=['hour'], metrics=['impressions'],
                   from_='2026-11-20', timezone='America/Los_Angeles')
    assert sent_request(answered)[3] == body(
        timezone='America/Los_Angeles', **{'from': '2026-11-20', 'to': '2026-11-23 11:00:00'})


def test_a_date_is_its_midnight_and_a_string_is_sent_as_given(session, answered):
    session.report(scope='publisher', groups=['hour'], metrics='impressions',
                   from_=date(2026, 11, 1), to='2026-11-02T06:30')
    assert sent_request(answered)[3] == body(**{'from': '2026-11-01 00:00:00',
                                                'to': '2026-11-02T06:30'})


def test_an_aware_datetime_is_sent_as_wall_time_of_the_report_timezone(session, answered):
    start = datetime(2026, 7, 1, 12, 15, tzinfo=timezone.utc)
    session.report(scope='publisher', groups=['hour'], metrics=['impressions'], from_=start,
                   to=start + timedelta(days=1), timezone='America/Los_Angeles')
    assert sent_request(answered)[3] == body(**{'from': '2026-07-01 05:00:00',
                                                'to': '2026-07-02 05:00:00',
                                                'timezone': 'America/Los_Angeles'})


def test_rolling_daterange_replaces_from_and_to(session, answered):
    session.report(scope='publisher', groups=['day'], metrics=['impressions'],
                   daterange='last30days')
    assert sent_request(answered)[3] == body(groups=['day'], daterange='last30days',
                                             **{'from': None, 'to': None})


def test_scheduled_report_sends_when_and_interval_instead_of_a_period(session, answered):
    session.report(scope='publisher', groups=['day'], metrics=['impressions'], when='monday',
                   interval='7 days', name='weekly', emails='boss@example.com')
    assert sent_request(answered)[3] == body(
        groups=['day'], when='monday', interval='7 days', name='weekly',
        emails=['boss@example.com'], **{'from': None, 'to': None})


def test_emails_list_name_save_and_editable_are_sent(session, answered):
    session.report(scope='publisher', groups=['hour'], metrics=['impressions'],
                   emails=['a@example.com', 'b@example.com'], name='my report', save=False,
                   editable=True)
    assert sent_request(answered)[3] == body(
        emails=['a@example.com', 'b@example.com'], name='my report', save=False,
        editable=True)


def test_sort_list_limit_and_offset_go_to_the_query_string(session, answered):
    session.report(scope='publisher', groups=['hour', 'site_id'], metrics=['impressions'],
                   sort=['impressions', 'site_id'], limit=100, offset=200)
    method, path, query, sent = sent_request(answered)
    assert query == {'sort': 'impressions,site_id', 'limit': '100', 'offset': '200'}
    assert answered.calls[0].request.url.endswith('?sort=impressions,site_id&limit=100'
                                                  '&offset=200')
    assert sent == body(groups=['hour', 'site_id'])


def test_in_and_not_in_send_their_values_as_lists(session, answered):
    session.report(scope='network_buy', groups=['site_id'], metrics=['impressions'],
                   where=[('site_id', 'in', (1, 2)), ['country', 'not in', {'DE'}],
                          ['clicks', '>', 0]])
    assert sent_request(answered)[3] == body(
        scope='network_buy', groups=['site_id'],
        where=[['site_id', 'in', [1, 2]], ['country', 'not in', ['DE']], ['clicks', '>', 0]])


# -- scope detection ----------------------------------------------------------

def logged_in(mocked, **rights):
    """A session whose user has ``rights`` (networks/advertisers/publishers id lists)."""
    user = {**USER, 'networks': [], 'advertisers': [], 'publishers': [], **rights}
    mocked.add(responses.POST, API + '/login', json={'auth_token': TOKEN, 'user': user})
    atomx = Atomx('user@example.com', 'password')
    mocked.calls.reset()
    return atomx


@pytest.mark.parametrize('rights, scope', [
    ({'advertisers': [3, 4]}, 'advertiser'),
    ({'publishers': [5]}, 'publisher'),
])
def test_scope_is_detected_for_advertiser_only_and_publisher_only_users(mocked, rights, scope):
    atomx = logged_in(mocked, **rights)
    mocked.add(responses.POST, API + '/report', json={'resource': 'report', 'report': ANSWER})
    atomx.report(groups=['hour'], metrics=['impressions'])
    assert sent_request(mocked)[3] == body(scope=scope)


@pytest.mark.parametrize('rights', [
    {'networks': [1]},
    {'networks': [1], 'advertisers': [3]},
    {'advertisers': [3], 'publishers': [5]},
    {},
])
def test_scope_cannot_be_detected_for_other_users(mocked, rights):
    atomx = logged_in(mocked, **rights)
    with pytest.raises(MissingArgumentError, match="pass scope=, one of 'advertiser'"):
        atomx.report(groups=['hour'], metrics=['impressions'])
    assert len(mocked.calls) == 0


def test_an_explicit_scope_wins_over_detection(mocked):
    atomx = logged_in(mocked, advertisers=[3])
    mocked.add(responses.POST, API + '/report', json={'resource': 'report', 'report': ANSWER})
    atomx.report(scope='dsp', groups=['hour'], metrics=['impressions'])
    assert sent_request(mocked)[3]['scope'] == 'dsp'


class UserModel:
    """A user as the models give it: rights as attributes (lists of ids or models)."""

    def __init__(self, networks, advertisers, publishers):
        self.networks, self.advertisers, self.publishers = networks, advertisers, publishers


class LazyUserModel:
    """A user model whose rights attributes would fetch from the API; json has the ids."""

    def __init__(self, **attributes):
        self.attributes, self.fetched = attributes, []

    @property
    def json(self):
        return dict(self.attributes)

    def __getattr__(self, name):
        self.fetched.append(name)
        return []


def test_detect_scope_reads_a_models_user_through_json_without_fetching():
    user = LazyUserModel(networks=[], advertisers=[3, 4], publishers=[])
    assert detect_scope(user) == 'advertiser'
    assert detect_scope(LazyUserModel(publishers=[9])) == 'publisher'
    assert user.fetched == []


def test_detect_scope_reads_a_user_model_as_well_as_a_dict():
    assert detect_scope(UserModel([], [object()], [])) == 'advertiser'
    assert detect_scope(UserModel([], None, [7])) == 'publisher'
    assert detect_scope({'publishers': [7]}) == 'publisher'
    with pytest.raises(MissingArgumentError, match='1 networks, 1 advertisers, 0 publishers'):
        detect_scope(UserModel([1], [2], []))
    with pytest.raises(MissingArgumentError):
        detect_scope(None)


# -- bad input: a clear error and no request ---------------------------------

REPORT = {'scope': 'publisher', 'groups': ['hour'], 'metrics': ['impressions']}


@pytest.mark.parametrize('changes, error, message', [
    ({'groups': None, 'metrics': None}, MissingArgumentError, 'groups= or metrics='),
    ({'groups': [], 'metrics': []}, MissingArgumentError, 'groups= or metrics='),
    ({'groups': [1]}, TypeError, 'groups must be a list of column names'),
    ({'scope': 'network'}, ValueError, "scope='network' is not allowed; use one of "
                                       "'advertiser', 'publisher', 'inventory', 'dsp', "
                                       "'network_managed', 'network_buy', 'network_sell'"),
    ({'where': [['site_id', '==']]}, ValueError, r"where\[0\]=\['site_id', '=='\] is not a "
                                                 r"\[column, op, value\] list"),
    ({'where': ['site_id == 1']}, ValueError, r'where\[0\]'),
    ({'where': 'site_id == 1'}, ValueError, 'where must be a list of'),
    ({'where': [[3, '==', 1]]}, ValueError, 'the column must be a name'),
    ({'where': [['site_id', '=', 1]]}, ValueError,
     "operator '=' is not one of '==', '!=', '<', '>', 'in', 'not in'"),
    ({'where': [['site_id', 'in', 1]]}, ValueError, "'in' needs a list of values, not 1"),
    ({'where': [['site_id', 'not in', '1,2']]}, ValueError, "'not in' needs a list"),
    ({'where': [['site_id', '==', [1, 2]]]}, ValueError, 'use "in" or "not in" for a list'),
    ({'daterange': 'last7day'}, ValueError, "daterange='last7day' is not allowed; use one of "
                                            "'today', 'yesterday', 'last7days'"),
    ({'daterange': 'today', 'from_': datetime(2026, 1, 1)}, ValueError,
     'leave from_ and to unset'),
    ({'daterange': 'today', 'to': datetime(2026, 1, 1)}, ValueError, 'leave from_ and to'),
    ({'from_': datetime(2026, 11, 2), 'to': datetime(2026, 11, 1)}, ValueError,
     r'from_ \(2026-11-02 00:00\) must be before to \(2026-11-01 00:00\)'),
    ({'from_': datetime(2026, 11, 2, 10, 5), 'to': datetime(2026, 11, 2, 10, 55)}, ValueError,
     'must be before to .* in whole hours'),
    ({'to': datetime(2026, 1, 1)}, ValueError, 'from_ defaults to 7 days ago'),
    ({'from_': 'next tuesday-ish'}, ValueError, "from_: 'next tuesday-ish' is not a date"),
    ({'to': 1700000000}, TypeError, 'to: expected a datetime, a date or a str, not int'),
    ({'when': 'daily'}, ValueError, "needs both when= .* got when='daily', interval=None"),
    ({'interval': '7 days'}, ValueError, "got when=None, interval='7 days'"),
    ({'when': 'weekly', 'interval': '7 days'}, ValueError,
     "when='weekly' is not allowed; use one of 'daily', 'monthly', 'monday'"),
    ({'when': 'daily', 'interval': 'a week'}, ValueError,
     "interval='a week' is not allowed; use 'N days' or 'N month'"),
    ({'when': 'daily', 'interval': '1 day', 'from_': datetime(2026, 1, 1)}, ValueError,
     'leave from_, to and daterange unset'),
    ({'when': 'daily', 'interval': '1 day', 'daterange': 'today'}, ValueError,
     'leave from_, to and daterange unset'),
    ({'emails': 'nobody'}, ValueError, "emails: 'nobody' is not an email address"),
    ({'emails': 42}, TypeError, 'emails must be an address or a list'),
    ({'limit': 0}, ValueError, 'limit must be at least 1, not 0'),
    ({'limit': '10'}, TypeError, "limit must be an int, not str \\('10'\\)"),
    ({'offset': -1}, ValueError, 'offset must be at least 0, not -1'),
    ({'sort': [None]}, TypeError, 'sort must be a list of column names'),
    ({'save': 'yes'}, TypeError, "save must be a bool, not 'yes'"),
    ({'editable': 1}, TypeError, 'editable must be a bool, not 1'),
    ({'timezone': None}, TypeError, 'timezone must be a str'),
    ({'name': 5}, TypeError, 'name must be a str, not 5'),
    ({'timezone': 'Mars/Olympus', 'from_': datetime(2026, 1, 1, tzinfo=timezone.utc)},
     ValueError, "timezone='Mars/Olympus' is unknown"),
    ({'timezone': 'Mars/Olympus'}, ValueError,
     "timezone='Mars/Olympus' is unknown: use an IANA name such as 'UTC' or 'Europe/Vienna'"),
    # refused even when no time needs converting: the API reads every time in it
    ({'timezone': 'Mars/Olympus', 'from_': '2026-01-01 00:00', 'to': '2026-01-02 00:00'},
     ValueError, "timezone='Mars/Olympus' is unknown: use an IANA name"),
    ({'timezone': 'Mars/Olympus', 'daterange': 'yesterday'}, ValueError,
     "timezone='Mars/Olympus' is unknown"),
    ({'timezone': ''}, ValueError, "timezone='' is unknown"),
])
def test_bad_input_raises_a_clear_error_before_any_request(session, mocked, changes, error,
                                                           message):
    with pytest.raises(error, match=message):
        session.report(**{**REPORT, **changes})
    assert len(mocked.calls) == 0


def test_the_request_builder_is_pure_and_takes_now_as_an_argument():
    sent, query = build_report_request(user=None, now=datetime(2020, 2, 29, 0, 30),
                                       scope='inventory', metrics=['impressions'])
    assert (sent['from'], sent['to'], sent['groups'], query) == (
        '2020-02-22 00:00:00', '2020-02-29 00:00:00', [], {})
