"""Capped exponential backoff with jitter: how long to wait before trying again.

The transport waits so between the retries of a request, and a live
subscription between its attempts to reopen a dropped connection; both ask
:func:`backoff_delay`, each with its own first wait and maximum.
"""
from __future__ import annotations

#: The most doublings taken into account: ``2.0 ** 1023`` is the largest power of
#: two a float holds, so any number of failures (days of them) never overflows.
_MOST_DOUBLINGS = 1023


def backoff_delay(attempt: int, jitter: float, first: float, maximum: float) -> float:
    """Seconds to wait after ``attempt`` failed attempts before the next one.

    The ceiling starts at ``first`` and doubles with each attempt until it reaches
    ``maximum``; the wait is half the ceiling plus ``jitter`` times the other half,
    so that clients that failed together do not all come back at the same moment.

    :param attempt: the attempts that failed before this wait, less one (0 for the
        first wait).
    :param jitter: a random number, ``0 <= jitter < 1``.
    :param first: the first ceiling in seconds.
    :param maximum: the largest ceiling in seconds.
    :returns: between half the ceiling and all of it, in seconds.
    """
    ceiling = min(maximum, first * 2.0 ** min(attempt, _MOST_DOUBLINGS))
    return ceiling / 2 + jitter * ceiling / 2


__all__ = ['backoff_delay']
