"""The exceptions of the atomx package.

Every error about the API, the session or a model derives from
:class:`AtomxError`, so ``except atomx.exceptions.AtomxError`` catches all of
them.  Failed requests are :class:`APIError` and carry the HTTP ``status_code``
and the ``response``.  Arguments the caller can fix (a wrong type, an empty
path) raise :class:`TypeError` or :class:`ValueError` before any request is
sent, and a model attribute that cannot be had raises :class:`AttributeError`
(so that ``hasattr`` works); neither derives from :class:`AtomxError`.

Every exception survives :mod:`pickle` (an :class:`APIError` without its
``response``, which holds a connection).

The hierarchy::

    AtomxError
    ├── APIError
    │   ├── InvalidCredentials
    │   │   └── TotpRequiredError
    │   └── APIConnectionError
    ├── BulkError
    ├── MissingArgumentError (also a ValueError)
    ├── MissingDependencyError (also an ImportError)
    │   └── NoPandasInstalledError
    ├── ModelNotFoundError
    ├── NoSessionError
    ├── ProfileError
    └── SubscriptionError
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    import requests


class AtomxError(Exception):
    """Base class of every exception of the atomx package: catch it to catch them all."""


class APIError(AtomxError):
    """A request to the API failed and nothing more specific applies.

    Raised for an answer with an error status (the message holds the method, the
    path, the status and the API's ``error`` text, or an excerpt of a non-JSON
    body), for a 2xx answer whose body is not a JSON object or says
    ``"success": false``, and for a ``Retry-After`` that asks to wait longer than
    the session will.

    :param message: what failed, readable as it is.
    :param status_code: the HTTP status of the answer, ``None`` when no answer came.
    :param response: the :class:`requests.Response`, ``None`` when no answer came.
    :param method: the failed request's HTTP method (``'GET'``), when known.
    :param path: the failed request's path below the endpoint (``'site/9'``), when known.
    :ivar status_code: the HTTP status of the failed answer (``404``), or ``None``.
    :ivar response: the :class:`requests.Response` (status, headers, body, URL,
        redirect ``history``), or ``None``; its body is read, and it no longer
        holds its connection (``raw`` and ``connection`` are ``None``: they lead
        to a proxy's credentials) nor the token and body of its request (see
        :mod:`atomx.redact`).  It is left out when the exception is pickled.
    :ivar method: the request's HTTP method, or ``None``.
    :ivar path: the request's path, or ``None``.
    """

    def __init__(self, message: str = '', status_code: Optional[int] = None,
                 response: Optional[requests.Response] = None, *,
                 method: Optional[str] = None, path: Optional[str] = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.response = response
        self.method, self.path = method, path

    def __reduce__(self) -> tuple[Any, ...]:
        # The response holds a socket and is not picklable: keep the rest.
        return (type(self), (str(self), self.status_code),
                {'method': self.method, 'path': self.path})

    def __repr__(self) -> str:
        """``APIError('...', status_code=404, method='GET', path='site/9')``."""
        return (f'{type(self).__name__}({str(self)!r}, status_code={self.status_code!r}, '
                f'method={self.method!r}, path={self.path!r})')


class InvalidCredentials(APIError):
    """Logging in failed: the email, the password or the TOTP code is wrong.

    Raised by :class:`atomx.Atomx` and :meth:`atomx.Atomx.login` when the API
    refuses the login (HTTP 401 or 403) or the TOTP step, and when a session
    whose password changed logs in again after its token expired.  Carries
    ``status_code`` and ``response`` like :class:`APIError`.
    """


class TotpRequiredError(InvalidCredentials):
    """The account has two-factor authentication and no ``totp`` code was given.

    Raised at login without ``totp=``, and when an expired token of such an
    account cannot be renewed without a fresh code: call
    ``atomx.login(email, password, totp='123456')``.  A subclass of
    :class:`InvalidCredentials`, so code that catches that catches this too.
    """


class APIConnectionError(APIError):
    """No answer from the API: a timeout or a connection failure, after the retries,
    or none before the call's total deadline (``atomx.Timeout(total=)``).

    A subclass of :class:`APIError` whose ``status_code`` and ``response`` are
    ``None``.  The message says in plain words which host and what happened
    (nothing listens there, the name does not resolve, the TLS check failed, a
    timeout, a reset, the deadline) and how many attempts were made; requests'
    error is chained as ``__cause__`` (its request without token or body).
    """


class BulkError(AtomxError):
    """Some models of a bulk verb failed (:meth:`atomx.bulk.BulkResult.raise_for_failures`).

    The message counts them and names each model with its error.  A failed
    model keeps its unsaved changes, as after a failed ``save()``, so running the
    verb again on :attr:`failed`'s models sends them again.

    :param message: what failed, readable as it is.
    :param failed: the ``(model, exception)`` pairs.
    :ivar failed: the ``(model, exception)`` pairs, in the order the models were given;
        left out when the exception is pickled (models hold a session).
    """

    def __init__(self, message: str = '', failed: Any = ()) -> None:
        super().__init__(message)
        self.failed = list(failed)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self),))


class MissingArgumentError(AtomxError, ValueError):
    """A required argument or environment variable is missing.

    Raised before any request: an empty ``email``, ``password`` or search
    ``query``, or a variable that :meth:`atomx.Atomx.from_env` needs
    (``ATOMX_EMAIL``, ``ATOMX_PASSWORD``); the message names it.  It is also a
    :class:`ValueError` (as requests' ``MissingSchema`` is), so code that catches
    bad arguments catches it too.
    """


class ModelNotFoundError(AtomxError):
    """A model cannot be (re-)loaded: it has no id, or the API does not know it.

    Raised by :meth:`~atomx.models.AtomxModel.reload` when the API answers 404
    (that :class:`APIError` is its ``__cause__``) or no object, and by
    ``reload``, ``save``, ``delete`` and ``history`` of a model without an id.
    """


class MissingDependencyError(AtomxError, ImportError):
    """A feature needs an optional package that is not installed.

    Raised only when the feature is used (``Report.arrow`` without pyarrow, a
    progress bar without tqdm, ...), never at ``import atomx``; the message names
    the package and the extra that brings it (``pip install "atomx[arrow]"``).  It
    is also an :class:`ImportError`, so code written for a missing module catches it.

    :param message: what is missing and how to install it.
    :param package: the importable name of the missing package (``'pyarrow'``).
    :param extra: the atomx extra that installs it (``'arrow'``).
    :ivar package: the missing package.
    :ivar extra: the extra to install.
    """

    def __init__(self, message: str = '', package: str = '', extra: str = '') -> None:
        super().__init__(message)
        self.package = package
        self.extra = extra

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.package, self.extra))


class NoPandasInstalledError(MissingDependencyError):
    """``Report.pandas`` was used without pandas: ``pip install 'atomx[report]'``.

    The documented name of this case of :class:`MissingDependencyError`, whose
    arguments it takes.
    """


class NoSessionError(AtomxError):
    """A model needs an :class:`atomx.Atomx` session for a request and has none.

    Raised by ``create``, ``save``, ``delete``, ``reload`` and ``history`` of a
    model that was built without ``session=`` (or unpickled) when none is passed.
    """


class ProfileError(AtomxError):
    """A saved account cannot be used: the config file, a profile or its password.

    Raised by :meth:`atomx.Atomx.from_profile` and the CLI's ``--profile`` before
    any request: no config file, no such profile, a missing ``email``, a file that
    holds a ``password`` and that other users may read (the message says to run
    ``chmod 600`` on it), or a ``password_command`` that failed.
    """


class SubscriptionError(AtomxError):
    """The API's websocket refused to (un)subscribe a channel (a beta of the API).

    Raised by :meth:`atomx.Atomx.subscribe` and
    :meth:`~atomx.live.Subscription.subscribe` when the server answers a channel
    with ``"success": false``: an unknown or unseen model, stats of a model
    without them.  The message names each refused channel with the server's reason.

    :param message: which channels were refused and why.
    :param refused: channel -> the server's reason.
    :ivar refused: channel -> the server's reason (a dict).
    """

    def __init__(self, message: str = '', refused: Optional[dict[str, str]] = None) -> None:
        super().__init__(message)
        self.refused = dict(refused or {})

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.refused))


__all__ = [
    'AtomxError', 'APIError', 'InvalidCredentials', 'TotpRequiredError',
    'APIConnectionError', 'BulkError', 'MissingArgumentError', 'MissingDependencyError',
    'ModelNotFoundError', 'NoPandasInstalledError', 'NoSessionError', 'ProfileError',
    'SubscriptionError',
]
