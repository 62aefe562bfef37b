"""What a handler works with: the shared backend and one request's user and body."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Tuple

from werkzeug.wrappers import Request

from . import strict_json
from .answers import bad_request, unauthorized
from .auth import Token, TokenRegistry
from .store import Store


@dataclass
class Backend:
    """The state every request shares.

    ``outbox`` collects the mails the sandbox would send (password resets), newest
    last; ``now`` is the clock reports use (naive UTC).
    """

    store: Store
    tokens: TokenRegistry = field(default_factory=TokenRegistry)
    outbox: List[Dict[str, Any]] = field(default_factory=list)
    now: Callable[[], datetime] = datetime.utcnow
    on_mail: Optional[Callable[[Dict[str, Any]], None]] = None

    def send(self, mail: Dict[str, Any]) -> None:
        """Deliver a mail: into the outbox, and to ``on_mail`` when set."""
        self.outbox.append(mail)
        if self.on_mail is not None:
            self.on_mail(mail)


class Call:
    """One request: its arguments, its JSON body and the user its token names."""

    def __init__(self, backend: Backend, request: Request) -> None:
        self.backend = backend
        self.store = backend.store
        self.request = request

    def args(self) -> List[Tuple[str, str]]:
        """The URL parameters in order, repeated ones included."""
        return list(self.request.args.items(multi=True))

    def token(self, interim: bool = False) -> Token:
        """The request's valid token; a full one unless ``interim`` is asked for."""
        token = self.backend.tokens.resolve(self.request.headers.get('Authorization'))
        if token.interim != interim:
            raise unauthorized('this token only opens POST /totp: send your TOTP code there'
                               if token.interim else 'POST /totp needs the interim token of a '
                               'login that answered totp_required')
        return token

    def user(self) -> Dict[str, Any]:
        """The logged-in user's record (401 without a valid token)."""
        user = self.store.get('User', self.token().user_id)
        if user is None:
            raise unauthorized('the user of this token no longer exists')
        return user

    def optional_user(self) -> Optional[Dict[str, Any]]:
        """The user when a token is sent, else ``None`` (for read-only models)."""
        if not self.request.headers.get('Authorization'):
            return None
        return self.user()

    def body(self) -> Any:
        """The decoded JSON body (``None`` when empty).

        400 when it is not standard JSON (:mod:`.strict_json`: no NaN, no infinity,
        no lone surrogate), as the API refuses what it could not store.
        """
        raw = self.request.get_data(cache=True)
        if not raw.strip():
            return None
        try:
            return strict_json.loads(raw)
        except ValueError as exc:  # UnicodeDecodeError included
            raise bad_request(f'the request body is not valid JSON: {exc}') from None

    def body_object(self) -> Dict[str, Any]:
        """The JSON body, which must be an object."""
        body = self.body()
        if not isinstance(body, dict):
            raise bad_request('the request body must be a JSON object, got '
                              + ('nothing' if body is None else type(body).__name__))
        return body
