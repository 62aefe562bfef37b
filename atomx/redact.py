"""Take the secrets out of what an exception keeps.

An :class:`~atomx.exceptions.APIError` keeps its ``response``, and an error
without an answer chains requests' error as ``__cause__``; both keep the
:class:`requests.PreparedRequest` that was sent, with its ``Authorization``
header (the token) and its body (a login's password and TOTP, a password
change's old and new passwords).  Error reports (tracebacks with locals, error
trackers, a pickled or logged ``vars(error)``) show such objects, so before an
error leaves the transport every request reachable from it loses its
credentials headers and its body: the request of its response, of each
response of the redirect history, and those of every error in its
``__cause__``/``__context__`` chain (and the errors urllib3 wraps in them).
Each is replaced by a copy without them, so that nobody else holding the
request sees it change.  The method, the URL and the other headers stay, for
debugging.
"""
from __future__ import annotations

from typing import Any

import requests

from .failures import chain

#: Headers that carry credentials.
SECRET_HEADERS = ('Authorization', 'Proxy-Authorization', 'Cookie')


def _without_secrets(request: Any) -> Any:
    """A copy of a :class:`requests.PreparedRequest` without credentials and body."""
    if not isinstance(request, requests.PreparedRequest):
        return request
    if request.body is None and not any(name in request.headers for name in SECRET_HEADERS):
        return request  # nothing to hide (or already a copy without it)
    copy = request.copy()
    copy.body = None
    for name in SECRET_HEADERS:
        copy.headers.pop(name, None)
    return copy


def forget_response_secrets(response: Any) -> None:
    """Remove credentials headers and bodies from the requests of a response and of
    its redirect history.

    :param response: a :class:`requests.Response` (anything else is left alone).
    """
    if not isinstance(response, requests.Response):
        return
    for hop in (*response.history, response):
        hop.request = _without_secrets(hop.request)


def forget_secrets(error: BaseException) -> None:
    """Replace every request ``error`` reaches with a copy without credentials and body.

    :param error: the exception about to be raised; it and the errors and
        responses of its chain are changed in place.
    """
    for found in chain(error):
        forget_response_secrets(getattr(found, 'response', None))
        request = getattr(found, 'request', None)
        if isinstance(request, requests.PreparedRequest):
            found.request = _without_secrets(request)


__all__ = ['SECRET_HEADERS', 'forget_response_secrets', 'forget_secrets']
