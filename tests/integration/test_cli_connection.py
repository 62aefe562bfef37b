"""The ``atomx`` command's ``--timeout`` and ``--retries`` (and ``ATOMX_TIMEOUT``,
``ATOMX_RETRIES``) against a real server on 127.0.0.1 that answers slowly, and the
stderr line that says what the command is waiting for."""
from __future__ import annotations

import time

import pytest

from atomx import cli, waiting
from tests.live_server import LiveServer, Reply, Seen, json_reply

pytestmark = pytest.mark.integration

USER = {'id': 1, 'email': 'user@example.com', 'networks': [1], 'advertisers': [],
        'publishers': []}


def login_then_slow(delay: float):
    """Logins answer at once; every other request after ``delay`` seconds."""
    def respond(request: Seen) -> Reply:
        if request.path.endswith('/login'):
            return json_reply({'success': True, 'auth_token': 't', 'user': USER})
        reply = json_reply({'success': True, 'resource': 'domain', 'domain': 'a.example'})
        reply.delay = delay
        return reply
    return respond


def run(server, capsys, *argv, **env):
    environ = {'ATOMX_EMAIL': 'user@example.com', 'ATOMX_PASSWORD': 'password',
               'ATOMX_API_ENDPOINT': server.url + '/v3', **env}
    started = time.monotonic()
    status = cli.main(list(argv), environ)
    out, err = capsys.readouterr()
    return status, out, err, time.monotonic() - started


def gets(server):
    return [seen for seen in server.seen if seen.method == 'GET']


def test_timeout_and_retries_flags_bound_a_server_that_does_not_answer(capsys):
    with LiveServer() as server:
        server.respond = login_then_slow(5)
        status, out, err, took = run(server, capsys, 'get', 'domain', '1', 'hostname',
                                     '--timeout', '0.3', '--retries', '1')
    assert (status, out) == (1, '')
    assert len(gets(server)) == 2  # one try and one retry
    assert took < 4  # not the 5 s the server takes, nor the default 120 s
    assert 'GET domain/1/hostname' in err and 'retry 1 of 1' in err  # the retry is told
    assert 'atomx get: error: ' in err


def test_the_environment_gives_timeout_and_retries_and_the_flags_win(capsys):
    with LiveServer() as server:
        server.respond = login_then_slow(5)
        status, _, _, took = run(server, capsys, 'get', 'domain', '1', 'hostname',
                                 ATOMX_TIMEOUT='0.3', ATOMX_RETRIES='0')
        assert (status, len(gets(server))) == (1, 1)
        status, _, _, took = run(server, capsys, 'get', 'domain', '1', 'hostname',
                                 '--retries', '2', ATOMX_TIMEOUT='0.3', ATOMX_RETRIES='0')
        assert (status, len(gets(server))) == (1, 1 + 3)
    assert took < 4


def test_a_slow_answer_is_told_on_stderr_with_what_is_awaited(capsys, monkeypatch):
    monkeypatch.setattr(waiting, 'SLOW_AFTER', 0.2)
    with LiveServer() as server:
        server.respond = login_then_slow(0.8)
        status, out, err, _ = run(server, capsys, 'get', 'domain', '1', 'hostname',
                                  '--timeout', '5,30')
    assert (status, out) == (0, 'a.example\n')
    lines = err.splitlines()
    assert (f'atomx: still waiting for an answer to GET {server.url}/v3/domain/1/hostname '
            f'(timeout: 5 s to connect, 30 s to read, 300 s in all) after 0.2 s') in lines
    # on a busy machine the login may be told too; nothing else is
    assert all(line.startswith('atomx: still waiting for an answer to ') for line in lines)


def test_a_quick_answer_says_nothing_on_stderr(capsys):
    with LiveServer() as server:
        server.respond = login_then_slow(0)
        status, out, err, _ = run(server, capsys, 'get', 'domain', '1', 'hostname')
    assert (status, out, err) == (0, 'a.example\n', '')


@pytest.mark.parametrize('argv, env, words', [
    (['--timeout', 'soon'], {}, "argument --timeout: 'soon' is not a timeout"),
    (['--retries', '-1'], {}, "argument --retries: '-1' is not a number of retries"),
    ([], {'ATOMX_TIMEOUT': '0'}, "environment variable ATOMX_TIMEOUT: '0' is not a timeout"),
    ([], {'ATOMX_RETRIES': 'many'}, 'environment variable ATOMX_RETRIES: '),
])
def test_bad_timeouts_and_retries_are_usage_errors_before_any_request(
        capsys, argv, env, words):
    with LiveServer() as server:
        try:
            status, out, err, _ = run(server, capsys, 'get', 'domains', *argv, **env)
        except SystemExit as exited:  # argparse's own usage error
            status, err = exited.code, capsys.readouterr().err
        assert server.seen == []
    assert status == 2 and words in err
