"""Atomx.export_report: the Hive layout, the manifest, resuming after a failed page,
refresh_last, no partial file, and changed arguments refused before any request."""
import json
import sys
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import pyarrow as pa
import pyarrow.dataset as ds
import pytest
import responses

from atomx import Atomx
from atomx.dir_lock import LOCK_FILE, DirectoryBusyError, exclusive
from atomx.exceptions import APIError, MissingDependencyError
from atomx.export import MANIFEST, read_dataset
from tests.unit.conftest import API, TOKEN
from tests.unit.test_report_pages import ARGS, page_answer, rows_of, sent, serve_pages

DAYS = dict(ARGS, from_=datetime(2026, 3, 1, 20), to=datetime(2026, 3, 4))  # 4h, 24h, 24h


def expected_rows():
    return rows_of({'from': '2026-03-01 20:00:00', 'to': '2026-03-02 00:00:00'}) + [
        row for day in ('2026-03-02', '2026-03-03')
        for row in rows_of({'from': f'{day} 00:00:00', 'to': f'{day} 23:00:00'})
        + [[f'{day} 23:00:00', site, 23] for site in (1, 2, 3)]]


def read_rows(path):
    table = ds.dataset(path, partitioning='hive').to_table().sort_by(
        [('hour', 'ascending'), ('site_id', 'ascending')])
    return [[f'{hour:%Y-%m-%d %H:%M:%S}', site, impressions] for hour, site, impressions in
            zip(*(table.column(name).to_pylist() for name in ('hour', 'site_id', 'impressions')))]


def test_the_dataset_has_one_hive_partition_per_day_and_a_manifest(session, mocked, tmp_path):
    serve_pages(mocked)
    summary = session.export_report(tmp_path, page_size=30, **DAYS)
    assert (summary.windows, summary.written, summary.skipped, summary.rows) == (3, 3, 0, 156)
    files = sorted(str(file.relative_to(tmp_path)) for file in tmp_path.rglob('*') if
                   file.is_file())
    assert files == [LOCK_FILE, MANIFEST, 'day=2026-03-01/part-0.parquet',
                     'day=2026-03-02/part-0.parquet', 'day=2026-03-03/part-0.parquet']
    assert summary.bytes == sum(file.stat().st_size for file in tmp_path.rglob('*.parquet'))
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest['query'] == {'scope': 'advertiser', 'groups': ['hour', 'site_id'],
                                 'metrics': ['impressions'], 'where': [], 'timezone': 'UTC',
                                 'split': 'day'}
    assert manifest['windows']['2026-03-02'] == {
        'from': '2026-03-02 00:00:00', 'to': '2026-03-03 00:00:00', 'rows': 72,
        'bytes': (tmp_path / 'day=2026-03-02/part-0.parquet').stat().st_size}
    assert read_rows(tmp_path) == expected_rows()
    # 12 rows, then 72 rows of each day in pages of 30: 1 + 3 + 3 requests, all save=False
    assert [(body['from'][:10], query['offset']) for query, body in sent(mocked)] == [
        ('2026-03-01', '0'), ('2026-03-02', '0'), ('2026-03-02', '30'), ('2026-03-02', '60'),
        ('2026-03-03', '0'), ('2026-03-03', '30'), ('2026-03-03', '60')]
    table = read_dataset(tmp_path).to_table()
    assert table.schema.field('day').type == pa.timestamp('us')
    assert table.schema.field('hour').type == pa.timestamp('us')


def failing_after(mocked, good_requests):
    """POST report answers as :func:`page_answer` for ``good_requests`` requests, then 503."""
    served = []

    def answer(request):
        served.append(request)
        if len(served) > good_requests:
            return 503, {}, json.dumps({'success': False, 'error': 'maintenance'})
        return page_answer(request)

    mocked.add_callback(responses.POST, API + '/report', callback=answer)


@pytest.fixture
def impatient(mocked):
    """A session without retries, so that a failed page fails at once."""
    mocked.add(responses.POST, API + '/login',
               json={'success': True, 'auth_token': TOKEN, 'user': {'id': 1}})
    session = Atomx('user@example.com', 'password', retries=0)
    mocked.calls.reset()
    return session


def test_a_run_that_fails_mid_window_resumes_there_and_leaves_no_partial_file(
        impatient, mocked, tmp_path):
    failing_after(mocked, 3)  # day one, then two of the three pages of day two
    with pytest.raises(APIError, match='offset 60'):
        impatient.export_report(tmp_path, page_size=30, **DAYS)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert list(manifest['windows']) == ['2026-03-01']
    assert sorted(str(file.relative_to(tmp_path)) for file in tmp_path.rglob('*')
                  if file.is_file()) == [LOCK_FILE, MANIFEST, 'day=2026-03-01/part-0.parquet']
    mocked.calls.reset()
    mocked.remove(responses.POST, API + '/report')
    serve_pages(mocked)
    summary = impatient.export_report(tmp_path, page_size=30, **DAYS)
    assert (summary.written, summary.skipped, summary.rows) == (2, 1, 144)
    assert {body['from'][:10] for _, body in sent(mocked)} == {'2026-03-02', '2026-03-03'}
    assert read_rows(tmp_path) == expected_rows()  # every row once


def test_a_second_run_skips_finished_windows_and_refresh_last_fetches_the_newest_again(
        session, mocked, tmp_path):
    serve_pages(mocked)
    session.export_report(tmp_path, **DAYS)
    mocked.calls.reset()
    again = session.export_report(tmp_path, **DAYS)
    assert (again.written, again.skipped, len(mocked.calls)) == (0, 3, 0)
    refreshed = session.export_report(tmp_path, refresh_last=2, **DAYS)
    assert (refreshed.written, refreshed.skipped, refreshed.rows) == (2, 1, 144)
    assert [body['from'][:10] for _, body in sent(mocked)] == ['2026-03-02', '2026-03-03']
    assert read_rows(tmp_path) == expected_rows()


def test_a_longer_period_fetches_the_new_windows_and_the_one_whose_end_moved(
        session, mocked, tmp_path):
    serve_pages(mocked)
    session.export_report(tmp_path, **{**DAYS, 'to': datetime(2026, 3, 3, 12)})
    mocked.calls.reset()
    summary = session.export_report(tmp_path, **DAYS)
    assert [body['from'] for _, body in sent(mocked)] == ['2026-03-03 00:00:00']
    assert (summary.written, summary.skipped) == (1, 2)
    assert read_rows(tmp_path) == expected_rows()


@pytest.mark.parametrize('change', [
    {'metrics': ['clicks']}, {'timezone': 'Europe/Vienna'}, {'split': 'hour'},
    {'where': [['site_id', '==', 1]]}, {'scope': 'publisher'}, {'groups': ['site_id', 'hour']},
    {'metrics': ['impressions', 'clicks']}])
def test_other_report_arguments_for_an_existing_dataset_are_refused(session, mocked, tmp_path,
                                                                    change):
    serve_pages(mocked)
    session.export_report(tmp_path, **DAYS)
    mocked.calls.reset()
    with pytest.raises(ValueError, match='holds an export of another report'):
        session.export_report(tmp_path, **{**DAYS, **change})
    assert len(mocked.calls) == 0


def test_hour_partitions_are_quoted_and_the_group_of_the_split_lives_in_the_path(
        session, mocked, tmp_path):
    serve_pages(mocked)
    session.export_report(tmp_path, split='hour', **{**ARGS, 'to': datetime(2026, 3, 1, 22)})
    assert sorted(path.name for path in tmp_path.glob('hour=*')) == [
        'hour=2026-03-01%2020%3A00%3A00', 'hour=2026-03-01%2021%3A00%3A00']
    table = read_dataset(tmp_path).to_table().sort_by('hour')
    assert table.column_names == ['site_id', 'impressions', 'hour']  # the partition last
    assert table.column('hour').to_pylist()[::3] == [datetime(2026, 3, 1, 20),
                                                     datetime(2026, 3, 1, 21)]


@pytest.mark.parametrize('arguments, error, match', [
    ({'split': None}, ValueError, 'export_report needs split='),
    ({'refresh_last': -1}, ValueError, 'refresh_last must be at least 0'),
    ({'from_': None, 'to': None, 'daterange': 'yesterday'}, ValueError, 'needs from_ and to'),
    # report()'s other arguments would be dropped (limit, sort) or sent with every page
    # (emails, name): refused, as is save, which pages never do
    ({'limit': 3}, TypeError, 'takes only the arguments that select rows .*, not limit:'),
    ({'sort': ['impressions']}, TypeError, 'not sort:'),
    ({'emails': ['a@example.com'], 'name': 'x'}, TypeError, 'not emails, name:'),
    ({'save': True}, TypeError, 'not save:'),
])
def test_bad_arguments_are_refused_before_any_request(session, mocked, tmp_path, arguments,
                                                      error, match):
    with pytest.raises(error, match=match):
        session.export_report(tmp_path, **{**DAYS, **arguments})
    assert len(mocked.calls) == 0


def test_without_pyarrow_the_export_names_the_extra(session, mocked, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, 'pyarrow', None)
    with pytest.raises(MissingDependencyError, match=r'pip install "atomx\[arrow\]"'):
        session.export_report(tmp_path, **DAYS)
    assert len(mocked.calls) == 0


def test_the_query_string_of_pages_is_unchanged_by_the_export(session, mocked, tmp_path):
    serve_pages(mocked)
    session.export_report(tmp_path, page_size=500, **DAYS)
    queries = [dict(parse_qsl(urlsplit(call.request.url).query)) for call in mocked.calls]
    assert queries == [{'limit': '500', 'offset': '0', 'sort': 'hour,site_id'}] * 3


def test_a_directory_with_other_files_and_no_export_is_refused_before_any_request(
        session, mocked, tmp_path):
    serve_pages(mocked)
    (tmp_path / 'notes.txt').write_text('mine')
    with pytest.raises(ValueError, match=r'is not empty \(notes.txt\) and holds no export'):
        session.export_report(tmp_path, **DAYS)
    assert len(mocked.calls) == 0 and list(tmp_path.iterdir()) == [tmp_path / 'notes.txt']


def test_a_run_that_fails_in_its_first_window_leaves_a_dataset_that_resumes(
        impatient, mocked, tmp_path):
    failing_after(mocked, 0)
    with pytest.raises(APIError, match='offset 0'):
        impatient.export_report(tmp_path, page_size=30, **DAYS)
    assert json.loads((tmp_path / MANIFEST).read_text())['windows'] == {}
    mocked.remove(responses.POST, API + '/report')
    serve_pages(mocked)
    assert impatient.export_report(tmp_path, page_size=30, **DAYS).written == 3
    assert read_rows(tmp_path) == expected_rows()


def test_a_second_export_into_a_directory_being_written_is_refused(session, mocked, tmp_path):
    serve_pages(mocked)
    with exclusive(tmp_path, 'export_report'), pytest.raises(  # as another export holds it
            DirectoryBusyError, match='is being written by another export'):
        session.export_report(tmp_path, **DAYS)
    assert len(mocked.calls) == 0
    assert session.export_report(tmp_path, **DAYS).written == 3  # free again once it is done


@pytest.mark.parametrize('failing', ['write_table', 'replace', 'manifest'])
def test_a_failure_at_any_step_of_a_window_leaves_no_partial_file_and_resumes_whole(
        session, mocked, tmp_path, monkeypatch, failing):
    """During a page's write, between the write and the rename, between the rename and the
    manifest: the next run ends with every row once."""
    import os

    import pyarrow.parquet as pq

    from atomx import export

    serve_pages(mocked)
    calls = []
    targets = {'write_table': (pq.ParquetWriter, 'write_table'), 'replace': (os, 'replace'),
               'manifest': (export._Manifest, 'record')}
    owner, name = targets[failing]
    original = getattr(owner, name)

    def fail_the_second_window(*args, **kwargs):
        if failing == 'replace' and not str(args[1]).endswith('.parquet'):
            return original(*args, **kwargs)  # the manifest's own rename
        calls.append(args)
        if len(calls) == (3 if failing == 'write_table' else 2):
            raise OSError(f'{failing} failed')
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, fail_the_second_window)
    with pytest.raises(OSError, match=f'{failing} failed'):
        session.export_report(tmp_path, page_size=30, **DAYS)
    monkeypatch.setattr(owner, name, original)
    assert not [file for file in tmp_path.rglob('.*') if file.name != LOCK_FILE]
    assert list(json.loads((tmp_path / MANIFEST).read_text())['windows']) == ['2026-03-01']
    summary = session.export_report(tmp_path, page_size=30, **DAYS)
    assert (summary.skipped, summary.written) == (1, 2)
    assert read_rows(tmp_path) == expected_rows()


def test_windows_not_over_yet_are_fetched_again_by_the_next_run(session, mocked, tmp_path,
                                                                monkeypatch):
    serve_pages(mocked)
    # a month's export run daily: now is 3 March 12:00 in Vienna, 11:00 UTC
    monkeypatch.setattr('atomx.report_query.utc_now', lambda: datetime(2026, 3, 3, 11))
    first = session.export_report(tmp_path, **{**DAYS, 'to': datetime(2026, 3, 5)},
                                  timezone='Europe/Vienna')
    assert first.written == 4
    assert list(json.loads((tmp_path / MANIFEST).read_text())['windows']) == [
        '2026-03-01', '2026-03-02']  # 3 March (half over) and 4 March (to come) are not done
    monkeypatch.setattr('atomx.report_query.utc_now', lambda: datetime(2026, 3, 5, 1))
    mocked.calls.reset()
    second = session.export_report(tmp_path, **{**DAYS, 'to': datetime(2026, 3, 5)},
                                   timezone='Europe/Vienna')
    assert (second.skipped, second.written) == (2, 2)
    assert [body['from'][:10] for _, body in sent(mocked)] == ['2026-03-03', '2026-03-04']


def test_a_partition_removed_by_hand_is_fetched_again(session, mocked, tmp_path):
    import shutil

    serve_pages(mocked)
    session.export_report(tmp_path, **DAYS)
    shutil.rmtree(tmp_path / 'day=2026-03-02')
    mocked.calls.reset()
    summary = session.export_report(tmp_path, **DAYS)
    assert (summary.written, summary.skipped) == (1, 2)
    assert [body['from'][:10] for _, body in sent(mocked)] == ['2026-03-02']
    assert read_rows(tmp_path) == expected_rows()


def test_one_file_of_a_report_without_rows_has_its_columns(session, mocked, tmp_path):
    import pyarrow.parquet as pq

    from atomx.export import write_report_file

    mocked.add(responses.POST, API + '/report', json={'success': True, 'report': {
        'id': 'r', 'columns': ['day', 'site_id', 'impressions'], 'data': [], 'query': {}}})
    (tmp_path / 'all.parquet').write_bytes(b'an older file')
    assert write_report_file(session, tmp_path / 'all.parquet', split='day', **DAYS)[0] == 0
    table = pq.read_table(tmp_path / 'all.parquet')
    assert table.num_rows == 0 and table.column_names == ['day', 'site_id', 'impressions']
    assert sorted(path.name for path in tmp_path.iterdir()) == ['all.parquet']


def test_one_file_is_written_under_a_temporary_name_of_its_own(session, mocked, tmp_path,
                                                               monkeypatch):
    """Two runs writing one file at once do not write into each other's temporary file."""
    import os

    from atomx.export import write_report_file

    serve_pages(mocked)
    renamed = []
    replace = os.replace
    monkeypatch.setattr(os, 'replace', lambda a, b: (renamed.append(a), replace(a, b)))
    write_report_file(session, tmp_path / 'all.parquet', split='day', **DAYS)
    [temporary] = renamed
    assert temporary.name.startswith('.all.parquet.') and str(os.getpid()) in temporary.name
    assert read_rows(tmp_path / 'all.parquet') == expected_rows()


def test_page_size_and_progress_may_change_between_runs(session, mocked, tmp_path):
    serve_pages(mocked)
    session.export_report(tmp_path, page_size=30, **DAYS)
    mocked.calls.reset()
    again = session.export_report(tmp_path, page_size=7, progress=True, **DAYS)
    assert (again.skipped, len(mocked.calls)) == (3, 0)
