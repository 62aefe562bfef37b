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
        """Make the pool manager, with watched connection classes.

        :param args: as for :class:`requests.adapters.HTTPAdapter`.
        :param kwargs: as for :class:`requests.adapters.HTTPAdapter`.
        """
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """The proxy manager for ``proxy``, with watched connection classes (not SOCKS).

        :param proxy: the proxy's URL.
        :param proxy_kwargs: as for :class:`requests.adapters.HTTPAdapter`.
        :returns: the urllib3 proxy manager.
        """
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is urllib3.ProxyManager:
            manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


__all__ = ['WATCHDOG', 'Watch', 'WatchedAdapter']
