"""The transport under ``responses``: error mapping, retry decisions, re-login, redirects, logs."""
import gc
import json
import logging
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
import requests
import responses
from responses import matchers

from atomx import Atomx
from atomx.exceptions import APIConnectionError, APIError, InvalidCredentials, TotpRequiredError
from atomx.timeouts import Timeout
from atomx.transport import (
    DEFAULT_TIMEOUT,
    RETRYABLE_STATUS_CODES,
    USER_AGENT,
    Transport,
    retry_after,
)
from tests.unit.conftest import API, TOKEN, USER

HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'


@pytest.fixture
def sleeps():
    """The waits a transport asked for, instead of sleeping them."""
    return []


@pytest.fixture
def transport(mocked, sleeps):
    """A transport that records its waits and draws 0.5 as jitter."""
    return Transport(API, sleep=sleeps.append, jitter=lambda: 0.5)


def fail(call):
    """Run ``call`` and return the exception it raised."""
    with pytest.raises(Exception) as info:
        call()
    return info.value


# -- the request on the wire --------------------------------------------------

def test_every_request_carries_user_agent_accept_and_default_timeout(transport, mocked):
    mocked.add(responses.GET, API + '/sites',
               match=[matchers.header_matcher({'User-Agent': USER_AGENT,
                                               'Accept': 'application/json'})],
               json={'resource': 'sites', 'sites': []})
    answer = transport.request('GET', 'sites')
    assert answer.envelope == {'resource': 'sites', 'sites': []}
    assert answer.headers['Content-Type'] == 'application/json'
    assert mocked.calls[0].request.req_kwargs['timeout'] == (10.0, 120.0)
    assert Timeout(connect=10.0, read=120.0, total=300.0) == DEFAULT_TIMEOUT
    assert USER_AGENT.startswith('atomx-python/')


@pytest.mark.parametrize('timeout, sent, total', [
    (5, (5.0, 5.0), 300.0), ((1, 30), (1.0, 30.0), 300.0), ([2, 3], (2.0, 3.0), 300.0),
    ((200, 400), (200.0, 400.0), 600.0),  # never less than one slow attempt
    (Timeout(1, 2, total=9), (1.0, 2.0), 9.0), (Timeout(connect=3, read=4), (3.0, 4.0), 300.0),
])
def test_timeout_is_a_number_a_connect_read_pair_or_a_timeout(mocked, timeout, sent, total):
    mocked.add(responses.GET, API + '/sites', json={'sites': []})
    transport = Transport(API, timeout=timeout)
    transport.request('GET', 'sites')
    assert mocked.calls[0].request.req_kwargs['timeout'] == sent
    assert transport.timeout.deadline_seconds == total


@pytest.mark.parametrize('kwargs', [
    {'timeout': None}, {'timeout': (1,)}, {'timeout': '5'}, {'timeout': ('1', 2)},
    {'timeout': True}, {'timeout': Timeout(1, 1, total='9')}, {'timeout': (1, 2, 3)},
    {'retries': 1.5}, {'retries': None}, {'retries': True},
])
def test_bad_timeout_or_retries_is_a_type_error(kwargs):
    with pytest.raises(TypeError, match=next(iter(kwargs))):
        Transport(API, **kwargs)


@pytest.mark.parametrize('timeout, words', [
    (0, 'timeout must be a positive number of seconds, not 0'),
    (-1, 'timeout must be a positive number of seconds, not -1'),
    (float('nan'), 'timeout must be a positive number of seconds, not nan'),
    (Timeout(1, 1, total=0), 'the total timeout must be a positive number of seconds, not 0'),
    (Timeout(1, float('inf')), 'the read timeout must be a positive number of seconds, not inf'),
    # sockets and locks cannot wait that long: it would raise OverflowError at the first
    # request, and a total that long killed the deadline watchdog of every session
    (1e12, r'timeout must be a positive number of seconds, not 1000000000000.0 \(at most '),
    (Timeout(5, 5, total=1e300), r'the total timeout .* not 1e\+300 \(at most '),
])
def test_a_timeout_out_of_range_is_a_value_error(timeout, words):
    with pytest.raises(ValueError, match=words):
        Transport(API, timeout=timeout)


def test_the_watchdog_survives_a_deadline_beyond_what_a_lock_can_wait():
    import threading
    import time

    from atomx.deadline import WATCHDOG

    far = WATCHDOG.watch(time.monotonic() + 2 * threading.TIMEOUT_MAX)  # connect + read at most
    near = WATCHDOG.watch(time.monotonic() + 0.05)
    time.sleep(0.3)
    WATCHDOG.release(far)
    WATCHDOG.release(near)
    assert near.expired and not far.expired
    assert WATCHDOG._thread is not None and WATCHDOG._thread.is_alive()


def test_retries_below_zero_is_a_value_error():
    with pytest.raises(ValueError, match='retries must be at least 0, not -1'):
        Transport(API, retries=-1)


@pytest.mark.parametrize('endpoint', ['api.atomx.com/v3', 'ftp://x', '', None])
def test_endpoint_must_be_an_http_url(endpoint):
    with pytest.raises(ValueError, match='api_endpoint'):
        Transport(endpoint)


def test_bearer_token_and_explicit_or_no_auth(transport, mocked):
    mocked.add(responses.GET, API + '/a', json={'a': 1})
    transport.token = 'tok'
    transport.request('GET', 'a')
    transport.request('GET', 'a', auth='other')
    transport.request('GET', 'a', auth=False)
    sent = [call.request.headers.get('Authorization') for call in mocked.calls]
    assert sent == ['Bearer tok', 'Bearer other', None]


# -- error mapping ------------------------------------------------------------

def test_404_with_an_error_message(transport, mocked):
    mocked.add(responses.GET, API + '/advertiser/999', status=404,
               json={'success': False, 'error': 'advertiser 999 not found'})
    error = fail(lambda: transport.request('GET', 'advertiser/999'))
    assert type(error) is APIError
    assert str(error) == 'GET advertiser/999 failed with HTTP 404: advertiser 999 not found'
    assert error.status_code == 404
    assert error.response.status_code == 404


@pytest.mark.parametrize('status, body', [(404, '{"success": false, "error": "no"}'),
                                          (200, '<html>maintenance</html>')])
def test_an_error_keeps_no_token_in_its_response(transport, mocked, status, body):
    mocked.add(responses.GET, API + '/advertiser/999', status=status, body=body,
               match=[matchers.header_matcher({'Authorization': 'Bearer secret-token-5'})])
    transport.token = 'secret-token-5'
    error = fail(lambda: transport.request('GET', 'advertiser/999'))
    assert isinstance(error, APIError) and error.response.status_code == status
    assert 'Authorization' not in error.response.request.headers
    assert 'secret-token-5' not in repr(vars(error.response.request))


def test_non_json_502_page_is_an_api_error_with_an_excerpt(mocked, sleeps):
    mocked.add(responses.GET, API + '/sites', status=502, body=HTML_502,
               content_type='text/html')
    error = fail(lambda: Transport(API, retries=0, sleep=sleeps.append).request('GET', 'sites'))
    assert type(error) is APIError
    assert error.status_code == 502
    assert 'GET sites failed with HTTP 502' in str(error)
    assert '502 Bad Gateway' in str(error)
    assert not isinstance(error.__context__, ValueError)  # no JSONDecodeError behind it
    assert sleeps == []


def test_empty_error_body_says_so(transport, mocked):
    mocked.add(responses.DELETE, API + '/site/1', status=500, body='')
    error = fail(lambda: transport.request('DELETE', 'site/1'))
    assert str(error) == 'DELETE site/1 failed with HTTP 500: empty body'
    assert error.status_code == 500


def test_long_bodies_are_cut_in_the_message(mocked):
    mocked.add(responses.POST, API + '/site', status=500, body='x' * 5000)
    message = str(fail(lambda: Transport(API).request('POST', 'site', json={})))
    assert len(message) < 300
    assert message.endswith("...'")


@pytest.mark.parametrize('body', ['<html>ok</html>', '', '[1, 2]', '"text"', '{"a": '])
def test_2xx_body_that_is_not_a_json_object_is_an_api_error(transport, mocked, body):
    mocked.add(responses.GET, API + '/sites', status=200, body=body)
    error = fail(lambda: transport.request('GET', 'sites'))
    assert type(error) is APIError
    assert error.status_code == 200
    assert 'GET sites answered HTTP 200 with a body that is not a JSON object' in str(error)


def test_2xx_with_success_false_is_an_api_error(transport, mocked):
    mocked.add(responses.PUT, API + '/site/1', json={'success': False, 'error': 'read only'})
    error = fail(lambda: transport.request('PUT', 'site/1', json={}))
    assert 'read only' in str(error)
    assert error.status_code == 200


def test_connection_failure_is_api_connection_error_without_status(mocked, sleeps):
    mocked.add(responses.GET, API + '/sites', body=requests.ConnectionError('refused'))
    error = fail(lambda: Transport(API, retries=2, sleep=sleeps.append).request('GET', 'sites'))
    assert type(error) is APIConnectionError
    assert error.status_code is None
    assert 'gave up after 3 attempts' in str(error)
    assert len(mocked.calls) == 3
    assert len(sleeps) == 2


def test_a_broken_answer_stream_is_retried_then_api_connection_error(transport, mocked):
    mocked.add(responses.GET, API + '/sites', body=requests.exceptions.ChunkedEncodingError())
    error = fail(lambda: transport.request('GET', 'sites'))
    assert type(error) is APIConnectionError
    assert len(mocked.calls) == 4


def test_other_request_failures_are_api_connection_errors_at_once(transport, mocked):
    mocked.add(responses.GET, API + '/sites', body=requests.exceptions.TooManyRedirects('loop'))
    error = fail(lambda: transport.request('GET', 'sites'))
    assert type(error) is APIConnectionError
    assert str(error) == ('GET sites: the request to api.atomx.com:443 failed '
                          '(TooManyRedirects: loop); gave up after 1 attempt')
    assert len(mocked.calls) == 1


# -- retry decisions (the waits themselves are proven against a live server) ---

@pytest.mark.parametrize('status', sorted(RETRYABLE_STATUS_CODES))
def test_idempotent_methods_retry_retryable_statuses(transport, mocked, sleeps, status):
    for method in ('GET', 'PUT', 'DELETE'):
        mocked.add(method, API + '/site/1', status=status, json={'error': 'busy'})
        mocked.add(method, API + '/site/1', json={'site': {'id': 1}})
        assert transport.request(method, 'site/1').envelope == {'site': {'id': 1}}
    assert len(mocked.calls) == 6
    assert sleeps == [0.375] * 3  # 0.5 backoff: half fixed, half jitter (0.5 drawn)


def test_post_is_never_retried(transport, mocked, sleeps):
    mocked.add(responses.POST, API + '/report', status=503, json={'error': 'busy'})
    error = fail(lambda: transport.request('POST', 'report', json={}))
    assert error.status_code == 503
    assert len(mocked.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize('status', [400, 403, 404, 409, 500, 501])
def test_other_statuses_are_not_retried(transport, mocked, sleeps, status):
    mocked.add(responses.GET, API + '/sites', status=status, json={'error': 'no'})
    assert fail(lambda: transport.request('GET', 'sites')).status_code == status
    assert len(mocked.calls) == 1


def test_backoff_doubles_with_jitter_up_to_its_maximum(mocked, sleeps):
    draws = iter([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    transport = Transport(API, retries=6, sleep=sleeps.append, jitter=lambda: next(draws))
    mocked.add(responses.GET, API + '/sites', status=503)
    fail(lambda: transport.request('GET', 'sites'))
    # ceilings 0.5, 1, 2, 4, 8, 8: each wait lies between half the ceiling and the ceiling
    assert sleeps == [0.25, 1.0, 1.0, 4.0, 4.0, 8.0]


def test_retry_after_seconds_and_http_date():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)

    def after(value):
        response = requests.Response()
        response.headers['Retry-After'] = value
        return retry_after(response, now)

    assert after('7') == 7.0
    assert after(' 1.5 ') == 1.5
    assert after(format_datetime(now + timedelta(seconds=30), usegmt=True)) == 30.0
    assert after(format_datetime(now - timedelta(seconds=30), usegmt=True)) == 0.0
    for nonsense in ('-4', 'nan', 'inf', '-inf', 'NaN'):  # as if absent: the backoff applies
        assert after(nonsense) is None
    assert after('0') == 0.0
    assert after('soon') is None
    assert after('') is None


def test_retry_after_past_the_cap_raises_instead_of_sleeping(mocked, sleeps):
    transport = Transport(API, max_wait=30, sleep=sleeps.append)
    mocked.add(responses.GET, API + '/sites', status=429, headers={'Retry-After': '3600'},
               json={'error': 'rate limited'})
    error = fail(lambda: transport.request('GET', 'sites'))
    assert type(error) is APIError
    assert error.status_code == 429
    assert 'rate limited' in str(error) and 'Retry-After asks for 3600s' in str(error)
    assert sleeps == []
    assert len(mocked.calls) == 1


# -- re-login on 401 ----------------------------------------------------------

def relogin_answer(token):
    return {'success': True, 'auth_token': token, 'user': USER}


def test_401_logs_in_again_once_and_replays(session, mocked):
    mocked.add(responses.GET, API + '/sites', status=401, json={'error': 'token expired'},
               match=[matchers.header_matcher({'Authorization': f'Bearer {TOKEN}'})])
    mocked.replace(responses.POST, API + '/login', json=relogin_answer('fresh'),
                   match=[matchers.json_params_matcher({'email': 'user@example.com',
                                                        'password': 'password'})])
    mocked.add(responses.GET, API + '/sites', json={'resource': 'sites', 'sites': [{'id': 1}]},
               match=[matchers.header_matcher({'Authorization': 'Bearer fresh'})])
    assert [site.json for site in session.get('sites')] == [{'id': 1}]
    assert [call.request.method for call in mocked.calls] == ['GET', 'POST', 'GET']
    assert session.auth_token == 'fresh'


def test_a_post_rejected_with_401_is_replayed_after_login(session, mocked):
    mocked.add(responses.POST, API + '/site', status=401, json={'error': 'token expired'})
    mocked.replace(responses.POST, API + '/login', json=relogin_answer('fresh'))
    mocked.add(responses.POST, API + '/site', json={'site': {'id': 3}},
               match=[matchers.json_params_matcher({'name': 'x'})])
    assert session.post('site', {'name': 'x'}) == {'id': 3}
    assert json.loads(mocked.calls[2].request.body) == {'name': 'x'}


def test_second_401_raises(session, mocked):
    mocked.add(responses.GET, API + '/sites', status=401, json={'error': 'not allowed'})
    mocked.replace(responses.POST, API + '/login', json=relogin_answer('fresh'))
    error = fail(lambda: session.get('sites'))
    assert type(error) is APIError
    assert error.status_code == 401
    assert 'not allowed' in str(error)
    assert [call.request.method for call in mocked.calls] == ['GET', 'POST', 'GET']


def test_relogin_with_a_changed_password_is_invalid_credentials(session, mocked):
    mocked.add(responses.GET, API + '/sites', status=401, json={'error': 'token expired'})
    mocked.replace(responses.POST, API + '/login', status=401, json={'error': 'bad password'})
    assert type(fail(lambda: session.get('sites'))) is InvalidCredentials
    assert len(mocked.calls) == 2


def test_relogin_of_a_totp_account_asks_for_a_fresh_totp(session, mocked):
    mocked.add(responses.GET, API + '/sites', status=401, json={'error': 'token expired'})
    mocked.replace(responses.POST, API + '/login',
                   json={'totp_required': True, 'auth_token': 'interim'})
    error = fail(lambda: session.get('sites'))
    assert type(error) is TotpRequiredError
    assert 'fresh TOTP' in str(error)


def test_no_relogin_after_logout(session, mocked):
    session.logout()
    mocked.add(responses.GET, API + '/sites', status=401, json={'error': 'log in first'})
    assert fail(lambda: session.get('sites')).status_code == 401
    assert len(mocked.calls) == 1
    assert 'Authorization' not in mocked.calls[0].request.headers


# -- redirects ----------------------------------------------------------------

def test_bearer_token_is_not_sent_to_another_host_on_redirect(session, mocked):
    mocked.add(responses.GET, API + '/sites', status=302,
               headers={'Location': 'https://elsewhere.example/sites'})
    mocked.add(responses.GET, 'https://elsewhere.example/sites', json={'sites': []})
    assert session.get('sites') == []
    first, second = (call.request for call in mocked.calls)
    assert first.headers['Authorization'] == f'Bearer {TOKEN}'
    assert second.url == 'https://elsewhere.example/sites'
    assert 'Authorization' not in second.headers


# -- logging ------------------------------------------------------------------

def test_debug_log_has_method_url_status_and_elapsed(session, mocked, caplog):
    mocked.add(responses.GET, API + '/sites?limit=1', json={'sites': []})
    with caplog.at_level(logging.DEBUG, logger='atomx'):
        session.get('sites', limit=1)
    record, = (r for r in caplog.records if r.name == 'atomx')
    assert record.levelno == logging.DEBUG
    message = record.getMessage()
    assert message.startswith(f'atomx: GET {API}/sites?limit=1 -> 200 in ')
    assert message.endswith('s')


def test_no_secret_in_logs_messages_or_reprs(mocked, caplog):
    password, totp, interim, token, fresh = 'pw-S3CRET', '918273', 'tok-INTERIM', 'tok-A', 'tok-B'
    secrets = (password, totp, interim, token, fresh)
    mocked.add(responses.POST, API + '/login', json={'totp_required': True,
                                                      'auth_token': interim})
    mocked.add(responses.POST, API + '/totp', json={'auth_token': token, 'user': USER})
    mocked.add(responses.GET, API + '/sites', status=401, json={'error': 'expired'})
    mocked.add(responses.POST, API + '/login', json={'auth_token': fresh, 'user': USER})
    mocked.add(responses.GET, API + '/sites', status=404, json={'error': 'gone'})
    mocked.add(responses.GET, API + '/ping', status=503, body=HTML_502)
    with caplog.at_level(logging.DEBUG):
        atomx = Atomx('user@example.com', password, totp=totp, retries=0)
        errors = [fail(lambda: atomx.get('sites')), fail(lambda: atomx.get('ping'))]
    assert atomx.auth_token == fresh  # the re-login happened
    shown = [caplog.text, repr(atomx), repr(vars(atomx)), repr(atomx._transport)]
    shown += [str(error) for error in errors] + [repr(error) for error in errors]
    assert 'atomx: GET' in caplog.text
    for text in shown:
        for secret in secrets:
            assert secret not in text


def test_the_atomx_logger_has_only_a_null_handler_and_root_is_untouched():
    handlers = logging.getLogger('atomx').handlers
    assert [type(handler) for handler in handlers] == [logging.NullHandler]
    assert not any(type(h) is logging.StreamHandler for h in logging.getLogger().handlers)


# -- large bodies are decoded with the garbage collector paused ---------------

def _decoder_seeing_gc(monkeypatch):
    """Swap in a decoder that records whether the collector was on while it ran."""
    from atomx import transport

    seen = []

    def loads(content):
        seen.append(gc.isenabled())
        return json.loads(content)

    monkeypatch.setattr(transport, '_json_loads', loads)
    return seen


def test_a_large_body_is_decoded_with_gc_paused_and_gc_comes_back(monkeypatch):
    from atomx.transport import GC_PAUSE_BYTES, decode_json

    seen = _decoder_seeing_gc(monkeypatch)
    big = json.dumps({'data': 'x' * GC_PAUSE_BYTES}).encode()
    assert decode_json(b'{"small": 1}') == {'small': 1}
    assert decode_json(big)['data'] == 'x' * GC_PAUSE_BYTES
    assert seen == [True, False]
    assert gc.isenabled()


def test_gc_stays_off_when_the_caller_had_turned_it_off(monkeypatch):
    from atomx.transport import GC_PAUSE_BYTES, decode_json

    _decoder_seeing_gc(monkeypatch)
    gc.disable()
    try:
        decode_json(json.dumps(['y' * GC_PAUSE_BYTES]).encode())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_pauses_turn_gc_on_only_when_the_last_one_ends():
    from atomx.transport import gc_paused

    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failed_decode_turns_gc_back_on():
    from atomx.transport import GC_PAUSE_BYTES, decode_json

    with pytest.raises(ValueError):
        decode_json(b'[' + b' ' * GC_PAUSE_BYTES)
    assert gc.isenabled()


@pytest.mark.parametrize('path', ['../admin', 'report/../../admin', 'site?admin=1', 'a#b',
                                  'site/%2e%2e', 'site/1/./x', ''])
def test_the_transport_keeps_the_path_rule_for_every_caller(mocked, path):
    # paging, reports and bulk build paths too: none of them can leave the prefix
    with pytest.raises(ValueError, match='resource path part'):
        Transport(API).request('GET', path)
    assert len(mocked.calls) == 0
