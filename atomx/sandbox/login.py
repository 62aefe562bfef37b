"""``/login`` and ``/totp``: credentials in, a bearer token out.

Login (``GET`` with URL parameters or ``POST`` with JSON) takes ``email`` or ``id``
with ``password`` and optionally ``expiration`` (seconds the token lives).  A user
with TOTP enabled logs in one of two ways, as the API's clients do:

* one step: ``totp`` in the login itself (the original Python client's form); a
  valid code answers the real token and the user at once, a wrong one is a 401;
* two steps: a login without ``totp`` answers ``{"resource": "totp_required",
  "totp_required": true, "auth_token": <interim>}`` (HTTP 200); ``POST /totp``
  with that token as Bearer and ``{"totp": "123456"}`` gives the real token.
  The answer's
``user`` carries the ``networks``, ``advertisers`` and ``publishers`` id lists.
"""
from __future__ import annotations

from typing import Any, Dict

from werkzeug.wrappers import Response

from .answers import bad_request, respond, unauthorized
from .auth import DEFAULT_EXPIRATION, INTERIM_EXPIRATION, check_password, verify_totp
from .context import Call
from .query import ListQuery, is_whole_number
from .render import render


def _login_answer(call: Call, user: Dict[str, Any], seconds: int) -> Response:
    token = call.backend.tokens.issue(user['id'], seconds)
    shown = render(call.store, 'User', user, ListQuery(), lambda model, rec: True)
    return respond({'success': True, 'resource': 'user', 'auth_token': token, 'user': shown,
                    'message': f'{user["name"]} (user id {user["id"]}) logged in'})


def _expiration(value: Any) -> int:
    if value is None or value == '':
        return DEFAULT_EXPIRATION
    text = str(value)
    if isinstance(value, bool) or not is_whole_number(text) or int(text) == 0:
        raise bad_request(f'expiration must be a positive number of seconds, got {value!r}')
    return int(text)


def _totp_text(code: Any) -> str:
    """A TOTP code as text (an int is zero-padded to 6 digits); 400 for anything else."""
    if isinstance(code, int) and not isinstance(code, bool) and code >= 0:
        return f'{code:06d}'
    if not isinstance(code, str) or not code.strip():
        raise bad_request('totp must be the 6 digit code, e.g. "123456"')
    return code.strip()


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
        secret = credential.get('totp_secret')
        code = given.get('totp')
        if secret and code is not None and code != '':
            if not verify_totp(secret, _totp_text(code)):
                raise unauthorized('wrong TOTP code')
            return _login_answer(call, user, seconds)
        if secret:
            token = call.backend.tokens.issue(user['id'], INTERIM_EXPIRATION, grant=seconds)
            return respond({'success': True, 'resource': 'totp_required', 'totp_required': True,
                            'auth_token': token,
                            'message': 'two-factor authentication: POST your TOTP code to '
                                       '/totp with this auth_token'})
        return _login_answer(call, user, seconds)


def totp(call: Call) -> Response:
    """``POST /totp``: trade the interim token and a valid code for the real token."""
    token = call.token(interim=True)
    code = call.body_object().get('totp')
    if code is None:
        raise bad_request('POST /totp needs {"totp": "<6 digit code>"}')
    text = _totp_text(code)
    with call.store.lock:
        secret = call.store.credentials[str(token.user_id)]['totp_secret']
        if not verify_totp(secret, text):
            raise unauthorized('wrong TOTP code')
        call.backend.tokens.revoke(call.request.headers['Authorization'].split()[-1])
        return _login_answer(call, call.store.get('User', token.user_id) or {}, token.grant)
