"""The WSGI application: routes, dispatch, and JSON for every error.

Paths are matched case-insensitively, with or without a trailing slash, below
``/v3``.  Every failure, unexpected ones included, answers
``{"success": false, "error": ...}``; no traceback page ever leaves the server.
The request body is read before routing (:mod:`.body`: at most 16 MiB), so a
kept-alive connection stays in step even when the answer is an early error; a
body refused unread is answered, then its connection closed.
"""
from __future__ import annotations

import io
import logging
from typing import Any, Callable, Dict, Iterable, Mapping

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ..version import API_VERSION
from . import directory, history, login, passwords, report_api, resources
from .answers import ApiError, error
from .body import MAX_BODY, UNREAD_BODY, BodyError, read_body
from .context import Backend, Call

log = logging.getLogger('atomx.sandbox')

_PREFIX = f'/{API_VERSION}'
_LISTS = ', '.join(directory.LISTS)

_RULES = [
    ('/login', 'login', ('GET', 'POST')),
    ('/totp', 'totp', ('POST',)),
    ('/search', 'search', ('GET',)),
    ('/reset_password', 'reset_password', ('GET', 'POST')),
    ('/websocket', 'websocket', ('GET',)),
    (f'/<any({_LISTS}):name>', 'id_list', ('GET',)),
    ('/report', 'create_report', ('POST',)),
    ('/reports', 'list_reports', ('GET',)),
    ('/report/<report_id>', 'report', ('GET', 'PUT', 'DELETE')),
    ('/history/<name>/<rid>', 'history', ('GET',)),
    ('/<name>/<rid>/history', 'history', ('GET',)),
    ('/<name>', 'collection', ('GET', 'POST', 'PUT')),
    ('/<name>/<rid>', 'record', ('GET', 'PUT', 'DELETE', 'POST')),
    ('/<name>/<rid>/<attribute>', 'attribute', ('GET', 'PUT')),
]
URLS = Map([Rule(_PREFIX + path, endpoint=endpoint, methods=methods)
            for path, endpoint, methods in _RULES], strict_slashes=False)

Handler = Callable[..., Response]
#: endpoint -> method -> handler(call, **path values)
HANDLERS: Dict[str, Dict[str, Handler]] = {
    'login': {'GET': login.login, 'POST': login.login},
    'totp': {'POST': login.totp},
    'search': {'GET': directory.search},
    'reset_password': {'GET': passwords.reset_password, 'POST': passwords.reset_password},
    'id_list': {'GET': directory.id_list},
    'websocket': {'GET': lambda call: _no_websocket()},
    'create_report': {'POST': report_api.create_report},
    'list_reports': {'GET': report_api.list_reports},
    'report': {'GET': report_api.get_report, 'PUT': report_api.put_report,
               'DELETE': report_api.delete_report},
    'history': {'GET': history.get_history},
    'collection': {'GET': resources.get_collection, 'POST': resources.post_collection,
                   'PUT': resources.put_collection},
    'record': {'GET': resources.get_record, 'PUT': resources.put_record,
               'DELETE': resources.delete_record, 'POST': resources.post_record},
    'attribute': {'GET': resources.get_attribute, 'PUT': resources.put_attribute},
}
#: The special endpoints, which the model routes must not take for models.
_SPECIAL = {**{path.strip('/'): methods for path, _, methods in _RULES if '<' not in path},
            **dict.fromkeys(directory.LISTS, ('GET',))}
_SPECIAL_RECORDS = {'report': ('GET', 'PUT', 'DELETE')}


def _no_websocket() -> Response:
    raise ApiError(426, 'this endpoint speaks the websocket protocol (a beta of the API): '
                        'connect with a websocket client, ws://.../v3/websocket?auth_token=...')


def _special_methods(path: str) -> tuple:
    """The methods of a special endpoint's path (empty for model paths)."""
    parts = path[len(_PREFIX):].strip('/').split('/')
    if len(parts) == 1:
        return _SPECIAL.get(parts[0], ())
    return _SPECIAL_RECORDS.get(parts[0], ()) if len(parts) == 2 else ()


class SandboxApp:
    """The WSGI callable of the sandbox, over one :class:`Backend`."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def __call__(self, environ: Dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        try:
            body = read_body(environ, MAX_BODY)
        except BodyError as exc:
            environ[UNREAD_BODY] = True
            return error(exc.status, exc.message)(environ, start_response)
        for chunked in ('wsgi.input_terminated', 'HTTP_TRANSFER_ENCODING'):
            environ.pop(chunked, None)  # the body is now a buffer of known length
        environ.update({'wsgi.input': io.BytesIO(body), 'CONTENT_LENGTH': str(len(body))})
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except Exception:  # the last line of defence: JSON, never a traceback page
            log.exception('unexpected error answering %s %s', request.method, request.path)
            response = error(500, 'internal sandbox error; the server log has the details')
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        """Route ``request`` and answer it; errors become their JSON answers."""
        path = request.path.lower()
        try:
            adapter = URLS.bind('sandbox')
            endpoint, values = adapter.match(path_info=path, method=request.method)
            self._refuse_special(endpoint, values, request.method, path)
            method = 'GET' if request.method == 'HEAD' else request.method
            handler = HANDLERS[endpoint][method]
            return handler(Call(self.backend, request), **values)
        except ApiError as exc:
            return error(exc.status, exc.message)
        except MethodNotAllowed as exc:
            allowed = _special_methods(path) or exc.valid_methods or []
            allowed = sorted(set(allowed) - {'HEAD', 'OPTIONS'})
            return error(405, f'{request.method} is not allowed on {path}; '
                              f'allowed: {", ".join(allowed)}')
        except NotFound:
            if not path.startswith(_PREFIX + '/'):
                return error(404, f'no such path {path}: the API lives under {_PREFIX}/')
            return error(404, f'no such endpoint {path}')
        except HTTPException as exc:
            return error(exc.code or 500, exc.description or exc.name)

    @staticmethod
    def _refuse_special(endpoint: str, values: Mapping[str, Any], method: str, path: str) -> None:
        """``DELETE /login`` is a 405, not an unknown model ``login``."""
        name = values.get('name', '')
        if name not in _SPECIAL or endpoint not in ('collection', 'record', 'attribute'):
            return
        allowed = _SPECIAL[name] if endpoint == 'collection' else _SPECIAL_RECORDS.get(name)
        if allowed is None or 'attribute' in values:
            raise ApiError(404, f'no such endpoint {path}')
        raise ApiError(405, f'{method} is not allowed on {path}; allowed: {", ".join(allowed)}')


def create_app(backend: Backend) -> SandboxApp:
    """The WSGI application over ``backend``."""
    return SandboxApp(backend)
