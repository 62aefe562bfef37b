"""A log line while an answer is slow to come: what the program is waiting for.

:class:`~atomx.transport.Transport` wraps each request in :func:`told_if_slow`.
Nothing happens (no timer, no thread, one level check) unless the ``atomx``
logger is enabled for INFO, as the ``atomx`` command line enables it for
stderr: there a server that accepts the connection but never answers is not a
silent two minutes.
"""
from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any, ContextManager, Optional

#: Seconds without an answer after which the INFO line is logged.
SLOW_AFTER = 3.0

_QUIET: ContextManager[None] = contextlib.nullcontext()


class _Told:
    """A timer that logs the line once, unless the ``with`` block ends first."""

    def __init__(self, logger: logging.Logger, what: object, delay: float) -> None:
        self._timer = threading.Timer(delay, logger.info, args=(
            'atomx: still waiting for %s after %s s', what, f'{delay:g}'))
        self._timer.daemon = True

    def __enter__(self) -> None:
        self._timer.start()

    def __exit__(self, *exc_info: Any) -> None:
        self._timer.cancel()


def told_if_slow(logger: logging.Logger, what: object,
                 after: Optional[float] = None) -> ContextManager[None]:
    """Log ``what`` is awaited, once, if the ``with`` block lasts longer than ``after``.

    :param logger: the logger of the line (INFO); when it is not enabled for
        INFO this costs one level check.
    :param what: the awaited thing, or an object whose ``str`` says it (made
        only when the line is logged), e.g. ``'an answer to GET
        https://.../sites (timeout: 10 s to connect, 120 s to read)'``.
    :param after: seconds to wait before telling (default: :data:`SLOW_AFTER`).
    :returns: the context manager.
    """
    if not logger.isEnabledFor(logging.INFO):
        return _QUIET
    return _Told(logger, what, SLOW_AFTER if after is None else after)


__all__ = ['SLOW_AFTER', 'told_if_slow']
