"""Saved accounts: profiles in an INI file, and an opt-in cache of bearer tokens.

The config file (``$ATOMX_CONFIG``, else ``atomx.ini`` in :func:`config_dir`)
has one section per profile::

    [default]
    endpoint = https://api.atomx.com/v3
    email = me@example.com
    password_command = pass show atomx/me
    token_cache = yes

A ``password`` may stand in the file instead of ``password_command``; such a
file must be readable by its owner alone (``chmod 600``), or it is refused, as
ssh refuses a private key that others can read.  Any config file is refused
when others may change it: they would choose where the password goes
(``endpoint``) and what runs as you (``password_command``).

The token cache keeps one small JSON file per endpoint and email in
:func:`cache_dir`, created readable by the user alone: the bearer token, its
expiry and the user's answer from the login; never the password or a TOTP code.
A file there that is not a regular file of the user, private to them, is never
read (a symbolic link, a FIFO, a file others may read), and a directory that
others may write to is made private before a token is written into it.
A cached token is used until it expires (or the API refuses it), so a two-factor
user types a code once per token, not once per command.

Where the files live: on Windows under ``%APPDATA%`` (config) and
``%LOCALAPPDATA%`` (cache); everywhere else, macOS included, under
``$XDG_CONFIG_HOME`` (default ``~/.config``) and ``$XDG_CACHE_HOME`` (default
``~/.cache``), as most command line tools do.

Nothing here imports the session: it calls :func:`load_profile` and a
:class:`TokenCache`.
"""
from __future__ import annotations

import base64
import configparser
import contextlib
import hashlib
import json
import logging
import os
import shlex
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Optional

from .exceptions import ProfileError
from .failures import without_url_passwords

logger = logging.getLogger('atomx')

#: The variable that names the config file.
CONFIG_VARIABLE = 'ATOMX_CONFIG'
#: The variable that names the profile used when none is given.
PROFILE_VARIABLE = 'ATOMX_PROFILE'
#: The profile used when neither an argument nor ``$ATOMX_PROFILE`` names one.
DEFAULT_PROFILE = 'default'
#: The keys a profile section may hold.
PROFILE_KEYS = frozenset({'endpoint', 'email', 'password', 'password_command', 'token_cache'})
#: Seconds a ``password_command`` may take (it may wait for a password manager's prompt).
PASSWORD_COMMAND_TIMEOUT = 120.0
#: A cached token this close to its expiry (seconds) is not used any more.
EXPIRY_MARGIN = 60.0


def _home_dir(environ: Mapping[str, str], windows_variable: str, xdg_variable: str,
              xdg_default: str, platform: str) -> Path:
    """The per-user base directory of one kind (config or cache) on this platform."""
    if platform.startswith('win') and environ.get(windows_variable):
        return Path(environ[windows_variable]) / 'atomx'
    base = environ.get(xdg_variable) or os.path.join(os.path.expanduser('~'), xdg_default)
    return Path(base) / 'atomx'


def config_dir(environ: Optional[Mapping[str, str]] = None, platform: str = sys.platform) -> Path:
    """The user's atomx config directory.

    :param environ: the variables to read (default :data:`os.environ`).
    :param platform: :data:`sys.platform` or another value (for tests).
    :returns: ``%APPDATA%\\atomx`` on Windows, else ``$XDG_CONFIG_HOME/atomx``
        (default ``~/.config/atomx``).
    """
    return _home_dir(os.environ if environ is None else environ, 'APPDATA', 'XDG_CONFIG_HOME',
                     '.config', platform)


def cache_dir(environ: Optional[Mapping[str, str]] = None, platform: str = sys.platform) -> Path:
    """The user's atomx cache directory, where the token cache lives.

    :param environ: the variables to read (default :data:`os.environ`).
    :param platform: :data:`sys.platform` or another value (for tests).
    :returns: ``%LOCALAPPDATA%\\atomx`` on Windows, else ``$XDG_CACHE_HOME/atomx``
        (default ``~/.cache/atomx``).
    """
    return _home_dir(os.environ if environ is None else environ, 'LOCALAPPDATA',
                     'XDG_CACHE_HOME', '.cache', platform)


def config_path(environ: Optional[Mapping[str, str]] = None) -> Path:
    """The config file: ``$ATOMX_CONFIG``, else ``atomx.ini`` in :func:`config_dir`.

    :param environ: the variables to read (default :data:`os.environ`).
    :returns: its path (it need not exist).
    """
    env = os.environ if environ is None else environ
    return Path(env[CONFIG_VARIABLE]) if env.get(CONFIG_VARIABLE) else config_dir(env) / 'atomx.ini'


class Profile:
    """One saved account: a section of the config file.

    :param name: the section's name.
    :param email: the login email.
    :param endpoint: the API's URL, or ``None`` for the default.
    :param password: the password written in the file, or ``None``.
    :param password_command: a command whose first output line is the password.
    :param token_cache: whether the session keeps its token in the cache.
    :param path: the file it comes from (for messages).

    Its repr and :meth:`describe` never show the password.
    """

    def __init__(self, name: str, email: str, endpoint: Optional[str] = None,
                 password: Optional[str] = None, password_command: Optional[str] = None,
                 token_cache: bool = False, path: Optional[Path] = None) -> None:
        self.name = name
        self.email = email
        self.endpoint = endpoint
        self._password = password
        self.password_command = password_command
        self.token_cache = token_cache
        self.path = path

    def __repr__(self) -> str:
        endpoint = self.endpoint and without_url_passwords(self.endpoint)
        return f'<Profile {self.name!r} email={self.email!r} endpoint={endpoint!r}>'

    @property
    def password_source(self) -> str:
        """Where the password comes from: ``'password_command'``, ``'file'`` or ``'none'``."""
        if self.password_command:
            return 'password_command'
        return 'file' if self._password else 'none'

    def describe(self) -> Dict[str, Any]:
        """What ``atomx config`` shows: every setting but the secret.

        :returns: a dict of ``profile``, ``endpoint``, ``email``, ``password``
            (its source), ``password_command`` and ``token_cache``.
        """
        return {'profile': self.name, 'endpoint': self.endpoint or '', 'email': self.email,
                'password': self.password_source,
                'password_command': self.password_command or '',
                'token_cache': 'yes' if self.token_cache else 'no'}

    def password(self) -> str:
        """The password: the file's, or the first line ``password_command`` prints.

        Called only when a login is needed, so a cached token spares the command.

        :returns: the password.
        :raises ~atomx.exceptions.ProfileError: the profile has no password, or the
            command cannot run, fails, times out or prints nothing.
        """
        if self.password_command:
            return _run_password_command(self.name, self.password_command)
        if self._password:
            return self._password
        raise ProfileError(f'profile {self.name!r} in {self.path} has neither password_command '
                           f'nor password')


def _run_password_command(profile: str, command: str) -> str:
    """The first line printed by ``command`` (run without a shell); never in a message."""
    where = f'password_command of profile {profile!r}'
    # The errors are raised outside the except blocks: a TimeoutExpired kept as
    # __context__ would hold what the command printed so far, the password perhaps.
    failure: Optional[ProfileError] = None
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True,
                              timeout=PASSWORD_COMMAND_TIMEOUT, check=False)
    except (OSError, ValueError) as error:
        failure = ProfileError(f'{where} cannot run: {error}')
    except subprocess.TimeoutExpired:
        failure = ProfileError(f'{where} did not finish within {PASSWORD_COMMAND_TIMEOUT:g}s')
    if failure is not None:
        raise failure
    if done.returncode != 0:
        reason = ' '.join(done.stderr.split())[:200]
        raise ProfileError(f'{where} failed with exit status {done.returncode}'
                           + (f': {reason}' if reason else ''))
    password = done.stdout.split('\n', 1)[0].rstrip('\r')
    if not password:
        raise ProfileError(f'{where} printed no password')
    return password


def check_private(path: Path) -> None:
    """Refuse a file holding a password that users other than its owner may read.

    Skipped on Windows, whose file modes do not say who may read.

    :param path: the config file.
    :returns: ``None`` when its mode is private (no group or other bits).
    :raises ~atomx.exceptions.ProfileError: it is readable or writable by others;
        the message says to run ``chmod 600`` on it.
    """
    _check_mode(path, 0o077, 'holds a password and other users may read or change it')


def check_not_writable(path: Path) -> None:
    """Refuse a config file that users other than its owner may change.

    Whoever may change it chooses where the password goes (``endpoint``) and
    which program runs as this user (``password_command``), so such a file is
    refused as ssh refuses a config file others may write.  A group that is the
    owner's own (named after them, no other member: the "user private group" that
    a umask of 002 gives write access to) does not count, as in Debian's ssh.
    Skipped on Windows.

    :param path: the config file.
    :returns: ``None`` when neither group nor others may write it.
    :raises ~atomx.exceptions.ProfileError: they may; the message says to run
        ``chmod 600`` on it.
    """
    _check_mode(path, 0o022, 'may be changed by other users (its endpoint and '
                'password_command decide where your password goes and what runs as you)',
                owners_group_counts=False)


def _owners_own_group(info: os.stat_result) -> bool:
    """Whether a file's group is its owner's private group (no one else in it)."""
    import grp
    import pwd
    try:
        group, owner = grp.getgrgid(info.st_gid), pwd.getpwuid(info.st_uid)
    except KeyError:
        return False
    return group.gr_name == owner.pw_name and set(group.gr_mem) <= {owner.pw_name}


def _check_mode(path: Path, forbidden: int, why: str, owners_group_counts: bool = True) -> None:
    if os.name == 'nt':
        return
    info = path.stat()
    mode = stat.S_IMODE(info.st_mode)
    if not owners_group_counts and _owners_own_group(info):
        forbidden &= ~0o070
    if mode & forbidden:
        raise ProfileError(f'{path} {why} (permissions {mode:04o}); make it private with: '
                           f'chmod 600 {path}')


def _boolean(parser: configparser.ConfigParser, section: str, key: str, path: Path) -> bool:
    try:
        return parser.getboolean(section, key, fallback=False)
    except ValueError:
        raise ProfileError(f'{path}: [{section}] {key} must be yes or no, not '
                           f'{parser.get(section, key)!r}') from None


def _unreadable(path: Path, error: Exception) -> ProfileError:
    """The error for a config file that cannot be read, naming the bad lines without
    quoting them (configparser's messages do, and such a line may hold a password)."""
    if isinstance(error, configparser.MissingSectionHeaderError):
        what = f'line {error.lineno} comes before the first [section] header'
    elif isinstance(error, configparser.ParsingError):
        numbers = [str(number) for number, _ in error.errors]
        what = (f'line{"s" if len(numbers) > 1 else ""} {", ".join(numbers)} '
                f'{"are" if len(numbers) > 1 else "is"} neither "key = value" nor a '
                f'[section] header')
    else:
        what = str(error)
    return ProfileError(f'cannot read the atomx config file {path}: {what}')


def load_profiles(path: Optional[Path] = None) -> Dict[str, Profile]:
    """Every profile of the config file.

    :param path: the file (default :func:`config_path`).
    :returns: the profiles by name, in the file's order.
    :raises ~atomx.exceptions.ProfileError: the file is missing or cannot be
        parsed, a section has an unknown key or no ``email``, others may change
        it, or it holds a ``password`` and others may read it.
    """
    path = config_path() if path is None else Path(path)
    parser = configparser.ConfigParser(interpolation=None)
    failure: Optional[ProfileError] = None
    try:
        with open(path, encoding='utf-8') as file:
            parser.read_file(file)
    except FileNotFoundError:
        raise ProfileError(f'no atomx config file at {path}: create it with a [default] '
                           f'section (endpoint, email, password_command), or set '
                           f'{CONFIG_VARIABLE}') from None
    except (OSError, configparser.Error, UnicodeDecodeError) as error:
        failure = _unreadable(path, error)
    if failure is not None:  # raised here, so that it keeps no parser error as __context__
        raise failure
    if any(parser.has_option(section, 'password') for section in parser.sections()):
        check_private(path)
    else:
        check_not_writable(path)
    profiles = {}
    for section in parser.sections():
        unknown = sorted(set(parser.options(section)) - PROFILE_KEYS)
        if unknown:
            raise ProfileError(f'{path}: [{section}] has unknown keys {", ".join(unknown)} '
                               f'(allowed: {", ".join(sorted(PROFILE_KEYS))})')
        values = parser[section]
        if not values.get('email'):
            raise ProfileError(f'{path}: [{section}] has no email')
        profiles[section] = Profile(
            section, values['email'], values.get('endpoint') or None,
            values.get('password') or None, values.get('password_command') or None,
            _boolean(parser, section, 'token_cache', path), path)
    return profiles


def load_profile(name: Optional[str] = None, path: Optional[Path] = None,
                 environ: Optional[Mapping[str, str]] = None) -> Profile:
    """One profile: ``name``, else ``$ATOMX_PROFILE``, else ``default``.

    :param name: the profile's section name.
    :param path: the config file (default :func:`config_path`).
    :param environ: the variables to read (default :data:`os.environ`).
    :returns: the :class:`Profile`.
    :raises ~atomx.exceptions.ProfileError: see :func:`load_profiles`, or there is
        no such profile (the message lists those there are).
    """
    env = os.environ if environ is None else environ
    name = name or env.get(PROFILE_VARIABLE) or DEFAULT_PROFILE
    path = config_path(env) if path is None else path
    profiles = load_profiles(path)
    if name not in profiles:
        known = ', '.join(profiles) or 'none'
        raise ProfileError(f'no profile {name!r} in {path} (profiles: {known})')
    return profiles[name]


#: The environment variable that names the API endpoint when a profile names none.
ENDPOINT_VARIABLE = 'ATOMX_API_ENDPOINT'


def profile_endpoint(profile: Optional[Profile], environ: Mapping[str, str]) -> tuple[str, str]:
    """Where a profile logs in when no endpoint is given: its own ``endpoint``, else
    ``$ATOMX_API_ENDPOINT``; the library's :meth:`~atomx.Atomx.from_profile` and the
    ``atomx`` command both follow it.

    :param profile: the profile, or ``None``.
    :param environ: the environment.
    :returns: ``(url, where from)``: ``'profile'`` or ``'ATOMX_API_ENDPOINT'``;
        ``('', '')`` when neither names one (the default endpoint applies).
    """
    if profile is not None and profile.endpoint:
        return profile.endpoint, 'profile'
    url = environ.get(ENDPOINT_VARIABLE, '')
    return (url, ENDPOINT_VARIABLE) if url else ('', '')


# -- the token cache -------------------------------------------------------------

#: The latest expiry taken as one (the end of year 9999, the last a date can show).
LATEST_EXPIRY = 253402300799.0


def is_expiry(value: Any) -> bool:
    """Whether ``value`` can be a token's expiry: a :func:`time.time` number from 0 to
    :data:`LATEST_EXPIRY` (not a bool, NaN or infinity, which would never expire or
    could not be shown as a date).

    :param value: a JWT's ``exp`` claim or a cache file's ``expires_at``.
    :returns: ``True`` if it is one.
    """
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and 0 <= value <= LATEST_EXPIRY)


def token_expiry(token: str, expiration: Optional[int], now: float) -> Optional[float]:
    """When a fresh token expires, as a :func:`time.time` value.

    :param token: the bearer token; a JWT's ``exp`` claim is read when it has one.
    :param expiration: the seconds asked for at login, or ``None``.
    :param now: the time of the login.
    :returns: the JWT's ``exp``, else ``now + expiration``, else ``None`` (unknown:
        the token is then used until the API refuses it).
    """
    parts = token.split('.')
    if len(parts) == 3:
        try:
            claims = json.loads(base64.urlsafe_b64decode(parts[1] + '=' * (-len(parts[1]) % 4)))
            exp: Any = claims.get('exp') if isinstance(claims, dict) else None
            if is_expiry(exp):
                return float(exp)
        except ValueError:
            pass
    return now + expiration if expiration else None


def _read_private(path: Path) -> str:
    """A cache file's text, if it is a regular file of this user that others cannot read.

    In a cache directory others could write to (made so by hand, or a shared
    ``$XDG_CACHE_HOME``), a file planted there would give this user someone else's
    token, and a FIFO would block the read: neither is followed or trusted.

    :raises OSError: it is missing, a symbolic link or unreadable.
    :raises ValueError: it is not a regular file, not the user's own, or not private.
    """
    if os.name == 'nt':
        return path.read_text(encoding='utf-8')
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor, encoding='utf-8') as file:
        info = os.fstat(descriptor)
        if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
                or stat.S_IMODE(info.st_mode) & 0o077):
            logger.warning('atomx: ignored the token cache file %s: not a private file of '
                           'this user', path)
            raise ValueError('not a private file of this user')
        return file.read()


def _make_private(directory: Path) -> None:
    """Make the user's own cache directory private (0700) if it is not.

    :raises OSError: it belongs to another user (the token is then not written).
    """
    if os.name == 'nt':
        return
    info = directory.stat()
    if info.st_uid != os.getuid():
        raise PermissionError(f'{directory} belongs to another user')
    if stat.S_IMODE(info.st_mode) & 0o077:
        directory.chmod(0o700)


class CachedToken:
    """A token read from the cache; its repr hides the token.

    :param token: the bearer token.
    :param expires_at: its expiry (a :func:`time.time` value), or ``None`` if unknown.
    :param user: the ``user`` object of the login answer, or ``None``.
    """

    def __init__(self, token: str, expires_at: Optional[float], user: Any) -> None:
        self.token = token
        self.expires_at = expires_at
        self.user = user

    def __repr__(self) -> str:
        return f'<CachedToken expires_at={self.expires_at!r}>'


def check_token_cache(token_cache: Any) -> Optional[TokenCache]:
    """The cache a ``token_cache=`` argument asks for.

    :param token_cache: ``True`` (the user's cache directory), ``False`` or ``None``
        (no cache), or a :class:`TokenCache`.
    :returns: the :class:`TokenCache`, or ``None``.
    :raises TypeError: anything else (``'yes'``, a path: pass ``TokenCache(path)``).
    """
    if token_cache is True:
        return TokenCache()
    if token_cache is False or token_cache is None or isinstance(token_cache, TokenCache):
        return token_cache or None
    raise TypeError(f'token_cache must be True, False or an atomx.accounts.TokenCache, not '
                    f'{type(token_cache).__name__} ({token_cache!r}); for another directory '
                    f'pass TokenCache(directory)')


class TokenCache:
    """Bearer tokens kept on disk, one file per endpoint and email.

    :param directory: where the files live (default :func:`cache_dir`).
    :param clock: seconds since the epoch (replaceable for tests).
    """

    def __init__(self, directory: Optional[Path] = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.directory = cache_dir() if directory is None else Path(directory)
        self._clock = clock

    def __repr__(self) -> str:
        return f'<TokenCache {str(self.directory)!r}>'

    def path(self, endpoint: str, email: str) -> Path:
        """The file of one account: a hash of the endpoint and the email.

        :param endpoint: the API's URL.
        :param email: the login email (case does not matter).
        :returns: ``{directory}/token-{hash}.json``.
        """
        key = f'{endpoint.rstrip("/")}\n{email.strip().lower()}'.encode()
        return self.directory / f'token-{hashlib.sha256(key).hexdigest()[:32]}.json'

    def load(self, endpoint: str, email: str) -> Optional[CachedToken]:
        """The account's token, unless there is none or it (nearly) expired.

        :param endpoint: the API's URL.
        :param email: the login email.
        :returns: the :class:`CachedToken`, or ``None`` (an expired or unreadable
            file is deleted).
        """
        try:
            cached = self._read(endpoint, email)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self._drop(endpoint, email)
            return None
        if not self.usable(cached):
            self._drop(endpoint, email)
            return None
        return cached

    def peek(self, endpoint: str, email: str) -> Optional[CachedToken]:
        """The account's token as its file holds it, expired or not, changing nothing
        (what a listing shows; :meth:`load` is what a login uses).

        :param endpoint: the API's URL.
        :param email: the login email.
        :returns: the :class:`CachedToken`, or ``None`` when there is no readable file.
        """
        try:
            return self._read(endpoint, email)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def usable(self, cached: CachedToken) -> bool:
        """Whether a cached token is still used: not within :data:`EXPIRY_MARGIN` of its expiry.

        :param cached: a token of this cache.
        :returns: ``True`` while it may be sent (always, when its expiry is unknown).
        """
        return cached.expires_at is None or cached.expires_at - EXPIRY_MARGIN > self._clock()

    def expired(self, cached: CachedToken) -> bool:
        """Whether a cached token's expiry has passed (one within :data:`EXPIRY_MARGIN` of
        it has not, though it is no longer :meth:`usable`).

        :param cached: a token of this cache.
        :returns: ``True`` once its expiry is now or past (never, when it is unknown).
        """
        return cached.expires_at is not None and cached.expires_at <= self._clock()

    def _read(self, endpoint: str, email: str) -> CachedToken:
        """The account's file as a :class:`CachedToken`; a file that is not one raises."""
        data = json.loads(_read_private(self.path(endpoint, email)))
        token, expires_at = data['token'], data.get('expires_at')
        if not isinstance(token, str) or not token:
            raise ValueError('no token')
        if expires_at is not None and not is_expiry(expires_at):
            raise ValueError('no expiry')
        return CachedToken(token, expires_at, data.get('user'))

    def store(self, endpoint: str, email: str, token: str, expires_at: Optional[float],
              user: Any = None) -> Path:
        """Write the account's token to a file only its owner may read (mode 0600).

        The file is written beside its place and then moved there, so a reader
        never sees half of it.

        :param endpoint: the API's URL.
        :param email: the login email.
        :param token: the bearer token.
        :param expires_at: its expiry, or ``None`` if unknown.
        :param user: the login answer's ``user`` object (no secret in it).
        :returns: the file's path.
        :raises OSError: the directory or the file cannot be written.
        """
        path = self.path(endpoint, email)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _make_private(path.parent)
        body = json.dumps({'endpoint': endpoint, 'email': email, 'token': token,
                           'expires_at': expires_at, 'user': user})
        partial = path.with_name(f'{path.name}.{os.getpid()}-{threading.get_ident()}.tmp')
        partial.unlink(missing_ok=True)  # a leftover might have other permissions
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, 'w', encoding='utf-8') as file:
                file.write(body)
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return path

    def keep(self, endpoint: str, email: str, token: str, expiration: Optional[int],
             user: Any = None) -> Optional[Path]:
        """Store a fresh login's token; a cache that cannot be written only logs a warning.

        The login itself succeeded, so a read-only or full disk must not undo it:
        the next session simply logs in again.

        :param endpoint: the API's URL.
        :param email: the login email.
        :param token: the new bearer token.
        :param expiration: the seconds asked for at login, or ``None`` (see
            :func:`token_expiry`).
        :param user: the login answer's ``user`` object.
        :returns: the file's path, or ``None`` when it could not be written.
        """
        expires_at = token_expiry(token, expiration, self._clock())
        try:
            return self.store(endpoint, email, token, expires_at, user)
        except OSError as error:
            logger.warning('atomx: the token cache %s cannot be written (%s); the next '
                           'session logs in again', self.directory, error)
            return None

    def _drop(self, endpoint: str, email: str) -> None:
        """Delete an unusable file if possible; a cache that cannot be changed is left as it is."""
        with contextlib.suppress(OSError):
            self.delete(endpoint, email)

    def delete(self, endpoint: str, email: str) -> bool:
        """Forget the account's token.

        :param endpoint: the API's URL.
        :param email: the login email.
        :returns: whether there was a file to delete.
        """
        try:
            self.path(endpoint, email).unlink()
        except FileNotFoundError:
            return False
        return True


__all__ = ['CachedToken', 'DEFAULT_PROFILE', 'ENDPOINT_VARIABLE', 'Profile', 'TokenCache',
           'cache_dir', 'check_not_writable', 'check_private', 'check_token_cache', 'config_dir',
           'config_path', 'is_expiry', 'load_profile', 'load_profiles', 'profile_endpoint',
           'token_expiry']
