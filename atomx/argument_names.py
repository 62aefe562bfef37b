"""How an error message names an argument: as Python spells it, or as a flag.

:mod:`atomx.report_query` checks the arguments of :meth:`atomx.Atomx.report`
and names the bad one in its message: ``from_`` and ``scope=`` for a Python
caller.  The ``atomx report`` command runs the same checks inside
:func:`spelled_as_flags`, so that its user reads ``--from`` and ``--scope``,
the flags they typed.
"""
from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator

_as_flags: contextvars.ContextVar[bool] = contextvars.ContextVar('atomx_flags', default=False)


def flag(name: str) -> str:
    """The command line flag of a Python argument: ``from_`` -> ``--from``.

    :param name: the keyword argument's name.
    :returns: ``--`` and the name, without a trailing ``_``, ``_`` written ``-``.
    """
    return '--' + name.rstrip('_').replace('_', '-')


def argument(name: str) -> str:
    """An argument's name as a message shows it here: ``from_``, or ``--from``
    inside :func:`spelled_as_flags`.

    :param name: the keyword argument's name.
    :returns: the name or its :func:`flag`.
    """
    return flag(name) if _as_flags.get() else name


def argument_item(name: str, index: int) -> str:
    """One item of a list argument: ``where[0]``, or ``--where #1`` for flags.

    :param name: the keyword argument's name.
    :param index: the item's index in the list (from 0).
    :returns: how a message names that item.
    """
    return f'{flag(name)} #{index + 1}' if _as_flags.get() else f'{name}[{index}]'


def spelled(python: str, flags: str) -> str:
    """One of two wordings of a message: for a Python caller, or with flags.

    :param python: the text as a Python caller reads it (``groups=['hour']``).
    :param flags: the text inside :func:`spelled_as_flags` (``--groups hour``).
    :returns: the one that fits here.
    """
    return flags if _as_flags.get() else python


@contextlib.contextmanager
def spelled_as_flags() -> Iterator[None]:
    """Within the ``with`` block (and this thread or task only), messages name
    arguments by their command line flags.

    :returns: the context manager.
    """
    token = _as_flags.set(True)
    try:
        yield
    finally:
        _as_flags.reset(token)


__all__ = ['argument', 'argument_item', 'flag', 'spelled', 'spelled_as_flags']
