"""What the sandbox answers: the JSON envelope of a success, :class:`ApiError` for a failure.

Handlers return :func:`single` or :func:`listing` answers, or raise an
:class:`ApiError` (made by :func:`bad_request`, :func:`not_found`, ...), which the
WSGI app turns into :func:`error`: ``{"success": false, "error": message}`` with
its status, the shape the API documents for every failure.
"""
from __future__ import annotations

import json
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Dict, List

from werkzeug.wrappers import Response

if TYPE_CHECKING:  # pragma: no cover
    from .query import ListQuery

CONTENT_TYPE = 'application/json; charset=UTF-8'


class ApiError(Exception):
    """An error answer: HTTP ``status`` and a message that says what was wrong."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


#: 400: the request itself is malformed (parameters, JSON).
bad_request = partial(ApiError, 400)
#: 401: no valid token (or wrong credentials at login).
unauthorized = partial(ApiError, 401)
#: 403: logged in, but the user's rights do not cover this.
forbidden = partial(ApiError, 403)
#: 404: no such model, record, attribute or route.
not_found = partial(ApiError, 404)
#: 422: well-formed, but the values do not make a valid record.
unprocessable = partial(ApiError, 422)


def respond(body: Dict[str, Any], status: int = 200) -> Response:
    """A JSON response with its length set (keep-alive needs it)."""
    return Response(json.dumps(body, default=str), status=status, content_type=CONTENT_TYPE)


def error(status: int, message: str) -> Response:
    """``{"success": false, "error": message}`` with ``status``."""
    return respond({'success': False, 'error': message}, status)


def single(resource: str, payload: Any, **extra: Any) -> Response:
    """A payload under the key its ``resource`` names."""
    return respond({'success': True, 'resource': resource, resource: payload, **extra})


def listing(resource: str, items: List[Any], query: ListQuery, count: int,
            now: datetime) -> Response:
    """A list answer with the documented envelope."""
    return respond({
        'success': True, 'resource': resource, resource: items,
        'limit': query.limit, 'offset': query.offset, 'sort': query.sort_text,
        'filter': [str(item) for item in query.filters], 'count': count,
        'timestamp': now.isoformat(),
    })
