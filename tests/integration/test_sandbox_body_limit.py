"""The 16 MiB body limit over real sockets: refused unread, chunked bodies cut at the limit.

A body refused for its size must be answered without the server reading (or
keeping) it: a declared length is refused before any of it arrives, a chunked
body is read only up to the limit, and the server's memory stays flat.
"""
from __future__ import annotations

import contextlib
import json
import os
import pathlib
import socket
import subprocess
import sys
import threading
import time
from typing import Dict, Iterator, Tuple

import pytest
import requests

from atomx.sandbox.body import MAX_BODY

pytestmark = pytest.mark.integration

MiB = 1024 * 1024
LOGIN = {'email': 'demo@example.com', 'password': 'demo'}


def _answer(raw: socket.socket) -> Tuple[str, Dict[str, str], bytes]:
    """Read one whole answer (the server closes the connection after it)."""
    received = b''
    while True:
        try:
            part = raw.recv(65536)
        except ConnectionResetError:
            break
        if not part:
            break
        received += part
    head, _, body = received.partition(b'\r\n\r\n')
    status, *lines = head.decode('latin-1').split('\r\n')
    headers = dict(line.split(': ', 1) for line in lines)
    return status, headers, body


def _request_head(port: int, headers: str) -> bytes:
    return (f'POST /v3/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n'
            f'Content-Type: application/json\r\n{headers}\r\n').encode()


def test_a_declared_length_over_the_limit_is_refused_before_any_body_is_sent(sandbox):
    with socket.create_connection(('127.0.0.1', sandbox.port), timeout=5) as raw:
        started = time.monotonic()
        raw.sendall(_request_head(sandbox.port, f'Content-Length: {200 * MiB}\r\n'
                                                'Expect: 100-continue\r\n'))
        status, headers, body = _answer(raw)  # not one byte of the body was sent
    assert time.monotonic() - started < 3
    assert status == 'HTTP/1.1 413 REQUEST ENTITY TOO LARGE'  # no "100 Continue" first
    assert headers['Connection'] == 'close'
    assert json.loads(body) == {'success': False, 'error': (
        f'the request body of {200 * MiB} bytes is larger than the {MAX_BODY} bytes allowed')}


@pytest.mark.parametrize('length', [b'+5', b'0x10', b'\xb2', b'\xb9\xb2'])  # superscripts
def test_a_length_that_is_no_whole_number_is_a_json_400(sandbox, length):
    with socket.create_connection(('127.0.0.1', sandbox.port), timeout=5) as raw:
        raw.sendall(_request_head(sandbox.port, '')[:-2] + b'Content-Length: ' + length
                    + b'\r\n\r\n{}')
        status, headers, body = _answer(raw)
    assert status == 'HTTP/1.1 400 BAD REQUEST'
    assert json.loads(body) == {'success': False, 'error': (
        f'Content-Length must be a whole number of bytes, got {length.decode("latin-1")!r}')}


class _Spaces:
    """A file-like body of ``size`` spaces that counts how much of it was read."""

    def __init__(self, size: int, prefix: bytes = b'') -> None:
        self.size, self.taken, self._prefix = size, 0, prefix

    def __len__(self) -> int:
        return self.size - self.taken

    def read(self, amount: int = -1) -> bytes:
        amount = len(self) if amount < 0 else min(amount, len(self))
        start, self.taken = self.taken, self.taken + amount
        head = self._prefix[start:start + amount]
        return head + b' ' * (amount - len(head))

    def pieces(self) -> Iterator[bytes]:
        """The body as 1 MiB pieces (``requests`` sends an iterator chunked)."""
        while len(self):
            yield self.read(MiB)


def test_requests_sending_200_mib_gets_the_413_after_a_small_part(sandbox):
    body = _Spaces(200 * MiB)
    answer = requests.post(sandbox.url + '/login', data=body, timeout=10)
    assert answer.status_code == 413 and answer.json()['success'] is False
    assert answer.request.headers['Content-Length'] == str(200 * MiB)
    assert body.taken < 32 * MiB  # the client stopped long before the end (buffers aside)


def _send_chunks(raw: socket.socket, sent: list) -> None:
    """Send 1 MiB chunks until 200 MiB are sent or the server closes."""
    chunk = b'%x\r\n%s\r\n' % (MiB, b' ' * MiB)
    with contextlib.suppress(OSError):  # the server answered and closed
        while sent[0] < 200 * MiB:
            raw.sendall(chunk)
            sent[0] += MiB


def test_a_chunked_body_is_read_only_up_to_the_limit(sandbox):
    with socket.create_connection(('127.0.0.1', sandbox.port), timeout=10) as raw:
        raw.sendall(_request_head(sandbox.port, 'Transfer-Encoding: chunked\r\n'))
        sent = [0]
        sender = threading.Thread(target=_send_chunks, args=(raw, sent))
        sender.start()
        status, headers, body = _answer(raw)
        sender.join(timeout=10)
    assert status == 'HTTP/1.1 413 REQUEST ENTITY TOO LARGE'
    assert headers['Connection'] == 'close'
    assert json.loads(body)['error'] == (
        f'the chunked request body is larger than the {MAX_BODY} bytes allowed')
    # what got through is the limit plus the sockets' buffers, far from 200 MiB
    assert sent[0] < 64 * MiB


@pytest.mark.parametrize('chunked', [False, True], ids=['Content-Length', 'chunked'])
def test_a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_not(sandbox, chunked):
    login = json.dumps(LOGIN).encode()
    for size, status in ((MAX_BODY, 200), (MAX_BODY + 1, 413)):
        body = _Spaces(size, prefix=login)
        data = body.pieces() if chunked else body
        answer = requests.post(sandbox.url + '/login', data=data, timeout=30)
        assert answer.request.headers.get('Transfer-Encoding') == ('chunked' if chunked else None)
        assert answer.status_code == status, answer.text


def test_a_small_chunked_body_is_served_and_the_connection_kept(sandbox):
    login = json.dumps(LOGIN).encode()
    with socket.create_connection(('127.0.0.1', sandbox.port), timeout=10) as raw:
        pieces = [login[:10], login[10:]]
        framed = b''.join(b'%x;ext=1\r\n%s\r\n' % (len(piece), piece) for piece in pieces)
        raw.sendall(_request_head(sandbox.port, 'Transfer-Encoding: chunked\r\n')
                    + framed + b'0\r\nX-Trailer: 1\r\n\r\n')
        reader = raw.makefile('rb')
        assert reader.readline() == b'HTTP/1.1 200 OK\r\n'
        headers = {}
        while (line := reader.readline()) != b'\r\n':
            name, _, value = line.decode().partition(': ')
            headers[name] = value.strip()
        answer = json.loads(reader.read(int(headers['Content-Length'])))
        assert answer['user']['email'] == LOGIN['email'] and 'Connection' not in headers
        raw.sendall(b'GET /v3/countries?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n')  # same socket
        assert reader.readline() == b'HTTP/1.1 200 OK\r\n'


@pytest.mark.parametrize('headers, body, status, message', [
    ('Transfer-Encoding: chunked\r\n', b'zz\r\n{}\r\n0\r\n\r\n', 400, 'bad chunk size'),
    ('Transfer-Encoding: chunked\r\n', b'2\r\n{}XX0\r\n\r\n', 400, 'not followed by CRLF'),
    # a chunk-size line that never ends is not buffered whole: refused after a few KiB
    ('Transfer-Encoding: chunked\r\n', b'1' * MiB, 400, 'too long or cut off'),
    ('Transfer-Encoding: chunked\r\nContent-Length: 2\r\n', b'{}', 400,
     'both Content-Length and Transfer-Encoding'),
    ('Transfer-Encoding: gzip, chunked\r\n', b'', 501, "'gzip, chunked' is not supported"),
    ('Content-Length: two\r\n', b'{}', 400, "Content-Length must be a whole number"),
])
def test_broken_framing_is_refused_and_the_connection_closed(sandbox, headers, body, status,
                                                            message):
    with socket.create_connection(('127.0.0.1', sandbox.port), timeout=10) as raw:
        raw.sendall(_request_head(sandbox.port, headers))
        with contextlib.suppress(OSError):  # the server may have answered and closed already
            raw.sendall(body)
        line, answered, text = _answer(raw)
    assert line.split(' ')[1] == str(status)
    assert answered['Connection'] == 'close'
    assert message in json.loads(text)['error']


def _peak_rss_kib(pid: int) -> int:
    """The process's peak resident memory (``VmHWM``) in KiB."""
    for line in pathlib.Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmHWM:'):
            return int(line.split()[1])
    raise AssertionError('no VmHWM line')


@pytest.mark.skipif(not os.path.exists('/proc/self/status'),
                    reason='peak RSS is read from /proc (Linux)')
def test_the_server_memory_stays_flat_under_200_mib_bodies(tmp_path):
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    root = str(pathlib.Path(__file__).resolve().parents[2])
    env = {**os.environ, 'PYTHONPATH': root + os.pathsep + os.environ.get('PYTHONPATH', '')}
    process = subprocess.Popen([sys.executable, '-m', 'atomx.sandbox', '--port', str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f'http://127.0.0.1:{port}/v3'
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                assert requests.post(url + '/login', json=LOGIN, timeout=2).status_code == 200
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, 'the sandbox did not start'
                time.sleep(0.1)
        before = _peak_rss_kib(process.pid)
        for _ in range(3):
            answer = requests.post(url + '/login', data=_Spaces(200 * MiB), timeout=10)
            assert answer.status_code == 413
            chunks = iter(lambda: b' ' * MiB, None)  # endless, chunked
            answer = requests.post(url + '/login', data=chunks, timeout=10)
            assert answer.status_code == 413
        grown = _peak_rss_kib(process.pid) - before
    finally:
        process.kill()
        process.wait(timeout=10)
    # at most the limit once (a chunked body read up to it) and some buffers, never 200 MiB
    assert grown < 48 * 1024, f'peak RSS grew by {grown} KiB'
