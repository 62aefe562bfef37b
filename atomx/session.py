"""The :class:`Atomx` session: the documented verbs of the atomx client.

The session turns its arguments into a path and a query string, lets the
:class:`~atomx.transport.Transport` do the HTTP, splits the answer's envelope
into payload and metadata and hands the payload to
:func:`atomx.models.from_payload`.  Nothing about HTTP details lives here.
"""
from __future__ import annotations

import functools
import json as jsonlib
import math
import os
import threading
from datetime import date, datetime
from typing import (
    Any,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Optional,
    Sequence,
    Type,
    TypeVar,
    Union,
    overload,
)
from urllib.parse import urlencode

from . import (
    accounts,
    adapter,
    bulk,
    export,
    live,
    models,
    paging,
    proxy_choice,
    report_pages,
    report_query,
    reports,
    settings,
)
from .checks import check_count, check_url_parameters
from .exceptions import APIError, InvalidCredentials, MissingArgumentError, TotpRequiredError
from .model_list import ModelList
from .models import AtomxModel
from .paths import check_id, check_path_text
from .protocol import MAX_PAGE_SIZE, split_envelope
from .reports import Report
from .timeouts import DEFAULT_TIMEOUT, TimeoutArgument
from .transport import DEFAULT_RETRIES, Auth, Transport, token_problem
from .version import API_VERSION

DEFAULT_ENDPOINT = f'https://api.atomx.com/{API_VERSION}'

#: What a resource path is made of: ``'advertiser'``, ``42``, ``Advertiser``, ``Advertiser(42)``.
PathPart = Union[str, int, AtomxModel, Type[AtomxModel]]
#: One name or several (sent comma-joined).
Names = Union[str, Sequence[str]]
#: A password, or a function that returns it when a login needs it.
Password = Union[str, Callable[[], str]]
#: A time of a report: a datetime, a date (its midnight) or a string the API reads.
TimeArg = Union[datetime, date, str, None]
#: A model class, for the hints that give back what was asked: ``get(Profile, 3)`` is a Profile.
ModelT = TypeVar('ModelT', bound=AtomxModel)
SessionT = TypeVar('SessionT', bound='Atomx')

#: Characters left as they are in a query string: the API's list separator,
#: wildcard and negation read better unescaped (and in log lines).
_QUERY_SAFE = ',*!'


def path_part(part: PathPart) -> str:
    """One part of a resource path as text.

    A str must follow the path rule of :mod:`atomx.paths`: one segment or
    several separated by ``/``, each made of ASCII letters, digits and
    ``- _ . ~ ,``, none of them ``.`` or ``..``; so no request leaves the
    endpoint's path prefix or gains a query.

    :param part: a str (slashes around it are stripped), an int id, a model class
        (its resource name) or a model instance (``'{resource}/{id}'``).
    :returns: the part as it goes into the URL path.
    :raises ValueError: an empty str, a str or an id that breaks the path rule
        (``'../user'``, ``'1#'``, ``'advertiser?admin=1'``), a class without a
        resource, an instance without an id.
    :raises TypeError: anything else (a float, a bool, ``None``...).
    """
    if isinstance(part, str):
        return check_path_text(part)
    if isinstance(part, int) and not isinstance(part, bool):
        return str(part)
    if isinstance(part, type) and issubclass(part, AtomxModel):
        if not part._resource_name:
            raise ValueError(f'{part.__name__} has no resource name; use one of atomx.models')
        return part._resource_name
    if isinstance(part, AtomxModel):
        if part.id is None:
            raise ValueError(f'{type(part).__name__} has no id, so it has no path yet')
        return f'{path_part(type(part))}/{check_id(part.id)}'
    raise TypeError(f'a resource path part must be a str, an int, an atomx model class or '
                    f'instance, not {type(part).__name__} ({part!r})')


def build_path(resource: PathPart, *args: PathPart) -> str:
    """``build_path('advertiser', 42, 'profiles')`` -> ``'advertiser/42/profiles'``.

    :param resource: the first part (see :func:`path_part` for what a part may be).
    :param args: further parts.
    :returns: the path below the endpoint, without leading or trailing slash.
    :raises ValueError: a part is empty or has no path (see :func:`path_part`).
    :raises TypeError: a part has an unsupported type.
    """
    return '/'.join(path_part(part) for part in (resource, *args))


def query_value(name: str, value: Any) -> str:
    """A query value as the API reads it: lists comma-joined, booleans lower case.

    :param name: the parameter's name (for the error message only).
    :param value: a str, a number, a bool, or a list or tuple of them.
    :returns: the value as text (``True`` -> ``'true'``, ``['id', 'name']`` -> ``'id,name'``).
    :raises TypeError: the value (or an item) is of another type, such as a dict.
    """
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, tuple)):
        return ','.join(query_value(name, item) for item in value)
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TypeError(f'query parameter {name!r} must be a str, a number, a bool or a list of '
                    f'them, not {type(value).__name__}')


def build_query(params: Mapping[str, Any]) -> Optional[str]:
    """The encoded query string of keyword arguments.

    :param params: parameter names and values (see :func:`query_value`); ``None``
        values are left out.
    :returns: the query string (``,``, ``*`` and ``!`` unescaped), or ``None`` when
        no parameter is left.
    :raises TypeError: a value cannot be sent (see :func:`query_value`).
    :raises ValueError: ``limit``, ``offset`` or ``depth`` is not a value the API
        documents (see :func:`atomx.checks.check_url_parameters`).
    """
    check_url_parameters(params)
    pairs = [(name, query_value(name, value)) for name, value in params.items()
             if value is not None]
    return urlencode(pairs, safe=_QUERY_SAFE) if pairs else None


def _unsendable(value: Any, where: str) -> Optional[str]:
    """Where in ``value`` JSON cannot go: a NaN or infinity, a non-str key, an object."""
    if isinstance(value, float):
        return None if math.isfinite(value) else where
    if value is None or isinstance(value, (str, int)):
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if key is not None and not isinstance(key, (str, int, float)):
                return f'{where}: key {key!r}'
            found = _unsendable(item, f'{where}[{key!r}]')
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _unsendable(item, f'{where}[{index}]')
            if found:
                return found
        return None
    return where


def check_json_body(body: Any) -> None:
    """Check that ``body`` can be sent as JSON, before anything is sent.

    requests would report such a body as a failed request; this says which
    value is wrong.

    :param body: the JSON body of a POST or PUT.
    :raises ValueError: ``body`` holds a NaN or an infinity, or a key or a value
        that JSON has no form for (a tuple key, an object); the message names where.
    """
    try:
        jsonlib.dumps(body, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f'the json body cannot be sent as JSON: {_unsendable(body, "json")} '
                         f'({error})') from None


def totp_text(totp: Union[str, int, None]) -> Optional[str]:
    """The TOTP code as the API reads it: a str as given, an int as its 6 digits.

    People type the code as a number, which loses its leading zeros, so an int
    is sent zero-padded: ``12345`` -> ``'012345'``.

    :param totp: the code (a str or an int from 0 to 999999), or ``None``.
    :returns: the code as text, or ``None``.
    :raises TypeError: ``totp`` is neither a str nor an int (a bool is not one).
    :raises ValueError: an int below 0 or above 999999.
    """
    if totp is None or isinstance(totp, str):
        return totp
    if isinstance(totp, bool) or not isinstance(totp, int):
        raise TypeError(f'totp must be the 6 digit code as a str ("012345") or an int, '
                        f'not {type(totp).__name__}')
    if not 0 <= totp <= 999_999:
        # the value is left out: a mistyped code is still a secret
        raise ValueError(f'totp must be a 6 digit code (an int from 0 to 999999), not a '
                         f'{len(str(abs(totp)))} digit {"negative " if totp < 0 else ""}number')
    return f'{totp:06d}'


def _required_str(name: str, value: Any) -> str:
    if value is None or value == '':
        raise MissingArgumentError(f'{name} is required')
    if not isinstance(value, str):
        raise TypeError(f'{name} must be a str, not {type(value).__name__}')
    return value


def _password_text(password: Password) -> str:
    """The password itself: ``password()`` when it is a function."""
    return password() if callable(password) else password


class _Credentials:
    """Email and password kept for logging in again; the password never shows."""

    __slots__ = ('email', 'password', 'expiration')

    def __init__(self, email: str, password: Password, expiration: Optional[int]) -> None:
        self.email = email
        self.password = password
        self.expiration = expiration

    def __repr__(self) -> str:
        return f'<credentials of {self.email!r}>'

    def __reduce__(self) -> Any:
        raise TypeError('the credentials of an atomx session hold its password and cannot '
                        'be pickled')


class Atomx:
    """A session with the Atomx API: it logs in when it is created.

    :param email: email address of the atomx user.
    :param password: password of the atomx user, or a function that returns it
        (called only when a login is needed); kept (never shown) to log in
        again when the token expires.
    :param totp: the 6 digit code when the account has two-factor
        authentication: a str (``'012345'``) or an int (``12345``, sent as
        ``'012345'``).
    :param api_endpoint: URL of the API, ``https://api.atomx.com/v3`` by default;
        a trailing ``/`` is optional.
    :param save_response: keep the metadata of the last answer in
        :attr:`last_response`.
    :param expiration: seconds the auth token should stay valid (the API's
        default when ``None``).
    :param timeout: a number of seconds, a ``(connect, read)`` pair, or an
        :class:`atomx.Timeout` whose ``total`` bounds each call, retries and
        waits included (300 s by default; see :mod:`atomx.timeouts`).
    :param retries: how often GET, PUT and DELETE are sent again after a
        connection failure or an HTTP 429, 502, 503 or 504 (``0``: never).
    :param max_rate: at most this many requests per second for the whole
        session, shared by all its threads (``None``: no limit); at least
        one request a day (``1/86400``).
    :param token_cache: keep the token in the user's cache directory and use a
        cached one instead of logging in, until it expires (see
        :mod:`atomx.accounts`); ``True``, or a :class:`~atomx.accounts.TokenCache`.
    :raises InvalidCredentials: the API refused the email, password or TOTP.
    :raises TotpRequiredError: the account needs ``totp`` and none was given.
    :raises MissingArgumentError: ``email`` or ``password`` is empty.
    :raises TypeError: an argument has the wrong type (``totp=12.5``,
        ``expiration='60'``, ``timeout=None``, ``retries=1.5``, ``token_cache='yes'``).
    :raises ValueError: ``api_endpoint`` is not an ``http://`` or ``https://`` URL, or
        ``expiration``, ``retries``, ``timeout`` or an int ``totp`` is out of range
        (``expiration=0``, ``retries=-1``, ``timeout=0``, a timeout longer than the
        platform can wait, ``totp=1234567``).
    :raises APIError: the login answer is broken (no token, not JSON, HTTP 5xx).

    Use it as a context manager (``with Atomx(...) as atomx:``) or call
    :meth:`close` to close its connections.

    Threads: one session may be shared by several threads.  Requests run
    concurrently over one connection pool, a token that expires under several
    threads is renewed by one login, ``max_rate`` is shared by all of them, and
    :attr:`last_response` is per thread: each thread reads the answer to its own
    last call.
    """

    #: The :mod:`atomx.models` module, so that a session reaches the model classes
    #: as the documented example writes them: ``atomx.get(atomx.models.Publisher(23))``.
    models = models
    #: The logged-in user, a :class:`~atomx.models.User` (``None`` after :meth:`logout`).
    user: Any
    #: Whether :attr:`last_response` is kept (the constructor's ``save_response``).
    save_response: bool

    def __init__(self, email: str, password: Password, totp: Union[str, int, None] = None,
                 api_endpoint: str = DEFAULT_ENDPOINT, save_response: bool = True,
                 expiration: Optional[int] = None, *, timeout: TimeoutArgument = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, max_rate: Optional[float] = None,
                 token_cache: Union[bool, accounts.TokenCache] = False) -> None:
        self._transport = Transport(api_endpoint, timeout=timeout, retries=retries,
                                    max_rate=max_rate)
        self.save_response = save_response
        self._per_thread = threading.local()
        self.user = None
        self._credentials: Optional[_Credentials] = None
        self._token_cache = accounts.check_token_cache(token_cache)
        try:
            if not self._resume(email, password, expiration):
                self.login(email, _password_text(password), totp, expiration)
                self._keep_password(password)
        except BaseException:
            self.close()  # nobody can reach this session: free its connection now
            raise

    @classmethod
    def from_env(cls: Type[SessionT], environ: Optional[Mapping[str, str]] = None,
                 **kwargs: Any) -> SessionT:
        """A session logged in with the credentials of the environment.

        ``ATOMX_EMAIL`` and ``ATOMX_PASSWORD`` are required; ``ATOMX_TOTP``,
        ``ATOMX_API_ENDPOINT``, ``ATOMX_TIMEOUT`` (seconds, or ``CONNECT,READ``
        seconds: ``30`` or ``5,120``) and ``ATOMX_RETRIES`` (a whole number) are
        used when set and not empty.

        :param environ: the variables to read, :data:`os.environ` by default.
        :param kwargs: further arguments of the constructor (``timeout=``,
            ``retries=``...); an argument given here wins over the environment.
        :returns: the logged-in session.
        :raises MissingArgumentError: ``ATOMX_EMAIL`` or ``ATOMX_PASSWORD`` is not
            set or empty; the message names the variable.
        :raises ValueError: ``ATOMX_TIMEOUT`` or ``ATOMX_RETRIES`` holds a value
            that is not allowed; the message names the variable.
        :raises InvalidCredentials: the API refused the login (see :class:`Atomx`).
        """
        env = os.environ if environ is None else environ
        values = {}
        for variable in ('ATOMX_EMAIL', 'ATOMX_PASSWORD'):
            if not env.get(variable):
                raise MissingArgumentError(f'environment variable {variable} is not set')
            values[variable] = env[variable]
        if env.get('ATOMX_TOTP'):
            kwargs.setdefault('totp', env['ATOMX_TOTP'])
        if env.get(accounts.ENDPOINT_VARIABLE):
            kwargs.setdefault('api_endpoint', env[accounts.ENDPOINT_VARIABLE])
        kwargs = settings.with_environment(kwargs, env)
        return cls(values['ATOMX_EMAIL'], values['ATOMX_PASSWORD'], **kwargs)

    @classmethod
    def from_profile(cls: Type[SessionT], name: Optional[str] = None,
                     **kwargs: Any) -> SessionT:
        """A session for a saved account of the config file (see :mod:`atomx.accounts`).

        ``ATOMX_TIMEOUT`` and ``ATOMX_RETRIES`` are used when set, as by
        :meth:`from_env` and the ``atomx --profile`` command; so is
        ``ATOMX_API_ENDPOINT`` for a profile that names no ``endpoint``
        (:func:`atomx.accounts.profile_endpoint`).

        :param name: the profile (the config file's section); ``$ATOMX_PROFILE``
            or ``default`` when ``None``.
        :param kwargs: further arguments of the constructor (``totp=``,
            ``max_rate=``...); they win over the profile's ``endpoint`` and
            ``token_cache`` and over the environment.
        :returns: the session, logged in (or holding the profile's cached token).
        :raises ProfileError: no config file, no such profile, a password file
            others may read, or a failing ``password_command``.
        :raises ValueError: ``ATOMX_TIMEOUT`` or ``ATOMX_RETRIES`` holds a value
            that is not allowed; the message names the variable.
        :raises InvalidCredentials: the API refused the login (see :class:`Atomx`).
        """
        kwargs = settings.with_environment(kwargs, os.environ)  # before any password_command
        profile = accounts.load_profile(name)
        endpoint, _source = accounts.profile_endpoint(profile, os.environ)
        if endpoint:
            kwargs.setdefault('api_endpoint', endpoint)
        kwargs.setdefault('token_cache', profile.token_cache)
        return cls(profile.email, profile.password, **kwargs)

    def __repr__(self) -> str:
        # The login email, not ``self.user.email``: a model might lazy-load it over HTTP.
        email = self._credentials.email if self._credentials else None
        return f'<Atomx endpoint={self._transport.show_url(self.api_endpoint)!r} user={email!r}>'

    def __enter__(self: SessionT) -> SessionT:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled HTTP connections and the open :meth:`subscribe` feeds.

        The session stays usable: a later request opens a new connection.
        """
        live.close_all(self)
        self._transport.close()

    @property
    def last_response(self) -> Optional[dict[str, Any]]:
        """This thread's last answer: its envelope without the payload, plus
        ``'_headers'`` (the HTTP headers).

        ``None`` before this thread's first request or with ``save_response=False``.
        Each thread sees the answer to its own last call, never another thread's.
        """
        return getattr(self._per_thread, 'last_response', None)

    @last_response.setter
    def last_response(self, value: Optional[dict[str, Any]]) -> None:
        self._per_thread.last_response = value

    @property
    def api_endpoint(self) -> str:
        """The API's base URL, without a trailing slash."""
        return self._transport.endpoint

    @property
    def auth_token(self) -> Optional[str]:
        """The token of the logged-in user, or ``None`` after :meth:`logout`."""
        return self._transport.token

    # -- authentication -------------------------------------------------------

    def login(self, email: str, password: str, totp: Union[str, int, None] = None,
              expiration: Optional[int] = None) -> None:
        """Log in as ``email`` and keep the new token and user.

        The constructor calls it; call it again to switch users or to log in
        with a fresh TOTP code.  With ``totp`` the API's second step
        (``POST totp``) is made when the login answer asks for it.

        :param email: email address of the atomx user.
        :param password: password of the atomx user.
        :param totp: the 6 digit code of a two-factor account, a str or an int
            (sent as its 6 digits, ``12345`` -> ``'012345'``).
        :param expiration: seconds the auth token should stay valid.
        :returns: ``None``.
        :raises InvalidCredentials: the email, password or TOTP is wrong.
        :raises TotpRequiredError: the account needs a ``totp`` and none was given.
        :raises MissingArgumentError: ``email`` or ``password`` is empty.
        :raises TypeError: ``totp`` is not a str or an int, or ``expiration`` not an int.
        :raises ValueError: ``expiration`` is below 1, or ``totp`` an int outside 0 to
            999999.
        :raises APIError: the answer is broken (no ``auth_token``, not JSON, HTTP 5xx).
        """
        email = _required_str('email', email)
        password = _required_str('password', password)
        totp = totp_text(totp)
        if expiration is not None:
            check_count('expiration', expiration, 1)
        body: dict[str, Any] = {'email': email, 'password': password}
        if totp is not None:
            body['totp'] = totp
        if expiration is not None:
            body['expiration'] = expiration
        answer = self._login_request('login', body, auth=False)
        if answer.get('totp_required'):
            if totp is None:
                raise TotpRequiredError(f'{email} has two-factor authentication: pass totp=')
            answer = self._login_request('totp', {'totp': totp}, auth=answer['auth_token'])
            if answer.get('totp_required'):
                raise InvalidCredentials(f'the TOTP for {email} was not accepted')
        self._logged_in(email, password, expiration, answer['auth_token'], answer.get('user'))
        if self._token_cache is not None:
            self._token_cache.keep(self.api_endpoint, email, answer['auth_token'], expiration,
                                   answer.get('user'))

    def _resume(self, email: str, password: Password, expiration: Optional[int]) -> bool:
        """Take the token cache's token for this account instead of logging in."""
        if self._token_cache is None:
            return False
        cached = self._token_cache.load(self.api_endpoint, _required_str('email', email))
        if cached is None:
            return False
        self._logged_in(email, password, expiration, cached.token, cached.user)
        return True

    def _logged_in(self, email: str, password: Password, expiration: Optional[int],
                   token: str, user: Any) -> None:
        """Keep the user, the credentials and the token of a login (or a cached one)."""
        user_model = models.from_payload('user', user, self)
        self._credentials = _Credentials(email, password, expiration)
        self._transport.reauthenticate = self._login_again
        self._transport.token = token
        self.user = user_model

    def _keep_password(self, password: Password) -> None:
        """Keep a password function rather than its answer, to ask it again when needed."""
        if self._credentials is not None and callable(password):
            self._credentials.password = password

    def _login_request(self, path: str, body: dict[str, Any], auth: Auth) -> dict[str, Any]:
        """POST a login step; 401 means bad credentials; the answer must hold a token."""
        try:
            envelope = self._transport.request('POST', path, json=body, auth=auth).envelope
        except APIError as error:  # it keeps no password: see atomx.redact
            if error.status_code in (401, 403):
                raise InvalidCredentials(str(error), error.status_code, error.response,
                                         method=error.method, path=error.path) from None
            raise
        problem = token_problem(envelope.get('auth_token'))
        if problem:
            raise APIError(f'POST {path} answered {problem}', method='POST', path=path)
        return envelope

    def _login_again(self) -> None:
        """Renew an expired token with the kept credentials (called by the transport)."""
        credentials = self._credentials
        if credentials is None:
            raise InvalidCredentials('the token expired and the session is logged out')
        try:
            self.login(credentials.email, _password_text(credentials.password), None,
                       credentials.expiration)
            self._keep_password(credentials.password)
        except TotpRequiredError:
            raise TotpRequiredError(f'the token of {credentials.email} expired and a new login '
                                    f'needs a fresh TOTP: call login(email, password, totp=...)'
                                    ) from None

    def logout(self) -> None:
        """Forget the token, the user and the credentials (no request is sent).

        Later requests go without a token, and a 401 is no longer answered by
        logging in again.  With ``token_cache``, the cached token is deleted too.

        :returns: ``None``.
        """
        if self._token_cache is not None and self._credentials is not None:
            self._token_cache.delete(self.api_endpoint, self._credentials.email)
        self._transport.reauthenticate = None
        self._credentials = None
        self._transport.token = None
        self.user = None

    # -- the verbs ------------------------------------------------------------

    def _request(self, method: str, resource: PathPart, args: tuple[Any, ...],
                 params: Mapping[str, Any], json: Any = None) -> tuple[str, Any, dict[str, Any]]:
        """Send one request; ``(resource key, payload, metadata)`` of its answer."""
        path = build_path(resource, *args)
        answer = self._transport.request(method, path, params=build_query(params), json=json)
        key, payload, metadata = split_envelope(answer.envelope)
        if self.save_response:
            self.last_response = {**metadata, '_headers': answer.headers}
        return key, payload, metadata

    def _get_with_envelope(self, resource: PathPart, *args: PathPart,
                           **kwargs: Any) -> tuple[Any, dict[str, Any]]:
        """What :meth:`get` returns, plus the envelope's metadata (for paging)."""
        key, payload, metadata = self._request('GET', resource, args, kwargs)
        return models.from_payload(key, payload, self), metadata

    @overload
    def get(self, resource: Type[ModelT], id: int, **kwargs: Any) -> ModelT: ...

    @overload
    def get(self, resource: Type[ModelT], **kwargs: Any) -> ModelList[ModelT]: ...

    @overload
    def get(self, resource: ModelT, **kwargs: Any) -> ModelT: ...

    # The paths whose answer depends on the API (and a model class followed by more
    # path parts): Any.  They take no bare model class, so that a mismatch above is
    # reported, not answered by one of these.
    @overload
    def get(self, resource: Union[str, int], *args: PathPart, **kwargs: Any) -> Any: ...

    @overload
    def get(self, resource: Union[AtomxModel, Type[AtomxModel]], part: str, *args: PathPart,
            **kwargs: Any) -> Any: ...

    @overload
    def get(self, resource: Union[AtomxModel, Type[AtomxModel]], part: int, after: PathPart,
            *args: PathPart, **kwargs: Any) -> Any: ...

    def get(self, resource: PathPart, *args: PathPart, **kwargs: Any) -> Any:
        """GET a resource of the API.

        Type checkers see what a model class gives: ``get(Profile, 3)`` is a
        :class:`~atomx.models.Profile`, ``get(Profile)`` a
        :class:`~atomx.model_list.ModelList` of them, ``get(Profile(3))`` a
        Profile; a path (``get('profiles')``) gives ``Any``.

        :param resource: the resource: a path such as ``'advertisers'`` or
            ``'advertiser/42/profiles'``, a model class such as
            :class:`~atomx.models.Advertiser` or an instance such as
            ``Advertiser(42)``.
        :param args: further path parts (strs, ids, models), so that
            ``get('advertiser', 42, 'profiles')`` is ``get('advertiser/42/profiles')``.
        :param kwargs: the query string: ``limit=10``, ``sort='id.desc'``,
            ``attributes=['id', 'name']`` (lists comma-joined, booleans as
            ``true``/``false``, ``None`` left out), or any attribute filter.
        :returns: a list (a :class:`~atomx.model_list.ModelList`) of models for a
            list of objects of a known resource, one model for one object (each
            bound to this session), anything else
            (numbers, ``quickstats``, unknown resources) as the API sent it.
        :raises APIError: the API answered an error or a broken body.
        :raises APIConnectionError: no answer, after the retries.
        :raises TypeError: a path part or a query value of an unsupported type.
        :raises ValueError: an empty path part, a part that breaks the path rule
            of :mod:`atomx.paths` (``'../admin'``, ``'1#'``), a model without an id,
            or a ``limit``, ``offset`` or ``depth`` the API does not allow (not a
            whole number, below 0, a depth other than 0, 1 or 2), before any request.
        """
        return self._get_with_envelope(resource, *args, **kwargs)[0]

    @overload
    def iter(self, resource: Type[ModelT], *, page_size: int = ..., progress: bool = ...,
             prefetch: bool = ..., **kwargs: Any) -> Iterator[ModelT]: ...

    @overload
    def iter(self, resource: Union[str, int, AtomxModel], *args: PathPart, page_size: int = ...,
             progress: bool = ..., prefetch: bool = ..., **kwargs: Any) -> Iterator[Any]: ...

    @overload
    def iter(self, resource: Type[AtomxModel], part: PathPart, *args: PathPart,
             page_size: int = ..., progress: bool = ..., prefetch: bool = ...,
             **kwargs: Any) -> Iterator[Any]: ...

    def iter(self, resource: PathPart, *args: PathPart, page_size: int = MAX_PAGE_SIZE,
             progress: bool = False, prefetch: bool = False, **kwargs: Any) -> Iterator[Any]:
        """Every model of a collection, fetched page by page (how: :mod:`atomx.paging`).

        Type checkers see ``iter(Campaign)`` as an iterator of
        :class:`~atomx.models.Campaign`.

        :param resource: the collection, as for :meth:`get` (``'domains'``,
            :class:`~atomx.models.Domain`).
        :param args: further path parts, as for :meth:`get`: ``iter('advertiser',
            42, 'profiles')`` pages through ``advertiser/42/profiles``.
        :param page_size: objects per request (larger values are capped at the API's 1000).
        :param progress: show a tqdm progress bar on stderr (needs tqdm).
        :param prefetch: fetch the next page on another thread while the caller
            works on this one (at most two pages in memory, the same requests);
            the pages are then that thread's answers, not this thread's
            :attr:`last_response`.
        :param kwargs: the query as for :meth:`get`: ``limit`` caps the total,
            ``offset`` is where to start, ``sort`` defaults to ``id.asc``, the
            others filter.
        :returns: an iterator of the models (or plain entries of an unknown
            resource); the first page is requested by the first ``next()``, each
            further page when the previous one is used up.
        :raises TypeError: ``page_size``, ``limit`` or ``offset`` is not an int
            (raised at the call).
        :raises ValueError: ``page_size`` below 1, ``limit`` or ``offset`` below 0,
            an empty path part or one that breaks the path rule.
        :raises ImportError: ``progress=True`` without tqdm installed.
        :raises APIError: a page request failed for good, after the transport's
            retries, or did not answer a list (raised while iterating, after the
            models before it).
        """
        fetch_page = functools.partial(self._get_with_envelope, resource, *args)
        return paging.iterate(fetch_page, build_path(resource, *args), page_size=page_size,
                              progress=progress, prefetch=prefetch, **kwargs)

    @overload
    def get_many(self, model: Type[ModelT], ids: Iterable[int], *, missing: str = 'raise',
                 **params: Any) -> list[ModelT]: ...

    @overload
    def get_many(self, model: str, ids: Iterable[int], *, missing: str = 'raise',
                 **params: Any) -> list[Any]: ...

    def get_many(self, model: PathPart, ids: Iterable[int], *, missing: str = 'raise',
                 **params: Any) -> list[Any]:
        """The models of ``ids``, in the order given, up to 1,000 ids per request.

        ``get_many(Campaign, [3, 1, 2])`` sends ``GET campaigns?id=3,1,2&limit=3``
        (the API's comma-separated id filter), see :func:`atomx.bulk.get_many`.

        :param model: the model class or resource name (``Campaign``, ``'campaigns'``).
        :param ids: the ids (ints); a repeated id gives the same model again.
        :param missing: ``'raise'`` (default): raise when ids were not found;
            ``'skip'``: leave them out.
        :param params: more of the query, as for :meth:`get` (``attributes=``...).
        :returns: a list of the models.
        :raises TypeError: an id is not an int (checked before any request), or
            ``params`` holds ``id``, ``limit`` or ``offset``.
        :raises ValueError: ``missing`` is not ``'raise'`` or ``'skip'``.
        :raises ModelNotFoundError: ``missing='raise'`` and ids were not found; the
            message names every one.
        :raises APIError: a request failed.
        """
        return bulk.get_many(self.get, model, ids, missing=missing, **params)

    def save_all(self, models: Iterable[AtomxModel], *, workers: int = 8,
                 progress: bool = False, fail_fast: bool = False) -> bulk.BulkResult:
        """Each model's :meth:`~atomx.models.AtomxModel.save` on ``workers`` threads.

        Only changes are sent, as by ``save()``; a model without changes sends
        nothing.  A failed model keeps its changes.

        :param models: the models to save (each once).
        :param workers: threads saving at once.
        :param progress: show a tqdm progress bar (needs tqdm).
        :param fail_fast: after the first failure, leave the models not started
            yet untouched (:attr:`BulkResult.cancelled <atomx.bulk.BulkResult>`).
        :returns: a :class:`~atomx.bulk.BulkResult`; call its ``raise_for_failures()``
            to raise a :class:`~atomx.exceptions.BulkError` if any failed.
        :raises TypeError: an item is not a model, or ``workers`` is not an int.
        :raises ValueError: a model appears twice, or ``workers`` is below 1.
        :raises ModelNotFoundError: a model has no id (nothing is sent).
        """
        return self._run_all('save', models, True, workers, progress, fail_fast)

    def create_all(self, models: Iterable[AtomxModel], *, workers: int = 8,
                   progress: bool = False, fail_fast: bool = False) -> bulk.BulkResult:
        """Each model's :meth:`~atomx.models.AtomxModel.create` on ``workers`` threads.

        A create is a POST: it is sent again only when it never reached the server, so no
        model is created twice.

        :param models: the new models to create (each once).
        :param workers: threads creating at once.
        :param progress: show a tqdm progress bar (needs tqdm).
        :param fail_fast: after the first failure, leave the models not started yet.
        :returns: a :class:`~atomx.bulk.BulkResult`; the created models have their ids.
        :raises TypeError: an item is not a model, or ``workers`` is not an int.
        :raises ValueError: a model appears twice, or ``workers`` is below 1.
        """
        return self._run_all('create', models, False, workers, progress, fail_fast)

    def remove_all(self, models: Iterable[AtomxModel], *, workers: int = 8,
                   progress: bool = False, fail_fast: bool = False) -> bulk.BulkResult:
        """Each model's :meth:`~atomx.models.AtomxModel.delete` on ``workers`` threads.

        :param models: the models to DELETE, for good (each once).
        :param workers: threads deleting at once.
        :param progress: show a tqdm progress bar (needs tqdm).
        :param fail_fast: after the first failure, leave the models not started yet.
        :returns: a :class:`~atomx.bulk.BulkResult`.
        :raises TypeError: an item is not a model, or ``workers`` is not an int.
        :raises ValueError: a model appears twice, or ``workers`` is below 1.
        :raises ModelNotFoundError: a model has no id (nothing is sent).
        """
        return self._run_all('remove', models, True, workers, progress, fail_fast)

    def _run_all(self, action: str, models: Iterable[AtomxModel], need_id: bool, workers: int,
                 progress: bool, fail_fast: bool) -> bulk.BulkResult:
        """Check the models, then run this session's ``action`` verb on each of them."""
        checked = bulk.check_models(models, action, need_id)
        return bulk.run_each(checked, getattr(self, action), action=action, workers=workers,
                             progress=progress, fail_fast=fail_fast,
                             make_room=functools.partial(adapter.keep_connections,
                                                         self._transport.http))

    def _send_json(self, method: str, resource: PathPart, args: tuple[Any, ...],
                   params: Mapping[str, Any], json: Any) -> Any:
        """POST or PUT a JSON body; a dict for one object, models for a list."""
        if not isinstance(json, (dict, list)):
            raise TypeError(f'json must be a dict or a list, not {type(json).__name__}')
        check_json_body(json)
        key, payload, _ = self._request(method, resource, args, params, json)
        return models.from_payload(key, payload, self) if isinstance(payload, list) else payload

    def post(self, resource: PathPart, json: Any, **kwargs: Any) -> Any:
        """POST ``json`` to a resource.

        :meth:`AtomxModel.create() <atomx.models.AtomxModel.create>` uses it.  A POST
        is sent again only when no connection could be made (it never left), so
        nothing is created twice.

        :param resource: the resource to POST to (``'site'``, a model class...).
        :param json: the body: a dict, or a list (``post('domains', [...])``).
        :param kwargs: the query string, as for :meth:`get`.
        :returns: the created object as a dict; a list of models when the API
            answers a list.
        :raises TypeError: ``json`` is not a dict or a list.
        :raises ValueError: ``json`` cannot be sent as JSON (a NaN, an object).
        :raises APIError: the API answered an error.
        :raises APIConnectionError: no answer.
        """
        return self._send_json('POST', resource, (), kwargs, json)

    def put(self, resource: PathPart, id: Union[int, str], json: Any, **kwargs: Any) -> Any:
        """PUT ``json`` to ``resource/id``.

        :meth:`AtomxModel.save() <atomx.models.AtomxModel.save>` uses it.

        :param resource: the resource to PUT to (``'creative'``, a model class...).
        :param id: the id of the object to change.
        :param json: the changed attributes: a dict (or a list).
        :param kwargs: the query string, as for :meth:`get`.
        :returns: the changed object as a dict; a list of models when the API
            answers a list.
        :raises ValueError: ``id`` is ``None`` or not one path segment (see
            :mod:`atomx.paths`), or ``json`` cannot be sent as JSON.
        :raises TypeError: ``json`` is not a dict or a list, or ``id`` not an int or a str.
        :raises APIError: the API answered an error.
        :raises APIConnectionError: no answer, after the retries.
        """
        if id is None:
            raise ValueError(f'put({resource!r}, id=None): an id is required')
        return self._send_json('PUT', resource, (check_id(id),), kwargs, json)

    def delete(self, resource: PathPart, *args: PathPart, **kwargs: Any) -> Any:
        """DELETE a resource (for good).

        :param resource: the resource to DELETE, as for :meth:`get`.
        :param args: further path parts, as for :meth:`get` (``delete('site', 15)``).
        :param kwargs: the query string, as for :meth:`get`.
        :returns: the payload as decoded (a dict of the removed ids per model
            name), or the answer's ``message`` when it has no payload.
        :raises APIError: the API answered an error.
        :raises APIConnectionError: no answer, after the retries.
        """
        _, payload, metadata = self._request('DELETE', resource, args, kwargs)
        return metadata.get('message') if payload is None else payload

    def search(self, query: str, index: Optional[Names] = None) -> dict[str, Any]:
        """Search the API for ``query`` (``GET search?q=...``).

        The models found have only ``id`` and ``name`` loaded; other attributes
        are loaded when read, or all at once with
        :meth:`~atomx.models.AtomxModel.reload`.

        :param query: the search words; ``*`` is a wildcard (``'*atom*'``).
        :param index: the result lists to return, one name or a list of them
            (``['campaigns', 'domains']``); all of them when ``None``.
        :returns: a dict of resource name (``'campaigns'``) -> list of models.
        :raises MissingArgumentError: ``query`` is empty.
        :raises TypeError: ``query`` is not a str.
        :raises APIError: the API answered an error or no dict of results.
        """
        _required_str('query', query)
        _, payload, _ = self._request('GET', 'search', (), {'q': query, 'index': index})
        if not isinstance(payload, dict):
            raise APIError(f'GET search answered {type(payload).__name__}, not a dict of results',
                           method='GET', path='search')
        return {name: models.from_payload(name, found, self) for name, found in payload.items()}

    def report(self, scope: Optional[str] = None, groups: Optional[Sequence[str]] = None,
               metrics: Optional[Sequence[str]] = None,
               where: Optional[Sequence[Sequence[Any]]] = None,
               from_: TimeArg = None, to: TimeArg = None,
               daterange: Optional[str] = None, timezone: str = 'UTC',
               emails: Optional[Names] = None, when: Optional[str] = None,
               interval: Optional[str] = None, name: Optional[str] = None,
               sort: Optional[Names] = None, limit: Optional[int] = None,
               offset: Optional[int] = None, save: bool = True,
               editable: bool = False) -> Report:
        """Create a report and return it with its rows.

        Every argument is checked before the request is sent; then ``POST report``
        goes out with the JSON body (``scope``, ``groups``, ``metrics``, ``where``,
        ``from``/``to`` or ``daterange`` or ``when``/``interval``, ``timezone``,
        ``emails``, ``name``, ``save``, ``editable``) and ``limit``, ``offset`` and
        ``sort`` in the query string.

        :param scope: the report type: one of ``'advertiser'``, ``'publisher'``,
            ``'inventory'``, ``'dsp'``, ``'network_managed'``, ``'network_buy'``,
            ``'network_sell'``.  ``None`` (default): ``'advertiser'`` for a user with
            advertisers only, ``'publisher'`` for one with publishers only.
        :param groups: the columns to group by (a list, or one name), e.g. ``['hour']``.
        :param metrics: the columns to sum (a list, or one name), e.g. ``['impressions']``.
        :param where: filters, a list of ``[column, op, value]`` lists: ``op`` is one
            of ``==``, ``!=``, ``<``, ``>``, ``in``, ``not in``; ``value`` a number,
            or a list of them for ``in`` and ``not in``.  Default: no filter.
        :param from_: the start (inclusive): a ``datetime`` (sent in whole hours as
            ``%Y-%m-%d %H:00:00``, an aware one first converted to ``timezone``), a
            ``date`` (its midnight) or a string (sent as given).  Default
            (``None``): seven days before now in ``timezone``, to the hour.
        :param to: the end (exclusive), in the same forms.  Default (``None``): now
            in ``timezone``, to the hour (the API reads every time in it).
        :param daterange: a period relative to today, instead of ``from_`` and
            ``to``: ``'today'``, ``'yesterday'``, ``'last7days'``, ``'last14days'``,
            ``'last30days'``, ``'monthtodate'``, ``'lastmonth'``, ``'yeartodate'``
            or ``'lifetime'``.  Default: ``None``.
        :param timezone: the timezone of every time of the report (default ``'UTC'``).
        :param emails: one address or a list, told when the report is ready; sent as
            a list.  Default: none (left out of the body).
        :param when: makes a scheduled report that runs ``'daily'``, ``'monthly'``
            or on a weekday (``'monday'`` ... ``'sunday'``); needs ``interval``.
        :param interval: the period a scheduled report covers: ``'N days'`` or
            ``'N month'`` (``'7 days'``, ``'1 month'``); needs ``when``.
        :param name: a name for the report (default: none, left out of the body).
        :param sort: the columns to sort by (a list, or one name), sent comma-joined.
        :param limit: the number of rows to return (an int >= 1; default: all).
        :param offset: the number of rows to skip (an int >= 0; default: none).
        :param save: whether the report appears in the user's report history
            (default ``True``).
        :param editable: whether other users may change its date range (default
            ``False``).
        :returns: the :class:`~atomx.models.Report` the API answered, bound to this
            session (a :class:`~atomx.models.ScheduledReport` with ``when`` and
            ``interval``).
        :raises ~atomx.exceptions.MissingArgumentError: neither ``groups`` nor
            ``metrics``, or no ``scope`` and none can be told from the user's rights.
        :raises ValueError: a scope, daterange, ``when`` or ``interval`` that is not
            allowed; a ``where`` item that is not ``[column, op, value]`` with an
            allowed ``op`` (and a list for ``in``/``not in``); ``daterange`` or a
            schedule together with ``from_``/``to``; ``when`` without ``interval``
            or the reverse; ``from_`` not before ``to``; an unreadable date string;
            an unknown ``timezone`` for a default or aware time; an email without ``@``;
            a ``limit`` below 1 or an ``offset`` below 0.
        :raises TypeError: ``groups``, ``metrics`` or ``sort`` not names; ``from_``
            or ``to`` not a datetime, date or string; ``emails`` not an address or
            a list; ``timezone`` or ``name`` not a string; ``save`` or
            ``editable`` not a bool.
        :raises ~atomx.exceptions.APIError: the API refused the report or did not
            answer one.
        """
        body, query = report_query.build_report_request(
            user=self.user, now=report_query.utc_now(), scope=scope, groups=groups,
            metrics=metrics, where=where, from_=from_, to=to, daterange=daterange,
            timezone=timezone, emails=emails, when=when, interval=interval, name=name, sort=sort,
            limit=limit, offset=offset, save=save, editable=editable)
        return reports.as_report(self.post('report', body, **query), self, 'POST report')

    def iter_report(self, scope: Optional[str] = None, groups: Optional[Sequence[str]] = None,
                    metrics: Optional[Sequence[str]] = None,
                    where: Optional[Sequence[Sequence[Any]]] = None,
                    from_: TimeArg = None, to: TimeArg = None,
                    daterange: Optional[str] = None, timezone: str = 'UTC',
                    split: Optional[str] = None,
                    page_size: int = report_pages.DEFAULT_PAGE_SIZE,
                    progress: bool = False) -> Iterator[Report]:
        """A large report as :class:`~atomx.models.Report` pages of at most ``page_size`` rows.

        Takes :meth:`report`'s arguments (checked the same way, before any
        request).  ``split`` cuts ``[from_, to)`` into windows of the report's
        timezone (DST days included) and each window is fetched in pages with
        ``limit``/``offset``, sorted by the group columns so that pages do not
        overlap; every page is sent with ``save=False``.  See
        :mod:`atomx.report_pages`.

        :param scope: the report type, as for :meth:`report`.
        :param groups: columns to group by.
        :param metrics: columns to sum.
        :param where: filters, a list of ``[column, op, value]``.
        :param from_: the start (inclusive).
        :param to: the end (exclusive).
        :param daterange: a period relative to today (not with ``split``).
        :param timezone: the timezone of all times and windows.
        :param split: ``'hour'``, ``'day'``, ``'week'`` or ``'month'`` windows, or
            ``None`` (default) for the whole period in pages.
        :param page_size: rows per request (default 100,000).
        :param progress: show a tqdm bar of the rows (its total from the answers'
            ``count``).
        :returns: an iterator of the pages; the first request is sent by the first
            ``next()``.
        :raises ValueError: as :meth:`report`; an unknown ``split``, or ``split``
            with ``daterange``.
        :raises TypeError: as :meth:`report`; ``page_size`` not an int.
        :raises MissingDependencyError: ``progress=True`` without tqdm.
        :raises APIError: a page failed after the retries (raised while iterating;
            the message names the window and the offset reached).
        """
        return report_pages.iter_report(
            self, scope=scope, groups=groups, metrics=metrics, where=where, from_=from_, to=to,
            daterange=daterange, timezone=timezone, split=split, page_size=page_size,
            progress=progress)

    def export_report(self, path: Union[str, os.PathLike[str]], *, split: str = 'day',
                      page_size: int = report_pages.DEFAULT_PAGE_SIZE, progress: bool = False,
                      refresh_last: int = 0, **report_arguments: Any) -> export.ExportSummary:
        """Write a report as a Hive-partitioned Parquet dataset, resumably.

        ``path/day=2026-01-01/part-0.parquet``, one file per window, one page in
        memory at a time; a manifest lets a second run skip finished windows
        (see :mod:`atomx.export`).

        :param path: the dataset's directory.
        :param split: the window (and partition) unit: ``'hour'``, ``'day'``
            (default), ``'week'`` or ``'month'``.
        :param page_size: rows per request (default 100,000).
        :param progress: show a tqdm bar of the rows.
        :param refresh_last: fetch the newest N windows again (late data).
        :param report_arguments: :meth:`report`'s arguments that select rows:
            ``scope``, ``groups``, ``metrics``, ``where``, ``from_``, ``to``,
            ``timezone``.
        :returns: an :class:`~atomx.export.ExportSummary` (windows written and
            skipped, rows, bytes).
        :raises ValueError: as :meth:`report`; a dataset of another query at ``path``.
        :raises TypeError: as :meth:`report`.
        :raises MissingDependencyError: pyarrow is not installed (``atomx[arrow]``).
        :raises APIError: a page failed after the retries; a second run resumes.
        """
        return export.export_report(self, path, split=split, page_size=page_size,
                                    progress=progress, refresh_last=refresh_last,
                                    **report_arguments)

    def subscribe(self, *channels: Any, stats: bool = False, reconnect: bool = True,
                  open_timeout: float = 10) -> live.Subscription:
        """Live updates of models over the API's websocket (a beta of the API).

        See :mod:`atomx.live`; ``with atomx.subscribe(Advertiser(42)) as feed: for
        event in feed.events(timeout=60): ...``.

        :param channels: ``'resource:id'`` strs (``'stats:campaign:7'`` for live
            quickstats), models with an id, or ``(ModelClass, id)`` pairs.
        :param stats: also the ``stats:`` channel of each advertiser and campaign given.
        :param reconnect: reopen a dropped connection, subscribe again and yield a
            ``'reconnected'`` event.
        :param open_timeout: seconds to wait for the connection and each answer.
        :returns: the open :class:`~atomx.live.Subscription`, every channel confirmed.
        :raises ValueError: a bad channel or ``open_timeout``, before anything is sent.
        :raises TypeError: a channel or ``open_timeout`` of a wrong type.
        :raises SubscriptionError: the server refused a channel.
        :raises APIConnectionError: no connection within ``open_timeout``.
        :raises MissingDependencyError: websockets is not installed
            (``pip install "atomx[live]"``).
        """
        return live.Subscription(self, channels, stats=stats, reconnect=reconnect,
                                 open_timeout=open_timeout,
                                 relogin=self._transport.renew_token,
                                 pace=self._transport.limiter.acquire,
                                 proxy_for=functools.partial(proxy_choice.rest_proxy,
                                                             self._transport.http))

    def save(self, model: ModelT) -> ModelT:
        """Save ``model`` with this session: ``model.save(atomx)``.

        :param model: the model whose changes to PUT.
        :returns: what :meth:`~atomx.models.AtomxModel.save` returns: the model.
        :raises ModelNotFoundError: the model has no id (use :meth:`create`).
        :raises APIError: the API refused the change.
        """
        return model.save(self)

    def create(self, model: ModelT) -> ModelT:
        """Create ``model`` with this session: ``model.create(atomx)``.

        :param model: the new model to POST.
        :returns: what :meth:`~atomx.models.AtomxModel.create` returns: the model,
            with its id.
        :raises APIError: the API refused it.
        """
        return model.create(self)

    def remove(self, model: AtomxModel) -> Any:
        """Delete ``model`` with this session: ``model.delete(atomx)``.

        :param model: the model to DELETE (for good).
        :returns: what :meth:`~atomx.models.AtomxModel.delete` returns: the
            removed ids per model name.
        :raises ModelNotFoundError: the model has no id.
        :raises APIError: the API refused it.
        """
        return model.delete(self)


__all__ = ['Atomx', 'DEFAULT_ENDPOINT', 'build_path', 'build_query']
