"""The local API server of the benchmarks: prebuilt JSON bytes over HTTP/1.1.

:class:`BenchServer` runs a threaded ``http.server`` on 127.0.0.1 in a separate
process (so its CPU time is not the client's) with keep-alive and TCP_NODELAY.
It answers ``POST /v3/login`` and, for every other request, the bytes that its
route table holds for the request's path and query (or for its path alone);
the tables are built in the server process by the ``*_routes`` functions
below, from the records of ``benchmarks/models.py``.  A factory may return a
function instead, which answers ``(method, path, body)`` itself (the bulk
benchmarks' sites by id, PUTs), and ``delay`` adds a network's latency to every
answer by sleeping (no CPU spent).
"""
from __future__ import annotations

import json
import multiprocessing
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Tuple, Union

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the benchmarks and the local atomx

from models import site  # noqa: E402  (the models benchmark's record of a site)

TOKEN = 'benchmark-token'
EMAIL, PASSWORD = 'bench@example.com', 'bench'
USER = {'id': 1, 'email': EMAIL, 'name': 'benchmark', 'networks': [1], 'advertisers': [],
        'publishers': []}
Routes = Dict[str, bytes]
#: ``answer(method, path_and_query, body) -> bytes or None`` (``None``: 404).
Answerer = Callable[[str, str, bytes], Optional[bytes]]


def _json(value: Any) -> bytes:
    """``value`` as JSON bytes, as the API would send them."""
    return json.dumps(value).encode()


def single_site_routes() -> Routes:
    """``GET site/1``: one model."""
    return {'/v3/site/1': _json({'success': True, 'resource': 'site', 'site': site(1)})}


def site_list_routes(count: int = 1000) -> Routes:
    """``GET sites?limit=1000``: a list of ``count`` models."""
    return {'/v3/sites': _json({'success': True, 'resource': 'sites', 'limit': count,
                                'offset': 0, 'sort': 'id.asc', 'count': count,
                                'sites': [site(number) for number in range(1, count + 1)]})}


def page_path(offset: int, limit: int = 1000) -> str:
    """The path and query of one page, as ``Atomx.iter`` asks for it."""
    return f'/v3/sites?limit={limit}&offset={offset}&sort=id.asc'


def paging_routes(total: int, limit: int = 1000) -> Routes:
    """Every page of a collection of ``total`` sites."""
    routes = {}
    for offset in range(0, total, limit):
        items = [site(number) for number in range(offset + 1, min(offset + limit, total) + 1)]
        routes[page_path(offset, limit)] = _json({
            'success': True, 'resource': 'sites', 'sites': items, 'limit': limit,
            'offset': offset, 'sort': 'id.asc', 'count': total})
    return routes


def report_routes(rows: int) -> Routes:
    """``POST report``: the reports benchmark's answer of ``rows`` rows."""
    from report_dataframe import answer_text

    return {'/v3/report': answer_text(rows)}


def bulk_answer(method: str, path: str, body: bytes) -> Optional[bytes]:
    """Sites by id: ``GET sites?id=1,2,..``, ``GET site/N`` and ``PUT site/N`` (echoed)."""
    route, _, query = path.partition('?')
    if method == 'GET' and route == '/v3/sites':
        params = dict(part.split('=', 1) for part in query.split('&') if '=' in part)
        ids = [int(number) for number in params.get('id', '').split(',') if number]
        return _json({'success': True, 'resource': 'sites', 'limit': len(ids), 'offset': 0,
                      'sites': [site(number) for number in ids]})
    if route.startswith('/v3/site/'):
        number = int(route.rsplit('/', 1)[1])
        found = site(number)
        if method == 'PUT':
            found.update(json.loads(body))
        return _json({'success': True, 'resource': 'site', 'site': found})
    return None


def bulk_routes() -> Answerer:
    """The bulk benchmarks' server: :func:`bulk_answer`."""
    return bulk_answer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    routes: Routes = {}
    answer: Optional[Answerer] = None
    delay = 0.0

    def setup(self) -> None:
        super().setup()
        # headers and body leave in two writes: without this Nagle's algorithm and
        # delayed ACKs add 40 ms to every answer on a kept-alive connection
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _answer(self) -> None:
        length = int(self.headers.get('Content-Length') or 0)
        sent = self.rfile.read(length) if length else b''
        if self.delay:
            time.sleep(self.delay)  # a network's round trip: waiting, not CPU
        body = self.routes.get(self.path) or self.routes.get(self.path.split('?', 1)[0])
        if body is None and self.answer is not None:
            body = self.answer(self.command, self.path, sent)
        status = 200
        if body is None:
            status, body = 404, _json({'success': False, 'error': f'no route {self.path}'})
        self.send_response(status)
        self.send_header('Content-Type', 'application/json; charset=UTF-8')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args: Any) -> None:  # quiet
        pass


def _serve(factory: Callable[..., Union[Routes, Answerer]], args: tuple, ports: Any,
           delay: float = 0.0) -> None:
    made = factory(*args)
    routes = {'/v3/login': _json({'success': True, 'auth_token': TOKEN, 'user': USER})}
    answer = made if callable(made) else None
    if not callable(made):
        routes.update(made)
    handler = type('Handler', (_Handler,), {'routes': routes, 'answer': staticmethod(answer),
                                            'delay': delay})
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    ports.put(server.server_address[1])
    server.serve_forever()


def floor_client() -> Tuple[Any, Callable[[bytes], Any]]:
    """``(pool, loads)`` of the floor: urllib3's ``PoolManager`` and orjson's
    ``loads`` (the standard library's without orjson)."""
    import urllib3

    try:
        from orjson import loads
    except ImportError:  # pragma: no cover
        from json import loads
    return urllib3.PoolManager(), loads


def clients(url: str) -> Tuple[Any, Any, Dict[str, str]]:
    """``(atomx, http, auth)``: an SDK session logged in to ``url``, a plain
    ``requests.Session`` and the ``Authorization`` header that plain sends."""
    import requests

    from atomx import Atomx

    return (Atomx(EMAIL, PASSWORD, api_endpoint=url), requests.Session(),
            {'Authorization': f'Bearer {TOKEN}'})


class BenchServer:
    """``with BenchServer(paging_routes, 100_000) as server: server.url``.

    ``delay=0.02`` makes every answer 20 ms late, as over a real network.
    """

    def __init__(self, factory: Callable[..., Union[Routes, Answerer]], *args: Any,
                 delay: float = 0.0) -> None:
        self.factory, self.args, self.delay = factory, args, delay
        self.port: Optional[int] = None
        self._process: Any = None

    @property
    def url(self) -> str:
        """The API endpoint of the running server, ``http://127.0.0.1:PORT/v3``."""
        return f'http://127.0.0.1:{self.port}/v3'

    def __enter__(self) -> BenchServer:
        context = multiprocessing.get_context('spawn')
        ports = context.Queue()
        self._process = context.Process(target=_serve,
                                        args=(self.factory, self.args, ports, self.delay),
                                        daemon=True)
        self._process.start()
        self.port = ports.get(timeout=300)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._process.terminate()
        self._process.join()
