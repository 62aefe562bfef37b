"""The examples and special endpoints of api-endpoints.txt, reached through the SDK's
documented verbs (get/post/put/delete/search), against a real sandbox."""
from __future__ import annotations

from datetime import datetime

import pytest

from atomx import Atomx
from atomx.exceptions import APIError
from atomx.models import Advertiser, Network, Placement, Publisher, Site, User
from atomx.testing import atomx_session  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.integration


def test_login_gives_the_documented_user_and_a_token(sandbox):
    atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url)
    user = atomx.user
    assert isinstance(user, User)
    assert (user.id, user.email, user.name, user.state) == (
        1, 'demo@example.com', 'Demo network user', 'ACTIVE')
    assert isinstance(user.created_at, datetime) and isinstance(user.updated_at, datetime)
    assert [network.id for network in user.networks] == [1]  # lazy: the user's Network models
    assert isinstance(user.networks[0], Network)


def test_get_all_sites(atomx_session):  # noqa: F811
    sites = atomx_session.get('sites')
    meta = atomx_session.last_response
    assert (meta['success'], meta['resource'], meta['sort'], meta['filter']) == (
        True, 'sites', 'id.asc', [])
    assert meta['count'] == len(sites) == 9 and 'sites' not in meta
    assert meta['_headers']['Content-Type'] == 'application/json; charset=UTF-8'
    mininova = next(site for site in sites if site.name == 'Mininova.org')
    assert isinstance(mininova, Site) and mininova.publisher_id == 2
    assert isinstance(mininova.publisher, Publisher) and mininova.publisher.name == 'Mininova'
    assert mininova.domain.hostname == 'mininova.org'
    assert isinstance(mininova.minimum_internal_bid, float)


def test_post_a_new_site_then_put_and_delete_it(atomx_session):  # noqa: F811
    site = atomx_session.post('site', {'name': 'test site', 'publisher_id': '1'})
    assert isinstance(site, dict) and site['name'] == 'test site' and site['publisher_id'] == 1
    assert atomx_session.last_response['resource'] == 'site'
    assert atomx_session.get('site', site['id']).publisher.id == 1
    changed = atomx_session.put('site', site['id'], {'name': 'renamed site'})
    assert changed['id'] == site['id'] and changed['name'] == 'renamed site'
    assert atomx_session.get(Site(site['id'])).name == 'renamed site'
    assert atomx_session.delete('site', site['id']) == {'site': [site['id']]}
    with pytest.raises(APIError) as raised:
        atomx_session.get('site', site['id'])
    assert raised.value.status_code == 404


def test_post_a_list_of_domains_gives_models(atomx_session):  # noqa: F811
    created = atomx_session.post('domains', [{'hostname': 'one.example'},
                                             {'hostname': 'two.example'}])
    assert [type(d).__name__ for d in created] == ['Domain', 'Domain']
    assert [d.hostname for d in created] == ['one.example', 'two.example']
    assert [d.id for d in atomx_session.get('domains', hostname='*.example,one.example')
            if d.hostname in ('one.example', 'two.example')] == [d.id for d in created]


def test_get_an_attribute_of_a_model(atomx_session):  # noqa: F811
    placements = atomx_session.get('site', 1, 'placements')
    assert [type(p) for p in placements] == [Placement, Placement]
    assert {p.site_id for p in placements} == {1}
    assert [p.id for p in placements] == [p.id for p in atomx_session.get('site', 1).placements]


def test_history_under_both_paths(atomx_session):  # noqa: F811
    atomx_session.put('advertiser', 42, {'budget': 123.0})
    entries = atomx_session.get('advertiser', 42, 'history')
    older = atomx_session.get('history', 'advertiser', 42)
    assert entries == older and len(entries) == 2
    assert entries[-1]['history'] == {'budget': 123.0}
    assert entries[-1]['user']['email'] == 'demo@example.com'


def test_search_everything_containing_mini(atomx_session):  # noqa: F811
    found = atomx_session.search('*mini*')
    assert [site.name for site in found['sites']] == ['Mininova.org']
    assert [pub.name for pub in found['publishers']] == ['Mininova']
    assert isinstance(found['sites'][0], Site) and found['sites'][0].publisher_id == 2


@pytest.mark.parametrize('resource, model, count', [
    ('networks_list', Network, 3), ('publishers_list', Publisher, 6),
    ('advertisers_list', Advertiser, 7), ('sites_list', Site, 9),
    ('placements_list', Placement, 18),
])
def test_the_list_endpoints_give_ids_and_names(atomx_session, resource, model, count):  # noqa: F811
    listed = atomx_session.get(resource)
    assert len(listed) == count and all(type(item) is model for item in listed)
    assert all(set(item.json) == {'id', 'name'} for item in listed)
    assert [item.id for item in listed] == sorted(item.id for item in listed)


def test_reset_password_by_mail_and_change_by_the_user(sandbox, atomx_session):  # noqa: F811
    assert atomx_session.get('reset_password', email='demo@example.com') == {
        'email': 'demo@example.com'}
    mail = sandbox.outbox[-1]
    assert mail['to'] == 'demo@example.com'
    atomx_session.post('reset_password', {'hash': mail['hash'], 'password': 'from the mail'})
    relogged = Atomx(sandbox.email, 'from the mail', api_endpoint=sandbox.url)
    relogged.post('user/1', {'old_password': 'from the mail', 'password': 'chosen'})
    assert Atomx(sandbox.email, 'chosen', api_endpoint=sandbox.url).user.id == 1


def test_put_to_an_attribute_path(atomx_session):  # noqa: F811
    # PUT /{Model}/{ID}/{Attribute}: the model instance is the path, the attribute the "id"
    changed = atomx_session.put(Advertiser(42), 'budget', {'budget': 5.0})
    assert (changed['id'], changed['budget']) == (42, 5.0)
    assert atomx_session.get('advertiser', 42, 'budget') == 5.0
    with pytest.raises(APIError) as raised:
        atomx_session.put(Advertiser(42), 'budget', {'budget': 'lots'})
    assert raised.value.status_code == 422 and 'must be a number' in str(raised.value)
