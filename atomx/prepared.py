"""The transport's requests, prepared without requests' per-call merging.

``requests.Session.request`` prepares every request from scratch: it merges
the session's headers, cookies, auth, params and hooks into it, checks every
header, parses and re-quotes the URL, and merges the environment's settings:
about a third of a small GET's client CPU, for requests that differ only in
method, URL, token and body.  :class:`RequestPreparer` has requests prepare one
template per method and token (:meth:`requests.PreparedRequest.prepare` with
the session's merged headers and hooks, as ``Session.prepare_request`` passes
them), and each call copies its template and sets the URL, the cookies and the
body.  :meth:`RequestPreparer.send` sends the result as ``Session.send``
would for such a session, without its per-call work for what the session
does not have (hooks, a cookie from an answer that sets none, a redirect of
an answer that is none): the mounted adapter (or a ``responses`` mock) sends
it; cookies, redirects (through the session's ``resolve_redirects``),
proxies and certificates work as requests makes them work.

A template holds the session's headers of the time it was made, and is made
again when they change (the session's headers are a :class:`WatchedHeaders`,
which counts its changes).  :meth:`RequestPreparer.usable` is false, and the
transport lets ``Session.request`` prepare every call as before, while the
session has what a template does not hold: ``trust_env`` on (the environment
is read per request), an ``auth``, ``params``, response hooks, or headers
that are not a :class:`WatchedHeaders` (replaced by the user).
"""
from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any, Mapping, Optional

import requests
from requests.cookies import RequestsCookieJar, extract_cookies_to_jar, merge_cookies
from requests.sessions import REDIRECT_STATI, merge_hooks, merge_setting
from requests.structures import CaseInsensitiveDict

from .adapter import new_cookie_jar

#: A URL tail that requests' preparation would leave exactly as it is: only
#: characters that urllib3 and ``requote_uri`` keep.  A tail with anything else
#: (a percent escape, a space, a fragment) is prepared by requests itself.
_CANONICAL_TAIL = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@/?-]*")
#: Templates kept per preparer; more (new tokens, changed headers) and they are made again.
_MAX_TEMPLATES = 16


class WatchedHeaders(CaseInsensitiveDict):
    """requests' case-insensitive headers that count their changes in :attr:`version`,
    so that a template made from them is known to be out of date."""

    version = 0

    def __setitem__(self, key: str, value: Any) -> None:
        self.version += 1
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.version += 1
        super().__delitem__(key)


class CopiedHeaders(CaseInsensitiveDict):
    """requests' case-insensitive headers, copied in one step: a template's headers
    are copied for every request."""

    def copy(self) -> CopiedHeaders:
        """A copy, of the same class.

        :returns: new headers with the same names and values.
        """
        copied = CaseInsensitiveDict.__new__(CopiedHeaders)
        vars(copied).update(vars(self))
        # requests' store: the name in lower case -> (the name as set, the value)
        copied._store = self._store.copy()  # type: ignore[attr-defined]
        return copied


def _copy(template: requests.PreparedRequest) -> requests.PreparedRequest:
    """A template's copy for one request, as ``PreparedRequest.copy`` makes it, but
    with an empty cookie jar of its own rather than a copy of the template's (empty) one."""
    request = requests.PreparedRequest()
    request.method = template.method
    request.url = template.url
    request.headers = template.headers.copy() if template.headers is not None else None
    request.body = template.body
    request.hooks = template.hooks
    return request


class RequestPreparer:
    """Prepares the requests of one :class:`requests.Session` to one endpoint.

    :param http: the session; its headers become a :class:`WatchedHeaders`.
    :param endpoint: the endpoint's URL, without a trailing slash.
    """

    def __init__(self, http: requests.Session, endpoint: str) -> None:
        self.http = http
        if not isinstance(http.headers, WatchedHeaders):
            http.headers = WatchedHeaders(http.headers)
        self._base = f'{endpoint}/'
        self._templates: dict[tuple[str, Optional[str], int], requests.PreparedRequest] = {}
        self._prefix = ''  # the base as requests prepares it (IDNA, quoting)

    def usable(self) -> bool:
        """Whether the session is one that templates can serve (see the module).

        :returns: ``False`` when ``Session.request`` has to prepare each call.
        """
        http = self.http
        return (not http.trust_env and http.auth is None and not http.params
                and type(http.headers) is WatchedHeaders and not any(http.hooks.values()))

    def prepare(self, method: str, url: str, params: Optional[str], body: Any,
                token: Optional[str]) -> requests.PreparedRequest:
        """The request of one call, as ``Session.prepare_request`` would prepare it.

        :param method: the HTTP method, upper case.
        :param url: the endpoint's URL, ``/`` and the path (already checked).
        :param params: the encoded query string, or ``None``.
        :param body: the JSON body, or ``None``.
        :param token: the bearer token, or ``None`` for no ``Authorization``.
        :returns: a new :class:`requests.PreparedRequest`.
        :raises requests.exceptions.InvalidJSONError: ``body`` cannot be sent as JSON.
        """
        request = _copy(self._template(method, token))
        base = self._base
        tail = url[len(base):] + (f'?{params}' if params else '')
        if url.startswith(base) and _CANONICAL_TAIL.fullmatch(tail) is not None:
            request.url = self._prefix + tail
        else:
            request.prepare_url(url, params)
        jar = self.http.cookies
        if len(jar):  # cookies the server set: sent where they belong, as requests does
            request.prepare_cookies(merge_cookies(RequestsCookieJar(), jar))
        else:
            # where prepare_cookies puts a jar; a redirect copies it and fills the copy
            request._cookies = new_cookie_jar()  # type: ignore[attr-defined]
        if body is not None:
            request.prepare_body(None, None, body)
        return request

    def settings(self) -> Mapping[str, Any]:
        """The session's settings for ``Session.send``, as ``Session.request`` merges
        them with ``trust_env`` off (proxies set to ``None`` are left out).

        :returns: ``verify``, ``cert`` and ``proxies``.
        """
        http = self.http
        return {'verify': http.verify, 'cert': http.cert,
                'proxies': {scheme: url for scheme, url in http.proxies.items()
                            if url is not None}}

    def send(self, request: requests.PreparedRequest,
             timeout: tuple[float, float]) -> requests.Response:
        """Send a request of :meth:`prepare`, as ``Session.send`` would with ``stream=True``.

        The session's mounted adapter sends it; the cookies an answer sets go to
        the session's jar, and a redirect is followed by the session's
        ``resolve_redirects`` (its checks included), as ``Session.send`` does.
        Only for a session that :meth:`usable` accepts (no response hooks).

        :param request: the request.
        :param timeout: the ``(connect, read)`` timeout of each request sent.
        :returns: the response, its body not read yet.
        :raises requests.RequestException: as ``Session.send`` raises it.
        """
        http = self.http
        settings = self.settings()
        adapter = http.get_adapter(url=request.url or '')
        started = time.perf_counter()
        response = adapter.send(request, stream=True, timeout=timeout, **settings)
        response.elapsed = timedelta(seconds=time.perf_counter() - started)
        for earlier in response.history:  # an adapter that followed redirects itself
            extract_cookies_to_jar(http.cookies, earlier.request, earlier.raw)
        headers = response.headers
        if 'set-cookie' in headers or 'set-cookie2' in headers:
            extract_cookies_to_jar(http.cookies, request, response.raw)
        if response.status_code in REDIRECT_STATI and response.is_redirect:  # status first: cheaper
            history = list(http.resolve_redirects(response, request, stream=True,
                                                  timeout=timeout, **settings))
            if history:
                history.insert(0, response)
                response = history.pop()
                response.history = history
        return response

    def _template(self, method: str, token: Optional[str]) -> requests.PreparedRequest:
        """The template of one method, token and version of the session's headers."""
        headers = self.http.headers
        assert isinstance(headers, WatchedHeaders)  # usable() said so
        key = (method, token, headers.version)
        template = self._templates.get(key)
        if template is None:
            template = requests.PreparedRequest()
            own = {'Authorization': f'Bearer {token}'} if token else None
            template.prepare(method=method, url=self._base, cookies=RequestsCookieJar(),
                             headers=merge_setting(own, headers, dict_class=CaseInsensitiveDict),
                             hooks=merge_hooks({}, self.http.hooks))
            assert template.url is not None and template.headers is not None
            template.headers = CopiedHeaders(template.headers)
            self._prefix = template.url
            if len(self._templates) >= _MAX_TEMPLATES:  # old tokens and headers
                self._templates = {}
            self._templates[key] = template
        return template


__all__ = ['RequestPreparer', 'WatchedHeaders']
