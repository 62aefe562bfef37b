"""Checks of arguments that every module shares, so that each rule is written once."""
from __future__ import annotations

from typing import Any


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


__all__ = ['check_count']
