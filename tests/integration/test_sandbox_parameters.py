"""Each URL parameter of the endpoints document, with its exact semantics."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def ids(answer, resource):
    assert answer.status_code == 200, answer.text
    return [item['id'] for item in answer.json()[resource]]


@pytest.fixture
def many_domains(api):
    """160-odd domains: more than the default limit."""
    answer = api.post('domains', json=[{'hostname': f'bulk{n:03}.example'} for n in range(130)])
    assert answer.status_code == 200, answer.text
    assert answer.json()['resource'] == 'domains' and len(answer.json()['domains']) == 130
    return api.get('domains', params={'limit': 1}).json()['count']


def test_limit_defaults_to_100_and_stops_at_1000(api, many_domains):
    assert many_domains > 150
    default = api.get('domains').json()
    assert (default['limit'], len(default['domains']), default['count']) == (
        100, 100, many_domains)
    capped = api.get('domains', params={'limit': 5000}).json()
    assert (capped['limit'], len(capped['domains'])) == (1000, many_domains)
    assert len(api.get('domains', params={'limit': 7}).json()['domains']) == 7


def test_offset_skips_entries(api):
    everything = ids(api.get('advertisers'), 'advertisers')
    assert ids(api.get('advertisers', params={'offset': 2, 'limit': 3}), 'advertisers') == \
        everything[2:5]
    assert api.get('advertisers', params={'offset': 2}).json()['offset'] == 2


def test_sort_default_asc_desc_and_bare_attribute(api):
    assert ids(api.get('advertisers'), 'advertisers') == [1, 2, 3, 4, 5, 23, 42]
    assert ids(api.get('advertisers', params={'sort': 'id.desc'}), 'advertisers') == \
        [42, 23, 5, 4, 3, 2, 1]
    names = [a['name'] for a in api.get('advertisers', params={'sort': 'name.asc'}).json()[
        'advertisers']]
    assert names == sorted(names, key=str.lower)
    bare = api.get('advertisers', params={'sort': 'name'}).json()
    # "sort: attribute to sort by in descending order" unless .asc is appended
    assert bare['sort'] == 'name.desc'
    assert [a['name'] for a in bare['advertisers']] == names[::-1]


def test_order_by_is_another_name_for_sort(api):
    answer = api.get('advertiser/42/profiles', params={'order_by': 'updated_at.desc'}).json()
    stamps = [profile['updated_at'] for profile in answer['profiles']]
    assert answer['sort'] == 'updated_at.desc' and len(stamps) == 5
    assert stamps == sorted(stamps, reverse=True)
    assert all(profile['advertiser'] == 42 for profile in answer['profiles'])


def test_sort_by_sub_attribute(api):
    creatives = api.get('creatives', params={'sort': 'category.name.asc', 'limit': 1000,
                                             'depth': 2}).json()['creatives']
    names = [creative['category']['name'] for creative in creatives]
    assert names == sorted(names) and len(set(names)) > 2


def test_sort_by_relationship_counts(api):
    publishers = api.get('publishers', params={'sort': 'sites.desc', 'limit': 5}).json()
    counts = [len(publisher['sites']) for publisher in publishers['publishers']]
    assert counts == sorted(counts, reverse=True)
    api.post('site', json={'name': 'one more', 'publisher_id': 4})
    api.post('site', json={'name': 'and another', 'publisher_id': 4})
    top = api.get('publishers', params={'sort': 'sites.desc', 'limit': 1}).json()['publishers']
    assert top[0]['id'] == 4 and len(top[0]['sites']) == 3


def test_sort_by_quickstats(api):
    answer = api.get('campaigns', params={'quickstats': '', 'limit': 1000,
                                          'sort': 'quickstats.lifetime.clicks.asc'}).json()
    clicks = [campaign['quickstats']['lifetime']['clicks'] for campaign in answer['campaigns']]
    assert clicks == sorted(clicks) and len(set(clicks)) > 3


@pytest.mark.parametrize('sort', ['nothing.asc', 'id.sideways.up', '.asc'])
def test_sort_by_unknown_attribute_is_a_400(api, sort, error_of):
    message = error_of(api.get('advertisers', params={'sort': sort}), 400)
    assert 'sort' in message


def test_depth_0_1_2(api, error_of):
    shallow = api.get('profile/11', params={'depth': 0}).json()['profile']
    assert 'advertiser' not in shallow and 'countries' not in shallow
    assert shallow['advertiser_id'] == 42
    default = api.get('profile/11').json()['profile']
    assert default['advertiser'] == 42 and all(isinstance(i, int) for i in default['countries'])
    deep = api.get('profile/11', params={'depth': 2}).json()['profile']
    assert deep['advertiser']['id'] == 42 and deep['advertiser']['name'] == 'Answer Media'
    assert isinstance(deep['advertiser']['profiles'], list)  # one level down: ids again
    assert all(isinstance(i, int) for i in deep['advertiser']['profiles'])
    assert [country['id'] for country in deep['countries']] == default['countries']
    advertiser = api.get('advertiser/42').json()['advertiser']
    assert advertiser['profiles'] == [11, 12, 13, 14, 15]
    message = error_of(api.get('profile/11', params={'depth': 3}), 400)
    assert message.startswith('URL parameter depth')


def test_attributes_include_and_exclude(api, error_of):
    sites = api.get('sites', params={'attributes': 'id,name'}).json()['sites']
    assert sites and all(set(site) == {'id', 'name'} for site in sites)
    advertiser = api.get('advertiser/3', params={'attributes': '!creatives,!campaigns'}).json()[
        'advertiser']
    assert 'creatives' not in advertiser and 'campaigns' not in advertiser
    assert {'id', 'name', 'profiles', 'budget'} <= set(advertiser)
    message = error_of(api.get('sites', params={'attributes': 'id,colour'}), 400)
    assert "'colour'" in message


def test_expand_one_attribute(api, error_of):
    sites = api.get('sites', params={'expand': 'domain'}).json()['sites']
    mininova = next(site for site in sites if site['name'] == 'Mininova.org')
    assert mininova['domain']['hostname'] == 'mininova.org'
    assert isinstance(mininova['publisher'], int)  # not expanded
    deeper = api.get('site/1', params={'depth': 2, 'expand': 'publisher'}).json()['site']
    assert isinstance(deeper['publisher']['sites'][0], dict)  # one level more than depth 2
    assert isinstance(deeper['placements'][0]['site'], int)
    assert 'not a relationship' in error_of(api.get('sites', params={'expand': 'name'}), 400)


def test_quickstats_parameter_and_attribute(api):
    plain = api.get('publishers').json()['publishers']
    assert all('quickstats' not in publisher for publisher in plain)
    stats = api.get('publishers', params={'quickstats': ''}).json()['publishers']
    assert all(set(p['quickstats']) == {'today', 'yesterday', 'last7days', 'lifetime'}
               for p in stats)
    advertiser = api.get('advertiser/3', params={'quickstats': 'true'}).json()['advertiser']
    only = api.get('advertiser/3/quickstats').json()
    assert only['resource'] == 'quickstats' and only['quickstats'] == advertiser['quickstats']
    lifetime = only['quickstats']['lifetime']
    assert lifetime['conversions'] <= lifetime['clicks'] <= lifetime['impressions']


def test_filters_comma_lists_wildcards_and_negation(api):
    atom = api.get('domains', params={'hostname': '*atom*', 'limit': 20}).json()
    assert len(atom['domains']) == 20 and atom['count'] > 20
    assert all('atom' in domain['hostname'] for domain in atom['domains'])
    assert atom['filter'] == ['hostname=*atom*']
    by_name = api.get('domains', params={'name': '*atom*'}).json()['count']
    assert by_name == atom['count']
    both = api.get('advertisers', params={'id': '1,42'}).json()['advertisers']
    assert [a['id'] for a in both] == [1, 42]
    negated = api.get('advertisers', params={'!id': '1,42'}).json()['advertisers']
    assert [a['id'] for a in negated] == [2, 3, 4, 5, 23]
    by_relation = api.get('profiles', params={'advertiser': '42'}).json()['profiles']
    assert [p['id'] for p in by_relation] == [11, 12, 13, 14, 15]
    lower = api.get('advertisers', params={'name': 'answer*'}).json()['advertisers']
    assert [a['id'] for a in lower] == [42]


def test_unknown_parameter_is_a_400_that_names_it(api, error_of):
    message = error_of(api.get('sites', params={'colour': 'blue'}), 400)
    assert "unknown URL parameter 'colour'" in message and 'limit' in message


@pytest.mark.parametrize('params', [{'limit': 'ten'}, {'offset': '-1'}, {'limit': '1', 'sort': ''}])
def test_bad_numbers_are_400(api, params, error_of):
    answer = api.get('sites', params=params)
    if params.get('sort') == '':
        assert answer.status_code == 200  # an empty sort is the default
    else:
        name = next(iter(params))
        assert error_of(answer, 400).startswith(f'{name}: expected a whole number >= 0, got')


@pytest.mark.parametrize('value', ['+5', ' 5', '5 ', '1_000', '\u0663', '-0', '9' * 19])
def test_lists_history_and_report_pages_read_offset_by_one_rule(api, error_of, value):
    # the endpoints document the same "number of entries to skip" for each of them:
    # ASCII digits only, at most 18 of them, and the same refusal everywhere
    report = api.post('report', json={'scope': 'network_managed', 'groups': ['day'],
                                      'metrics': ['clicks'], 'daterange': 'last7days'})
    assert report.status_code == 200, report.text
    expected = f'offset: expected a whole number >= 0, got {value!r}'
    for path in ('sites', 'campaign/1/history', f"report/{report.json()['report']['id']}"):
        assert error_of(api.get(path, params={'offset': value}), 400) == expected, path
        assert error_of(api.get(path, params={'limit': value}), 400).startswith('limit: '), path


def test_lists_and_history_take_a_limit_of_0_and_18_digits(api):
    for path, resource in (('sites', 'sites'), ('campaign/1/history', 'history')):
        empty = api.get(path, params={'limit': '0', 'offset': '9' * 18})
        assert empty.status_code == 200, empty.text
        assert (empty.json()[resource], empty.json()['offset']) == ([], int('9' * 18))


@pytest.mark.parametrize('method, path, kwargs, status, words', [
    ('GET', 'campaign/\u00b2', {}, 400, "'\u00b2' is not a record id"),
    ('GET', 'campaign/1/history', {'params': {'limit': '\u00b2'}}, 400,
     "limit: expected a whole number >= 0, got '\u00b2'"),
    ('GET', 'campaign/1/history', {'params': {'offset': '\u00b9'}}, 400,
     "offset: expected a whole number >= 0, got '\u00b9'"),
    ('PUT', 'campaign/1', {'json': {'advertiser_id': '\u00b2'}}, 422,
     'campaign.advertiser_id must be the id of a advertiser'),
    ('PUT', 'campaign/1', {'json': {'advertiser_id': '\u0664\u0662'}}, 422,  # Arabic 42
     'campaign.advertiser_id must be the id of a advertiser'),
    ('POST', 'login', {'json': {'email': 'demo@example.com', 'password': 'demo',
                                'expiration': '\u00b2'}}, 400,
     'expiration must be a positive number of seconds'),
])
def test_digits_other_than_ascii_are_refused_as_bad_input_not_a_500(api, error_of, method,
                                                                    path, kwargs, status, words):
    # str.isdigit() takes superscripts, which int() refuses, and Arabic digits, which it
    # takes: either way the answer is the usual refusal, never an internal error
    assert words in error_of(api.request(method, path, **kwargs), status)
