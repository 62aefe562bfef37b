"""Live updates over the API's websocket (a beta of the API): :meth:`atomx.Atomx.subscribe`.

A :class:`Subscription` is one websocket connection of a session.  A background
thread owns it: it reads the server's messages into a queue of :class:`Event`
objects, answers the server's pings (websockets' keepalive also pings the
server), and when the connection drops it opens a new one with jittered backoff
(0.5 s doubling to 30 s), logs in again through the session when the handshake
is refused with 401, subscribes every confirmed channel again and queues a
``'reconnected'`` event.

The token travels in the URL's query (PROTOCOL.md): it is masked as
``auth_token=***`` in every log line, also websockets' own, and no exception
raised here carries the URL, the connection or an exception that does.
The websocket goes through the proxy the session's REST requests use for its
URL (the proxies of its ``requests.Session``, which hold those of
``HTTP_PROXY``/``HTTPS_PROXY`` as the session was made); when they use none,
websockets reads the environment as it connects (``NO_PROXY`` included).  The
password such a proxy URL holds is masked as well.

``websockets`` (the ``live`` extra) is imported when a subscription connects,
never at ``import atomx``.
"""
from __future__ import annotations

import html
import inspect
import json
import logging
import queue
import random
import re
import threading
import time
import weakref
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Set, Tuple
from urllib.parse import urlencode

from . import backoff
from .checks import check_seconds
from .display import SHORT
from .exceptions import APIConnectionError, AtomxError, InvalidCredentials, SubscriptionError
from .failures import without_url_passwords
from .models import AtomxModel, checked_id, from_payload
from .names import MODEL_NAMES, model_name, resource_path
from .optional import require
from .protocol import CHANNEL_PATTERN, STATS_PREFIX, STATS_RESOURCES, SYSTEM_CHANNEL
from .transport import USER_AGENT

#: The kinds of :class:`Event`.
EVENT_KINDS = ('update', 'delete', 'stats', 'system', 'reconnected')
#: The first wait before reopening a dropped connection, doubled per failure...
BACKOFF_FIRST = 0.5
#: ... up to this many seconds.
BACKOFF_MAX = 30.0
#: Seconds between the client's keepalive pings, and to wait for their pong.
PING_INTERVAL = 20.0

logger = logging.getLogger('atomx.live')
_TOKEN_IN_URL = re.compile(r'(auth_token=)[^&\s\'"]+')
#: The channel grammar, in any case: users may write ``Advertiser:42``.
_ANY_CASE_CHANNEL = re.compile(CHANNEL_PATTERN.pattern, re.IGNORECASE)
_RESOURCES = {resource_path(name) for name in MODEL_NAMES}


def mask_token(text: str) -> str:
    """``text`` with every ``auth_token=...`` of a URL shown as ``auth_token=***``, and
    the password of every URL in it (a proxy's, which websockets' ``InvalidProxy``
    echoes) as ``***``.

    :param text: a URL or a message that may hold one.
    :returns: the text without the token and the passwords.
    """
    return without_url_passwords(_TOKEN_IN_URL.sub(r'\1***', text))


class _MaskTokens(logging.Filter):
    """Masks the token in the records of the logger websockets writes to."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_token(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = mask_token(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


#: websockets' log lines of our connections (its handshake line shows the URL).
_socket_logger = logging.getLogger('atomx.live.websocket')
_socket_logger.addFilter(_MaskTokens())


# -- channels ------------------------------------------------------------------------------
def _resource_of(item: Any) -> str:
    """A resource name as in a model's path, from a str or a model class."""
    if isinstance(item, type) and issubclass(item, AtomxModel):
        resource = item._resource_name
    elif isinstance(item, str):
        name = model_name(item)
        resource = resource_path(name) if name else ''
    else:
        raise TypeError(f'a channel\'s resource must be a model class or a str, '
                        f'not {type(item).__name__}')
    if resource not in _RESOURCES:
        raise ValueError(f'unknown resource {item!r}: a channel names one of atomx.models '
                         f'(advertiser, campaign, ...)')
    return resource


def _id_of(value: Any, item: Any) -> int:
    """A channel's id by the one rule of model ids (:func:`~atomx.models.checked_id`)."""
    try:
        number = checked_id(value)
    except (TypeError, ValueError):
        number = None
    if number is None:
        raise ValueError(f'channel {item!r} needs the id of a model (a whole number from 1), '
                         f'not {value!r}')
    return number


def parse_channel(item: Any) -> str:
    """One channel in the server's spelling: ``'advertiser:42'``, ``'stats:campaign:7'``.

    :param item: a ``'resource:id'`` or ``'stats:resource:id'`` str (any spelling of the
        resource that :func:`atomx.names.model_name` knows), a model instance with an
        id, or a ``(ModelClass, id)`` pair.
    :returns: the channel with the resource as in the model's path.
    :raises ValueError: no id, an unknown resource, stats of a model that has none, the
        ``system`` channel (always subscribed) or a malformed str.
    :raises TypeError: ``item`` is of another type.
    """
    if isinstance(item, str):
        match = _ANY_CASE_CHANNEL.fullmatch(item.strip())
        if match is None:
            raise ValueError(f'malformed channel {item!r}: channels are "resource:id" '
                             f'(advertiser:42) or "stats:resource:id" (stats:campaign:7)'
                             + ('; the system channel is always subscribed'
                                if item.strip() == SYSTEM_CHANNEL else ''))
        stats, resource, rid = match.group(1), _resource_of(match.group(2)), match.group(3)
        channel = f'{resource}:{_id_of(rid, item)}'
        if not stats:
            return channel
        if resource not in STATS_RESOURCES:
            raise ValueError(f'{item!r}: {resource} has no live stats; stats channels exist '
                             f'for {" and ".join(sorted(STATS_RESOURCES))}')
        return f'{STATS_PREFIX}:{channel}'
    if isinstance(item, AtomxModel):
        if item.id is None:
            raise ValueError(f'{type(item).__name__} has no id: only a saved model has a channel')
        return f'{_resource_of(type(item))}:{_id_of(item.id, item)}'
    if isinstance(item, tuple) and len(item) == 2:
        return f'{_resource_of(item[0])}:{_id_of(item[1], item)}'
    raise TypeError(f'a channel is a "resource:id" str, a model with an id or a '
                    f'(ModelClass, id) pair, not {type(item).__name__} ({item!r})')


def parse_channels(items: Iterable[Any], stats: bool = False) -> List[str]:
    """The channels of :meth:`atomx.Atomx.subscribe`'s arguments, in order, without repeats.

    :param items: channels as :func:`parse_channel` takes them.
    :param stats: also the ``stats:`` channel of each advertiser and campaign given.
    :returns: the channels in the server's spelling.
    :raises ValueError: a channel is bad (see :func:`parse_channel`), or none is given.
    :raises TypeError: a channel is of an unsupported type.
    """
    channels: List[str] = []
    for item in items:
        channel = parse_channel(item)
        wanted = [channel]
        if stats and channel.split(':')[0] in STATS_RESOURCES:
            wanted.append(f'{STATS_PREFIX}:{channel}')
        channels += [one for one in wanted if one not in channels]
    return channels


def websocket_url(api_endpoint: str) -> str:
    """The websocket endpoint of a REST endpoint: ``https://h/v3`` -> ``wss://h/v3/websocket``.

    :param api_endpoint: the API's base URL (``http://`` or ``https://``).
    :returns: the URL without the token.
    """
    scheme, rest = api_endpoint.rstrip('/').split('://', 1)
    return f'{"wss" if scheme == "https" else "ws"}://{rest}/websocket'


def backoff_delay(failures: int, jitter: float) -> float:
    """Seconds to wait before reopening a connection after ``failures`` failed attempts.

    :param failures: the attempts that failed since the connection dropped (0 first).
    :param jitter: a random number ``0 <= jitter < 1``.
    :returns: between half and all of ``0.5 * 2**failures`` seconds, at most 30 s.
    """
    return backoff.backoff_delay(failures, jitter, BACKOFF_FIRST, BACKOFF_MAX)


# -- events ----------------------------------------------------------------------------------
class Event:
    """One message of a :class:`Subscription`.

    :param kind: ``'update'``, ``'delete'``, ``'stats'``, ``'system'`` or ``'reconnected'``.
    :param channel: the channel it came on (``'advertiser:42'``, ``'system'``).
    :param model: the channel's model bound to the session, with an update's changes
        loaded (other attributes load on first read); ``None`` for system events.
    :param data: the decoded message, whole, unknown keys included.
    """

    __slots__ = ('kind', 'channel', 'model', 'data')

    def __init__(self, kind: str, channel: str, model: Optional[AtomxModel],
                 data: Dict[str, Any]) -> None:
        self.kind = kind
        self.channel = channel
        self.model = model
        self.data = data

    def __repr__(self) -> str:
        return (f'Event(kind={self.kind!r}, channel={self.channel!r}, model={self.model!r}, '
                f'data={SHORT.repr(self.data)})')

    def _repr_html_(self) -> str:
        """A table of the event for Jupyter (values escaped, long ones cut)."""
        rows = ''.join(f'<tr><th>{name}</th><td>{html.escape(SHORT.repr(value))}</td></tr>'
                       for name, value in (('channel', self.channel), ('model', self.model),
                                           ('data', self.data)))
        return (f'<table class="atomx-event"><caption>{html.escape(self.kind)}</caption>'
                f'{rows}</table>')


def make_event(message: Dict[str, Any], session: Any) -> Event:
    """The :class:`Event` of one decoded server message.

    :param message: the message (a JSON object).
    :param session: the session its model is bound to.
    :returns: the event; a message of a channel this client does not know is passed
        on as an ``'update'`` (or ``'system'``) without a model.
    """
    channel = message.get('channel')
    channel = channel if isinstance(channel, str) else SYSTEM_CHANNEL
    if channel == SYSTEM_CHANNEL:
        return Event('system', channel, None, message)
    match = CHANNEL_PATTERN.fullmatch(channel)
    stats = channel.startswith(STATS_PREFIX + ':')  # also when the grammar does not match
    kind = 'stats' if stats else ('delete' if message.get('action') == 'delete' else 'update')
    model = None
    if match and match.group(2) in _RESOURCES:
        attributes: Dict[str, Any] = {}
        changes = message.get('changes')
        if kind == 'update' and isinstance(changes, dict):
            attributes.update(changes)
        attributes['id'] = int(match.group(3))
        model = from_payload(match.group(2), attributes, session)
    return Event(kind, channel, model, message)


# -- the subscription ------------------------------------------------------------------------
_open_subscriptions: weakref.WeakKeyDictionary[Any, Set[Subscription]] = \
    weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def close_all(session: Any) -> None:
    """Close every open subscription of ``session`` (:meth:`atomx.Atomx.close` calls it).

    :param session: the :class:`atomx.Atomx` session.
    """
    with _registry_lock:
        subscriptions = list(_open_subscriptions.get(session, ()))
    for subscription in subscriptions:
        subscription.close()


class _Answer:
    """A (un)subscribe waiting for the server's answer."""

    __slots__ = ('done', 'error')

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: Optional[str] = None


class _Closed(Exception):
    """The subscription was closed by its user."""


def _connect_kwargs(connect: Callable[..., Any]) -> Dict[str, Any]:
    """``legacy=True`` for websockets versions that warn without it (17.1 on)."""
    try:
        return {'legacy': True} if 'legacy' in inspect.signature(connect).parameters else {}
    except (TypeError, ValueError):
        return {}


class Subscription:
    """Live updates of some channels over one websocket; made by :meth:`atomx.Atomx.subscribe`.

    A context manager (closed at the end of the ``with`` block) and an iterator of
    :class:`Event` objects.  Thread-safe: :meth:`subscribe` and :meth:`unsubscribe`
    may be called from any thread while another reads the events.

    :param session: the logged-in :class:`atomx.Atomx` session.
    :param channels: the channels to subscribe at once (see :func:`parse_channel`).
    :param stats: also subscribe the ``stats:`` channel of each advertiser and campaign.
    :param reconnect: reopen a dropped connection (and subscribe again).
    :param open_timeout: seconds to wait for the connection and for each answer.
    :param relogin: called with the token a handshake refused (HTTP 401): logs in again
        unless the session already has a newer token.
    :param pace: called before each handshake with the longest acceptable wait in
        seconds; waits for the session's ``max_rate`` (a handshake is a request) and
        returns ``False`` when no slot is free within that wait.
    :param ping_interval: seconds between keepalive pings, and the longest wait for
        their answer before the connection counts as dropped.
    :param proxy_for: called before each handshake with the websocket's URL: the proxy
        the session's REST requests use for it (:func:`atomx.proxy_choice.rest_proxy`),
        or ``None``, when websockets reads the environment (``HTTPS_PROXY``, ``NO_PROXY``).
    :raises ValueError: a bad channel (before anything is sent), no channel, or an
        ``open_timeout`` or ``ping_interval`` that is not above 0.
    :raises TypeError: a channel, ``open_timeout`` or ``ping_interval`` of a wrong type.
    :raises SubscriptionError: the server refused a channel (the connection is closed).
    :raises APIConnectionError: no connection within ``open_timeout``.
    :raises InvalidCredentials: the handshake was refused and logging in again failed.
    :raises ~atomx.exceptions.MissingDependencyError: websockets is not installed.
    """

    def __init__(self, session: Any, channels: Iterable[Any], *, stats: bool = False,
                 reconnect: bool = True, open_timeout: float = 10.0,
                 relogin: Optional[Callable[[Optional[str]], bool]] = None,
                 ping_interval: float = PING_INTERVAL,
                 pace: Optional[Callable[..., bool]] = None,
                 proxy_for: Optional[Callable[[str], Optional[str]]] = None) -> None:
        wanted = parse_channels(channels, stats)
        if not wanted:
            raise ValueError('subscribe needs at least one channel, e.g. "advertiser:42"')
        self._session = session
        self._url = websocket_url(session.api_endpoint)
        #: The URL as messages, log lines and reprs show it: a password as ``***``.
        self._shown_url = without_url_passwords(self._url)
        self._reconnect = bool(reconnect)
        self._open_timeout = check_seconds('open_timeout', open_timeout)
        self._ping_interval = check_seconds('ping_interval', ping_interval)
        self._relogin = relogin
        self._pace = pace
        self._proxy_for = proxy_for
        self._events: queue.Queue[Optional[Event]] = queue.Queue()
        self._lock = threading.Lock()
        self._confirmed: Set[str] = set()
        self._pending: Dict[Tuple[str, str], List[_Answer]] = {}
        self._connection: Any = None
        self._connected = threading.Event()
        self._closing = threading.Event()
        self._failure: Optional[AtomxError] = None
        self._hello: Dict[str, Any] = {}
        self._callback_thread: Optional[threading.Thread] = None
        self._stop_callback = threading.Event()
        self._websockets = require('websockets.sync.client', 'live', 'Atomx.subscribe')
        self._open_first()
        self._reader = threading.Thread(target=self._read_forever, daemon=True,
                                        name=f'atomx-live:{self._shown_url}')
        self._reader.start()
        with _registry_lock:
            _open_subscriptions.setdefault(session, set()).add(self)
        try:
            self.subscribe(*wanted)
        except BaseException:
            self.close()
            raise

    # -- the public face ------------------------------------------------------------------
    @property
    def channels(self) -> frozenset:
        """The channels the server confirmed (``system`` not included)."""
        with self._lock:
            return frozenset(self._confirmed)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (or the connection was lost for good)."""
        return self._closing.is_set()

    def subscribe(self, *channels: Any, stats: bool = False) -> None:
        """Subscribe more channels; returns once the server confirmed each of them.

        :param channels: channels as :meth:`atomx.Atomx.subscribe` takes them.
        :param stats: also the ``stats:`` channel of each advertiser and campaign.
        :raises ValueError: a bad channel (nothing is sent then).
        :raises SubscriptionError: the server refused some; the others are subscribed.
        :raises APIConnectionError: no answer within ``open_timeout``, or the
            subscription is closed.
        """
        self._ask('subscribe', parse_channels(channels, stats))

    def unsubscribe(self, *channels: Any, stats: bool = False) -> None:
        """Stop the updates of some channels; returns once the server confirmed it.

        :param channels: channels as :meth:`atomx.Atomx.subscribe` takes them.
        :param stats: also the ``stats:`` channel of each advertiser and campaign.
        :raises ValueError: a bad channel (nothing is sent then).
        :raises SubscriptionError: the server refused some.
        :raises APIConnectionError: no answer within ``open_timeout``, or the
            subscription is closed.
        """
        self._ask('unsubscribe', parse_channels(channels, stats))

    def next_event(self, timeout: Optional[float] = None) -> Optional[Event]:
        """The next event, waiting up to ``timeout`` seconds (``None``: until one comes).

        :param timeout: the longest wait in seconds, ``None`` for no limit.
        :returns: the event, or ``None`` when none came in time or the subscription
            is closed.
        :raises APIConnectionError: the connection was lost and not reopened
            (``reconnect=False``), after the events received before.
        :raises InvalidCredentials: logging in again for a new connection failed.
        """
        try:
            event = self._events.get(timeout=timeout)
        except queue.Empty:
            return None
        if event is None:  # the end: let every later call see it too
            self._events.put(None)
            if self._failure is not None:
                raise self._failure
        return event

    def events(self, timeout: Optional[float] = None) -> Iterator[Event]:
        """The events as they come; ends after ``timeout`` seconds without one, or on close.

        :param timeout: seconds of silence after which the iteration stops (``None``:
            never).
        :returns: an iterator of :class:`Event`.
        :raises APIConnectionError: the connection was lost and not reopened.
        """
        while True:
            event = self.next_event(timeout)
            if event is None:
                return
            yield event

    def __iter__(self) -> Subscription:
        """``for event in subscription:``: every event until :meth:`close`, no timeout."""
        return self

    def __next__(self) -> Event:
        """The next event, waiting as long as it takes; ``StopIteration`` once closed."""
        event = self.next_event()
        if event is None:
            raise StopIteration
        return event

    def start(self, callback: Callable[[Event], Any]) -> None:
        """Call ``callback(event)`` for every event in a daemon thread; returns at once.

        For services and notebooks.  An exception in the callback is logged (logger
        ``atomx.live``) and the loop goes on.  :meth:`stop` or :meth:`close` ends it.

        :param callback: called with each :class:`Event`.
        :raises RuntimeError: a callback is already running.
        """
        if self._callback_thread is not None and self._callback_thread.is_alive():
            raise RuntimeError('this subscription already runs a callback: stop() it first')
        self._stop_callback.clear()
        self._callback_thread = threading.Thread(target=self._call_back, args=(callback,),
                                                 daemon=True, name='atomx-live-callback')
        self._callback_thread.start()

    def stop(self, timeout: Optional[float] = 5.0) -> None:
        """End the loop of :meth:`start` (the subscription stays open).

        :param timeout: seconds to wait for the running callback to return.
        """
        self._stop_callback.set()
        thread = self._callback_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def close(self) -> None:
        """Close the connection and end the iteration; calling it again does nothing."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._stop_callback.set()
        connection = self._connection
        if connection is not None:
            connection.close()
        self._events.put(None)
        with self._lock:
            for answers in self._pending.values():
                for answer in answers:
                    answer.error = 'the subscription was closed'
                    answer.done.set()
        with _registry_lock:
            _open_subscriptions.get(self._session, set()).discard(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = 'closed' if self.closed else ('open' if self._connected.is_set() else
                                              'reconnecting')
        return (f'<Subscription {self._shown_url} {state} '
                f'channels={sorted(self.channels)}>')

    # -- (un)subscribing ------------------------------------------------------------------
    def _ask(self, action: str, channels: List[str]) -> None:
        if not channels:
            raise ValueError(f'{action} needs at least one channel, e.g. "advertiser:42"')
        if not self._connected.wait(self._open_timeout) or self.closed:
            raise APIConnectionError(f'cannot {action}: the subscription is '
                                     f'{"closed" if self.closed else "not connected"}')
        answers = {channel: self._send_request(action, channel) for channel in channels}
        deadline = time.monotonic() + self._open_timeout
        refused, late = {}, []
        for channel, answer in answers.items():
            if not answer.done.wait(max(0.0, deadline - time.monotonic())):
                late.append(channel)
            elif answer.error is not None:
                refused[channel] = answer.error
        if late:
            self._forget(action, {channel: answers[channel] for channel in late})
            raise APIConnectionError(f'no answer to {action} {", ".join(late)} within '
                                     f'{self._open_timeout:g}s')
        if refused:
            reasons = '; '.join(f'{channel}: {why}' for channel, why in refused.items())
            raise SubscriptionError(f'the server refused to {action} {reasons}', refused)

    def _send_request(self, action: str, channel: str) -> _Answer:
        answer = _Answer()
        with self._lock:
            self._pending.setdefault((action, channel), []).append(answer)
        self._send(action, channel)
        return answer

    def _forget(self, action: str, answers: Dict[str, _Answer]) -> None:
        """Stop waiting for these answers: a late one is then no answer to a later request."""
        with self._lock:
            for channel, answer in answers.items():
                waiting = self._pending.get((action, channel), [])
                if answer in waiting:
                    waiting.remove(answer)
                if not waiting:
                    self._pending.pop((action, channel), None)

    def _send(self, action: str, channel: str) -> None:
        connection = self._connection
        try:
            connection.send(json.dumps({'action': action, 'model': channel}))
        except Exception:  # the reader notices the drop and reconnects
            logger.debug('atomx: live: could not send %s %s', action, channel)

    def _answered(self, message: Dict[str, Any]) -> bool:
        """Settle the request a system answer is for; ``False`` if it is no answer."""
        action, channel = message.get('action'), message.get('model')
        key = (str(action), str(channel))
        with self._lock:
            answers = self._pending.get(key)
            if not answers:
                return False
            answer = answers.pop(0)
            if not answers:
                del self._pending[key]
            if message.get('success') is True:
                (self._confirmed.add if action == 'subscribe' else self._confirmed.discard)(key[1])
            else:
                answer.error = str(message.get('error') or 'refused without a reason')
        answer.done.set()
        return True

    # -- the connection -------------------------------------------------------------------
    def _open_first(self) -> None:
        failure = self._open(retry_on_401=True)
        if failure is not None:
            self._closing.set()
            raise failure

    def _open(self, retry_on_401: bool) -> Optional[AtomxError]:
        """Open a connection and read its ``connected`` notice; the error, if any.

        The error is made outside any ``except`` block, so that it chains to nothing
        that holds the URL.
        """
        for attempt in (1, 2):
            token = self._session.auth_token
            problem, status = self._try_open(token)
            if problem is None:
                return None
            if status == 401 and retry_on_401 and attempt == 1 and self._relogin is not None:
                logger.info('atomx: live: handshake refused (HTTP 401), logging in again')
                failure = self._login_again(token)
                if failure is not None:
                    return failure
                continue
            break
        return APIConnectionError(f'cannot open the websocket {self._shown_url}: {problem}',
                                  status_code=status)

    def _login_again(self, token: Optional[str]) -> Optional[AtomxError]:
        assert self._relogin is not None
        try:
            renewed = self._relogin(token)
        except AtomxError as error:
            return type(error)(str(error))  # the message, not the request it holds
        if not renewed:
            return InvalidCredentials('the websocket refused the token (HTTP 401) and the '
                                      'session cannot log in again (logged out)', 401)
        return None

    def _try_open(self, token: Optional[str]) -> Tuple[Optional[str], Optional[int]]:
        """Connect once; ``(None, None)`` or ``(what went wrong, HTTP status)``."""
        if self._pace is not None and not self._pace(within=self._open_timeout):
            return (f'max_rate would hold the handshake past open_timeout '
                    f'({self._open_timeout:g} s); nothing was sent'), None
        url = f'{self._url}?{urlencode({"auth_token": token or ""})}'
        logger.debug('atomx: live: connecting to %s', mask_token(url))
        connect = self._websockets.connect
        proxy = self._proxy_for(self._url) if self._proxy_for is not None else None
        try:
            connection = connect(url, open_timeout=self._open_timeout,
                                 ping_interval=self._ping_interval,
                                 ping_timeout=self._ping_interval,
                                 close_timeout=min(2.0, self._ping_interval),
                                 user_agent_header=USER_AGENT,
                                 logger=_socket_logger, proxy=proxy or True,
                                 **_connect_kwargs(connect))
        except Exception as exc:  # websockets' errors, OSError, TimeoutError
            response = getattr(exc, 'response', None)
            status = getattr(response, 'status_code', None)
            return mask_token(f'{type(exc).__name__}: {exc}'), status
        try:
            first = json.loads(connection.recv(timeout=self._open_timeout))
        except Exception as exc:
            connection.close()
            return mask_token(f'no connected notice: {type(exc).__name__}: {exc}'), None
        self._connection = connection
        self._hello = first if isinstance(first, dict) else {}
        self._connected.set()
        return None, None

    def _read_forever(self) -> None:
        failures = 0
        while not self._closing.is_set():
            self._read()
            self._connected.clear()
            if self._closing.is_set():
                return
            if not self._reconnect:
                self._fail(APIConnectionError(f'the websocket {self._shown_url} was closed'))
                return
            failure = self._reopen(failures)
            if isinstance(failure, InvalidCredentials):
                self._fail(failure)
                return
            failures = failures + 1 if failure is not None else 0

    def _read(self) -> None:
        """Read messages into the queue until the connection ends."""
        connection = self._connection
        while True:
            try:
                text = connection.recv()
            except Exception:  # closed: by us, by the server or by the network
                logger.info('atomx: live: the websocket %s closed', self._shown_url)
                return
            self._take(text)

    def _take(self, text: Any, held: Optional[List[Event]] = None) -> None:
        try:
            message = json.loads(text)
        except ValueError:
            logger.warning('atomx: live: ignored a message that is not JSON: %.80r', text)
            return
        if not isinstance(message, dict):
            logger.warning('atomx: live: ignored a message that is not an object: %.80r', text)
            return
        if message.get('channel') == SYSTEM_CHANNEL and self._answered(message):
            return
        event = make_event(message, self._session)
        if held is not None:
            held.append(event)
        else:
            self._events.put(event)

    def _reopen(self, failures: int) -> Optional[AtomxError]:
        """Wait, open a new connection and subscribe again; the error if it failed."""
        delay = backoff_delay(failures, random.random())
        logger.info('atomx: live: reconnecting to %s in %.2fs', self._shown_url, delay)
        if self._closing.wait(delay):
            return None
        failure = self._open(retry_on_401=True)
        if failure is not None:
            logger.info('atomx: live: reconnect failed: %s', failure)
            return failure
        if self._closing.is_set():
            self._connection.close()
            return None
        return self._subscribe_again()

    def _subscribe_again(self) -> Optional[AtomxError]:
        """Subscribe the confirmed channels on the new connection, then queue 'reconnected'."""
        with self._lock:
            channels = sorted(self._confirmed)
            self._confirmed.clear()
        answers = {channel: self._send_request('subscribe', channel) for channel in channels}
        held: List[Event] = []
        deadline = time.monotonic() + self._open_timeout
        while not all(answer.done.is_set() for answer in answers.values()):
            try:
                text = self._connection.recv(timeout=max(0.0, deadline - time.monotonic()))
            except Exception:
                self._forget('subscribe', answers)
                with self._lock:  # keep the channels for the next attempt
                    self._confirmed.update(channels)
                return APIConnectionError('the new connection failed while subscribing again')
            self._take(text, held)
        refused = {channel: answer.error for channel, answer in answers.items()
                   if answer.error is not None}
        self._events.put(Event('reconnected', SYSTEM_CHANNEL, None, {
            'channel': SYSTEM_CHANNEL, 'message': 'reconnected', 'channels': sorted(self.channels),
            'refused': refused, 'user': self._hello.get('user')}))
        for event in held:
            self._events.put(event)
        return None

    def _fail(self, failure: AtomxError) -> None:
        self._failure = failure
        self._closing.set()
        self._events.put(None)
        with _registry_lock:
            _open_subscriptions.get(self._session, set()).discard(self)

    def _call_back(self, callback: Callable[[Event], Any]) -> None:
        while not self._stop_callback.is_set():
            try:
                event = self.next_event(timeout=0.1)
            except AtomxError:
                logger.exception('atomx: live: the subscription ended')
                return
            if event is None:
                if self.closed:
                    return
                continue
            try:
                callback(event)
            except Exception:
                logger.exception('atomx: live: the callback failed on %r', event)


__all__ = ['EVENT_KINDS', 'Event', 'Subscription', 'SubscriptionError', 'backoff_delay',
           'close_all', 'make_event', 'mask_token', 'parse_channel', 'parse_channels',
           'websocket_url']
