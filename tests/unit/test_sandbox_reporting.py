"""The sandbox's report engine: periods, grouping, filters, sorting and its synthetic data."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atomx.protocol import DATERANGES, SCOPES, WHERE_OPERATORS
from atomx.sandbox import reporting
from atomx.sandbox.delivery import DATA_DAYS, ID_GROUPS, METRICS
from atomx.sandbox.report_query import GROUPS, TIME_GROUPS, ReportQueryError
from atomx.sandbox.reporting import run_report

NOW = datetime(2026, 11, 23, 19, 40, 12)  # a Monday
SUMMED = ['impressions', 'clicks', 'conversions', 'revenue', 'cost', 'profit']


def make_line(number: int, **ids: int) -> dict:
    """A delivery line whose ids all derive from ``number`` unless given."""
    line = {key: number * 10 + index for index, key in enumerate(ID_GROUPS)}
    line.update(ids)
    return line


LINES = [
    make_line(1, advertiser_id=42, publisher_id=7, country_id=1),
    make_line(2, advertiser_id=42, publisher_id=8, country_id=2),
    make_line(3, advertiser_id=43, publisher_id=7, country_id=1),
    make_line(4, advertiser_id=44, publisher_id=9, country_id=3),
    make_line(5, advertiser_id=44, publisher_id=8, country_id=2),
]
WEEK = {'from': '2026-11-16 00:00:00', 'to': '2026-11-23 00:00:00'}


def report(lines=LINES, now=NOW, **query):
    query.setdefault('scope', 'network_managed')
    query.setdefault('metrics', list(SUMMED))
    return run_report(query, lines, now)


def column(result: dict, name: str) -> list:
    position = result['columns'].index(name)
    return [row[position] for row in result['data']]


# ----------------------------------------------------------------------------- constants

def test_constants_follow_the_documents():
    assert SCOPES == ('advertiser', 'publisher', 'inventory', 'dsp', 'network_managed',
                      'network_buy', 'network_sell')
    assert DATERANGES == ('today', 'yesterday', 'last7days', 'last14days', 'last30days',
                          'monthtodate', 'lastmonth', 'yeartodate', 'lifetime')
    assert WHERE_OPERATORS == ('==', '!=', '<', '>', 'in', 'not in')
    assert TIME_GROUPS == ('hour', 'day', 'week', 'month')
    assert set(GROUPS) == set(TIME_GROUPS) | set(ID_GROUPS)
    assert set(SUMMED) <= set(METRICS)


# ----------------------------------------------------------------------------- the answer

def test_answer_shape_and_normalised_query():
    result = report(groups=['advertiser_id', 'day'], metrics=['impressions', 'cost'],
                    where=[['publisher_id', 'in', [8, 7]]], emails='me@example.com',
                    sort='impressions.desc', limit='2', offset='1', name='weekly', **WEEK)
    assert result['columns'] == ['advertiser_id', 'day', 'impressions', 'cost']
    assert result['length'] == len(result['data']) == 2
    assert all(len(row) == 4 for row in result['data'])
    assert set(result['totals']) == {'impressions', 'cost'}
    assert (result['from'], result['to']) == ('2026-11-16 00:00:00', '2026-11-23 00:00:00')
    assert result['query'] == {
        'scope': 'network_managed', 'groups': ['advertiser_id', 'day'],
        'metrics': ['impressions', 'cost'], 'where': [['publisher_id', 'in', [7, 8]]],
        'from': '2026-11-16 00:00:00', 'to': '2026-11-23 00:00:00', 'daterange': None,
        'timezone': 'UTC', 'when': None, 'interval': None, 'emails': ['me@example.com'],
        'name': 'weekly', 'save': True, 'editable': False, 'sort': ['impressions.desc'],
        'limit': 2, 'offset': 1,
    }
    json.dumps(result)  # the sandbox sends it as JSON as is


def test_group_values_are_strings_for_time_and_ints_for_ids():
    result = report(groups=['hour', 'day', 'week', 'month', 'site_id'], metrics=['clicks'],
                    **{'from': '2026-11-01 05:00:00', 'to': '2026-11-01 06:00:00'})
    assert [row[:4] for row in result['data']] == [
        ['2026-11-01 05:00:00', '2026-11-01', '2026-10-26', '2026-11-01']] * len(LINES)
    assert column(result, 'site_id') == sorted(line['site_id'] for line in LINES)


def test_without_metrics_the_rows_list_the_groups_with_delivery():
    result = report(groups=['advertiser_id', 'publisher_id'], metrics=None, **WEEK)
    assert result['columns'] == ['advertiser_id', 'publisher_id']
    assert result['data'] == sorted(
        [list(pair) for pair in {(line['advertiser_id'], line['publisher_id']) for line in LINES}])
    assert result['totals'] == {}


def test_without_groups_one_row_holds_the_totals():
    result = report(**WEEK)
    assert result['columns'] == SUMMED
    assert result['data'] == [[result['totals'][metric] for metric in SUMMED]]


# ----------------------------------------------------------------------------- synthetic data

def test_same_inputs_give_the_same_numbers():
    assert report(groups=['hour', 'creative_id'], **WEEK) == report(
        groups=['hour', 'creative_id'], **WEEK)


def test_numbers_are_the_same_in_another_process():
    query = {'scope': 'advertiser', 'groups': ['day', 'campaign_id'], 'metrics': SUMMED, **WEEK}
    script = ('import json, sys, datetime; from atomx.sandbox.reporting import run_report; '
              'q, lines, now = json.load(sys.stdin); '
              'print(json.dumps(run_report(q, lines, datetime.datetime.fromisoformat(now))))')
    root = str(Path(reporting.__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONHASHSEED='12345', PYTHONPATH=root)
    child = subprocess.run([sys.executable, '-c', script], input=json.dumps(
        [query, LINES, NOW.isoformat()]), capture_output=True, text=True, env=env, check=True)
    assert json.loads(child.stdout) == json.loads(json.dumps(run_report(query, LINES, NOW)))


def test_a_line_delivers_the_same_whoever_sees_it():
    alone = report(lines=[LINES[2]], groups=['day'], **WEEK)['data']
    among = report(groups=['day', 'creative_id'], where=[
        ['creative_id', '==', LINES[2]['creative_id']]], **WEEK)['data']
    assert alone == [row[:1] + row[2:] for row in among]


def test_totals_do_not_depend_on_the_grouping():
    totals = [report(groups=groups, **WEEK)['totals']
              for groups in ([], ['hour'], ['day'], ['week', 'placement_id'], ['month'])]
    assert all(total == totals[0] for total in totals)


def test_totals_are_the_column_sums():
    result = report(groups=['day', 'advertiser_id'],
                    metrics=SUMMED + ['ctr', 'cvr', 'ecpm'], **WEEK)
    totals = result['totals']
    for metric in SUMMED:
        assert round(sum(column(result, metric)), 4) == totals[metric]
    assert totals['ctr'] == round(totals['clicks'] / totals['impressions'], 6)
    assert totals['cvr'] == round(totals['conversions'] / totals['clicks'], 6)
    assert totals['ecpm'] == round(totals['revenue'] * 1000 / totals['impressions'], 4)


def test_delivery_has_a_daily_curve_and_a_weekday_effect():
    # Country 1's audience: compare its quietest and its busiest hours over four weeks.
    month = {'from': '2026-10-26 00:00:00', 'to': '2026-11-23 00:00:00'}
    hours = report(lines=[LINES[0]], groups=['hour'], metrics=['impressions'], **month)
    by_hour: dict = {}
    for hour, impressions in hours['data']:
        by_hour[hour[11:13]] = by_hour.get(hour[11:13], 0) + impressions
    assert max(by_hour.values()) > 4 * min(by_hour.values())
    days = report(lines=[LINES[0]], groups=['day'], metrics=['impressions'], **month)
    weekday = [impressions for day, impressions in days['data']
               if datetime.strptime(day, '%Y-%m-%d').weekday() < 5]
    weekend = [impressions for day, impressions in days['data']
               if datetime.strptime(day, '%Y-%m-%d').weekday() >= 5]
    assert sum(weekday) / len(weekday) > 1.1 * sum(weekend) / len(weekend)


def test_rates_are_those_of_display_advertising():
    result = report(groups=['creative_id'], metrics=['ctr', 'cvr', 'ecpm'], **WEEK)
    for ctr, cvr, ecpm in (row[1:] for row in result['data']):
        assert 0.0005 < ctr < 0.02 and 0.003 < cvr < 0.15 and 0.3 < ecpm < 6


def test_lines_differ_in_volume():
    result = report(groups=['creative_id'], metrics=['impressions'], **WEEK)
    assert len(set(column(result, 'impressions'))) == len(LINES)


def test_data_exist_for_complete_hours_of_the_last_year_only():
    today = report(groups=['hour'], metrics=['impressions'], daterange='today')
    assert column(today, 'hour')[-1] == '2026-11-23 18:00:00'  # 19:00 is not over at 19:40
    assert len(today['data']) == 19
    everything = report(groups=['hour'], metrics=['impressions'],
                        **{'from': '2020-01-01', 'to': '2030-01-01'})
    assert len(everything['data']) == DATA_DAYS * 24
    assert column(everything, 'hour')[0] == '2025-11-23 19:00:00'
    assert report(**{'from': '2024-01-01', 'to': '2024-02-01'})['data'] == []


@settings(max_examples=40, deadline=None)
@given(
    ids=st.lists(st.lists(st.integers(0, 2 ** 40), min_size=len(ID_GROUPS),
                          max_size=len(ID_GROUPS)), min_size=1, max_size=4),
    start=st.integers(0, DATA_DAYS * 24 - 1),
    hours=st.integers(1, 72),
    groups=st.lists(st.sampled_from(['hour', 'day', 'advertiser_id', 'site_id']), unique=True),
    tz=st.sampled_from(['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kolkata']),
)
def test_counts_and_money_are_consistent(ids, start, hours, groups, tz):
    lines = [dict(zip(ID_GROUPS, values)) for values in ids]
    first = NOW.replace(minute=0, second=0) - timedelta(hours=DATA_DAYS * 24 - start)
    period = {'from': f'{first.isoformat()}Z',
              'to': f'{(first + timedelta(hours=hours)).isoformat()}Z'}
    result = report(lines=lines, groups=groups, timezone=tz, **period)
    assert result['data']
    # Grouping never changes the totals.
    assert result['totals'] == report(lines=lines, timezone=tz, **period)['totals']
    for row in result['data']:
        values = dict(zip(result['columns'], row))
        assert all(isinstance(values[name], int) for name in ('impressions', 'clicks',
                                                               'conversions'))
        assert 0 <= values['conversions'] <= values['clicks'] <= values['impressions']
        assert 0 <= values['cost'] <= values['revenue']
        assert values['profit'] == round(values['revenue'] - values['cost'], 4)
        assert all(round(values[name], 4) == values[name] for name in ('cost', 'revenue'))
    for metric in SUMMED:
        assert round(sum(column(result, metric)), 4) == result['totals'][metric]


# ----------------------------------------------------------------------------- sort, limit, offset

def test_default_order_is_by_the_groups():
    result = report(groups=['publisher_id', 'day'], metrics=['clicks'], **WEEK)
    keys = [row[:2] for row in result['data']]
    assert keys == sorted(keys) and len(keys) == 3 * 7


def test_sort_by_several_columns_and_directions():
    result = report(groups=['advertiser_id', 'day'], metrics=['impressions'],
                    sort='advertiser_id.desc,impressions', **WEEK)
    rows = result['data']
    assert [row[0] for row in rows] == sorted((row[0] for row in rows), reverse=True)
    for advertiser in {row[0] for row in rows}:
        impressions = [row[2] for row in rows if row[0] == advertiser]
        assert impressions == sorted(impressions)


def test_limit_and_offset_slice_the_sorted_rows_and_keep_the_totals():
    full = report(groups=['day', 'site_id'], sort='impressions.desc', **WEEK)
    assert column(full, 'impressions') == sorted(column(full, 'impressions'), reverse=True)
    page = report(groups=['day', 'site_id'], sort=['impressions.desc'], limit=5, offset=3, **WEEK)
    assert page['data'] == full['data'][3:8]
    assert page['length'] == 5
    assert page['totals'] == full['totals']
    assert report(groups=['day'], offset='6', **WEEK)['length'] == 1
    assert report(groups=['day'], limit='0', **WEEK)['data'] == []


def test_pages_by_the_groups_sort_cover_every_row_once_and_carry_the_count():
    full = report(groups=['site_id', 'day'], **WEEK)
    assert full['count'] == full['length'] == 35  # 5 sites, 7 days
    pages = [report(groups=['site_id', 'day'], sort='site_id,day', limit='8', offset=offset,
                    **WEEK) for offset in range(0, 40, 8)]
    assert [page['length'] for page in pages] == [8, 8, 8, 8, 3]
    assert {page['count'] for page in pages} == {35}
    assert [row for page in pages for row in page['data']] == full['data']
    assert full['data'] == sorted(full['data'], key=lambda row: (row[0], row[1]))


# ----------------------------------------------------------------------------- where

@pytest.mark.parametrize('op, value, expected', [
    ('==', 42, {42}),
    ('!=', 42, {43, 44}),
    ('<', 44, {42, 43}),
    ('>', 42, {43, 44}),
    ('in', [42, 44, 99], {42, 44}),
    ('not in', [42, 44], {43}),
    ('in', [], set()),
])
def test_where_on_an_id_column(op, value, expected):
    result = report(groups=['advertiser_id'], where=[['advertiser_id', op, value]], **WEEK)
    assert set(column(result, 'advertiser_id')) == expected


def test_where_on_an_id_that_is_not_grouped_filters_the_lines():
    # The documentation's example: an hourly report of publisher 42 only.
    filtered = report(groups=['day'], where=[['publisher_id', '==', 7]], **WEEK)
    own = report(lines=[line for line in LINES if line['publisher_id'] == 7],
                 groups=['day'], **WEEK)
    assert filtered['data'] == own['data']


def test_where_items_combine_with_and():
    result = report(groups=['creative_id'], where=[['advertiser_id', '==', 42],
                                                   ['publisher_id', '!=', 8]], **WEEK)
    assert column(result, 'creative_id') == [LINES[0]['creative_id']]


def test_where_accepts_numeric_strings_for_ids():
    as_text = report(groups=['site_id'], where=[['advertiser_id', 'in', ['42', 43.0]]], **WEEK)
    as_ints = report(groups=['site_id'], where=[['advertiser_id', 'in', [42, 43]]], **WEEK)
    assert as_text['data'] == as_ints['data'] and len(as_text['data']) == 3
    assert as_text['query']['where'] == [['advertiser_id', 'in', [42, 43]]]


def test_where_on_a_metric_filters_grouped_rows_like_having():
    everything = report(groups=['day', 'site_id'], **WEEK)
    threshold = sorted(column(everything, 'impressions'))[len(everything['data']) // 2]
    kept = [row for row in everything['data'] if row[2] > threshold]
    having = report(groups=['day', 'site_id'], where=[['impressions', '>', threshold]], **WEEK)
    assert having['data'] == kept
    assert having['totals']['impressions'] == sum(row[2] for row in kept)
    # Applied after grouping: the single weekly row passes although no hour would.
    weekly = report(where=[['impressions', '>', threshold]], **WEEK)
    assert weekly['length'] == 1


@pytest.mark.parametrize('op', WHERE_OPERATORS)
def test_each_operator_on_a_metric(op):
    everything = report(groups=['day'], metrics=['clicks', 'revenue'], **WEEK)
    clicks = column(everything, 'clicks')
    value = [clicks[1], clicks[4]] if op in ('in', 'not in') else clicks[3]
    test = {'==': lambda x: x == value, '!=': lambda x: x != value,
            '<': lambda x: x < value, '>': lambda x: x > value,
            'in': lambda x: x in value, 'not in': lambda x: x not in value}[op]
    expected = [row for row in everything['data'] if test(row[1])]
    result = report(groups=['day'], metrics=['clicks', 'revenue'],
                    where=[['clicks', op, value]], **WEEK)
    assert result['data'] == expected and 0 < len(expected) < 7
    assert result['totals']['revenue'] == round(sum(row[2] for row in expected), 4)


def test_where_on_a_metric_that_is_not_a_column():
    result = report(groups=['site_id'], metrics=['clicks'],
                    where=[['profit', '<', 0.0001]], **WEEK)
    assert result['data'] == []  # every line makes a profit over a week
    assert result['totals'] == {'clicks': 0}


@pytest.mark.parametrize('where, hours', [
    (['day', '==', '2026-11-20'], 24),
    (['day', '==', '2026-11-20 17:00:00'], 24),  # a value names the bucket that holds it
    (['week', '==', '2026-11-18'], 7 * 24),
    (['hour', '<', '2026-11-16 05:00:00'], 5),
    (['hour', 'in', ['2026-11-16 05:00:00', '2026-11-17T06:00:00']], 2),
    (['day', 'not in', ['2026-11-16', '2026-11-17']], 5 * 24 + 19),  # the 23rd until 19:00
    (['month', '!=', '2026-11-01'], 0),
])
def test_where_on_a_time_column(where, hours):
    result = report(groups=['hour'], metrics=['impressions'], where=[where],
                    **{'from': '2026-11-16', 'to': '2026-11-30'})
    assert result['length'] == hours


# ----------------------------------------------------------------------------- timezones

def test_hours_shift_with_the_timezone():
    utc = report(groups=['hour'], metrics=['impressions', 'revenue'],
                 **{'from': '2026-11-10 00:00:00', 'to': '2026-11-11 00:00:00'})
    tokyo = report(groups=['hour'], metrics=['impressions', 'revenue'], timezone='Asia/Tokyo',
                   **{'from': '2026-11-10 09:00:00', 'to': '2026-11-11 09:00:00'})
    assert [row[1:] for row in tokyo['data']] == [row[1:] for row in utc['data']]
    shifted = [(datetime.strptime(row[0], '%Y-%m-%d %H:%M:%S') + timedelta(hours=9)).strftime(
        '%Y-%m-%d %H:%M:%S') for row in utc['data']]
    assert column(tokyo, 'hour') == shifted
    assert tokyo['totals'] == utc['totals']


def test_the_same_local_day_is_other_hours_in_another_timezone():
    utc = report(groups=['day'], daterange='yesterday')
    tokyo = report(groups=['day'], daterange='yesterday', timezone='Asia/Tokyo')
    assert column(utc, 'day') == ['2026-11-22']
    assert column(tokyo, 'day') == ['2026-11-23']  # it is already the 24th in Tokyo
    assert utc['data'] != tokyo['data']


def test_a_day_with_a_dst_change_merges_the_repeated_hour():
    result = report(groups=['hour'], metrics=['impressions'], timezone='America/Los_Angeles',
                    **{'from': '2026-11-01', 'to': '2026-11-02'})
    hours = column(result, 'hour')
    assert len(hours) == 24 and hours.count('2026-11-01 01:00:00') == 1
    utc_hours = report(groups=['hour'], metrics=['impressions'],
                       **{'from': '2026-11-01 07:00:00', 'to': '2026-11-02 08:00:00'})
    assert result['totals'] == utc_hours['totals']  # 25 UTC hours make this local day
    assert utc_hours['length'] == 25


def test_a_half_hour_timezone_labels_each_hour_by_its_start():
    result = report(groups=['hour'], metrics=['clicks'], timezone='Asia/Kolkata',
                    **{'from': '2026-11-10 10:00:00', 'to': '2026-11-10 13:00:00'})
    # UTC 05:00 starts at 10:30 local, so the hours land in buckets 10, 11 and 12.
    assert column(result, 'hour') == ['2026-11-10 10:00:00', '2026-11-10 11:00:00',
                                      '2026-11-10 12:00:00']


def test_an_aware_from_is_converted_to_the_report_timezone():
    result = report(timezone='Asia/Tokyo', **{'from': '2026-11-10T00:00:00Z',
                                              'to': '2026-11-11T00:00:00+00:00'})
    assert (result['from'], result['to']) == ('2026-11-10 09:00:00', '2026-11-11 09:00:00')


# ----------------------------------------------------------------------------- periods

@pytest.mark.parametrize('daterange, first, end', [
    ('today', '2026-11-23', '2026-11-24'),
    ('yesterday', '2026-11-22', '2026-11-23'),
    ('last7days', '2026-11-16', '2026-11-23'),
    ('last14days', '2026-11-09', '2026-11-23'),
    ('last30days', '2026-10-24', '2026-11-23'),
    ('monthtodate', '2026-11-01', '2026-11-24'),
    ('lastmonth', '2026-10-01', '2026-11-01'),
    ('yeartodate', '2026-01-01', '2026-11-24'),
    ('lifetime', '2025-11-23', '2026-11-24'),
])
def test_dateranges(daterange, first, end):
    result = report(daterange=daterange)
    assert (result['from'], result['to']) == (first + ' 00:00:00', end + ' 00:00:00')
    assert result['query']['daterange'] == daterange


@pytest.mark.parametrize('tz', ['UTC', 'Asia/Kabul', 'America/St_Johns', 'Pacific/Kiritimati'])
def test_lifetime_covers_all_the_data_in_any_timezone(tz):
    now = datetime(2026, 11, 23, 19, 40)  # 19:00 UTC is 23:30 in Kabul: the day changes at 19:30
    lifetime = report(now=now, groups=['day'], daterange='lifetime', timezone=tz)
    everything = report(now=now, **{'from': '2000-01-01', 'to': '2100-01-01'})
    assert lifetime['totals'] == everything['totals']
    assert lifetime['from'][:10] == lifetime['data'][0][0]


def test_dateranges_are_local_calendar_periods():
    tokyo = report(daterange='today', timezone='Asia/Tokyo')
    assert (tokyo['from'], tokyo['to']) == ('2026-11-24 00:00:00', '2026-11-25 00:00:00')
    january = report(daterange='lastmonth', now=datetime(2027, 1, 15, 3))
    assert (january['from'], january['to']) == ('2026-12-01 00:00:00', '2027-01-01 00:00:00')


def test_default_period_is_the_last_seven_days_to_now():
    result = report(groups=['hour'], metrics=['clicks'])
    assert (result['from'], result['to']) == ('2026-11-16 19:00:00', '2026-11-23 19:00:00')
    assert result['length'] == 7 * 24
    la = report(timezone='America/Los_Angeles')
    assert (la['from'], la['to']) == ('2026-11-16 11:00:00', '2026-11-23 11:00:00')


@pytest.mark.parametrize('text', [
    '2026-11-16 00:00:00', '2026-11-16T00:00:00', '2026-11-16', '2026-11-16 00:42:17',
    '2026-11-16T00:00:00Z', '2026-11-16T01:00:00+01:00',
])
def test_from_formats(text):
    assert report(**{'from': text})['from'] == '2026-11-16 00:00:00'


def test_only_from_or_only_to():
    assert report(**{'from': '2026-11-20'})['to'] == '2026-11-23 19:00:00'
    assert report(**{'to': '2026-11-20'})['from'] == '2026-11-16 19:00:00'


@pytest.mark.parametrize('when, interval, first, end', [
    ('daily', '7 days', '2026-11-16', '2026-11-23'),
    ('Monday', '1 day', '2026-11-22', '2026-11-23'),
    ('monthly', '1 month', '2026-10-23', '2026-11-23'),
    ('monthly', '3 months', '2026-08-23', '2026-11-23'),
])
def test_scheduled_report_period(when, interval, first, end):
    result = report(when=when, interval=interval)
    assert (result['from'], result['to']) == (first + ' 00:00:00', end + ' 00:00:00')
    assert (result['query']['when'], result['query']['interval']) == (when.lower(), interval)


def test_a_month_interval_clamps_to_the_end_of_a_shorter_month():
    result = report(when='monthly', interval='1 month', now=datetime(2026, 3, 31, 12))
    assert result['from'] == '2026-02-28 00:00:00'


# ----------------------------------------------------------------------------- errors

@pytest.mark.parametrize('query, message', [
    ({'from_': '2026-11-01'}, "unknown report parameter 'from_'; allowed: scope, groups"),
    ({'scope': None}, 'scope: expected one of advertiser, publisher, inventory'),
    ({'scope': 'everything'}, "network_sell, got 'everything'"),
    ({'groups': ['hour', 'browser_id']}, "groups: unknown 'browser_id'; allowed: hour, day"),
    ({'groups': ['day', 'day']}, "groups: 'day' is given twice"),
    ({'groups': {'day': 1}}, 'groups: expected a list of names'),
    ({'metrics': [], 'groups': None},
     'a report needs groups or metrics (or both); groups: hour, day, week, month, network_id'),
    ({'metrics': ['impressions', 'views']}, "metrics: unknown 'views'; allowed: impressions"),
    ({'timezone': 'Mars/Olympus'}, "timezone: unknown 'Mars/Olympus'; expected an IANA name"),
    ({'timezone': 9}, 'timezone: unknown 9'),
    ({'where': 'advertiser_id == 42'}, 'where: expected a list of [column, op, value]'),
    ({'where': [['advertiser_id', '==']]}, 'where[0]: expected a list [column, op, value]'),
    ({'where': [['browser_id', '==', 1]]}, "where[0]: unknown column 'browser_id'; allowed:"),
    ({'where': [['site_id', '>=', 1]]}, "where[0]: unknown operator '>='; allowed: ==, !="),
    ({'where': [['site_id', 'in', 1]]}, "where[0]: 'in' takes a list of values, got 1"),
    ({'where': [['site_id', '==', 'x']]}, "where[0]: site_id is an integer id, got 'x'"),
    ({'where': [['site_id', '==', 1.5]]}, 'where[0]: site_id is an integer id, got 1.5'),
    ({'where': [['site_id', '==', True]]}, 'where[0]: expected a number for site_id'),
    ({'where': [[], ['clicks', '>', 'many']]}, 'where[0]: expected a list'),
    ({'where': [['clicks', '>', 'many']]}, "where[0]: expected a number for clicks, got 'many'"),
    ({'where': [['day', '==', 'monday']]}, "where[0]: 'monday' is not a date"),
    ({'daterange': 'lastyear'}, "daterange: unknown 'lastyear'; allowed: today, yesterday"),
    ({'daterange': 'today', 'from': '2026-11-01'},
     'give the period one way only, not daterange and from/to'),
    ({'when': 'daily', 'interval': '1 day', 'to': '2026-11-01'},
     'not from/to and when/interval'),
    ({'when': 'hourly', 'interval': '1 day'}, "when: expected one of daily, monthly, monday"),
    ({'when': 'daily'}, "interval: None is not a period; expected 'N days' or 'N months'"),
    ({'interval': '2 weeks', 'when': 'daily'}, "interval: '2 weeks' is not a period"),
    ({'interval': '0 days', 'when': 'daily'}, "interval: '0 days' is not a period"),
    ({'interval': '7 days'}, 'when: expected one of daily'),
    ({'from': 'last tuesday'}, "from: 'last tuesday' is not a date; expected '%Y-%m-%d %H:00:00'"),
    ({'to': 20261101}, "to: expected a date string such as '2026-11-23 09:00:00', got int"),
    ({'from': '0001-01-01T00:00:00+05:00'},
     "from: '0001-01-01T00:00:00+05:00' is out of range; years 1900 to 2999 are allowed"),
    ({'where': [['hour', '<', '9999-12-31']]}, "where[0]: '9999-12-31' is out of range"),
    ({'from': '2026-11-10', 'to': '2026-11-09'},
     'from (2026-11-10 00:00:00) must be before to (2026-11-09 00:00:00)'),
    ({'from': '2026-11-10 10:05:00', 'to': '2026-11-10 10:55:00'},
     'from (2026-11-10 10:00:00) must be before to (2026-11-10 10:00:00)'),
    ({'to': '2026-11-01'}, 'from (2026-11-16 19:00:00) must be before to'),
    ({'sort': 'site_id.desc'}, "sort: 'site_id' is not a column of this report; allowed: day"),
    ({'sort': 'impressions.down'}, "sort: 'impressions.down' is not a column"),
    ({'sort': 5}, "sort: expected 'column[.asc|.desc],...', got 5"),
    ({'sort': [5]}, "sort: expected 'column[.asc|.desc]', got 5"),
    ({'limit': '-1'}, "limit: expected a whole number >= 0, got '-1'"),
    ({'offset': 'ten'}, "offset: expected a whole number >= 0, got 'ten'"),
    ({'limit': True}, 'limit: expected a whole number >= 0, got True'),
    ({'limit': '²'}, "limit: expected a whole number >= 0, got '²'"),
    ({'offset': '9' * 5000}, 'offset: expected a whole number >= 0'),
    # as GET report/{id}'s: digits only, no spaces (they were stripped here)
    ({'limit': ' 5'}, "limit: expected a whole number >= 0, got ' 5'"),
    ({'offset': 5.0}, 'offset: expected a whole number >= 0, got 5.0'),
    ({'where': [['site_id', '==', '²']]}, 'where[0]: site_id is an integer id'),
    ({'save': 'yes'}, "save: expected true or false, got 'yes'"),
    ({'editable': 1}, 'editable: expected true or false, got 1'),
    ({'emails': ['me@example.com', 'nobody']}, 'emails: expected an address or a list'),
    ({'name': 5}, 'name: expected a string, got 5'),
])
def test_bad_queries_are_refused_with_a_clear_message(query, message):
    query = {'groups': ['day'], 'metrics': ['impressions'], **query}
    with pytest.raises(ReportQueryError) as caught:
        report(**query)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_query_must_be_an_object():
    with pytest.raises(ReportQueryError, match='a report query is a JSON object, got list'):
        run_report([], LINES, NOW)  # type: ignore[arg-type]


def test_a_line_without_all_ids_is_a_server_error():
    broken = {key: 1 for key in ID_GROUPS if key != 'size_id'}
    with pytest.raises(TypeError, match='lacks integer size_id'):
        report(lines=[broken])


def test_an_aware_now_is_read_as_utc():
    from datetime import timezone
    aware = NOW.replace(tzinfo=timezone.utc).astimezone(timezone(timedelta(hours=2)))
    assert report(now=aware, daterange='today') == report(daterange='today')
