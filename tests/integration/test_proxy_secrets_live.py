"""A proxy's credentials stay home too (issue 11): nothing reachable from an error, its
message or the log holds the proxy's password or its ``Proxy-Authorization``.

Real sockets on 127.0.0.1: :class:`~tests.proxy_server.CredentialProxy` forwards
plain-http requests that carry its credentials and answers 407 to the others;
``FaultServer`` plays a proxy that resets the connection or refuses a ``CONNECT``.
The credentials come from ``HTTP_PROXY``/``HTTPS_PROXY`` or from the proxies of the
session's ``requests.Session``, and every test shows that the proxy was used, with
the right ``Proxy-Authorization``.
"""
import logging
import socket

import pytest

from atomx import Atomx
from atomx.exceptions import APIConnectionError, APIError
from atomx.transport import Transport
from tests.fault_server import FaultServer, answer, reset
from tests.integration.test_hardening_live import (
    EMAIL,
    PASSWORD,
    TOKEN,
    USER,
    raised_by,
    secrets_in,
)
from tests.integration.test_hotpath_live import tls_server  # noqa: F401 (a fixture)
from tests.live_server import LiveServer, Reply, json_reply
from tests.proxy_server import CredentialProxy, basic, tunnel

pytestmark = pytest.mark.integration

PROXY_USER = 'squid-user'
PROXY_PASSWORD = 'prx-Pa55-s3cret'
PROXY_BASIC = basic(PROXY_USER, PROXY_PASSWORD)
#: The proxy's password, its ``Proxy-Authorization`` value, and the API's secrets.
SECRETS = (PROXY_PASSWORD, PROXY_BASIC.split()[1], PASSWORD, TOKEN)
SOURCES = ('environment', 'session')
TLS_ENDPOINT = 'https://api.atomx.invalid/v3'  # reached only through the proxy's tunnel


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No proxy variable but those a test sets."""
    for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY'):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def logs(caplog):
    """Every logger's records from DEBUG on."""
    caplog.set_level(logging.DEBUG)
    return caplog


def api_answer(seen):
    """The API behind the proxy: a login, site 1 that fails, site 2 that works."""
    if seen.path.endswith('/login'):
        return json_reply({'success': True, 'auth_token': TOKEN, 'user': USER})
    if seen.path.endswith('/site/2'):
        return json_reply({'success': True, 'resource': 'site', 'site': {'id': 2, 'name': 'b'}})
    return json_reply({'success': False, 'error': 'site 1 is broken'}, 500)


@pytest.fixture
def api():
    with LiveServer() as live:
        live.respond = api_answer
        yield live


def use_proxy(source, proxy_url, monkeypatch, make):
    """``make()`` a session (or transport) whose proxy is ``proxy_url``: from the
    environment, read when it is made, or set on its ``requests.Session`` after."""
    if source == 'environment':
        monkeypatch.setenv('HTTP_PROXY', proxy_url)
        monkeypatch.setenv('HTTPS_PROXY', proxy_url)
    made = make()
    if source == 'session':
        http = made._transport.http if isinstance(made, Atomx) else made.http
        http.proxies.update(http=proxy_url, https=proxy_url)
    return made


def error_of_session(source, proxy_url, monkeypatch, api_url):
    """The error of a session through the proxy: at its login (environment) or at
    ``get('site', 1)`` after a direct login (session)."""
    return raised_by(lambda: use_proxy(
        source, proxy_url, monkeypatch,
        lambda: Atomx(EMAIL, PASSWORD, api_endpoint=f'{api_url}/v3', retries=0)).get('site', 1))


def error_of_transport(source, proxy_url, monkeypatch, endpoint, retries=0):
    """The error of ``GET site/1`` with the token, by a transport through the proxy."""
    transport = use_proxy(source, proxy_url, monkeypatch,
                          lambda: Transport(endpoint, retries=retries, backoff_factor=0.01))
    return raised_by(lambda: transport.request('GET', 'site/1', auth=TOKEN))


def assert_nothing_secret(error, logs):
    """No secret reachable from ``error``, in its message or its ``repr``, nor in a log line."""
    assert secrets_in(error, SECRETS) == []
    assert PROXY_PASSWORD not in str(error) and PROXY_PASSWORD not in repr(error)
    lines = [record.getMessage() for record in logs.records]
    assert any(line.startswith('atomx: ') for line in lines)  # the log was written ...
    assert [line for line in lines if any(secret in line for secret in SECRETS)] == []


def free_port():
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


# -- (a) an API error answered through the proxy ------------------------------------------

@pytest.mark.parametrize('source', SOURCES)
def test_an_api_error_through_the_proxy_keeps_no_proxy_credentials(source, api, logs,
                                                                   monkeypatch):
    with CredentialProxy(PROXY_USER, PROXY_PASSWORD) as proxy:
        atomx = use_proxy(source, proxy.url_for(PROXY_USER, PROXY_PASSWORD), monkeypatch,
                          lambda: Atomx(EMAIL, PASSWORD, api_endpoint=f'{api.url}/v3',
                                        retries=0))
        error = raised_by(lambda: atomx.get('site', 1))
        assert atomx.get('site', 2).name == 'b'  # the session still works, through the proxy
    # the proxy was used, with its credentials, and kept them from the API
    through = [(seen.method, seen.path) for seen in proxy.seen]
    assert through[-2:] == [('GET', f'{api.url}/v3/site/1'), ('GET', f'{api.url}/v3/site/2')]
    assert through[0][1] == f'{api.url}/v3/' + ('login' if source == 'environment' else 'site/1')
    assert {seen.headers['Proxy-Authorization'] for seen in proxy.seen} == {PROXY_BASIC}
    assert api.seen[-1].headers['Authorization'] == f'Bearer {TOKEN}'
    assert not any('Proxy-Authorization' in seen.headers for seen in api.seen)
    # what the error keeps: the answer, read, without the connection it came on
    assert type(error) is APIError and error.status_code == 500
    assert 'site 1 is broken' in str(error) and error.response.json()['error'] == 'site 1 is broken'
    assert error.response.url == f'{api.url}/v3/site/1'
    assert error.response.raw is None and error.response.connection is None
    assert_nothing_secret(error, logs)


def test_a_redirected_api_error_through_the_proxy_keeps_none_in_its_history(api, logs,
                                                                           monkeypatch):
    with CredentialProxy(PROXY_USER, PROXY_PASSWORD) as proxy:
        api.script(json_reply({'success': True, 'auth_token': TOKEN, 'user': USER}),
                   Reply(302, headers={'Location': '/v3/moved'}),
                   json_reply({'success': False, 'error': 'gone'}, 404))
        error = error_of_session('environment', proxy.url_for(PROXY_USER, PROXY_PASSWORD),
                                 monkeypatch, api.url)
    assert [seen.path for seen in proxy.seen] == [f'{api.url}/v3/login', f'{api.url}/v3/site/1',
                                                  f'{api.url}/v3/moved']
    assert error.status_code == 404 and len(error.response.history) == 1
    assert error.response.history[0].raw is None
    assert_nothing_secret(error, logs)


@pytest.mark.parametrize('source', SOURCES)
def test_an_api_error_through_a_tls_tunnel_keeps_no_proxy_credentials(
        source, tls_server, logs, monkeypatch):  # noqa: F811 (the fixture)
    server, certificate_file = tls_server
    server.respond = api_answer
    endpoint = server.url.replace('http://', 'https://') + '/v3'
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(certificate_file))
    with FaultServer(tunnel(PROXY_BASIC)) as proxy:
        atomx = use_proxy(source, f'http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{proxy.port}',
                          monkeypatch, lambda: Atomx(EMAIL, PASSWORD, retries=0,
                                                     api_endpoint=endpoint))
        error = raised_by(lambda: atomx.get('site', 1))
        atomx.close()
    host = server.url.split('//')[1]
    assert proxy.requests[0].startswith(f'CONNECT {host} '.encode())  # through the tunnel
    assert f'Proxy-Authorization: {PROXY_BASIC}'.encode() in proxy.requests[0]
    assert server.seen[-1].path == '/v3/site/1'
    assert type(error) is APIError and error.status_code == 500
    assert error.response.json()['error'] == 'site 1 is broken'
    assert_nothing_secret(error, logs)


# -- (b) no connection to the proxy ---------------------------------------------------------

@pytest.mark.parametrize('source', SOURCES)
def test_a_proxy_where_nothing_listens_is_named_without_its_password(source, api, logs,
                                                                    monkeypatch):
    port = free_port()
    error = error_of_session(source, f'http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{port}',
                             monkeypatch, api.url)
    assert type(error) is APIConnectionError
    assert f'nothing listens at the proxy 127.0.0.1:{port} (connection refused)' in str(error)
    assert_nothing_secret(error, logs)


@pytest.mark.parametrize('source', SOURCES)
def test_a_proxy_that_resets_the_connection_leaves_no_credentials(source, api, logs,
                                                                  monkeypatch):
    with FaultServer(reset) as proxy:
        error = error_of_session(source, f'http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:'
                                         f'{proxy.port}', monkeypatch, api.url)
        assert f'Proxy-Authorization: {PROXY_BASIC}'.encode() in proxy.requests[0]
        assert proxy.requests[0].split(b' ')[1].startswith(f'{api.url}/v3/'.encode())
    assert type(error) is APIConnectionError and 'reset' in str(error)
    assert_nothing_secret(error, logs)


@pytest.mark.parametrize('source', SOURCES)
def test_a_proxy_that_resets_a_tunnel_leaves_no_credentials(source, logs, monkeypatch):
    with FaultServer(reset) as proxy:
        error = error_of_transport(source, f'http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:'
                                           f'{proxy.port}', monkeypatch, TLS_ENDPOINT)
        assert proxy.requests[0].startswith(b'CONNECT api.atomx.invalid:443 ')
        assert f'Proxy-Authorization: {PROXY_BASIC}'.encode() in proxy.requests[0]
    # urllib3 does not tell a reset tunnel from a reset by the API (no ProxyError)
    assert type(error) is APIConnectionError and 'reset the connection' in str(error)
    assert_nothing_secret(error, logs)


# -- (c) the proxy answers 407 --------------------------------------------------------------

@pytest.mark.parametrize('source', SOURCES)
def test_a_407_from_the_proxy_keeps_no_credentials(source, api, logs, monkeypatch):
    with CredentialProxy(PROXY_USER, 'what-the-proxy-wants') as proxy:
        error = error_of_session(source, proxy.url_for(PROXY_USER, PROXY_PASSWORD),
                                 monkeypatch, api.url)
    assert proxy.seen[0].headers['Proxy-Authorization'] == PROXY_BASIC
    assert len(proxy.seen) == 1  # a 407 is not retried
    assert isinstance(error, APIError) and error.status_code == 407
    assert error.response.text == 'proxy credentials needed'
    assert_nothing_secret(error, logs)


@pytest.mark.parametrize('source', SOURCES)
def test_a_tunnel_refused_with_407_says_so_keeps_no_credentials_and_is_not_retried(
        source, logs, monkeypatch):
    refuse = answer(407, b'', Proxy_Authenticate='Basic realm="test proxy"')
    with FaultServer(lambda connection, request: connection.sendall(refuse)) as proxy:
        error = error_of_transport(source, f'http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:'
                                           f'{proxy.port}', monkeypatch, TLS_ENDPOINT, retries=2)
        assert [request.split(b'\r\n')[0] for request in proxy.requests] == [
            b'CONNECT api.atomx.invalid:443 HTTP/1.0']  # once: the same credentials will not do
        assert f'Proxy-Authorization: {PROXY_BASIC}'.encode() in proxy.requests[0]
    assert type(error) is APIConnectionError
    assert (f'the proxy 127.0.0.1:{proxy.port} refused the tunnel to api.atomx.invalid:443 '
            f'(407 ') in str(error)
    assert_nothing_secret(error, logs)


# -- a proxy URL that cannot be read ----------------------------------------------------

@pytest.mark.parametrize('source', SOURCES)
def test_an_unreadable_proxy_url_is_not_echoed_with_its_password(source, logs, monkeypatch):
    error = error_of_transport(source, f'http://{PROXY_USER}:{PROXY_PASSWORD}@[::1',
                               monkeypatch, 'http://api.atomx.invalid/v3')
    assert type(error) is APIConnectionError
    assert f'http://{PROXY_USER}:***@[::1' in str(error)  # the user and host stay, to debug
    assert_nothing_secret(error, logs)


# -- the websocket of live updates --------------------------------------------------------

@pytest.fixture
def live_session(sandbox):
    with Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url, timeout=5) as session:
        yield session


def test_a_websocket_tunnel_refused_with_407_keeps_no_credentials(live_session, logs,
                                                                  monkeypatch):
    refuse = answer(407, b'', Proxy_Authenticate='Basic realm="test proxy"')
    with FaultServer(lambda connection, request: connection.sendall(refuse)) as proxy:
        monkeypatch.setenv('HTTP_PROXY', f'http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:'
                                         f'{proxy.port}')
        error = raised_by(lambda: live_session.subscribe('advertiser:1', open_timeout=2))
        assert proxy.requests[0].startswith(b'CONNECT 127.0.0.1:')  # websockets used it ...
        assert f'Proxy-Authorization: {PROXY_BASIC}'.encode() in proxy.requests[0]  # ... so
    assert type(error) is APIConnectionError and 'HTTP 407' in str(error)
    assert_nothing_secret(error, logs)


def test_a_websocket_proxy_url_that_websockets_refuses_is_not_echoed_with_its_password(
        live_session, logs, monkeypatch):
    monkeypatch.setenv('HTTP_PROXY', f'ftp://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:9')
    error = raised_by(lambda: live_session.subscribe('advertiser:1', open_timeout=2))
    assert type(error) is APIConnectionError
    assert f'ftp://{PROXY_USER}:***@127.0.0.1:9' in str(error)  # websockets' InvalidProxy
    assert_nothing_secret(error, logs)


def test_the_websocket_goes_through_the_proxy_of_the_sessions_requests_session(
        live_session, sandbox, logs):
    with FaultServer(tunnel(PROXY_BASIC)) as proxy:
        # set after the login, which went direct: this tunnel only knows CONNECT
        live_session._transport.http.proxies['http'] = (
            f'http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{proxy.port}')
        with live_session.subscribe('advertiser:1', open_timeout=5) as feed:
            assert feed.channels == {'advertiser:1'}  # subscribed, through the tunnel
            shown = repr(feed)
        assert proxy.requests[0].startswith(f'CONNECT 127.0.0.1:{sandbox.port} '.encode())
        assert f'Proxy-Authorization: {PROXY_BASIC}'.encode() in proxy.requests[0]
    lines = [record.getMessage() for record in logs.records]
    assert [text for text in [shown, *lines] if any(secret in text for secret in SECRETS)] == []


def test_the_websocket_keeps_no_proxy_for_the_proxy_the_session_was_made_with(
        sandbox, monkeypatch):
    monkeypatch.setenv('HTTP_PROXY', f'http://127.0.0.1:{free_port()}')  # nothing listens
    monkeypatch.setenv('NO_PROXY', '127.0.0.1')
    atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url, timeout=5)
    with atomx, atomx.subscribe('advertiser:1', open_timeout=5) as feed:
        assert feed.channels == {'advertiser:1'}  # direct, as the REST requests went
