"""Login, tokens and their expiry, TOTP, rights, password reset and change."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sandbox_client import Client

from atomx.sandbox import TOTP_SECRET, auth
from atomx.sandbox.auth import totp_code

pytestmark = pytest.mark.integration


def test_login_by_get_with_url_parameters(anonymous):
    answer = anonymous.get('login', params={'email': 'demo@example.com', 'password': 'demo'})
    assert answer.status_code == 200 and answer.json()['user']['id'] == 1


def test_login_by_id(anonymous):
    answer = anonymous.post('login', json={'id': 2, 'password': 'advertiser'})
    assert answer.status_code == 200
    assert answer.json()['user']['advertisers'] == [42]


def test_wrong_credentials_are_401(anonymous, error_of):
    wrong = anonymous.post('login', json={'email': 'demo@example.com', 'password': 'nope'})
    assert error_of(wrong, 401) == 'wrong email (or id) or password'
    stranger = anonymous.post('login', json={'email': 'who@example.com', 'password': 'demo'})
    assert error_of(stranger, 401) == 'wrong email (or id) or password'
    assert 'login needs' in error_of(anonymous.post('login', json={'email': 'x'}), 400)


def test_no_token_bad_token_and_read_only_models(anonymous, error_of):
    assert error_of(anonymous.get('sites'), 401).startswith('authentication required')
    anonymous.headers['Authorization'] = 'Bearer not-a-token'
    assert error_of(anonymous.get('sites'), 401).startswith('invalid auth token')
    del anonymous.headers['Authorization']
    for model in ('countries', 'browsers', 'operating_systems', 'languages', 'sizes',
                  'timezones', 'categories'):
        answer = anonymous.get(model)
        assert answer.status_code == 200, (model, answer.text)
        assert answer.json()['count'] >= 3
    assert anonymous.get('country/1').json()['country']['code'] == 'AT'


def test_token_expires_after_expiration_seconds(sandbox, error_of, pass_time):
    client = Client(sandbox.url)
    client.login(sandbox.email, sandbox.password, expiration=1)
    assert client.get('sites').status_code == 200
    pass_time(0.9)
    assert client.get('sites').status_code == 200  # not yet
    pass_time(0.3)
    assert error_of(client.get('sites'), 401) == 'auth token expired: log in again at /login'
    client.login(sandbox.email, sandbox.password)  # logging in again works
    assert client.get('sites').status_code == 200
    assert 'expiration' in error_of(
        client.post('login', json={'email': sandbox.email, 'password': 'demo',
                                   'expiration': 'soon'}), 400)


def test_totp_in_the_login_body_answers_the_token_at_once(anonymous, error_of):
    # the original atomx 1.7 client's form: one POST /login, token and user in its answer
    done = anonymous.post('login', json={'email': 'totp@example.com', 'password': 'totp',
                                         'totp': totp_code(TOTP_SECRET)})
    assert done.status_code == 200, done.text
    body = done.json()
    assert 'totp_required' not in body
    assert body['user']['email'] == 'totp@example.com'
    real = {'Authorization': 'Bearer ' + body['auth_token']}
    assert anonymous.get('sites', headers=real).status_code == 200


def test_a_totp_int_in_the_login_body_is_read_as_its_six_digits(anonymous, monkeypatch):
    # a moment whose code starts with 0, so that the int has fewer than six digits
    moment = next(at for at in range(1_800_000_000, 1_800_100_000, 30)
                  if totp_code(TOTP_SECRET, at).startswith('0'))
    monkeypatch.setattr(auth, 'time', SimpleNamespace(time=lambda: moment))
    code = int(totp_code(TOTP_SECRET, moment))
    assert len(str(code)) < 6
    done = anonymous.post('login', json={'email': 'totp@example.com', 'password': 'totp',
                                         'totp': code})
    assert done.status_code == 200, done.text
    assert done.json()['user']['email'] == 'totp@example.com'


@pytest.mark.parametrize('wrong', ['000000', 'abcdef'])
def test_a_wrong_totp_in_the_login_body_is_refused(anonymous, error_of, wrong):
    if wrong == totp_code(TOTP_SECRET):
        wrong = '999999'
    answer = anonymous.post('login', json={'email': 'totp@example.com', 'password': 'totp',
                                           'totp': wrong})
    assert error_of(answer, 401) == 'wrong TOTP code'


def test_totp_login_without_a_code_goes_through_post_totp(anonymous, error_of):
    first = anonymous.post('login', json={'email': 'totp@example.com', 'password': 'totp'})
    assert first.status_code == 200
    body = first.json()
    assert body['totp_required'] is True and 'user' not in body
    interim = {'Authorization': 'Bearer ' + body['auth_token']}
    # the interim token opens nothing but /totp
    assert 'only opens POST /totp' in error_of(anonymous.get('sites', headers=interim), 401)
    assert error_of(anonymous.post('totp', json={'totp': '000000'}, headers=interim), 401) == \
        'wrong TOTP code'
    done = anonymous.post('totp', json={'totp': totp_code(TOTP_SECRET)}, headers=interim)
    assert done.status_code == 200, done.text
    assert done.json()['user']['email'] == 'totp@example.com'
    real = {'Authorization': 'Bearer ' + done.json()['auth_token']}
    assert anonymous.get('sites', headers=real).status_code == 200
    # used once: the interim token is gone
    error_of(anonymous.post('totp', json={'totp': totp_code(TOTP_SECRET)}, headers=interim), 401)


def test_totp_needs_the_interim_token(api, error_of):
    assert 'interim token' in error_of(api.post('totp', json={'totp': '123456'}), 401)


def test_advertiser_user_sees_only_its_advertiser(advertiser_api, error_of):
    advertisers = advertiser_api.get('advertisers').json()['advertisers']
    assert [a['id'] for a in advertisers] == [42]
    profiles = advertiser_api.get('profiles').json()
    assert profiles['count'] == 5
    error_of(advertiser_api.get('advertiser/1'), 403)
    error_of(advertiser_api.get('publishers/23'), 403)
    assert advertiser_api.get('publishers').json()['publishers'] == []
    created = advertiser_api.post('profile', json={'name': 'mine', 'advertiser_id': 42})
    assert created.status_code == 200
    error_of(advertiser_api.post('profile', json={'name': 'theirs', 'advertiser_id': 1}), 403)
    assert advertiser_api.put('advertiser/42', json={'budget': 5.0}).status_code == 200
    error_of(advertiser_api.put('advertiser/1', json={'budget': 5.0}), 403)
    error_of(advertiser_api.put('profile/11', json={'advertiser_id': 1}), 403)  # giving away
    assert 'network users' in error_of(advertiser_api.put('user/2', json={'networks': [1]}), 403)


def test_publisher_user_sees_only_its_publisher(publisher_api, error_of):
    assert [p['id'] for p in publisher_api.get('publishers').json()['publishers']] == [23]
    sites = publisher_api.get('sites').json()['sites']
    assert sites and {site['publisher'] for site in sites} == {23}
    error_of(publisher_api.get('advertisers/42'), 403)
    assert publisher_api.get('networks').json()['networks'] == []


def test_reset_password_by_mail_hash(sandbox, anonymous, error_of):
    sent = anonymous.get('reset_password', params={'email': 'publisher@example.com'})
    assert sent.status_code == 200 and sent.json()['success'] is True
    unknown = anonymous.get('reset_password', params={'email': 'nobody@example.com'})
    assert unknown.json()['message'].startswith('if nobody@example.com belongs to a user')
    mail = sandbox.outbox[-1]
    assert mail['to'] == 'publisher@example.com' and len(sandbox.outbox) == 1
    assert 'unknown or expired' in error_of(
        anonymous.post('reset_password', json={'hash': 'guess', 'password': 'x'}), 400)
    changed = anonymous.post('reset_password', json={'hash': mail['hash'], 'password': 'fresh'})
    assert changed.status_code == 200, changed.text
    assert anonymous.post('login', json={'email': 'publisher@example.com',
                                         'password': 'fresh'}).status_code == 200
    error_of(anonymous.post('login', json={'email': 'publisher@example.com',
                                           'password': 'publisher'}), 401)
    error_of(anonymous.post('reset_password', json={'hash': mail['hash'], 'password': 'y'}), 400)


def test_logged_in_user_changes_its_password(api, anonymous, error_of):
    wrong = api.post('user/1', json={'old_password': 'nope', 'password': 'better'})
    assert error_of(wrong, 403) == 'old_password is missing or wrong'
    ok = api.post('user/1', json={'old_password': 'demo', 'password': 'better'})
    assert ok.status_code == 200 and 'password' not in ok.json()['user']
    assert anonymous.post('login', json={'email': 'demo@example.com',
                                         'password': 'better'}).status_code == 200
    assert 'its own user' in error_of(
        api.post('user/2', json={'old_password': 'advertiser', 'password': 'x'}), 403)


@pytest.mark.parametrize('email, password, extra, status', [
    ('demo@example.com', 'demo', {'bogus': 1}, 400),
    ('advertiser@example.com', 'advertiser', {'networks': [1]}, 403),
], ids=['unknown attribute', 'rights field of a non-network user'])
def test_a_refused_password_change_leaves_the_password(sandbox, anonymous, error_of, email,
                                                       password, extra, status):
    client = Client(sandbox.url)
    user_id = client.login(email, password)['user']['id']
    refused = client.put(f'user/{user_id}',
                         json={'old_password': password, 'password': 'new one', **extra})
    error_of(refused, status)
    for tried, answer in ((password, 200), ('new one', 401)):
        assert anonymous.post('login', json={'email': email, 'password': tried}).status_code \
            == answer
