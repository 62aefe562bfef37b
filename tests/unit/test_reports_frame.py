"""Report.pandas: index, dtypes and content of the DataFrame, the docs' resample
example, and the error without pandas."""
import contextlib
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atomx.exceptions import APIError, NoPandasInstalledError
from atomx.report_frame import frame_of_columns
from atomx.reports import Report

matplotlib.use('Agg')
ROOT = Path(__file__).resolve().parents[2]


def hourly_report(hours=48):
    """Two days of hourly impressions and clicks for one site."""
    start = pd.Timestamp('2026-11-01 00:00:00')
    data = [[(start + pd.Timedelta(hours=hour)).strftime('%Y-%m-%d %H:%M:%S'), 7,
             hour * 10, hour % 3] for hour in range(hours)]
    return Report(1, query={'groups': ['hour', 'site_id'], 'metrics': ['impressions', 'clicks']},
                  columns=['hour', 'site_id', 'impressions', 'clicks'], data=data)


def test_hour_groups_give_a_datetime_index_and_integer_columns():
    frame = hourly_report().pandas
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index.name == 'hour'
    assert frame.index[0] == pd.Timestamp('2026-11-01 00:00')
    assert frame.index[-1] == pd.Timestamp('2026-11-02 23:00')
    assert list(frame.columns) == ['site_id', 'impressions', 'clicks']
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == {
        'site_id': 'int64', 'impressions': 'int64', 'clicks': 'int64'}
    assert frame['impressions'].sum() == sum(hour * 10 for hour in range(48))


def test_day_groups_with_decimal_strings_and_missing_ids():
    report = Report(2, query={'groups': ['day', 'site_id'], 'metrics': ['revenue', 'clicks']},
                    columns=['day', 'site_id', 'revenue', 'clicks'],
                    data=[['2026-11-01', 4, '0.25', 1], ['2026-11-02', None, '1.50', None]])
    frame = report.pandas
    assert list(frame.index) == [pd.Timestamp('2026-11-01'), pd.Timestamp('2026-11-02')]
    assert frame.index.name == 'day'
    assert str(frame['site_id'].dtype) == 'Int64'
    assert frame['site_id'].tolist() == [4, pd.NA]
    assert frame['revenue'].dtype == np.float64
    assert frame['revenue'].tolist() == [0.25, 1.5]
    assert frame['clicks'].dtype == np.float64  # a missing count is NaN
    assert np.isnan(frame['clicks'].iloc[1])


def test_month_groups_and_id_strings():
    report = Report(3, query={'groups': ['month', 'advertiser_id']},
                    columns=['month', 'advertiser_id', 'impressions'],
                    data=[['2026-01', '12', 5], ['2026-02', '13', 6]])
    frame = report.pandas
    assert list(frame.index) == [pd.Timestamp('2026-01-01'), pd.Timestamp('2026-02-01')]
    assert frame.index.name == 'month'
    assert frame['advertiser_id'].dtype == np.int64
    assert frame['advertiser_id'].tolist() == [12, 13]


def test_the_finest_time_group_is_the_index_and_others_are_datetime_columns():
    report = Report(4, columns=['day', 'hour', 'clicks'],
                    data=[['2026-11-01', '2026-11-01 05:00:00', 1]])
    frame = report.pandas
    assert frame.index.name == 'hour'
    assert frame.index[0] == pd.Timestamp('2026-11-01 05:00')
    assert frame['day'].dtype.kind == 'M'


def test_without_time_groups_the_index_is_a_plain_range_and_text_stays_text():
    report = Report(5, query={'groups': ['country'], 'metrics': ['impressions']},
                    columns=['country', 'zipcode', 'impressions'],
                    data=[['DE', '01067', 3], ['AT', '1010', 4]])
    frame = report.pandas
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame['zipcode'].tolist() == ['01067', '1010']  # not a metric: never made a number
    assert frame['impressions'].dtype == np.int64


def test_time_values_that_are_not_times_keep_the_column_and_no_index():
    frame = Report(6, columns=['week', 'clicks'], data=[['week one', 1]]).pandas
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame['week'].tolist() == ['week one']
    numbers = Report(6, columns=['hour', 'clicks'], data=[[5, 1], [6, 2]]).pandas
    assert isinstance(numbers.index, pd.RangeIndex)  # not nanoseconds after 1970
    assert numbers['hour'].tolist() == [5, 6]


def test_an_empty_report_gives_an_empty_frame_with_its_columns():
    frame = Report(7, columns=['hour', 'clicks'], data=[]).pandas
    assert len(frame) == 0
    assert list(frame.columns) == ['clicks']
    assert isinstance(frame.index, pd.DatetimeIndex)


def test_the_frame_is_built_once():
    report = hourly_report()
    assert report.pandas is report.pandas


def test_docs_resample_example_runs_and_computes_per_hour_statistics():
    df = hourly_report().pandas
    # the docs write 'H'; pandas 2.2 deprecates it and pandas 3 refuses it: 'h' works everywhere
    means = df.resample('h').apply(['mean', 'median', 'std'])
    assert list(means.columns.levels[1]) == ['mean', 'median', 'std']
    assert len(means) == 48
    assert means[('impressions', 'mean')].iloc[5] == 50
    daily = df.resample('D').apply(['mean', 'median', 'std'])
    assert daily[('impressions', 'mean')].tolist() == [115.0, 355.0]
    assert daily[('impressions', 'median')].tolist() == [115.0, 355.0]
    assert daily[('clicks', 'std')].iloc[0] == pytest.approx(np.std(
        [hour % 3 for hour in range(24)], ddof=1))
    axes = daily['impressions'].plot()
    daily['clicks'].plot(ax=axes)
    assert len(axes.get_lines()) == 6  # mean, median and std of both metrics


def test_without_pandas_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, 'pandas', None)  # `import pandas` now fails
    report = hourly_report()
    with pytest.raises(NoPandasInstalledError, match=r'pip install "atomx\[report\]"'):
        report.pandas  # noqa: B018
    assert report.content.startswith('hour,site_id,impressions,clicks\n')


def test_import_atomx_neither_needs_nor_imports_pandas():
    code = ('import sys; sys.modules["pandas"] = None\n'
            'import atomx, atomx.reports\n'
            'assert sys.modules["pandas"] is None\n'
            'print(atomx.reports.Report(1, columns=["a"], data=[[1]]).content, end="")')
    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          check=False, cwd=ROOT)
    assert (done.returncode, done.stdout) == (0, 'a\n1\n'), done.stderr
    code = 'import sys, atomx; print("pandas" in sys.modules)'
    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          check=False, cwd=ROOT)
    assert done.stdout.strip() == 'False', done.stderr


def test_times_keep_fractions_missing_times_and_zones():
    report = Report(8, columns=['hour', 'clicks'],
                    data=[['2026-11-01 05:00:00.250', 1], [None, 2]])
    assert report.pandas.index[0] == pd.Timestamp('2026-11-01 05:00:00.250')
    assert pd.isna(report.pandas.index[1])
    zoned = Report(9, columns=['hour', 'clicks'], data=[['2026-11-01T05:00:00+02:00', 1]])
    assert zoned.pandas.index[0] == pd.Timestamp('2026-11-01 03:00', tz='UTC')


def test_week_groups_give_a_datetime_index_of_the_mondays():
    report = Report(10, query={'groups': ['week', 'site_id'], 'metrics': ['impressions']},
                    columns=['week', 'site_id', 'impressions'],
                    data=[['2026-11-02', 4, 10], ['2026-11-09', 4, 20], ['2026-11-16', 5, 30]])
    frame = report.pandas
    assert isinstance(frame.index, pd.DatetimeIndex) and frame.index.name == 'week'
    assert list(frame.index) == [pd.Timestamp('2026-11-02'), pd.Timestamp('2026-11-09'),
                                 pd.Timestamp('2026-11-16')]
    assert frame.resample('W-MON', label='left', closed='left')['impressions'].sum().tolist() \
        == [10, 20, 30]


# -- large reports: no Python per row, at most about two copies of the data ----------

FRAME_COLUMNS = ['hour', 'site_id', 'impressions', 'clicks', 'revenue', 'cost']
FRAME_METRICS = ['impressions', 'clicks', 'revenue', 'cost']


def year_of_hours(rows):
    """``rows`` rows as a POST report answer decodes them: a year of hours per site."""
    start = pd.Timestamp('2025-01-01')
    hours = [(start + pd.Timedelta(hours=hour)).strftime('%Y-%m-%d %H:00:00')
             for hour in range(24 * 365)]
    return [[hours[row % len(hours)], 1000 + row // len(hours), row % 977, row % 13,
             round((row % 977) * 0.0123, 4), str(row % 50)] for row in range(rows)]


def python_steps(function):
    """How many lines of Python code run (at any depth) while ``function()`` runs.

    Every turn of a Python loop runs at least one line again, whatever it calls
    (even ``list(row)`` or ``dict(zip(...))``, which no profiler sees as calls), so a
    loop over the rows shows as steps in proportion to the rows.
    """
    steps = 0

    def trace(frame, event, arg):
        nonlocal steps
        steps += 1
        return trace

    sys.settrace(trace)
    try:
        function()
    finally:
        sys.settrace(None)
    return steps


def test_building_the_frame_runs_no_python_code_per_row():
    small, large = year_of_hours(1_000), year_of_hours(100_000)

    def growth(build):
        """The extra calls for a hundred times the rows."""
        return python_steps(lambda: build(large)) - python_steps(lambda: build(small))

    ours = growth(lambda data: Report(1, columns=FRAME_COLUMNS, data=data,
                                      query={'metrics': FRAME_METRICS}).pandas)
    # pandas' own constructor may look at each row from Python (pandas 3 takes len(row)):
    # that is the baseline; the typing of columns, the index and the rest add nothing per row
    plain = growth(lambda data: pd.DataFrame(data, columns=FRAME_COLUMNS))
    assert ours - plain < 1_000, (ours, plain)  # a loop over the 99,000 more rows: > 99,000


def test_building_the_frame_holds_at_most_about_two_copies_of_the_data():
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        data = year_of_hours(50_000)
        decoded = tracemalloc.get_traced_memory()[0]  # the decoded rows: one copy
        report = Report(1, columns=FRAME_COLUMNS, data=data, query={'metrics': FRAME_METRICS})
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        frame = report.pandas
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert str(frame['cost'].dtype) == 'int64' and isinstance(frame.index, pd.DatetimeIndex)
    assert report.data is data  # the rows are kept as decoded, not copied
    # on top of the rows, building the frame never needs more than one more copy of them
    assert peak <= decoded, (peak >> 20, decoded >> 20)


def test_the_docs_resample_with_H_runs_on_every_pandas():
    df = hourly_report().pandas
    means = df.resample('H').apply(['mean', 'median', 'std'])  # the docs, to the letter
    assert means.equals(df.resample('h').apply(['mean', 'median', 'std']))
    assert df.resample('2H').sum()['impressions'].iloc[0] == 10  # hours 0 and 1: 0 + 10
    assert df.resample('M').sum().equals(df.resample('ME').sum())  # month end, 'M' before 2.2
    with pytest.raises(ValueError):
        df.resample('fortnightly')
    assert type(df).__module__ == 'atomx.report_frame'


def test_a_report_frame_pickles_as_a_plain_dataframe():
    import pickle

    df = hourly_report().pandas
    pickled = pickle.dumps(df)
    assert b'atomx' not in pickled  # loads where atomx is not installed
    copy = pickle.loads(pickled)
    assert type(copy) is pd.DataFrame and copy.equals(df)


def test_every_thread_gets_the_same_frame_class(monkeypatch):
    import threading

    from atomx import report_frame

    monkeypatch.setattr(report_frame, '_frame_class', None)
    classes = []
    threads = [threading.Thread(target=lambda: classes.append(report_frame.frame_class()))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(classes) == 8 and len(set(classes)) == 1


# -- the frame built column by column is the constructor's frame --------------------

JSON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-2**64, 2**64),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=4),
    # a lone surrogate is what json.loads makes of '\\ud800'
    st.sampled_from(['2026-10-25 02:00:00', '2026-11', '', 'a\ud800']),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(),
                                                         max_size=1))
#: Columns as reports have them (one kind of value, sometimes with gaps) and any mixture.
COLUMN_VALUES = st.one_of(
    st.lists(st.integers(-2**63, 2**63 - 1), min_size=1, max_size=6),
    st.lists(st.integers(-2**70, 2**70), min_size=1, max_size=6),
    st.lists(st.floats(), min_size=1, max_size=6),
    st.lists(st.one_of(st.none(), st.integers(), st.floats()), min_size=1, max_size=6),
    st.lists(st.one_of(st.none(), st.text(max_size=3)), min_size=1, max_size=6),
    st.lists(JSON_VALUES, min_size=1, max_size=6))


def rows_of(columns):
    """Rows from columns of values (each column repeated or cut to the first's length)."""
    count = len(columns[0])
    return [[column[row % len(column)] for column in columns] for row in range(count)]


#: pandas' settings for text: its default (pandas 3: Arrow), Python strings, objects.
TEXT_SETTINGS = [(), ('mode.string_storage', 'python'), ('future.infer_string', False)]


@pytest.mark.filterwarnings("ignore:The 'future.infer_string' option is deprecated")
@pytest.mark.parametrize('text_setting', TEXT_SETTINGS, ids=['default', 'python', 'object'])
@settings(max_examples=200, deadline=None)
@given(columns=st.lists(COLUMN_VALUES, min_size=1, max_size=4))
def test_the_frame_built_by_columns_is_what_the_dataframe_constructor_makes(columns,
                                                                             text_setting):
    names = [f'c{number}' for number in range(len(columns))]
    data = rows_of(columns)
    with pd.option_context(*text_setting) if text_setting else contextlib.nullcontext():
        try:
            expected = pd.DataFrame(data, columns=names)
        except ValueError as error:  # a lone surrogate: no UTF-8 for Arrow's strings
            with pytest.raises(type(error)):
                frame_of_columns(names, data)
            return
        built = frame_of_columns(names, data)
    pd.testing.assert_frame_equal(built, expected, check_frame_type=False,
                                  check_column_type=True, check_index_type=True)
    assert type(built).__name__ == 'ReportFrame'


@pytest.mark.filterwarnings('ignore:Constructing a DataFrame from a list of sequences')
def test_rows_the_columns_cannot_promise_are_left_to_the_constructor():
    assert frame_of_columns(['a', 'b'], [[1, 2], [3]]) is None  # another width: pandas' error
    assert frame_of_columns(['a', 'b'], [[1, 2], [3, 4, 5]]) is None
    assert frame_of_columns(['a', 'a'], [[1, 2]]) is None  # one dict key for two columns
    assert frame_of_columns(['a'], []) is None
    report = Report(11, columns=['day', 'clicks'], data=[['2026-01-01', 1], ['2026-01-02', 2, 3]])
    with pytest.raises(APIError, match=r'the rows of report 11 do not form a table with its '
                                       r"columns \['day', 'clicks'\]: 2 columns passed"):
        report.pandas  # noqa: B018  (the property raises)


def test_hours_repeated_across_sites_with_gaps_and_a_dst_change_stay_wall_times():
    # the report's wall times (Europe/Berlin): 02:00 comes twice on 2026-10-25; a site
    # unknown to the API (None), a metric without a value (None)
    hours = ['2026-10-25 01:00:00', '2026-10-25 02:00:00', '2026-10-25 02:00:00',
             '2026-10-25 03:00:00']
    data = [[hour, site, 10 * site + number, None if number == 2 else number, 0.5]
            for site in (4, 5) for number, hour in enumerate(hours)]
    data.append([hours[0], None, 1, 1, None])
    report = Report(13, query={'groups': ['hour', 'site_id'], 'timezone': 'Europe/Berlin',
                               'metrics': ['impressions', 'clicks', 'revenue']},
                    columns=['hour', 'site_id', 'impressions', 'clicks', 'revenue'], data=data)
    frame = report.pandas
    assert frame.index.tz is None and frame.index.name == 'hour'
    assert list(frame.index) == [pd.Timestamp(hour) for hour in hours * 2 + hours[:1]]
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == {
        'site_id': 'Int64', 'impressions': 'int64', 'clicks': 'float64', 'revenue': 'float64'}
    assert frame['site_id'].tolist() == [4] * 4 + [5] * 4 + [pd.NA]
    assert frame['clicks'].isna().tolist() == [False, False, True, False] * 2 + [False]
    assert frame['revenue'].isna().tolist() == [False] * 8 + [True]
    assert frame.loc['2026-10-25 02:00', 'impressions'].tolist() == [41, 42, 51, 52]
