"""Saved accounts on the command line: ``--profile``, ``--remember``, ``config``, ``logout``.

:func:`login_settings` decides who logs in where, from the flags, the profile
and the environment, in that order; :func:`run_config` lists the profiles
without their secrets and :func:`run_logout` deletes a cached token.  Neither
of the two commands sends a request.
"""
from __future__ import annotations

import argparse
from datetime import datetime, timezone
from typing import Callable, Mapping, NamedTuple, Optional

from . import accounts, cli_output
from .cli_commands import Invocation, UsageError
from .failures import without_url_passwords
from .session import DEFAULT_ENDPOINT

#: What a ``login_settings`` password is: asked for (or run) once, when a login needs it.
PasswordSource = Callable[[], str]


class LoginSettings:
    """Who logs in where, and how the password is had.

    :param email: the login email.
    :param endpoint: the API's URL.
    :param password: a function returning the password, called at most once.
    :param token_cache: the token cache to use, or ``None``.
    :param profile: the profile the settings come from, or ``None``.
    """

    def __init__(self, email: str, endpoint: str, password: PasswordSource,
                 token_cache: Optional[accounts.TokenCache],
                 profile: Optional[accounts.Profile]) -> None:
        self.email = email
        self.endpoint = endpoint
        self.password = password
        self.token_cache = token_cache
        self.profile = profile

    def __repr__(self) -> str:
        return f'<LoginSettings {self.email!r} at {without_url_passwords(self.endpoint)!r}>'


def _once(source: PasswordSource) -> PasswordSource:
    """``source``, called the first time only: a prompt is not repeated."""
    kept: list[str] = []

    def password() -> str:
        if not kept:
            kept.append(source())
        return kept[0]
    return password


def chosen_profile(args: argparse.Namespace,
                   environ: Mapping[str, str]) -> Optional[accounts.Profile]:
    """The profile of the command line: ``--profile``, else ``$ATOMX_PROFILE``.

    Without either, the config file's ``default`` profile is used when no email
    is given (``--email``, ``$ATOMX_EMAIL``) and the file exists.

    :param args: the parsed command line.
    :param environ: the environment.
    :returns: the profile, or ``None`` when the environment alone says who logs in.
    :raises ~atomx.exceptions.ProfileError: the named profile cannot be used.
    """
    name = getattr(args, 'profile', None) or environ.get(accounts.PROFILE_VARIABLE)
    path = accounts.config_path(environ)
    given_email = getattr(args, 'email', None) or environ.get('ATOMX_EMAIL')
    if not name and (given_email or not path.exists()):
        return None
    return accounts.load_profile(name, path=path, environ=environ)


class Endpoint(NamedTuple):
    """The endpoint a command logs in to, and the setting that names it."""

    url: str
    #: ``'--endpoint'``, ``'profile'``, ``'ATOMX_API_ENDPOINT'`` or ``'default'``.
    source: str


def endpoint_used(args: argparse.Namespace, profile: Optional[accounts.Profile],
                  environ: Mapping[str, str], default_endpoint: str) -> Endpoint:
    """Where a command logs in (and its token is cached): ``--endpoint``, else the
    profile's own endpoint, else ``$ATOMX_API_ENDPOINT``, else the default.

    :param args: the parsed command line (``endpoint`` may be absent).
    :param profile: the profile, or ``None``.
    :param environ: the environment.
    :param default_endpoint: the endpoint when nothing names one.
    :returns: the :class:`Endpoint`: its URL and which of those four named it.
    """
    given = getattr(args, 'endpoint', None)
    if given:
        return Endpoint(given, '--endpoint')
    url, source = accounts.profile_endpoint(profile, environ)
    return Endpoint(url, source) if url else Endpoint(default_endpoint, 'default')


def login_settings(args: argparse.Namespace, environ: Mapping[str, str],
                   ask_password: PasswordSource, default_endpoint: str) -> LoginSettings:
    """Email, endpoint, password and token cache: flags, then the profile, then the environment.

    :param args: the parsed command line (``email``, ``endpoint``, ``profile`` and
        ``remember`` may be absent).
    :param environ: the environment.
    :param ask_password: how to have the password when neither the profile nor
        ``$ATOMX_PASSWORD`` gives it (a prompt without echo).
    :param default_endpoint: the endpoint when nothing names one.
    :returns: the :class:`LoginSettings`.
    :raises ~atomx.cli_commands.UsageError: no email anywhere.
    :raises ~atomx.exceptions.ProfileError: the profile cannot be used.
    """
    profile = chosen_profile(args, environ)
    email = (getattr(args, 'email', None) or (profile.email if profile else None)
             or environ.get('ATOMX_EMAIL'))
    if not email:
        raise UsageError('no login email: pass --email or set ATOMX_EMAIL (or use --profile)')
    endpoint = endpoint_used(args, profile, environ, default_endpoint).url
    if profile is not None and profile.password_source != 'none':
        source: PasswordSource = profile.password
    elif environ.get('ATOMX_PASSWORD'):
        source = lambda: environ['ATOMX_PASSWORD']  # noqa: E731
    else:
        source = ask_password
    remember = getattr(args, 'remember', False) or (profile is not None and profile.token_cache)
    cache = accounts.TokenCache(accounts.cache_dir(environ)) if remember else None
    return LoginSettings(email, endpoint, _once(source), cache, profile)


def run_config(run: Invocation) -> int:
    """``atomx config``: the profiles of the config file, without secrets; no request.

    It only reads: an expired token stays in the cache (the next login replaces it).
    Each row says what a command with ``--profile NAME`` (and the same ``--endpoint``
    and ``--email``) would use: the ``endpoint`` column is where it logs in, and
    ``endpoint_from`` the setting that says so (:func:`endpoint_used`); the ``email``
    column is ``--email``, else the profile's; the tokens are looked up under both.
    ``--profile NAME`` lists that profile only (``$ATOMX_PROFILE`` filters nothing:
    the listing is of them all).  A password in the endpoint's URL shows as ``***``.

    :param run: the command (``--format``, ``--profile``, ``--endpoint``, ``--email``;
        the environment names the files).
    :returns: 0.
    :raises ~atomx.exceptions.ProfileError: the file is missing or refused, or it has
        no profile named by ``--profile``.
    """
    path = accounts.config_path(run.environ)
    cache = accounts.TokenCache(accounts.cache_dir(run.environ))
    name = getattr(run.args, 'profile', None)
    profiles = ([accounts.load_profile(name, path=path, environ=run.environ)] if name
                else accounts.load_profiles(path).values())
    records = []
    for profile in profiles:
        settings = profile.describe()
        endpoint = endpoint_used(run.args, profile, run.environ, DEFAULT_ENDPOINT)
        settings['email'] = getattr(run.args, 'email', None) or profile.email
        record = {'profile': settings.pop('profile'),
                  'endpoint': without_url_passwords(endpoint.url),
                  'endpoint_from': endpoint.source}
        record.update((key, value) for key, value in settings.items() if key != 'endpoint')
        record['cached_token'] = _cached_text(cache.peek(endpoint.url, settings['email']),
                                              cache)
        records.append(record)
    if not records:
        run.out.write(f'no profiles in {path}\n')
        return 0
    cli_output.write_records(records, run.args.format, run.out)
    return 0


def _cached_text(cached: Optional[accounts.CachedToken], cache: accounts.TokenCache) -> str:
    """``'until 2026-01-02 03:04 UTC'`` (used), ``'expires 2026-01-02 03:04 UTC (too soon
    to use)'`` (valid, but within :data:`~atomx.accounts.EXPIRY_MARGIN` of its expiry: the
    next command logs in again), ``'expired 2026-01-02 03:04 UTC'``, ``'yes'`` (expiry
    unknown) or ``'no'``."""
    if cached is None:
        return 'no'
    if cached.expires_at is None:
        return 'yes'
    when = f'{datetime.fromtimestamp(cached.expires_at, timezone.utc):%Y-%m-%d %H:%M} UTC'
    if cache.usable(cached):
        return f'until {when}'
    if cache.expired(cached):
        return f'expired {when}'
    return f'expires {when} (too soon to use)'


def run_logout(run: Invocation) -> int:
    """``atomx logout``: delete the cached token of the profile (or of ``--email``); no request.

    :param run: the command (``--profile``, ``--email``, ``--endpoint``).
    :returns: 0, whether or not a token was cached.
    :raises ~atomx.cli_commands.UsageError: no email anywhere.
    :raises ~atomx.exceptions.ProfileError: the profile cannot be used.
    """
    def no_password() -> str:
        raise AssertionError('logout needs no password')

    settings = login_settings(run.args, run.environ, no_password, DEFAULT_ENDPOINT)
    cache = accounts.TokenCache(accounts.cache_dir(run.environ))
    deleted = cache.delete(settings.endpoint, settings.email)
    said = 'deleted the cached token' if deleted else 'no cached token'
    run.out.write(f'{said} of {settings.email} at {without_url_passwords(settings.endpoint)}\n')
    return 0


__all__ = ['Endpoint', 'LoginSettings', 'chosen_profile', 'endpoint_used', 'login_settings',
           'run_config', 'run_logout']
