"""Take the secrets out of what an exception keeps.

An :class:`~atomx.exceptions.APIError` keeps its ``response``, and an error
without an answer chains requests' error as ``__cause__``; both keep the
:class:`requests.PreparedRequest` that was sent, with its ``Authorization``
header (the token) and its body (a login's password and TOTP, a password
change's old and new passwords).  Error reports (tracebacks with locals, error
trackers, a pickled or logged ``vars(error)``) show such objects, so before an
error leaves the transport every request reachable from it loses its
credentials headers and its body: the request of its response, of each
response of the redirect history, and those of every error in its
``__cause__``/``__context__`` chain (and the errors urllib3 wraps in them).
Each is replaced by a copy without them, so that nobody else holding the
request sees it change.  The method, the URL (its password, if it has one, as
``***``, in the response's ``url`` too) and the other headers stay, for debugging.

A proxy's credentials (``HTTPS_PROXY=http://user:password@proxy:3128``, or the
proxies of the session's ``requests.Session``) are not in the request but in
the connection machinery: the adapter keeps its proxy managers by the proxy's
URL, with the ``Proxy-Authorization`` they send, and urllib3's pools and
connections keep them too (the ``CONNECT`` tunnel's headers among them).  So
each response an error keeps lets go of its connection once its body is read:
its ``raw`` (urllib3's response) and its ``connection`` (the adapter) become
``None``, while its status, headers, body (``content``, ``text``, ``json()``),
URL and history stay.  The errors of the chain let go of the pools,
connections, adapters and sockets they hold (urllib3's ``MaxRetryError.pool``,
``NewConnectionError.conn``), and a URL's password in their messages and
texts becomes ``***``.  A successful answer is never touched: all this
happens only to an error about to be raised.
"""
from __future__ import annotations

import contextlib
import http.client
import socket
from typing import Any

import requests
import urllib3

from .failures import chain, without_url_passwords

#: Headers that carry credentials.
SECRET_HEADERS = ('Authorization', 'Proxy-Authorization', 'Cookie')


def _without_secrets(request: Any) -> Any:
    """A copy of a :class:`requests.PreparedRequest` without credentials and body."""
    if not isinstance(request, requests.PreparedRequest):
        return request
    url = request.url if request.url is None else without_url_passwords(request.url)
    if (request.body is None and url == request.url
            and not any(name in request.headers for name in SECRET_HEADERS)):
        return request  # nothing to hide (or already a copy without it)
    copy = request.copy()
    copy.body = None
    copy.url = url
    for name in SECRET_HEADERS:
        copy.headers.pop(name, None)
    return copy


#: What leads from an error to the connections, and so to a proxy's credentials:
#: urllib3's pools, pool managers, connections and responses, requests' adapters, sockets.
CONNECTION_TYPES = (urllib3.connectionpool.ConnectionPool, urllib3.PoolManager,
                    http.client.HTTPConnection, http.client.HTTPResponse,
                    urllib3.response.BaseHTTPResponse, requests.adapters.BaseAdapter,
                    socket.socket)


def _let_go_of_connection(response: Any) -> None:
    """Drop a response's ``raw`` and ``connection``, its connection given back first.

    A body not read by then (the transport always reads it before an error is
    made) is not read any more: the connection is closed and the body left empty.
    """
    if response._content is False:  # requests' mark for "not read yet"
        response._content = b''
    if response.raw is not None:
        # requests' close: a connection whose body was read goes back to its pool,
        # another is closed; a broken one is just dropped
        with contextlib.suppress(OSError, http.client.HTTPException,
                                 urllib3.exceptions.HTTPError):
            response.close()
    response.raw = None
    response.connection = None


def forget_response_secrets(response: Any) -> None:
    """Remove credentials headers and bodies from the requests of a response and of
    its redirect history, and let go of their connections (see the module).

    :param response: a :class:`requests.Response` (anything else is left alone).
    """
    if not isinstance(response, requests.Response):
        return
    for hop in (*response.history, response):
        hop.request = _without_secrets(hop.request)
        if isinstance(hop.url, str):
            hop.url = without_url_passwords(hop.url)
        _let_go_of_connection(hop)


def _forget_error_secrets(error: BaseException) -> None:
    """Drop what ``error`` holds of the connections; ``***`` for the passwords of URLs
    in its message and texts."""
    args = tuple(without_url_passwords(arg) if isinstance(arg, str) else arg
                 for arg in error.args)
    if args != error.args:
        error.args = args
    for name, value in list(vars(error).items()):
        if isinstance(value, requests.Response):
            forget_response_secrets(value)
        elif isinstance(value, CONNECTION_TYPES):
            setattr(error, name, None)
        elif isinstance(value, str) and without_url_passwords(value) != value:
            setattr(error, name, without_url_passwords(value))


def forget_secrets(error: BaseException) -> None:
    """Replace every request ``error`` reaches with a copy without credentials and body,
    and cut it off from the connections (and so from a proxy's credentials).

    :param error: the exception about to be raised; it and the errors and
        responses of its chain are changed in place.
    """
    for found in chain(error):
        forget_response_secrets(getattr(found, 'response', None))
        request = getattr(found, 'request', None)
        if isinstance(request, requests.PreparedRequest):
            found.request = _without_secrets(request)
        _forget_error_secrets(found)


__all__ = ['CONNECTION_TYPES', 'SECRET_HEADERS', 'forget_response_secrets', 'forget_secrets']
