"""The ``atomx`` command line as a user runs it: ``python3 -m atomx`` in a subprocess,
against a sandbox on 127.0.0.1, checking stdout, stderr and the exit status."""
import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sandbox_client import Client

from atomx.sandbox import TOTP_SECRET, Sandbox
from atomx.sandbox.auth import totp_code

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope='module')
def sandbox():
    with Sandbox(stats_interval=0.05) as running:  # quick live stats for atomx watch
        yield running


@pytest.fixture(scope='module')
def api(sandbox):
    """Plain requests against the sandbox: what the CLI's output is compared with."""
    client = Client(sandbox.url)
    client.login(sandbox.email, sandbox.password)
    return client


def environment(sandbox, **overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith('ATOMX_')}
    env.update(PYTHONPATH=str(ROOT), ATOMX_EMAIL=sandbox.email,
               ATOMX_PASSWORD=sandbox.password, ATOMX_API_ENDPOINT=sandbox.url)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def atomx(sandbox, *args, cwd=None, **env):
    """Run ``python3 -m atomx ARGS``; the completed process (stdin is not a terminal)."""
    return subprocess.run([sys.executable, '-m', 'atomx', *args], capture_output=True,
                          text=True, env=environment(sandbox, **env), cwd=cwd or ROOT,
                          stdin=subprocess.DEVNULL, timeout=60)


def quiet(err):
    """Whether stderr says nothing but notes of a slow answer (a busy machine's)."""
    return all(line.startswith('atomx: still waiting for ') for line in err.splitlines())


def succeeded(process):
    assert process.returncode == 0, process.stderr
    assert quiet(process.stderr), process.stderr
    return process.stdout


def failed(process, status):
    assert process.returncode == status, (process.stdout, process.stderr)
    assert process.stdout == ''
    return process.stderr


def raw_list(api, resource, **params):
    answer = api.get(resource, params=params)
    assert answer.status_code == 200
    return answer.json()[resource]


# -- get ----------------------------------------------------------------------------

def test_get_json_prints_a_list_of_the_models_attributes(sandbox, api):
    out = succeeded(atomx(sandbox, 'get', 'domains', '-p', 'limit=3', '--format', 'json'))
    assert json.loads(out) == raw_list(api, 'domains', limit=3)


def test_get_csv_prints_a_header_and_one_row_per_model(sandbox, api):
    out = succeeded(atomx(sandbox, 'get', 'domains', '-p', 'limit=4',
                          '-p', 'attributes=id,hostname', '--format', 'csv'))
    rows = list(csv.reader(io.StringIO(out)))
    expected = raw_list(api, 'domains', limit=4, attributes='id,hostname')
    assert rows == [['id', 'hostname']] + [[str(item['id']), item['hostname']]
                                           for item in expected]


def test_get_table_is_the_default_with_aligned_columns(sandbox, api):
    out = succeeded(atomx(sandbox, 'get', 'domains', '-p', 'limit=2',
                          '-p', 'attributes=id,hostname'))
    expected = raw_list(api, 'domains', limit=2, attributes='id,hostname')
    lines = out.splitlines()
    assert lines[0].split() == ['id', 'hostname']
    assert set(lines[1]) <= {'-', ' '}
    assert [line.split() for line in lines[2:]] == [[str(item['id']), item['hostname']]
                                                    for item in expected]


def test_get_one_model_as_a_table_of_attributes(sandbox, api):
    out = succeeded(atomx(sandbox, 'get', 'domain', '3'))
    expected = api.get('domain/3').json()['domain']
    pairs = dict(line.split(None, 1) for line in out.splitlines()[2:])
    assert pairs['hostname'] == expected['hostname']
    assert pairs['id'] == '3'
    assert len(pairs) == len(expected)


def test_a_table_fits_the_terminal_width_and_names_what_it_left_out(sandbox, api):
    full = succeeded(atomx(sandbox, 'get', 'advertisers', '-p', 'limit=5'))  # a pipe: all
    assert max(map(len, full.splitlines())) > 80
    fitted = succeeded(atomx(sandbox, 'get', 'advertisers', '-p', 'limit=5', COLUMNS='80'))
    lines = fitted.splitlines()
    assert all(len(line) <= 80 for line in lines[:-1])
    assert lines[-1].startswith('(') and 'left out to fit 80 characters: ' in lines[-1]
    left_out = lines[-1].split(': ', 1)[1].split(';')[0].split(', ')
    assert lines[0].split() + left_out == full.splitlines()[0].split()
    assert [line.split()[0] for line in lines[2:-1]] == [
        str(item['id']) for item in raw_list(api, 'advertisers', limit=5)]
    wide = succeeded(atomx(sandbox, 'get', 'advertisers', '-p', 'limit=5', '--wide',
                           COLUMNS='80'))
    assert wide == full


def test_get_one_attribute_prints_its_value(sandbox, api):
    out = succeeded(atomx(sandbox, 'get', 'domain', '3', 'hostname'))
    assert out == api.get('domain/3').json()['domain']['hostname'] + '\n'


def test_get_all_pages_through_everything_with_iter(sandbox, api):
    everything = raw_list(api, 'domains', limit=1000)
    assert len(everything) > 30
    out = succeeded(atomx(sandbox, 'get', 'domains', '--all', '--format', 'json'))
    assert json.loads(out) == everything


def test_get_all_with_a_filter_and_a_limit_cap(sandbox, api):
    expected = raw_list(api, 'domains', hostname='*atom*', limit=1000)
    out = succeeded(atomx(sandbox, 'get', 'domains', '--all', '-p', 'hostname=*atom*',
                          '-p', 'limit=5', '--format', 'csv'))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(row['id']) for row in rows] == [item['id'] for item in expected[:5]]


def test_get_all_with_progress_shows_the_bar_on_stderr(sandbox, api):
    total = len(raw_list(api, 'domains', limit=1000))
    process = atomx(sandbox, 'get', 'domains', '--all', '--progress', '--format', 'json')
    assert process.returncode == 0
    assert len(json.loads(process.stdout)) == total
    assert f'{total}/{total}' in process.stderr
    drawings = [part for part in re.split(r'[\r\n]', process.stderr) if part.strip()]
    assert all(f'/{total}' in part for part in drawings), drawings  # drawn with its total


# -- global options, credentials --------------------------------------------------------

@pytest.mark.parametrize('where', ['before', 'after'])
def test_endpoint_and_email_flags_before_or_after_the_sub_command(sandbox, where):
    flags = ['--endpoint', sandbox.url, '--email', sandbox.email]
    command = ['get', 'domain', '1', 'id']
    args = flags + command if where == 'before' else command + flags
    out = succeeded(atomx(sandbox, *args, ATOMX_API_ENDPOINT=None, ATOMX_EMAIL=None))
    assert out == '1\n'


def test_the_flag_after_the_sub_command_wins(sandbox):
    process = atomx(sandbox, '--endpoint', 'http://127.0.0.1:9/v3', 'get', 'domain', '1', 'id',
                    '--endpoint', sandbox.url)
    assert succeeded(process) == '1\n'


def test_totp_comes_from_the_environment(sandbox):
    out = succeeded(atomx(sandbox, 'get', 'domain', '1', 'id', ATOMX_EMAIL='totp@example.com',
                          ATOMX_PASSWORD='totp', ATOMX_TOTP=totp_code(TOTP_SECRET)))
    assert out == '1\n'


def test_wrong_password_exits_1_without_showing_the_password(sandbox):
    err = failed(atomx(sandbox, 'get', 'domains', ATOMX_PASSWORD='wrong-secret-pw'), 1)
    assert err.startswith('atomx get: error: ')
    assert 'POST login failed with HTTP 401' in err
    assert 'wrong-secret-pw' not in err


def test_no_password_and_no_terminal_is_a_usage_error(sandbox):
    err = failed(atomx(sandbox, 'get', 'domains', ATOMX_PASSWORD=None), 2)
    assert err == ('atomx get: error: no password: set ATOMX_PASSWORD '
                   '(there is no terminal to ask for it)\n')


def test_no_email_is_a_usage_error(sandbox):
    err = failed(atomx(sandbox, 'get', 'domains', ATOMX_EMAIL=None), 2)
    assert err == ('atomx get: error: no login email: pass --email or set ATOMX_EMAIL '
                   '(or use --profile)\n')


def test_the_password_is_never_a_flag(sandbox):
    err = failed(atomx(sandbox, 'get', 'domains', '--password', 'x'), 2)
    assert 'unrecognized arguments: --password x' in err


# -- errors and help ------------------------------------------------------------------

def test_api_error_exits_1_with_the_api_message_on_stderr(sandbox, api):
    message = api.get('nothing').json()['error']
    err = failed(atomx(sandbox, 'get', 'nothing'), 1)
    assert err == f'atomx get: error: GET nothing failed with HTTP 404: {message}\n'


@pytest.mark.parametrize('args, words', [
    (['get'], 'the following arguments are required: RESOURCE'),
    (['get', 'domains', '--format', 'xml'], "invalid choice: 'xml'"),
    (['get', 'domains', '-p', 'limit'], "'limit' is not key=value"),
    (['get', 'domains', '-p', 'limit=1', '-p', 'limit=2'], '-p limit= is given twice'),
    (['get', 'domains', '-p', 'limit=ten'], '-p limit=ten: limit must be a whole number'),
    (['get', 'domains', '--progress'], '--progress shows the paging of --all; add --all'),
    (['report', '--scope', 'advertiser', '--where', 'site_id like 3'],
     "'site_id like 3' is not \"column operator value\""),
    (['report', '--scope', 'advertiser', '--from', 'someday'], "'someday' is not a date"),
    (['report', '--scope', 'galaxy', '--groups', 'hour', '--daterange', 'today'],
     "--scope='galaxy' is not allowed"),
    (['frobnicate'], "invalid choice: 'frobnicate'"),
])
def test_usage_errors_exit_2_with_a_message(sandbox, args, words):
    assert words in failed(atomx(sandbox, *args), 2)


def test_no_command_prints_the_help_and_exits_2(sandbox):
    process = atomx(sandbox)
    assert process.returncode == 2
    assert process.stdout.startswith('usage: atomx')
    assert all(command in process.stdout for command in ('get', 'search', 'report', 'sandbox'))


@pytest.mark.parametrize('command', [[], ['get'], ['search'], ['report'], ['sandbox']])
def test_help_of_every_command_ends_with_an_example(sandbox, command):
    out = succeeded(atomx(sandbox, *command, '--help'))
    assert out.startswith('usage: atomx')
    example = out.rstrip().split('\n\n')[-1].splitlines()
    assert example[0] == 'example:'
    assert example[1].startswith(('  atomx ', '  ATOMX_EMAIL='))


def test_no_answer_from_the_endpoint_exits_1_with_the_reason(sandbox):
    with socket.socket() as bound:  # bound but not listening: connections are refused
        bound.bind(('127.0.0.1', 0))
        port = bound.getsockname()[1]
        url = f'http://127.0.0.1:{port}/v3'
        err = failed(atomx(sandbox, 'get', 'domains', ATOMX_API_ENDPOINT=url), 1)
    # the login never left, so it was sent again (3 retries by default), each retry told
    *notes, error = err.splitlines()
    assert error == (f'atomx get: error: POST login: nothing listens at 127.0.0.1:{port} '
                     f'(connection refused); gave up after 4 attempts')
    retries = [line.split(' in ')[0] for line in notes if ', retry ' in line]
    assert retries == [f'atomx: POST login got no answer, retry {number} of 3'
                       for number in (1, 2, 3)]
    # past 3 s (a busy machine), the wait itself is told too; nothing else is
    assert all(line.startswith('atomx: still waiting for an answer to POST ')
               for line in notes if ', retry ' not in line)
    assert sandbox.password not in err


def test_version(sandbox):
    from atomx.version import VERSION
    assert succeeded(atomx(sandbox, '--version')) == f'atomx {VERSION}\n'


# -- search ---------------------------------------------------------------------------

def test_search_json_and_table(sandbox, api):
    expected = api.get('search', params={'q': '*atom*', 'index': 'sites,advertisers'}).json()
    found = json.loads(succeeded(atomx(sandbox, 'search', '*atom*', '--index',
                                       'sites,advertisers', '--format', 'json')))
    assert found == expected['search']
    table = succeeded(atomx(sandbox, 'search', '*atom*', '--index', 'sites,advertisers'))
    rows = [line.split(None, 2) for line in table.splitlines()[2:]]
    assert rows == [[name, str(item['id']), item['name']]
                    for name, items in expected['search'].items() for item in items]


# -- report ---------------------------------------------------------------------------

# a period inside the sandbox's data (the 365 days before now)
START = (datetime.now(timezone.utc) - timedelta(days=10)).date()
END = START + timedelta(days=2)
REPORT = ['report', '--scope', 'advertiser', '--groups', 'day,advertiser_id',
          '--metrics', 'impressions,clicks', '--where', 'advertiser_id in [1, 2]',
          '--from', START.isoformat(), '--to', END.isoformat(), '--timezone', 'Europe/Vienna']
REPORT_BODY = {'scope': 'advertiser', 'groups': ['day', 'advertiser_id'],
               'metrics': ['impressions', 'clicks'],
               'where': [['advertiser_id', 'in', [1, 2]]],
               'from': f'{START} 00:00:00', 'to': f'{END} 00:00:00',
               'timezone': 'Europe/Vienna'}


def expected_report(api):
    answer = api.post('report', json=REPORT_BODY)
    assert answer.status_code == 200, answer.text
    return answer.json()['report']


def test_report_writes_csv_to_a_file(sandbox, api, tmp_path):
    expected = expected_report(api)
    process = atomx(sandbox, *REPORT, '-o', 'days.csv', cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert process.stdout == ''
    assert process.stderr.endswith(f': {len(expected["data"])} rows written to days.csv\n')
    rows = list(csv.reader((tmp_path / 'days.csv').open(encoding='utf-8')))
    assert rows[0] == expected['columns'] == ['day', 'advertiser_id', 'impressions', 'clicks']
    assert rows[1:] == [[str(value) for value in row] for row in expected['data']]
    assert {row[1] for row in rows[1:]} == {'1', '2'}
    assert {row[0] for row in rows[1:]} == {str(START), str(START + timedelta(days=1))}


def test_report_no_save_is_left_out_of_the_history_that_get_reports_prints(sandbox, tmp_path):
    saved = succeeded(atomx(sandbox, *REPORT, '--name', 'kept', '--format', 'json'))
    assert json.loads(saved)
    unsaved = atomx(sandbox, *REPORT, '--name', 'not kept', '--no-save', '-o', 'x.csv',
                    cwd=tmp_path)
    assert unsaved.returncode == 0, unsaved.stderr
    listing = list(csv.DictReader(io.StringIO(succeeded(
        atomx(sandbox, 'get', 'reports', '--format', 'csv')))))
    assert listing and set(listing[0]) == {'id', 'name', 'length', 'created_at', 'scheduled'}
    names = [row['name'] for row in listing]
    assert 'kept' in names and 'not kept' not in names
    assert all(row['scheduled'] == 'false' for row in listing)
    table = succeeded(atomx(sandbox, 'get', 'reports'))
    assert 'Report(' not in table and 'kept' in table


def test_get_report_id_prints_its_rows(sandbox, api):
    expected = expected_report(api)
    out = succeeded(atomx(sandbox, 'get', 'report', expected['id'], '--format', 'csv'))
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [expected['columns']] + [[str(value) for value in row]
                                            for row in expected['data']]


def test_report_json_on_stdout(sandbox, api):
    expected = expected_report(api)
    rows = json.loads(succeeded(atomx(sandbox, *REPORT, '--format', 'json')))
    assert rows == [dict(zip(expected['columns'], row)) for row in expected['data']]


def test_report_for_a_daterange_as_csv_on_stdout(sandbox, api):
    body = {'scope': 'advertiser', 'groups': ['day'], 'metrics': ['impressions'],
            'daterange': 'last7days'}
    answer = api.post('report', json=body)
    assert answer.status_code == 200, answer.text
    expected = answer.json()['report']
    assert len(expected['data']) >= 7
    out = succeeded(atomx(sandbox, 'report', '--scope', 'advertiser', '--groups', 'day',
                          '--metrics', 'impressions', '--daterange', 'last7days',
                          '--format', 'csv'))
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [expected['columns']] + [[str(value) for value in row]
                                            for row in expected['data']]


def test_report_to_a_missing_folder_is_a_usage_error_before_any_request(sandbox, tmp_path):
    err = failed(atomx(sandbox, *REPORT, '-o', 'nowhere/days.csv', cwd=tmp_path,
                       ATOMX_API_ENDPOINT='http://127.0.0.1:9/v3'), 2)
    assert "argument -o/--output: 'nowhere/days.csv': the folder 'nowhere' does not exist" in err


def test_report_without_a_scope_it_cannot_guess_is_a_usage_error(sandbox):
    err = failed(atomx(sandbox, 'report', '--groups', 'hour', '--metrics', 'impressions',
                       '--daterange', 'yesterday'), 2)
    assert 'cannot tell the report scope' in err


def test_report_the_api_refuses_exits_1_with_its_message(sandbox):
    err = failed(atomx(sandbox, 'report', '--scope', 'advertiser', '--groups', 'nonsense',
                       '--daterange', 'yesterday'), 1)
    assert "POST report failed with HTTP 400: groups: unknown 'nonsense'" in err


# -- watch (live updates over the websocket) ------------------------------------------
def watch(sandbox, *args, **env):
    """``atomx watch ARGS`` started in the background."""
    return subprocess.Popen([sys.executable, '-m', 'atomx', 'watch', *args], cwd=ROOT,
                            env=environment(sandbox, **env), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def started(process):
    """Wait for the ``watching ...`` notice: the channels are confirmed."""
    line = process.stderr.readline()
    assert line.startswith('watching '), line + process.stderr.read()
    return line


def test_watch_prints_an_update_by_another_session_as_a_json_line(sandbox, api):
    process = watch(sandbox, 'advertiser:42', '--format', 'json', '--timeout', '1')
    try:
        assert started(process) == 'watching advertiser:42 (Ctrl-C to stop)\n'
        assert api.put('advertiser/42', json={'name': 'Watched'}).status_code == 200
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0, err
    line = json.loads(out.splitlines()[0])
    assert (line['kind'], line['channel'], line['data']['changes']) == \
        ('update', 'advertiser:42', {'name': 'Watched'})


def test_watch_table_lines_show_kind_channel_and_values(sandbox, api):
    process = watch(sandbox, 'campaign:1', '--stats', '--timeout', '1')
    try:
        assert started(process) == 'watching campaign:1, stats:campaign:1 (Ctrl-C to stop)\n'
        first = process.stdout.readline()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0 and quiet(err), err
    lifetime = api.get('campaign/1/quickstats').json()['quickstats']['lifetime']
    assert first.split()[1:3] == ['stats', 'stats:campaign:1']
    assert f'impressions={lifetime["impressions"]}' in first.split()


def test_watch_exits_0_on_ctrl_c(sandbox):
    process = watch(sandbox, 'advertiser:42')
    try:
        started(process)
        timer = threading.Timer(0.2, process.send_signal, (signal.SIGINT,))
        timer.start()
        began = time.monotonic()
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert (process.returncode, out, err) == (0, '', '')
    assert time.monotonic() - began < 10


def test_watch_exits_0_after_timeout_seconds_of_silence(sandbox):
    process = watch(sandbox, 'site:1', '--timeout', '0.3')
    try:
        started(process)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert (process.returncode, out, err) == (0, '', '')


@pytest.mark.parametrize('channel, message', [
    ('advertiser', 'malformed channel'),
    ('stats:site:1', 'site has no live stats'),
    ('nothing:1', "unknown resource 'nothing'"),
])
def test_watch_bad_channel_is_a_usage_error_before_any_connection(sandbox, channel, message):
    nowhere = 'http://127.0.0.1:9/v3'  # a login there would fail with exit status 1
    process = watch(sandbox, channel, ATOMX_API_ENDPOINT=nowhere)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 2, err
    assert out == '' and err.startswith('atomx watch: error: ') and message in err


def test_watch_refused_channel_exits_1_with_the_reason(sandbox):
    process = watch(sandbox, 'advertiser:999999')
    out, err = process.communicate(timeout=20)
    assert (process.returncode, out) == (1, '')
    assert 'advertiser 999999 not found' in err
