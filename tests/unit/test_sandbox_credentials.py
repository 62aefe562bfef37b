"""Passwords, TOTP codes and tokens of the sandbox, without a server."""
from __future__ import annotations

import base64

import pytest

from atomx.sandbox.answers import ApiError
from atomx.sandbox.auth import TokenRegistry, check_password, hash_password, totp_code, verify_totp

RFC_SECRET = base64.b32encode(b'12345678901234567890').decode()


@pytest.mark.parametrize('at,code', [(59, '287082'), (1111111109, '081804'),
                                     (1234567890, '005924'), (2000000000, '279037')])
def test_totp_matches_the_rfc_6238_vectors(at, code):
    # RFC 6238 appendix B (SHA-1), last six of the eight digits
    assert totp_code(RFC_SECRET, at) == code


def test_totp_accepts_one_step_of_drift_only():
    assert verify_totp(RFC_SECRET, '287082', at=59 + 30)
    assert not verify_totp(RFC_SECRET, '287082', at=59 + 90)
    assert not verify_totp(RFC_SECRET, '000000', at=59)


def test_passwords_are_salted_hashes():
    stored = hash_password('demo')
    assert 'demo' not in str(stored) and stored != hash_password('demo')
    assert check_password(stored, 'demo') and not check_password(stored, 'Demo')


def test_tokens_expire_and_say_why():
    now = [1000.0]
    tokens = TokenRegistry(clock=lambda: now[0])
    token = tokens.issue(7, 60)
    assert tokens.resolve(f'Bearer {token}').user_id == 7
    now[0] += 61
    with pytest.raises(ApiError, match='expired'):
        tokens.resolve(f'Bearer {token}')
    for header, message in ((None, 'authentication required'), ('Basic abc', "must be 'Bearer"),
                            ('Bearer nope', 'invalid auth token')):
        with pytest.raises(ApiError, match=message) as raised:
            tokens.resolve(header)
        assert raised.value.status == 401


def test_interim_tokens_carry_the_grant():
    tokens = TokenRegistry()
    interim = tokens.resolve('Bearer ' + tokens.issue(4, 300, grant=3600))
    assert interim.interim and interim.grant == 3600
    assert not tokens.resolve('Bearer ' + tokens.issue(4, 300)).interim
