"""The sandbox's websocket endpoint on the wire, with websockets' own client (no SDK)."""
from __future__ import annotations

import json
import time
from typing import Any, Dict, Iterator

import pytest
import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from atomx.sandbox import Sandbox
from atomx.sandbox import live as sandbox_live

pytestmark = pytest.mark.integration


@pytest.fixture
def sandbox(live_sandbox: Sandbox) -> Sandbox:
    return live_sandbox


def token_of(sandbox: Sandbox, email: str = 'demo@example.com', password: str = 'demo') -> str:
    answer = requests.post(sandbox.url + '/login', json={'email': email, 'password': password})
    return answer.json()['auth_token']


@pytest.fixture
def socket(sandbox: Sandbox) -> Iterator[ClientConnection]:
    with connect(f'{sandbox.ws_url}?auth_token={token_of(sandbox)}', open_timeout=3) as ws:
        yield ws


def receive(ws: ClientConnection) -> Dict[str, Any]:
    return json.loads(ws.recv(timeout=3))


def ask(ws: ClientConnection, message: Any) -> Dict[str, Any]:
    ws.send(message if isinstance(message, str) else json.dumps(message))
    return receive(ws)


def test_the_websocket_is_served_on_the_rest_port(sandbox):
    assert sandbox.ws_url == f'ws://127.0.0.1:{sandbox.port}/v3/websocket'
    assert sandbox.url.split('://')[1] in sandbox.ws_url


def test_connected_then_each_subscribe_is_confirmed(sandbox, socket):
    assert receive(socket) == {'channel': 'system', 'message': 'connected',
                               'user': {'id': 1, 'email': 'demo@example.com'}}
    assert ask(socket, {'action': 'subscribe', 'model': 'advertiser:42'}) == \
        {'channel': 'system', 'action': 'subscribe', 'model': 'advertiser:42', 'success': True}
    assert ask(socket, {'action': 'unsubscribe', 'model': 'advertiser:42'})['success'] is True


@pytest.mark.parametrize('message, reason', [
    ('not json', 'malformed message: not JSON'),
    ('[1, 2]', 'malformed message: not a JSON object'),
    ({'action': 'listen', 'model': 'advertiser:42'}, 'action must be subscribe or unsubscribe'),
    ({'action': 'subscribe'}, 'model must be a channel'),
    ({'action': 'subscribe', 'model': 'advertiser-42'}, "malformed channel 'advertiser-42'"),
    ({'action': 'subscribe', 'model': 'advertisers:42'}, "unknown resource 'advertisers'"),
    ({'action': 'subscribe', 'model': 'stats:site:1'}, 'site has no live stats'),
    ({'action': 'subscribe', 'model': 'campaign:999999'}, 'campaign 999999 not found'),
])
def test_refusals_say_why(socket, message, reason):
    receive(socket)
    answer = ask(socket, message)
    assert answer['channel'] == 'system' and answer['success'] is False
    assert reason in answer['error']


def test_a_model_of_another_advertiser_is_refused(sandbox):
    token = token_of(sandbox, 'advertiser@example.com', 'advertiser')
    with connect(f'{sandbox.ws_url}?auth_token={token}', open_timeout=3) as ws:
        receive(ws)
        assert ask(ws, {'action': 'subscribe', 'model': 'advertiser:1'})['error'] == \
            'your user has no access to advertiser 1'
        assert ask(ws, {'action': 'subscribe', 'model': 'advertiser:42'})['success'] is True


@pytest.mark.parametrize('query', ['', '?auth_token=wrong'])
def test_a_missing_or_wrong_token_is_refused_at_the_handshake(sandbox, query):
    with pytest.raises(InvalidStatus) as info:
        connect(sandbox.ws_url + query, open_timeout=3)
    response = info.value.response
    assert response.status_code == 401
    assert json.loads(response.body)['success'] is False


def test_plain_http_gets_426_and_other_methods_405(sandbox, error_of):
    token = token_of(sandbox)
    assert 'websocket client' in error_of(
        requests.get(f'{sandbox.ws_url.replace("ws:", "http:")}?auth_token={token}'), 426)
    assert 'allowed: GET' in error_of(requests.post(sandbox.url + '/websocket'), 405)


def test_rest_changes_are_sent_with_exactly_the_changed_attributes(sandbox, socket, api):
    receive(socket)
    ask(socket, {'action': 'subscribe', 'model': 'advertiser:42'})
    budget = api.get('advertiser/42').json()['advertiser']['budget']
    api.put('advertiser/42', json={'name': 'Live name', 'budget': budget})
    update = receive(socket)
    assert {key: update[key] for key in ('channel', 'model', 'id', 'action', 'changes', 'user')} \
        == {'channel': 'advertiser:42', 'model': 'advertiser', 'id': 42, 'action': 'update',
            'changes': {'name': 'Live name'}, 'user': {'id': 1}}
    assert time.strptime(update['date'], '%Y-%m-%dT%H:%M:%S')
    api.put('advertiser/42/name', json='Per attribute')
    assert receive(socket)['changes'] == {'name': 'Per attribute'}
    ask(socket, {'action': 'unsubscribe', 'model': 'advertiser:42'})
    api.put('advertiser/42', json={'name': 'Unheard'})
    with pytest.raises(TimeoutError):
        socket.recv(timeout=0.3)


def test_a_change_is_encoded_once_for_all_its_subscribers_and_keeps_its_order(
        sandbox, api, monkeypatch):
    token = token_of(sandbox)
    with connect(f'{sandbox.ws_url}?auth_token={token}', open_timeout=3) as first, \
            connect(f'{sandbox.ws_url}?auth_token={token}', open_timeout=3) as second:
        for ws in (first, second):
            receive(ws)
            assert ask(ws, {'action': 'subscribe', 'model': 'advertiser:42'})['success']
        encoded = []
        real_dumps = sandbox_live._dumps

        def counted(message):
            encoded.append(message.get('channel'))
            return real_dumps(message)

        monkeypatch.setattr(sandbox_live, '_dumps', counted)
        for name in ('One', 'Two', 'Three'):
            api.put('advertiser/42', json={'name': name})
        for ws in (first, second):  # each subscriber gets the changes in their order
            assert [receive(ws)['changes'] for _ in range(3)] == [
                {'name': 'One'}, {'name': 'Two'}, {'name': 'Three'}]
        assert encoded.count('advertiser:42') == 3  # once per change, not per subscriber


def test_a_delete_reaches_the_subscribers_of_what_it_removes(sandbox, socket, api):
    receive(socket)
    campaign = api.get('campaigns', params={'advertiser_id': 42, 'limit': 1}).json()
    campaign_id = campaign['campaigns'][0]['id']
    ask(socket, {'action': 'subscribe', 'model': f'campaign:{campaign_id}'})
    assert api.delete('advertiser/42').status_code == 200  # campaigns go with it
    removed = receive(socket)
    assert (removed['channel'], removed['action'], removed['changes']) == \
        (f'campaign:{campaign_id}', 'delete', {})


def test_stats_channels_tick_with_the_quickstats_lifetime(sandbox, socket, api):
    receive(socket)
    ask(socket, {'action': 'subscribe', 'model': 'stats:advertiser:42'})
    lifetime = api.get('advertiser/42/quickstats').json()['quickstats']['lifetime']
    started = time.monotonic()
    ticks = [receive(socket) for _ in range(3)]
    assert time.monotonic() - started < 2
    for tick in ticks:
        assert (tick['channel'], tick['model'], tick['id']) == \
            ('stats:advertiser:42', 'advertiser', 42)
        assert tick['lifetime'] == {**lifetime, 'spent': lifetime['revenue']}


def test_drop_websockets_closes_them_from_the_server_side(sandbox, socket, api):
    receive(socket)
    assert sandbox.drop_websockets() == 1
    with pytest.raises(Exception) as info:
        socket.recv(timeout=3)
    assert 'ConnectionClosed' in type(info.value).__name__
    assert api.get('advertiser/42').status_code == 200  # REST goes on
    deadline = time.monotonic() + 3
    while sandbox.drop_websockets() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sandbox.drop_websockets() == 0


def test_a_client_close_frees_the_connection(sandbox):
    with connect(f'{sandbox.ws_url}?auth_token={token_of(sandbox)}', open_timeout=3) as ws:
        receive(ws)
    deadline = time.monotonic() + 3
    while sandbox.drop_websockets() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sandbox.drop_websockets() == 0


@pytest.mark.parametrize('interval, error', [(0, ValueError), (-1, ValueError),
                                             ('1', TypeError), (True, TypeError)])
def test_stats_interval_must_be_a_positive_number(interval, error):
    with pytest.raises(error, match='stats_interval must be a'):
        Sandbox(stats_interval=interval)


def test_a_client_that_stops_reading_never_blocks_the_rest_api(sandbox, monkeypatch):
    # websockets' client stops reading once max_queue messages wait unread; then the
    # TCP buffers fill and the sandbox's writes to it block: REST changes must not
    monkeypatch.setattr('atomx.sandbox.live.MAX_WAITING', 50)
    token = token_of(sandbox)
    http = requests.Session()
    http.headers['Authorization'] = f'Bearer {token}'
    with connect(f'{sandbox.ws_url}?auth_token={token}', open_timeout=3, max_queue=1,
                 max_size=None) as ws:
        receive(ws)
        assert ask(ws, {'action': 'subscribe', 'model': 'advertiser:42'})['success'] is True
        started = time.monotonic()
        for count in range(500):  # 25 MB of updates for a client reading none of them
            answer = http.put(f'{sandbox.url}/advertiser/42', timeout=5,
                              json={'name': f'{count:04d}' + 'x' * 50_000})
            assert answer.status_code == 200
        assert time.monotonic() - started < 30
        # the slow consumer was dropped rather than kept with every message in memory
        with pytest.raises(ConnectionClosed):  # a TimeoutError if it still were open
            while True:
                ws.recv(timeout=3)
