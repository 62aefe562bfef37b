"""Lazy loading over the wire: attributes that are not loaded, ids of related
models, and the errors that say why an attribute cannot be had."""
import copy
import pickle

import pytest
import responses
from responses import matchers

from atomx.exceptions import APIError
from atomx.models import Advertiser, Creative, Placement, Profile, Site, from_payload

API = 'https://api.atomx.com/v3'
BEARER = matchers.header_matcher({'Authorization': 'Bearer unit-test-token'})


def requested(mocked):
    """(method, url) of every request the mock saw."""
    return [(call.request.method, call.request.url) for call in mocked.calls]


def test_get_returns_models_bound_to_the_session(session, mocked):
    mocked.add(responses.GET, API + '/Creatives?limit=10', match=[BEARER], json={
        'success': True, 'resource': 'creatives',
        'creatives': [{'id': 1, 'title': 'a'}, {'id': 2, 'title': 'b'}]})
    mocked.add(responses.GET, API + '/publisher/23', match=[BEARER],
               json={'resource': 'publisher', 'publisher': {'id': 23, 'name': 'p'}})
    creatives = session.get('Creatives', limit=10)
    publisher = session.get('publisher', 23)
    assert [(type(c), c.id, c.title) for c in creatives] == [(Creative, 1, 'a'),
                                                           (Creative, 2, 'b')]
    assert all(c.session is session for c in creatives)
    assert type(publisher).__name__ == 'Publisher' and publisher.session is session
    assert session.user.email == 'user@example.com'  # the login's user is a User model
    assert type(session.user).__name__ == 'User'


def test_search_results_are_models(session, mocked):
    mocked.add(responses.GET, API + '/search?q=atomx', json={
        'search': {'campaigns': [{'id': 4, 'name': 'atomx'}], 'advertisers': []}})
    found = session.search('atomx')
    assert type(found['campaigns'][0]).__name__ == 'Campaign'
    assert found['campaigns'][0].name == 'atomx' and found['advertisers'] == []


def test_an_attribute_not_loaded_is_fetched_once_then_kept(session, mocked):
    mocked.add(responses.GET, API + '/creative/3/quickstats', match=[BEARER], json={
        'resource': 'quickstats', 'quickstats': {'lifetime': {'clicks': 12}}})
    creative = Creative(3, session)
    assert creative.quickstats == {'lifetime': {'clicks': 12}}
    assert creative.quickstats['lifetime']['clicks'] == 12
    assert requested(mocked) == [('GET', API + '/creative/3/quickstats')]
    assert creative._changed_names() == []  # loading is no change


def test_a_related_id_is_loaded_as_a_model(session, mocked):
    mocked.add(responses.GET, API + '/advertiser/42/profiles', json={
        'resource': 'profiles', 'profiles': [{'id': 5, 'name': 'p', 'advertiser': 42}]})
    mocked.add(responses.GET, API + '/profile/5/advertiser', match=[BEARER], json={
        'resource': 'advertiser', 'advertiser': {'id': 42, 'name': 'adv'}})
    profiles = session.get('advertiser/42/profiles')
    advertiser = profiles[0].advertiser
    assert type(advertiser) is Advertiser and advertiser.name == 'adv'
    assert advertiser.session is session
    assert profiles[0].advertiser is advertiser
    assert requested(mocked) == [('GET', API + '/advertiser/42/profiles'),
                                 ('GET', API + '/profile/5/advertiser')]
    assert profiles[0]._changed_names() == []


def test_a_list_of_related_ids_is_loaded_as_models(session, mocked):
    mocked.add(responses.GET, API + '/site/6/placements', match=[BEARER], json={
        'resource': 'placements', 'placements': [{'id': 1, 'name': 'a'}, {'id': 2, 'name': 'b'}]})
    site = Site(6, session)
    site._attributes['placements'] = [1, 2]  # as a depth=1 answer holds them
    placements = site.placements
    assert [(type(p), p.id, p.name) for p in placements] == [(Placement, 1, 'a'),
                                                             (Placement, 2, 'b')]
    assert site.placements is placements
    assert len(mocked.calls) == 1
    assert site.json['placements'] == [{'id': 1, 'name': 'a'}, {'id': 2, 'name': 'b'}]


def test_a_related_id_of_0_means_none_and_is_not_requested(session, mocked):
    site = from_payload('site', {'id': 5, 'domain': 0, 'domain_id': 0}, session)
    assert site.domain == 0
    assert len(mocked.calls) == 0


def test_a_posted_list_comes_back_as_models(session, mocked):
    mocked.add(responses.POST, API + '/domains', match=[
        BEARER, matchers.json_params_matcher([{'hostname': 'a.com'}, {'hostname': 'b.com'}])],
        json={'resource': 'domains', 'domains': [{'id': 1, 'hostname': 'a.com'},
                                                 {'id': 2, 'hostname': 'b.com'}]})
    domains = session.post('domains', [{'hostname': 'a.com'}, {'hostname': 'b.com'}])
    assert [(type(d).__name__, d.id, d.hostname) for d in domains] == [
        ('Domain', 1, 'a.com'), ('Domain', 2, 'b.com')]
    assert all(d.session is session for d in domains)


def test_nested_objects_need_no_request(session, mocked):
    mocked.add(responses.GET, API + '/profile/5?depth=2', json={'resource': 'profile', 'profile': {
        'id': 5, 'advertiser': {'id': 42, 'name': 'adv'}, 'domains': [{'id': 7, 'hostname': 'x'}]}})
    profile = session.get('profile', 5, depth=2)
    assert profile.advertiser.name == 'adv'
    assert [d.hostname for d in profile.domains] == ['x']
    assert len(mocked.calls) == 1


def test_a_failed_load_keeps_the_ids_and_says_why(session, mocked):
    mocked.add(responses.GET, API + '/profile/5/advertiser', status=500,
               json={'success': False, 'error': 'database is down'})
    profile = Profile(5, session)
    profile._attributes['advertiser'] = 42
    with pytest.raises(AttributeError) as caught:
        _ = profile.advertiser
    message = str(caught.value)
    assert 'GET profile/5/advertiser' in message and 'database is down' in message
    assert isinstance(caught.value.__cause__, APIError)
    assert caught.value.__cause__.status_code == 500
    assert len(mocked.calls) == 1  # one request per read, not one more from a fallback
    assert profile.json['advertiser'] == 42  # the id is still there
    mocked.replace(responses.GET, API + '/profile/5/advertiser',
                   json={'resource': 'advertiser', 'advertiser': {'id': 42, 'name': 'back'}})
    assert profile.advertiser.name == 'back'  # and the next read tries again


def test_an_unknown_attribute_is_an_attribute_error_so_hasattr_works(session, mocked):
    mocked.add(responses.GET, API + '/site/6/nmae', status=404,
               json={'success': False, 'error': 'no attribute nmae'})
    site = Site(6, session, name='s')
    assert not hasattr(site, 'nmae')
    assert getattr(site, 'nmae', 'default') == 'default'
    assert requested(mocked) == [('GET', API + '/site/6/nmae')] * 2  # a failure is not kept


@pytest.mark.parametrize('model, reason', [
    (Site(name='new'), 'no id'),
    (Site(6), 'no atomx.Atomx session'),
])
def test_without_id_or_session_nothing_is_requested(mocked, model, reason):
    with pytest.raises(AttributeError, match=reason):
        _ = model.budget
    assert len(mocked.calls) == 0


@pytest.mark.parametrize('name', ['', '..', 'a/b', 'a b', 'quickstats?depth=2'])
def test_a_name_that_is_no_identifier_never_requests_another_path(session, mocked, name):
    site = Site(6, session)
    assert not hasattr(site, name)
    with pytest.raises(AttributeError, match='not a name the API can have'):
        getattr(site, name)
    assert len(mocked.calls) == 0


def test_underscore_names_never_request(session, mocked):
    site = Site(6, session)
    assert not hasattr(site, '_ipython_canary_method_should_not_exist_')
    assert not hasattr(site, '__html__')
    copy.copy(site)
    pickle.loads(pickle.dumps(site))
    assert len(mocked.calls) == 0


def test_base_model_cannot_load(session, mocked):
    from atomx.models import AtomxModel
    with pytest.raises(AttributeError, match='no API resource'):
        _ = AtomxModel(1, session).name
    assert len(mocked.calls) == 0


@pytest.mark.parametrize('name', ['budget', 'advertiser'])
def test_reads_after_a_first_read_of_the_name_still_load_once(session, mocked, name):
    # the first read of a name on any model speeds up later reads of that name;
    # loading and failing must behave the same before and after
    warm = from_payload('campaign', {'id': 1, name: {'id': 2}}, session)
    assert getattr(warm, name) is not None
    mocked.add(responses.GET, API + f'/campaign/7/{name}', status=500,
               json={'success': False, 'error': 'busy'})
    mocked.add(responses.GET, API + f'/campaign/8/{name}',
               json={'resource': name, name: {'id': 3, 'name': 'loaded'}})
    failing = from_payload('campaign', {'id': 7, 'advertiser': 5}, session)
    with pytest.raises(AttributeError, match='busy'):
        getattr(failing, name)
    loading = from_payload('campaign', {'id': 8, 'advertiser': 5}, session)
    first, second = getattr(loading, name), getattr(loading, name)
    assert first is second
    assert requested(mocked) == [('GET', API + f'/campaign/7/{name}'),
                                 ('GET', API + f'/campaign/8/{name}')]


def test_dir_lists_only_this_models_attributes(session):
    from_payload('site', {'id': 1, 'only_on_site': 1}, session).only_on_site  # noqa: B018
    names = dir(from_payload('site', {'id': 2, 'name': 'x'}, session))
    assert 'name' in names and 'only_on_site' not in names
