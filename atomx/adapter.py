"""The adapter the transport mounts on its session: requests' own, remembering per origin.

For every request, requests' ``HTTPAdapter`` parses the URL three times to
find the proxy, the connection pool and the form of the URL to send, and
looks at the CA bundle's path on disk: about a tenth of a small GET's client
CPU, for answers that only change with the request's origin (scheme, host and
port) and the session's ``verify``, ``cert`` and ``proxies``.  Then it reads
the answer's cookies into the response's jar through ``http.cookiejar``'s
policy machinery, another tenth, also for answers that set none.
:class:`EndpointAdapter` remembers the pool and the URL form per origin and
settings, and reads cookies only from an answer that sets some; everything
else, sending included, is requests' (so ``responses``, which replaces
``HTTPAdapter.send``, still answers every request).  It forgets
them when it is closed (``Session.close``), keeps no more pools than the pool
manager would (``pool_connections``), and asks again for a pool closed since.

:func:`keep_connections` lets its pools keep as many idle connections as the
bulk verbs run threads, so that a connection coming back is kept for the next
request rather than closed ("Connection pool is full, discarding connection").
"""
from __future__ import annotations

import threading
from typing import Any, Mapping, Optional

import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from .deadline import WatchedAdapter


def keep_connections(http: requests.Session, connections: int) -> None:
    """Let the session's own adapters keep ``connections`` idle connections per host.

    An adapter the user mounted is left as it is: its pool size is theirs to choose.

    :param http: the transport's requests session.
    :param connections: how many threads will send requests at once.
    """
    for adapter in http.adapters.values():
        if isinstance(adapter, EndpointAdapter):
            adapter.keep_connections(connections)


def _grow(pool: Any, connections: int) -> None:
    """Let an urllib3 pool keep ``connections`` connections (its queue's size, under its lock)."""
    idle = getattr(pool, 'pool', None)  # None once the pool is closed
    if idle is not None:
        with idle.mutex:
            idle.maxsize = max(idle.maxsize, connections)


def _origin(url: str) -> str:
    """``scheme://netloc`` of an absolute URL, as it is written."""
    start = url.find('//') + 2
    end = url.find('/', start)
    return url if end < 0 else url[:end]


class EndpointAdapter(WatchedAdapter):
    """requests' adapter (watched by the deadline's watchdog) that remembers, per
    origin and TLS and proxy settings, the connection pool and the URL form.

    Its parameters are those of :class:`requests.adapters.HTTPAdapter`.
    """

    _pool_maxsize: int  # requests': the connections each pool keeps

    def init_poolmanager(self, connections: int, *args: Any, **kwargs: Any) -> None:
        """Make the pool manager (see :class:`~atomx.deadline.WatchedAdapter`), with
        nothing remembered yet.

        :param connections: how many pools the pool manager keeps.
        :param args: as for :class:`requests.adapters.HTTPAdapter`.
        :param kwargs: as for :class:`requests.adapters.HTTPAdapter`.
        """
        super().init_poolmanager(connections, *args, **kwargs)
        self._pool_limit = connections
        self._resizing = threading.Lock()
        self._pools: dict[Any, Any] = {}
        self._url_forms: dict[Any, str] = {}

    def get_connection_with_tls_context(self, request: requests.PreparedRequest, verify: Any,
                                        proxies: Optional[Mapping[str, str]] = None,
                                        cert: Any = None) -> Any:
        """The connection pool for ``request``, as requests picks it (remembered).

        :param request: the request to send.
        :param verify: the session's ``verify``.
        :param proxies: the proxies of the request.
        :param cert: the client certificate.
        :returns: the urllib3 connection pool.
        """
        key = _settings_key(request.url, verify, proxies, cert)
        pool = self._pools.get(key) if key is not None else None
        if pool is None or pool.pool is None:  # unknown, or closed since
            pool = super().get_connection_with_tls_context(request, verify, proxies, cert)
            # made from settings requests copied before a keep_connections() of
            # another thread, which set _pool_maxsize before it looked at the pools
            _grow(pool, self._pool_maxsize)
            if key is not None:
                self._remember(self._pools, key, pool)
        return pool

    def build_response(self, req: requests.PreparedRequest, resp: Any) -> requests.Response:
        """The :class:`requests.Response` of a urllib3 response, made as requests makes it.

        An answer with a ``Set-Cookie`` (or ``Set-Cookie2``) header is left to
        requests entirely; one without gets the same response without the trip
        through the cookie jar, which would add nothing to it.

        :param req: the request that was sent.
        :param resp: urllib3's response.
        :returns: the response.
        """
        headers = getattr(resp, 'headers', None)
        if headers is None or 'set-cookie' in headers or 'set-cookie2' in headers:
            return super().build_response(req, resp)
        response = requests.Response()
        response.status_code = getattr(resp, 'status', None)  # type: ignore[assignment]
        response.headers = CaseInsensitiveDict(headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = resp
        response.reason = resp.reason
        url = req.url
        response.url = url.decode('utf-8') if isinstance(url, bytes) else url  # type: ignore
        response.request = req
        response.connection = self
        return response

    def keep_connections(self, connections: int) -> None:
        """Keep up to ``connections`` idle connections per host from now on (never fewer).

        The pools made so far grow in place, without closing any connection, and
        the pools made later start at that size.

        :param connections: how many connections threads may hold at once.
        """
        with self._resizing:
            if connections <= self._pool_maxsize:
                return
            self._pool_maxsize = connections
            for manager in (self.poolmanager, *self.proxy_manager.values()):
                manager.connection_pool_kw['maxsize'] = connections
                for key in manager.pools.keys():  # noqa: SIM118 (it cannot be iterated)
                    _grow(manager.pools.get(key), connections)

    def close(self) -> None:
        """Close the pools, as requests does, and forget them."""
        super().close()
        self._pools.clear()
        self._url_forms.clear()

    def _remember(self, entries: dict[Any, Any], key: Any, value: Any) -> None:
        """Keep ``value``; no more entries than the pool manager keeps pools."""
        if len(entries) >= self._pool_limit:
            entries.clear()
        entries[key] = value

    def request_url(self, request: requests.PreparedRequest,
                    proxies: Optional[Mapping[str, str]]) -> str:
        """The URL as it goes on the request line: the path and query, or the whole
        URL through an HTTP proxy (as requests decides, remembered).

        :param request: the request to send.
        :param proxies: the proxies of the request.
        :returns: the URL to send.
        """
        url = request.url or ''
        key = _settings_key(url, None, proxies, None) if '#' not in url else None
        form = self._url_forms.get(key) if key is not None else None
        if form == 'full':
            return url
        if form == 'path':
            return _path_form(url)
        sent = super().request_url(request, proxies)
        if key is not None:
            form = 'full' if sent == url else 'path' if sent == _path_form(url) else None
            if form is not None:
                self._remember(self._url_forms, key, form)
        return sent


def _path_form(url: str) -> str:
    """The path and query of an absolute URL without a fragment (``/`` for none)."""
    rest = url[len(_origin(url)):]
    return rest if rest.startswith('/') else f'/{rest}'


def _settings_key(url: Optional[str], verify: Any, proxies: Optional[Mapping[str, str]],
                  cert: Any) -> Any:
    """What requests' answer depends on, hashable; ``None`` when it cannot be."""
    if not url:
        return None
    key = (_origin(url), verify, cert, tuple(proxies.items()) if proxies else ())
    try:
        hash(key)
    except TypeError:  # a list as cert, say: not remembered
        return None
    return key


__all__ = ['EndpointAdapter']
