"""What went wrong when no answer came, in plain words rather than urllib3's.

requests reports a refused connection as ``HTTPConnectionPool(host=..., port=1):
Max retries exceeded ... NewConnectionError(...)``.  :func:`describe` says which
host, and whether nothing listens there, its name does not resolve (or not in
time), the TLS check failed, it was too slow or it closed the connection.  :func:`nothing_sent`
tells the failures after which even a POST may be sent again, because it never
left.  When the proxy failed (nothing listens there, it reset the connection,
it refused a ``CONNECT`` tunnel with a 407), the message names the proxy by its
host and port, never with the password its URL may hold
(:func:`without_url_passwords`).
"""
from __future__ import annotations

import errno
import re
import socket
import ssl
from typing import Any, Callable, Iterator, Optional
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from .lookup import LookupTimeout
from .timeouts import Timeout


def chain(error: BaseException) -> Iterator[Any]:
    """The error, its causes and contexts, and the errors urllib3 wraps in them.

    :param error: the error to start from.
    :returns: an iterator over every error reachable that way, each once.
    """
    seen: set[int] = set()
    todo: list[Any] = [error]
    while todo:
        current = todo.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend((current.__cause__, current.__context__, getattr(current, 'reason', None),
                     *current.args))


def _find(error: BaseException, kind: Any) -> Optional[Any]:
    return next((found for found in chain(error) if isinstance(found, kind)), None)


def origin(url: str) -> tuple[str, Optional[str], int]:
    """``(scheme, host, port)`` of a URL, the port made explicit.

    :param url: an absolute http(s) URL.
    :returns: the origin, as compared for redirects.
    :raises ValueError: the URL cannot be read (``http://[::1/x``).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, parts.hostname, parts.port or (443 if scheme == 'https' else 80)


def host_of(url: str) -> str:
    """``host:port`` of a URL, the port made explicit (see :func:`origin`).

    :param url: an http(s) URL.
    :returns: the host and port, or the URL itself when it cannot be read.
    """
    try:
        _, host, port = origin(url)
    except ValueError:
        return url
    return f'{host}:{port}'


#: ``scheme://user:password@``: a URL's credentials, as in a proxy URL.
_URL_PASSWORD = re.compile(r'(?P<user>\b[A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*):[^/\s]*@')


def without_url_passwords(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``.

    :param text: a message that may hold a URL with credentials, such as the
        ``Failed to parse: http://user:password@...`` of a proxy URL that cannot be read.
    :returns: the text, ``http://user:***@host`` where it said ``http://user:password@host``.
    """
    return _URL_PASSWORD.sub(r'\g<user>:***@', text)


def _as_is(text: str) -> str:
    return text


def url_shower(url: str) -> Callable[[str], str]:
    """How to show the URLs below ``url`` (in log lines, reprs and messages), decided once.

    :param url: a URL that may hold a password (``http://user:password@host/v3``).
    :returns: :func:`without_url_passwords` when ``url`` holds a password, else a
        function that returns its text as it is (nothing to search on the hot path).
    """
    return without_url_passwords if without_url_passwords(url) != url else _as_is


def _failed_proxy(error: BaseException) -> Optional[str]:
    """``'the proxy host:port'`` when urllib3 says the proxy failed, else ``None``."""
    if _find(error, urllib3.exceptions.ProxyError) is None:
        return None
    for found in chain(error):
        proxy: Any = getattr(getattr(found, 'pool', None), 'proxy', None)  # a urllib3 Url
        if getattr(proxy, 'host', None):
            port = proxy.port or (443 if proxy.scheme == 'https' else 80)
            return f'the proxy {proxy.host}:{port}'
    return 'the proxy'


def tunnel_refusal(error: BaseException) -> Optional[str]:
    """The proxy's answer to a ``CONNECT`` it refused, such as ``'407 Proxy
    Authentication Required'``, or ``None``.

    :param error: the error requests raised.
    :returns: the status and reason the proxy answered, as http.client reports them.
    """
    prefix = 'Tunnel connection failed: '
    for found in chain(error):
        text = found.args[0] if isinstance(found, OSError) and found.args else None
        if isinstance(text, str) and text.startswith(prefix):
            return text[len(prefix):]
    return None


def nothing_sent(error: BaseException) -> bool:
    """Whether the request failed before any of it was sent: no connection was made.

    :param error: the error requests raised.
    :returns: ``True`` for a connect timeout, a refused connection and a name that
        does not resolve.
    """
    return (isinstance(error, requests.ConnectTimeout)
            or _find(error, urllib3.exceptions.NewConnectionError) is not None)


def lookup_timed_out(error: BaseException) -> bool:
    """Whether the request failed because a name lookup did not answer in time.

    :param error: the error requests raised.
    :returns: ``True`` when a :class:`~atomx.lookup.LookupTimeout` is in its chain.
    """
    return _find(error, LookupTimeout) is not None


#: Failures without a (complete) answer after which a request may be sent again.
RETRYABLE_ERRORS = (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError)


def retryable(error: BaseException) -> bool:
    """Whether another attempt may help: not after a failed TLS check or a bad header.

    :param error: the error requests raised.
    :returns: ``True`` for the :data:`RETRYABLE_ERRORS` (timeouts, refused, reset
        or closed connections) but a failed TLS check and a ``CONNECT`` tunnel the
        proxy refused with a 4xx (a 407 will not change with the same credentials).
    """
    refusal = tunnel_refusal(error)
    return (isinstance(error, RETRYABLE_ERRORS)
            and not isinstance(error, requests.exceptions.SSLError)
            and not (refusal is not None and refusal.startswith('4')))


def describe(error: BaseException, host: str, timeout: Timeout) -> str:
    """What happened, in a few plain words, naming the host.

    :param error: the error requests raised (or urllib3, or the socket).
    :param host: ``host:port`` the request went to.
    :param timeout: the limits in force, for the timeouts' messages.
    :returns: a phrase such as ``'nothing listens at 127.0.0.1:1 (connection
        refused)'``; when the proxy failed, it names the proxy by host and port.
    """
    proxy = _failed_proxy(error)
    if proxy is None:
        return _what_happened(error, host, timeout)
    refusal = tunnel_refusal(error)
    if refusal is not None:
        return f'{proxy} refused the tunnel to {host} ({refusal})'
    return f'{_what_happened(error, proxy, timeout)}, on the way to {host}'


def _what_happened(error: BaseException, host: str, timeout: Timeout) -> str:
    """:func:`describe` for a failure at ``host`` (the API's, or ``'the proxy ...'``)."""
    slow = _find(error, LookupTimeout)
    if slow is not None:
        seconds = round(slow.seconds, 2)
        return f'the name of {host} was not resolved within {seconds:g} s (DNS timed out)'
    if _find(error, socket.gaierror) is not None:
        return f'the name of {host} does not resolve (DNS)'
    if _find(error, ConnectionRefusedError) is not None:
        return f'nothing listens at {host} (connection refused)'
    tls = _find(error, ssl.SSLError)
    if isinstance(error, requests.exceptions.SSLError) or tls is not None:
        reason = getattr(tls, 'verify_message', None) or getattr(tls, 'reason', None) or tls
        return f'the TLS check of {host} failed ({reason})'
    if isinstance(error, requests.ConnectTimeout):
        return f'{host} did not accept a connection within {timeout.connect:g} s'
    if isinstance(error, requests.ReadTimeout):
        return f'{host} sent nothing for {timeout.read:g} s (read timeout)'
    refused = _find(error, urllib3.exceptions.NewConnectionError)
    if refused is not None:
        os_error = _find(refused, OSError)
        reason = (os_error.strerror or errno.errorcode.get(os_error.errno or 0)
                  if isinstance(os_error, OSError) else None)
        return f'cannot connect to {host} ({reason or "connection failed"})'
    if isinstance(error, (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        return f'{host} closed or reset the connection before the answer was complete'
    return without_url_passwords(f'the request to {host} failed ({type(error).__name__}: {error})')


__all__ = ['RETRYABLE_ERRORS', 'chain', 'describe', 'host_of', 'lookup_timed_out', 'nothing_sent',
           'origin', 'retryable', 'tunnel_refusal', 'url_shower',
           'without_url_passwords']
