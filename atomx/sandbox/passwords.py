"""Passwords: the reset by mailed hash (``/reset_password``) and the change by the user.

The sandbox sends no mail: a reset message lands in ``Sandbox.outbox`` (and the
foreground server prints it).
"""
from __future__ import annotations

import secrets
import time
from typing import Any, Dict, Tuple

from werkzeug.wrappers import Response

from .answers import bad_request, forbidden, respond, unprocessable
from .auth import check_password, hash_password
from .context import Call

_RESET_LIFETIME = 3600


def reset_password(call: Call) -> Response:
    """``GET ?email=`` mails a reset hash; ``POST {"hash", "password"}`` sets the password."""
    if call.request.method == 'GET':
        return _send_reset(call, call.request.args.get('email', '').strip())
    body = call.body_object()
    reset_hash, password = body.get('hash'), body.get('password')
    if not isinstance(reset_hash, str) or not isinstance(password, str):
        raise bad_request('POST /reset_password needs {"hash": "...", "password": "..."}')
    if not password:
        raise unprocessable('the new password must not be empty')
    with call.store.lock:
        pending = call.store.take_reset(reset_hash)
        if pending is None or pending['expires_at'] < time.time():
            raise bad_request('unknown or expired reset hash: ask for a new one with '
                              'GET /reset_password?email=...')
        call.store.set_password(pending['user_id'], hash_password(password))
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
            call.store.add_reset(reset_hash, {'user_id': user['id'],
                                              'expires_at': time.time() + _RESET_LIFETIME})
            call.store.save()
            call.backend.send({
                'to': user['email'], 'subject': 'Reset your Atomx password', 'hash': reset_hash,
                'body': f'POST /v3/reset_password with {{"hash": "{reset_hash}", '
                        '"password": "<new password>"}'})
    # The same answer whether or not the address is known: nothing to learn from it.
    return respond({'success': True, 'resource': 'reset_password',
                    'reset_password': {'email': email},
                    'message': f'if {email} belongs to a user, reset instructions were sent'})


def password_change(call: Call, record: Dict[str, Any], body: Dict[str, Any],
                    user: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, str]]:
    """Check ``old_password`` and the new ``password`` of a body, changing nothing yet.

    :returns: the rest of the body and the new password's hash, to be set with
        the rest of the change once all of it is accepted (a refused request
        must not change the password).
    :raises ~atomx.sandbox.answers.ApiError: 403 for another user or a wrong
        ``old_password``, 422 for an empty new password.
    """
    if record['id'] != user['id']:
        raise forbidden('a password can only be changed by its own user')
    rest = dict(body)
    old, new = rest.pop('old_password', None), rest.pop('password')
    credential = call.store.credentials[str(user['id'])]
    if not isinstance(old, str) or not check_password(credential['password'], old):
        raise forbidden('old_password is missing or wrong')
    if not isinstance(new, str) or not new:
        raise unprocessable('password must be a non-empty string')
    return rest, hash_password(new)
