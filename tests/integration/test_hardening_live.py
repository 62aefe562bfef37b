"""Issue 11 on the wire: secrets stay home, redirects, deadlines, plain connection errors.

Real sockets on 127.0.0.1: ``LiveServer`` for well-formed answers, ``FaultServer``
for resets, drips and answers nobody should send.
"""
import collections
import json
import pickle
import socket
import time
import types

import pytest

from atomx import Atomx, Timeout
from atomx.exceptions import APIConnectionError, APIError, AtomxError, InvalidCredentials
from atomx.transport import Transport
from tests.fault_server import FaultServer, answer, drip, reset
from tests.live_server import LiveServer, Reply, json_reply

pytestmark = pytest.mark.integration

EMAIL = 'walker@example.com'
PASSWORD = 'hunter2-very-secret'
TOKEN = 'tok-secret-0123456789'
TOTP = '424242'
NEW_PASSWORD = 'correct-horse-battery'
SECRETS = (PASSWORD, TOKEN, TOTP, NEW_PASSWORD)
USER = {'id': 1, 'email': EMAIL, 'networks': [1]}
LOGIN = json.dumps({'success': True, 'auth_token': TOKEN, 'user': USER}).encode()

#: What the walk does not enter: code, classes, modules and the frames of a traceback
#: (the program's own variables, which hold the session and so the token by design).
_OPAQUE = (types.FrameType, types.TracebackType, types.ModuleType, type, types.FunctionType,
           types.BuiltinFunctionType, types.MethodType, types.CodeType, int, float, complex,
           type(None), bool, range, memoryview)


def _attributes(obj):
    """Every attribute an object holds: ``__dict__``, slots, and an exception's links."""
    found = dict(getattr(obj, '__dict__', None) or {})
    for cls in type(obj).__mro__:
        for slot in getattr(cls, '__slots__', ()) if isinstance(
                getattr(cls, '__slots__', ()), (tuple, list)) else (cls.__slots__,):
            if slot not in ('__dict__', '__weakref__') and hasattr(obj, slot):
                found[slot] = getattr(obj, slot)
    if isinstance(obj, BaseException):
        found.update(args=obj.args, __cause__=obj.__cause__, __context__=obj.__context__,
                     __notes__=getattr(obj, '__notes__', None))
    return found


def secrets_in(root, secrets=SECRETS, limit=300_000):
    """Where in the object graph reachable from ``root`` a secret appears, as paths."""
    hits, seen = [], set()
    todo = collections.deque([(root, 'error')])
    while todo and len(seen) < limit:
        obj, where = todo.popleft()
        if id(obj) in seen or isinstance(obj, _OPAQUE):
            continue
        seen.add(id(obj))
        if isinstance(obj, (str, bytes, bytearray)):
            text = obj if isinstance(obj, str) else bytes(obj).decode('latin-1')
            hits.extend(f'{where}: {secret!r}' for secret in secrets if secret in text)
            continue
        if isinstance(obj, dict):
            todo.extend((item, f'{where}[{key!r}]') for key, value in obj.items()
                        for item in (key, value))
        elif isinstance(obj, (list, tuple, set, frozenset, collections.deque)):
            todo.extend((item, f'{where}[{index}]') for index, item in enumerate(obj))
        else:
            todo.extend((value, f'{where}.{name}') for name, value in _attributes(obj).items())
    assert len(seen) < limit, 'the walk did not finish'
    return hits + [f'{kind}(error): {secret!r}' for kind in (str, repr)
                   for secret in secrets if secret in kind(root)]


def raised_by(call):
    with pytest.raises(AtomxError) as info:
        call()
    return info.value


def login_then(behave):
    """A fault server that answers the login and then ``behave``s."""
    def respond(connection, request):
        if request.startswith(b'POST /login'):
            connection.sendall(answer(200, LOGIN, Content_Type='application/json'))
        else:
            behave(connection, request)
    return respond


def test_the_walk_finds_a_secret_wherever_it_hides():
    holder = types.SimpleNamespace(deep=[{'k': (b'x' + TOKEN.encode(),)}])
    error = APIError('x', response=holder)
    assert secrets_in(error) == ["error.response.deep[0]['k'][0]: " + repr(TOKEN)]


# -- secrets reachable from an exception ------------------------------------------------

def test_a_reset_connection_error_keeps_no_token():
    with FaultServer(login_then(lambda connection, request: reset(connection))) as server:
        atomx = Atomx(EMAIL, PASSWORD, api_endpoint=server.url, retries=1)
        error = raised_by(lambda: atomx.get('sites'))
    assert type(error) is APIConnectionError
    assert error.__cause__.request.url == server.url + '/sites'  # the request is kept ...
    assert 'Authorization' not in error.__cause__.request.headers  # ... without its token
    assert secrets_in(error) == []


def test_a_login_without_answer_keeps_no_password():
    with FaultServer(lambda connection, request: time.sleep(1)) as server:
        error = raised_by(lambda: Atomx(EMAIL, PASSWORD, api_endpoint=server.url,
                                        timeout=(1, 0.2), retries=0))
        assert PASSWORD.encode() in server.requests[0]  # it was sent, to the right place
    assert type(error) is APIConnectionError
    assert error.__cause__.request.body is None
    assert secrets_in(error) == []


def test_a_redirected_failure_keeps_no_token_in_its_history():
    with LiveServer() as server:
        server.script(json_reply({'success': True, 'auth_token': TOKEN, 'user': USER}),
                      Reply(302, headers={'Location': '/moved'}),
                      json_reply({'success': False, 'error': 'gone'}, 404))
        atomx = Atomx(EMAIL, PASSWORD, api_endpoint=server.url)
        error = raised_by(lambda: atomx.get('sites'))
        assert server.seen[2].headers['Authorization'] == f'Bearer {TOKEN}'  # same origin
    assert error.status_code == 404 and len(error.response.history) == 1
    assert error.response.history[0].request.url == server.url + '/sites'
    assert secrets_in(error) == []


def test_a_refused_password_change_keeps_neither_password():
    with LiveServer() as server:
        server.script(json_reply({'success': True, 'auth_token': TOKEN, 'user': USER}),
                      json_reply({'success': False, 'error': 'old password wrong'}, 400))
        atomx = Atomx(EMAIL, PASSWORD, api_endpoint=server.url)
        error = raised_by(lambda: atomx.put('user', 1, {'old_password': PASSWORD,
                                                          'password': NEW_PASSWORD}))
        assert server.seen[1].json() == {'old_password': PASSWORD, 'password': NEW_PASSWORD}
    assert error.status_code == 400 and error.response.request.method == 'PUT'
    assert secrets_in(error) == []


@pytest.mark.parametrize('second', [
    json_reply({'success': False, 'error': 'wrong code'}, 401),
    json_reply({'success': False, 'error': 'down'}, 500),
])
def test_a_failed_totp_step_keeps_no_code_password_or_token(second):
    with LiveServer() as server:
        server.script(json_reply({'success': True, 'auth_token': TOKEN, 'totp_required': True}),
                      second)
        error = raised_by(lambda: Atomx(EMAIL, PASSWORD, totp=TOTP, api_endpoint=server.url))
        assert server.seen[1].json() == {'totp': TOTP}
    assert secrets_in(error) == []


def test_a_refused_login_keeps_no_password():
    with LiveServer() as server:
        server.script(json_reply({'success': False, 'error': 'bad credentials'}, 401))
        error = raised_by(lambda: Atomx(EMAIL, PASSWORD, api_endpoint=server.url))
    assert isinstance(error, InvalidCredentials)
    assert secrets_in(error) == []


def test_the_credentials_refuse_to_be_pickled():
    with LiveServer() as server:
        server.script(json_reply({'success': True, 'auth_token': TOKEN, 'user': USER}))
        atomx = Atomx(EMAIL, PASSWORD, api_endpoint=server.url)
    with pytest.raises(TypeError, match='password'):
        pickle.dumps(atomx._credentials)


@pytest.mark.parametrize('token', ['abc\ndef-secret', 'tök€n-secret', 'two words-secret', ''])
def test_a_token_that_cannot_be_sent_is_an_api_error_that_does_not_echo_it(token):
    with LiveServer() as server:
        server.script(json_reply({'success': True, 'auth_token': token, 'user': USER}))
        error = raised_by(lambda: Atomx(EMAIL, PASSWORD, api_endpoint=server.url))
    assert type(error) is APIError
    assert 'auth_token' in str(error)
    if token:
        assert 'secret' not in str(error) and secrets_in(error, (token,)) == []


# -- redirects ----------------------------------------------------------------------------

@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
def test_a_login_never_follows_a_redirect_to_another_origin(status):
    with LiveServer('localhost') as other, LiveServer() as server:
        other.respond = lambda seen: json_reply({'success': True, 'auth_token': 'x',
                                                 'user': USER})
        server.script(Reply(status, headers={'Location': other.url + '/login'}))
        error = raised_by(lambda: Atomx(EMAIL, PASSWORD, api_endpoint=server.url))
        assert other.seen == []  # neither the password nor anything else went there
    assert error.status_code == status
    assert 'another origin' in str(error) and other.url.split('//')[1] in str(error)
    assert secrets_in(error) == []


def test_a_put_body_is_not_re_sent_to_another_port():
    with LiveServer() as other, LiveServer() as server:
        server.script(Reply(308, headers={'Location': other.url + '/site/1'}))
        transport = Transport(server.url)
        transport.token = TOKEN
        error = raised_by(lambda: transport.request('PUT', 'site/1', json={'name': 'x'}))
        assert other.seen == []
    assert error.status_code == 308 and 'another origin' in str(error)


def test_a_same_origin_307_keeps_the_login_body():
    with LiveServer() as server:
        server.script(Reply(307, headers={'Location': '/v3b/login'}),
                      json_reply({'success': True, 'auth_token': TOKEN, 'user': USER}))
        atomx = Atomx(EMAIL, PASSWORD, api_endpoint=server.url)
        assert atomx.auth_token == TOKEN
        assert server.seen[1].path == '/v3b/login'
        assert server.seen[1].json() == {'email': EMAIL, 'password': PASSWORD}


@pytest.mark.parametrize('location', ['http://[::1/x', 'http://exa mple.com:99999/'])
def test_a_redirect_to_an_unreadable_url_is_an_api_error(location):
    with LiveServer() as server:
        server.script(json_reply({'success': True, 'auth_token': TOKEN, 'user': USER}),
                      Reply(302, headers={'Location': location}))
        atomx = Atomx(EMAIL, PASSWORD, api_endpoint=server.url)
        error = raised_by(lambda: atomx.get('sites'))
    assert isinstance(error, APIError) and error.status_code == 302
    assert 'cannot be read' in str(error)


# -- the total deadline -----------------------------------------------------------------

def test_a_dripping_body_ends_at_the_total_deadline():
    with FaultServer(login_then(drip)) as server:
        atomx = Atomx(EMAIL, PASSWORD, api_endpoint=server.url,
                      timeout=Timeout(connect=1, read=1, total=1.5), retries=3)
        started = time.monotonic()
        error = raised_by(lambda: atomx.get('sites'))
        elapsed = time.monotonic() - started
    assert type(error) is APIConnectionError
    assert 'within the total deadline of 1.5 s' in str(error)
    assert 1.4 < elapsed < 2.5  # without the deadline: 400 bytes at 0.25 s, 100 s
    assert 'gave up after 1 attempt' in str(error)


def test_dripping_headers_end_at_the_total_deadline_too():
    def drip_headers(connection, request):
        connection.sendall(b'HTTP/1.1 200 OK\r\n')
        for _ in range(400):
            connection.sendall(b'X')
            time.sleep(0.25)

    with FaultServer(drip_headers) as server:
        transport = Transport(server.url, timeout=Timeout(1, 1, total=1))
        started = time.monotonic()
        error = raised_by(lambda: transport.request('GET', 'sites'))
    assert 'within the total deadline of 1 s' in str(error)
    assert time.monotonic() - started < 2


def test_a_retry_that_would_start_after_the_deadline_is_not_made():
    with LiveServer() as server:
        server.script(*[json_reply({'success': False, 'error': 'busy'}, 503,
                                   Retry_After='5')] * 2)
        transport = Transport(server.url, timeout=Timeout(1, 1, total=2))
        started = time.monotonic()
        error = raised_by(lambda: transport.request('GET', 'sites'))
        assert len(server.seen) == 1
    assert error.status_code == 503 and time.monotonic() - started < 1


def test_the_connection_cut_by_the_deadline_does_not_break_the_next_call():
    calls = []

    def slow_once(connection, request):
        calls.append(request)
        if len(calls) == 1:
            drip(connection)
        else:
            connection.sendall(answer(200, b'{"resource": "x", "x": 1}'))

    with FaultServer(slow_once) as server:
        transport = Transport(server.url, timeout=Timeout(1, 1, total=0.6), retries=0)
        raised_by(lambda: transport.request('GET', 'sites'))
        assert transport.request('GET', 'sites').envelope == {'resource': 'x', 'x': 1}


# -- Retry-After that asks for nothing sensible ---------------------------------------------

@pytest.mark.parametrize('value', ['nan', '-3', 'inf'])
def test_a_senseless_retry_after_leaves_the_backoff_on(value):
    sleeps = []
    with LiveServer() as server:
        server.script(*[json_reply({'success': False}, 503, Retry_After=value)] * 2,
                      json_reply({'resource': 'x', 'x': 1}))
        transport = Transport(server.url, sleep=sleeps.append, jitter=lambda: 0.5)
        assert transport.request('GET', 'sites').envelope == {'resource': 'x', 'x': 1}
    assert sleeps == [0.375, 0.75]


# -- connection failures in plain words -------------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def test_a_refused_connection_says_nothing_listens_and_how_often_it_tried():
    port = free_port()
    sleeps = []
    transport = Transport(f'http://127.0.0.1:{port}', retries=2, sleep=sleeps.append)
    error = raised_by(lambda: transport.request('POST', 'login', json={'password': PASSWORD}))
    assert str(error) == (f'POST login: nothing listens at 127.0.0.1:{port} '
                          f'(connection refused); gave up after 3 attempts')
    assert len(sleeps) == 2  # a POST that never left is sent again
    assert 'HTTPConnectionPool' not in str(error) and 'Max retries' not in str(error)
    assert secrets_in(error) == []


def test_the_session_says_the_same_at_login():
    port = free_port()
    error = raised_by(lambda: Atomx(EMAIL, PASSWORD, api_endpoint=f'http://127.0.0.1:{port}',
                                    retries=0))
    assert str(error) == (f'POST login: nothing listens at 127.0.0.1:{port} '
                          f'(connection refused); gave up after 1 attempt')


def test_a_name_that_does_not_resolve_says_so():
    transport = Transport('http://nonexistent.invalid', retries=0)
    error = raised_by(lambda: transport.request('GET', 'sites'))
    assert str(error) == ('GET sites: the name of nonexistent.invalid:80 does not resolve '
                          '(DNS); gave up after 1 attempt')


def test_a_failed_tls_check_says_so_and_is_not_retried():
    sleeps = []
    with LiveServer() as server:  # plain HTTP where TLS is expected
        port = server.url.rsplit(':', 1)[1]
        transport = Transport(f'https://127.0.0.1:{port}', retries=3, sleep=sleeps.append)
        error = raised_by(lambda: transport.request('GET', 'sites'))
    assert str(error).startswith(f'GET sites: the TLS check of 127.0.0.1:{port} failed (')
    assert str(error).endswith('; gave up after 1 attempt')
    assert sleeps == []


def test_a_reset_says_the_connection_was_reset():
    sleeps = []
    with FaultServer(lambda connection, request: reset(connection)) as server:
        transport = Transport(server.url, retries=1, sleep=sleeps.append)
        error = raised_by(lambda: transport.request('GET', 'sites'))
        assert len(server.requests) == 2
    host = server.url.split('//')[1]
    assert str(error) == (f'GET sites: {host} closed or reset the connection before the '
                          f'answer was complete; gave up after 2 attempts')


def test_a_post_that_may_have_arrived_is_not_sent_again():
    sleeps = []
    with FaultServer(lambda connection, request: reset(connection)) as server:
        transport = Transport(server.url, retries=3, sleep=sleeps.append)
        error = raised_by(lambda: transport.request('POST', 'site', json={'name': 'x'}))
        assert len(server.requests) == 1  # it reached the server: never twice
    assert 'gave up after 1 attempt' in str(error) and sleeps == []
