"""Running the sandbox: a threaded werkzeug server in a background thread.

:class:`Sandbox` starts on a free port of 127.0.0.1 by default and stops on exit of
its ``with`` block.  The server speaks HTTP/1.1 with keep-alive: werkzeug's
handler closes every connection after one answer, so ours keeps it open when the
client asks for it (see :class:`KeepAliveHandler`).  A request whose body is
refused unread (over 16 MiB, see :mod:`.body`) is answered and its connection
closed, without reading the rest.
"""
from __future__ import annotations

import atexit
import contextlib
import io
import os
import socket
import threading
import time
from datetime import datetime
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Set

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from ..version import API_VERSION
from .app import create_app
from .body import UNREAD_BODY, BodyError, ChunkedInput, declared_length
from .context import Backend
from .live import LiveHub
from .seed import DEMO_EMAIL, DEMO_PASSWORD, build_state
from .store import Store

#: The port of the command line (that of the API documentation's curl example).
DEFAULT_PORT = 6543
#: Seconds an idle kept-alive connection stays open.
IDLE_TIMEOUT = 30
#: Seconds between the serving loop's checks for :meth:`Sandbox.stop`: a stop waits
#: up to this long, and tests start and stop many sandboxes.
POLL_INTERVAL = 0.01
#: After answering a request whose body is refused unread, the server reads (and
#: drops) at most this many more bytes for at most this many seconds before it
#: closes, so that a client still sending sees the answer rather than a reset.
LINGER_BYTES, LINGER_SECONDS = 256 * 1024, 0.5


def _always_readable() -> socket.socket:
    """A socket whose peer is closed: a selector sees it readable (EOF) at once."""
    mine, peer = socket.socketpair()
    peer.close()
    return mine


_EOF_SOCKET = _always_readable()
atexit.register(_EOF_SOCKET.close)
_HANDLER_KEY = 'atomx.sandbox.handler'


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` and listening.

    werkzeug, left to bind the port itself, prints its own message and exits
    the process when the port is taken; bound here, a taken port is an
    :class:`OSError` (``errno.EADDRINUSE``) that the caller can explain.

    :param host: the address to listen on.
    :param port: the port, 0 for a free one.
    :returns: the listening socket (werkzeug's server takes a copy of it).
    :raises OSError: the address cannot be bound (taken, not local, not allowed).
    """
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != 'nt':  # as http.server: a restart need not wait for TIME_WAIT
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(128)
    except BaseException:
        listening.close()
        raise
    return listening


class KeepAliveHandler(WSGIRequestHandler):
    """werkzeug's request handler with HTTP/1.1 keep-alive, quiet unless ``verbose``.

    werkzeug closes every connection after one answer and, after the answer, reads
    whatever the socket still holds, which with keep-alive would swallow the next
    request.  Once the application has given its whole answer (and read the whole
    request body), :meth:`answer_done` points that clean-up at an empty stream.
    """

    protocol_version = 'HTTP/1.1'
    timeout = IDLE_TIMEOUT
    verbose = False
    _in_application = False
    # requests too broken to reach the application (a bad request line) get JSON too
    error_content_type = 'application/json; charset=UTF-8'
    error_message_format = '{"success": false, "error": "%(code)d %(message)s"}'

    def setup(self) -> None:
        super().setup()
        # headers and body leave in separate writes: without this, Nagle's algorithm
        # and the client's delayed ACK add 40 ms to every answer on a kept connection
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.open_connections.add(self.connection)  # type: ignore[attr-defined]

    def finish(self) -> None:
        self.server.open_connections.discard(self.connection)  # type: ignore[attr-defined]
        super().finish()

    def make_environ(self) -> Dict[str, Any]:
        environ = super().make_environ()
        environ[_HANDLER_KEY] = self
        if environ.get('wsgi.input_terminated'):  # chunked: decoded with bounded lines
            environ['wsgi.input'] = ChunkedInput(self.rfile)
        return environ

    def handle_expect_100(self) -> bool:
        """No ``100 Continue`` for a body that will be refused: the client need not send it."""
        try:
            declared_length(self.headers.get('Content-Length'),
                            self.headers.get('Transfer-Encoding'))
        except BodyError:
            del self.headers['Expect']  # werkzeug would send its own "100 Continue"
            return True
        return super().handle_expect_100()

    def run_wsgi(self) -> None:
        connection, rfile = self.connection, self.rfile
        self._in_application = True
        try:
            super().run_wsgi()
        finally:
            self.connection, self.rfile = connection, rfile
            self._in_application = False

    def answer_done(self) -> None:
        """The request is consumed and answered: nothing is left to drain."""
        if not self.close_connection:
            self.connection, self.rfile = _EOF_SOCKET, io.BytesIO()

    def answered_unread(self) -> None:
        """The answer is sent and the body left unread: end the connection without reading it.

        The answer is followed by the end of the stream; a little more of the body is
        read (and dropped) for a moment, then the connection is closed.  werkzeug's
        own clean-up, which reads whatever comes for as long as it comes, is pointed
        at an empty stream.
        """
        connection = self.connection
        self.close_connection = True
        self.connection, self.rfile = _EOF_SOCKET, io.BytesIO()
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_WR)
            connection.settimeout(LINGER_SECONDS)
            deadline, dropped = time.monotonic() + LINGER_SECONDS, 0
            while dropped < LINGER_BYTES and time.monotonic() < deadline:
                received = connection.recv(64 * 1024)
                if not received:
                    break
                dropped += len(received)

    def send_header(self, keyword: str, value: str) -> None:
        """Drop werkzeug's ``Connection: close`` when the client keeps the connection.

        Only for the application's answers: an error about an unreadable request
        still closes the connection.
        """
        closing = keyword.lower() == 'connection' and value.lower() == 'close'
        if closing and self._in_application and not self.close_connection:
            return
        super().send_header(keyword, value)

    def log_request(self, code: Any = '-', size: Any = '-') -> None:
        if self.verbose:
            super().log_request(code, size)


class _TakenOver(ConnectionError):
    """A websocket took over the connection: werkzeug must write nothing more on it."""


def _with_websocket(app: Callable[..., Iterable[bytes]], hub: LiveHub) -> Callable[..., Any]:
    """Hand ``GET /v3/websocket`` to the hub, which may take over the connection's socket.

    When it does, the handler is told to close the connection afterwards, and
    :class:`_TakenOver` (a ``ConnectionError``, which werkzeug's handler takes as a
    connection the client dropped) keeps werkzeug from answering on it.
    """
    path = f'/{API_VERSION}/websocket'

    def wrapped(environ: Dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get('REQUEST_METHOD') != 'GET' or \
                environ.get('PATH_INFO', '').lower().rstrip('/') != path:
            return app(environ, start_response)
        refusal = hub.answer(environ, environ['werkzeug.socket'])
        if refusal is not None:
            return refusal(environ, start_response)
        handler = environ.get(_HANDLER_KEY)
        if handler is not None:
            handler.close_connection = True
        raise _TakenOver('the websocket connection ended')
    return wrapped


def _keep_alive(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterator[bytes]]:
    """Tell the handler when the application's answer is complete."""
    def wrapped(environ: Dict[str, Any], start_response: Callable) -> Iterator[bytes]:
        body = app(environ, start_response)
        handler = environ.get(_HANDLER_KEY)
        unread = bool(environ.get(UNREAD_BODY))
        if handler is not None and unread:
            handler.close_connection = True  # before the headers: they say Connection: close
        try:
            yield from body
        finally:
            close = getattr(body, 'close', None)
            if close is not None:
                close()
        if handler is not None:
            handler.answered_unread() if unread else handler.answer_done()
    return wrapped


class Sandbox:
    """A local Atomx API v3 server with the seeded demo data.

    As a context manager it serves in a background thread of this process from
    the start of the ``with`` block to its end::

        with Sandbox() as sandbox:
            atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url)

    or call :meth:`start` and :meth:`stop` yourself.  It is a threaded HTTP/1.1
    server with keep-alive; the state lives in memory unless ``data`` is given.

    :param host: the address to listen on (default ``127.0.0.1``).
    :param port: the port; ``0`` (default) takes a free one, see :attr:`port`.
    :param data: a file that keeps the state across restarts (an SQLite database,
        created with the demo data when missing; a JSON data file of an earlier
        version is migrated); ``None`` (default): in memory only.
    :param now: the clock of reports and of the records' timestamps, returning naive UTC
        datetimes (default ``datetime.utcnow``; tests pass a fixed one).
    :param verbose: log every request (default ``False``).
    :param on_mail: called with each mail the server would send (a dict with
        ``to``, ``subject`` and ``body``), besides keeping it in :attr:`outbox`.
    :param stats_interval: seconds between two ticks of each live ``stats:`` channel
        of the websocket (default 1.0; tests pass a small one).
    :raises TypeError: ``stats_interval`` is not a number.
    :raises ValueError: ``stats_interval`` is not above 0.
    """

    #: The demo user's email (network rights): ``demo@example.com``.
    email = DEMO_EMAIL
    #: The demo user's password: ``demo``.
    password = DEMO_PASSWORD

    def __init__(self, host: str = '127.0.0.1', port: int = 0, data: Optional[str] = None,
                 now: Optional[Callable[[], datetime]] = None, verbose: bool = False,
                 on_mail: Optional[Callable[[Dict[str, Any]], None]] = None,
                 stats_interval: float = 1.0) -> None:
        if isinstance(stats_interval, bool) or not isinstance(stats_interval, (int, float)):
            raise TypeError(f'stats_interval must be a number of seconds, not {stats_interval!r}')
        if not stats_interval > 0:
            raise ValueError(f'stats_interval must be a positive number of seconds, '
                             f'not {stats_interval!r}')
        self.host, self.data, self.verbose = host, data, verbose
        self.stats_interval = float(stats_interval)
        self._hub: Optional[LiveHub] = None
        #: The port it listens on: the one asked for, or the free one taken by :meth:`start`.
        self.port = port
        self._on_mail = on_mail
        self._now = now or datetime.utcnow
        self._server: Optional[BaseWSGIServer] = None
        self._thread: Optional[threading.Thread] = None
        #: The server's state and clock while it runs (``None`` before :meth:`start`).
        self.backend: Optional[Backend] = None

    @property
    def url(self) -> str:
        """The API endpoint, ``/v3`` included, e.g. ``http://127.0.0.1:6543/v3``.

        Pass it as ``api_endpoint`` to :class:`~atomx.Atomx`.  The port is the
        real one only once the sandbox has started.
        """
        return f'http://{self.host}:{self.port}/{API_VERSION}'

    @property
    def ws_url(self) -> str:
        """The websocket endpoint (a beta of the API), e.g. ``ws://127.0.0.1:6543/v3/websocket``.

        Clients add ``?auth_token=...``; :meth:`atomx.Atomx.subscribe` does.
        """
        return f'ws://{self.host}:{self.port}/{API_VERSION}/websocket'

    def drop_websockets(self) -> int:
        """Close every open websocket from the server side, as a network failure would.

        For tests of what a client does when its connection drops (reconnects).

        :returns: how many connections were closed.
        """
        return self._hub.drop() if self._hub else 0

    @property
    def outbox(self) -> List[Dict[str, Any]]:
        """The mails the server would have sent (password resets), newest last.

        Each is a dict with ``to``, ``subject`` and ``body``; empty before :meth:`start`.
        """
        return self.backend.outbox if self.backend else []

    def start(self) -> Sandbox:
        """Load or seed the state and serve in a background thread.

        :returns: ``self``, with :attr:`port` set to the port it listens on.
        :raises RuntimeError: the sandbox is already running.
        :raises OSError: the address or port cannot be bound, or the ``data`` file
            cannot be written or is open in another sandbox.
        :raises ValueError: the ``data`` file is not a sandbox data file.
        """
        if self._server is not None:
            raise RuntimeError('this sandbox is already running')
        store = Store.open(self.data, build_state, clock=self._now)
        self.backend = Backend(store, now=self._now, on_mail=self._on_mail)
        handler = type('Handler', (KeepAliveHandler,), {'verbose': self.verbose})
        hub = LiveHub(self.backend, self.stats_interval)
        app = _with_websocket(create_app(self.backend), hub)
        try:
            with contextlib.closing(listening_socket(self.host, self.port)) as listening:
                server = make_server(self.host, self.port, _keep_alive(app),
                                     threaded=True, request_handler=handler,
                                     fd=listening.fileno())
        except BaseException:
            hub.close()
            store.close()  # the data file is free for the next try
            raise
        self._hub = hub
        server.open_connections = set()  # type: ignore[attr-defined]
        self._server = server
        self.port = server.socket.getsockname()[1]
        self._thread = threading.Thread(target=server.serve_forever, name=f'sandbox:{self.port}',
                                        kwargs={'poll_interval': POLL_INTERVAL}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close kept-alive connections and free the port.

        Does nothing when the sandbox is not running.  With ``data``, the state
        is already in the file (every change is written before it is answered);
        the file is closed, so another sandbox may open it.
        """
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        if self._hub is not None:
            self._hub.close()
            self._hub = None
        connections: Set[socket.socket] = server.open_connections  # type: ignore[attr-defined]
        for connection in list(connections):
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.backend is not None:
            self.backend.store.close()

    def wait(self) -> None:
        """Block until the server stops.

        :raises KeyboardInterrupt: on Ctrl-C; the server keeps running until
            :meth:`stop`.
        """
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def __enter__(self) -> Sandbox:
        """:meth:`start` it: ``with Sandbox() as sandbox:``."""
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        """:meth:`stop` it at the end of the ``with`` block, even on an error."""
        self.stop()

    def __repr__(self) -> str:
        """``<Sandbox http://127.0.0.1:PORT/v3 running>`` (or ``stopped``)."""
        state = 'running' if self._server else 'stopped'
        return f'<Sandbox {self.url} {state}>'
