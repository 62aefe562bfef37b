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
else is requests'.  It forgets them when it is closed (``Session.close``),
keeps no more pools than the pool manager would (``pool_connections``), and
asks again for a pool closed since.

Its :meth:`~EndpointAdapter.send` is ``HTTPAdapter.send`` without what it
does for nothing on every request: it hands urllib3 the headers as a plain dict (a
:class:`~requests.structures.CaseInsensitiveDict` costs a lookup per header in
urllib3) and skips the hooks it leaves empty.  The pool, the URL form, the
certificate check and the response are still the adapter's hooks, and an error
of urllib3 is raised through ``HTTPAdapter.send`` itself (:class:`_Failed`), so
that it becomes the requests exception requests makes of it.  While anything
has replaced ``HTTPAdapter.send`` (``responses`` does so to mock requests), or
for a timeout that is not a ``(connect, read)`` pair, every request goes
through ``HTTPAdapter.send``, so a mock answers every request.

:func:`keep_connections` lets its pools keep as many idle connections as the
bulk verbs run threads, so that a connection coming back is kept for the next
request rather than closed ("Connection pool is full, discarding connection").
Its pool managers find a pool by everything but its size, so that a pool grown
so is the one found again for its host, rather than a second one made beside it.
"""
from __future__ import annotations

import functools
import threading
from datetime import timedelta
from http.cookiejar import DefaultCookiePolicy
from typing import Any, Mapping, Optional

import requests
import requests.adapters
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from urllib3.poolmanager import PoolKey
from urllib3.util.timeout import Timeout

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


def _key_without_size(make_key: Any, request_context: dict[str, Any]) -> Any:
    """The pool key ``make_key`` makes of ``request_context``, without the pool's size."""
    return make_key(request_context)._replace(key_maxsize=None)


def _find_pools_by_all_but_size(manager: Any) -> None:
    """Let urllib3's ``manager`` find a pool whatever size it had when it was made.

    urllib3 keys its pools by their settings, the size included: once
    :meth:`EndpointAdapter.keep_connections` has changed the size new pools get,
    a lookup would no longer find the pool made (and grown) before, and would
    make a second one for the same host.  The key functions are the manager's
    own (``key_fn_by_scheme``), wrapped; a pool manager the user made is not touched.
    """
    if 'key_maxsize' not in PoolKey._fields:  # a urllib3 that does not key by size
        return
    manager.key_fn_by_scheme = {
        scheme: functools.partial(_key_without_size, make_key)
        for scheme, make_key in manager.key_fn_by_scheme.items()}


def _is_requests_own(send: Any) -> bool:
    """Whether ``send`` is requests' ``HTTPAdapter.send`` (not a mock put in its place)."""
    return (getattr(send, '__module__', None) == 'requests.adapters'
            and getattr(send, '__qualname__', None) == 'HTTPAdapter.send')


#: requests' own ``HTTPAdapter.send``; ``None`` when something had replaced it when
#: this module was imported (then every request goes through whatever is there).
_REQUESTS_SEND = (requests.adapters.HTTPAdapter.send
                  if _is_requests_own(requests.adapters.HTTPAdapter.send) else None)


class _Failed:
    """A stand-in for a connection pool whose ``urlopen`` raises what urllib3 raised,
    so that ``HTTPAdapter.send`` turns it into the exception requests makes of it."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def urlopen(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error


#: The :class:`_Failed` of the calling thread's request, while its error is raised again.
_failing = threading.local()


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
        """Make the pool manager (see :class:`~atomx.deadline.WatchedAdapter`), finding
        pools whatever their size, with nothing remembered yet.

        :param connections: how many pools the pool manager keeps.
        :param args: as for :class:`requests.adapters.HTTPAdapter`.
        :param kwargs: as for :class:`requests.adapters.HTTPAdapter`.
        """
        super().init_poolmanager(connections, *args, **kwargs)
        self._pool_limit = connections
        self._resizing = threading.Lock()
        self._pools: dict[Any, Any] = {}
        self._url_forms: dict[Any, str] = {}
        self._timeouts: dict[tuple[Any, Any], Timeout] = {}

    def _set_up_manager(self, manager: Any) -> None:
        """Set a pool manager up as the watchdog's adapter does, and let it find its
        pools whatever their size (the main one and every proxy's)."""
        super()._set_up_manager(manager)
        _find_pools_by_all_but_size(manager)

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
        failed: Optional[_Failed] = getattr(_failing, 'pool', None)
        if failed is not None:  # raising a urllib3 error again (see send)
            return failed
        return self._connection(request, verify, proxies, cert,
                                _settings_key(request.url, verify, proxies, cert))

    def _connection(self, request: requests.PreparedRequest, verify: Any,
                    proxies: Optional[Mapping[str, str]], cert: Any, key: Any) -> Any:
        """The pool of :meth:`get_connection_with_tls_context`, its settings key known."""
        pool = self._pools.get(key) if key is not None else None
        if pool is None or pool.pool is None:  # unknown, or closed since
            pool = super().get_connection_with_tls_context(request, verify, proxies, cert)
            # made from settings requests copied before a keep_connections() of
            # another thread, which set _pool_maxsize before it looked at the pools
            _grow(pool, self._pool_maxsize)
            if key is not None:
                self._remember(self._pools, key, pool)
        return pool

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None,
             proxies: Optional[Mapping[str, str]] = None) -> requests.Response:
        """Send a request as ``HTTPAdapter.send`` sends it, for less (see the module).

        :param request: the prepared request.
        :param stream: as for ``HTTPAdapter.send`` (the body is never preloaded).
        :param timeout: ``(connect, read)`` seconds, or what ``HTTPAdapter.send`` takes.
        :param verify: the session's ``verify``.
        :param cert: the client certificate.
        :param proxies: the proxies of the request.
        :returns: the response, its body not read yet.
        :raises requests.RequestException: as ``HTTPAdapter.send`` raises it.
        """
        if (_REQUESTS_SEND is None or requests.adapters.HTTPAdapter.send is not _REQUESTS_SEND
                or type(timeout) is not tuple or len(timeout) != 2):
            return self._send_by_requests(request, stream, timeout, verify, cert, proxies)
        try:
            key = _settings_key(request.url, verify, proxies, cert)  # once for both lookups
            conn = self._connection(request, verify, proxies, cert, key)
            self.cert_verify(conn, request.url, verify, cert)
            url = self._request_url(request, proxies, key)
        except Exception:  # raised again by requests, as requests raises it
            return self._send_by_requests(request, stream, timeout, verify, cert, proxies)
        headers = request.headers
        try:
            response = conn.urlopen(
                method=request.method, url=url, body=request.body,
                headers=_plain_headers(headers), redirect=False, assert_same_host=False,
                preload_content=False, decode_content=False, retries=self.max_retries,
                timeout=self._timeout(timeout),
                chunked=not (request.body is None or 'Content-Length' in headers))
        except Exception as error:
            _failing.pool = _Failed(error)
            try:
                return self._send_by_requests(request, stream, timeout, verify, cert, proxies)
            finally:
                _failing.pool = None
        return self.build_response(request, response)

    def _timeout(self, timeout: tuple[Any, Any]) -> Timeout:
        """urllib3's timeout of a ``(connect, read)`` pair, as requests makes it (remembered:
        urllib3 copies it for each request)."""
        made = self._timeouts.get(timeout)
        if made is None:
            made = Timeout(connect=timeout[0], read=timeout[1])
            self._remember(self._timeouts, timeout, made)
        return made

    def _send_by_requests(self, request: requests.PreparedRequest, stream: bool, timeout: Any,
                          verify: Any, cert: Any,
                          proxies: Optional[Mapping[str, str]]) -> requests.Response:
        """``HTTPAdapter.send`` (or what replaced it, such as a ``responses`` mock),
        called as ``Session.send`` calls it."""
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert,
                            proxies=proxies)

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
        response = _new_response(_response_headers(headers))
        response.status_code = getattr(resp, 'status', None)  # type: ignore[assignment]
        response.encoding = _encoding(response.headers)
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
            # the pools remembered here; any other is grown when it is next looked up
            # (_connection).  Not through the manager: its keys() is a set, and each
            # get() marks a pool as used, so that a random one would be dropped next
            for pool in list(self._pools.values()):
                _grow(pool, connections)

    def close(self) -> None:
        """Close the pools, as requests does, and forget them."""
        super().close()
        self._pools.clear()
        self._url_forms.clear()
        self._timeouts.clear()

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
        return self._request_url(request, proxies, _settings_key(request.url, None, proxies, None))

    def _request_url(self, request: requests.PreparedRequest,
                     proxies: Optional[Mapping[str, str]], key: Any) -> str:
        """The URL of :meth:`request_url`, its settings key known (the form depends on the
        origin and the proxies only, so the key may hold ``verify`` and ``cert`` too)."""
        url = request.url or ''
        if '#' in url:
            key = None
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


#: The attributes of a new :class:`requests.Response` that each response gets new.
_MADE_NEW = frozenset({'headers', 'history', 'cookies'})


def _blank_attributes() -> Optional[dict[str, Any]]:
    """The other attributes, as ``requests.Response()`` sets them, to be copied into
    new responses; ``None`` when one is not immutable (then requests makes each one)."""
    blank = {name: value for name, value in vars(requests.Response()).items()
             if name not in _MADE_NEW}
    if all(value is None or isinstance(value, (bool, int, float, str, timedelta))
           for value in blank.values()):
        return blank
    return None


_BLANK = _blank_attributes()


def _new_response(headers: CaseInsensitiveDict) -> requests.Response:
    """A new :class:`requests.Response` with ``headers``, as ``requests.Response()``
    makes it, for less: the immutable attributes are copied from one made once."""
    if _BLANK is None:
        response = requests.Response()
    else:
        response = requests.Response.__new__(requests.Response)
        vars(response).update(_BLANK)
        response.history = []
        response.cookies = new_cookie_jar()
    response.headers = headers
    return response


#: The policy of the cookie jars made here: requests' copies of a jar share theirs too.
_COOKIE_POLICY = DefaultCookiePolicy()


def new_cookie_jar() -> RequestsCookieJar:
    """An empty cookie jar, as requests makes one, with the default policy (shared,
    rather than made again for every request and response).

    :returns: the jar.
    """
    return RequestsCookieJar(_COOKIE_POLICY)


#: The encodings of the ``Content-Type`` values seen (a handful: the API's own).
_ENCODINGS: dict[Optional[str], Optional[str]] = {}


def _encoding(headers: CaseInsensitiveDict) -> Optional[str]:
    """The encoding requests reads from the ``Content-Type`` of ``headers`` (remembered)."""
    content_type = headers.get('content-type')
    try:
        return _ENCODINGS[content_type]
    except KeyError:
        encoding = get_encoding_from_headers(headers)
        if len(_ENCODINGS) >= 64:
            _ENCODINGS.clear()
        _ENCODINGS[content_type] = encoding
        return encoding


def _response_headers(headers: Any) -> CaseInsensitiveDict:
    """``CaseInsensitiveDict(headers)`` of urllib3's headers, as requests makes it (each
    name once, as first written, its values joined by ``', '``), made from their
    store in one step: urllib3's ``HTTPHeaderDict`` keeps, per lower-case name, a
    list of the name as first written and its values."""
    container = getattr(headers, '_container', None)
    if type(container) is not dict:  # not the store of the urllib3 we know
        return CaseInsensitiveDict(headers)
    made: CaseInsensitiveDict = CaseInsensitiveDict()
    made._store = {lower: (kept[0], ', '.join(kept[1:]))  # type: ignore[attr-defined]
                   for lower, kept in container.items()}
    return made


def _plain_headers(headers: Any) -> Any:
    """requests' case-insensitive headers as a plain dict of the same names and values."""
    if isinstance(headers, CaseInsensitiveDict):  # its store: lower-case name -> (name, value)
        return dict(headers._store.values())  # type: ignore[attr-defined]
    return headers


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


__all__ = ['EndpointAdapter', 'new_cookie_jar']
