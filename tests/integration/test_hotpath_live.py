"""Issue 17 on the wire: the fast path still does what requests does.

The transport prepares its requests from templates and remembers pools per
origin (atomx.prepared, atomx.adapter); these tests pin, over real sockets,
that proxies and CA bundles from the environment, redirects, cookies, the
adapter a user mounts and ``responses`` mocks behave as with plain requests.
"""
import contextlib
import socket
import ssl
import struct
import threading

import pytest
import requests
import responses

from atomx import Atomx
from atomx.adapter import EndpointAdapter
from atomx.exceptions import APIConnectionError
from tests.certificates import self_signed
from tests.live_server import LiveServer, Reply, json_reply
from tests.site_api import SITE, USER, answer, clear_proxy_variables

pytestmark = pytest.mark.integration



@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    clear_proxy_variables(monkeypatch)


@pytest.fixture
def server():
    with LiveServer() as live:
        live.respond = answer
        yield live


# -- proxies and CA bundles from the environment ------------------------------------------

def test_an_http_proxy_variable_is_honoured_as_requests_honours_it(monkeypatch):
    with LiveServer() as proxy:
        proxy.respond = answer
        monkeypatch.setenv('HTTP_PROXY', proxy.url)
        atomx = Atomx('live@example.com', 'pw', api_endpoint='http://api.atomx.invalid/v3')
        assert atomx.get('site', 1).name == 'one'
        requests.get('http://api.atomx.invalid/v3/site/1', timeout=5)
    # a proxy gets the whole URL on the request line, and the Host of the API
    assert [(seen.method, seen.path) for seen in proxy.seen] == [
        ('POST', 'http://api.atomx.invalid/v3/login'),
        ('GET', 'http://api.atomx.invalid/v3/site/1'),
        ('GET', 'http://api.atomx.invalid/v3/site/1')]  # the last one: plain requests
    assert {seen.headers['Host'] for seen in proxy.seen} == {'api.atomx.invalid'}
    assert proxy.seen[1].headers['Authorization'] == 'Bearer live-token'


def test_no_proxy_sends_the_api_requests_directly(server, monkeypatch):
    monkeypatch.setenv('HTTP_PROXY', 'http://127.0.0.1:9')  # nothing listens there
    monkeypatch.setenv('NO_PROXY', '127.0.0.1')
    atomx = Atomx('live@example.com', 'pw', api_endpoint=f'{server.url}/v3')
    assert atomx.get('site', 1).name == 'one'
    requests.get(f'{server.url}/v3/site/1', timeout=5)
    assert [seen.path for seen in server.seen] == ['/v3/login', '/v3/site/1', '/v3/site/1']


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 with a self-signed certificate; ``(server, pem)``."""
    certificate_file, key_file = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate_file, key_file)
    live = LiveServer()
    live._server.socket = context.wrap_socket(live._server.socket, server_side=True)
    live.respond = answer
    with live:
        yield live, certificate_file


@pytest.mark.parametrize('variable', ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'])
def test_a_ca_bundle_variable_is_honoured_as_requests_honours_it(tls_server, monkeypatch,
                                                                  variable):
    server, certificate_file = tls_server
    endpoint = server.url.replace('http://', 'https://') + '/v3'
    monkeypatch.setenv(variable, str(certificate_file))
    atomx = Atomx('live@example.com', 'pw', api_endpoint=endpoint)
    assert atomx.get('site', 1).name == 'one'
    assert requests.get(f'{endpoint}/site/1', timeout=5).json() == SITE
    assert [seen.path for seen in server.seen] == ['/v3/login', '/v3/site/1', '/v3/site/1']


def test_without_the_ca_bundle_the_certificate_is_refused_as_requests_refuses_it(tls_server):
    server, _ = tls_server
    endpoint = server.url.replace('http://', 'https://') + '/v3'
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f'{endpoint}/site/1', timeout=5)
    with pytest.raises(APIConnectionError, match='(?i)certificate|TLS'):
        Atomx('live@example.com', 'pw', api_endpoint=endpoint, retries=0)
    assert server.seen == []  # no request got through the handshake


# -- redirects and cookies ----------------------------------------------------------------

def test_a_redirect_to_another_host_drops_the_authorization_header(server):
    with LiveServer() as other:
        other.respond = answer
        moved = f'http://localhost:{other.url.rsplit(":", 1)[1]}/v3/site/1'
        server.respond = lambda seen: (answer(seen) if seen.path == '/v3/login'
                                       else json_reply({}, 302, Location=moved))
        atomx = Atomx('live@example.com', 'pw', api_endpoint=f'{server.url}/v3')
        assert atomx.get('site', 1).name == 'one'
    assert server.seen[1].headers['Authorization'] == 'Bearer live-token'
    assert [seen.path for seen in other.seen] == ['/v3/site/1']
    assert 'Authorization' not in other.seen[0].headers
    assert other.seen[0].headers['Host'].startswith('localhost:')


def test_a_redirect_within_the_endpoint_keeps_the_token(server):
    server.respond = lambda seen: (json_reply({}, 301, Location='/v3/site/1')
                                   if seen.path == '/v3/site/one' else answer(seen))
    atomx = Atomx('live@example.com', 'pw', api_endpoint=f'{server.url}/v3')
    assert atomx.get('site', 'one').name == 'one'
    assert [seen.path for seen in server.seen] == ['/v3/login', '/v3/site/one', '/v3/site/1']
    assert server.seen[2].headers['Authorization'] == 'Bearer live-token'


def test_cookies_the_server_sets_are_sent_back_where_they_belong(server):
    def respond(seen):
        reply = answer(seen)
        if seen.path == '/v3/login':
            reply.headers['Set-Cookie'] = 'balancer=node-7; Path=/'
        elif seen.path == '/v3/site/1':
            reply.headers['Set-Cookie'] = 'elsewhere=1; Path=/not-the-api'
        return reply

    server.respond = respond
    atomx = Atomx('live@example.com', 'pw', api_endpoint=f'{server.url}/v3')
    atomx.get('site', 1)
    atomx.get('site', 2)
    login, first, second = server.seen
    assert 'Cookie' not in login.headers
    assert first.headers['Cookie'] == 'balancer=node-7'
    assert second.headers['Cookie'] == 'balancer=node-7'  # not the cookie of another path


def test_a_cookie_set_by_a_redirect_goes_with_the_redirected_request_and_later_ones(server):
    def respond(seen):
        if seen.path == '/v3/site/one':
            reply = json_reply({}, 302, Location='/v3/site/1')
            reply.headers['Set-Cookie'] = 'balancer=node-3; Path=/'
            return reply
        return answer(seen)

    server.respond = respond
    atomx = Atomx('live@example.com', 'pw', api_endpoint=f'{server.url}/v3')
    assert atomx.get('site', 'one').name == 'one'
    atomx.get('site', 1)
    assert [seen.path for seen in server.seen] == ['/v3/login', '/v3/site/one', '/v3/site/1',
                                                   '/v3/site/1']
    assert 'Cookie' not in server.seen[1].headers
    assert server.seen[2].headers['Cookie'] == 'balancer=node-3'
    assert server.seen[3].headers['Cookie'] == 'balancer=node-3'


# -- what users plug in: mounted adapters and responses -----------------------------------

class RecordingAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter that notes every request it sends."""

    def __init__(self):
        super().__init__()
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append((request.method, request.url, request.headers.get('Authorization')))
        return super().send(request, **kwargs)


def test_an_adapter_the_user_mounts_on_the_session_sends_every_request(server):
    atomx = Atomx('live@example.com', 'pw', api_endpoint=f'{server.url}/v3')
    adapter = RecordingAdapter()
    atomx._transport.http.mount(server.url, adapter)
    atomx.get('site', 1)
    atomx.post('sites', {'name': 'two'})
    assert adapter.sent == [('GET', f'{server.url}/v3/site/1', 'Bearer live-token'),
                            ('POST', f'{server.url}/v3/sites', 'Bearer live-token')]
    assert server.seen[-1].json() == {'name': 'two'}


def test_headers_the_user_sets_on_the_session_are_sent_from_then_on(server):
    atomx = Atomx('live@example.com', 'pw', api_endpoint=f'{server.url}/v3')
    atomx.get('site', 1)
    atomx._transport.http.headers['X-Team'] = 'growth'
    atomx.get('site', 1)
    del atomx._transport.http.headers['X-Team']
    atomx.get('site', 1)
    assert ['X-Team' in seen.headers for seen in server.seen[1:]] == [False, True, False]
    assert server.seen[2].headers['X-Team'] == 'growth'


API = 'https://api.atomx.test/v3'


@pytest.mark.parametrize('template', [True, False], ids=['templates', 'session.request'])
def test_responses_mocks_answer_every_request(template):
    with responses.RequestsMock() as mock:  # fails if a mocked request is never made
        mock.post(f'{API}/login', json={'success': True, 'auth_token': 'tok', 'user': USER})
        mock.get(f'{API}/site/1', json=SITE)
        mock.get(f'{API}/sites', json={'success': True, 'resource': 'sites', 'sites': []})
        mock.post(f'{API}/sites', json=SITE)
        mock.put(f'{API}/site/1', json=SITE)
        mock.delete(f'{API}/site/1', json={'success': True, 'resource': 'site', 'site': 1})
        atomx = Atomx('live@example.com', 'pw', api_endpoint=API)
        if not template:  # a response hook: every call is prepared by Session.request
            atomx._transport.http.hooks['response'].append(lambda response, **_: response)
        assert atomx.get('site', 1).name == 'one'
        assert atomx.get('sites', limit=10, sort='id.asc') == []
        atomx.post('sites', {'name': 'one'})
        atomx.put('site', 1, {'name': 'uno'})
        atomx.delete('site', 1)
        calls = [(call.request.method, call.request.url, call.request.headers.get('Authorization'),
                  call.request.body) for call in mock.calls]
    assert calls == [
        ('POST', f'{API}/login', None,
         b'{"email": "live@example.com", "password": "pw"}'),
        ('GET', f'{API}/site/1', 'Bearer tok', None),
        ('GET', f'{API}/sites?limit=10&sort=id.asc', 'Bearer tok', None),
        ('POST', f'{API}/sites', 'Bearer tok', b'{"name": "one"}'),
        ('PUT', f'{API}/site/1', 'Bearer tok', b'{"name": "uno"}'),
        ('DELETE', f'{API}/site/1', 'Bearer tok', None)]


# -- the adapter's own send: requests' bytes and requests' errors -------------------------

def send_with(adapter, url, method='GET', body=None, timeout=(5, 5)):
    """One request through ``adapter`` as ``Session.send`` hands it over."""
    http = requests.Session()
    http.trust_env = False
    request = http.prepare_request(requests.Request(
        method, url, json=body, headers={'Authorization': 'Bearer live-token'}))
    response = adapter.send(request, stream=True, timeout=timeout, verify=True, cert=None,
                            proxies={})
    return response, response.content


@pytest.mark.parametrize('method, body', [('GET', None), ('POST', {'name': 'two'}),
                                          ('PUT', {'name': 'uno'}), ('DELETE', None)])
def test_the_adapter_sends_the_bytes_requests_own_adapter_sends(server, method, body):
    ours, ours_body = send_with(EndpointAdapter(), f'{server.url}/v3/site/1?depth=1', method, body)
    theirs, theirs_body = send_with(requests.adapters.HTTPAdapter(),
                                    f'{server.url}/v3/site/1?depth=1', method, body)
    first, second = server.seen
    assert (first.method, first.path, first.headers, first.body) == (
        second.method, second.path, second.headers, second.body)
    assert first.path == '/v3/site/1?depth=1'
    assert first.headers['Authorization'] == 'Bearer live-token'
    assert (ours.status_code, dict(ours.headers), ours_body, ours.url) == (
        theirs.status_code, dict(theirs.headers), theirs_body, theirs.url)


def refused_url():
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(('127.0.0.1', 0))
        return f'http://127.0.0.1:{probe.getsockname()[1]}/v3/site/1'


@contextlib.contextmanager
def resetting_server():
    """A server that reads a request and resets the connection (RST), twice."""
    listener = socket.create_server(('127.0.0.1', 0))

    def serve():
        for _ in range(2):
            connection, _address = listener.accept()
            connection.recv(65536)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{listener.getsockname()[1]}/v3/site/1'
    finally:
        listener.close()
        thread.join(timeout=5)


def raised_by(adapter, url, timeout):
    with pytest.raises(requests.RequestException) as info:
        send_with(adapter, url, timeout=timeout)
    return info.value


@pytest.mark.parametrize('fault', ['refused', 'read timeout', 'reset'])
def test_a_failure_raises_the_exception_requests_own_adapter_raises(server, fault):
    url, timeout = f'{server.url}/v3/site/1', (5, 5)
    with contextlib.ExitStack() as stack:
        if fault == 'refused':
            url = refused_url()
        elif fault == 'read timeout':
            server.respond = lambda seen: Reply(200, b'{}', delay=0.5)
            timeout = (5, 0.1)
        else:
            url = stack.enter_context(resetting_server())
        ours = raised_by(EndpointAdapter(), url, timeout)
        theirs = raised_by(requests.adapters.HTTPAdapter(), url, timeout)
    assert type(ours) is type(theirs) and type(ours) is not requests.RequestException
    assert type(ours.args[0]) is type(theirs.args[0])
    assert ours.request is not None and ours.request.url == url


def test_an_adapter_send_put_in_requests_place_answers_every_request(server, monkeypatch):
    seen = []
    original = requests.adapters.HTTPAdapter.send

    def replacement(adapter, request, **kwargs):  # keyword arguments, as Session.send passes them
        seen.append((request.method, request.url, sorted(kwargs)))
        return original(adapter, request, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, 'send', replacement)
    atomx = Atomx('live@example.com', 'pw', api_endpoint=f'{server.url}/v3')
    atomx.get('site', 1)
    assert seen == [
        ('POST', f'{server.url}/v3/login', ['cert', 'proxies', 'stream', 'timeout', 'verify']),
        ('GET', f'{server.url}/v3/site/1', ['cert', 'proxies', 'stream', 'timeout', 'verify'])]
