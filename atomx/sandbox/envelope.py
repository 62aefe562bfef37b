"""The JSON answers of the API: the envelope around a payload, and the error shape."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List

from werkzeug.wrappers import Response

from .query import ListQuery

CONTENT_TYPE = 'application/json; charset=UTF-8'


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
