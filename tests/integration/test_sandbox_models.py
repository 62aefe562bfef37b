"""The model endpoints: every model readable, and create, change, delete with their errors."""
from __future__ import annotations

import pytest
from sandbox_client import Client

from atomx.names import MODEL_NAMES, plural, resource_path, snake_case
from atomx.sandbox import Sandbox, schema

pytestmark = pytest.mark.integration


@pytest.fixture(scope='module')
def reader():
    """One logged-in client for the read-only checks of this module."""
    with Sandbox() as sandbox:
        client = Client(sandbox.url)
        client.login(sandbox.email, sandbox.password)
        yield client


@pytest.mark.parametrize('model', MODEL_NAMES)
def test_every_model_lists_and_reads_by_id_in_every_spelling(reader, model):
    api = reader
    singular, kebab = snake_case(model), resource_path(model)
    answer = api.get(plural(singular))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body['resource'] == plural(singular)
    items = body[plural(singular)]
    assert len(items) >= 3 and body['count'] == len(items)
    first = items[0]['id']
    for path in (f'{singular}/{first}', f'{kebab}/{first}', f'{kebab.upper()}/{first}/'):
        one = api.get(path)
        assert one.status_code == 200, (path, one.text)
        assert one.json()['resource'] == singular
        assert one.json()[singular]['id'] == first


def test_relationship_attribute_lists_related_objects(api):
    answer = api.get('advertiser/42/profiles').json()
    assert answer['resource'] == 'profiles' and answer['count'] == 5
    assert {profile['advertiser'] for profile in answer['profiles']} == {42}
    network = api.get('advertiser/42/network').json()
    assert network['resource'] == 'network' and network['network']['id'] == 1
    name = api.get('advertiser/42/name').json()
    assert (name['resource'], name['name']) == ('name', 'Answer Media')


def test_missing_records_attributes_and_models(api, error_of):
    assert error_of(api.get('advertiser/999'), 404) == 'advertiser 999 not found'
    assert "'colour'" in error_of(api.get('advertiser/42/colour'), 404)
    assert error_of(api.get('spaceships'), 404).startswith("unknown model 'spaceships'")
    assert 'ids are whole numbers' in error_of(api.get('advertiser/abc'), 400)
    assert 'the API lives under /v3/' in error_of(api.get(api.url[:-3] + '/v2/sites'), 404)
    assert 'websocket?auth_token=' in error_of(api.get('websocket'), 401)  # see test_sandbox_live


def test_methods_not_allowed_are_405(api, error_of):
    assert error_of(api.delete('sites'), 405) == (
        'DELETE is not allowed on /v3/sites; allowed: GET, POST, PUT')
    assert error_of(api.delete('login'), 405).endswith('allowed: GET, POST')
    assert error_of(api.post('site/1'), 405).startswith('POST /site/1 is not allowed')
    assert error_of(api.post('advertisers_list', json={}), 405).endswith('allowed: GET')


def test_bad_json_and_non_object_bodies_are_400(api, error_of):
    bad = api.post('site', data='{"name": ', headers={'Content-Type': 'application/json'})
    assert error_of(bad, 400).startswith('the request body is not valid JSON')
    assert 'JSON object' in error_of(api.put('site/1', json=[1, 2]), 400)


def test_create_validates_attributes_types_and_references(api, error_of):
    unknown = error_of(api.post('site', json={'name': 'x', 'publisher_id': 1, 'colour': 1}), 400)
    assert unknown.startswith("site has no attribute 'colour'")
    missing = error_of(api.post('profile', json={'name': 'no advertiser'}), 422)
    assert missing == 'a new profile needs advertiser_id'
    wrong_type = error_of(api.post('campaign', json={'name': 'c', 'advertiser_id': 1,
                                                     'budget': 'lots'}), 422)
    assert wrong_type == "campaign.budget must be a number, got 'lots'"
    dangling = error_of(api.post('profile', json={'name': 'p', 'advertiser_id': 777}), 422)
    assert dangling == 'profile.advertiser_id: advertiser 777 does not exist'


def test_create_profile_like_the_docs(api):
    # Profile(advertiser_id=23, name='test profile').create(atomx)
    created = api.post('profile', json={'advertiser_id': 23, 'name': 'test profile'}).json()
    assert created['resource'] == 'profile'
    profile = created['profile']
    assert (profile['advertiser'], profile['name']) == (23, 'test profile')
    assert profile['id'] in api.get('advertiser/23').json()['advertiser']['profiles']


def test_required_references_cannot_be_emptied(api, error_of):
    message = error_of(api.put('profile/11', json={'advertiser': None}), 422)
    assert message == 'profile needs advertiser_id: it cannot be emptied'
    assert api.put('site/1', json={'domain': None}).json()['site']['domain'] is None


def test_update_changes_only_what_is_sent(api):
    before = api.get('creative/1').json()['creative']
    answer = api.put('creative/1', json={'title': 'shiny new title'}).json()
    assert answer['resource'] == 'creative'
    after = answer['creative']
    assert after['title'] == 'shiny new title'
    assert {k: v for k, v in after.items() if k not in ('title', 'updated_at')} == {
        k: v for k, v in before.items() if k not in ('title', 'updated_at')}
    assert api.get('creative/1').json()['creative']['title'] == 'shiny new title'


def test_update_accepts_what_a_get_returned(api):
    profile = api.get('profile/11').json()['profile']
    profile['click_frequency_cap_per'] = 86400
    answer = api.put('profile/11', json=profile)
    assert answer.status_code == 200, answer.text
    assert answer.json()['profile']['click_frequency_cap_per'] == 86400


def test_computed_relationships_cannot_be_rewritten(api, error_of):
    message = error_of(api.put('advertiser/42', json={'profiles': [1]}), 422)
    assert 'set advertiser_id on the profile records instead' in message


def test_put_attribute_sets_one_value(api):
    assert api.put('site/1/name', json='Renamed').json()['site']['name'] == 'Renamed'
    assert api.put('site/1/name', json={'name': 'Again'}).json()['site']['name'] == 'Again'


def test_put_with_a_filter_needs_exactly_one_match(api, error_of):
    many = error_of(api.put('domains', params={'hostname': '*atom*'}, json={'state': 'X'}), 400)
    assert 'matches 26 entries' in many
    assert error_of(api.put('domains', params={'hostname': 'nope.example'}, json={}), 404) == (
        'no domain matches hostname=nope.example')
    assert 'filter' in error_of(api.put('domains', json={'state': 'X'}), 400)


def test_delete_answers_the_removed_ids_by_model(api, error_of):
    answer = api.delete('publisher/2')
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body['resource'] == 'deleted'
    removed = body['deleted']
    assert removed['publisher'] == [2]
    assert removed['site'] == [3]  # Mininova.org cannot live without its publisher
    assert len(removed['placement']) == 2 and len(removed['fallback']) == 2
    error_of(api.get('site/3'), 404)
    assert api.get('domains', params={'hostname': 'mininova.org'}).json()['count'] == 1


def test_read_only_models_cannot_be_changed(api, error_of):
    assert error_of(api.post('country', json={'name': 'Atlantis'}), 403) == (
        'country is a read-only model')
    error_of(api.delete('browser/1'), 403)


def test_history_records_every_change(api):
    api.put('creative/2', json={'title': 'first'})
    api.put('creative/2', json={'title': 'second', 'state': 'INACTIVE'})
    for path in ('creative/2/history', 'history/creative/2'):
        answer = api.get(path).json()
        assert answer['resource'] == 'history'
        entries = answer['history']
        assert len(entries) == 3 and entries[0]['history']['name']  # the creation first
        assert entries[1]['history'] == {'title': 'first'}
        assert entries[2]['history'] == {'title': 'second', 'state': 'INACTIVE'}
        assert entries[2]['user'] == {'id': 1, 'name': 'Demo network user',
                                      'email': 'demo@example.com'}
    newest = api.get('creative/2/history', params={'sort': 'date.desc', 'limit': 1}).json()
    assert [entry['history'] for entry in newest['history']] == [
        {'title': 'second', 'state': 'INACTIVE'}]
    skipped = api.get('creative/2/history', params={'offset': 1, 'limit': 1}).json()['history']
    assert skipped[0]['history'] == {'title': 'first'}


def test_history_of_created_and_deleted_records(api, error_of):
    site = api.post('site', json={'name': 'short-lived', 'publisher_id': 1}).json()['site']
    api.delete(f'site/{site["id"]}')
    entries = api.get(f'site/{site["id"]}/history').json()['history']
    assert entries[0]['history']['name'] == 'short-lived'
    assert entries[-1]['history'] == {'deleted': True}
    assert 'never existed' in error_of(api.get('site/9999/history'), 404)
    assert 'date.asc or date.desc' in error_of(
        api.get('site/1/history', params={'sort': 'name.asc'}), 400)


WRITABLE = [model for model in MODEL_NAMES if model not in schema.READ_ONLY_MODELS]
READ_ONLY = sorted(schema.READ_ONLY_MODELS)


def _copy_of(record):
    """A body for a new record like ``record`` (a depth=0 read), with its unique fields changed."""
    body = {key: value for key, value in record.items()
            if key not in ('id', 'created_at', 'updated_at')}
    for key, value in (('name', 'copy'), ('hostname', 'copy.example'),
                       ('email', 'copy@example.com')):
        if key in body:
            body[key] = value
    return body


@pytest.mark.parametrize('model', WRITABLE)
def test_every_writable_model_is_created_changed_and_deleted_by_both_paths(api, model):
    singular, many = snake_case(model), plural(snake_case(model))
    template = api.get(many, params={'depth': 0, 'limit': 1}).json()[many][0]
    changed = 'hostname' if 'hostname' in template and 'name' not in template else 'name'
    for create, change, remove in ((many, singular, many), (singular, many, singular)):
        created = api.post(create, json=_copy_of(template))
        assert created.status_code == 200, (create, created.text)
        assert created.json()['resource'] == singular
        rid = created.json()[singular]['id']
        assert api.get(f'{many}/{rid}').json()[singular][changed] == _copy_of(template)[changed]
        value = f'renamed-{rid}.example' if changed == 'hostname' else f'renamed {rid}'
        answer = api.put(f'{change}/{rid}', json={changed: value})
        assert answer.status_code == 200, (change, answer.text)
        assert (answer.json()['resource'], answer.json()[singular][changed]) == (singular, value)
        assert api.get(f'{singular}/{rid}').json()[singular][changed] == value
        gone = api.delete(f'{remove}/{rid}')
        assert gone.status_code == 200, (remove, gone.text)
        assert gone.json()['resource'] == 'deleted' and rid in gone.json()['deleted'][singular]
        assert api.get(f'{singular}/{rid}').status_code == 404


@pytest.mark.parametrize('model', READ_ONLY)
def test_every_read_only_model_refuses_changes_on_both_paths(api, model, error_of):
    singular, many = snake_case(model), plural(snake_case(model))
    first = api.get(many).json()[many][0]['id']
    for path in (singular, many):
        assert error_of(api.post(path, json={'name': 'x'}), 403) == (
            f'{singular} is a read-only model')
        error_of(api.put(f'{path}/{first}', json={'name': 'x'}), 403)
        error_of(api.delete(f'{path}/{first}'), 403)
    assert api.get(f'{singular}/{first}').status_code == 200


@pytest.mark.parametrize('path, body, words', [
    ('advertiser/42', {'state': 'BOGUS'},
     "advertiser.state must be one of ACTIVE, INACTIVE, got 'BOGUS'"),
    ('advertiser/42', {'state': 'active'},
     "advertiser.state must be one of ACTIVE, INACTIVE, got 'active'"),
    ('site/1', {'networks_filter_action': 'MAYBE'},
     "site.networks_filter_action must be one of INCLUDE, EXCLUDE, got 'MAYBE'"),
    ('profile/1', {'countries_filter_action': 'NONE'},
     "profile.countries_filter_action must be one of INCLUDE, EXCLUDE, got 'NONE'"),
])
def test_enumerated_fields_take_only_their_values(api, error_of, path, body, words):
    assert error_of(api.put(path, json=body), 422) == words
    name = next(iter(body))
    assert api.get(path).json()[path.split('/')[0]][name] != body[name]  # nothing was saved


def test_enumerated_fields_take_their_values_in_put_and_post(api, error_of):
    assert api.put('advertiser/42', json={'state': 'INACTIVE'}).json()['advertiser'][
        'state'] == 'INACTIVE'
    assert api.put('site/1', json={'advertisers_filter_action': 'INCLUDE'}).json()['site'][
        'advertisers_filter_action'] == 'INCLUDE'
    refused = api.post('advertiser', json={'name': 'x', 'network_id': 1, 'state': 'PAUSED'})
    assert 'advertiser.state must be one of ACTIVE, INACTIVE' in error_of(refused, 422)
