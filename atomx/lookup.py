"""Name lookups that give up in time.

``socket.getaddrinfo`` has no timeout: with an unreachable name server the
system resolver takes 5 s per attempt and per server, 30 s and more, and has
no socket the deadline's watchdog could shut down.  :func:`addresses` runs the
lookup in a daemon thread and waits for it no longer than it is told; a lookup
still stuck when the program ends does not hold the interpreter's exit up
(a ``concurrent.futures`` executor would: its threads are joined at exit).
Callers asking for the same name while a lookup of it is under way share that
lookup, so a resolver that never answers costs one thread per name, not one
per call.
"""
from __future__ import annotations

import concurrent.futures
import ipaddress
import os
import socket
import threading
from typing import Any

#: ``socket.getaddrinfo``'s entries: ``(family, type, proto, canonname, sockaddr)``.
AddressInfo = list[tuple[Any, ...]]


class LookupTimeout(socket.gaierror):
    """A name lookup that did not answer in time (``EAI_AGAIN``, as a resolver that
    gives up says).

    :param host: the name looked up.
    :param seconds: how long it was waited for.
    """

    def __init__(self, host: str, seconds: float) -> None:
        super().__init__(socket.EAI_AGAIN, f'no answer for {host!r} within {round(seconds, 2):g} s')
        self.host = host
        self.seconds = seconds


def needs_thread(host: str) -> bool:
    """Whether looking ``host`` up may wait on a name server.

    An IP literal (brackets and a ``%zone`` allowed) and ``localhost`` are answered
    at once, without a thread.

    :param host: the host of a URL, as urllib3 connects to it.
    :returns: ``False`` for an IP literal or ``localhost``.
    """
    host = host.strip('[]')
    if host.rstrip('.').lower() == 'localhost':
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


_lock = threading.Lock()
_under_way: dict[tuple[str, int, int], concurrent.futures.Future[AddressInfo]] = {}


def _reset() -> None:
    """Forget the lookups under way: in a forked child, their threads do not exist."""
    global _lock, _under_way
    _lock = threading.Lock()
    _under_way = {}


os.register_at_fork(after_in_child=_reset)


def _look_up(key: tuple[str, int, int], future: concurrent.futures.Future[AddressInfo]) -> None:
    """The lookup thread: ``getaddrinfo`` (as the caller's module sees it) into ``future``."""
    host, port, family = key
    try:
        future.set_result(socket.getaddrinfo(host, port, family, socket.SOCK_STREAM))
    except BaseException as error:  # noqa: BLE001 (handed to the callers waiting)
        future.set_exception(error)
    finally:
        with _lock:
            if _under_way.get(key) is future:
                del _under_way[key]


def _start(key: tuple[str, int, int], future: concurrent.futures.Future[AddressInfo]) -> None:
    """Start the lookup thread of ``key`` (a daemon: a stuck lookup does not hold exit up)."""
    threading.Thread(target=_look_up, args=(key, future), name=f'atomx-lookup {key[0]}',
                     daemon=True).start()


def addresses(host: str, port: int, family: int, seconds: float) -> AddressInfo:
    """``socket.getaddrinfo(host, port, family, SOCK_STREAM)``, waited for at most ``seconds``.

    :param host: the name to look up.
    :param port: the port to connect to.
    :param family: ``AF_UNSPEC``, ``AF_INET`` or ``AF_INET6``.
    :param seconds: the most seconds to wait (0 or less: the wait is over already).
    :returns: what ``getaddrinfo`` returned, in its order.
    :raises LookupTimeout: no answer within ``seconds`` (the lookup goes on in its
        thread, and the next caller for that name waits for it too).
    :raises socket.gaierror: the name does not resolve.
    """
    if seconds <= 0:
        raise LookupTimeout(host, 0)
    key = (host, port, int(family))
    with _lock:
        future = _under_way.get(key)
        if future is None:
            future = _under_way[key] = concurrent.futures.Future()
            _start(key, future)
    try:
        return future.result(seconds)
    except concurrent.futures.TimeoutError:
        raise LookupTimeout(host, seconds) from None
    except socket.gaierror as error:  # a copy: the callers sharing the lookup raise in turn
        raise socket.gaierror(*error.args) from None


__all__ = ['AddressInfo', 'LookupTimeout', 'addresses', 'needs_thread']
