"""Whether a JSON body may hold an integer beyond 64 bits, found quickly.

orjson reads integers beyond 64 bits as floats, so the transport decodes a body
that may hold one with :mod:`json` instead (see :func:`atomx.transport.decode_json`).
The smallest such integer, 2**63, has 19 digits: a body with no run of 19
digits holds none.  A run of 19 digits may also sit in a string or a long
float; that merely costs the slower decoder.

Mapping every byte to "digit or not" is memory-bound work on the whole body (a
quarter of the decode time of a list of models), so :func:`has_long_digit_run`
first maps every fourth byte only: a run of 19 digits covers at least four
sampled bytes in a row, which JSON's dates, ids and numbers separated by commas
seldom do.  Each such place is then looked at closely; a digit-dense body (a
report's rows) that keeps raising false alarms gets the exact pass over the
rest of it instead, after sampling no more than its first chunk or so.
"""
from __future__ import annotations

import re
from typing import Union

#: The shortest run of digits that may be an integer beyond 64 bits (2**63).
RUN = 19
#: Maps every digit to ``1`` and every other byte to ``0``.
_DIGITS = bytes(0x31 if 0x30 <= byte <= 0x39 else 0x30 for byte in range(256))
_WHOLE_RUN = b'1' * RUN
_STRIDE = 4
#: What a run of ``RUN`` digits always leaves in the sample of every ``_STRIDE``-th byte.
_SAMPLED_RUN = b'1' * (RUN // _STRIDE)
_LONG_RUN = re.compile(rb'[0-9]{%d}' % RUN)
#: False alarms allowed before the rest of the body gets the exact pass.
_MAX_LOOKS = 32
#: The body is sampled a chunk at a time (so that a digit-dense one stops sampling
#: early); a multiple of ``_STRIDE``.
_CHUNK = 1 << 16
_OVERLAP = _STRIDE * (len(_SAMPLED_RUN) - 1)


def has_long_digit_run(content: Union[bytes, bytearray, memoryview, str]) -> bool:
    """Whether ``content`` holds a run of 19 or more ASCII digits.

    :param content: a JSON body (a str is encoded as UTF-8 first, a lone
        surrogate included, as :func:`json.loads` takes it).
    :returns: ``True`` exactly when such a run is there.
    """
    if isinstance(content, str):
        content = content.encode('utf-8', 'surrogatepass')
    elif not isinstance(content, (bytes, bytearray)):
        content = bytes(content)
    looks = 0
    for first in range(0, len(content), _CHUNK):
        # the chunk's sample, and the few samples after it that a run starting in it covers
        sample = content[first:first + _CHUNK + _OVERLAP:_STRIDE].translate(_DIGITS)
        at = sample.find(_SAMPLED_RUN)
        while 0 <= at < _CHUNK // _STRIDE:
            start = first + at * _STRIDE
            # a run through the sampled byte at ``start`` lies within RUN bytes of it
            if _LONG_RUN.search(content, max(0, start - RUN), start + 2 * RUN):
                return True
            looks += 1
            if looks == _MAX_LOOKS:
                return _has_run_from(content, max(0, start - RUN))
            at = sample.find(_SAMPLED_RUN, at + 1)
    return False


def _has_run_from(content: Union[bytes, bytearray], first: int) -> bool:
    """The exact pass from ``first`` on, a chunk at a time: a chunk's translation stays
    in the processor's cache, which makes it twice as fast as one of the whole body."""
    for start in range(first, len(content), _CHUNK):
        if content[start:start + _CHUNK + RUN - 1].translate(_DIGITS).find(_WHOLE_RUN) >= 0:
            return True
    return False


__all__ = ['RUN', 'has_long_digit_run']
