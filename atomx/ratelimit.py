"""The session's request pace: a token bucket and the shared ``Retry-After`` pause.

:class:`RateLimiter` is asked by the transport before every request it sends
(first attempts, retries, re-logins), so every path of a session obeys it
without knowing: the verbs, :meth:`~atomx.Atomx.iter`, the bulk verbs and
report pages.  It does two things:

- with ``rate`` set, at most ``rate`` requests per second leave, shared by all
  threads (a token bucket holding ``burst`` tokens, in its "virtual scheduling"
  form: each request is given the next free slot and sleeps until it);
- after an answer asked to wait (HTTP 429 with ``Retry-After``), :meth:`hold`
  makes every other thread of the session wait as long, instead of hammering
  the API while one of them waits.

The clock and the sleep function are parameters, so that tests drive it
without waiting.
"""
from __future__ import annotations

import math
import threading
import time
from typing import Any, Callable, Optional

from .checks import check_count, check_positive

_DAY = 86400

#: The slowest ``max_rate``: one request a day.  A slower one is a mistake (a unit
#: slip, ``1e-300``): no call's deadline could wait for its next slot, and its
#: interval may not even be sleepable (``time.sleep(1e300)`` overflows).
MIN_RATE = 1 / _DAY


def check_rate(max_rate: Any) -> Optional[float]:
    """Check a ``max_rate`` argument.

    :param max_rate: requests per second, a finite number of at least
        :data:`MIN_RATE` (one request a day), or ``None`` for no limit.
    :returns: ``max_rate`` as a float, or ``None``.
    :raises TypeError: it is not a number (a bool is not one either).
    :raises ValueError: it is not positive and finite, or below :data:`MIN_RATE`.
    """
    if max_rate is None:
        return None
    rate = check_positive('max_rate', max_rate, 'requests per second', none_allowed=True)
    if rate < MIN_RATE:
        raise ValueError(f'max_rate must be at least 1/{_DAY} requests per second (one request '
                         f'a day), not {max_rate!r}; pass None for no limit')
    return rate


class RateLimiter:
    """At most ``rate`` requests per second across threads, and a pause they all share.

    :param rate: requests per second, or ``None`` for no limit (the shared
        pause still applies).
    :param burst: how many requests may leave at once after a quiet spell (the
        bucket's size); 1 spaces every request ``1 / rate`` seconds apart.
    :param clock: seconds from a monotonic clock.
    :param sleep: the function that waits.
    :raises TypeError: a bad ``rate`` or ``burst``.
    :raises ValueError: a ``rate`` or ``burst`` below the allowed range.
    """

    def __init__(self, rate: Optional[float] = None, *, burst: int = 1,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rate = check_rate(rate)
        self.burst = check_count('burst', burst, 1)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_free = -math.inf  # when the bucket is empty again (the "TAT")
        self._paused_until = -math.inf

    def __repr__(self) -> str:
        return f'<RateLimiter rate={self.rate} burst={self.burst}>'

    def reserve(self, *, mind_pause: bool = True, within: float = math.inf) -> float:
        """Take the next free slot without waiting for it.

        :param mind_pause: wait for a pause set by :meth:`hold` (``False`` for
            the thread that already waited for its own ``Retry-After``).
        :param within: the longest acceptable wait in seconds; a later slot is not
            taken (it stays free for others) and its wait is returned all the same.
        :returns: the seconds to wait before sending (0 when it may leave now).
        """
        with self._lock:
            now = self._clock()
            start = max(now, self._paused_until) if mind_pause else now
            if self.rate is not None:
                interval = 1.0 / self.rate
                start = max(start, self._next_free - (self.burst - 1) * interval)
                if start - now <= within:
                    self._next_free = max(self._next_free, start) + interval
            return start - now

    def acquire(self, *, mind_pause: bool = True, within: float = math.inf) -> bool:
        """Wait until one more request may leave (see :meth:`reserve`), unless that
        is more than ``within`` seconds away.

        A call's total deadline is passed as ``within``, so that a request queued
        behind the rate or a ``Retry-After`` pause past its deadline fails at once
        instead of sleeping through it.

        :param mind_pause: as for :meth:`reserve`.
        :param within: as for :meth:`reserve`.
        :returns: ``True`` once the request may be sent; ``False`` at once (without
            waiting or taking a slot) when it could not leave within ``within``.
        """
        if self.rate is None and (not mind_pause or self._paused_until <= self._clock()):
            return True  # no rate and no pause: nothing to reserve (one float read, no lock)
        wait = self.reserve(mind_pause=mind_pause, within=within)
        if wait > within:
            return False
        if wait > 0:
            self._sleep(wait)
        return True

    def hold(self, seconds: float) -> None:
        """Let no request leave for ``seconds`` (an answer's ``Retry-After``).

        :param seconds: how long from now; a shorter pause never cuts a longer one.
        :returns: ``None``.
        """
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)


__all__ = ['MIN_RATE', 'RateLimiter', 'check_rate']
