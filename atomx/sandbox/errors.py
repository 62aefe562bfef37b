"""The one exception the sandbox's handlers raise to answer an error.

The WSGI app turns it into ``{"success": false, "error": message}`` with its status,
the shape the API documents for every failure.
"""
from __future__ import annotations


class ApiError(Exception):
    """An error answer: HTTP ``status`` and a message that says what was wrong."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ApiError:
    """400: the request itself is malformed (parameters, JSON)."""
    return ApiError(400, message)


def not_found(message: str) -> ApiError:
    """404: no such model, record, attribute or route."""
    return ApiError(404, message)


def forbidden(message: str) -> ApiError:
    """403: logged in, but the user's rights do not cover this."""
    return ApiError(403, message)


def unprocessable(message: str) -> ApiError:
    """422: well-formed, but the values do not make a valid record."""
    return ApiError(422, message)


def unauthorized(message: str) -> ApiError:
    """401: no valid token (or wrong credentials at login)."""
    return ApiError(401, message)
