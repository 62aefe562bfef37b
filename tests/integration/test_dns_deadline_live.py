"""The name lookup of a new connection is bounded by the call's time (atomx.lookup).

``socket.getaddrinfo`` (as urllib3 sees it) is replaced by a resolver that knows
a few ``.test`` names: one that takes 5 s to answer (an unreachable name
server), some that resolve to 127.0.0.1 where a real server listens.
"""
import contextlib
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

import pytest

from atomx import Atomx, Timeout, lookup
from atomx.exceptions import APIConnectionError
from tests.certificates import self_signed
from tests.live_server import LiveServer
from tests.site_api import answer, clear_proxy_variables

pytestmark = pytest.mark.integration

EMAIL = 'dns@example.com'
SLOW = 'slow-dns.test'  # its name server never answers (for 5 s)
LOCAL = 'fake-local.test'  # resolves to 127.0.0.1
FALLBACK = 'fallback.test'  # resolves to 127.0.0.2 (nothing listens), then 127.0.0.1
UNKNOWN = 'no-such-name.test'  # does not resolve
SILENT = 'silent.test'  # resolves to 127.0.0.2 and 127.0.0.3, where connects hang


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    clear_proxy_variables(monkeypatch)


class Resolver:
    """The fake ``getaddrinfo``: records the names asked, answers as described above."""

    def __init__(self, real):
        self.real = real
        self.asked = []
        self.release = threading.Event()

    def __call__(self, host, port, family=0, *args, **kwargs):
        self.asked.append(host)
        if host == SLOW:
            self.release.wait(5)
            raise socket.gaierror(socket.EAI_AGAIN, 'Temporary failure in name resolution')
        if host == UNKNOWN:
            raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')
        addresses = {LOCAL: ['127.0.0.1'], FALLBACK: ['127.0.0.2', '127.0.0.1'],
                     SILENT: ['127.0.0.2', '127.0.0.3']}.get(host)
        if addresses is None:
            return self.real(host, port, family, *args, **kwargs)
        return [entry for address in addresses
                for entry in self.real(address, port, family, *args, **kwargs)]


@pytest.fixture
def resolver(monkeypatch):
    fake = Resolver(socket.getaddrinfo)
    monkeypatch.setattr(socket, 'getaddrinfo', fake)
    yield fake
    fake.release.set()  # the stuck lookups end now, and take their threads with them
    for thread in threading.enumerate():
        if thread.name.startswith('atomx-lookup'):
            thread.join(2)


@pytest.fixture
def server():
    with LiveServer() as live:
        live.respond = answer
        yield live


def port_of(server):
    return server.url.rsplit(':', 1)[1]


def failure(call):
    started = time.monotonic()
    with pytest.raises(APIConnectionError) as info:
        call()
    return str(info.value), time.monotonic() - started


# -- a name server that does not answer -----------------------------------------------------

def test_a_lookup_that_does_not_answer_ends_at_the_total_deadline(resolver):
    message, elapsed = failure(lambda: Atomx(EMAIL, 'pw', api_endpoint=f'http://{SLOW}:9/v3',
                                             timeout=Timeout(connect=10, read=10, total=0.5)))
    assert elapsed < 1.0  # the resolver alone would take 5 s
    assert message.startswith('POST login: no complete answer from slow-dns.test:9 within '
                              'the total deadline of 0.5 s')
    assert ('the name of slow-dns.test:9 was not resolved within 0.5 s (DNS timed out); '
            'gave up after 1 attempt') in message
    assert resolver.asked == [SLOW]


def test_a_lookup_that_does_not_answer_ends_at_the_connect_timeout_and_is_retried(resolver):
    message, elapsed = failure(lambda: Atomx(EMAIL, 'pw', api_endpoint=f'http://{SLOW}:9/v3',
                                             timeout=Timeout(connect=0.3, read=10, total=4),
                                             retries=2))
    assert 0.9 < elapsed < 4  # three attempts of 0.3 s, and the backoff between them
    assert message == ('POST login: the name of slow-dns.test:9 was not resolved within '
                       '0.3 s (DNS timed out); gave up after 3 attempts')
    assert resolver.asked == [SLOW]  # the retries waited for the lookup under way


def test_retries_of_a_lookup_that_does_not_answer_stop_at_the_total_deadline(resolver):
    message, elapsed = failure(lambda: Atomx(EMAIL, 'pw', api_endpoint=f'http://{SLOW}:9/v3',
                                             timeout=Timeout(connect=0.3, read=10, total=1.2),
                                             retries=20))
    assert 0.5 < elapsed < 1.7
    assert 'was not resolved within 0.3 s (DNS timed out)' in message


def test_a_name_that_does_not_resolve_says_so_at_once(resolver):
    message, elapsed = failure(lambda: Atomx(EMAIL, 'pw', api_endpoint=f'http://{UNKNOWN}:9/v3',
                                             retries=0))
    assert message == ('POST login: the name of no-such-name.test:9 does not resolve (DNS); '
                       'gave up after 1 attempt')
    assert elapsed < 1


def test_a_stuck_lookup_does_not_hold_the_program_up_at_exit():
    program = f'''
import socket, time
from atomx import Atomx, Timeout
from atomx.exceptions import APIConnectionError
real = socket.getaddrinfo
def stuck(host, *args):
    if host == {SLOW!r}:
        time.sleep(60)
    return real(host, *args)
socket.getaddrinfo = stuck
try:
    Atomx('a@example.com', 'pw', api_endpoint='http://{SLOW}:9/v3', timeout=Timeout(1, 1, 0.3))
except APIConnectionError as error:
    print(error)
'''
    environment = dict(os.environ, PYTHONPATH=os.getcwd())
    started = time.monotonic()
    finished = subprocess.run([sys.executable, '-c', program], capture_output=True, text=True,
                              env=environment, timeout=30)
    assert time.monotonic() - started < 15  # not the 60 s of the lookup
    assert finished.returncode == 0, finished.stderr
    assert 'was not resolved within 0.3 s' in finished.stdout


def test_a_forked_child_looks_a_name_up_again_rather_than_wait_for_its_parents_lookup():
    program = f'''
import os, socket, time
from atomx import lookup
real, parent = socket.getaddrinfo, os.getpid()
def resolver(host, port, *args):
    if os.getpid() == parent:
        time.sleep(60)  # stuck in the parent, and its thread is not in the child
    return real('127.0.0.1', port, *args)
socket.getaddrinfo = resolver
try:
    lookup.addresses({SLOW!r}, 80, 0, 0.2)
except lookup.LookupTimeout:
    pass
child = os.fork()
if child == 0:
    found = lookup.addresses({SLOW!r}, 80, 0, 2)
    os._exit(0 if found[0][4][0] == '127.0.0.1' else 1)
print(os.waitpid(child, 0)[1])
'''
    environment = dict(os.environ, PYTHONPATH=os.getcwd())
    finished = subprocess.run([sys.executable, '-W', 'ignore', '-c', program], capture_output=True,
                              text=True, env=environment, timeout=30)
    assert finished.stdout.strip() == '0', finished.stderr  # the child's exit status


# -- names that resolve -----------------------------------------------------------------------

def test_a_name_that_resolves_reaches_its_server_with_its_host_header(resolver, server):
    endpoint = f'http://{LOCAL}:{port_of(server)}/v3'
    atomx = Atomx(EMAIL, 'pw', api_endpoint=endpoint)
    assert atomx.get('site', 1).name == 'one'
    assert [(seen.method, seen.path, seen.headers['Host']) for seen in server.seen] == [
        ('POST', '/v3/login', f'{LOCAL}:{port_of(server)}'),
        ('GET', '/v3/site/1', f'{LOCAL}:{port_of(server)}')]
    # the name looked up once (the connection is kept), then its address connected to
    assert resolver.asked == [LOCAL, '127.0.0.1']


def test_each_address_of_a_name_is_tried_in_turn(resolver, server):
    atomx = Atomx(EMAIL, 'pw', api_endpoint=f'http://{FALLBACK}:{port_of(server)}/v3')
    assert atomx.get('site', 1).name == 'one'  # 127.0.0.2 refused it, 127.0.0.1 answered
    assert {seen.headers['Host'] for seen in server.seen} == {f'{FALLBACK}:{port_of(server)}'}


def test_no_address_of_a_name_accepting_is_said_plainly(resolver):
    with LiveServer() as gone:
        port = port_of(gone)
    message, _ = failure(lambda: Atomx(EMAIL, 'pw', api_endpoint=f'http://{FALLBACK}:{port}/v3',
                                       retries=0))
    assert message == (f'POST login: nothing listens at {FALLBACK}:{port} (connection '
                       f'refused); gave up after 1 attempt')


@pytest.fixture
def silent_port():
    """A port on 127.0.0.2 and 127.0.0.3 whose listeners' queues are full: a connect hangs."""
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(socket.create_server(('127.0.0.2', 0), backlog=0))
        port = first.getsockname()[1]
        second = stack.enter_context(socket.create_server(('127.0.0.3', port), backlog=0))
        for listener in (first, second):  # one connection waiting to be accepted fills it
            stack.enter_context(socket.create_connection(listener.getsockname(), timeout=1))
        yield port


def test_the_addresses_of_a_name_share_the_time_the_call_has_left(silent_port, resolver):
    message, elapsed = failure(lambda: Atomx(
        EMAIL, 'pw', api_endpoint=f'http://{SILENT}:{silent_port}/v3', retries=0,
        timeout=Timeout(connect=1, read=10, total=1.3)))
    assert 1.2 < elapsed < 1.7  # 1 s for the first, what was left for the second: not 2 s
    assert 'within the total deadline of 1.3 s' in message
    assert resolver.asked == [SILENT, '127.0.0.2', '127.0.0.3']


@pytest.mark.parametrize('host', ['127.0.0.1', 'localhost'])
def test_an_ip_literal_or_localhost_is_connected_to_without_a_lookup_thread(
        resolver, server, monkeypatch, host):
    started = []
    start = lookup._start
    monkeypatch.setattr(lookup, '_start', lambda *args: started.append(args) or start(*args))
    atomx = Atomx(EMAIL, 'pw', api_endpoint=f'http://{host}:{port_of(server)}/v3')
    assert atomx.get('site', 1).name == 'one'
    assert started == []
    named = Atomx(EMAIL, 'pw', api_endpoint=f'http://{LOCAL}:{port_of(server)}/v3')
    assert named.get('site', 1).name == 'one'
    assert [key[0] for key, _ in started] == [LOCAL]  # the helper that would have started it


# -- proxies ----------------------------------------------------------------------------------

def test_through_a_proxy_the_proxys_name_is_looked_up_in_bounded_time(resolver, monkeypatch):
    monkeypatch.setenv('HTTP_PROXY', f'http://user:proxy-secret@{SLOW}:3128')
    message, elapsed = failure(lambda: Atomx(EMAIL, 'pw', api_endpoint='http://api.test/v3',
                                             timeout=Timeout(connect=0.4, read=10, total=5),
                                             retries=0))
    assert elapsed < 1.0
    assert message == ('POST login: the name of the proxy slow-dns.test:3128 was not resolved '
                       'within 0.4 s (DNS timed out), on the way to api.test:80; gave up after '
                       '1 attempt')
    assert resolver.asked == [SLOW]  # never the API's name: the proxy looks that up
    # (and the message above names the proxy without its password)


def test_a_proxy_whose_name_resolves_gets_the_requests(resolver, server, monkeypatch):
    monkeypatch.setenv('HTTP_PROXY', f'http://{LOCAL}:{port_of(server)}')
    atomx = Atomx(EMAIL, 'pw', api_endpoint='http://api.test/v3')
    assert atomx.get('site', 1).name == 'one'
    assert [(seen.path, seen.headers['Host']) for seen in server.seen] == [
        ('http://api.test/v3/login', 'api.test'), ('http://api.test/v3/site/1', 'api.test')]
    assert resolver.asked == [LOCAL, '127.0.0.1']


# -- TLS: the certificate is checked against the name, not the address --------------------------

def tls(directory, name):
    """An HTTPS server on 127.0.0.1 with a certificate for ``name``; ``(server, pem, sni)``:
    ``sni`` lists the server names the clients' handshakes asked for."""
    certificate_file, key_file = self_signed(directory, name)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate_file, key_file)
    sni = []
    context.sni_callback = lambda tls_socket, server_name, _: sni.append(server_name)
    live = LiveServer()
    live._server.socket = context.wrap_socket(live._server.socket, server_side=True)
    live.respond = answer
    return live, certificate_file, sni


def test_https_to_a_looked_up_name_checks_the_certificate_of_that_name(resolver, tmp_path,
                                                                       monkeypatch):
    live, certificate_file, sni = tls(tmp_path, LOCAL)
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(certificate_file))
    with live:
        atomx = Atomx(EMAIL, 'pw', api_endpoint=f'https://{LOCAL}:{port_of(live)}/v3')
        assert atomx.get('site', 1).name == 'one'
    assert sni == [LOCAL]
    assert {seen.headers['Host'] for seen in live.seen} == {f'{LOCAL}:{port_of(live)}'}


def test_https_to_a_looked_up_name_refuses_a_certificate_for_its_address(resolver, tmp_path,
                                                                         monkeypatch):
    live, certificate_file, sni = tls(tmp_path, '127.0.0.1')  # valid for the IP, not the name
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(certificate_file))
    with live:
        message, _ = failure(lambda: Atomx(EMAIL, 'pw', retries=0,
                                           api_endpoint=f'https://{LOCAL}:{port_of(live)}/v3'))
        assert live.seen == []
    assert f'the TLS check of {LOCAL}:{port_of(live)} failed' in message
    assert "Hostname mismatch" in message or 'match' in message
    assert sni == [LOCAL]
