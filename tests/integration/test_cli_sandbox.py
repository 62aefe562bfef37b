"""``atomx sandbox`` as a new user meets it: a banner whose ``export`` line points the
``atomx`` command at it, and a taken port explained in our words."""
from __future__ import annotations

import json
import os
import pathlib
import shlex
import socket
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

ROOT = pathlib.Path(__file__).resolve().parents[2]


def environment(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith('ATOMX_')}
    env['PYTHONPATH'] = str(ROOT) + os.pathsep + os.environ.get('PYTHONPATH', '')
    return {**env, **extra}


def test_a_taken_port_is_explained_and_suggests_port_0():
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = subprocess.run([sys.executable, '-m', 'atomx', 'sandbox', '--port', str(port)],
                                 capture_output=True, text=True, env=environment(), timeout=60)
    assert process.returncode == 1
    assert process.stdout == ''
    assert process.stderr == (f'atomx sandbox: error: port {port} of 127.0.0.1 is taken by '
                              f'another program: stop that program, or start the sandbox on '
                              f'another port (--port 0 picks a free one)\n')


def test_the_banners_export_line_points_the_atomx_command_at_the_sandbox():
    process = subprocess.Popen([sys.executable, '-m', 'atomx', 'sandbox', '--port', '0'],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=environment())
    try:
        banner = []
        for line in process.stdout:  # the banner is flushed before serving
            banner.append(line)
            if line.strip().startswith('export '):
                break
        export = banner[-1].strip()
        assert export.startswith('export ATOMX_API_ENDPOINT=http://127.0.0.1:')
        variables = dict(item.split('=', 1) for item in shlex.split(export)[1:])
        assert variables['ATOMX_API_ENDPOINT'] in banner[0]  # the URL it runs at
        got = subprocess.run([sys.executable, '-m', 'atomx', 'get', 'advertiser', '42',
                              '--format', 'json'], capture_output=True, text=True,
                             env=environment(**variables), stdin=subprocess.DEVNULL, timeout=60)
        assert got.returncode == 0, got.stderr
        assert json.loads(got.stdout)['id'] == 42
    finally:
        process.terminate()
        process.communicate(timeout=15)


def test_sandbox_start_on_a_taken_port_raises_oserror_not_systemexit():
    import errno

    from atomx.sandbox import Sandbox

    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        with pytest.raises(OSError) as raised:
            Sandbox(port=taken.getsockname()[1]).start()
    assert raised.value.errno == errno.EADDRINUSE
