"""``atomx watch`` as a user runs it: ``python3 -m atomx watch`` in a subprocess."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sandbox_client import Client

from atomx.sandbox import Sandbox

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope='module')
def sandbox():
    with Sandbox(stats_interval=0.05) as running:
        yield running


@pytest.fixture(scope='module')
def api(sandbox):
    client = Client(sandbox.url)
    client.login(sandbox.email, sandbox.password)
    return client


def environment(sandbox, endpoint=None):
    env = {key: value for key, value in os.environ.items() if not key.startswith('ATOMX_')}
    env.update(PYTHONPATH=str(ROOT), ATOMX_EMAIL=sandbox.email,
               ATOMX_PASSWORD=sandbox.password, ATOMX_API_ENDPOINT=endpoint or sandbox.url)
    return env


def watch(sandbox, *args, endpoint=None):
    """``atomx watch ARGS`` started in the background."""
    return subprocess.Popen([sys.executable, '-m', 'atomx', 'watch', *args], cwd=ROOT,
                            env=environment(sandbox, endpoint), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def started(process):
    """Wait for the ``watching ...`` notice: the channels are confirmed."""
    line = process.stderr.readline()
    assert line.startswith('watching '), line + process.stderr.read()
    return line


def test_an_update_by_another_session_is_printed_as_a_json_line(sandbox, api):
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


def test_table_lines_show_kind_channel_and_values(sandbox, api):
    process = watch(sandbox, 'campaign:1', '--stats', '--timeout', '1')
    try:
        assert started(process) == 'watching campaign:1, stats:campaign:1 (Ctrl-C to stop)\n'
        first = process.stdout.readline()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0 and err == ''
    lifetime = api.get('campaign/1/quickstats').json()['quickstats']['lifetime']
    assert first.split()[1:3] == ['stats', 'stats:campaign:1']
    assert f'impressions={lifetime["impressions"]}' in first.split()


def test_ctrl_c_while_nothing_happens_exits_0(sandbox):
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


def test_silence_for_timeout_seconds_exits_0(sandbox):
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
def test_a_bad_channel_is_a_usage_error_before_any_connection(sandbox, channel, message):
    nowhere = 'http://127.0.0.1:9/v3'  # a login there would fail with exit status 1
    process = watch(sandbox, channel, endpoint=nowhere)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 2, err
    assert out == '' and err.startswith('atomx watch: error: ') and message in err


def test_a_refused_channel_exits_1_with_the_reason(sandbox):
    process = watch(sandbox, 'advertiser:999999')
    out, err = process.communicate(timeout=20)
    assert (process.returncode, out) == (1, '')
    assert 'advertiser 999999 not found' in err
