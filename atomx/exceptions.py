"""The exceptions of the atomx package.

Everything the library raises on purpose derives from :class:`AtomxError`, so
``except atomx.exceptions.AtomxError`` catches all of it.  Failed requests are
:class:`APIError` and carry the HTTP ``status_code`` and the ``response``.
"""
from __future__ import annotations

from typing import Any, Optional


class AtomxError(Exception):
    """Base class of every exception raised by the atomx package."""


class APIError(AtomxError):
    """A request to the API failed: an error status, a broken body, no answer.

    :ivar status_code: the HTTP status, or ``None`` when no answer came.
    :ivar response: the :class:`requests.Response`, or ``None``.
    """

    def __init__(self, message: str = '', status_code: Optional[int] = None,
                 response: Any = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.response = response

    def __reduce__(self) -> tuple[Any, ...]:
        # The response holds a socket and is not picklable: keep message and status.
        return (type(self), (str(self), self.status_code))


class InvalidCredentials(APIError):
    """Logging in failed: wrong email, password or TOTP."""


class TotpRequiredError(InvalidCredentials):
    """The account has two-factor authentication and no ``totp`` was given."""


class APIConnectionError(APIError):
    """No answer from the API: a timeout or a connection failure, after the retries."""


class MissingArgumentError(AtomxError):
    """A required argument (or environment variable) is missing."""


class ModelNotFoundError(AtomxError):
    """A model cannot be (re-)loaded: it has no id, or the API does not know it."""


class NoPandasInstalledError(AtomxError):
    """``Report.pandas`` was used without pandas: ``pip install atomx[report]``."""


class NoSessionError(AtomxError):
    """A model needs an :class:`atomx.Atomx` session for a request and has none."""


__all__ = [
    'AtomxError', 'APIError', 'InvalidCredentials', 'TotpRequiredError',
    'APIConnectionError', 'MissingArgumentError', 'ModelNotFoundError',
    'NoPandasInstalledError', 'NoSessionError',
]
