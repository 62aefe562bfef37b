"""How long a call may take: :class:`Timeout` and the ``timeout=`` argument's forms.

``timeout=`` of :class:`atomx.Atomx` is a number of seconds, a ``(connect,
read)`` pair, or a :class:`Timeout` with a ``total`` too:

- ``connect``: the most seconds to open a connection, looking the host's
  name up included (:mod:`atomx.lookup`);
- ``read``: the most seconds to wait for the next bytes of an answer;
- ``total``: the most seconds one call may take from its first byte sent to
  its last byte read, every retry and every wait between them included; when
  it runs out the call raises :class:`~atomx.exceptions.APIConnectionError`
  saying so.  Without a ``total``, :data:`DEFAULT_TOTAL` applies, or
  ``connect + read`` when that is longer, so that one slow but steady answer
  still fits.

The read timeout alone cannot bound a call: a server that sends one byte
every second never lets it expire.  The total deadline can
(:mod:`atomx.deadline` enforces it, and bounds the name lookup of a new
connection too).
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional, Tuple, Union

from .checks import check_seconds

#: The ``total`` of a timeout that does not give one, in seconds.
DEFAULT_TOTAL = 300.0


class Timeout(NamedTuple):
    """The limits of one call, in seconds (see :mod:`atomx.timeouts`).

    :param connect: the most seconds to open a connection, name lookup included.
    :param read: the most seconds to wait for the next bytes of an answer.
    :param total: the most seconds one call may take, retries and waits
        included; ``None`` gives ``max(DEFAULT_TOTAL, connect + read)``.
    """

    connect: float
    read: float
    total: Optional[float] = None

    @property
    def deadline_seconds(self) -> float:
        """The ``total`` that applies: the given one, else the default."""
        if self.total is not None:
            return self.total
        return max(DEFAULT_TOTAL, self.connect + self.read)


#: What ``timeout=`` accepts.
TimeoutArgument = Union[float, Tuple[float, float], Timeout]

#: The default: 10 s to connect, 120 s between bytes (reports take a while to
#: compute), 300 s for the whole call.
DEFAULT_TIMEOUT = Timeout(connect=10.0, read=120.0, total=DEFAULT_TOTAL)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_timeout(timeout: Any) -> Timeout:
    """Check a ``timeout=`` argument and give it its full form.

    :param timeout: a positive number of seconds (for both connect and read), a
        ``(connect, read)`` pair (tuple or list) of them, or a :class:`Timeout`
        (whose ``total`` may be ``None``).
    :returns: the :class:`Timeout`, its values as floats.
    :raises TypeError: another form (``None``, a str, a bool, a triple...); the
        message says which forms are allowed.
    :raises ValueError: a number that is not above 0, or above
        :data:`~atomx.checks.MAX_SECONDS` (infinity and NaN included), which the
        platform's sockets cannot wait; the message names it.
    """
    if _is_number(timeout):
        seconds = check_seconds('timeout', timeout)
        return Timeout(seconds, seconds)
    if isinstance(timeout, Timeout) or (isinstance(timeout, (tuple, list)) and len(timeout) == 2):
        connect, read, total = (*timeout, None) if len(timeout) == 2 else timeout
        if all(map(_is_number, (connect, read))) and (total is None or _is_number(total)):
            return Timeout(check_seconds('the connect timeout', connect),
                           check_seconds('the read timeout', read),
                           None if total is None else check_seconds('the total timeout', total))
    raise TypeError(f'timeout must be a positive number of seconds, a (connect, read) pair of '
                    f'them, or atomx.Timeout(connect=, read=, total=), not {timeout!r}')


__all__ = ['DEFAULT_TIMEOUT', 'DEFAULT_TOTAL', 'Timeout', 'check_timeout']
