"""The Atomx session on the wire: paths, query strings, bodies, headers, envelopes."""
import json

import pytest
import responses
from responses import matchers

from atomx import Atomx
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
    assert atomx.user == USER  # a plain dict until the models land


def test_login_sends_totp_and_expiration_when_given(mocked):
    mocked.add(responses.POST, API + '/login',
               match=[matchers.json_params_matcher({'email': 'a@b.c', 'password': 'pw',
                                                    'totp': '012345', 'expiration': 60})],
               json={'auth_token': 'tok', 'user': USER})
    assert Atomx('a@b.c', 'pw', totp='012345', expiration=60).auth_token == 'tok'


def test_login_401_is_invalid_credentials_with_the_api_message(mocked):
    mocked.add(responses.POST, API + '/login', status=401,
               json={'success': False, 'error': 'Wrong email or password'})
    with pytest.raises(InvalidCredentials) as info:
        Atomx('user@example.com', 'wrong-password')
    assert info.value.status_code == 401
    assert 'Wrong email or password' in str(info.value)
    assert 'wrong-password' not in str(info.value)
    assert len(mocked.calls) == 1  # a login is never retried nor re-logged in


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
    assert atomx.user == USER


def test_wrong_totp_is_invalid_credentials(mocked):
    mocked.add(responses.POST, API + '/login',
               json={'totp_required': True, 'auth_token': 'interim'})
    mocked.add(responses.POST, API + '/totp', status=401, json={'error': 'invalid totp'})
    with pytest.raises(InvalidCredentials, match='invalid totp'):
        Atomx('user@example.com', 'pw', totp='000000')


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
    assert session.get('advertisers') == [{'id': 1, 'name': 'a'}]
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
