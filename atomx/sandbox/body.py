"""The request body: read once, before routing, and never past the limit.

The sandbox refuses bodies over :data:`MAX_BODY` (16 MiB) with 413.  A
``Content-Length`` above it is refused before a byte of the body is read; a
chunked body (``Transfer-Encoding: chunked``, no length announced) is read until
it passes the limit and refused there, with every line of the chunk framing
bounded too (:class:`ChunkedInput`).  A request that announces both a length and
chunks is refused (400), as is any other transfer coding (501).  Whenever a body
is refused, the rest of it stays unread, so the connection is closed after the
answer: the app marks such requests with :data:`UNREAD_BODY` in the WSGI environ
and the server (:mod:`.server`) closes them.
"""
from __future__ import annotations

from io import BufferedIOBase
from typing import IO, Any, Dict, List, Optional

from .query import is_whole_number

#: Request bodies larger than this are refused (413).
MAX_BODY = 16 * 1024 * 1024
#: The environ key set when the body was left unread: answer, then close the connection.
UNREAD_BODY = 'atomx.sandbox.unread_body'
_PIECE = 64 * 1024
_MAX_LINE = 4096  # a chunk-size line (with extensions) or a trailer line
_MAX_TRAILERS = 100
_HEX_DIGITS = b'0123456789abcdefABCDEF'


class BodyError(Exception):
    """The body is refused unread (or half read): HTTP ``status`` and what was wrong."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def declared_length(content_length: Optional[str], transfer_encoding: Optional[str],
                    limit: int = MAX_BODY) -> Optional[int]:
    """The length a request's headers announce; ``None`` for a chunked body or none.

    :param content_length: the ``Content-Length`` header (``None`` when absent).
    :param transfer_encoding: the ``Transfer-Encoding`` header (``None`` when absent).
    :param limit: the largest body accepted.
    :returns: the announced length, 0 without a body, ``None`` for a chunked body.
    :raises BodyError: the body is refused before a byte of it is read: 413 over
        ``limit``, 400 for a length that is not a number or that comes with chunks,
        501 for a transfer coding other than ``chunked``.
    """
    if transfer_encoding:
        codings = [part.strip().lower() for part in transfer_encoding.split(',')]
        if codings != ['chunked']:
            raise BodyError(501, f'Transfer-Encoding {transfer_encoding!r} is not supported; '
                                 'send a Content-Length or Transfer-Encoding: chunked')
        if content_length:
            raise BodyError(400, 'a request cannot have both Content-Length and '
                                 'Transfer-Encoding: chunked')
        return None
    if not content_length:
        return 0
    if not is_whole_number(content_length.strip()):
        raise BodyError(400, 'Content-Length must be a whole number of bytes, '
                             f'got {content_length!r}')
    length = int(content_length)
    if length > limit:
        raise BodyError(413, f'the request body of {length} bytes is larger than the '
                             f'{limit} bytes allowed')
    return length


def read_body(environ: Dict[str, Any], limit: int = MAX_BODY) -> bytes:
    """The whole body of the request, at most ``limit`` bytes.

    :param environ: the WSGI environ; its ``wsgi.input`` is a :class:`ChunkedInput`
        for a chunked body.
    :param limit: the largest body accepted.
    :returns: the body (empty when the request has none).
    :raises BodyError: see :func:`declared_length`; also 413 for a chunked body
        that passes ``limit`` and 400 for a broken one (a bad chunk, a body that
        ends early).
    """
    length = declared_length(environ.get('CONTENT_LENGTH'),
                             environ.get('HTTP_TRANSFER_ENCODING'), limit)
    stream = environ['wsgi.input']
    try:
        if length is None:
            return _read_up_to(stream, limit)
        body = stream.read(length) if length else b''
    except (OSError, ValueError) as exc:
        raise BodyError(400, f'the request body could not be read: {exc}') from None
    if len(body) < length:
        raise BodyError(400, f'the request body ended after {len(body)} of the {length} '
                             'bytes its Content-Length announced')
    return body


def _read_up_to(stream: IO[bytes], limit: int) -> bytes:
    """A chunked body, read in pieces until its end or until it passes ``limit``."""
    parts: List[bytes] = []
    size = 0
    while True:
        part = stream.read(_PIECE)
        if not part:
            return b''.join(parts)
        size += len(part)
        if size > limit:
            raise BodyError(413, 'the chunked request body is larger than the '
                                 f'{limit} bytes allowed')
        parts.append(part)


class ChunkedInput:
    """A chunked request body as a stream of its data, decoded from the connection.

    Unlike a plain ``readline``, no line of the framing (a chunk size, a trailer)
    may be longer than a few KiB, and no read asks the connection for more than it
    was asked for, so a hostile body cannot make the server buffer more than that.
    Broken framing raises :class:`OSError`.
    """

    def __init__(self, rfile: BufferedIOBase) -> None:
        self._rfile = rfile
        self._left = 0  # bytes left in the current chunk
        self._done = False

    def read(self, size: int = _PIECE) -> bytes:
        """At most ``size`` bytes of data (fewer at a chunk's end); ``b''`` at the end."""
        if self._done:
            return b''
        if self._left == 0:
            self._left = self._chunk_size()
            if self._left == 0:
                self._skip_trailers()
                self._done = True
                return b''
        wanted = min(max(size, 1), self._left)
        data = self._rfile.read(wanted)
        if len(data) < wanted:
            raise OSError('the chunked body ended inside a chunk')
        self._left -= len(data)
        if self._left == 0 and self._line() not in (b'\r\n', b'\n'):
            raise OSError('a chunk is not followed by CRLF')
        return data

    def _line(self) -> bytes:
        line = self._rfile.readline(_MAX_LINE + 1)
        if not line.endswith(b'\n'):
            raise OSError('a line of the chunk framing is too long or cut off')
        return line

    def _chunk_size(self) -> int:
        text = self._line().split(b';', 1)[0].strip()  # chunk extensions are ignored
        if not text or text.strip(_HEX_DIGITS):
            raise OSError(f'bad chunk size {text[:20]!r}')
        return int(text, 16)

    def _skip_trailers(self) -> None:
        for _ in range(_MAX_TRAILERS):
            if self._line() in (b'\r\n', b'\n'):
                return
        raise OSError('too many trailer lines after the last chunk')
