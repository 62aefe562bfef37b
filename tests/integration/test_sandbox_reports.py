"""``POST /report``, ``GET /reports``, ``GET``/``PUT``/``DELETE /report/{id}``."""
from __future__ import annotations

from datetime import datetime

import pytest
from sandbox_client import Client

from atomx.sandbox import Sandbox

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 20, 12, 30)
HOURLY = {'scope': 'network_managed', 'groups': ['hour'], 'metrics': ['impressions', 'clicks'],
          'from': '2026-11-13 12:00:00', 'to': '2026-11-20 12:00:00', 'timezone': 'UTC'}


@pytest.fixture
def reporting():
    """A sandbox whose report clock stands at :data:`NOW`, and a network user's client."""
    with Sandbox(now=lambda: NOW) as sandbox:
        client = Client(sandbox.url)
        client.login(sandbox.email, sandbox.password)
        client.sandbox = sandbox
        yield client


def test_hourly_report_like_the_docs(reporting):
    answer = reporting.post('report', json={**HOURLY, 'name': 'last week', 'emails': 'a@b.c'})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body['resource'] == 'report'
    report = body['report']
    assert {'id', 'query', 'name', 'emails', 'length', 'totals', 'columns', 'data', 'created_at',
            'user_id', 'is_scheduled_report', 'from', 'to'} <= set(report)
    assert (report['from'], report['to']) == ('2026-11-13 12:00:00', '2026-11-20 12:00:00')
    assert report['columns'] == ['hour', 'impressions', 'clicks']
    assert report['length'] == len(report['data']) == 7 * 24
    assert report['data'][0][0] == '2026-11-13 12:00:00'
    assert report['totals']['impressions'] == sum(row[1] for row in report['data']) > 0
    assert (report['name'], report['emails'], report['user_id']) == ('last week', ['a@b.c'], 1)
    assert report['is_scheduled_report'] is False


def test_limit_offset_and_sort_come_from_the_url(reporting):
    full = reporting.post('report', json=HOURLY).json()['report']
    page = reporting.post('report', json=HOURLY,
                          params={'sort': 'clicks.desc', 'limit': 3, 'offset': 1}).json()['report']
    by_clicks = sorted(full['data'], key=lambda row: row[2], reverse=True)
    assert [row[2] for row in page['data']] == [row[2] for row in by_clicks[1:4]]
    assert page['totals'] == full['totals']


def test_get_report_reads_rows_of_the_stored_report(reporting, error_of):
    # the POST answered one page; the stored report keeps every row
    first = reporting.post('report', json=HOURLY,
                           params={'sort': 'clicks.desc', 'limit': 3}).json()['report']
    whole = reporting.get(f'report/{first["id"]}').json()['report']
    assert whole['length'] == len(whole['data']) == 7 * 24
    assert whole['data'][:3] == first['data']
    assert [row[2] for row in whole['data']] == sorted((row[2] for row in whole['data']),
                                                       reverse=True)
    answer = reporting.get(f'report/{first["id"]}', params={'limit': 5, 'offset': 10})
    assert answer.status_code == 200, answer.text
    assert answer.request.url.endswith(f'/report/{first["id"]}?limit=5&offset=10')
    page = answer.json()['report']
    assert page['data'] == whole['data'][10:15] and page['length'] == 5
    assert (page['id'], page['totals'], page['columns']) == (
        first['id'], first['totals'], first['columns'])
    tail = reporting.get(f'report/{first["id"]}', params={'offset': 165}).json()['report']
    assert tail['data'] == whole['data'][165:] and tail['length'] == 3
    # the listing still holds the whole report too
    listed = reporting.get('reports').json()['reporting']['reports']
    assert [report['length'] for report in listed] == [7 * 24]


@pytest.mark.parametrize('params, words', [
    ({'limit': 0}, 'limit: expected a whole number >= 1'),
    ({'offset': -1}, 'offset: expected a whole number >= 0'),
    ({'limit': 'ten'}, 'limit: expected a whole number >= 1'),
    # as POST report's: at most 18 digits (int() of 5,000 digits raised its own error)
    ({'offset': '9' * 5000}, 'offset: expected a whole number >= 0, got'),
    ({'sort': 'clicks.desc'}, "unknown URL parameter 'sort'"),
])
def test_get_report_refuses_bad_pages(reporting, error_of, params, words):
    report = reporting.post('report', json=HOURLY).json()['report']
    assert words in error_of(reporting.get(f'report/{report["id"]}', params=params), 400)


def test_timezone_shifts_the_hours(reporting):
    utc = reporting.post('report', json={**HOURLY, 'from': '2026-11-13 00:00:00',
                                         'to': '2026-11-14 00:00:00'}).json()['report']
    tokyo = reporting.post('report', json={**HOURLY, 'timezone': 'Asia/Tokyo',
                                           'from': '2026-11-13 09:00:00',
                                           'to': '2026-11-14 09:00:00'}).json()['report']
    # the same UTC hours, labelled nine hours later
    assert [row[1:] for row in tokyo['data']] == [row[1:] for row in utc['data']]
    assert (utc['data'][0][0], tokyo['data'][0][0]) == ('2026-11-13 00:00:00',
                                                        '2026-11-13 09:00:00')


def test_publisher_report_of_the_docs_has_data(reporting):
    # report(scope='publisher', groups=['hour'], metrics=['impressions', 'clicks'],
    #        where=[['publisher_id', '==', 42]], from_=last_week, to=now, timezone=...)
    answer = reporting.post('report', json={**HOURLY, 'scope': 'publisher',
                                            'where': [['publisher_id', '==', 42]],
                                            'timezone': 'America/Los_Angeles'})
    assert answer.status_code == 200, answer.text
    report = answer.json()['report']
    # 12:00 in Los Angeles is 20:00 UTC: the hours after NOW (12:30 UTC) have no data yet
    assert report['length'] == 7 * 24 - 8 and report['totals']['impressions'] > 0


def test_rights_limit_the_report_lines(sandbox):
    client = Client(sandbox.url)
    client.login('advertiser@example.com', 'advertiser')
    answer = client.post('report', json={**HOURLY, 'scope': 'advertiser',
                                         'groups': ['advertiser_id'], 'daterange': 'yesterday',
                                         'from': None, 'to': None})
    assert answer.status_code == 200, answer.text
    assert [row[0] for row in answer.json()['report']['data']] == [42]


def test_bad_report_queries_are_400(reporting, error_of):
    message = error_of(reporting.post('report', json={**HOURLY, 'metrics': ['smiles']}), 400)
    assert 'smiles' in message
    assert 'unknown URL parameter' in error_of(
        reporting.post('report', json=HOURLY, params={'colour': 'red'}), 400)
    error_of(reporting.post('report', data='nope', headers={'Content-Type': 'text/plain'}), 400)


def test_reports_list_scheduled_change_and_delete(reporting, error_of):
    plain = reporting.post('report', json=HOURLY).json()['report']
    hidden = reporting.post('report', json={**HOURLY, 'save': False}).json()['report']
    scheduled = reporting.post('report', json={**HOURLY, 'from': None, 'to': None,
                                               'when': 'monday', 'interval': '7 days'})
    assert scheduled.status_code == 200, scheduled.text
    scheduled_id = scheduled.json()['report']['id']
    assert scheduled.json()['report']['is_scheduled_report'] is True
    listed = reporting.get('reports').json()
    assert listed['resource'] == 'reporting'
    assert [r['id'] for r in listed['reporting']['reports']] == [plain['id']]
    assert [r['id'] for r in listed['reporting']['scheduled']] == [scheduled_id]
    assert reporting.get(f'report/{hidden["id"]}').json()['report']['id'] == hidden['id']

    renamed = reporting.put(f'report/{plain["id"]}', json={'name': 'renamed',
                                                           'emails': ['x@example.com']})
    assert renamed.json()['report']['name'] == 'renamed'
    again = reporting.get(f'report/{plain["id"]}').json()['report']
    assert (again['name'], again['emails']) == ('renamed', ['x@example.com'])
    assert 'only change name and emails' in error_of(
        reporting.put(f'report/{plain["id"]}', json={'groups': []}), 400)

    gone = reporting.delete(f'report/{plain["id"]}').json()
    assert gone['deleted'] == {'report': [plain['id']]}
    error_of(reporting.get(f'report/{plain["id"]}'), 404)
    error_of(reporting.delete(f'report/{plain["id"]}'), 404)


def test_reports_of_other_users_are_403(reporting, error_of):
    mine = reporting.post('report', json=HOURLY).json()['report']
    other = Client(reporting.sandbox.url)
    other.login('advertiser@example.com', 'advertiser')
    error_of(other.get(f'report/{mine["id"]}'), 403)
    assert other.get('reports').json()['reporting'] == {'reports': [], 'scheduled': []}


def test_a_paged_report_makes_its_other_rows_only_when_they_are_read(reporting, monkeypatch):
    from atomx.sandbox import report_api

    runs = []
    real = report_api.run_report
    monkeypatch.setattr(report_api, 'run_report',
                        lambda query, *rest: runs.append(dict(query)) or real(query, *rest))
    page = reporting.post('report', json=HOURLY, params={'limit': 5, 'offset': 5}).json()
    assert len(runs) == 1  # a page costs one run: what iter_report and export do, page by page
    report_id = page['report']['id']
    listed = reporting.get('reports').json()['reporting']['reports']
    assert [set(report) - set(page['report']) for report in listed] == [set()]  # no recipe
    whole = reporting.get(f'report/{report_id}').json()['report']
    assert len(runs) == 2 and 'limit' not in runs[1] and 'offset' not in runs[1]
    assert whole['length'] == 7 * 24 and whole['data'][5:10] == page['report']['data']
    assert '_all_rows' not in whole
    reporting.get(f'report/{report_id}', params={'limit': 3})
    assert len(runs) == 2  # made once, then kept
