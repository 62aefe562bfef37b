"""A POST or PUT body checked against the model: types, references, server fields."""
from __future__ import annotations

import pytest

from atomx.sandbox.answers import ApiError
from atomx.sandbox.changes import prepare
from atomx.sandbox.seed import build_state
from atomx.sandbox.store import Store


@pytest.fixture(scope='module')
def store():
    return Store(build_state())


def test_types_follow_the_defaults(store):
    current = store.get('Campaign', 1)
    assert prepare(store, 'Campaign', {'budget': 5}, current) == {'budget': 5.0}
    assert prepare(store, 'Campaign', {'start_time': '2026-01-01T00:00:00'}, current) == {
        'start_time': '2026-01-01T00:00:00'}
    assert prepare(store, 'Campaign', {'frequency_cap': None}, current) == {'frequency_cap': None}
    for body, message in (({'frequency_cap': True}, 'must be a whole number'),
                          ({'frequency_cap': 1.5}, 'must be a whole number'),
                          ({'name': 7}, 'must be text'),
                          ({'budget': '12'}, 'must be a number'),
                          ({'start_time': ['x']}, 'must be text or a number')):
        with pytest.raises(ApiError, match=message) as raised:
            prepare(store, 'Campaign', body, current)
        assert raised.value.status == 422


def test_references_in_every_form(store):
    current = store.get('Campaign', 1)
    for value in (2, '2', {'id': 2, 'name': 'Blue Ocean Travel'}):
        assert prepare(store, 'Campaign', {'advertiser': value}, current) == {'advertiser_id': 2}
    assert prepare(store, 'Campaign', {'creatives': [{'id': 1}, 2]}, current) == {
        'creatives': [1, 2]}
    assert prepare(store, 'Campaign', {'creatives': None}, current) == {'creatives': []}
    with pytest.raises(ApiError, match='creative 999 does not exist'):
        prepare(store, 'Campaign', {'creatives': [999]}, current)
    with pytest.raises(ApiError, match='must be a list of creative ids'):
        prepare(store, 'Campaign', {'creatives': 3}, current)


def test_server_fields_are_ignored_and_computed_lists_accepted_unchanged(store):
    advertiser = store.get('Advertiser', 42)
    body = {'id': 42, 'created_at': 'x', 'updated_at': 'y', 'quickstats': {},
            'profiles': [15, 14, 13, 12, 11], 'name': 'Same'}
    assert prepare(store, 'Advertiser', body, advertiser) == {'name': 'Same'}


def test_creating_needs_the_required_fields(store):
    with pytest.raises(ApiError, match='a new placement needs name, site_id, publisher_id'):
        prepare(store, 'Placement', {})
    assert prepare(store, 'Domain', {'hostname': 'new.example'}) == {
        'hostname': 'new.example', 'name': 'new.example'}


def test_every_enumerated_default_is_one_of_its_allowed_values():
    from atomx import protocol
    from atomx.sandbox import schema

    checked = 0
    for model in schema.FIELDS:
        for field, default in schema.fields(model).items():
            allowed = schema.allowed_values(field)
            if allowed is not None:
                assert default in allowed, (model, field, default)
                checked += 1
    assert checked >= 15
    assert (schema.allowed_values('state'), schema.allowed_values('networks_filter_action'),
            schema.allowed_values('name')) == (protocol.STATES, protocol.FILTER_ACTIONS, None)
