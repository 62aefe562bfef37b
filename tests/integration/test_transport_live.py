"""The transport over real sockets on 127.0.0.1: keep-alive, retries, waits, timeouts, threads."""
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from atomx import Atomx
from atomx.exceptions import APIConnectionError, APIError
from atomx.transport import Transport
from tests.live_server import LiveServer, Reply, Seen, json_reply

pytestmark = pytest.mark.integration

USER = {'id': 1, 'email': 'live@example.com', 'networks': [1]}
SITES = {'success': True, 'resource': 'sites', 'sites': [{'id': 1}]}


@pytest.fixture
def server():
    with LiveServer() as live:
        yield live


@pytest.fixture
def sleeps():
    return []


def login_reply(token='live-token'):
    return json_reply({'success': True, 'auth_token': token, 'user': USER})


def busy(status=503, **headers):
    return json_reply({'success': False, 'error': 'busy'}, status, **headers)


def transport_for(server, sleeps, **kwargs):
    return Transport(server.url, sleep=sleeps.append, jitter=lambda: 0.5, **kwargs)


# -- keep-alive -----------------------------------------------------------------

def test_one_connection_is_reused_for_login_and_requests(server):
    server.respond = lambda seen: login_reply() if seen.path == '/login' else json_reply(SITES)
    with Atomx('live@example.com', 'pw', api_endpoint=server.url) as atomx:
        for _ in range(5):
            assert [site.json for site in atomx.get('sites')] == [{'id': 1}]
    assert [seen.path for seen in server.seen] == ['/login'] + ['/sites'] * 5
    assert server.connections == 1


def test_close_drops_the_pooled_connection(server):
    server.respond = lambda seen: login_reply() if seen.path == '/login' else json_reply(SITES)
    atomx = Atomx('live@example.com', 'pw', api_endpoint=server.url)
    atomx.close()
    atomx.get('sites')  # still usable: a new connection is opened
    assert server.connections == 2


# -- retries and waits ------------------------------------------------------------

def test_get_is_retried_with_growing_backoff(server, sleeps):
    server.script(busy(503), busy(502), json_reply(SITES))
    answer = transport_for(server, sleeps).request('GET', 'sites')
    assert answer.envelope == SITES
    assert len(server.seen) == 3
    assert sleeps == [0.375, 0.75]  # ceilings 0.5 and 1.0, jitter 0.5
    assert server.connections == 1  # an error answer does not cost the connection


def test_retries_give_up_with_the_last_error(server, sleeps):
    server.script(*[busy(504)] * 4)
    with pytest.raises(APIError) as info:
        transport_for(server, sleeps, retries=3).request('DELETE', 'site/1')
    assert info.value.status_code == 504
    assert 'busy' in str(info.value)
    assert len(server.seen) == 4 and len(sleeps) == 3


def test_retries_zero_sends_once(server, sleeps):
    server.script(busy(503))
    with pytest.raises(APIError):
        transport_for(server, sleeps, retries=0).request('GET', 'sites')
    assert len(server.seen) == 1 and sleeps == []


def test_post_is_sent_once_even_on_503(server, sleeps):
    server.script(busy(503, Retry_After='1'))
    with pytest.raises(APIError) as info:
        transport_for(server, sleeps).request('POST', 'report', json={'scope': 'publisher'})
    assert info.value.status_code == 503
    assert len(server.seen) == 1 and sleeps == []


def test_retry_after_seconds_is_honoured(server, sleeps):
    server.script(busy(429, Retry_After='3'), json_reply(SITES))
    assert transport_for(server, sleeps).request('PUT', 'site/1', json={}).envelope == SITES
    assert sleeps == [3.0]
    assert server.seen[1].json() == {}


def test_retry_after_http_date_is_honoured(server, sleeps):
    when = datetime.now(timezone.utc) + timedelta(seconds=20)
    server.script(busy(503, Retry_After=format_datetime(when, usegmt=True)), json_reply(SITES))
    transport_for(server, sleeps).request('GET', 'sites')
    assert len(sleeps) == 1 and 17 < sleeps[0] <= 20


def test_retry_after_beyond_the_cap_raises_at_once(server, sleeps):
    server.script(busy(503, Retry_After='600'))
    with pytest.raises(APIError, match='Retry-After asks for 600s') as info:
        transport_for(server, sleeps, max_wait=60).request('GET', 'sites')
    assert info.value.status_code == 503
    assert sleeps == [] and len(server.seen) == 1


def test_a_session_retries_with_a_real_sleep_of_retry_after_zero(server):
    server.script(login_reply(), busy(503, Retry_After='0'), json_reply(SITES))
    atomx = Atomx('live@example.com', 'pw', api_endpoint=server.url, retries=1)
    assert [site.json for site in atomx.get('sites')] == [{'id': 1}]
    assert [seen.method for seen in server.seen] == ['POST', 'GET', 'GET']


# -- timeouts and dead servers ------------------------------------------------------

def test_read_timeout_is_retried_then_raised_as_connection_error(server, sleeps):
    server.respond = lambda seen: Reply(200, b'{}', delay=0.5)
    transport = transport_for(server, sleeps, timeout=(1, 0.1), retries=1)
    with pytest.raises(APIConnectionError, match=r'sent nothing for 0.1 s \(read timeout\); '
                       'gave up after 2 attempts') as info:
        transport.request('GET', 'sites')
    assert info.value.status_code is None
    assert len(server.seen) == 2 and len(sleeps) == 1


def test_session_timeout_reaches_the_socket(server):
    server.script(login_reply(), Reply(200, b'{}', delay=0.5))
    atomx = Atomx('live@example.com', 'pw', api_endpoint=server.url, timeout=0.1, retries=0)
    with pytest.raises(APIConnectionError):
        atomx.get('sites')


def test_refused_connection_is_retried_then_raised(sleeps):
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    transport = Transport(f'http://127.0.0.1:{port}', retries=2, sleep=sleeps.append)
    with pytest.raises(APIConnectionError, match='after 3 attempt') as info:
        transport.request('GET', 'sites')
    assert info.value.status_code is None
    assert len(sleeps) == 2


# -- redirects ------------------------------------------------------------------------

def test_redirect_to_another_host_drops_the_bearer_token(server):
    with LiveServer('localhost') as other:
        other.respond = lambda seen: json_reply(SITES)
        server.script(login_reply(), Reply(302, headers={'Location': server.url + '/moved'}),
                      Reply(302, headers={'Location': other.url + '/sites'}))
        atomx = Atomx('live@example.com', 'pw', api_endpoint=server.url)
        assert [site.json for site in atomx.get('sites')] == [{'id': 1}]
    same_host_hop = server.seen[2]
    assert same_host_hop.path == '/moved'
    assert same_host_hop.headers['Authorization'] == 'Bearer live-token'
    assert [seen.path for seen in other.seen] == ['/sites']
    assert 'Authorization' not in other.seen[0].headers


# -- threads --------------------------------------------------------------------------

def test_threads_share_one_session(server):
    def respond(seen: Seen) -> Reply:
        if seen.path == '/login':
            return login_reply()
        site_id = int(seen.path.rsplit('/', 1)[1])
        return json_reply({'resource': 'site', 'site': {'id': site_id}})

    server.respond = respond
    atomx = Atomx('live@example.com', 'pw', api_endpoint=server.url)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: atomx.get('site', n), range(64)))
    assert [site.json for site in results] == [{'id': n} for n in range(64)]
    gets = [seen for seen in server.seen if seen.method == 'GET']
    assert len(gets) == 64
    assert {seen.headers['Authorization'] for seen in gets} == {'Bearer live-token'}
    assert server.connections <= 9  # pooled: at most one per worker, plus the login


def test_concurrent_401s_log_in_again_only_once(server):
    valid = set()
    logins = []
    lock = threading.Lock()

    def respond(seen: Seen) -> Reply:
        if seen.path == '/login':
            with lock:
                logins.append(seen.json())
                token = f'token-{len(logins)}'
                valid.clear()  # a new token replaces the old one
                valid.add(token)
            return _slow(login_reply(token))
        if seen.headers.get('Authorization', '').split(' ')[-1] in valid:
            return json_reply(SITES)
        return json_reply({'success': False, 'error': 'token expired'}, 401)

    server.respond = respond
    atomx = Atomx('live@example.com', 'pw', api_endpoint=server.url)
    valid.clear()  # the first token expires
    start = threading.Barrier(8)

    def fetch(_):
        start.wait(timeout=5)
        return atomx.get('sites')

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(fetch, range(8)))
    assert [[site.json for site in sites] for sites in results] == [[{'id': 1}]] * 8
    assert len(logins) == 2  # the constructor's, and one re-login for all eight threads
    assert atomx.auth_token == 'token-2'


def _slow(reply: Reply) -> Reply:
    """Hold a login answer back a little so that the other threads pile up on the 401."""
    reply.delay = 0.1
    return reply


def test_a_deadline_passing_after_the_answer_never_cuts_the_pooled_connection(server):
    # one request's deadline may pass just after its answer was read, its connection
    # back in the pool: the watchdog must not cut it under the next request taking it
    import time

    from atomx.deadline import WATCHDOG

    server.respond = lambda seen: json_reply({'success': True, 'resource': 'x', 'x': []})
    transport = Transport(server.url + '/v3')
    watch = WATCHDOG.watch(time.monotonic() + 0.1)
    transport.http.get(server.url + '/v3/first')  # its answer read, its connection pooled
    time.sleep(0.4)
    WATCHDOG.release(watch)
    assert watch.expired  # the deadline did pass
    transport.request('GET', 'second')
    assert server.connections == 1  # the pooled connection was reused, not cut
