"""The demo data and the store's bookkeeping, without a server."""
from __future__ import annotations

import pytest

from atomx.names import MODEL_NAMES
from atomx.sandbox import schema
from atomx.sandbox.delivery import all_lines, lines_for
from atomx.sandbox.seed import build_state
from atomx.sandbox.store import Store

USER = {'id': 1, 'name': 'Demo network user', 'email': 'demo@example.com'}


@pytest.fixture
def store():
    return Store(build_state())


def test_seed_is_deterministic():
    assert build_state() == build_state()


@pytest.mark.parametrize('model', MODEL_NAMES)
def test_every_model_has_a_few_entries_with_valid_references(store, model):
    records = store.all(model)
    assert len(records) >= 3
    for record in records:
        for attribute, rel in schema.relations(model).items():
            if isinstance(rel, schema.One) and record[f'{attribute}_id'] is not None:
                assert store.get(rel.target, record[f'{attribute}_id']), (model, attribute)
            if isinstance(rel, schema.Many):
                assert all(store.get(rel.target, i) for i in record[attribute])


def test_documented_examples_have_their_data(store):
    assert len(store.reverse('Profile', 'advertiser', 42)) == 5
    assert store.get('Publisher', 23) is not None
    assert sum('atom' in d['hostname'] for d in store.all('Domain')) > 20
    assert [d['hostname'] for d in store.all('Domain') if d['hostname'] == 'mininova.org']


def test_insert_update_and_history(store):
    created = store.insert('Site', {'name': 'new', 'publisher_id': 1}, USER)
    assert 'placements' not in created  # computed from the placements, never stored
    assert created['networks'] == [] and created['domain_id'] is None
    store.update('Site', created['id'], {'name': 'new', 'state': 'INACTIVE'}, USER)
    entries = store.history_of('Site', created['id'])
    assert entries[0]['history']['name'] == 'new'
    assert entries[1]['history'] == {'state': 'INACTIVE'}  # unchanged name not logged
    assert entries[1]['user'] == USER
    store.update('Site', created['id'], {'state': 'INACTIVE'}, USER)
    assert len(store.history_of('Site', created['id'])) == 2  # no change, no entry


def test_remove_cascades_clears_references_and_never_reuses_ids(store):
    newest = store.insert('Advertiser', {'name': 'last', 'network_id': 1}, USER)
    removed = store.remove('Advertiser', newest['id'], USER)
    assert removed == {'advertiser': [newest['id']]}
    again = store.insert('Advertiser', {'name': 'again', 'network_id': 1}, USER)
    assert again['id'] == newest['id'] + 1
    domain = store.get('Site', 3)['domain_id']
    removed = store.remove('Domain', domain, USER)
    assert removed == {'domain': [domain]} and store.get('Site', 3)['domain_id'] is None
    removed = store.remove('Country', 1, USER)
    assert removed['city'] == [1] and removed['zipcode'] == [1]
    assert all(1 not in p['countries'] for p in store.all('Profile'))


def test_delivery_lines_cover_every_publisher_and_follow_rights(store):
    lines = all_lines(store)
    assert 30 <= len(lines) <= 100
    assert {line['publisher_id'] for line in lines} == {p['id'] for p in store.all('Publisher')}
    assert all(set(line) == {'network_id', 'advertiser_id', 'campaign_id', 'creative_id',
                             'profile_id', 'publisher_id', 'site_id', 'placement_id',
                             'country_id', 'size_id'} for line in lines)
    advertiser = lines_for(store, store.get('User', 2))
    assert advertiser and {line['advertiser_id'] for line in advertiser} == {42}
    publisher = lines_for(store, store.get('User', 3))
    assert publisher and {line['publisher_id'] for line in publisher} == {23}


@pytest.mark.parametrize('content', ['{not json', '[]', '{"format": 99}'])
def test_a_foreign_data_file_is_refused_with_its_name(tmp_path, content):
    path = tmp_path / 'state.json'
    path.write_text(content)
    with pytest.raises(ValueError, match='state.json is not a sandbox data file'):
        Store.open(str(path), build_state)
