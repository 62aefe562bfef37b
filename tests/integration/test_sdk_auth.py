"""Logging in with the SDK against the sandbox: bad credentials, TOTP, token expiry and
the automatic re-login (observed in the ``atomx`` logger's DEBUG lines: method, URL, status)."""
from __future__ import annotations

import logging
import re
import time
from types import SimpleNamespace

import pytest

from atomx import Atomx
from atomx.exceptions import APIError, InvalidCredentials, TotpRequiredError
from atomx.sandbox import TOTP_SECRET, auth
from atomx.sandbox.auth import totp_code

pytestmark = pytest.mark.integration

TOTP_EMAIL, TOTP_PASSWORD = 'totp@example.com', 'totp'
#: Seconds a short-lived token lives; the tests wait a little longer.
LIFETIME = 1
_LINE = re.compile(r'atomx: (\w+) \S+/v3/(\S+) -> (\d+)')


def wire(caplog) -> list[tuple[str, str, int]]:
    """``(method, path, status)`` of every request the session logged."""
    found = (_LINE.search(record.getMessage()) for record in caplog.records
             if record.name == 'atomx')
    return [(m.group(1), m.group(2), int(m.group(3))) for m in found if m]


def wait_past_expiry(pass_time) -> None:
    pass_time(LIFETIME + 0.3)


@pytest.mark.parametrize('email, password', [
    ('demo@example.com', 'not-the-password-7'), ('nobody@example.com', 'demo')])
def test_bad_credentials_are_invalid_credentials(sandbox, email, password):
    with pytest.raises(InvalidCredentials) as raised:
        Atomx(email, password, api_endpoint=sandbox.url)
    assert raised.value.status_code == 401
    assert 'wrong email (or id) or password' in str(raised.value)
    assert password not in str(raised.value)
    assert not isinstance(raised.value, TotpRequiredError)


def test_totp_required_without_a_code_and_accepted_with_one(sandbox):
    with pytest.raises(TotpRequiredError, match=TOTP_EMAIL):
        Atomx(TOTP_EMAIL, TOTP_PASSWORD, api_endpoint=sandbox.url)
    atomx = Atomx(TOTP_EMAIL, TOTP_PASSWORD, totp=totp_code(TOTP_SECRET),
                  api_endpoint=sandbox.url)
    assert (atomx.user.id, atomx.user.email) == (4, TOTP_EMAIL)
    assert atomx.get('advertiser', 42).name == 'Answer Media'  # the full token works


def test_a_totp_typed_as_an_int_logs_in_in_one_request(sandbox, caplog, monkeypatch):
    # a moment whose code starts with 0: the int must be sent with its leading zero
    moment = next(at for at in range(1_800_000_000, 1_800_100_000, 30)
                  if totp_code(TOTP_SECRET, at).startswith('0'))
    monkeypatch.setattr(auth, 'time', SimpleNamespace(time=lambda: moment))
    caplog.set_level(logging.DEBUG, logger='atomx')
    atomx = Atomx(TOTP_EMAIL, TOTP_PASSWORD, totp=int(totp_code(TOTP_SECRET, moment)),
                  api_endpoint=sandbox.url)
    assert atomx.user.email == TOTP_EMAIL
    assert wire(caplog) == [('POST', 'login', 200)]


def test_a_wrong_totp_is_invalid_credentials(sandbox):
    now = time.time()
    accepted = {totp_code(TOTP_SECRET, now + drift) for drift in (-60, -30, 0, 30, 60)}
    wrong = next(code for code in ('000000', '111111', '222222') if code not in accepted)
    with pytest.raises(InvalidCredentials) as raised:
        Atomx(TOTP_EMAIL, TOTP_PASSWORD, totp=wrong, api_endpoint=sandbox.url)
    assert raised.value.status_code == 401 and wrong not in str(raised.value)


def test_an_expired_token_is_renewed_by_one_login(sandbox, caplog, pass_time):
    atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url,
                  expiration=LIFETIME)
    first_token = atomx.auth_token
    wait_past_expiry(pass_time)
    with caplog.at_level(logging.DEBUG, logger='atomx'):
        advertiser = atomx.get('advertiser', 42)
    assert advertiser.name == 'Answer Media'
    assert wire(caplog) == [('GET', 'advertiser/42', 401), ('POST', 'login', 200),
                            ('GET', 'advertiser/42', 200)]
    assert atomx.auth_token != first_token and atomx.user.id == 1
    assert any('token rejected (HTTP 401), logging in again' in r.getMessage()
               for r in caplog.records)
    tokens = (first_token, atomx.auth_token)
    assert not any(token in r.getMessage() for r in caplog.records for token in tokens)


def test_the_renewed_token_keeps_the_asked_lifetime(sandbox, caplog, pass_time):
    atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url,
                  expiration=LIFETIME)
    wait_past_expiry(pass_time)
    atomx.get('advertiser', 42)
    wait_past_expiry(pass_time)
    with caplog.at_level(logging.DEBUG, logger='atomx'):
        atomx.put('advertiser', 42, {'name': 'after two expiries'})
    assert [status for _, _, status in wire(caplog)] == [401, 200, 200]
    assert atomx.get('advertiser', 42).name == 'after two expiries'


def test_a_totp_session_cannot_renew_without_a_fresh_code(sandbox, pass_time):
    atomx = Atomx(TOTP_EMAIL, TOTP_PASSWORD, totp=totp_code(TOTP_SECRET),
                  api_endpoint=sandbox.url, expiration=LIFETIME)
    wait_past_expiry(pass_time)
    with pytest.raises(TotpRequiredError, match='fresh TOTP'):
        atomx.get('advertiser', 42)
    atomx.login(TOTP_EMAIL, TOTP_PASSWORD, totp=totp_code(TOTP_SECRET))
    assert atomx.get('advertiser', 42).id == 42


def test_logout_then_a_request_is_refused(sandbox):
    atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url)
    atomx.logout()
    with pytest.raises(APIError) as raised:
        atomx.get('advertiser', 42)
    assert raised.value.status_code == 401
    assert 'authentication required' in str(raised.value)
    assert [c.name for c in atomx.get('countries', code='AT')] == ['Austria']  # read-only
