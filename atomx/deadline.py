"""The total deadline of a call, enforced on the socket.

requests knows only per-``recv`` timeouts, so a server that drips one byte
at a time keeps a request alive for as long as it likes.  Here one daemon
thread, the watchdog, keeps the deadlines of the requests in flight; when one
passes, it shuts the request's socket down, which wakes the blocked read at
once (urllib3 then raises, and the transport sees :attr:`Watch.expired`).

The connection of a request is found without touching urllib3's internals:
:class:`WatchedAdapter` gives its pools a connection class whose ``request``
notes itself in the :class:`Watch` of the calling thread.  On the hot path this
costs a thread-local read, a lock and a set insertion: a few microseconds.

A name lookup has no socket to shut down: the same connection class's
``_new_conn`` (urllib3's, called for a new connection only) looks its host's
name up through :mod:`atomx.lookup`, waiting no longer than the connect
timeout or the time left before the deadline.
"""
from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from typing import Any, Optional

import requests.adapters
import urllib3
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions
import urllib3.util.connection

from . import lookup


class Watch:
    """One request's deadline, and the connection it runs on once it has one.

    :param deadline: the :func:`time.monotonic` time at which it is cut off.
    :ivar expired: ``True`` once the watchdog cut it off.
    """

    __slots__ = ('deadline', 'connection', 'expired')

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.connection: Any = None
        self.expired = False


_current = threading.local()


def _cut(connection: Any) -> None:
    """Shut a connection's socket down so that a read blocked on it returns now.

    The plain socket's ``shutdown`` is called even on a TLS socket: the TLS one
    would also drop its TLS state under the reading thread's feet.
    """
    sock = getattr(connection, 'sock', None)
    if sock is None:
        return
    with contextlib.suppress(OSError, TypeError, ValueError):  # closed: nothing blocks on it
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """The thread that cuts off requests whose deadline passed."""

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # the thread does not survive a fork

    def _reset(self) -> None:
        # The requests take the lock itself (a C call) rather than the condition (two
        # Python calls around it): they only notify, which needs the lock held, not the
        # condition entered.
        self._lock = threading.Lock()
        self._condition = threading.Condition(self._lock)
        self._active: set[Watch] = set()
        self._wakes_at = float('inf')
        self._thread: Optional[threading.Thread] = None

    def watch(self, deadline: float) -> Watch:
        """Watch the calling thread's next request until :meth:`release`.

        :param deadline: when to cut it off (:func:`time.monotonic` time).
        :returns: the :class:`Watch`.
        """
        watch = Watch(deadline)
        with self._lock:
            self._active.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name='atomx-deadlines',
                                                daemon=True)
                self._thread.start()
            if deadline < self._wakes_at:
                self._condition.notify()
        _current.watch = watch
        return watch

    def detach(self, watch: Watch, connection: Any) -> None:
        """Stop cutting ``connection`` for ``watch``: it goes back to the pool.

        A deadline that passes after the answer was read must not cut the
        connection under the next request (of any thread) that takes it.

        :param watch: the calling thread's :class:`Watch`.
        :param connection: the connection returned to the pool.
        """
        with self._lock:
            if watch.connection is connection:
                watch.connection = None

    def release(self, watch: Watch) -> None:
        """Stop watching: the request is over.

        :param watch: what :meth:`watch` returned.
        """
        _current.watch = None
        with self._lock:
            self._active.discard(watch)

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                for watch in [watch for watch in self._active if watch.deadline <= now]:
                    self._active.discard(watch)
                    watch.expired = True
                    if watch.connection is not None:
                        _cut(watch.connection)
                self._wakes_at = min((watch.deadline for watch in self._active),
                                     default=float('inf'))
                wait = self._wakes_at - now  # capped: a longer wait would kill the thread
                self._condition.wait(None if wait == float('inf') else
                                     min(wait, threading.TIMEOUT_MAX))


#: The one watchdog of the process.
WATCHDOG = _Watchdog()


class _WatchedConnection:
    """Mixed into urllib3's connections: note the connection in the thread's Watch."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        watch: Optional[Watch] = getattr(_current, 'watch', None)
        if watch is not None:
            watch.connection = self
            if watch.expired:  # the deadline passed while connecting
                _cut(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]

    def _new_conn(self) -> Any:
        """urllib3's, the name looked up within the call's time (see :func:`_connect`)."""
        return _connect(self, super()._new_conn)  # type: ignore[misc]


def _seconds_left(connect_timeout: Any) -> Optional[float]:
    """How long the next step of connecting (a lookup, a connect) may take: the connect
    timeout, and no longer than the calling thread's :class:`Watch` has left; ``None``
    when neither bounds it."""
    limits = [connect_timeout] if isinstance(connect_timeout, (int, float)) else []
    watch: Optional[Watch] = getattr(_current, 'watch', None)
    if watch is not None:
        limits.append(watch.deadline - time.monotonic())
    return min(limits, default=None)


def _connect(connection: Any, new_conn: Any) -> Any:
    """The socket of a new connection, its host's name looked up in bounded time.

    ``getaddrinfo`` has no timeout and no socket the watchdog could shut down, so
    the name is looked up by :func:`atomx.lookup.addresses`, waited for no longer
    than :func:`_seconds_left`; then urllib3's own ``_new_conn`` connects to each
    address found in turn (the first that accepts wins), as it would to the name:
    socket options, source address, its errors; but each address waits no longer
    than the call has left, and none is tried once the deadline passed.
    ``host``, which the ``Host`` header, SNI and the certificate check use, stays
    the name.  An IP literal, ``localhost`` and a connection without any time
    limit skip all this.

    :param connection: the urllib3 connection (to the proxy, through one).
    :param new_conn: its urllib3 ``_new_conn``.
    :returns: the connected socket.
    :raises urllib3.exceptions.NameResolutionError: the name does not resolve, or
        not in time (its reason a :class:`~atomx.lookup.LookupTimeout`).
    """
    name = connection._dns_host
    limit = connection.timeout
    seconds = _seconds_left(limit)
    if seconds is None or not lookup.needs_thread(name):
        return new_conn()
    try:
        found = lookup.addresses(name, connection.port,
                                 urllib3.util.connection.allowed_gai_family(), seconds)
    except socket.gaierror as error:
        raise _unresolved(connection, error) from error
    failure: Optional[Exception] = None
    try:
        for address in dict.fromkeys(entry[4][0] for entry in found):
            left = _seconds_left(limit)  # a number: it was one before the lookup
            if failure is not None and left is not None and left <= 0:
                break
            connection._dns_host = address  # what _new_conn connects to (host reads it too)
            connection.timeout = limit if left is None else max(left, 0.001)
            try:
                return new_conn()
            except (urllib3.exceptions.NewConnectionError,
                    urllib3.exceptions.ConnectTimeoutError) as error:
                failure = error
    finally:
        connection._dns_host, connection.timeout = name, limit
    raise failure or urllib3.exceptions.NewConnectionError(
        connection, 'Failed to establish a new connection: getaddrinfo returns an empty list')


def _unresolved(connection: Any, error: socket.gaierror) -> Exception:
    """What urllib3's ``_new_conn`` raises for a name that does not resolve."""
    if hasattr(urllib3.exceptions, 'NameResolutionError'):  # urllib3 2
        return urllib3.exceptions.NameResolutionError(connection.host, connection, error)
    return urllib3.exceptions.NewConnectionError(  # urllib3 1.26
        connection, f'Failed to establish a new connection: {error}')


class _HTTPConnection(_WatchedConnection, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, urllib3.connection.HTTPSConnection):
    pass


class _WatchedPool:
    """Mixed into urllib3's pools: a connection back in the pool is no longer cut."""

    def _put_conn(self, conn: Any) -> None:
        watch: Optional[Watch] = getattr(_current, 'watch', None)
        if watch is not None and watch.connection is conn:
            WATCHDOG.detach(watch, conn)
        super()._put_conn(conn)  # type: ignore[misc]


class _HTTPPool(_WatchedPool, urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(_WatchedPool, urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_WATCHED_POOLS = {'http': _HTTPPool, 'https': _HTTPSPool}


class WatchedAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter whose connections the watchdog can cut off (proxies included)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Make the pool manager, set up by :meth:`_set_up_manager`.

        :param args: as for :class:`requests.adapters.HTTPAdapter`.
        :param kwargs: as for :class:`requests.adapters.HTTPAdapter`.
        """
        super().init_poolmanager(*args, **kwargs)
        self._making_proxy_managers = threading.Lock()
        self._set_up_manager(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """The proxy manager for ``proxy``, as requests makes it, set up by
        :meth:`_set_up_manager` once, before another thread can have it.

        :param proxy: the proxy's URL.
        :param proxy_kwargs: as for :class:`requests.adapters.HTTPAdapter`.
        :returns: the urllib3 proxy manager.
        """
        with self._making_proxy_managers:
            new = proxy not in self.proxy_manager
            manager = super().proxy_manager_for(proxy, **proxy_kwargs)
            if new:
                self._set_up_manager(manager)
        return manager

    def _set_up_manager(self, manager: Any) -> None:
        """Give a pool manager this adapter made watched connection classes (the
        main one, and a proxy's but a SOCKS proxy's)."""
        if manager is self.poolmanager or type(manager) is urllib3.ProxyManager:
            manager.pool_classes_by_scheme = _WATCHED_POOLS


__all__ = ['WATCHDOG', 'Watch', 'WatchedAdapter']
