"""The Report model: attributes from the API answer, CSV output, notebook display,
and save/delete/reload on the wire."""
import inspect
import io
import json
import pickle
from datetime import datetime

import pytest
import responses

from atomx import models
from atomx.exceptions import APIError, NoSessionError
from atomx.reports import Report, ScheduledReport, as_report
from tests.unit.conftest import API, TOKEN

PAYLOAD = {
    'id': 12, 'query': {'scope': 'publisher', 'groups': ['day', 'site_id'],
                        'metrics': ['impressions', 'revenue']},
    'name': 'sites', 'emails': ['a@example.com'], 'length': 3,
    'totals': {'impressions': 60, 'revenue': 1.5},
    'columns': ['day', 'site_id', 'impressions', 'revenue'],
    'data': [['2026-11-01', 4, 10, 0.25], ['2026-11-01', 5, 20, 0.5],
             ['2026-11-02', 4, 30, 0.75]],
    'created_at': '2026-11-23T10:11:12', 'user_id': 1, 'is_scheduled_report': False,
    'from': '2026-11-01 00:00:00', 'to': '2026-11-03 00:00:00', 'status': 'DONE',
}
CSV_TEXT = ('day,site_id,impressions,revenue\n'
            '2026-11-01,4,10,0.25\n2026-11-01,5,20,0.5\n2026-11-02,4,30,0.75\n')


def make_report(**changes):
    return Report(**{**PAYLOAD, **changes})


# -- attributes ---------------------------------------------------------------

def test_constructor_takes_the_api_answer_with_from_and_parses_times():
    report = make_report()
    assert (report.id, report.name, report.emails, report.user_id) == (
        12, 'sites', ['a@example.com'], 1)
    assert report.from_ == datetime(2026, 11, 1)
    assert report.to == datetime(2026, 11, 3)
    assert report.created_at == datetime(2026, 11, 23, 10, 11, 12)
    assert report.length == 3
    assert report.totals == {'impressions': 60, 'revenue': 1.5}
    assert report.is_scheduled_report is False
    assert report.status == 'DONE'  # keys the constructor does not name stay readable
    assert report.extra == {'status': 'DONE'}
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        report.nothing  # noqa: B018


def test_documented_constructor_defaults():
    report = Report(5, from_=datetime(2026, 1, 1, 3))
    assert (report.query, report.name, report.emails, report.totals, report.session) == (
        None, None, None, None, None)
    assert (report.columns, report.data, report.length) == ([], [], 0)
    assert report.is_scheduled_report is False
    assert (report.from_, report.to, report.created_at) == (datetime(2026, 1, 1, 3), None, None)


SPEC_SIGNATURE = ('(id, query=None, name=None, emails=None, length=None, totals=None, '
                  'columns=None, created_at=None, data=None, user_id=None, session=None, '
                  'is_scheduled_report=False, to=None, from_=None, **kwargs)')


def test_the_signature_is_the_documented_one_to_the_letter():
    assert models.Report is Report
    signature = inspect.signature(models.Report)
    bare = signature.replace(return_annotation=inspect.Signature.empty, parameters=[
        parameter.replace(annotation=inspect.Parameter.empty)
        for parameter in signature.parameters.values()])
    assert str(bare) == SPEC_SIGNATURE


def test_length_defaults_to_the_number_of_rows_and_unreadable_times_are_kept():
    report = Report(1, columns=['a'], data=[[1], [2]], created_at='soon')
    assert report.length == 2
    assert report.created_at == 'soon'


def test_as_report_refuses_an_answer_that_is_not_a_report():
    with pytest.raises(APIError, match="POST report answered list"):
        as_report([1, 2], None, 'POST report')
    report = make_report()
    assert as_report(report, None, 'POST report') is report


@pytest.mark.parametrize('answer, problem', [
    ({'id': 'a', 'columns': 1}, 'columns are not a list of names'),
    ({'id': 'a', 'data': {}}, 'data is not a list of rows'),
    ([1, 2], r'list \[1, 2\], not a report'),
])
def test_a_report_of_the_wrong_shape_is_an_api_error_that_says_where(answer, problem):
    with pytest.raises(APIError, match=problem) as info:
        as_report(answer, None, 'GET report/a')
    assert (info.value.method, info.value.path) == ('GET', 'report/a')


def test_a_pickled_report_keeps_its_rows_but_not_the_session(session):
    report = make_report(session=session)
    copy = pickle.loads(pickle.dumps(report))
    assert (copy.id, copy.data, copy.from_, copy.status) == (
        12, PAYLOAD['data'], datetime(2026, 11, 1), 'DONE')
    assert copy.session is None
    assert report.session is session


# -- CSV ----------------------------------------------------------------------

def test_content_is_csv_text_header_first():
    assert make_report().content == CSV_TEXT


def test_csv_is_the_content_as_a_list_of_rows():
    assert make_report().csv == [
        ['day', 'site_id', 'impressions', 'revenue'], ['2026-11-01', '4', '10', '0.25'],
        ['2026-11-01', '5', '20', '0.5'], ['2026-11-02', '4', '30', '0.75']]


def test_csv_quotes_commas_and_quotes_and_writes_none_as_empty():
    report = Report(1, columns=['name', 'clicks'], data=[['a, "b"', None]])
    assert report.content == 'name,clicks\n"a, ""b""",\n'
    assert report.csv == [['name', 'clicks'], ['a, "b"', '']]


def test_to_csv_writes_a_path_and_an_open_file(tmp_path):
    report = make_report()
    path = tmp_path / 'report.csv'
    report.to_csv(path)
    assert path.read_bytes() == CSV_TEXT.encode()
    report.to_csv(str(tmp_path / 'again.csv'))
    assert (tmp_path / 'again.csv').read_text() == CSV_TEXT
    stream = io.StringIO()
    report.to_csv(stream)
    assert stream.getvalue() == CSV_TEXT


# -- display ------------------------------------------------------------------

def test_repr_names_id_name_and_length():
    assert repr(make_report()) == "Report(id=12, name='sites', length=3)"


def test_repr_html_shows_the_first_rows_and_the_totals_escaped():
    rows = [[f'<b>{number}</b>', number] for number in range(15)]
    report = Report(3, name='<script>', columns=['site', 'clicks'], data=rows,
                    totals={'clicks': 105})
    page = report._repr_html_()
    assert '<script>' not in page and '<b>' not in page
    assert '&lt;script&gt;' in page
    assert '<th>site</th><th>clicks</th>' in page
    assert '<td>0</td><td>&lt;b&gt;0&lt;/b&gt;</td><td>0</td>' in page
    assert '&lt;b&gt;9&lt;/b&gt;' in page and '&lt;b&gt;10&lt;/b&gt;' not in page
    assert '<tfoot><tr><td>totals</td><td></td><td>105</td></tr></tfoot>' in page


def test_repr_html_shows_totals_given_as_a_list():
    page = Report(3, columns=['clicks'], data=[[1]], totals=[1])._repr_html_()
    assert '<tfoot><tr><td>totals</td><td>1</td></tr></tfoot>' in page


# -- save, delete, reload -----------------------------------------------------

def only_request(mocked):
    assert len(mocked.calls) == 1
    request = mocked.calls[0].request
    assert request.headers['Authorization'] == f'Bearer {TOKEN}'
    return request


def test_save_puts_name_and_emails(session, mocked):
    mocked.add(responses.PUT, API + '/report/12',
               json={'resource': 'report', 'report': {**PAYLOAD, 'name': 'renamed'}})
    report = make_report(session=session, emails='boss@example.com')
    report.name = 'renamed'
    assert report.save() is report
    request = only_request(mocked)
    assert request.method == 'PUT'
    assert json.loads(request.body) == {'name': 'renamed', 'emails': ['boss@example.com']}
    assert report.name == 'renamed'


def test_save_with_an_explicit_session(session, mocked):
    mocked.add(responses.PUT, API + '/report/12', json={'resource': 'report',
                                                        'report': PAYLOAD})
    make_report(emails=None).save(session)
    assert json.loads(only_request(mocked).body) == {'name': 'sites', 'emails': []}


def test_get_reports_gives_reports_and_scheduled_reports(session, mocked):
    scheduled = {**PAYLOAD, 'id': 13, 'is_scheduled_report': True, 'data': []}
    mocked.add(responses.GET, API + '/reports', json={
        'success': True, 'resource': 'reporting',
        'reporting': {'reports': [PAYLOAD], 'scheduled': [scheduled]}})
    listing = session.get('reports')
    assert only_request(mocked).url == API + '/reports'
    assert set(listing) == {'reports', 'scheduled'}
    (report,), (weekly,) = listing['reports'], listing['scheduled']
    assert type(report) is Report and type(weekly) is ScheduledReport
    assert isinstance(weekly, Report) and repr(weekly).startswith('ScheduledReport(id=13,')
    assert (report.id, report.from_, report.session) == (12, datetime(2026, 11, 1), session)
    assert (weekly.id, weekly.is_scheduled_report) == (13, True)
    assert report.content == CSV_TEXT


def test_delete_sends_delete(session, mocked):
    mocked.add(responses.DELETE, API + '/report/12',
               json={'success': True, 'resource': 'report', 'report': {'report': [12]}})
    assert make_report().delete(session) == {'report': [12]}
    assert only_request(mocked).method == 'DELETE'


def test_reload_gets_the_report_and_takes_its_attributes(session, mocked):
    fresh = {**PAYLOAD, 'name': 'fresh', 'length': 1, 'data': [['2026-11-05', 9, 1, 0.1]],
             'from': '2026-11-05 00:00:00'}
    mocked.add(responses.GET, API + '/report/12', json={'resource': 'report', 'report': fresh})
    report = make_report(session=session)
    assert len(report.pandas) == 3
    assert report.reload() is report
    assert only_request(mocked).method == 'GET'
    assert (report.name, report.length, report.data) == ('fresh', 1, fresh['data'])
    assert len(report.pandas) == 1  # the frame of the old rows is not kept
    assert report.from_ == datetime(2026, 11, 5)
    assert report.session is session


@pytest.mark.parametrize('kwargs, query', [
    ({}, 'offset=0'), ({'limit': 2}, 'limit=2&offset=0'),
    ({'limit': 1000, 'offset': 2000}, 'limit=1000&offset=2000'), ({'offset': 1}, 'offset=1'),
])
def test_get_reads_rows_of_the_stored_report_as_a_new_report(session, mocked, kwargs, query):
    page = {**PAYLOAD, 'length': 1, 'data': [['2026-11-01', 5, 20, 0.5]]}
    mocked.add(responses.GET, API + '/report/12', json={'resource': 'report', 'report': page})
    report = make_report(session=session)
    rows = report.get(**kwargs)
    request = only_request(mocked)
    assert (request.method, request.url, request.body) == (
        'GET', f'{API}/report/12?{query}', None)
    assert type(rows) is Report and rows is not report
    assert (rows.id, rows.length, rows.data, rows.session) == (12, 1, page['data'], session)
    assert report.length == 3 and len(report.data) == 3  # the report itself is left alone


def test_get_of_a_scheduled_report_is_a_scheduled_report(session, mocked):
    page = {**PAYLOAD, 'is_scheduled_report': True}
    mocked.add(responses.GET, API + '/report/12', json={'resource': 'report', 'report': page})
    assert type(make_report().get(limit=5, session=session)) is ScheduledReport


@pytest.mark.parametrize('kwargs, error, words', [
    ({'limit': 0}, ValueError, 'limit must be at least 1'),
    ({'offset': -1}, ValueError, 'offset must be at least 0'),
    ({'limit': '10'}, TypeError, 'limit must be an int'),
    ({'offset': 1.5}, TypeError, 'offset must be an int'),
])
def test_get_refuses_bad_rows_before_any_request(session, mocked, kwargs, error, words):
    with pytest.raises(error, match=words):
        make_report(session=session).get(**kwargs)
    assert len(mocked.calls) == 0


def test_the_documented_signature_of_get():
    parameters = inspect.signature(Report.get).parameters.values()
    assert [(p.name, p.default) for p in parameters] == [
        ('self', inspect.Parameter.empty), ('limit', None), ('offset', 0), ('session', None)]


@pytest.mark.parametrize('action', ['save', 'delete', 'reload', 'get'])
def test_requests_without_a_session_raise_no_session_error(mocked, action):
    with pytest.raises(NoSessionError,
                       match=rf'cannot {action} Report 12: it has no .*report.{action}\('):
        getattr(make_report(), action)()
    assert len(mocked.calls) == 0


class RecordingSession:
    """A session whose get answers with a Report model, as it does once models land."""

    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def get(self, *args, **kwargs):
        self.calls.append(('get', args, kwargs))
        return self.answer


def test_reload_takes_the_attributes_of_a_report_model_answer():
    fresh = make_report(name='from model', data=[])
    session = RecordingSession(fresh)
    report = make_report()
    report.reload(session)
    assert session.calls == [('get', ('report', 12), {})]
    assert (report.name, report.data, report.length, report.session) == (
        'from model', [], 3, session)
