"""A scripted HTTP/1.1 server on 127.0.0.1 for the transport's integration tests.

``responses`` replaces the connection layer, so it cannot show keep-alive,
timeouts or real redirects; this server can.  A test gives it a ``respond``
function (or a list of replies), and reads back the requests it saw and the
number of TCP connections it accepted.
"""
from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    """What the server answers: status, headers, body, after ``delay`` seconds."""

    status: int = 200
    body: bytes = b''
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def json_reply(payload: Any, status: int = 200, **headers: str) -> Reply:
    """A JSON reply; ``headers`` use ``_`` for ``-`` (``Retry_After='1'``)."""
    named = {name.replace('_', '-'): value for name, value in headers.items()}
    named['Content-Type'] = 'application/json'
    return Reply(status, json.dumps(payload).encode(), named)


class LiveServer:
    """Run ``with LiveServer() as server:``; ``server.url`` is its base URL."""

    def __init__(self, host: str = '127.0.0.1') -> None:
        self.host = host
        self.seen: list[Seen] = []
        self.connections = 0
        self.replies: deque[Reply] = deque()
        self.respond: Optional[Callable[[Seen], Reply]] = None
        self._lock = threading.Lock()
        self._server = _Server((host, 0), _Handler)
        self._server.live = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)

    @property
    def url(self) -> str:
        return f'http://{self.host}:{self._server.server_address[1]}'

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with ``replies`` in order."""
        self.replies.extend(replies)

    def answer(self, request: Seen) -> Reply:
        with self._lock:
            self.seen.append(request)
            if self.replies:
                return self.replies.popleft()
        if self.respond is not None:
            return self.respond(request)
        return json_reply({'success': False, 'error': 'no reply scripted'}, 500)

    def connected(self) -> None:
        with self._lock:
            self.connections += 1

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    live: LiveServer

    def process_request(self, request: Any, client_address: Any) -> None:
        self.live.connected()
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) is expected: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server: _Server

    def _handle(self) -> None:
        length = int(self.headers.get('Content-Length') or 0)
        seen = Seen(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
        reply = self.server.live.answer(seen)
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""
