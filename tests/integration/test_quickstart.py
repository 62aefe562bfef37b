"""examples/quickstart.py runs end to end against its embedded sandbox, as a user runs it."""
from __future__ import annotations

import importlib.util
import os
import pathlib
import socket
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

ROOT = pathlib.Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / 'examples' / 'quickstart.py'
PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


def run_quickstart(cwd: pathlib.Path, **variables: str) -> subprocess.CompletedProcess:
    """Run the quickstart in ``cwd`` with no ATOMX_* variables but ``variables``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith('ATOMX_')}
    env.update(MPLBACKEND='Agg', **variables)
    env['PYTHONPATH'] = os.pathsep.join(filter(None, [str(ROOT), env.get('PYTHONPATH')]))
    return subprocess.run([sys.executable, str(QUICKSTART)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    """The quickstart's finished process, run in a fresh directory (the embedded sandbox)."""
    cwd = tmp_path_factory.mktemp('quickstart')
    return run_quickstart(cwd), cwd


def test_quickstart_exits_0_and_says_so(run):
    process, _ = run
    assert process.returncode == 0, process.stdout + process.stderr
    assert process.stdout.rstrip().endswith('quickstart finished: every step worked')
    assert 'using an embedded sandbox at http://127.0.0.1:' in process.stdout


@pytest.mark.parametrize('line', [
    'logged in as demo@example.com (user 1)',
    "get('advertiser/42')         -> Answer Media (id 42)",
    'get(Advertiser(42))          -> Answer Media (id 42)',
    'advertiser 42 has 5 profiles, newest first: [11, 15, 14, 13, 12]',
    '26 domains named *atom*',
    'profile 11 belongs to advertiser 42: Answer Media',
    "Creative 1: title 'Acme Shoes: offer 1' -> 'shiny new title' (saved, read back)",
    'Profile 11: click_frequency_cap_per 3600 -> 86400 (saved, read back)',
    'for advertiser 23',
    "campaigns: ['Atomx Labs Atomx launch', 'Atomx Labs campaign 2']",
    "columns ['impressions', 'clicks'], index hour",
    "resample('D') mean/median/std: 8 days, 6 columns, none empty",
    'report deleted from the report history',
])
def test_quickstart_prints_each_step(run, line):
    process, _ = run
    assert line in process.stdout, process.stdout


def test_quickstart_saves_the_plot_as_a_png(run):
    process, cwd = run
    plot = cwd / 'report.png'
    assert f'plot saved as {plot}' in process.stdout
    content = plot.read_bytes()
    assert content.startswith(PNG_SIGNATURE) and len(content) > 10_000


def quickstart_module():
    spec = importlib.util.spec_from_file_location('quickstart', QUICKSTART)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hourly_report_frame():
    import pandas

    hours = pandas.date_range('2026-11-20', periods=72, freq='h', name='hour')
    return pandas.DataFrame({'impressions': range(1000, 1072), 'clicks': range(72)},
                            index=hours)


def test_the_quickstart_statistics_are_per_day_and_none_is_all_nan():
    statistics = quickstart_module().daily_statistics(hourly_report_frame())
    assert statistics.shape == (3, 6)
    assert not statistics.isna().any().any()
    # per hour, each group is one row: the standard deviation would be all NaN
    assert hourly_report_frame().resample('h').apply(['std']).isna().all().all()


def test_the_quickstart_plot_labels_both_y_axes_and_the_x_axis():
    figure = quickstart_module().plot(hourly_report_frame(), 'title')
    left, right = figure.axes
    assert left.get_ylabel() == 'impressions per hour'
    assert right.get_ylabel() == 'clicks per hour'
    assert left.get_xlabel().startswith('hour')
    assert [line.get_label() for line in left.lines + right.lines] == ['impressions', 'clicks']


def test_quickstart_exits_1_when_the_api_refuses(tmp_path):
    with socket.socket() as probe:  # a port of 127.0.0.1 that nobody listens on
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    process = run_quickstart(tmp_path, ATOMX_EMAIL='nobody@example.com',
                             ATOMX_PASSWORD='not-the-password-7',
                             ATOMX_API_ENDPOINT=f'http://127.0.0.1:{port}/v3')
    assert process.returncode == 1
    assert 'quickstart FAILED: APIConnectionError' in process.stderr
    assert 'not-the-password-7' not in process.stdout + process.stderr  # the password never shows
    assert not (tmp_path / 'report.png').exists()
