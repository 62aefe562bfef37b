"""Passwords, bearer tokens with an expiry, and RFC 6238 TOTP codes.

Passwords are kept only as salted PBKDF2 hashes; tokens are random and live in
memory (a restart logs everyone out).  A token is either a full one or the interim
token of a TOTP login, which opens ``POST /totp`` and nothing else.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import threading
import time
from dataclasses import dataclass
from typing import Callable, Dict, Optional

from .answers import unauthorized

#: Lifetime of a token when the login names no ``expiration`` (one week).
DEFAULT_EXPIRATION = 7 * 24 * 3600
#: Lifetime of the interim token a TOTP login hands out.
INTERIM_EXPIRATION = 300
_ITERATIONS = 1000


def hash_password(password: str, salt: Optional[str] = None) -> Dict[str, str]:
    """A salted hash of ``password``, as stored: ``{"salt": ..., "hash": ...}``."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac('sha256', password.encode(), salt.encode(), _ITERATIONS)
    return {'salt': salt, 'hash': digest.hex()}


def check_password(stored: Dict[str, str], password: str) -> bool:
    """Whether ``password`` matches the stored hash (constant-time comparison)."""
    candidate = hash_password(password, stored['salt'])['hash']
    return hmac.compare_digest(candidate, stored['hash'])


def totp_code(secret: str, at: Optional[float] = None, step: int = 30) -> str:
    """The six-digit RFC 6238 (TOTP, SHA-1) code of a base32 secret.

    :param secret: the base32 secret, e.g. :data:`atomx.sandbox.TOTP_SECRET`.
    :param at: the Unix time the code is for; now when ``None``.
    :param step: the seconds each code is valid for (default 30).
    :returns: the code, six digits as a string.
    :raises binascii.Error: ``secret`` is not base32.
    """
    key = base64.b32decode(secret.upper() + '=' * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack('>Q', counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f'{number % 1_000_000:06d}'


def verify_totp(secret: str, code: str, at: Optional[float] = None) -> bool:
    """Whether ``code`` is the code of ``secret`` now or one 30-second step before or after."""
    now = time.time() if at is None else at
    return any(hmac.compare_digest(totp_code(secret, now + drift), str(code).strip())
               for drift in (-30, 0, 30))


@dataclass(frozen=True)
class Token:
    """What a bearer token stands for."""

    user_id: int
    expires_at: float
    interim: bool = False
    #: For an interim token: the lifetime of the full token ``POST /totp`` hands out.
    grant: int = DEFAULT_EXPIRATION


class TokenRegistry:
    """Issues tokens and resolves ``Authorization`` headers to them."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._tokens: Dict[str, Token] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def issue(self, user_id: int, seconds: int, grant: Optional[int] = None) -> str:
        """A new token for ``user_id`` valid for ``seconds``.

        With ``grant`` it is an interim TOTP token that later yields a full token
        valid for ``grant`` seconds.
        """
        token = secrets.token_urlsafe(32)
        found = Token(user_id, self._clock() + seconds, grant is not None,
                      grant or DEFAULT_EXPIRATION)
        with self._lock:
            self._tokens[token] = found
        return token

    def revoke(self, token: str) -> None:
        """Forget ``token`` (an interim token once used)."""
        with self._lock:
            self._tokens.pop(token, None)

    def resolve(self, header: Optional[str]) -> Token:
        """The token an ``Authorization: Bearer ...`` header carries, or a 401 that says why."""
        if not header:
            raise unauthorized('authentication required: send the header '
                               "'Authorization: Bearer <auth_token>' with a token from /login")
        scheme, _, token = header.partition(' ')
        if scheme.lower() != 'bearer' or not token.strip():
            raise unauthorized("the Authorization header must be 'Bearer <auth_token>'")
        with self._lock:
            found = self._tokens.get(token.strip())
        if found is None:
            raise unauthorized('invalid auth token: log in again at /login')
        if found.expires_at <= self._clock():
            raise unauthorized('auth token expired: log in again at /login')
        return found
