"""HTTP for the atomx session: one connection pool, timeouts, retries, errors.

:class:`Transport` turns ``(method, path, query, JSON body)`` into the decoded
JSON envelope of the answer, or raises an :mod:`atomx.exceptions` error.  It
owns one :class:`requests.Session` (keep-alive and connection pooling), puts a
default timeout on every request, retries idempotent requests (GET, PUT,
DELETE) on connection failures and on :data:`RETRYABLE_STATUS_CODES` with
capped exponential backoff and jitter, and logs in again once when a token
expires (HTTP 401).

The retry loop is ours rather than urllib3's ``Retry``: ``Retry`` can neither
raise instead of sleeping when ``Retry-After`` asks for too long a wait, nor
log in again between two attempts, and both are needed here.

Log lines go to ``logging.getLogger('atomx')``: method, URL, status and
elapsed time at DEBUG, retries and re-logins at INFO.  Bodies and headers are
never logged, so no password, TOTP or token can appear there.
"""
from __future__ import annotations

import contextlib
import email.utils
import gc
import json
import logging
import random
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Mapping, NamedTuple, Optional, Tuple, Union

import requests

from .checks import check_count
from .exceptions import APIConnectionError, APIError
from .ratelimit import RateLimiter
from .version import VERSION

logger = logging.getLogger('atomx')

#: HTTP statuses after which an idempotent request is sent again.
RETRYABLE_STATUS_CODES: frozenset[int] = frozenset({429, 502, 503, 504})

#: Failures without a (complete) answer after which an idempotent request is sent again.
RETRYABLE_ERRORS = (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError)

#: Methods that may be sent twice without doing twice what they do.
IDEMPOTENT_METHODS: frozenset[str] = frozenset({'GET', 'PUT', 'DELETE'})

#: ``(connect, read)`` seconds; reports can take a while to compute.
DEFAULT_TIMEOUT: Tuple[float, float] = (10.0, 120.0)
#: How often an idempotent request is sent again after a retryable failure.
DEFAULT_RETRIES = 3
#: Backoff before retry ``n`` (0-based): ``BACKOFF_FACTOR * 2**n``, at most ``BACKOFF_MAX``.
BACKOFF_FACTOR = 0.5
BACKOFF_MAX = 8.0
#: Longest single wait; a ``Retry-After`` beyond it raises instead of sleeping.
MAX_WAIT = 60.0

#: The ``User-Agent`` header of every request.
USER_AGENT = f'atomx-python/{VERSION}'

Timeout = Union[float, Tuple[float, float]]
Auth = Union[bool, str]

_EXCERPT_LENGTH = 200


class Answer(NamedTuple):
    """A decoded successful answer.

    :param envelope: the answer's JSON object.
    :param headers: its HTTP headers (case-insensitive, as requests gives them).
    """

    envelope: dict[str, Any]
    headers: Mapping[str, str]


def fastest_json_loads() -> Callable[[bytes], Any]:
    """The fastest JSON decoder installed.

    :returns: orjson's ``loads`` when orjson is installed (the ``speedups``
        extra), else :func:`json.loads`.
    """
    try:
        import orjson
    except ImportError:
        return json.loads
    return orjson.loads


_json_loads = fastest_json_loads()

#: Bodies from this size on are decoded with the garbage collector paused.
GC_PAUSE_BYTES = 1 << 20
_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """A context manager that pauses the cyclic garbage collector; thread-safe and nestable.

    :returns: the context manager; the collector is off inside its ``with`` block.

    Decoding a large answer allocates millions of lists and dicts, and each
    allocation burst triggers a collection that can find nothing: a decoded JSON
    document has no reference cycles.  The collector comes back on when the last
    pauser leaves, and only if it was on before the first one came.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


def decode_json(content: bytes) -> Any:
    """Decode a JSON body, with orjson when it is installed.

    Large bodies (reports, long lists) are decoded with the garbage collector
    paused, which makes a million-row report decode about a third faster.

    :param content: the body's bytes.
    :returns: the decoded value.
    :raises ValueError: the body is not JSON (orjson's error is a ValueError too).
    """
    if len(content) < GC_PAUSE_BYTES:
        return _json_loads(content)
    with gc_paused():
        return _json_loads(content)


def check_timeout(timeout: Any) -> Timeout:
    """Check a timeout argument.

    :param timeout: a positive number of seconds, or a ``(connect, read)`` pair
        (tuple or list) of them.
    :returns: the timeout as a float or a pair of floats.
    :raises TypeError: anything else (``None``, ``0``, a str, a bool...).
    """
    def positive(value: Any) -> bool:
        return (isinstance(value, (int, float)) and not isinstance(value, bool)
                and value > 0)

    if positive(timeout):
        return float(timeout)
    if isinstance(timeout, (tuple, list)) and len(timeout) == 2 and all(map(positive, timeout)):
        return (float(timeout[0]), float(timeout[1]))
    raise TypeError(f'timeout must be a positive number of seconds or a (connect, read) '
                    f'pair of them, not {timeout!r}')


def _excerpt(response: requests.Response) -> str:
    """The start of a body on one line, for error messages."""
    start = response.content[:_EXCERPT_LENGTH * 4].decode('utf-8', 'replace')
    text = ' '.join(start.split())
    if not text:
        return 'empty body'
    if len(text) > _EXCERPT_LENGTH:
        text = text[:_EXCERPT_LENGTH] + '...'
    return repr(text)


def _error_text(response: requests.Response) -> str:
    """The API's ``error`` text of a failed answer, or an excerpt of its body."""
    try:
        body = decode_json(response.content)
    except ValueError:
        return _excerpt(response)
    if isinstance(body, dict):
        for key in ('error', 'message'):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
    return _excerpt(response)


def api_error(method: str, path: str, response: requests.Response, detail: str = '') -> APIError:
    """The exception for a failed answer.

    :param method: the request's HTTP method.
    :param path: the request's path below the endpoint.
    :param response: the answer.
    :param detail: said in parentheses after the message, when given.
    :returns: an :class:`APIError` whose message holds the method, the path, the
        status and the API's ``error`` text (or an excerpt of the body).
    """
    message = f'{method} {path} failed with HTTP {response.status_code}: {_error_text(response)}'
    if detail:
        message += f' ({detail})'
    return APIError(message, status_code=response.status_code, response=_without_token(response),
                    method=method, path=path)


def _without_token(response: requests.Response) -> requests.Response:
    """The response with the bearer token taken out of the request it keeps.

    An error carries its response, and error reports (tracebacks with locals,
    error trackers) show what it holds; the token must not be among it.
    """
    request = getattr(response, 'request', None)
    if request is not None:
        request.headers.pop('Authorization', None)
    return response


def decode_answer(method: str, path: str, response: requests.Response) -> Answer:
    """Decode a successful answer.

    :param method: the request's HTTP method (for the error message).
    :param path: the request's path (for the error message).
    :param response: the answer.
    :returns: its :class:`Answer`: the JSON envelope and the headers.
    :raises APIError: the status is not 2xx, the body is not a JSON object, or it
        says ``"success": false``.
    """
    if not 200 <= response.status_code < 300:
        raise api_error(method, path, response)
    try:
        envelope = decode_json(response.content)
    except ValueError:
        envelope = None
    if not isinstance(envelope, dict):
        raise APIError(f'{method} {path} answered HTTP {response.status_code} with a body that '
                       f'is not a JSON object: {_excerpt(response)}',
                       status_code=response.status_code, response=_without_token(response),
                       method=method, path=path)
    if envelope.get('success') is False:
        raise api_error(method, path, response, 'the API reported success: false')
    return Answer(envelope, response.headers)


def retry_after(response: requests.Response, now: Optional[datetime] = None) -> Optional[float]:
    """How long an answer's ``Retry-After`` header asks to wait.

    :param response: the answer.
    :param now: the current time for an HTTP date (default: now, in UTC).
    :returns: the seconds (a number of seconds or the time until an HTTP date,
        never below 0), or ``None`` without a readable header.
    """
    value = response.headers.get('Retry-After', '').strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _settle_environment(http: requests.Session, endpoint: str) -> None:
    """Read the proxy and CA bundle variables once, for the one endpoint, not per request.

    With ``trust_env`` on, requests scans the environment for proxies and
    ``~/.netrc`` on every request, about a quarter of a small GET's CPU. The
    endpoint never changes, so its proxies (``HTTPS_PROXY``, ``NO_PROXY``, ...)
    and ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` are taken here, when the session
    is made.  ``~/.netrc`` is left out on purpose: its basic auth would replace
    the bearer token.
    """
    settings = http.merge_environment_settings(endpoint, {}, None, None, None)
    http.trust_env = False
    http.proxies.update(_scheme_proxies(settings['proxies']))
    http.verify = settings['verify']


def _scheme_proxies(proxies: Mapping[str, str]) -> dict[str, str]:
    """The proxies by scheme; ``'no'`` (the raw ``NO_PROXY`` list) is not a proxy."""
    return {scheme: url for scheme, url in proxies.items() if scheme != 'no'}


class _EndpointSession(requests.Session):
    """A ``requests.Session`` that, with ``trust_env`` off, still takes the
    environment's proxies for the URL a redirect leads to, ``NO_PROXY`` included,
    as requests itself would: the endpoint's proxies are not meant for another host."""

    def rebuild_proxies(self, prepared_request: requests.PreparedRequest,
                        proxies: Optional[dict[str, str]]) -> dict[str, str]:
        """The proxies for a redirect: the environment's for its URL.

        :param prepared_request: the request to the URL the answer redirects to.
        :param proxies: the proxies of the request that was redirected (not used).
        :returns: the proxies by scheme, empty where ``NO_PROXY`` covers the URL.
        """
        own = _scheme_proxies(requests.utils.get_environ_proxies(prepared_request.url or ''))
        return super().rebuild_proxies(prepared_request, own)


class Transport:
    """Send requests to one API endpoint and decode the answers.

    ``token`` is sent as ``Authorization: Bearer``; ``reauthenticate`` (set by
    the session while it holds a password) is called once when a request
    answers 401, then the request is replayed.

    :param endpoint: the API's base URL (``http://`` or ``https://``).
    :param timeout: seconds per request, a number or a ``(connect, read)`` pair.
    :param retries: how often GET, PUT and DELETE are sent again.
    :param max_wait: the longest single wait in seconds; a ``Retry-After``
        beyond it raises instead.
    :param backoff_factor: the first backoff in seconds; it doubles per retry.
    :param backoff_max: the longest backoff in seconds.
    :param sleep: the function that waits (injectable so that tests need not wait).
    :param jitter: the random source, ``0 <= x < 1`` (injectable for tests).
    :param max_rate: at most this many requests per second, across threads
        (``None``: no limit); see :class:`~atomx.ratelimit.RateLimiter`.
    :raises ValueError: ``endpoint`` is not an http(s) URL, ``retries`` is below 0, or
        ``max_rate`` is not positive.
    :raises TypeError: a bad ``timeout`` or ``max_rate``, or ``retries`` is not an int.

    Thread safety: one ``Transport`` may serve several threads.  The
    connection pool is urllib3's (thread-safe); the token and its generation
    change under a lock, and concurrent 401s log in again only once.
    """

    def __init__(self, endpoint: str, *, timeout: Timeout = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, max_wait: float = MAX_WAIT,
                 backoff_factor: float = BACKOFF_FACTOR, backoff_max: float = BACKOFF_MAX,
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random,
                 max_rate: Optional[float] = None) -> None:
        if not isinstance(endpoint, str) or not endpoint.startswith(('http://', 'https://')):
            raise ValueError(f'api_endpoint must be an http:// or https:// URL, not {endpoint!r}')
        self.endpoint = endpoint.rstrip('/')
        self.timeout = check_timeout(timeout)
        self.retries = check_count('retries', retries, 0)
        self.max_wait = max_wait
        self.backoff_factor = backoff_factor
        self.backoff_max = backoff_max
        self._sleep = sleep
        self._jitter = jitter
        #: Paces every request; replace it to change the rate or its clock.
        self.limiter = RateLimiter(max_rate, sleep=sleep)
        self.reauthenticate: Optional[Callable[[], None]] = None
        self._token: Optional[str] = None
        self._generation = 0  # bumped by every new token
        self._auth_lock = threading.RLock()
        self.http: requests.Session = _EndpointSession()
        self.http.headers['User-Agent'] = USER_AGENT
        self.http.headers['Accept'] = 'application/json'
        _settle_environment(self.http, self.endpoint)

    def __repr__(self) -> str:
        return f'<Transport endpoint={self.endpoint!r}>'

    @property
    def token(self) -> Optional[str]:
        """The bearer token sent with every authenticated request, or ``None``."""
        return self._token

    @token.setter
    def token(self, token: Optional[str]) -> None:
        with self._auth_lock:
            self._token = token
            self._generation += 1

    def url(self, path: str) -> str:
        """The absolute URL of a path.

        :param path: the path below the endpoint (slashes around it are stripped).
        :returns: ``{endpoint}/{path}``.
        """
        return f'{self.endpoint}/{path.strip("/")}'

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()

    def request(self, method: str, path: str, *, params: Optional[str] = None,
                json: Any = None, auth: Auth = True) -> Answer:
        """Send one request (with retries and re-login) and return its decoded answer.

        :param method: the HTTP method.
        :param path: the path below the endpoint.
        :param params: the encoded query string, or ``None``.
        :param json: the JSON body, or ``None`` for none.
        :param auth: ``True`` sends the session token and logs in again on a 401,
            ``False`` sends no ``Authorization``, a str is sent as the bearer token.
        :returns: the decoded :class:`Answer`.
        :raises APIError: the API answered an error or a broken body.
        :raises APIConnectionError: no answer, after the retries.
        :raises InvalidCredentials: logging in again after a 401 failed.
        """
        method = method.upper()
        with self._auth_lock:
            generation = self._generation
            token = auth if isinstance(auth, str) else (self._token if auth else None)
        response = self._send(method, path, params, json, token)
        if response.status_code == 401 and auth is True and self._refreshed(generation):
            response = self._send(method, path, params, json, self._token)
        return decode_answer(method, path, response)

    def _refreshed(self, generation: int) -> bool:
        """After a 401: log in again unless another thread already did; ``False`` if we cannot."""
        with self._auth_lock:
            return self._generation != generation or self._log_in_again('HTTP 401')

    def renew_token(self, rejected: Optional[str]) -> bool:
        """Log in again after another channel (the websocket) refused a token.

        :param rejected: the token that was refused (HTTP 401).
        :returns: ``True`` when a newer token is there (another thread renewed it,
            or this call did), ``False`` when there is no way to log in again.
        :raises InvalidCredentials: logging in again failed.
        """
        with self._auth_lock:
            return self._token != rejected or self._log_in_again('HTTP 401 at the websocket')

    def _log_in_again(self, why: str) -> bool:
        """Renew the token (the auth lock is held); ``False`` when there is no way to."""
        if self.reauthenticate is None:
            return False
        logger.info('atomx: token rejected (%s), logging in again', why)
        self.reauthenticate()
        return True

    def _send(self, method: str, path: str, params: Optional[str], body: Any,
              token: Optional[str]) -> requests.Response:
        """Send with retries; return the last response or raise :class:`APIConnectionError`."""
        url = self.url(path)
        headers = {'Authorization': f'Bearer {token}'} if token else {}
        attempts = 1 + (self.retries if method in IDEMPOTENT_METHODS else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self.limiter.acquire(mind_pause=attempt == 0)  # a retry has waited already
            started = time.monotonic()
            try:
                response = self.http.request(method, url, params=params, json=body,
                                             headers=headers, timeout=self.timeout)
            except RETRYABLE_ERRORS as exc:
                logger.debug('atomx: %s %s -> %s after %.3fs', method, url,
                             type(exc).__name__, time.monotonic() - started)
                if last:
                    raise APIConnectionError(
                        f'{method} {path}: no answer from {self.endpoint} after {attempt + 1} '
                        f'attempt(s): {type(exc).__name__}: {exc}', method=method,
                        path=path) from exc
                self._wait(method, path, attempt, None)
                continue
            except requests.RequestException as exc:
                raise APIConnectionError(f'{method} {path}: request failed: '
                                         f'{type(exc).__name__}: {exc}', method=method,
                                         path=path) from exc
            logger.debug('atomx: %s %s -> %s in %.3fs', method, response.url,
                         response.status_code, time.monotonic() - started)
            if last or response.status_code not in RETRYABLE_STATUS_CODES:
                return response
            self._wait(method, path, attempt, response)
        raise AssertionError('unreachable: the last attempt returns or raises')

    def _wait(self, method: str, path: str, attempt: int,
              response: Optional[requests.Response]) -> None:
        """Sleep before retry ``attempt + 1``: ``Retry-After`` or jittered backoff, capped."""
        asked = retry_after(response) if response is not None else None
        if asked is not None and asked > self.max_wait:
            assert response is not None
            raise api_error(method, path, response,
                            f'Retry-After asks for {asked:.0f}s, more than the '
                            f'{self.max_wait:.0f}s this client waits')
        if asked is None:
            ceiling = min(self.backoff_max, self.backoff_factor * 2 ** min(attempt, 32))
            delay = min(ceiling / 2 + self._jitter() * ceiling / 2, self.max_wait)
        else:
            delay = min(asked, self.max_wait)
            self.limiter.hold(delay)  # the session's other threads wait too
        cause = response.status_code if response is not None else 'no answer'
        logger.info('atomx: %s %s got %s, retry %d of %d in %.2fs',
                    method, path, cause, attempt + 1, self.retries, delay)
        self._sleep(delay)


__all__ = ['Answer', 'DEFAULT_RETRIES', 'DEFAULT_TIMEOUT', 'IDEMPOTENT_METHODS', 'MAX_WAIT',
           'RETRYABLE_STATUS_CODES', 'Transport', 'USER_AGENT', 'decode_answer', 'decode_json']
