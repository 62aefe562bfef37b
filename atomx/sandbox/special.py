"""The special endpoints: login, TOTP, search, the ``*_list`` endpoints, password reset.

Login (``GET`` with URL parameters or ``POST`` with JSON) takes ``email`` or ``id``
with ``password`` and optionally ``expiration`` (seconds the token lives).  A user
with TOTP enabled first gets ``{"totp_required": true, "auth_token": <interim>}``
(HTTP 200); ``POST /totp`` with that token as Bearer and ``{"totp": "123456"}`` gives
the real token.  The answer's ``user`` carries the ``networks``, ``advertisers`` and
``publishers`` id lists.
"""
from __future__ import annotations

import secrets
import time
from typing import Any, Dict, List

from werkzeug.wrappers import Response

from .auth import DEFAULT_EXPIRATION, INTERIM_EXPIRATION, check_password, hash_password, verify_totp
from .context import Call
from .envelope import respond, single
from .errors import bad_request, unauthorized, unprocessable
from .query import Filter, ListQuery
from .render import render
from .rights import can_read

#: Search index -> model; the first six are searched when no ``index`` is given.
SEARCH_INDEXES = {'advertisers': 'Advertiser', 'campaigns': 'Campaign', 'creatives': 'Creative',
                  'placements': 'Placement', 'publishers': 'Publisher', 'sites': 'Site',
                  'domains': 'Domain'}
_DEFAULT_INDEXES = ('advertisers', 'campaigns', 'creatives', 'placements', 'publishers', 'sites')
#: ``/{name}_list`` -> model.
LISTS = {'networks_list': 'Network', 'publishers_list': 'Publisher',
         'advertisers_list': 'Advertiser', 'sites_list': 'Site', 'placements_list': 'Placement'}
_RESET_LIFETIME = 3600


def _login_answer(call: Call, user: Dict[str, Any], seconds: int) -> Response:
    token = call.backend.tokens.issue(user['id'], seconds)
    shown = render(call.store, 'User', user, ListQuery(), lambda model, rec: True)
    return respond({'success': True, 'resource': 'user', 'auth_token': token, 'user': shown,
                    'message': f'{user["name"]} (user id {user["id"]}) logged in'})


def _expiration(value: Any) -> int:
    if value is None or value == '':
        return DEFAULT_EXPIRATION
    text = str(value)
    if isinstance(value, bool) or not text.isdigit() or int(text) == 0:
        raise bad_request(f'expiration must be a positive number of seconds, got {value!r}')
    return int(text)


def login(call: Call) -> Response:
    """``/login``: check the credentials and hand out a token (or ask for the TOTP)."""
    body = call.body() if call.request.method == 'POST' else None
    if body is not None and not isinstance(body, dict):
        raise bad_request('the login body must be a JSON object with email and password')
    given = body if body is not None else call.request.args.to_dict()
    password = given.get('password')
    who = given.get('email') or given.get('id')
    if not who or not isinstance(password, str):
        raise bad_request('login needs "password" and "email" (or "id")')
    seconds = _expiration(given.get('expiration'))
    with call.store.lock:
        user = next((rec for rec in call.store.all('User')
                     if rec['email'].lower() == str(who).lower() or str(rec['id']) == str(who)),
                    None)
        credential = call.store.credentials.get(str(user['id'])) if user else None
        if user is None or not credential or not check_password(credential['password'],
                                                                password):
            raise unauthorized('wrong email (or id) or password')
        if credential.get('totp_secret'):
            token = call.backend.tokens.issue(user['id'], INTERIM_EXPIRATION, grant=seconds)
            return respond({'success': True, 'totp_required': True, 'auth_token': token,
                            'message': 'two-factor authentication: POST your TOTP code to '
                                       '/totp with this auth_token'})
        return _login_answer(call, user, seconds)


def totp(call: Call) -> Response:
    """``POST /totp``: trade the interim token and a valid code for the real token."""
    token = call.token(interim=True)
    code = call.body_object().get('totp')
    if not isinstance(code, (str, int)) or not str(code).strip():
        raise bad_request('POST /totp needs {"totp": "<6 digit code>"}')
    with call.store.lock:
        secret = call.store.credentials[str(token.user_id)]['totp_secret']
        if not verify_totp(secret, str(code)):
            raise unauthorized('wrong TOTP code')
        call.backend.tokens.revoke(call.request.headers['Authorization'].split()[-1])
        return _login_answer(call, call.store.get('User', token.user_id) or {}, token.grant)


def search(call: Call) -> Response:
    """``/search?q=...&index=a,b``: ids and names that match, by index."""
    query = call.request.args.get('q', '').strip()
    if not query:
        raise bad_request('search needs a q URL parameter, e.g. /search?q=*mini*')
    names = [n.strip() for n in call.request.args.get('index', '').split(',') if n.strip()]
    unknown = [name for name in names if name not in SEARCH_INDEXES]
    if unknown:
        raise bad_request(f'unknown search index {unknown[0]!r}; '
                          f'indexes: {", ".join(SEARCH_INDEXES)}')
    pattern = Filter('name', (query if '*' in query else f'*{query}*',))
    user = call.user()
    found: Dict[str, List[Dict[str, Any]]] = {}
    with call.store.lock:
        for index in names or _DEFAULT_INDEXES:
            model = SEARCH_INDEXES[index]
            found[index] = [{'id': rec['id'], 'name': rec['name']}
                            for rec in call.store.all(model)
                            if can_read(call.store, user, model, rec)
                            and (pattern.matches(rec['name']) or str(rec['id']) == query)]
    return single('search', found)


def id_list(call: Call, name: str) -> Response:
    """``/advertisers_list`` and friends: ids and names the user may see."""
    model = LISTS[name]
    user = call.user()
    with call.store.lock:
        items = [{'id': rec['id'], 'name': rec['name']} for rec in call.store.all(model)
                 if can_read(call.store, user, model, rec)]
    return single(name, items, count=len(items))


def reset_password(call: Call) -> Response:
    """``GET ?email=`` mails a reset hash; ``POST {"hash", "password"}`` sets the password.

    The sandbox sends no mail: the message lands in ``Sandbox.outbox`` (and the
    foreground server prints it).
    """
    if call.request.method == 'GET':
        return _send_reset(call, call.request.args.get('email', '').strip())
    body = call.body_object()
    reset_hash, password = body.get('hash'), body.get('password')
    if not isinstance(reset_hash, str) or not isinstance(password, str):
        raise bad_request('POST /reset_password needs {"hash": "...", "password": "..."}')
    if not password:
        raise unprocessable('the new password must not be empty')
    with call.store.lock:
        pending = call.store.resets.pop(reset_hash, None)
        if pending is None or pending['expires_at'] < time.time():
            raise bad_request('unknown or expired reset hash: ask for a new one with '
                              'GET /reset_password?email=...')
        call.store.credentials[str(pending['user_id'])]['password'] = hash_password(password)
        call.store.save()
    return respond({'success': True, 'resource': 'reset_password',
                    'reset_password': {'user_id': pending['user_id']},
                    'message': 'password changed: log in with the new password'})


def _send_reset(call: Call, email: str) -> Response:
    if not email:
        raise bad_request('GET /reset_password needs an email URL parameter')
    with call.store.lock:
        user = next((rec for rec in call.store.all('User')
                     if rec['email'].lower() == email.lower()), None)
        if user is not None:
            reset_hash = secrets.token_urlsafe(24)
            call.store.resets[reset_hash] = {'user_id': user['id'],
                                             'expires_at': time.time() + _RESET_LIFETIME}
            call.store.save()
            call.backend.send({
                'to': user['email'], 'subject': 'Reset your Atomx password', 'hash': reset_hash,
                'body': f'POST /v3/reset_password with {{"hash": "{reset_hash}", '
                        '"password": "<new password>"}'})
    # The same answer whether or not the address is known: nothing to learn from it.
    return respond({'success': True, 'resource': 'reset_password',
                    'reset_password': {'email': email},
                    'message': f'if {email} belongs to a user, reset instructions were sent'})
