"""JSON bodies the API could not store are refused (400), so every list stays readable.

Python's json module would take ``NaN``, ``Infinity``, ``1e999`` and ``"\\ud800"``;
a record holding one breaks every answer that shows it.  The bodies are sent as
raw bytes, the way a client that writes them would.
"""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.integration

HEADERS = {'Content-Type': 'application/json'}
REFUSED = [
    (b'{"name": NaN, "publisher_id": 1}', 'NaN is not a JSON number'),
    (b'{"name": "x", "minimum_internal_bid": Infinity, "publisher_id": 1}',
     'Infinity is not a JSON number'),
    (b'{"name": "x", "minimum_internal_bid": -Infinity, "publisher_id": 1}',
     '-Infinity is not a JSON number'),
    (b'{"name": "x", "minimum_internal_bid": 1e999, "publisher_id": 1}',
     '1e999 is too large for a JSON number'),
    (b'{"name": "a\\ud800b", "publisher_id": 1}', 'lone surrogate (\\ud800)'),
    (b'{"name": "x", "publisher_id": 1, "\\udc00": 1}', 'lone surrogate (\\udc00)'),
    (b'[{"name": "ok", "publisher_id": 1}, {"name": ["\\udfff"], "publisher_id": 1}]',
     'lone surrogate (\\udfff)'),
    (b'[' * 100000 + b']' * 100000, 'nested too deeply'),
]


@pytest.mark.parametrize('body, problem', REFUSED, ids=[
    'NaN', 'Infinity', '-Infinity', '1e999', 'surrogate in a value', 'surrogate in a key',
    'surrogate in a list', 'deep nesting'])
def test_a_create_with_what_json_cannot_hold_is_a_400_and_stores_nothing(api, error_of, body,
                                                                         problem):
    before = api.get('sites', params={'limit': 1}).json()['count']
    message = error_of(api.post('site', data=body, headers=HEADERS), 400)
    assert message.startswith('the request body is not valid JSON: ') and problem in message
    listed = api.get('sites', params={'limit': 1000})
    assert listed.status_code == 200 and listed.json()['count'] == before


@pytest.mark.parametrize('body', [b'{"budget": NaN}', b'{"name": "\\ud83d"}'])
def test_a_change_with_what_json_cannot_hold_leaves_the_record_as_it_was(api, error_of, body):
    before = api.get('advertiser/42').json()['advertiser']
    error_of(api.put('advertiser/42', data=body, headers=HEADERS), 400)
    assert api.get('advertiser/42').json()['advertiser'] == before
    assert len(api.get('advertiser/42/history').json()['history']) == 1  # the creation only


def test_reports_and_logins_refuse_them_too(api, anonymous, error_of):
    report = b'{"scope": "network_managed", "groups": ["day"], "metrics": ["clicks"], ' \
             b'"daterange": "yesterday", "name": NaN}'
    assert 'NaN' in error_of(api.post('report', data=report, headers=HEADERS), 400)
    login = b'{"email": "demo@example.com", "password": "\\udc80"}'
    assert 'surrogate' in error_of(anonymous.post('login', data=login, headers=HEADERS), 400)


def test_a_surrogate_pair_is_a_character_and_round_trips(api):
    created = api.post('site', data=b'{"name": "pair \\ud83d\\ude00", "publisher_id": 1}',
                       headers=HEADERS)
    assert created.status_code == 200, created.text
    site_id = created.json()['site']['id']
    names = {site['id']: site['name'] for site in
             json.loads(api.get('sites', params={'limit': 1000}).content)['sites']}
    assert names[site_id] == 'pair \N{GRINNING FACE}'
