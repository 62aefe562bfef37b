"""The Atomx session on the wire: paths, query strings, bodies, headers, envelopes."""
import inspect
import json
import re
from unittest import mock

import pytest
import responses
from responses import matchers

from atomx import Atomx, Timeout
from atomx.exceptions import (
    APIError,
    InvalidCredentials,
    MissingArgumentError,
    TotpRequiredError,
)
from atomx.models import AtomxModel
from atomx.version import VERSION
from tests.unit.conftest import API, TOKEN, USER

BEARER = {'Authorization': f'Bearer {TOKEN}', 'User-Agent': f'atomx-python/{VERSION}'}


class Advertiser(AtomxModel):
    """A stand-in model class with a resource name (the real ones come with models)."""

    _resource_name = 'advertiser'


def sent(mocked, index=-1):
    """The request of call ``index``."""
    return mocked.calls[index].request


# -- login --------------------------------------------------------------------

def test_login_posts_email_and_password_and_keeps_token_and_user(mocked):
    mocked.add(responses.POST, API + '/login',
               match=[matchers.json_params_matcher({'email': 'user@example.com',
                                                    'password': 'secret'})],
               json={'success': True, 'auth_token': 'tok-1', 'user': USER})
    atomx = Atomx('user@example.com', 'secret')
    request = sent(mocked)
    assert request.headers['Content-Type'] == 'application/json'
    assert request.headers['User-Agent'] == f'atomx-python/{VERSION}'
    assert 'Authorization' not in request.headers
    assert atomx.auth_token == 'tok-1'
    assert atomx.user.json == USER


def test_login_sends_totp_and_expiration_when_given(mocked):
    mocked.add(responses.POST, API + '/login',
               match=[matchers.json_params_matcher({'email': 'a@b.c', 'password': 'pw',
                                                    'totp': '012345', 'expiration': 60})],
               json={'auth_token': 'tok', 'user': USER})
    assert Atomx('a@b.c', 'pw', totp='012345', expiration=60).auth_token == 'tok'


@pytest.mark.parametrize('code', [1_234_567, -12])
def test_a_totp_int_out_of_range_is_refused_without_showing_it(mocked, code):
    with pytest.raises(ValueError, match='totp must be a 6 digit code') as raised:
        Atomx('a@b.c', 'pw', totp=code)
    assert str(abs(code)) not in str(raised.value)
    assert len(mocked.calls) == 0


@pytest.mark.parametrize('typed, sent', [(12345, '012345'), (987654, '987654'), (0, '000000'),
                                         ('012345', '012345')])
def test_a_totp_int_is_sent_as_its_six_digits(mocked, typed, sent):
    mocked.add(responses.POST, API + '/login',
               match=[matchers.json_params_matcher({'email': 'a@b.c', 'password': 'pw',
                                                    'totp': sent})],
               json={'auth_token': 'tok', 'user': USER})
    assert Atomx('a@b.c', 'pw', totp=typed).auth_token == 'tok'


def test_login_401_is_invalid_credentials_with_the_api_message(mocked):
    mocked.add(responses.POST, API + '/login', status=401,
               json={'success': False, 'error': 'Wrong email or password'})
    with pytest.raises(InvalidCredentials) as info:
        Atomx('user@example.com', 'wrong-password')
    assert info.value.status_code == 401
    assert 'Wrong email or password' in str(info.value)
    assert 'wrong-password' not in str(info.value)
    assert len(mocked.calls) == 1  # a login is never retried nor re-logged in


def test_a_failed_login_closes_the_connections_of_the_new_session(mocked, monkeypatch):
    closed = []
    monkeypatch.setattr('atomx.transport.Transport.close', lambda self: closed.append(self))
    mocked.add(responses.POST, API + '/login', status=401, json={'error': 'no'})
    with pytest.raises(InvalidCredentials):
        Atomx('user@example.com', 'pw')
    assert len(closed) == 1


def test_totp_required_without_totp_raises(mocked):
    mocked.add(responses.POST, API + '/login',
               json={'success': True, 'totp_required': True, 'auth_token': 'interim'})
    with pytest.raises(TotpRequiredError) as info:
        Atomx('user@example.com', 'pw')
    assert isinstance(info.value, InvalidCredentials)
    assert len(mocked.calls) == 1


def test_totp_required_with_totp_posts_it_with_the_interim_token(mocked):
    mocked.add(responses.POST, API + '/login',
               json={'success': True, 'totp_required': True, 'auth_token': 'interim'})
    mocked.add(responses.POST, API + '/totp',
               match=[matchers.json_params_matcher({'totp': '123456'}),
                      matchers.header_matcher({'Authorization': 'Bearer interim'})],
               json={'success': True, 'auth_token': 'final', 'user': USER})
    atomx = Atomx('user@example.com', 'pw', totp='123456')
    assert json.loads(sent(mocked, 0).body)['totp'] == '123456'
    assert atomx.auth_token == 'final'
    assert atomx.user.json == USER


def test_wrong_totp_is_invalid_credentials(mocked):
    mocked.add(responses.POST, API + '/login',
               json={'totp_required': True, 'auth_token': 'interim'})
    mocked.add(responses.POST, API + '/totp', status=401, json={'error': 'invalid totp'})
    with pytest.raises(InvalidCredentials, match='invalid totp'):
        Atomx('user@example.com', 'pw', totp='000000')


@pytest.mark.parametrize('status', [401, 500])
def test_a_failed_login_keeps_no_password_in_the_error(mocked, status):
    mocked.add(responses.POST, API + '/login', status=status, json={'error': 'no'})
    with pytest.raises(APIError) as info:
        Atomx('user@example.com', 'wrong-password-9')
    request = info.value.response.request
    assert request.body is None
    assert 'wrong-password-9' not in repr(vars(info.value)) + repr(vars(request))


def test_a_refused_totp_keeps_neither_code_nor_interim_token_in_the_error(mocked):
    mocked.add(responses.POST, API + '/login',
               json={'totp_required': True, 'auth_token': 'interim-secret'})
    mocked.add(responses.POST, API + '/totp', status=401, json={'error': 'invalid totp'})
    with pytest.raises(InvalidCredentials) as info:
        Atomx('user@example.com', 'pw', totp='424242')
    request = info.value.response.request
    assert request.body is None and 'Authorization' not in request.headers
    assert 'interim-secret' not in repr(vars(request)) and '424242' not in repr(vars(request))


@pytest.mark.parametrize('status, body', [(200, '<html>maintenance</html>'), (502, ''),
                                          (200, '["not", "an", "object"]')])
def test_broken_login_answers_are_api_errors_not_invalid_credentials(mocked, status, body):
    mocked.add(responses.POST, API + '/login', status=status, body=body)
    with pytest.raises(APIError) as info:
        Atomx('user@example.com', 'pw')
    assert type(info.value) is APIError
    assert info.value.status_code == status
    assert len(mocked.calls) == 1  # POST /login is never retried


def test_login_answer_without_token_is_api_error(mocked):
    mocked.add(responses.POST, API + '/login', json={'success': True, 'user': USER})
    with pytest.raises(APIError, match='auth_token'):
        Atomx('user@example.com', 'pw')


@pytest.mark.parametrize('email, password, error', [
    ('', 'pw', MissingArgumentError),
    ('a@b.c', None, MissingArgumentError),
    (42, 'pw', TypeError),
])
def test_bad_credentials_arguments_raise_before_any_request(mocked, email, password, error):
    with pytest.raises(error):
        Atomx(email, password)
    assert len(mocked.calls) == 0


def test_logout_forgets_token_and_user(session):
    session.logout()
    assert session.auth_token is None
    assert session.user is None


# -- get ----------------------------------------------------------------------

def test_get_sends_bearer_and_user_agent_and_returns_the_payload(session, mocked):
    mocked.add(responses.GET, API + '/advertisers', match=[matchers.header_matcher(BEARER)],
               json={'success': True, 'resource': 'advertisers', 'count': 1,
                     'advertisers': [{'id': 1, 'name': 'a'}]})
    assert [a.json for a in session.get('advertisers')] == [{'id': 1, 'name': 'a'}]
    assert sent(mocked).url == API + '/advertisers'


@pytest.mark.parametrize('args', [
    ('advertiser/42/profiles',),
    ('/advertiser/', 42, 'profiles/'),
    ('advertiser', 42, 'profiles'),
    (Advertiser, 42, 'profiles'),
    (Advertiser(42), 'profiles'),
])
def test_get_joins_path_parts(session, mocked, args):
    mocked.add(responses.GET, API + '/advertiser/42/profiles',
               json={'resource': 'profiles', 'profiles': []})
    assert session.get(*args) == []
    assert sent(mocked).url == API + '/advertiser/42/profiles'


def test_get_query_string_lists_comma_joined_and_booleans_lower_case(session, mocked):
    mocked.add(responses.GET, API + '/domains', json={'resource': 'domains', 'domains': []})
    session.get('domains', hostname='*atom*', attributes=['id', 'name'], quickstats=True,
                depth=0, expand=('a', 'b'), active=False, skipped=None)
    assert sent(mocked).url == (API + '/domains?hostname=*atom*&attributes=id,name'
                                '&quickstats=true&depth=0&expand=a,b&active=false')


def test_endpoint_trailing_slash_is_optional(mocked):
    mocked.add(responses.POST, API + '/login', json={'auth_token': TOKEN, 'user': USER})
    mocked.add(responses.GET, API + '/sites', json={'resource': 'sites', 'sites': []})
    atomx = Atomx('user@example.com', 'pw', api_endpoint=API + '/')
    atomx.get('sites')
    assert [call.request.url for call in mocked.calls] == [API + '/login', API + '/sites']


# -- post, put, delete --------------------------------------------------------

def test_post_sends_json_and_returns_the_created_dict(session, mocked):
    mocked.add(responses.POST, API + '/site',
               match=[matchers.json_params_matcher({'name': 'test site', 'publisher_id': 1}),
                      matchers.header_matcher({**BEARER, 'Content-Type': 'application/json'})],
               json={'site': {'id': 15, 'name': 'test site'}, 'status': 'OK'})
    assert session.post('site', {'name': 'test site', 'publisher_id': 1}) == \
        {'id': 15, 'name': 'test site'}


def test_put_sends_json_to_resource_id_with_query(session, mocked):
    mocked.add(responses.PUT, API + '/creative/7?depth=0',
               match=[matchers.json_params_matcher({'title': 'new'}),
                      matchers.query_param_matcher({'depth': '0'}),
                      matchers.header_matcher({**BEARER, 'Content-Type': 'application/json'})],
               json={'resource': 'creative', 'creative': {'id': 7, 'title': 'new'}})
    assert session.put('creative', 7, {'title': 'new'}, depth=0) == {'id': 7, 'title': 'new'}


def test_delete_returns_the_payload_as_decoded(session, mocked):
    removed = {'creative': [7], 'profile': [3]}
    mocked.add(responses.DELETE, API + '/creative/7', match=[matchers.header_matcher(BEARER)],
               json={'success': True, 'resource': 'removed', 'removed': removed})
    assert session.delete('creative', 7) == removed
    assert sent(mocked).body is None


def test_post_and_delete_send_keyword_arguments_as_query(session, mocked):
    mocked.add(responses.POST, API + '/report?limit=10&sort=impressions.desc,clicks',
               match=[matchers.json_params_matcher({'scope': 'publisher'}),
                      matchers.query_param_matcher({'limit': '10',
                                                    'sort': 'impressions.desc,clicks'}),
                      matchers.header_matcher({**BEARER, 'Content-Type': 'application/json'})],
               json={'report': {'id': 'r1'}})
    mocked.add(responses.DELETE, API + '/creative/7?cascade=true',
               match=[matchers.query_param_matcher({'cascade': 'true'}),
                      matchers.header_matcher(BEARER)],
               json={'resource': 'removed', 'removed': {'creative': [7]}})
    assert session.post('report', {'scope': 'publisher'}, limit=10,
                        sort=['impressions.desc', 'clicks']) == {'id': 'r1'}
    assert session.delete('creative', 7, cascade=True) == {'creative': [7]}
    assert [call.request.method for call in mocked.calls] == ['POST', 'DELETE']


def test_delete_answer_without_payload_gives_its_message(session, mocked):
    mocked.add(responses.DELETE, API + '/report/abc',
               json={'success': True, 'message': 'report abc deleted'})
    assert session.delete('report', 'abc') == 'report abc deleted'


# -- bad arguments fail before any request -------------------------------------

@pytest.mark.parametrize('call, error, words', [
    (lambda s: s.get(None), TypeError, 'NoneType'),
    (lambda s: s.get('advertiser', 4.2), TypeError, 'float'),
    (lambda s: s.get('advertiser', True), TypeError, 'bool'),
    (lambda s: s.get(''), ValueError, 'empty'),
    (lambda s: s.get('/'), ValueError, 'empty'),
    (lambda s: s.get(Advertiser()), ValueError, 'has no id'),
    (lambda s: s.get(AtomxModel), ValueError, 'no resource name'),
    (lambda s: s.get('sites', filter={'a': 1}), TypeError, "'filter'"),
    (lambda s: s.put('creative', None, {}), ValueError, 'id'),
    (lambda s: s.post('site', 'name=x'), TypeError, 'json must be a dict or a list'),
    (lambda s: s.put('site', 1, None), TypeError, 'json must be a dict or a list'),
    (lambda s: s.put('site', 1, {'minimum_internal_bid': float('nan')}), ValueError,
     r"json\['minimum_internal_bid'\]"),
    (lambda s: s.post('domains', [{'name': 'a'}, {'tags': {(3, 4): 'x'}}]), ValueError,
     r"json\[1\]\['tags'\]: key \(3, 4\)"),
    (lambda s: s.post('site', {'when': object()}), ValueError, r"json\['when'\]"),
    (lambda s: s.search(''), MissingArgumentError, 'query'),
])
def test_bad_arguments_raise_before_any_request(session, mocked, call, error, words):
    with pytest.raises(error, match=words):
        call(session)
    assert len(mocked.calls) == 0


@pytest.mark.parametrize('kwargs, error', [
    ({'totp': 12.5}, TypeError), ({'totp': True}, TypeError),
    ({'totp': -1}, ValueError), ({'totp': 1_000_000}, ValueError), ({'expiration': 0}, ValueError),
    ({'expiration': '60'}, TypeError), ({'api_endpoint': 'api.atomx.com'}, ValueError),
    ({'timeout': None}, TypeError), ({'retries': -1}, ValueError),
])
def test_bad_constructor_arguments_raise_before_any_request(mocked, kwargs, error):
    with pytest.raises(error):
        Atomx('user@example.com', 'pw', **kwargs)
    assert len(mocked.calls) == 0


# -- envelopes, models, last_response -----------------------------------------

@pytest.fixture
def dispatched(monkeypatch):
    """Record the calls of ``models.from_payload`` and mark what it returns."""
    calls = []

    def from_payload(resource, payload, session):
        calls.append((resource, payload, session))
        return ('models of', resource, payload)

    monkeypatch.setattr('atomx.models.from_payload', from_payload)
    return calls


def test_get_hands_the_payload_to_from_payload_under_the_envelope_resource(session, mocked,
                                                                         dispatched):
    sites = [{'id': 5}, {'id': 6}]
    mocked.add(responses.GET, API + '/publisher/2/sites',
               json={'success': True, 'resource': 'sites', 'sites': sites, 'count': 2})
    assert session.get('publisher', 2, 'sites') == ('models of', 'sites', sites)
    assert dispatched == [('sites', sites, session)]


def test_without_resource_the_one_non_metadata_key_is_the_payload(session, mocked, dispatched):
    mocked.add(responses.GET, API + '/site/15',
               json={'site': {'id': 15}, 'status': 'OK', 'timestamp': 'now'})
    assert session.get('site', 15) == ('models of', 'site', {'id': 15})


def test_post_and_put_return_dicts_but_models_for_lists(session, mocked, dispatched):
    domains = [{'id': 1, 'hostname': 'a.com'}]
    mocked.add(responses.POST, API + '/domains', json={'resource': 'domains', 'domains': domains})
    mocked.add(responses.PUT, API + '/site/1', json={'resource': 'site', 'site': {'id': 1}})
    mocked.add(responses.PUT, API + '/domains/3?hostname=a.com',
               json={'resource': 'domains', 'domains': domains})
    assert session.post('domains', [{'hostname': 'a.com'}]) == ('models of', 'domains', domains)
    assert session.put('site', 1, {'name': 'b'}) == {'id': 1}
    assert session.put('domains', 3, {'active': True}, hostname='a.com') == \
        ('models of', 'domains', domains)
    assert dispatched == [('domains', domains, session)] * 2


def test_last_response_is_the_envelope_without_payload_plus_headers(session, mocked):
    mocked.add(responses.GET, API + '/sites?limit=2',
               json={'success': True, 'resource': 'sites', 'sites': [{'id': 1}], 'limit': 2,
                     'offset': 0, 'sort': 'id.asc', 'count': 1, 'timestamp': 't'},
               headers={'X-Request-Id': 'r-1'})
    session.get('sites', limit=2)
    last = dict(session.last_response)
    headers = last.pop('_headers')
    assert last == {'success': True, 'resource': 'sites', 'limit': 2, 'offset': 0,
                    'sort': 'id.asc', 'count': 1, 'timestamp': 't'}
    assert headers['X-Request-Id'] == 'r-1'


def test_save_response_false_keeps_nothing(mocked):
    mocked.add(responses.POST, API + '/login', json={'auth_token': TOKEN, 'user': USER})
    mocked.add(responses.GET, API + '/sites', json={'resource': 'sites', 'sites': []})
    atomx = Atomx('user@example.com', 'pw', save_response=False)
    atomx.get('sites')
    assert atomx.last_response is None


def test_get_with_envelope_returns_result_and_metadata(session, mocked):
    mocked.add(responses.GET, API + '/sites?offset=100',
               json={'resource': 'sites', 'sites': [{'id': 1}], 'count': 101, 'offset': 100})
    result, metadata = session._get_with_envelope('sites', offset=100)
    assert [site.json for site in result] == [{'id': 1}]
    assert metadata == {'resource': 'sites', 'count': 101, 'offset': 100}


# -- search, report, aliases ---------------------------------------------------

def test_search_sends_q_and_index_and_maps_every_list(session, mocked, dispatched):
    found = {'advertisers': [{'id': 1, 'name': 'atomx'}], 'campaigns': []}
    mocked.add(responses.GET, API + '/search?q=*atom*&index=advertisers,campaigns',
               match=[matchers.header_matcher(BEARER)],
               json={'success': True, 'resource': 'search', 'search': found})
    result = session.search('*atom*', index=['advertisers', 'campaigns'])
    assert result == {name: ('models of', name, value) for name, value in found.items()}
    assert sent(mocked).url == API + '/search?q=*atom*&index=advertisers,campaigns'


def test_search_without_index_sends_only_q(session, mocked):
    mocked.add(responses.GET, API + '/search?q=mini', json={'search': {'sites': []}})
    assert session.search('mini') == {'sites': []}
    assert sent(mocked).url == API + '/search?q=mini'


def test_report_passes_every_documented_parameter_by_keyword(session, monkeypatch):
    received = {}

    def build_report_request(**params):
        received.update(params)
        return {'scope': 'publisher'}, {'limit': 5}

    def post(resource, body, **query):
        received['posted'] = (resource, body, query)
        return {'id': 'r1'}

    monkeypatch.setattr('atomx.report_query.build_report_request', build_report_request)
    monkeypatch.setattr(session, 'post', post)
    report = session.report(scope='publisher', groups=['hour'], limit=5)
    assert (report.id, report.session) == ('r1', session)
    assert received.pop('posted') == ('report', {'scope': 'publisher'}, {'limit': 5})
    assert received.pop('now') is not None
    documented = list(inspect.signature(Atomx.report).parameters)[1:]
    assert documented == ['scope', 'groups', 'metrics', 'where', 'from_', 'to', 'daterange',
                          'timezone', 'emails', 'when', 'interval', 'name', 'sort', 'limit',
                          'offset', 'save', 'editable']
    assert received.pop('user') is session.user
    assert received == {'scope': 'publisher', 'groups': ['hour'], 'metrics': None,
                        'where': None, 'from_': None, 'to': None, 'daterange': None,
                        'timezone': 'UTC', 'emails': None, 'when': None, 'interval': None,
                        'name': None, 'sort': None, 'limit': 5, 'offset': None,
                        'save': True, 'editable': False}


@pytest.mark.parametrize('alias, method', [('save', 'save'), ('create', 'create'),
                                           ('remove', 'delete')])
def test_model_aliases_call_the_model_with_the_session(session, mocked, alias, method):
    model = mock.Mock(spec=['save', 'create', 'delete'])
    assert getattr(session, alias)(model) is getattr(model, method).return_value
    getattr(model, method).assert_called_once_with(session)
    assert len(mocked.calls) == 0


# -- repr, from_env, context manager -------------------------------------------

def test_repr_shows_endpoint_and_email_only(session, mocked):
    assert repr(session) == f"<Atomx endpoint='{API}' user='user@example.com'>"
    assert "'password'" not in repr(vars(session)) and TOKEN not in repr(vars(session))
    assert len(mocked.calls) == 0
    session.logout()
    assert repr(session) == f"<Atomx endpoint='{API}' user=None>"


def test_from_env_reads_the_four_variables(mocked, monkeypatch):
    endpoint = 'https://sandbox.api.atomx.com/v3'
    monkeypatch.setenv('ATOMX_EMAIL', 'env@example.com')
    monkeypatch.setenv('ATOMX_PASSWORD', 'env-pw')
    monkeypatch.setenv('ATOMX_TOTP', '654321')
    monkeypatch.setenv('ATOMX_API_ENDPOINT', endpoint)
    mocked.add(responses.POST, endpoint + '/login',
               match=[matchers.json_params_matcher({'email': 'env@example.com',
                                                    'password': 'env-pw', 'totp': '654321'})],
               json={'auth_token': 'env-token', 'user': USER})
    atomx = Atomx.from_env(retries=0)
    assert atomx.auth_token == 'env-token'
    assert atomx.api_endpoint == endpoint


def test_from_env_defaults_endpoint_and_totp(mocked):
    mocked.add(responses.POST, API + '/login',
               match=[matchers.json_params_matcher({'email': 'e@x.com', 'password': 'p'})],
               json={'auth_token': 't', 'user': USER})
    atomx = Atomx.from_env({'ATOMX_EMAIL': 'e@x.com', 'ATOMX_PASSWORD': 'p', 'ATOMX_TOTP': ''})
    assert atomx.api_endpoint == API


def test_from_env_reads_timeout_and_retries_and_arguments_win(mocked):
    mocked.add(responses.POST, API + '/login', json={'auth_token': 't', 'user': USER})
    environ = {'ATOMX_EMAIL': 'e@x.com', 'ATOMX_PASSWORD': 'p', 'ATOMX_TIMEOUT': '5,60',
               'ATOMX_RETRIES': '0'}
    atomx = Atomx.from_env(environ)
    assert (atomx._transport.timeout, atomx._transport.retries) == (Timeout(5, 60), 0)
    atomx = Atomx.from_env({**environ, 'ATOMX_TIMEOUT': '7,8,9'}, retries=2)
    assert (atomx._transport.timeout, atomx._transport.retries) == (Timeout(7, 8, 9), 2)


@pytest.mark.parametrize('variable, value', [
    ('ATOMX_TIMEOUT', 'soon'), ('ATOMX_TIMEOUT', '-1'), ('ATOMX_TIMEOUT', '1,2,3,4'),
    ('ATOMX_RETRIES', '1.5'), ('ATOMX_RETRIES', '-1')])
def test_from_env_refuses_a_bad_timeout_or_retries_before_any_request(mocked, variable, value):
    environ = {'ATOMX_EMAIL': 'e@x.com', 'ATOMX_PASSWORD': 'p', variable: value}
    with pytest.raises(ValueError, match=f'environment variable {variable}: {value!r} is not'):
        Atomx.from_env(environ)
    assert len(mocked.calls) == 0


@pytest.mark.parametrize('environ, missing', [
    ({'ATOMX_PASSWORD': 'p'}, 'ATOMX_EMAIL'),
    ({'ATOMX_EMAIL': 'e@x.com'}, 'ATOMX_PASSWORD'),
    ({'ATOMX_EMAIL': 'e@x.com', 'ATOMX_PASSWORD': ''}, 'ATOMX_PASSWORD'),
])
def test_from_env_names_the_missing_variable(mocked, environ, missing):
    with pytest.raises(MissingArgumentError, match=missing):
        Atomx.from_env(environ)
    assert len(mocked.calls) == 0


def test_context_manager_closes_the_connections(session, monkeypatch):
    closed = []
    monkeypatch.setattr(session._transport.http, 'close', lambda: closed.append(True))
    with session as entered:
        assert entered is session
    assert closed == [True]


# -- the documented numeric URL parameters ---------------------------------------------

@pytest.mark.parametrize('params, words', [
    ({'limit': 'ten'}, "limit='ten' is not allowed: limit is a whole number, 0 or more"),
    ({'offset': -1}, 'offset=-1 is not allowed'),
    ({'limit': 1.5}, 'limit=1.5 is not allowed'),
    ({'limit': True}, 'limit=True is not allowed'),
    ({'depth': 3}, 'depth=3 is not allowed: depth is 0, 1 or 2'),
    ({'depth': 'full'}, "depth='full' is not allowed"),
    # what the API (and the sandbox) answers with a 400: spaces, other digits, 19 digits
    ({'limit': ' 10'}, "limit=' 10' is not allowed: limit is a whole number, 0 or more, of at "
                       "most 18 ASCII digits"),
    ({'offset': '10\n'}, "offset='10\\n' is not allowed"),
    ({'offset': '\u0661\u0662'}, "offset='\u0661\u0662' is not allowed"),
    ({'offset': '1' * 19}, f"offset='{'1' * 19}' is not allowed"),
    ({'offset': 10 ** 18}, f'offset={10 ** 18} is not allowed'),
    ({'depth': ' 1'}, "depth=' 1' is not allowed"),
])
def test_numeric_url_parameters_are_checked_before_any_request(session, mocked, params, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        session.get('advertisers', **params)
    assert len(mocked.calls) == 0


def test_numeric_url_parameters_as_ints_or_digits_are_sent(session, mocked):
    mocked.add(responses.GET, API + '/advertisers', json={'success': True,
               'resource': 'advertisers', 'advertisers': []},
               match=[matchers.query_string_matcher('limit=10&offset=0&depth=2')])
    assert session.get('advertisers', limit='10', offset=0, depth=2) == []
    most = 10 ** 18 - 1  # 18 digits, as an int or as a str
    mocked.add(responses.GET, API + '/advertisers', json={'success': True,
               'resource': 'advertisers', 'advertisers': []},
               match=[matchers.query_string_matcher(f'limit=0&offset={most}')])
    assert session.get('advertisers', limit='0', offset=most) == []
    assert session.get('advertisers', limit=0, offset=str(most)) == []
