"""The curl examples of api-endpoints.txt, replayed against the sandbox."""
from __future__ import annotations

import json

import pytest
import requests

pytestmark = pytest.mark.integration


def test_login_with_the_curl_json_body(sandbox):
    # curl -X POST -d '{"email": ..., "password": ...}'
    #      -H "Content-Type: application/json" .../login
    answer = requests.post(sandbox.url + '/login', timeout=10,
                           data=json.dumps({'email': sandbox.email, 'password': sandbox.password}),
                           headers={'Content-Type': 'application/json'})
    assert answer.status_code == 200
    assert answer.headers['Content-Type'] == 'application/json; charset=UTF-8'
    body = answer.json()
    assert body['success'] is True
    assert body['message'] == 'Demo network user (user id 1) logged in'
    assert isinstance(body['auth_token'], str) and len(body['auth_token']) > 20
    user = body['user']
    assert {key: user[key] for key in ('id', 'email', 'name', 'state')} == {
        'id': 1, 'email': 'demo@example.com', 'name': 'Demo network user', 'state': 'ACTIVE'}
    assert {'created_at', 'updated_at'} <= set(user)
    assert (user['networks'], user['advertisers'], user['publishers']) == ([1], [], [])


def test_get_all_sites_with_the_bearer_header(sandbox, api):
    token = api.headers['Authorization'].split()[-1]
    answer = requests.get(sandbox.url + '/sites', timeout=10,
                          headers={'Authorization': 'Bearer ' + token})
    assert answer.status_code == 200
    body = answer.json()
    assert {'filter', 'limit', 'offset', 'sites', 'sort', 'success', 'timestamp', 'resource',
            'count'} <= set(body)
    assert (body['resource'], body['sort'], body['filter'], body['success']) == (
        'sites', 'id.asc', [], True)
    mininova = next(site for site in body['sites'] if site['name'] == 'Mininova.org')
    # the documented shape: relationships as ids beside their *_id columns
    assert mininova['publisher'] == mininova['publisher_id'] == 2
    assert mininova['domain'] == mininova['domain_id']
    assert mininova['advertisers_filter_action'] == 'EXCLUDE'
    assert isinstance(mininova['placements'], list) and mininova['placements']
    assert isinstance(mininova['minimum_internal_bid'], float)


def test_post_a_new_site_like_the_curl_example(api):
    answer = api.post('site', data=json.dumps({'name': 'test site', 'publisher_id': '1'}),
                      headers={'Content-Type': 'application/json'})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body['success'], body['resource']) == (True, 'site')
    site = body['site']
    assert site['name'] == 'test site'
    assert site['publisher_id'] == 1  # the documented string "1" names publisher 1
    assert {'id', 'created_at', 'minimum_internal_bid', 'state', 'domain_id'} <= set(site)
    again = api.get(f'site/{site["id"]}').json()['site']
    assert again['name'] == 'test site' and again['publisher'] == 1


def test_put_with_a_filter_like_the_domains_example(api):
    answer = api.put('domains', params={'hostname': 'mininova.org'}, json={'state': 'INACTIVE'})
    assert answer.status_code == 200, answer.text
    assert answer.json()['resource'] == 'domain'
    assert answer.json()['domain']['hostname'] == 'mininova.org'
    assert answer.json()['domain']['state'] == 'INACTIVE'
    check = api.get('domains', params={'hostname': 'mininova.org'}).json()['domains']
    assert [domain['state'] for domain in check] == ['INACTIVE']


def test_search_everything_containing_mini(api):
    found = api.get('search', params={'q': '*mini*'}).json()
    assert found['resource'] == 'search'
    assert [site['name'] for site in found['search']['sites']] == ['Mininova.org']
    assert [pub['name'] for pub in found['search']['publishers']] == ['Mininova']


def test_find_all_mx_top_level_domains(api):
    domains = api.get('domains', params={'hostname': '*.mx'}).json()['domains']
    assert domains and all(domain['hostname'].endswith('.mx') for domain in domains)
    assert 'matchreport.mx' in {domain['hostname'] for domain in domains}


def test_every_answer_names_its_resource_and_holds_its_payload_there(sandbox, anonymous, api):
    """PROTOCOL.md: every answer of the real API carries ``resource``, POST and PUT too."""
    from atomx.sandbox import TOTP_SECRET, totp_code

    interim = anonymous.post('login', json={'email': 'totp@example.com', 'password': 'totp'})
    site = api.post('site', json={'name': 'named', 'publisher_id': 1})
    answers = {
        'POST login': anonymous.post('login', json={'email': sandbox.email,
                                                    'password': sandbox.password}),
        'GET login': anonymous.get('login', params={'email': sandbox.email,
                                                    'password': sandbox.password}),
        'POST login (TOTP user)': interim,
        'POST totp': anonymous.post('totp', json={'totp': totp_code(TOTP_SECRET)}, headers={
            'Authorization': 'Bearer ' + interim.json()['auth_token']}),
        'GET sites': api.get('sites'), 'GET site/1': api.get('site/1'),
        'GET site/1/name': api.get('site/1/name'),
        'GET site/3/quickstats': api.get('site/3/quickstats'),
        'GET advertiser/42/profiles': api.get('advertiser/42/profiles'),
        'POST site': site, 'POST domains': api.post('domains', json=[{'hostname': 'a.example'}]),
        'PUT site/1': api.put('site/1', json={'name': 'x'}),
        'PUT site/1/name': api.put('site/1/name', json='y'),
        'PUT domains?hostname=': api.put('domains', params={'hostname': 'mininova.org'},
                                         json={'state': 'ACTIVE'}),
        'DELETE site': api.delete(f'site/{site.json()["site"]["id"]}'),
        'GET site/1/history': api.get('site/1/history'),
        'GET history/site/1': api.get('history/site/1'),
        'GET search': api.get('search', params={'q': '*mini*'}),
        'GET sites_list': api.get('sites_list'),
        'GET reset_password': anonymous.get('reset_password',
                                            params={'email': sandbox.email}),
        'POST report': api.post('report', json={'scope': 'network_managed', 'groups': ['day'],
                                                'daterange': 'yesterday'}),
        'GET reports': api.get('reports'),
    }
    for request, answer in answers.items():
        assert answer.status_code == 200, (request, answer.text)
        body = answer.json()
        assert body['success'] is True, request
        assert isinstance(body.get('resource'), str), (request, sorted(body))
        assert body['resource'] in body, (request, sorted(body))
