"""A raw-socket server on 127.0.0.1 that misbehaves on purpose: resets, drips, redirects.

Each accepted connection is handed to ``behave(connection, request)``, where
``request`` is the raw bytes of the first request (head and body, read by
``Content-Length``).  The server records every request it read, so a test can
assert what reached it (a password that must not, a path that must stay
inside the prefix).
"""
from __future__ import annotations

import socket
import struct
import threading
import time
from typing import Callable, List


def read_request(connection: socket.socket) -> bytes:
    """Read one HTTP request (head, then ``Content-Length`` bytes of body)."""
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b'\r\n\r\n')
    length = 0
    for line in head.split(b'\r\n')[1:]:
        name, _, value = line.partition(b':')
        if name.strip().lower() == b'content-length':
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b'\r\n\r\n' + body


def answer(status: int, body: bytes = b'', **headers: str) -> bytes:
    """An HTTP/1.1 answer; ``headers`` use ``_`` for ``-``."""
    lines = [f'HTTP/1.1 {status} X', f'Content-Length: {len(body)}',
             *(f'{name.replace("_", "-")}: {value}' for name, value in headers.items())]
    return ('\r\n'.join(lines) + '\r\n\r\n').encode() + body


def reset(connection: socket.socket, request: bytes = b'') -> None:
    """Close with RST rather than FIN (SO_LINGER 0)."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    connection.close()


def drip(connection: socket.socket, request: bytes = b'', every: float = 0.25,
         total: int = 400) -> None:
    """Send a 200 answer whose body comes one byte every ``every`` seconds."""
    try:
        connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n'
                           b'Content-Length: %d\r\n\r\n' % total)
        for _ in range(total):
            connection.sendall(b' ')
            time.sleep(every)
    except OSError:
        return  # the client cut the connection: what the test wants


class FaultServer:
    """``with FaultServer(behave) as server:``; ``server.url``, ``server.requests``."""

    def __init__(self, behave: Callable[[socket.socket, bytes], None]) -> None:
        self.behave = behave
        self.requests: List[bytes] = []
        self._socket = socket.create_server(('127.0.0.1', 0))
        self._socket.settimeout(0.05)
        self.port = self._socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            while not self._stop.is_set():
                request = read_request(connection)
                if not request:
                    return
                self.requests.append(request)
                try:
                    self.behave(connection, request)
                except OSError:
                    return
                if connection.fileno() == -1:
                    return

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()
