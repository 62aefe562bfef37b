"""Passwords: the reset by mailed hash (``/reset_password``) and the change by the user.

The sandbox sends no mail: a reset message lands in ``Sandbox.outbox`` (and the
foreground server prints it).
"""
from __future__ import annotations

import secrets
import time
from typing import Any, Dict

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


def change_password(call: Call, record: Dict[str, Any], body: Dict[str, Any],
                     user: Dict[str, Any]) -> Dict[str, Any]:
    """Check ``old_password`` and set ``password``; the rest of the body is returned."""
    if record['id'] != user['id']:
        raise forbidden('a password can only be changed by its own user')
    rest = dict(body)
    old, new = rest.pop('old_password', None), rest.pop('password')
    credential = call.store.credentials[str(user['id'])]
    if not isinstance(old, str) or not check_password(credential['password'], old):
        raise forbidden('old_password is missing or wrong')
    if not isinstance(new, str) or not new:
        raise unprocessable('password must be a non-empty string')
    credential['password'] = hash_password(new)
    call.store.update('User', record['id'], {}, user)
    return rest
