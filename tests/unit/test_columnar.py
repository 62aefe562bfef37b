"""Report.arrow, Report.polars and Report.to_parquet: the types (like Report.pandas), the
build without Python work per row, and the errors of missing packages."""
import sys
from datetime import datetime

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from atomx.columnar import TIMEZONE_KEY, conform, report_table
from atomx.exceptions import MissingDependencyError
from atomx.reports import Report
from tests.unit.test_reports_frame import (
    FRAME_COLUMNS,
    FRAME_METRICS,
    ROOT,
    python_steps,
    year_of_hours,
)


def vienna_report():
    return Report(1, query={'groups': ['hour', 'site_id'], 'timezone': 'Europe/Vienna',
                            'metrics': ['impressions', 'revenue', 'clicks']},
                  columns=['hour', 'site_id', 'impressions', 'revenue', 'clicks'],
                  data=[['2026-10-25 02:00:00', 4, 10, '0.2500', 1],
                        ['2026-10-25 03:00:00', None, 11, '1.5000', None]])


def test_arrow_types_follow_report_pandas():
    table = vienna_report().arrow
    assert table.schema.remove_metadata() == pa.schema([
        ('hour', pa.timestamp('us')), ('site_id', pa.int64()), ('impressions', pa.int64()),
        ('revenue', pa.float64()), ('clicks', pa.int64())])
    assert table.schema.metadata == {TIMEZONE_KEY: b'Europe/Vienna'}
    assert table.to_pylist() == [
        {'hour': datetime(2026, 10, 25, 2), 'site_id': 4, 'impressions': 10, 'revenue': 0.25,
         'clicks': 1},
        {'hour': datetime(2026, 10, 25, 3), 'site_id': None, 'impressions': 11,
         'revenue': 1.5, 'clicks': None}]


def test_day_week_month_groups_and_id_strings_become_timestamps_and_ints():
    report = Report(2, query={'groups': ['month', 'week', 'day', 'advertiser_id']},
                    columns=['month', 'week', 'day', 'advertiser_id', 'country'],
                    data=[['2026-11', '2026-11-02', '2026-11-04', '12', 'AT']])
    table = report.arrow
    assert [str(kind) for kind in table.schema.types] == [
        'timestamp[us]', 'timestamp[us]', 'timestamp[us]', 'int64', 'string']
    assert table.to_pylist()[0]['month'] == datetime(2026, 11, 1)
    assert report.arrow is table  # built once


def test_times_that_are_no_times_stay_text():
    report = Report(3, columns=['day', 'impressions'], data=[['soon', 1]])
    assert report.arrow.schema.field('day').type == pa.string()


def test_an_empty_report_has_the_types_of_its_columns():
    report = Report(4, query={'metrics': ['clicks']}, columns=['day', 'site_id', 'clicks'],
                    data=[])
    assert report.arrow.num_rows == 0
    assert [str(kind) for kind in report.arrow.schema.types] == [
        'timestamp[us]', 'int64', 'double']


def test_a_text_group_without_values_is_text_so_that_the_pages_of_an_export_agree(tmp_path):
    from atomx.export import write_pages

    columns = ['site_id', 'country', 'clicks']
    empty = Report(5, query={'metrics': ['clicks']}, columns=columns, data=[])
    nulls = Report(6, query={'metrics': ['clicks']}, columns=columns, data=[[1, None, 2]])
    for report in (empty, nulls):
        assert report.arrow.schema.field('country').type == pa.string()
        assert report.polars.schema['country'] == pl.String
    later = Report(7, query={'metrics': ['clicks']}, columns=columns, data=[[2, 'AT', 3]])
    rows, _, schema = write_pages([nulls, later], tmp_path / 'part.parquet', metrics=['clicks'])
    assert rows == 2 and pq.read_table(tmp_path / 'part.parquet').column(
        'country').to_pylist() == [None, 'AT']


def test_ints_beyond_int64_are_kept_whole_as_text_not_an_overflow():
    report = Report(8, query={'metrics': ['impressions']},
                    columns=['site_id', 'impressions'],
                    data=[[2 ** 63 + 5, 2 ** 64], [1, 2]])
    table = report.arrow
    assert table.column('site_id').to_pylist() == [str(2 ** 63 + 5), '1']
    assert table.column('impressions').to_pylist() == [float(2 ** 64), 2.0]
    assert report_table(['site_id'], [[2 ** 63 - 1]]).column('site_id').type == pa.int64()


def test_polars_has_the_same_columns_and_types():
    frame = vienna_report().polars
    assert isinstance(frame, pl.DataFrame)
    assert frame.schema == {'hour': pl.Datetime('us'), 'site_id': pl.Int64,
                            'impressions': pl.Int64, 'revenue': pl.Float64,
                            'clicks': pl.Int64}
    assert frame['revenue'].to_list() == [0.25, 1.5]


def test_to_parquet_writes_one_file_that_reads_back_equal(tmp_path):
    report = vienna_report()
    report.to_parquet(tmp_path / 'report.parquet')
    assert pq.read_table(tmp_path / 'report.parquet').equals(report.arrow, check_metadata=True)


def test_rows_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError, match=r'report rows must have 2 values \(day, clicks\), '
                                         r'found a row of 1'):
        report_table(['day', 'clicks'], [['2026-01-01', 1], ['2026-01-02']])


def test_pages_conform_to_the_datasets_types_or_say_why_not():
    schema = pa.schema([('site_id', pa.int64()), ('revenue', pa.float64())])
    whole = report_table(['site_id', 'revenue'], [[1, 2]], ['revenue'], schema=schema)
    assert whole.schema == schema and whole.column('revenue').to_pylist() == [2.0]
    with pytest.raises(ValueError, match='does not fit the dataset'):
        conform(report_table(['site_id', 'revenue'], [[1.5, 2.0]]), schema)
    with pytest.raises(ValueError, match=r"the columns \['revenue', 'site_id'\] differ"):
        conform(report_table(['revenue', 'site_id'], [[1.0, 2]]), schema)


def test_building_the_table_runs_no_python_code_per_row():
    small, large = year_of_hours(1_000), year_of_hours(100_000)

    def steps(data):
        return python_steps(lambda: Report(1, columns=FRAME_COLUMNS, data=data,
                                           query={'metrics': FRAME_METRICS}).arrow)

    import gc

    steps(small)  # the first call imports and compiles; not what we measure
    gc.collect()  # no finaliser of an earlier test's garbage may run (and count) in between
    gc.disable()
    try:
        extra = steps(large) - steps(small)
    finally:
        gc.enable()
    assert extra < 100  # a loop over the 99,000 more rows: > 99,000


@pytest.mark.parametrize('module, attribute, extra', [
    ('pyarrow', 'arrow', 'arrow'), ('pyarrow', 'to_parquet', 'arrow'),
    ('polars', 'polars', 'polars'),
    ('pyarrow', 'polars', 'polars')])  # Report.polars names the extra that brings both
def test_a_missing_package_names_the_extra_to_install(monkeypatch, tmp_path, module,
                                                      attribute, extra):
    monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.setitem(sys.modules, 'pyarrow.parquet', None)
    report = vienna_report()
    with pytest.raises(MissingDependencyError) as missing:
        value = getattr(report, attribute)
        if callable(value):
            value(tmp_path / 'out.parquet')
    assert missing.value.package == module and missing.value.extra == extra
    assert f'pip install "atomx[{extra}]"' in str(missing.value)


def test_importing_atomx_and_the_columnar_modules_imports_no_optional_package():
    import subprocess

    code = ('import sys, atomx, atomx.columnar, atomx.export, atomx.dask, atomx.report_pages\n'
            'print(sorted({"pandas", "pyarrow", "polars", "dask", "distributed", "tqdm"}'
            ' & set(sys.modules)))')
    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          check=False, cwd=ROOT)
    assert done.stdout == '[]\n', done.stderr


def test_rows_that_do_not_fit_the_columns_are_the_apis_fault():
    from atomx.exceptions import APIError

    report = Report(5, columns=['day', 'clicks'], data=[['2026-01-01', 1], ['2026-01-02']])
    with pytest.raises(APIError, match=r"the rows of report 5 do not form a table with its "
                                       r"columns \['day', 'clicks'\]: report rows must have 2"):
        report.arrow  # noqa: B018  (the property raises)
