"""Each URL parameter of api-endpoints.txt, sent as keyword arguments of ``atomx.get``:
what the SDK encodes (lists, booleans, ``!`` names) the sandbox must read as documented."""
from __future__ import annotations

import pytest

from atomx.models import Advertiser, Category, Country, Domain
from atomx.testing import atomx_session  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.integration


def ids(models):
    return [model.id for model in models]


def test_limit_default_maximum_and_count(atomx_session):  # noqa: F811
    atomx_session.get('domains', limit=1)
    seeded = atomx_session.last_response['count']
    created = atomx_session.post('domains', [{'hostname': f'bulk{n:03}.example'}
                                             for n in range(120)])
    total = seeded + len(created)
    assert total > 150
    assert len(atomx_session.get('domains')) == 100
    meta = atomx_session.last_response
    assert (meta['limit'], meta['count']) == (100, total)
    assert len(atomx_session.get('domains', limit=5000)) == total
    assert atomx_session.last_response['limit'] == 1000
    assert len(atomx_session.get('domains', limit=7)) == 7


def test_offset(atomx_session):  # noqa: F811
    everything = ids(atomx_session.get('advertisers'))
    assert everything == [1, 2, 3, 4, 5, 23, 42]
    assert ids(atomx_session.get('advertisers', offset=2, limit=3)) == everything[2:5]
    assert atomx_session.last_response['offset'] == 2


def test_sort_asc_desc_bare_and_sub_attribute(atomx_session):  # noqa: F811
    assert ids(atomx_session.get('advertisers', sort='id.desc')) == [42, 23, 5, 4, 3, 2, 1]
    ascending = [a.name for a in atomx_session.get('advertisers', sort='name.asc')]
    assert ascending == sorted(ascending, key=str.lower)
    assert [a.name for a in atomx_session.get('advertisers', sort='name')] == ascending[::-1]
    assert atomx_session.last_response['sort'] == 'name.desc'
    creatives = atomx_session.get('creatives', sort='category.name.asc', depth=2, limit=1000)
    names = [creative.category.name for creative in creatives]
    assert all(isinstance(c.category, Category) for c in creatives)
    assert names == sorted(names) and len(set(names)) > 2


def test_sort_by_relationship_count_and_quickstats(atomx_session):  # noqa: F811
    top = atomx_session.get('publishers', sort='sites.desc', limit=5)
    counts = [len(publisher.sites) for publisher in top]
    assert len(top) == 5 and counts == sorted(counts, reverse=True) and counts[0] == 2
    campaigns = atomx_session.get('campaigns', quickstats=True,
                                  sort='quickstats.lifetime.clicks.asc', limit=1000)
    clicks = [campaign.quickstats['lifetime']['clicks'] for campaign in campaigns]
    assert clicks == sorted(clicks) and len(set(clicks)) > 3


def test_depth_0_1_2(atomx_session):  # noqa: F811
    shallow = atomx_session.get('profile', 11, depth=0)
    assert 'advertiser' not in shallow.json and 'countries' not in shallow.json
    assert shallow.advertiser_id == 42
    default = atomx_session.get('profile', 11)
    assert default.json['advertiser'] == 42  # an id, turned into a model on read
    assert default.advertiser.name == 'Answer Media'
    deep = atomx_session.get('profile', 11, depth=2)
    assert deep.json['advertiser']['name'] == 'Answer Media'  # already expanded
    assert [type(c) for c in deep.countries] == [Country] * len(default.json['countries'])
    assert ids(deep.countries) == default.json['countries']


def test_attributes_include_and_exclude(atomx_session):  # noqa: F811
    sites = atomx_session.get('sites', attributes=['id', 'name'])
    assert sites and all(set(site.json) == {'id', 'name'} for site in sites)
    advertiser = atomx_session.get('advertiser', 3, attributes=['!creatives', '!campaigns'])
    assert not {'creatives', 'campaigns'} & set(advertiser.json)
    assert {'id', 'name', 'profiles', 'budget'} <= set(advertiser.json)
    assert ids(advertiser.creatives) == [7, 8, 9]  # left out, so lazy loaded


def test_expand(atomx_session):  # noqa: F811
    sites = atomx_session.get('sites', expand='domain')
    mininova = next(site for site in sites if site.name == 'Mininova.org')
    assert mininova.json['domain']['hostname'] == 'mininova.org'
    assert isinstance(mininova.domain, Domain)
    assert isinstance(mininova.json['publisher'], int)  # not expanded
    both = atomx_session.get('site', 1, expand=['domain', 'publisher'])
    assert isinstance(both.json['domain'], dict) and isinstance(both.json['publisher'], dict)


def test_quickstats_parameter_and_attribute(atomx_session):  # noqa: F811
    assert all('quickstats' not in p.json for p in atomx_session.get('publishers'))
    with_stats = atomx_session.get('publishers', quickstats=True)
    assert all(set(p.json['quickstats']) == {'today', 'yesterday', 'last7days', 'lifetime'}
               for p in with_stats)
    advertiser = atomx_session.get('advertiser', 3, quickstats=True)
    only = atomx_session.get('advertiser', 3, 'quickstats')
    assert atomx_session.last_response['resource'] == 'quickstats'
    assert only == advertiser.quickstats and isinstance(only, dict)


def test_filters_comma_lists_wildcards_and_negation(atomx_session):  # noqa: F811
    assert ids(atomx_session.get('advertisers', id=[1, 42])) == [1, 42]
    assert ids(atomx_session.get('advertisers', **{'!id': [1, 42]})) == [2, 3, 4, 5, 23]
    mx = atomx_session.get('domains', hostname='*.mx')
    assert mx and all(domain.hostname.endswith('.mx') for domain in mx)
    assert atomx_session.last_response['filter'] == ['hostname=*.mx']
    answer = atomx_session.get('advertisers', name='answer*')
    assert [type(a) for a in answer] == [Advertiser] and answer[0].id == 42
    not_atom = atomx_session.get('domains', **{'!hostname': '*atom*'}, limit=1000)
    assert not_atom and not any('atom' in domain.hostname for domain in not_atom)
    assert len(not_atom) + 26 == len(atomx_session.get('domains', limit=1000))
    assert ids(atomx_session.get('profiles', advertiser=42)) == [11, 12, 13, 14, 15]


def test_read_only_models_need_no_token(atomx_session):  # noqa: F811
    countries = atomx_session.get('countries', code=['AT', 'MX'])
    assert [(c.name, c.code) for c in countries] == [('Austria', 'AT'), ('Mexico', 'MX')]
