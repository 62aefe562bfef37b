"""The server itself: attributes, HTTP/1.1 keep-alive, JSON 500s, the command line."""
from __future__ import annotations

import http.client
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

import atomx.sandbox
from atomx.sandbox import Sandbox, app

pytestmark = pytest.mark.integration

LOGIN = json.dumps({'email': 'demo@example.com', 'password': 'demo'})


def test_sandbox_attributes_and_start_stop_without_with():
    sandbox = Sandbox()
    assert (sandbox.email, sandbox.password) == ('demo@example.com', 'demo')
    sandbox.start()
    try:
        assert sandbox.url == f'http://127.0.0.1:{sandbox.port}/v3' and sandbox.port > 0
        answer = requests.post(sandbox.url + '/login', data=LOGIN, timeout=10)
        assert answer.status_code == 200
        assert 'running' in repr(sandbox)
    finally:
        sandbox.stop()
    with pytest.raises(requests.ConnectionError):
        requests.post(sandbox.url + '/login', data=LOGIN, timeout=2)


def test_the_package_names_what_users_need_and_every_demo_user_logs_in(sandbox):
    assert sorted(atomx.sandbox.__all__) == [
        'DEFAULT_PORT', 'DEMO_EMAIL', 'DEMO_PASSWORD', 'Sandbox', 'TOTP_SECRET', 'USERS',
        'totp_code']
    assert atomx.sandbox.DEFAULT_PORT == 6543  # the port of the documentation's curl example
    assert (sandbox.email, sandbox.password) == (atomx.sandbox.DEMO_EMAIL,
                                                 atomx.sandbox.DEMO_PASSWORD)
    for rid, email, password, name, networks, advertisers, publishers, secret in \
            atomx.sandbox.USERS:
        answer = requests.post(sandbox.url + '/login', timeout=10,
                               json={'email': email, 'password': password})
        assert answer.status_code == 200, (email, answer.text)
        body = answer.json()
        if secret is not None:
            assert secret == atomx.sandbox.TOTP_SECRET and body['totp_required'] is True
            body = requests.post(sandbox.url + '/totp', timeout=10,
                                 json={'totp': atomx.sandbox.totp_code(secret)},
                                 headers={'Authorization': 'Bearer ' + body['auth_token']}).json()
        user = body['user']
        assert (user['id'], user['name'], user['networks'], user['advertisers'],
                user['publishers']) == (rid, name, networks, advertisers, publishers)


def test_two_sandboxes_get_their_own_ports_and_data():
    with Sandbox() as one, Sandbox() as two:
        assert one.port != two.port
        token = requests.post(one.url + '/login', data=LOGIN, timeout=10).json()['auth_token']
        headers = {'Authorization': 'Bearer ' + token}
        requests.put(one.url + '/site/1', json={'name': 'only in one'}, headers=headers,
                     timeout=10)
        token2 = requests.post(two.url + '/login', data=LOGIN, timeout=10).json()['auth_token']
        site = requests.get(two.url + '/site/1', timeout=10,
                            headers={'Authorization': 'Bearer ' + token2}).json()['site']
        assert site['name'] == 'Daily Planet'
        assert requests.get(two.url + '/sites', headers=headers, timeout=10).status_code == 401


def test_http11_keep_alive_serves_several_requests_on_one_connection(sandbox):
    connection = http.client.HTTPConnection('127.0.0.1', sandbox.port, timeout=10)
    connection.request('POST', '/v3/login', body=LOGIN,
                       headers={'Content-Type': 'application/json'})
    first = connection.getresponse()
    token = json.loads(first.read())['auth_token']
    assert first.version == 11 and first.getheader('Connection') is None
    sock = connection.sock
    # an early error with an unread body must not break the next request
    connection.request('POST', '/v3/spaceship', body=json.dumps({'x': 'y' * 5000}),
                       headers={'Authorization': 'Bearer ' + token})
    second = connection.getresponse()
    assert second.status == 404 and json.loads(second.read())['success'] is False
    connection.request('GET', '/v3/sites?limit=1', headers={'Authorization': 'Bearer ' + token})
    third = connection.getresponse()
    assert third.status == 200 and json.loads(third.read())['count'] > 1
    assert connection.sock is sock  # all three on the same socket
    connection.close()


def test_connection_close_is_honoured(sandbox):
    connection = http.client.HTTPConnection('127.0.0.1', sandbox.port, timeout=10)
    connection.request('GET', '/v3/countries', headers={'Connection': 'close'})
    answer = connection.getresponse()
    assert answer.getheader('Connection') == 'close'
    answer.read()
    connection.close()


def test_unexpected_errors_answer_json_500(sandbox, monkeypatch, error_of):
    def broken(call):
        raise RuntimeError('secret internals')

    monkeypatch.setitem(app.HANDLERS['search'], 'GET', broken)
    answer = requests.get(sandbox.url + '/search', params={'q': 'x'}, timeout=10)
    message = error_of(answer, 500)
    assert 'secret internals' not in message and 'Traceback' not in answer.text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def _wait_for_login(url: str, deadline: float) -> requests.Response:
    while True:
        try:
            return requests.post(url + '/login', data=LOGIN, timeout=2)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.parametrize('stop', [signal.SIGINT, signal.SIGTERM], ids=['Ctrl-C', 'SIGTERM'])
@pytest.mark.parametrize('command', [
    ['-m', 'atomx.sandbox'],
    ['-c', 'import sys; from atomx.cli import main; sys.exit(main(["sandbox"] + sys.argv[1:]))'],
], ids=['python -m atomx.sandbox', 'atomx sandbox'])
def test_command_line_serves_until_terminated(command, stop, tmp_path):
    port = _free_port()
    root = str(pathlib.Path(__file__).resolve().parents[2])
    env = {**os.environ, 'PYTHONPATH': root + os.pathsep + os.environ.get('PYTHONPATH', '')}
    process = subprocess.Popen(
        [sys.executable, *command, '--port', str(port), '--data', str(tmp_path / 'state.db')],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        answer = _wait_for_login(f'http://127.0.0.1:{port}/v3', time.monotonic() + 20)
        assert answer.status_code == 200 and answer.json()['user']['id'] == 1
    finally:
        process.send_signal(stop)
        output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert f'http://127.0.0.1:{port}/v3' in output
    assert 'demo@example.com / demo' in output and 'totp@example.com / totp' in output
    assert output.rstrip().endswith('stopping the sandbox') and 'Traceback' not in output
    assert (tmp_path / 'state.db').exists()


def test_head_is_answered_like_get_without_a_body(sandbox):
    answer = requests.head(sandbox.url + '/countries', timeout=10)
    assert answer.status_code == 200 and answer.text == ''
    assert int(answer.headers['Content-Length']) > 100


def test_a_request_too_broken_for_the_application_gets_json(sandbox):
    with socket.create_connection(('127.0.0.1', sandbox.port), timeout=10) as raw:
        headers = b''.join(b'X-Header-%d: 1\r\n' % number for number in range(150))
        raw.sendall(b'GET /v3/countries HTTP/1.1\r\n' + headers + b'\r\n')
        answer = b''
        while chunk := raw.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b'\r\n\r\n')
    assert head.startswith(b'HTTP/1.1 431')
    assert b'Content-Type: application/json' in head
    assert json.loads(body) == {'success': False, 'error': '431 Too many headers'}


@pytest.mark.skipif(not hasattr(signal, 'pthread_sigmask'), reason='no signal masks here')
def test_a_sigterm_while_the_banner_is_printed_stops_cleanly_after_it():
    # the SIGTERM comes after the server answers and before the handler is in place
    script = (
        'import os, signal, sys\n'
        'import atomx.sandbox.__main__ as cli\n'
        'def banner_line(*args, **kwargs):\n'
        '    if args and str(args[0]).startswith("Demo users"):\n'
        '        os.kill(os.getpid(), signal.SIGTERM)\n'
        '    print(*args, **kwargs)\n'
        'cli.print = banner_line\n'
        'sys.exit(cli.run("127.0.0.1", 0, None))\n')
    root = str(pathlib.Path(__file__).resolve().parents[2])
    env = {**os.environ, 'PYTHONPATH': root + os.pathsep + os.environ.get('PYTHONPATH', '')}
    done = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                          env=env, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'demo@example.com / demo' in done.stdout and 'export ATOMX_API_ENDPOINT' in done.stdout
    assert done.stdout.rstrip().endswith('stopping the sandbox')
