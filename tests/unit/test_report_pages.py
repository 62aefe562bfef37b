"""Atomx.iter_report on the wire: the page requests (body, limit, offset, sort, save=False),
the windows of each split in a DST timezone, the stop rules, the progress bar, and the
errors (before any request for bad arguments; naming window and offset for a failed page)."""
import json
import sys
from datetime import datetime
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from hypothesis import example, given, settings
from hypothesis import strategies as st

from atomx.exceptions import APIError, MissingDependencyError
from atomx.report_pages import Window, split_period
from tests.unit.conftest import API, TOKEN

COLUMNS = ['hour', 'site_id', 'impressions']


def rows_of(body):
    """Three sites per hour of the body's period: the rows a report of it has."""
    start = datetime.fromisoformat(body['from'])
    end = datetime.fromisoformat(body['to'])
    hours = int((end - start).total_seconds() // 3600)
    return [[f'{start.replace(hour=0):%Y-%m-%d} {start.hour + hour:02d}:00:00', site, hour]
            for hour in range(hours) for site in (1, 2, 3)]


def page_answer(request, count=True, cap=None):
    """A POST report answer: the rows of the body's period, cut by limit and offset."""
    body = json.loads(request.body)
    query = dict(parse_qsl(urlsplit(request.url).query))
    rows = rows_of(body)
    limit = int(query['limit']) if 'limit' in query else len(rows)
    limit = min(limit, cap) if cap else limit
    offset = int(query.get('offset', 0))
    data = rows[offset:offset + limit]
    report = {'id': 'r', 'columns': COLUMNS, 'data': data, 'length': len(data),
              'totals': {}, 'query': {**body, 'limit': limit, 'offset': offset},
              'from': body['from'], 'to': body['to']}
    if count:
        report['count'] = len(rows)
    return 200, {}, json.dumps({'success': True, 'resource': 'report', 'report': report})


def serve_pages(mocked, count=True, cap=None):
    """POST report answers with :func:`page_answer`."""
    mocked.add_callback(responses.POST, API + '/report',
                        callback=lambda request: page_answer(request, count, cap))


def sent(mocked):
    """``(query, body)`` of every request sent, in order."""
    requests = []
    for call in mocked.calls:
        assert call.request.headers['Authorization'] == f'Bearer {TOKEN}'
        assert urlsplit(call.request.url).path == '/v3/report'
        requests.append((dict(parse_qsl(urlsplit(call.request.url).query)),
                         json.loads(call.request.body)))
    return requests


ARGS = {'scope': 'advertiser', 'groups': ['hour', 'site_id'], 'metrics': ['impressions'],
            'from_': datetime(2026, 3, 1, 20), 'to': datetime(2026, 3, 2, 2)}


def test_pages_of_a_window_are_limit_offset_requests_sorted_by_the_groups(session, mocked):
    serve_pages(mocked)
    pages = list(session.iter_report(page_size=7, **ARGS))
    assert [page.length for page in pages] == [7, 7, 4]  # 6 hours x 3 sites
    assert [row for page in pages for row in page.data] == rows_of(
        {'from': '2026-03-01 20:00:00', 'to': '2026-03-02 02:00:00'})
    requests = sent(mocked)
    assert [query for query, _ in requests] == [
        {'limit': '7', 'offset': str(offset), 'sort': 'hour,site_id'} for offset in (0, 7, 14)]
    assert all(body == {'scope': 'advertiser', 'groups': ['hour', 'site_id'],
                        'metrics': ['impressions'], 'where': [],
                        'from': '2026-03-01 20:00:00', 'to': '2026-03-02 02:00:00',
                        'timezone': 'UTC', 'save': False, 'editable': False}
               for _, body in requests)


def test_a_split_sends_one_window_per_day_each_in_pages(session, mocked):
    serve_pages(mocked)
    pages = list(session.iter_report(split='day', page_size=13, **ARGS))
    windows = [(body['from'], body['to'], query['offset']) for query, body in sent(mocked)]
    assert windows == [('2026-03-01 20:00:00', '2026-03-02 00:00:00', '0'),
                       ('2026-03-02 00:00:00', '2026-03-02 02:00:00', '0')]
    assert [page.length for page in pages] == [12, 6]  # 4 hours, then 2 hours, of 3 sites


def test_the_last_page_is_found_without_count_by_a_short_page(session, mocked):
    serve_pages(mocked, count=False)
    pages = list(session.iter_report(page_size=9, **ARGS))
    # 18 rows: two full pages, and only an empty third page says there is no more
    assert [page.length for page in pages] == [9, 9, 0]
    assert [query['offset'] for query, _ in sent(mocked)] == ['0', '9', '18']


def serve_pages_with_count(mocked, count):
    """Pages as :func:`page_answer`, each saying ``count`` whatever the rows are."""
    def answer(request):
        status, headers, text = page_answer(request, count=False)
        answer = json.loads(text)
        answer['report']['count'] = count
        return status, headers, json.dumps(answer)

    mocked.add_callback(responses.POST, API + '/report', callback=answer)


def test_a_count_lower_than_the_rows_does_not_cut_the_window(session, mocked):
    serve_pages_with_count(mocked, 9)  # stale: the window has 18 rows
    pages = list(session.iter_report(page_size=9, **ARGS))
    assert [page.length for page in pages] == [9, 9, 0]
    assert [row for page in pages for row in page.data] == rows_of(
        {'from': '2026-03-01 20:00:00', 'to': '2026-03-02 02:00:00'})


def test_a_short_page_before_the_count_is_reached_is_not_the_last(session, mocked):
    # an API that applies a smaller limit without saying so in its query
    def answer(request):
        status, headers, text = page_answer(request, cap=5)
        answer = json.loads(text)
        answer['report']['query'].pop('limit')
        return status, headers, json.dumps(answer)

    mocked.add_callback(responses.POST, API + '/report', callback=answer)
    pages = list(session.iter_report(page_size=100, **ARGS))
    assert [page.length for page in pages] == [5, 5, 5, 3]
    assert [query['offset'] for query, _ in sent(mocked)] == ['0', '5', '10', '15']


def test_a_count_higher_than_the_rows_ends_at_the_first_empty_page(session, mocked):
    serve_pages_with_count(mocked, 1000)
    pages = list(session.iter_report(page_size=10, **ARGS))
    assert [page.length for page in pages] == [10, 8, 0]


def test_a_smaller_limit_of_the_api_is_followed_not_taken_for_the_end(session, mocked):
    serve_pages(mocked, count=False, cap=5)
    pages = list(session.iter_report(page_size=100, **ARGS))
    assert [page.length for page in pages] == [5, 5, 5, 3]
    assert [query['offset'] for query, _ in sent(mocked)] == ['0', '5', '10', '15']


def test_a_daterange_is_paged_as_it_is_sent(session, mocked):
    def answer(request):  # the API knows yesterday's hours: 20:00 to 02:00 here
        body = {**json.loads(request.body), 'from': '2026-03-01 20:00:00',
                'to': '2026-03-02 02:00:00'}
        return page_answer(SimpleNamespace(url=request.url, body=json.dumps(body)))

    mocked.add_callback(responses.POST, API + '/report', callback=answer)
    arguments = {key: value for key, value in ARGS.items() if key not in ('from_', 'to')}
    pages = list(session.iter_report(daterange='yesterday', page_size=10, **arguments))
    assert [page.length for page in pages] == [10, 8]
    requests = sent(mocked)
    assert [query['offset'] for query, _ in requests] == ['0', '10']
    assert all(body['daterange'] == 'yesterday' and 'from' not in body and
               body['save'] is False for _, body in requests)


def test_a_report_without_groups_is_one_unsorted_page(session, mocked):
    serve_pages(mocked)
    list(session.iter_report(scope='advertiser', metrics=['impressions'],
                             from_=ARGS['from_'], to=ARGS['to']))
    assert [query for query, _ in sent(mocked)] == [{'limit': '100000', 'offset': '0'}]


def test_a_failed_page_names_the_window_and_the_offset(mocked):
    from atomx import Atomx

    mocked.add(responses.POST, API + '/login',
               json={'success': True, 'auth_token': TOKEN, 'user': {'id': 1}})
    session = Atomx('user@example.com', 'password', retries=0)

    def answer(request):
        offset = int(dict(parse_qsl(urlsplit(request.url).query))['offset'])
        first_day = json.loads(request.body)['from'].startswith('2026-03-01')
        if offset >= 8:
            return 500, {}, json.dumps({'success': False, 'error': 'database is away'})
        sites = range(2) if first_day else range(offset, offset + 4)  # day one: a short page
        data = [['2026-03-02 00:00:00', site, 1] for site in sites]
        return 200, {}, json.dumps({'success': True, 'report': {
            'id': 'r', 'columns': COLUMNS, 'data': data, 'query': {}}})

    mocked.add_callback(responses.POST, API + '/report', callback=answer)
    pages = session.iter_report(split='day', page_size=4, **ARGS)
    received = [next(pages), next(pages), next(pages)]  # day one, then two pages of day two
    with pytest.raises(APIError) as failure:
        next(pages)
    assert len(received) == 3 and failure.value.status_code == 500
    message = str(failure.value)
    assert message.startswith('the window 2026-03-02 00:00 to 2026-03-02 02:00, rows from '
                              'offset 8: ')
    assert 'database is away' in message
    assert failure.value.report_window == Window(datetime(2026, 3, 2), datetime(2026, 3, 2, 2))
    assert failure.value.report_offset == 8


@pytest.mark.parametrize('arguments, error, match', [
    ({'split': 'fortnight'}, ValueError, r"split='fortnight' is not allowed; use one of "
                                          r"'hour', 'day', 'week', 'month' or None"),
    ({'page_size': 0}, ValueError, r'page_size must be at least 1, not 0'),
    ({'page_size': '10'}, TypeError, r'page_size must be an int'),
    ({'progress': 'yes'}, TypeError, r'progress must be a bool'),
    ({'split': 'day', 'from_': None, 'to': None, 'daterange': 'last7days'}, ValueError,
     r"split='day' needs from_ and to"),
    ({'timezone': 'Mars/Olympus'}, ValueError, r"timezone='Mars/Olympus' is unknown"),
    ({'metrics': ['impressions'], 'groups': None, 'where': [['site_id', 'like', 3]]}, ValueError,
     r"where\[0\]: the operator 'like'"),
])
def test_bad_arguments_are_refused_at_the_call_before_any_request(session, mocked, arguments,
                                                                  error, match):
    with pytest.raises(error, match=match):
        session.iter_report(**{**ARGS, **arguments})
    assert len(mocked.calls) == 0


# -- windows -----------------------------------------------------------------------

def bounds(windows):
    return [(f'{w.start:%m-%d %H}', f'{w.end:%m-%d %H}') for w in windows]


def test_day_windows_run_midnight_to_midnight_across_both_dst_changes():
    windows = split_period(datetime(2026, 3, 7, 12), datetime(2026, 3, 10), 'day',
                           'America/New_York')
    # 8 March has 23 hours in New York; its window is still one calendar day
    assert bounds(windows) == [('03-07 12', '03-08 00'), ('03-08 00', '03-09 00'),
                               ('03-09 00', '03-10 00')]
    autumn = split_period(datetime(2026, 10, 31), datetime(2026, 11, 2), 'day',
                          'America/New_York')
    assert bounds(autumn) == [('10-31 00', '11-01 00'), ('11-01 00', '11-02 00')]


def test_hour_windows_skip_the_hour_spring_forward_skips_and_keep_the_repeated_one_once():
    spring = split_period(datetime(2026, 3, 8), datetime(2026, 3, 9), 'hour',
                          'America/New_York')
    assert len(spring) == 23 and ('03-08 02', '03-08 03') not in bounds(spring)
    assert bounds(spring)[:3] == [('03-08 00', '03-08 01'), ('03-08 01', '03-08 02'),
                                  ('03-08 03', '03-08 04')]
    autumn = split_period(datetime(2026, 11, 1), datetime(2026, 11, 2), 'hour',
                          'America/New_York')
    # 01:00 happens twice (25 real hours); as a wall-time window it is asked for once
    assert len(autumn) == 24 and bounds(autumn)[1] == ('11-01 01', '11-01 02')
    assert len(split_period(datetime(2026, 3, 8), datetime(2026, 3, 9), 'hour', 'UTC')) == 24


@pytest.mark.parametrize('zone, day, gap', [
    ('America/Los_Angeles', datetime(2026, 3, 8), 2),
    ('Europe/Berlin', datetime(2026, 3, 29), 2),
])
def test_an_hour_that_a_whole_hour_gap_skips_gets_no_window(zone, day, gap):
    windows = split_period(day, day.replace(hour=6), 'hour', zone)
    assert [window.start.hour for window in windows] == [h for h in range(6) if h != gap]


def test_an_hour_that_a_half_hour_gap_cuts_keeps_its_window():
    # Lord Howe Island goes from 02:00 to 02:30 on 4 October 2026: 02:30 to 03:00 happens
    windows = split_period(datetime(2026, 10, 4), datetime(2026, 10, 4, 5), 'hour',
                           'Australia/Lord_Howe')
    assert [window.start.hour for window in windows] == [0, 1, 2, 3, 4]
    autumn = split_period(datetime(2026, 4, 5), datetime(2026, 4, 5, 4), 'hour',
                          'Australia/Lord_Howe')  # 01:30 to 02:00 happens twice
    assert [window.start.hour for window in autumn] == [0, 1, 2, 3]


def test_hour_windows_of_a_quarter_hour_zone_are_its_wall_clock_hours():
    windows = split_period(datetime(2026, 1, 1, 5), datetime(2026, 1, 1, 8), 'hour',
                           'Asia/Kathmandu')
    assert bounds(windows) == [('01-01 05', '01-01 06'), ('01-01 06', '01-01 07'),
                               ('01-01 07', '01-01 08')]


@pytest.mark.parametrize('split', ['hour', 'day', None])
def test_from_and_to_within_an_hour_are_cut_at_the_hours_the_api_reads(session, mocked,
                                                                        split):
    serve_pages(mocked)
    pages = list(session.iter_report(**{**ARGS, 'from_': '2026-03-01 20:30',
                                        'to': '2026-03-02 00:30'}, split=split))
    periods = [(body['from'], body['to']) for _, body in sent(mocked)]
    assert all(start < end for start, end in periods)  # never a window the API refuses
    assert periods[0][0] == '2026-03-01 20:00:00' and periods[-1][1] == '2026-03-02 00:00:00'
    assert sum(page.length for page in pages) == 4 * 3


def test_week_windows_start_on_monday_and_month_windows_on_the_first():
    weeks = split_period(datetime(2026, 10, 28), datetime(2026, 11, 12), 'week',
                         'Europe/Vienna')  # a Wednesday to a Thursday, over the DST change
    assert bounds(weeks) == [('10-28 00', '11-02 00'), ('11-02 00', '11-09 00'),
                             ('11-09 00', '11-12 00')]
    months = split_period(datetime(2025, 11, 15, 6), datetime(2026, 2, 1), 'month',
                          'Australia/Sydney')
    assert [(f'{w.start:%Y-%m-%d %H}', f'{w.end:%Y-%m-%d}') for w in months] == [
        ('2025-11-15 06', '2025-12-01'), ('2025-12-01 00', '2026-01-01'),
        ('2026-01-01 00', '2026-02-01')]


def test_no_split_is_one_window_and_an_empty_period_none():
    start, end = datetime(2026, 1, 1), datetime(2026, 1, 3)
    assert split_period(start, end, None) == [Window(start, end)]
    assert split_period(end, start, 'day') == []


def test_a_period_in_another_timezone_is_cut_in_the_reports_timezone(session, mocked):
    serve_pages(mocked)
    aware_from = datetime.fromisoformat('2026-03-01T20:00:00+00:00')  # 21:00 in Vienna
    list(session.iter_report(**{**ARGS, 'from_': aware_from, 'to': datetime(2026, 3, 2, 2)},
                             split='day', timezone='Europe/Vienna'))
    assert [(body['from'], body['to'], body['timezone']) for _, body in sent(mocked)] == [
        ('2026-03-01 21:00:00', '2026-03-02 00:00:00', 'Europe/Vienna'),
        ('2026-03-02 00:00:00', '2026-03-02 02:00:00', 'Europe/Vienna')]


# -- progress ----------------------------------------------------------------------

class Bar:
    """A stand-in of tqdm's bar that records what it is told."""

    def __init__(self):
        self.total, self.n, self.closed = None, 0, False

    def update(self, rows):
        self.n += rows

    def close(self):
        self.closed = True


def test_the_progress_bar_counts_rows_against_the_answers_count(session, mocked,
                                                                monkeypatch):
    serve_pages(mocked)
    bar = Bar()
    monkeypatch.setattr('atomx.report_pages.progress_bar', lambda description, unit: bar)
    pages = session.iter_report(split='day', page_size=5, progress=True, **ARGS)
    next(pages)
    assert (bar.total, bar.n) == (12, 5)  # the first window's count is known
    list(pages)
    assert (bar.total, bar.n, bar.closed) == (18, 18, True)


def test_a_negative_count_is_no_count_for_the_progress_bar(session, mocked, monkeypatch):
    serve_pages_with_count(mocked, -5)  # as atomx.iter: a count below 0 is not used
    bar = Bar()
    monkeypatch.setattr('atomx.report_pages.progress_bar', lambda description, unit: bar)
    pages = list(session.iter_report(page_size=5, progress=True, **ARGS))
    assert sum(page.length for page in pages) == 18
    assert (bar.total, bar.n) == (None, 18)  # was -5: a bar of 18 rows out of -5


def test_a_real_progress_bar_goes_to_stderr(session, mocked, capsys):
    serve_pages(mocked)
    list(session.iter_report(page_size=10, progress=True, **ARGS))
    assert '18/18' in capsys.readouterr().err


def test_progress_without_tqdm_names_the_extra(session, mocked, monkeypatch):
    monkeypatch.setitem(sys.modules, 'tqdm', None)
    with pytest.raises(MissingDependencyError, match=r'pip install "atomx\[report\]"'):
        session.iter_report(progress=True, **ARGS)
    assert len(mocked.calls) == 0


def test_an_api_that_ignores_offset_is_an_error_not_an_endless_report(session, mocked):
    def answer(request):  # always the first page, whatever the offset
        return page_answer(SimpleNamespace(url=request.url.replace('offset=', 'ignored='),
                                           body=request.body))

    mocked.add_callback(responses.POST, API + '/report', callback=answer)
    pages = session.iter_report(page_size=6, **ARGS)
    assert next(pages).length == 6
    with pytest.raises(APIError, match=r'^the window 2026-03-01 20:00 to 2026-03-02 02:00, '
                                       r'rows from offset 6: the answer to offset 6 starts '
                                       r'with the row of the page before') as error:
        next(pages)
    assert error.value.report_offset == 6 and len(mocked.calls) == 2


ZONES = ('UTC', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Lord_Howe',
         'Asia/Kathmandu', 'America/Santiago', 'Pacific/Chatham', 'Asia/Tehran')


@settings(max_examples=150, deadline=None)
@given(zone=st.sampled_from(ZONES), split=st.sampled_from(('hour', 'day', 'week', 'month')),
       start=st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31)),
       hours=st.integers(1, 24 * 40))
@example(zone='Australia/Lord_Howe', split='hour', start=datetime(2026, 10, 4), hours=5)
@example(zone='Europe/Berlin', split='hour', start=datetime(2026, 3, 29), hours=5)
@example(zone='Pacific/Chatham', split='hour', start=datetime(2025, 9, 27), hours=29)
def test_windows_tile_the_period_and_only_instantless_hours_are_left_out(zone, split, start,
                                                                         hours):
    from datetime import timedelta

    from dateutil import tz

    start = start.replace(minute=0, second=0, microsecond=0)
    end = start + timedelta(hours=hours)
    windows = split_period(start, end, split, zone)
    assert windows[0].start == start or split == 'hour'
    assert windows[-1].end == end or split == 'hour'
    for window in windows:
        assert window.start < window.end
        assert window.start.date() == (window.end - timedelta(microseconds=1)).date() \
            or split in ('week', 'month')
    for before, after in zip(windows, windows[1:]):
        assert before.end <= after.start
        if before.end < after.start:  # left out: a whole hour that a DST gap skips
            assert split == 'hour' and after.start - before.end == timedelta(hours=1)
            assert not tz.datetime_exists(before.end, tz.gettz(zone))
            assert not tz.datetime_exists(before.end + timedelta(minutes=59),
                                          tz.gettz(zone))


def test_iter_report_takes_the_row_arguments_of_report_as_report_declares_them():
    """One signature of the row arguments: iter_report's copy of report()'s (its
    documented explicit signature) keeps report()'s defaults and types."""
    import inspect

    from atomx import Atomx
    from atomx.report_pages import ROW_ARGUMENTS

    report = inspect.signature(Atomx.report).parameters
    pages = inspect.signature(Atomx.iter_report).parameters
    for name in ROW_ARGUMENTS:
        assert (pages[name].default, pages[name].annotation) == \
            (report[name].default, report[name].annotation), name
