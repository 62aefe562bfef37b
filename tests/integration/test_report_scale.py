"""Reports at any size against the sandbox: iter_report by day equals one report(), an
export interrupted on the wire resumes to exactly the report's rows, Dask (also on a
two-process distributed cluster) computes the same totals, and the command line's
``-o DIR --split day`` and ``-o FILE.parquet``."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from atomx import Atomx
from atomx.dir_lock import LOCK_FILE
from atomx.exceptions import APIConnectionError
from atomx.export import read_dataset
from atomx.sandbox import Sandbox
from atomx.testing import atomx_session  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
# a week inside the sandbox's data (the 365 days before now), over nothing special
START = datetime.combine((datetime.now(timezone.utc) - timedelta(days=20)).date(),
                         datetime.min.time())
WEEK = {'scope': 'advertiser', 'groups': ['hour', 'site_id'],
        'metrics': ['impressions', 'clicks', 'revenue'], 'from_': START,
        'to': START + timedelta(days=7), 'timezone': 'America/New_York'}


def table_rows(table):
    """A table's rows as report rows: hour text, then the other columns in report order."""
    table = table.sort_by([('hour', 'ascending'), ('site_id', 'ascending')])
    columns = [table.column(name).to_pylist() for name in WEEK['groups'] + WEEK['metrics']]
    return [[f'{row[0]:%Y-%m-%d %H:%M:%S}', *row[1:]] for row in zip(*columns)]


def test_iter_report_over_a_week_by_day_equals_one_report(atomx_session):  # noqa: F811
    whole = atomx_session.report(**WEEK)
    pages = list(atomx_session.iter_report(split='day', page_size=100, **WEEK))
    assert len(pages) > 7 and all(page.length <= 100 for page in pages)
    assert [row for page in pages for row in page.data] == whole.data
    # the pages were not saved; the one report() was
    assert [report.id for report in atomx_session.get('reports')['reports']] == [whole.id]


def test_an_export_broken_on_the_wire_resumes_to_exactly_the_reports_rows(sandbox, tmp_path):
    whole = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url).report(**WEEK)
    rows_per_day = len(whole.data) // 7
    page_size = rows_per_day // 3 + 1  # three pages a day, the last one short
    port = sandbox.port
    session = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url, retries=0)
    post, requests = session.post, []

    def post_until_the_server_goes(*args, **kwargs):
        requests.append(kwargs['offset'])
        if len(requests) == 4 * 3 + 2:  # the second page of the fifth day: the server is gone
            sandbox.stop()
        return post(*args, **kwargs)

    session.post = post_until_the_server_goes
    with pytest.raises(APIConnectionError, match=f'rows from offset {page_size}: '):
        session.export_report(tmp_path, page_size=page_size, **WEEK)
    assert requests[-3:] == [2 * page_size, 0, page_size]
    assert len(list(tmp_path.glob('day=*/part-0.parquet'))) == 4
    assert [file.name for file in tmp_path.rglob('.*')] == [LOCK_FILE]  # no temporary file

    with Sandbox(port=port) as again:  # the same data on the same address
        resumed = Atomx(again.email, again.password, api_endpoint=again.url)
        summary = resumed.export_report(tmp_path, page_size=page_size, **WEEK)
    assert (summary.windows, summary.skipped, summary.written) == (7, 4, 3)
    table = ds.dataset(tmp_path, partitioning='hive').to_table()
    assert table.num_rows == len(whole.data)
    assert table_rows(table) == whole.data  # every row once: nothing lost, nothing twice
    assert read_dataset(tmp_path).to_table().num_rows == len(whole.data)


KILLED_EXPORT = """
import datetime, os, signal, sys
from atomx import Atomx
session = Atomx(os.environ['EMAIL'], os.environ['PASSWORD'], api_endpoint=os.environ['URL'])
post, sent = session.post, []
def post_then_die(*args, **kwargs):
    sent.append(kwargs['offset'])
    answer = post(*args, **kwargs)
    if len(sent) == int(os.environ['DIE_AT']):
        os.kill(os.getpid(), signal.SIGKILL)  # no finally, no cleanup: as a killed machine
    return answer
session.post = post_then_die
arguments = eval(os.environ['ARGUMENTS'], {'datetime': datetime})  # a repr of datetimes
session.export_report(sys.argv[1], page_size=int(os.environ['PAGE_SIZE']), **arguments)
"""


@pytest.mark.parametrize('die_at', [1, 3, 5])  # in day one, at its end, in day two
def test_an_export_killed_at_any_page_resumes_to_exactly_the_reports_rows(sandbox, tmp_path,
                                                                          die_at):
    arguments = {**WEEK, 'to': START + timedelta(days=3)}
    whole = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url).report(**arguments)
    page_size = len(whole.data) // 3 // 3 + 1  # three pages a day, the last one short
    env = {**os.environ, 'PYTHONPATH': str(ROOT), 'EMAIL': sandbox.email,
           'PASSWORD': sandbox.password, 'URL': sandbox.url, 'DIE_AT': str(die_at),
           'ARGUMENTS': repr(arguments), 'PAGE_SIZE': str(page_size)}
    killed = subprocess.run([sys.executable, '-c', KILLED_EXPORT, str(tmp_path)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert killed.returncode == -9, killed.stderr
    resumed = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url)
    summary = resumed.export_report(tmp_path, page_size=page_size, **arguments)  # not locked
    assert summary.skipped == (die_at - 1) // 3 and summary.windows == 3
    assert table_rows(ds.dataset(tmp_path, partitioning='hive').to_table()) == whole.data
    assert read_dataset(tmp_path).to_table().num_rows == len(whole.data)


def factory():
    """The session factory of the Dask tasks: the worker's environment holds the login."""
    return Atomx.from_env()


@pytest.fixture
def login_in_environment(sandbox, monkeypatch):
    monkeypatch.setenv('ATOMX_EMAIL', sandbox.email)
    monkeypatch.setenv('ATOMX_PASSWORD', sandbox.password)
    monkeypatch.setenv('ATOMX_API_ENDPOINT', sandbox.url)
    monkeypatch.setenv('PYTHONPATH', os.pathsep.join([str(ROOT), os.environ.get(
        'PYTHONPATH', '')]))
    return sandbox


def test_dask_graph_carries_no_secret_and_computes_the_report(login_in_environment):
    import cloudpickle
    import dask

    from atomx.dask import read_report

    sandbox = login_in_environment
    frame = read_report(factory, **WEEK)
    assert frame.npartitions == 7
    session = factory()
    graph = cloudpickle.dumps(dict(frame.__dask_graph__()))
    for secret in (sandbox.password, session.auth_token):
        assert secret.encode() not in graph
    pickle.loads(graph)  # it travels to workers as it is
    with dask.config.set(scheduler='synchronous'):
        computed = frame.compute()
    whole = session.report(**WEEK)
    assert [list(row) for row in computed.itertuples(index=False)] == [
        [datetime.fromisoformat(row[0]), *row[1:]] for row in whole.data]
    assert str(computed['hour'].dtype) == 'datetime64[us]'
    assert str(computed['site_id'].dtype) == 'int64'


def test_dask_on_a_two_process_cluster_computes_the_same_totals(login_in_environment):
    from distributed import Client, LocalCluster

    from atomx.dask import read_report

    arguments = {**WEEK, 'groups': ['day', 'site_id'], 'to': START + timedelta(days=3)}
    whole = factory().report(**arguments)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert len(client.scheduler_info()['workers']) == 2
        computed = read_report(factory, **arguments).compute()
    assert len(computed) == len(whole.data)
    for metric in arguments['metrics']:
        assert computed[metric].sum() == pytest.approx(whole.totals[metric])


def run_cli(sandbox, *args, cwd):
    env = {key: value for key, value in os.environ.items() if not key.startswith('ATOMX_')}
    env.update(PYTHONPATH=str(ROOT), ATOMX_EMAIL=sandbox.email,
               ATOMX_PASSWORD=sandbox.password, ATOMX_API_ENDPOINT=sandbox.url)
    return subprocess.run([sys.executable, '-m', 'atomx', 'report', *args], cwd=cwd, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)


CLI_REPORT = ['--scope', 'advertiser', '--groups', 'hour,site_id', '--metrics',
              'impressions,clicks,revenue', '--from', f'{START:%Y-%m-%d}', '--to',
              f'{START + timedelta(days=2):%Y-%m-%d}', '--timezone', 'America/New_York']


def test_the_command_line_exports_a_dataset_and_a_parquet_file(
        sandbox, atomx_session, tmp_path):  # noqa: F811
    whole = atomx_session.report(**{**WEEK, 'to': START + timedelta(days=2)})
    first = run_cli(sandbox, *CLI_REPORT, '-o', 'days', '--split', 'day', '--page-size', '50',
                    cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stderr == (f'{len(whole.data)} rows ('
                            f'{sum(f.stat().st_size for f in tmp_path.rglob("*.parquet"))} '
                            f'bytes) in 2 windows written to days; 0 of 2 windows were '
                            f'finished before\n')
    assert table_rows(ds.dataset(tmp_path / 'days', partitioning='hive').to_table()) == \
        whole.data
    again = run_cli(sandbox, *CLI_REPORT, '-o', 'days', '--split', 'day', cwd=tmp_path)
    assert again.stderr.endswith('2 of 2 windows were finished before\n')
    single = run_cli(sandbox, *CLI_REPORT, '-o', 'all.parquet', '--split', 'day', cwd=tmp_path)
    assert single.returncode == 0, single.stderr
    assert table_rows(ds.dataset(tmp_path / 'all.parquet').to_table()) == whole.data


def test_the_dataset_reads_back_as_the_report_in_pyarrow_polars_and_dask(sandbox, tmp_path):
    """Hour windows of a quarter-hour timezone: every reader gets the report's rows once, ids
    and counts int64, the times the report's wall times; no secret in any file."""
    import dask.dataframe as dd
    import polars as pl

    session = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url)
    arguments = {**WEEK, 'to': START + timedelta(hours=30), 'timezone': 'Asia/Kathmandu'}
    whole = session.report(**arguments)
    session.export_report(tmp_path, split='hour', page_size=7, **arguments)
    expected = sorted(map(tuple, whole.data))

    table = read_dataset(tmp_path).to_table()  # the partition typed: a timestamp
    assert sorted(map(tuple, table_rows(table))) == expected
    plain = ds.dataset(tmp_path, partitioning='hive').to_table()  # Hive's text, decoded
    assert sorted(plain.column('hour').to_pylist()) == sorted(row[0] for row in whole.data)
    for name in ('site_id', 'impressions', 'clicks'):
        assert str(table.schema.field(name).type) == 'int64'

    frame = pl.read_parquet(f'{tmp_path}/**/*.parquet', hive_partitioning=True)
    assert frame.schema['hour'] == pl.Datetime('us') and frame.schema['site_id'] == pl.Int64
    assert sorted((f'{row[0]:%Y-%m-%d %H:%M:%S}', *row[1:]) for row in frame.select(
        WEEK['groups'] + WEEK['metrics']).iter_rows()) == expected

    computed = dd.read_parquet(str(tmp_path)).compute()
    assert str(computed['site_id'].dtype) == 'int64' and len(computed) == len(whole.data)
    assert sorted((str(row[0]), *row[1:]) for row in computed[
        WEEK['groups'] + WEEK['metrics']].itertuples(index=False)) == expected

    secrets = (sandbox.password.encode(), session.auth_token.encode())
    for file in tmp_path.rglob('*'):
        if file.is_file():
            assert not any(secret in file.read_bytes() for secret in secrets), file
