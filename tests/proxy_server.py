"""An HTTP proxy on 127.0.0.1 for plain-http endpoints, which wants credentials.

``with CredentialProxy('user', 'password') as proxy:`` forwards each request
whose ``Proxy-Authorization`` carries those credentials to the host its
absolute URL names (without the ``Proxy-*`` headers, as a proxy does), and
answers 407 to any other.  ``proxy.seen`` holds the requests as the proxy got
them (absolute URL, ``Proxy-Authorization``), ``proxy.url_for(user, password)``
is the proxy URL with credentials, as in ``HTTP_PROXY``.
"""
from __future__ import annotations

import base64
import http.client
from urllib.parse import urlsplit

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
