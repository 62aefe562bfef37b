"""``/search`` and the ``*_list`` endpoints."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

DEFAULT_INDEXES = {'advertisers', 'campaigns', 'creatives', 'placements', 'publishers', 'sites'}


def test_search_without_wildcards_finds_names_containing_the_word(api):
    found = api.get('search', params={'q': 'atomx'}).json()
    assert (found['success'], found['resource']) == (True, 'search')
    assert set(found['search']) == DEFAULT_INDEXES
    campaigns = found['search']['campaigns']
    assert [c['name'] for c in campaigns] == ['Atomx Labs Atomx launch', 'Atomx Labs campaign 2']
    assert set(campaigns[0]) == {'id', 'name'}
    assert [a['name'] for a in found['search']['advertisers']] == ['Atomx Labs']


def test_search_wildcards_match_whole_names(api):
    starts = api.get('search', params={'q': 'atom*'}).json()['search']
    assert {site['name'] for site in starts['sites']} == {'Atomic Tech Blog', 'Atom Travel Diary'}
    assert api.get('search', params={'q': 'tech'}).json()['search']['sites'] == [
        {'id': 4, 'name': 'Atomic Tech Blog'}]
    assert api.get('search', params={'q': 'tech*'}).json()['search']['sites'] == []


def test_search_index_selects_and_adds_domains(api, error_of):
    found = api.get('search', params={'q': '*atom*', 'index': 'campaigns,domains'}).json()
    assert set(found['search']) == {'campaigns', 'domains'}
    assert len(found['search']['domains']) == 26
    assert 'unknown search index' in error_of(
        api.get('search', params={'q': 'x', 'index': 'planets'}), 400)
    assert 'needs a q' in error_of(api.get('search'), 400)


def test_search_respects_rights(advertiser_api):
    found = advertiser_api.get('search', params={'q': '*'}).json()['search']
    assert [a['id'] for a in found['advertisers']] == [42]
    assert found['publishers'] == [] and found['sites'] == []


@pytest.mark.parametrize('name,model', [('networks_list', 'networks'),
                                        ('publishers_list', 'publishers'),
                                        ('advertisers_list', 'advertisers'),
                                        ('sites_list', 'sites'),
                                        ('placements_list', 'placements')])
def test_id_and_name_lists(api, name, model):
    listed = api.get(name).json()
    assert listed['resource'] == name
    full = api.get(model, params={'attributes': 'id,name', 'limit': 1000}).json()[model]
    assert listed[name] == full and listed['count'] == len(full) >= 3


def test_lists_respect_rights(publisher_api):
    assert publisher_api.get('publishers_list').json()['publishers_list'] == [
        {'id': 23, 'name': 'Publisher Twenty-Three'}]
    assert publisher_api.get('advertisers_list').json()['advertisers_list'] == []
