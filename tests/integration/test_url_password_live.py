"""An endpoint URL with a password (``http://user:password@host/v3``) on the wire:
the password shows as ``***`` in every log line, repr and message, and nothing an
error keeps holds it."""
import logging

import pytest

import tests.integration.test_hardening_live as hardening
from atomx import Atomx
from atomx.exceptions import APIConnectionError, APIError
from tests.fault_server import FaultServer, reset
from tests.live_server import LiveServer, json_reply

pytestmark = pytest.mark.integration

URL_PASSWORD = 'pw-in-the-url'


def with_password(url):
    return url.replace('http://', f'http://walker:{URL_PASSWORD}@', 1)


def logged(caplog):
    return [record.getMessage() for record in caplog.records]


def test_a_failed_call_keeps_and_logs_the_endpoints_password_nowhere(caplog):
    caplog.set_level(logging.DEBUG, logger='atomx')
    with LiveServer() as server:
        server.script(json_reply({'success': True, 'auth_token': hardening.TOKEN,
                                  'user': hardening.USER}),
                      json_reply({'success': False, 'error': 'gone'}, 404))
        atomx = Atomx(hardening.EMAIL, hardening.PASSWORD,
                      api_endpoint=with_password(server.url))
        error = hardening.raised_by(lambda: atomx.get('sites'))
    assert type(error) is APIError and error.status_code == 404
    masked = server.url.replace('http://', 'http://walker:***@', 1)
    assert f'atomx: GET {masked}/sites -> 404' in '\n'.join(logged(caplog))
    assert error.response.url == masked + '/sites'  # still says where it went
    assert not [line for line in logged(caplog) if URL_PASSWORD in line]
    assert hardening.secrets_in(error, (URL_PASSWORD, *hardening.SECRETS)) == []
    assert repr(atomx) == f"<Atomx endpoint='{masked}' user='{hardening.EMAIL}'>"
    assert URL_PASSWORD not in repr(atomx._transport)
    assert atomx.api_endpoint == with_password(server.url)  # the URL itself is kept


def test_a_connection_error_keeps_and_logs_the_endpoints_password_nowhere(caplog):
    caplog.set_level(logging.DEBUG, logger='atomx')
    with FaultServer(lambda connection, request: reset(connection)) as server:
        error = hardening.raised_by(lambda: Atomx(hardening.EMAIL, hardening.PASSWORD,
                                                  api_endpoint=with_password(server.url),
                                                  retries=1))
    assert type(error) is APIConnectionError
    assert any(' -> ' in line and 'walker:***@' in line for line in logged(caplog))
    assert not [line for line in logged(caplog) if URL_PASSWORD in line]
    assert hardening.secrets_in(error, (URL_PASSWORD, *hardening.SECRETS)) == []


def test_an_endpoint_that_is_not_http_is_refused_without_its_password():
    with pytest.raises(ValueError, match=r"not 'ftp://walker:\*\*\*@host/v3'") as info:
        Atomx(hardening.EMAIL, hardening.PASSWORD,
              api_endpoint=f'ftp://walker:{URL_PASSWORD}@host/v3')
    assert URL_PASSWORD not in str(info.value)


def test_the_urls_of_an_endpoint_without_password_are_not_searched():
    from atomx.transport import Transport
    plain, secret = Transport('http://host/v3'), Transport(with_password('http://host/v3'))
    assert plain.show_url('http://a:b@elsewhere/') == 'http://a:b@elsewhere/'  # decided once
    assert secret.show_url(with_password('http://host/v3/x')) == 'http://walker:***@host/v3/x'


def test_a_subscription_shows_the_endpoints_password_nowhere(sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=with_password(sandbox.url))
    with atomx, atomx.subscribe('advertiser:1', open_timeout=5) as feed:
        shown = [repr(feed), feed._reader.name]
        sandbox.drop_websockets()
        assert any(event.kind == 'reconnected' for event in feed.events(timeout=5))
        with atomx.subscribe('advertiser:1', reconnect=False) as once:
            sandbox.drop_websockets()
            with pytest.raises(APIConnectionError, match=r'ws://walker:\*\*\*@') as info:
                list(once.events(timeout=5))
    assert 'walker:***@' in shown[0] and 'walker:***@' in shown[1]
    lines = [record.getMessage() for record in caplog.records]
    for said in ('live: connecting to ws://walker:***@', 'live: reconnecting to ws://walker:***@'):
        assert any(said in line for line in lines), said
    assert not [text for text in shown + lines if URL_PASSWORD in text]
    assert hardening.secrets_in(info.value, (URL_PASSWORD,)) == []


def test_a_slow_answer_is_told_without_the_endpoints_password(caplog, monkeypatch):
    from atomx import waiting
    from tests.integration.test_cli_connection import login_then_slow
    monkeypatch.setattr(waiting, 'SLOW_AFTER', 0.1)
    caplog.set_level(logging.INFO, logger='atomx')
    with LiveServer() as server:
        server.respond = login_then_slow(0.5)
        atomx = Atomx(hardening.EMAIL, hardening.PASSWORD, api_endpoint=with_password(server.url))
        assert atomx.get('domain', 1) == 'a.example'
    told = [line for line in logged(caplog) if 'still waiting' in line]
    assert told and all(f'GET {with_password(server.url)}' not in line for line in told)
    assert any(' GET http://walker:***@127.0.0.1:' in line for line in told)
