"""Connection settings written as text: ``ATOMX_TIMEOUT``, ``ATOMX_RETRIES`` and
the command line's ``--timeout`` and ``--retries``.

:meth:`atomx.Atomx.from_env`, :meth:`atomx.Atomx.from_profile` and the ``atomx``
command read them here (:func:`with_environment`), so that the environment and
the flags accept the same forms and say the same thing about a bad value.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping

from .checks import check_count
from .timeouts import Timeout, check_timeout

#: The environment variable of the ``timeout`` argument.
TIMEOUT_VARIABLE = 'ATOMX_TIMEOUT'
#: The environment variable of the ``retries`` argument.
RETRIES_VARIABLE = 'ATOMX_RETRIES'


def parse_timeout(text: str) -> Timeout:
    """A timeout written as text: ``'30'``, ``'5,120'`` (connect, read) or
    ``'5,120,600'`` (connect, read, total).

    :param text: seconds, or two or three numbers of seconds separated by commas.
    :returns: the :class:`~atomx.Timeout`, as ``Atomx(timeout=)`` takes it.
    :raises ValueError: the text is not that; the message says what is allowed.
    """
    parts = [part.strip() for part in text.split(',')]
    try:
        numbers = [float(part) for part in parts]
        if len(numbers) == 1:
            return check_timeout(numbers[0])
        if len(numbers) in (2, 3):
            return check_timeout(Timeout(*numbers))
    except (TypeError, ValueError):
        pass
    raise ValueError(f'{text!r} is not a timeout: give positive seconds, CONNECT,READ or '
                     f'CONNECT,READ,TOTAL seconds (e.g. 30, 5,120 or 5,120,600)')


def parse_retries(text: str) -> int:
    """A number of retries written as text: ``'3'``, ``'0'`` (no retries).

    :param text: a whole number, 0 or more.
    :returns: the number, as ``Atomx(retries=)`` takes it.
    :raises ValueError: the text is not that; the message says what is allowed.
    """
    try:
        return check_count('retries', int(text.strip()), 0)
    except (TypeError, ValueError):
        raise ValueError(f'{text!r} is not a number of retries: give a whole number, '
                         f'0 or more (0 turns retries off)') from None


def from_environment(environ: Mapping[str, str]) -> Dict[str, Any]:
    """``timeout`` and ``retries`` from ``ATOMX_TIMEOUT`` and ``ATOMX_RETRIES``.

    :param environ: the variables to read; unset or empty ones are left out.
    :returns: the keyword arguments of :class:`~atomx.Atomx` that are set.
    :raises ValueError: a variable holds a value that is not allowed.
    """
    settings: Dict[str, Any] = {}
    for name, variable, parse in (('timeout', TIMEOUT_VARIABLE, parse_timeout),
                                  ('retries', RETRIES_VARIABLE, parse_retries)):
        if environ.get(variable):
            try:
                settings[name] = parse(environ[variable])
            except ValueError as error:
                raise ValueError(f'environment variable {variable}: {error}') from None
    return settings


def with_environment(arguments: Mapping[str, Any], environ: Mapping[str, str]) -> Dict[str, Any]:
    """``arguments`` with ``timeout`` and ``retries`` added from the environment
    where they are not given: an argument (or a flag) wins over a variable.

    A bad variable is refused even when an argument stands in for it, so that a
    mistake in the environment shows up at once rather than in a later run.

    :param arguments: keyword arguments of :class:`~atomx.Atomx`.
    :param environ: the variables to read (see :func:`from_environment`).
    :returns: a new dict of the arguments and the variables' settings.
    :raises ValueError: a variable holds a value that is not allowed.
    """
    return {**from_environment(environ), **arguments}


__all__ = ['RETRIES_VARIABLE', 'TIMEOUT_VARIABLE', 'from_environment', 'parse_retries',
           'parse_timeout', 'with_environment']
