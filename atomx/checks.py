"""Checks of arguments that every module shares, so that each rule is written once."""
from __future__ import annotations

import threading
from typing import Any

from .exceptions import NoSessionError

#: The longest wait in seconds that this platform's locks and sockets take
#: (about 292 years on Linux, 49 days on Windows); a longer one overflows.
MAX_SECONDS = threading.TIMEOUT_MAX


def check_count(name: str, value: Any, minimum: int = 0) -> int:
    """``value`` if it is a whole number of at least ``minimum``.

    :param name: the argument's name, for the message (``'page_size'``).
    :param value: what the caller passed.
    :param minimum: the smallest value allowed.
    :returns: ``value``.
    :raises TypeError: ``value`` is not an :class:`int` (a :class:`bool` is not one either).
    :raises ValueError: ``value`` is below ``minimum``.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f'{name} must be an int, not {type(value).__name__} ({value!r})')
    if value < minimum:
        raise ValueError(f'{name} must be at least {minimum}, not {value}')
    return value


def check_seconds(name: str, value: Any) -> float:
    """``value`` as a float if it is a positive, finite number of seconds.

    :param name: the argument's name, for the message (``'open_timeout'``).
    :param value: what the caller passed.
    :returns: ``value`` as a float.
    :raises TypeError: ``value`` is not an int or a float (a bool is not one either).
    :raises ValueError: ``value`` is not above 0, or above :data:`MAX_SECONDS`
        (infinity and NaN included).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f'{name} must be a number of seconds, not {type(value).__name__} '
                        f'({value!r})')
    if not 0 < value <= MAX_SECONDS:
        limit = f' (at most {MAX_SECONDS:g})' if value > MAX_SECONDS else ''
        raise ValueError(f'{name} must be a positive number of seconds, not {value}{limit}')
    return float(value)


def session_to_use(given: Any, own: Any, action: str, what: str, variable: str) -> Any:
    """The session a model or a report sends with: the one passed, else its own.

    :param given: the session passed to the method, or ``None``.
    :param own: the session the object was made with, or ``None``.
    :param action: the method, for the message (``'save'``).
    :param what: the object, for the message (``'Site 5'``, ``'Report 12'``).
    :param variable: what the docs call such an object (``'model'``, ``'report'``).
    :returns: ``given``, or ``own`` when ``given`` is ``None``.
    :raises ~atomx.exceptions.NoSessionError: both are ``None``; the message says
        how to pass one.
    """
    session = given if given is not None else own
    if session is None:
        raise NoSessionError(
            f'cannot {action} {what}: it has no atomx.Atomx session; pass one '
            f'({variable}.{action}(atomx)) or create the {variable} with session=atomx')
    return session


__all__ = ['check_count', 'check_seconds', 'session_to_use']
