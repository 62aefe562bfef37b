"""create, save/update, delete, reload and history over the wire: the exact
request each sends and the model's state afterwards."""
import datetime
import json
from decimal import Decimal

import pytest
import requests
import responses
from responses import matchers

from atomx.exceptions import APIError, ModelNotFoundError, NoSessionError
from atomx.models import Advertiser, Campaign, Creative, Domain, Profile, Site, from_payload

API = 'https://api.atomx.com/v3'
BEARER = {'Authorization': 'Bearer unit-test-token'}


def only_request(mocked):
    """The one request the mock saw: method, url, decoded JSON body, headers."""
    assert len(mocked.calls) == 1, [call.request.url for call in mocked.calls]
    request = mocked.calls[0].request
    body = json.loads(request.body) if request.body else None
    return request.method, request.url, body, request.headers


def bound(session, resource, **attributes):
    """A model as a GET hands it over: bound to ``session``, no changes."""
    return from_payload(resource, dict(attributes), session)


# -- save ---------------------------------------------------------------------------------

def test_save_without_changes_sends_nothing(session, mocked):
    creative = bound(session, 'creative', id=3, title='t', created_at='2014-01-01')
    assert creative.title == 't' and creative.created_at.year == 2014  # reads, no change
    assert creative.save() is creative
    assert len(mocked.calls) == 0


def test_save_puts_only_the_changed_attributes_and_takes_the_answer(session, mocked):
    mocked.add(responses.PUT, API + '/creative/3', json={
        'success': True, 'resource': 'creative',
        'creative': {'id': 3, 'title': 'shiny new title', 'state': 'ACTIVE',
                     'updated_at': '2016-01-01T10:00:00'}})
    creative = bound(session, 'creative', id=3, title='old', state='ACTIVE', width=300)
    creative.title = 'shiny new title'
    creative.width = 300
    assert creative.save() is creative
    method, url, body, headers = only_request(mocked)
    assert (method, url, body) == ('PUT', API + '/creative/3', {'title': 'shiny new title'})
    assert headers['Authorization'] == BEARER['Authorization']
    assert headers['Content-Type'] == 'application/json'
    assert creative.updated_at == datetime.datetime(2016, 1, 1, 10)
    assert creative._changed_names() == []
    creative.save()
    assert len(mocked.calls) == 1  # nothing left to send


def test_update_is_save(session, mocked):
    mocked.add(responses.PUT, API + '/profile/1',
               match=[matchers.json_params_matcher({'click_frequency_cap_per': 86400})],
               json={'resource': 'profile', 'profile': {'id': 1}})
    profile = bound(session, 'profile', id=1, click_frequency_cap_per=3600)
    profile.click_frequency_cap_per = 86400
    assert profile.update() is profile
    assert profile._changed_names() == []


def test_an_in_place_change_is_saved(session, mocked):
    mocked.add(responses.GET, API + '/profile/1/domains', json={
        'resource': 'domains', 'domains': [{'id': 1}, {'id': 2}]})
    mocked.add(responses.PUT, API + '/profile/1', json={'profile': {'id': 1}})
    profile = bound(session, 'profile', id=1, domains=[1, 2], keywords=['a'])
    profile.domains.append(7)
    profile.keywords.remove('a')
    profile.save()
    request = mocked.calls[-1].request
    assert json.loads(request.body) == {'domains': [1, 2, 7], 'keywords': []}
    assert profile._changed_names() == []
    profile.keywords.append('b')  # still watched after the save
    assert profile._changed_names() == ['keywords']


def test_save_serialises_dates_decimals_sets_and_models(session, mocked):
    mocked.add(responses.PUT, API + '/campaign/8', json={'campaign': {'id': 8}})
    campaign = bound(session, 'campaign', id=8)
    campaign.start_date = datetime.datetime(2016, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)
    campaign.end_date = datetime.date(2016, 6, 1)
    campaign.budget = Decimal('12.50')
    campaign.sizes = {3, 1, 2}
    campaign.advertiser = Advertiser(42)
    campaign.domains = [Domain(1), Domain(2)]
    campaign.save()
    assert only_request(mocked)[2] == {
        'start_date': '2016-05-01T12:30:00+00:00', 'end_date': '2016-06-01', 'budget': 12.5,
        'sizes': [1, 2, 3], 'advertiser': 42, 'domains': [1, 2]}


def test_deleted_attribute_is_saved_as_cleared(session, mocked):
    mocked.add(responses.PUT, API + '/site/5', json={'site': {'id': 5}})
    site = bound(session, 'site', id=5, name='n', keywords=['a'])
    del site.name
    del site.keywords
    site.save()
    assert only_request(mocked)[2] == {'name': None, 'keywords': []}


def test_a_failed_save_keeps_the_values_and_the_changes(session, mocked):
    mocked.add(responses.PUT, API + '/creative/3', status=500,
               json={'success': False, 'error': 'try later'})
    creative = bound(session, 'creative', id=3, title='old', keywords=['a'])
    creative.title = 'new'
    creative.keywords.append('b')
    with pytest.raises(APIError, match='try later'):
        creative.save()
    assert creative.title == 'new' and creative.keywords == ['a', 'b']
    assert creative._changed_names() == ['keywords', 'title']
    mocked.replace(responses.PUT, API + '/creative/3', json={'creative': {'id': 3}})
    creative.save()
    first, second = (json.loads(call.request.body) for call in mocked.calls)
    assert first == second == {'title': 'new', 'keywords': ['a', 'b']}
    assert creative._changed_names() == []


def test_a_timed_out_create_keeps_everything_and_can_be_sent_again(mocked):
    from atomx import Atomx
    from atomx.exceptions import APIConnectionError
    mocked.add(responses.POST, API + '/login', json={'auth_token': 'unit-test-token',
                                                     'user': {'id': 1}})
    session = Atomx('user@example.com', 'password', retries=0)
    mocked.calls.reset()
    mocked.add(responses.POST, API + '/site', body=requests.exceptions.ReadTimeout('slow'))
    site = Site(name='test site', publisher_id=1, session=session)
    with pytest.raises(APIConnectionError):
        site.create()
    assert site.id is None and site._changed_names() == ['name', 'publisher_id']
    mocked.replace(responses.POST, API + '/site', json={'site': {'id': 15, 'name': 'test site'}})
    site.create()
    first, second = (json.loads(call.request.body) for call in mocked.calls)
    assert first == second == {'name': 'test site', 'publisher_id': 1}
    assert site.id == 15


def test_save_without_id_says_to_use_create(session, mocked):
    with pytest.raises(ModelNotFoundError, match=r'no id; use create\(\)'):
        Profile(name='new', session=session).save()
    assert len(mocked.calls) == 0


def test_a_related_model_without_id_cannot_be_sent(session, mocked):
    profile = bound(session, 'profile', id=1)
    profile.advertiser = Advertiser(name='unsaved')
    with pytest.raises(ValueError, match=r'Advertiser \(no id\) has no id to send'):
        profile.save()
    assert len(mocked.calls) == 0
    assert profile._changed_names() == ['advertiser']


# -- create -------------------------------------------------------------------------------

def test_create_posts_every_attribute_and_takes_the_answer(session, mocked):
    mocked.add(responses.POST, API + '/profile', json={
        'success': True, 'resource': 'profile',
        'profile': {'id': 99, 'advertiser_id': 23, 'name': 'test profile',
                    'created_at': '2016-01-01T00:00:00'}})
    profile = Profile(advertiser_id=23, name='test profile',
                      starts=datetime.date(2016, 1, 2))
    assert profile.create(session) is profile
    method, url, body, headers = only_request(mocked)
    assert (method, url) == ('POST', API + '/profile')
    assert body == {'advertiser_id': 23, 'name': 'test profile', 'starts': '2016-01-02'}
    assert headers['Authorization'] == BEARER['Authorization']
    assert profile.id == 99
    assert profile.created_at == datetime.datetime(2016, 1, 1)
    assert profile._changed_names() == []
    assert profile.session is session  # bound for later lazy loads


def test_atomx_create_save_remove_are_aliases(session, mocked):
    mocked.add(responses.POST, API + '/site', json={'site': {'id': 15, 'name': 'test site'}})
    mocked.add(responses.PUT, API + '/site/15', json={'site': {'id': 15, 'name': 'renamed'}},
               match=[matchers.json_params_matcher({'name': 'renamed'})])
    mocked.add(responses.DELETE, API + '/site/15', json={'resource': 'site',
                                                        'site': {'site': [15]}})
    site = Site(name='test site')
    assert session.create(site) is site and site.id == 15
    site.name = 'renamed'
    assert session.save(site) is site
    assert session.remove(site) == {'site': [15]}
    assert [(c.request.method, c.request.url) for c in mocked.calls] == [
        ('POST', API + '/site'), ('PUT', API + '/site/15'), ('DELETE', API + '/site/15')]
    assert site.deleted


def test_a_failed_create_keeps_everything(session, mocked):
    mocked.add(responses.POST, API + '/profile', status=400,
               json={'success': False, 'error': 'name missing'})
    profile = Profile(advertiser_id=23, session=session)
    with pytest.raises(APIError, match='name missing'):
        profile.create()
    assert profile.id is None and profile._changed_names() == ['advertiser_id']


# -- delete, reload, history --------------------------------------------------------------

def test_delete_sends_delete_and_marks_the_model_deleted(session, mocked):
    removed = {'creative': [3], 'campaign_creatives': [11]}
    mocked.add(responses.DELETE, API + '/creative/3',
               json={'success': True, 'resource': 'creative', 'creative': removed})
    creative = bound(session, 'creative', id=3)
    assert not creative.deleted
    assert creative.delete() == removed
    method, url, body, headers = only_request(mocked)
    assert (method, url, body) == ('DELETE', API + '/creative/3', None)
    assert headers['Authorization'] == BEARER['Authorization']
    assert creative.deleted


def test_reload_gets_with_the_query_and_replaces_the_attributes(session, mocked):
    mocked.add(responses.GET, API + '/campaign/4?attributes=id,name,budget&quickstats=true',
               json={'resource': 'campaign',
                     'campaign': {'id': 4, 'name': 'fresh', 'budget': 10.0}})
    campaign = bound(session, 'campaign', id=4, name='atomx')
    campaign.name = 'local change'
    assert campaign.reload(attributes=['id', 'name', 'budget'], quickstats=True) is campaign
    assert only_request(mocked)[:3] == (
        'GET', API + '/campaign/4?attributes=id,name,budget&quickstats=true', None)
    assert campaign.json == {'id': 4, 'name': 'fresh', 'budget': 10.0}
    assert campaign._changed_names() == []


def test_reload_of_an_unknown_model_is_model_not_found(session, mocked):
    mocked.add(responses.GET, API + '/campaign/4', status=404,
               json={'success': False, 'error': 'campaign 4 not found'})
    with pytest.raises(ModelNotFoundError, match='campaign 4 not found') as caught:
        bound(session, 'campaign', id=4).reload()
    assert caught.value.__cause__.status_code == 404


def test_history_gets_the_change_log_with_dates(session, mocked):
    mocked.add(responses.GET, API + '/advertiser/42/history?offset=10&limit=5&sort=date.desc',
               match=[matchers.header_matcher(BEARER)],
               json={'resource': 'history', 'history': [
                   {'date': '2016-02-03T04:05:06.123456', 'user': {'id': 1},
                    'history': {'name': ['old', 'new']}}]})
    entries = bound(session, 'advertiser', id=42).history(offset=10, limit=5, sort='date.desc')
    assert entries == [{'date': datetime.datetime(2016, 2, 3, 4, 5, 6, 123456),
                        'user': {'id': 1}, 'history': {'name': ['old', 'new']}}]


def test_history_defaults(session, mocked):
    mocked.add(responses.GET, API + '/advertiser/42/history?offset=0&limit=100&sort=date.asc',
               json={'resource': 'history', 'history': []})
    assert Advertiser(42, session).history() == []
    assert len(mocked.calls) == 1


@pytest.mark.parametrize('kwargs, error, message', [
    ({'sort': 'name'}, ValueError, 'sort must be one of'),
    ({'limit': 0}, ValueError, 'limit must be at least 1'),
    ({'offset': -1}, ValueError, 'offset must be at least 0'),
    ({'offset': '5'}, TypeError, 'offset must be an int'),
])
def test_bad_history_arguments_fail_before_any_request(session, mocked, kwargs, error, message):
    with pytest.raises(error, match=message):
        Advertiser(42, session).history(**kwargs)
    assert len(mocked.calls) == 0


# -- what needs an id or a session ------------------------------------------------------------

@pytest.mark.parametrize('action', ['reload', 'delete', 'history'])
def test_actions_without_id_are_model_not_found(action, mocked):
    with pytest.raises(ModelNotFoundError, match=f'cannot {action} Site \\(no id\\)'):
        getattr(Site(name='x'), action)()


@pytest.mark.parametrize('action', ['create', 'save', 'reload', 'delete', 'history'])
def test_actions_without_session_are_no_session_errors(action):
    with pytest.raises(NoSessionError, match=f'cannot {action} Site 5: it has no atomx.Atomx'):
        getattr(Site(5, name='x'), action)()


def test_the_base_model_has_no_resource_to_send_to():
    from atomx.models import AtomxModel
    with pytest.raises(TypeError, match='no API resource'):
        AtomxModel(name='x').create(object())


def test_a_session_passed_in_wins_over_the_bound_one(session, mocked):
    mocked.add(responses.PUT, API + '/creative/3', json={'creative': {'id': 3}})

    class Unused:
        def put(self, *args):  # pragma: no cover - must not be called
            raise AssertionError('the bound session was used')
    creative = Creative(3, Unused(), title='t')
    creative.save(session)
    assert only_request(mocked)[:3] == ('PUT', API + '/creative/3', {'title': 't'})


def test_constructor_attributes_are_changes_that_save_sends_without_a_get(session, mocked):
    mocked.add(responses.PUT, API + '/campaign/7',
               match=[matchers.json_params_matcher({'budget': 100})],
               json={'resource': 'campaign', 'campaign': {'id': 7, 'budget': 100.0}})
    campaign = Campaign(7, budget=100)
    assert campaign.save(session) is campaign
    assert [(call.request.method, call.request.url) for call in mocked.calls] == [
        ('PUT', API + '/campaign/7')]
    assert campaign.budget == 100.0
