"""An HTTP proxy on 127.0.0.1 for plain-http endpoints, which wants credentials.

``with CredentialProxy('user', 'password') as proxy:`` forwards each request
whose ``Proxy-Authorization`` carries those credentials to the host its
absolute URL names (without the ``Proxy-*`` headers, as a proxy does), and
answers 407 to any other.  ``proxy.seen`` holds the requests as the proxy got
them (absolute URL, ``Proxy-Authorization``), ``proxy.url_for(user, password)``
is the proxy URL with credentials, as in ``HTTP_PROXY``.  :func:`tunnel` makes a
``FaultServer`` a proxy for https endpoints: it opens the ``CONNECT`` tunnel that
carries the right credentials.
"""
from __future__ import annotations

import base64
import http.client
import select
import socket
from typing import Callable
from urllib.parse import urlsplit

from tests.fault_server import answer
from tests.live_server import LiveServer, Reply, Seen

#: Headers a proxy keeps to itself or that the reply sets again.
_HOP_BY_HOP = ('connection', 'keep-alive', 'content-length', 'transfer-encoding', 'date',
               'server')


def basic(user: str, password: str) -> str:
    """The ``Basic`` credentials of ``user:password``, as a ``Proxy-Authorization`` carries them."""
    return 'Basic ' + base64.b64encode(f'{user}:{password}'.encode()).decode()


class CredentialProxy(LiveServer):
    """A forwarding HTTP proxy that answers 407 without the right credentials."""

    def __init__(self, user: str, password: str) -> None:
        super().__init__()
        self.expected = basic(user, password)
        self.respond = self.forward

    def url_for(self, user: str, password: str) -> str:
        """The proxy's URL with ``user:password`` in it."""
        return f'http://{user}:{password}@127.0.0.1:{self._server.server_address[1]}'

    def forward(self, seen: Seen) -> Reply:
        """Send ``seen`` on to its absolute URL and answer what came back."""
        if seen.headers.get('Proxy-Authorization') != self.expected:
            return Reply(407, b'proxy credentials needed',
                         {'Proxy-Authenticate': 'Basic realm="test proxy"'})
        target = urlsplit(seen.path)
        if target.scheme != 'http' or not target.hostname:
            return Reply(400, b'an absolute http:// URL was expected')
        headers = {name: value for name, value in seen.headers.items()
                   if not name.lower().startswith('proxy-') and name.lower() not in _HOP_BY_HOP}
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=5)
        try:
            path = target.path + (f'?{target.query}' if target.query else '')
            upstream.request(seen.method, path, body=seen.body or None, headers=headers)
            answer = upstream.getresponse()
            body = answer.read()
        finally:
            upstream.close()
        return Reply(answer.status, body, {name: value for name, value in answer.getheaders()
                                           if name.lower() not in _HOP_BY_HOP})


def tunnel(expected: str) -> Callable[[socket.socket, bytes], None]:
    """A ``FaultServer`` behaviour: open the ``CONNECT`` tunnel whose
    ``Proxy-Authorization`` is ``expected`` and carry the bytes both ways until one
    side closes; answer 407 to any other request."""
    def behave(connection: socket.socket, request: bytes) -> None:
        head = request.partition(b'\r\n\r\n')[0].decode('latin-1').split('\r\n')
        method, target = head[0].split(' ')[:2]
        headers = {name.strip().lower(): value.strip()
                   for name, _, value in (line.partition(':') for line in head[1:])}
        if method != 'CONNECT' or headers.get('proxy-authorization') != expected:
            connection.sendall(answer(407, b'', Proxy_Authenticate='Basic realm="test proxy"'))
            return
        host, _, port = target.rpartition(':')
        with socket.create_connection((host, int(port)), timeout=5) as upstream:
            connection.sendall(b'HTTP/1.1 200 Connection established\r\n\r\n')
            ends = {connection: upstream, upstream: connection}
            while True:
                readable, _, _ = select.select(list(ends), [], [], 5)
                chunks = [(ends[end], end.recv(65536)) for end in readable]
                if not readable or any(not chunk for _, chunk in chunks):
                    break
                for other, chunk in chunks:
                    other.sendall(chunk)
        connection.close()
    return behave
