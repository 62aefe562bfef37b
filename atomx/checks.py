"""Checks of arguments that every module shares, so that each rule is written once."""
from __future__ import annotations

import math
import threading
from typing import Any, Mapping, Optional

from .exceptions import NoSessionError
from .protocol import COUNT_PATTERN, DEPTHS, MAX_COUNT_DIGITS

#: The longest wait in seconds that this platform's locks and sockets take
#: (about 292 years on Linux, 49 days on Windows); a longer one overflows.
MAX_SECONDS = threading.TIMEOUT_MAX

#: The URL parameters the API documents as numbers, and the values each allows.
NUMERIC_URL_PARAMETERS = {
    'limit': f'a whole number, 0 or more, of at most {MAX_COUNT_DIGITS} ASCII digits',
    'offset': f'a whole number, 0 or more, of at most {MAX_COUNT_DIGITS} ASCII digits',
    'depth': '0, 1 or 2',
}


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


def url_parameter_problem(name: str, value: Any) -> Optional[str]:
    """What a documented numeric URL parameter (``limit``, ``offset``, ``depth``) allows,
    when ``value`` is not that.

    :param name: the parameter's name; other names are not checked.
    :param value: an int or its digits as a str (``'10'``, as the command line
        passes it), as the API reads it: ASCII digits only (no sign, no spaces) and
        at most :data:`~atomx.protocol.MAX_COUNT_DIGITS` of them
        (:data:`~atomx.protocol.COUNT_PATTERN`); ``None`` (left out) is fine.
    :returns: ``None`` when the value is allowed, else what is allowed
        (:data:`NUMERIC_URL_PARAMETERS`), for a message.
    """
    allowed = NUMERIC_URL_PARAMETERS.get(name)
    if allowed is None or value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        return allowed
    fine = text in DEPTHS if name == 'depth' else COUNT_PATTERN.fullmatch(text) is not None
    return None if fine else allowed


def check_url_parameters(params: Mapping[str, Any]) -> None:
    """Check the documented numeric URL parameters among ``params``, before a request.

    :param params: a request's query parameters by name.
    :raises ValueError: ``limit``, ``offset`` or ``depth`` has a value the API
        refuses (``limit='ten'``, ``offset=-1``, ``depth=3``); the message says
        what is allowed.
    """
    for name, value in params.items():
        allowed = url_parameter_problem(name, value)
        if allowed is not None:
            raise ValueError(f'URL parameter {name}={value!r} is not allowed: {name} is '
                             f'{allowed}')


def check_positive(name: str, value: Any, unit: str, maximum: float = math.inf,
                   none_allowed: bool = False) -> float:
    """``value`` as a float if it is a positive, finite number of ``unit`` up to ``maximum``.

    :param name: the argument's name, for the message (``'max_rate'``, ``'--timeout'``).
    :param value: what the caller passed.
    :param unit: what it counts, for the message (``'seconds'``).
    :param maximum: the largest value allowed.
    :param none_allowed: whether the caller also takes ``None`` (checked by the caller
        before; the message then says so).
    :returns: ``value`` as a float.
    :raises TypeError: ``value`` is not an int or a float (a bool is not one either).
    :raises ValueError: ``value`` is not above 0, is above ``maximum``, or is not
        finite (infinity, NaN).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        none = ' or None' if none_allowed else ''
        raise TypeError(f'{name} must be a number of {unit}{none}, not {type(value).__name__} '
                        f'({value!r})')
    if not (0 < value <= maximum and math.isfinite(value)):
        limit = (f' (at most {maximum:g})' if value > maximum and math.isfinite(maximum)
                 else ' (a finite one)' if math.isinf(value) else '')
        raise ValueError(f'{name} must be a positive number of {unit}, not {value!r}{limit}')
    return float(value)


def check_seconds(name: str, value: Any) -> float:
    """``value`` as a float if it is a positive, finite number of seconds.

    :param name: the argument's name, for the message (``'open_timeout'``).
    :param value: what the caller passed.
    :returns: ``value`` as a float.
    :raises TypeError: ``value`` is not an int or a float (a bool is not one either).
    :raises ValueError: ``value`` is not above 0, or above :data:`MAX_SECONDS`
        (infinity and NaN included).
    """
    return check_positive(name, value, 'seconds', MAX_SECONDS)


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


__all__ = ['NUMERIC_URL_PARAMETERS', 'check_count', 'check_positive', 'check_seconds',
           'check_url_parameters', 'session_to_use', 'url_parameter_problem']
