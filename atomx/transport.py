"""HTTP for the atomx session: one connection pool, timeouts, retries, errors.

:class:`Transport` turns ``(method, path, query, JSON body)`` into the decoded
JSON envelope of the answer, or raises an :mod:`atomx.exceptions` error.  It
owns one :class:`requests.Session` (keep-alive and connection pooling), puts a
default timeout on every request, retries idempotent requests (GET, PUT,
DELETE) on connection failures and on :data:`RETRYABLE_STATUS_CODES` with
capped exponential backoff and jitter (a POST only when no connection could be
made, so that it never left), logs in again once when a token expires (HTTP
401), and ends every call by its total deadline (:mod:`atomx.timeouts`,
enforced by :mod:`atomx.deadline`).

Where requests go: a redirect to another origin (scheme, host or port) is
followed without the token, and not at all by a request with a body (a login,
a POST, a PUT): its body is never re-sent to another origin.  Nothing but
:mod:`atomx.exceptions` errors comes out of a call, and none of them keeps a
token, a password or a request body (:mod:`atomx.redact`).

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
import http.client
import json
import logging
import math
import random
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Mapping, NamedTuple, Optional, Union
from urllib.parse import urljoin

import requests

from . import failures
from .adapter import EndpointAdapter
from .backoff import backoff_delay
from .checks import check_count
from .deadline import WATCHDOG
from .exceptions import APIConnectionError, APIError, AtomxError
from .failures import origin
from .long_digits import has_long_digit_run
from .paths import check_path_text
from .prepared import RequestPreparer
from .ratelimit import RateLimiter
from .redact import forget_response_secrets, forget_secrets
from .timeouts import DEFAULT_TIMEOUT, Timeout, TimeoutArgument, check_timeout
from .version import VERSION
from .waiting import told_if_slow

logger = logging.getLogger('atomx')

#: HTTP statuses after which an idempotent request is sent again.
RETRYABLE_STATUS_CODES: frozenset[int] = frozenset({429, 502, 503, 504})

#: Methods that may be sent twice without doing twice what they do.
IDEMPOTENT_METHODS: frozenset[str] = frozenset({'GET', 'PUT', 'DELETE'})

#: How often an idempotent request is sent again after a retryable failure.
DEFAULT_RETRIES = 3
#: Backoff before retry ``n`` (0-based): ``BACKOFF_FACTOR * 2**n``, at most ``BACKOFF_MAX``.
BACKOFF_FACTOR = 0.5
BACKOFF_MAX = 8.0
#: Longest single wait; a ``Retry-After`` beyond it raises instead of sleeping.
MAX_WAIT = 60.0

#: The ``User-Agent`` header of every request.
USER_AGENT = f'atomx-python/{VERSION}'

Auth = Union[bool, str]

_EXCERPT_LENGTH = 200


class _Awaited(NamedTuple):
    """What a slow request waits for, said by :func:`~atomx.waiting.told_if_slow`
    (formatted only when that line is logged)."""

    method: str
    transport: Transport
    path: str

    def __str__(self) -> str:
        limit = self.transport.timeout
        url = self.transport.show_url(self.transport.url(self.path))
        return (f'an answer to {self.method} {url} (timeout: '
                f'{limit.connect:g} s to connect, {limit.read:g} s to read, '
                f'{limit.deadline_seconds:g} s in all)')


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
GC_PAUSE_BYTES = 1 << 16
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

    Integers stay exact: orjson reads those beyond 64 bits as floats, so a body
    that may hold one is decoded by :mod:`json` instead.

    :param content: the body's bytes.
    :returns: the decoded value.
    :raises ValueError: the body is not JSON (orjson's error is a ValueError too),
        or it is nested deeper than Python's recursion limit.
    """
    loads = _json_loads
    if loads is not json.loads and has_long_digit_run(content):
        loads = json.loads
    try:
        if len(content) < GC_PAUSE_BYTES:
            return loads(content)
        with gc_paused():
            return loads(content)
    except RecursionError:
        raise ValueError('the JSON is nested too deeply to decode') from None


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
    """The response with the secrets taken out of the requests it keeps (see
    :mod:`atomx.redact`): an error carries its response, and error reports show it."""
    forget_response_secrets(response)
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


def _read_body(response: requests.Response) -> None:
    """Read a streamed response's body in one read, so that ``response.content`` holds it.

    ``response.content`` reads a body in 10 KiB chunks, each a trip through
    urllib3; one read of the whole body (its length is known, or it ends with the
    connection) costs one.  Errors are requests' own: the read goes through
    ``iter_content``, which maps urllib3's.  A body read already (by a hook, a
    redirect or a ``responses`` mock) is left as it is.
    """
    if response._content is False:  # requests' mark for "not read yet"
        response._content = b''.join(response.iter_content(None))


def retry_after(response: requests.Response, now: Optional[datetime] = None) -> Optional[float]:
    """How long an answer's ``Retry-After`` header asks to wait.

    :param response: the answer.
    :param now: the current time for an HTTP date (default: now, in UTC).
    :returns: the seconds (a number of seconds or the time until an HTTP date,
        never below 0), or ``None`` without a readable header (a NaN, an
        infinite or a negative number of seconds counts as unreadable).
    """
    value = response.headers.get('Retry-After', '').strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())
    # NaN, infinity or a negative number asks for nothing sensible: as if absent,
    # so that the backoff still spaces the retries out.
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _refused(response: requests.Response, why: str) -> RedirectRefused:
    """The :class:`RedirectRefused` of ``response``, its body read (the connection is free)."""
    try:
        _ = response.content
    except (requests.RequestException, OSError, http.client.HTTPException):
        response.close()
    return RedirectRefused(f'HTTP {response.status_code} redirect {why}', response=response)


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


def token_problem(token: Any) -> str:
    """What keeps ``token`` from being sent as ``Authorization: Bearer``, or ``''``.

    :param token: a token as a login answered it.
    :returns: the reason (never the token itself, which must not be shown).
    """
    if not isinstance(token, str) or not token:
        return 'no auth_token'
    if not (token.isascii() and token.isprintable()) or ' ' in token:
        return 'an auth_token that is not printable ASCII without spaces'
    return ''


class RedirectRefused(requests.RequestException):
    """A redirect that is not followed: to an unreadable URL, or to another origin
    by a request with a body.  ``response`` is the redirecting answer."""


class _EndpointSession(requests.Session):
    """A ``requests.Session`` for one endpoint.

    With ``trust_env`` off it still takes the environment's proxies for the URL
    a redirect leads to, ``NO_PROXY`` included, as requests itself would: the
    endpoint's proxies are not meant for another host.  It does not re-send a
    body to another origin (:meth:`get_redirect_target`), and the watchdog of
    :mod:`atomx.deadline` can cut its requests off.
    """

    def __init__(self, endpoint: str) -> None:
        super().__init__()
        self.origin = origin(endpoint)
        for prefix in ('http://', 'https://'):
            self.mount(prefix, EndpointAdapter())

    def get_redirect_target(self, resp: requests.Response) -> Optional[str]:
        """Where an answer redirects to, or a :class:`RedirectRefused`.

        :param resp: an answer.
        :returns: its ``Location`` for a redirect, else ``None``.
        :raises RedirectRefused: the location is not a readable URL, or it lies on
            another origin than the endpoint's and the request carried a body.
        """
        location = super().get_redirect_target(resp)
        if location is None:
            return None
        try:
            target = origin(urljoin(resp.url, location))
        except ValueError:
            raise _refused(resp, 'to a URL that cannot be read') from None
        if target != self.origin and resp.request.body is not None:
            raise _refused(resp, f'to another origin ({target[0]}://{target[1]}:{target[2]}); '
                                 f'a request body is not re-sent to another origin')
        return location

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
    :param timeout: a number of seconds, a ``(connect, read)`` pair or a
        :class:`~atomx.timeouts.Timeout` with a ``total`` deadline per call.
    :param retries: how often GET, PUT and DELETE are sent again (and any request
        that could not connect, so never left).
    :param max_wait: the longest single wait in seconds; a ``Retry-After``
        beyond it raises instead.
    :param backoff_factor: the first backoff in seconds; it doubles per retry.
    :param backoff_max: the longest backoff in seconds.
    :param sleep: the function that waits (injectable so that tests need not wait).
    :param jitter: the random source, ``0 <= x < 1`` (injectable for tests).
    :param max_rate: at most this many requests per second, across threads
        (``None``: no limit); see :class:`~atomx.ratelimit.RateLimiter`.
    :raises ValueError: ``endpoint`` is not an http(s) URL, ``retries`` is below 0, or
        ``max_rate`` or a ``timeout`` value is out of range.
    :raises TypeError: a ``timeout`` or ``max_rate`` of a wrong type, or ``retries`` is not an int.

    Thread safety: one ``Transport`` may serve several threads.  The
    connection pool is urllib3's (thread-safe); the token and its generation
    change together under a lock (a request reads them at once, without it), and
    concurrent 401s log in again only once.
    """

    def __init__(self, endpoint: str, *, timeout: TimeoutArgument = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, max_wait: float = MAX_WAIT,
                 backoff_factor: float = BACKOFF_FACTOR, backoff_max: float = BACKOFF_MAX,
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random,
                 max_rate: Optional[float] = None) -> None:
        if not isinstance(endpoint, str) or not endpoint.startswith(('http://', 'https://')):
            shown = failures.without_url_passwords(str(endpoint))
            raise ValueError(f'api_endpoint must be an http:// or https:// URL, not {shown!r}')
        self.endpoint = endpoint.rstrip('/')
        #: How a URL of this endpoint is shown: its password, if any, as ``***``.
        self.show_url = failures.url_shower(self.endpoint)
        self.timeout: Timeout = check_timeout(timeout)
        self.retries = check_count('retries', retries, 0)
        self.max_wait = max_wait
        self.backoff_factor = backoff_factor
        self.backoff_max = backoff_max
        self._sleep = sleep
        self._jitter = jitter
        #: Paces every request; replace it to change the rate or its clock.
        self.limiter = RateLimiter(max_rate, sleep=sleep)
        self.reauthenticate: Optional[Callable[[], None]] = None
        #: The token and its generation (bumped by every new token), one tuple so that a
        #: request reads both at once without the lock.
        self._auth: tuple[Optional[str], int] = (None, 0)
        self._auth_lock = threading.RLock()
        self.http: requests.Session = _EndpointSession(self.endpoint)
        self.http.headers['User-Agent'] = USER_AGENT
        self.http.headers['Accept'] = 'application/json'
        _settle_environment(self.http, self.endpoint)
        self._preparer = RequestPreparer(self.http, self.endpoint)

    def __repr__(self) -> str:
        return f'<Transport endpoint={self.show_url(self.endpoint)!r}>'

    @property
    def token(self) -> Optional[str]:
        """The bearer token sent with every authenticated request, or ``None``."""
        return self._auth[0]

    @token.setter
    def token(self, token: Optional[str]) -> None:
        with self._auth_lock:
            self._auth = (token, self._auth[1] + 1)

    def url(self, path: str) -> str:
        """The absolute URL of a path, which must keep the path rule of :mod:`atomx.paths`.

        Every request's URL is made here, so whichever module builds the path, no
        request leaves the endpoint's path prefix or gains a query.

        :param path: the path below the endpoint (slashes around it are stripped).
        :returns: ``{endpoint}/{path}``.
        :raises ValueError: the path breaks the rule (``'../admin'``, ``'x?y=1'``).
        """
        return f'{self.endpoint}/{check_path_text(path)}'

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
        :raises ValueError: ``path`` breaks the path rule of :mod:`atomx.paths`.
        :raises APIError: the API answered an error or a broken body, or
            redirected a request with a body to another origin.
        :raises APIConnectionError: no answer, after the retries, or none before
            the total deadline.
        :raises InvalidCredentials: logging in again after a 401 failed.

        No error raised keeps a token or a request body (see :mod:`atomx.redact`).
        """
        method = method.upper()
        deadline = time.monotonic() + self.timeout.deadline_seconds
        try:
            current, generation = self._auth
            token = auth if isinstance(auth, str) else (current if auth else None)
            with told_if_slow(logger, _Awaited(method, self, path)):
                response = self._send(method, path, params, json, token, deadline)
                if response.status_code == 401 and auth is True and self._refreshed(generation):
                    response = self._send(method, path, params, json, self.token, deadline)
            return decode_answer(method, path, response)
        except AtomxError as error:
            forget_secrets(error)
            raise

    def _refreshed(self, generation: int) -> bool:
        """After a 401: log in again unless another thread already did; ``False`` if we cannot."""
        with self._auth_lock:
            return self._auth[1] != generation or self._log_in_again('HTTP 401')

    def renew_token(self, rejected: Optional[str]) -> bool:
        """Log in again after another channel (the websocket) refused a token.

        :param rejected: the token that was refused (HTTP 401).
        :returns: ``True`` when a newer token is there (another thread renewed it,
            or this call did), ``False`` when there is no way to log in again.
        :raises InvalidCredentials: logging in again failed.
        """
        with self._auth_lock:
            return self.token != rejected or self._log_in_again('HTTP 401 at the websocket')

    def _log_in_again(self, why: str) -> bool:
        """Renew the token (the auth lock is held); ``False`` when there is no way to."""
        if self.reauthenticate is None:
            return False
        logger.info('atomx: token rejected (%s), logging in again', why)
        self.reauthenticate()
        return True

    def _send(self, method: str, path: str, params: Optional[str], body: Any,
              token: Optional[str], deadline: float) -> requests.Response:
        """Send with retries until ``deadline``; return the last response or raise
        :class:`APIConnectionError`."""
        url = self.url(path)
        idempotent = method in IDEMPOTENT_METHODS
        timeout = self.timeout
        attempt = 0
        while True:
            if not self.limiter.acquire(mind_pause=attempt == 0,  # a retry has waited already
                                        within=deadline - time.monotonic()):
                raise self._past_deadline(method, path, attempt, 'max_rate or a Retry-After '
                                          'pause would hold it past that')
            started = time.monotonic()
            remaining = deadline - started
            if remaining <= 0:
                raise self._past_deadline(method, path, attempt)
            watch = WATCHDOG.watch(deadline)
            try:
                response = self._exchange(
                    method, url, params, body, token,
                    (min(timeout.connect, remaining), min(timeout.read, remaining)))
            except RedirectRefused as exc:
                assert exc.response is not None
                raise api_error(method, path, exc.response, str(exc)) from None
            except (requests.RequestException, ValueError, OSError,
                    http.client.HTTPException) as exc:
                logger.debug('atomx: %s %s -> %s after %.3fs', method, self.show_url(url),
                             type(exc).__name__, time.monotonic() - started)
                attempt += 1
                if watch.expired or time.monotonic() >= deadline:
                    raise self._past_deadline(method, path, attempt,
                                              self._slow_lookup(exc)) from exc
                retry = (attempt <= self.retries and failures.retryable(exc)
                         and (idempotent or failures.nothing_sent(exc)))
                if not (retry and self._wait(method, path, attempt - 1, None, deadline)):
                    raise self._no_answer(method, path, attempt, exc) from exc
                continue
            finally:
                WATCHDOG.release(watch)
            if watch.expired:  # cut off: what came may be a truncated answer
                response.close()
                raise self._past_deadline(method, path, attempt + 1)
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug('atomx: %s %s -> %s in %.3fs', method, self.show_url(response.url),
                             response.status_code, time.monotonic() - started)
            if (not idempotent or attempt >= self.retries
                    or response.status_code not in RETRYABLE_STATUS_CODES
                    or not self._wait(method, path, attempt, response, deadline)):
                return response
            attempt += 1

    def _exchange(self, method: str, url: str, params: Optional[str], body: Any,
                  token: Optional[str], timeout: tuple[float, float]) -> requests.Response:
        """One attempt: the response, its body read.

        The request is prepared from a template and sent as ``Session.send``
        would (:mod:`atomx.prepared`) while the session allows it; else
        ``Session.request`` prepares it, as requests always does.
        """
        preparer = self._preparer
        if not preparer.usable():
            headers = {'Authorization': f'Bearer {token}'} if token else {}
            return self.http.request(method, url, params=params, json=body, headers=headers,
                                     timeout=timeout)
        response = preparer.send(preparer.prepare(method, url, params, body, token), timeout)
        _read_body(response)
        return response

    def _no_answer(self, method: str, path: str, attempts: int,
                   error: BaseException) -> APIConnectionError:
        """The error for a request that got no answer, in plain words."""
        url = getattr(getattr(error, 'request', None), 'url', None) or self.endpoint
        what = failures.describe(error, failures.host_of(url), self.timeout)
        return APIConnectionError(f'{method} {path}: {what}; {_attempts(attempts)}',
                                  method=method, path=path)

    def _past_deadline(self, method: str, path: str, attempts: int,
                       why: Optional[str] = None) -> APIConnectionError:
        """The error for a call that ran out of its total deadline (and ``why``, if known)."""
        return APIConnectionError(
            f'{method} {path}: no complete answer from {failures.host_of(self.endpoint)} '
            f'within the total deadline of {self.timeout.deadline_seconds:g} s '
            f'(atomx.Timeout(total=...)); {why + "; " if why else ""}{_attempts(attempts)}',
            method=method, path=path)

    def _slow_lookup(self, error: BaseException) -> Optional[str]:
        """What a name lookup that ran into the deadline says (see :mod:`atomx.lookup`)."""
        if not failures.lookup_timed_out(error):
            return None
        return failures.describe(error, failures.host_of(self.endpoint), self.timeout)

    def _wait(self, method: str, path: str, attempt: int,
              response: Optional[requests.Response], deadline: float) -> bool:
        """Sleep before retry ``attempt + 1``: ``Retry-After`` or jittered backoff, capped.

        :returns: ``False`` (without sleeping) when the retry would start after the
            deadline, so the caller gives up now with what it has.
        :raises APIError: ``Retry-After`` asks for more than :attr:`max_wait`.
        """
        asked = retry_after(response) if response is not None else None
        if asked is not None and asked > self.max_wait:
            assert response is not None
            raise api_error(method, path, response,
                            f'Retry-After asks for {asked:.0f}s, more than the '
                            f'{self.max_wait:.0f}s this client waits')
        if asked is None:
            delay = min(backoff_delay(attempt, self._jitter(), self.backoff_factor,
                                      self.backoff_max), self.max_wait)
        else:
            delay = min(asked, self.max_wait)
        if time.monotonic() + delay >= deadline:
            return False
        if asked is not None:
            self.limiter.hold(delay)  # the session's other threads wait too
        cause = response.status_code if response is not None else 'no answer'
        logger.info('atomx: %s %s got %s, retry %d of %d in %.2fs',
                    method, path, cause, attempt + 1, self.retries, delay)
        self._sleep(delay)
        return True


def _attempts(count: int) -> str:
    if not count:
        return 'nothing was sent'
    return f'gave up after {count} attempt{"" if count == 1 else "s"}'


__all__ = ['Answer', 'DEFAULT_RETRIES', 'IDEMPOTENT_METHODS', 'MAX_WAIT', 'RETRYABLE_STATUS_CODES',
           'RedirectRefused', 'Transport', 'USER_AGENT', 'decode_answer', 'decode_json', 'origin',
           'token_problem']
