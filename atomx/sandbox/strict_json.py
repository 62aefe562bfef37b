"""JSON bodies as the API takes them: standard JSON, which can be stored and sent back.

Python's :func:`json.loads` also accepts ``NaN``, ``Infinity`` and ``-Infinity``,
turns ``1e999`` into an infinity and ``"\\ud800"`` into a lone surrogate.  None of
these can be written back as standard JSON in UTF-8, so a record holding one would
break every answer that shows it; :func:`loads` refuses them instead.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, List

_SURROGATE = re.compile('[\ud800-\udfff]')


def _constant(name: str) -> Any:
    raise ValueError(f'{name} is not a JSON number (JSON has no NaN or Infinity)')


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f'{text} is too large for a JSON number (it would be infinite)')
    return number


def loads(raw: bytes) -> Any:
    """Decode a JSON body, refusing what standard JSON cannot hold.

    :param raw: the body (UTF-8, or UTF-16/32 with its byte order mark).
    :returns: the decoded value.
    :raises ValueError: the body is not JSON, holds ``NaN`` or an infinity, a lone
        surrogate (``"\\ud800"``), or is nested too deeply; the message says which.
    """
    try:
        value = json.loads(raw, parse_constant=_constant, parse_float=_finite)
    except RecursionError:
        raise ValueError('it is nested too deeply') from None
    _check_text(value)
    return value


def _check_text(value: Any) -> None:
    """Refuse a lone surrogate in any string or key of ``value`` (walked without recursion)."""
    pending: List[Any] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                raise ValueError(f'the text {item[:40]!r} holds a lone surrogate '
                                 f'(\\u{ord(found.group()):04x}), which is not a character')
