"""How long a call may take: :class:`Timeout` and the ``timeout=`` argument's forms.

``timeout=`` of :class:`atomx.Atomx` is a number of seconds, a ``(connect,
read)`` pair, or a :class:`Timeout` with a ``total`` too:

- ``connect``: the most seconds to open a connection;
- ``read``: the most seconds to wait for the next bytes of an answer;
- ``total``: the most seconds one call may take from its first byte sent to
  its last byte read, every retry and every wait between them included; when
  it runs out the call raises :class:`~atomx.exceptions.APIConnectionError`
  saying so.  Without a ``total``, :data:`DEFAULT_TOTAL` applies, or
  ``connect + read`` when that is longer, so that one slow but steady answer
  still fits.

The read timeout alone cannot bound a call: a server that sends one byte
every second never lets it expire.  The total deadline can
(:mod:`atomx.deadline` enforces it).
"""
from __future__ import annotations

import math
from typing import Any, NamedTuple, Optional, Tuple, Union

#: The ``total`` of a timeout that does not give one, in seconds.
DEFAULT_TOTAL = 300.0


class Timeout(NamedTuple):
    """The limits of one call, in seconds (see :mod:`atomx.timeouts`).

    :param connect: the most seconds to open a connection.
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


def _positive(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0)


def check_timeout(timeout: Any) -> Timeout:
    """Check a ``timeout=`` argument and give it its full form.

    :param timeout: a positive number of seconds (for both connect and read), a
        ``(connect, read)`` pair (tuple or list) of them, or a :class:`Timeout`
        (whose ``total`` may be ``None``).
    :returns: the :class:`Timeout`, its values as floats.
    :raises TypeError: anything else (``None``, ``0``, a str, a bool, a NaN...);
        the message says which forms are allowed.
    """
    if _positive(timeout):
        return Timeout(float(timeout), float(timeout))
    if isinstance(timeout, Timeout):
        connect, read, total = timeout
        if _positive(connect) and _positive(read) and (total is None or _positive(total)):
            return Timeout(float(connect), float(read), None if total is None else float(total))
    elif (isinstance(timeout, (tuple, list)) and len(timeout) == 2
          and all(map(_positive, timeout))):
        return Timeout(float(timeout[0]), float(timeout[1]))
    raise TypeError(f'timeout must be a positive number of seconds, a (connect, read) pair of '
                    f'them, or atomx.Timeout(connect=, read=, total=), not {timeout!r}')


__all__ = ['DEFAULT_TIMEOUT', 'DEFAULT_TOTAL', 'Timeout', 'check_timeout']
