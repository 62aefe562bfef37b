"""Live updates without a socket: channel parsing, events, backoff, the token mask."""
from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from atomx.exceptions import MissingDependencyError
from atomx.live import (
    Event,
    backoff_delay,
    make_event,
    mask_token,
    parse_channel,
    parse_channels,
    websocket_url,
)
from atomx.models import Advertiser, Campaign, ConversionPixel, Site


@pytest.mark.parametrize('item, channel', [
    ('advertiser:42', 'advertiser:42'),
    ('Advertisers:42', 'advertiser:42'),
    ('conversion_pixel:3', 'conversion-pixel:3'),
    (' stats:campaign:7 ', 'stats:campaign:7'),
    (Advertiser(42), 'advertiser:42'),
    (ConversionPixel(3), 'conversion-pixel:3'),
    ((Campaign, 7), 'campaign:7'),
    ((Campaign, '7'), 'campaign:7'),
    ((Campaign, ' 7 '), 'campaign:7'),  # as Campaign(' 7 ') reads it: one rule of ids
    (('site', 5), 'site:5'),
])
def test_a_channel_in_any_accepted_form_is_spelled_as_the_server_does(item, channel):
    assert parse_channel(item) == channel


@pytest.mark.parametrize('item, message', [
    ('advertiser', 'malformed channel'),
    ('advertiser:', 'malformed channel'),
    ('advertiser:x', 'malformed channel'),
    ('advertiser:0', 'a whole number from 1'),
    ('system', 'the system channel is always subscribed'),
    ('nothing:1', "unknown resource 'nothing'"),
    ('stats:site:1', 'site has no live stats; stats channels exist for advertiser and campaign'),
    ('stats:stats:campaign:1', 'malformed channel'),
    (Advertiser(), 'Advertiser has no id'),
    ((Campaign, None), 'needs the id of a model'),
    ((Campaign, True), 'needs the id of a model'),
    (('report', 1), "unknown resource 'report'"),
])
def test_bad_channels_are_value_errors_that_say_what_is_allowed(item, message):
    with pytest.raises(ValueError, match=message):
        parse_channel(item)


@pytest.mark.parametrize('item', [42, None, 4.2, [Campaign, 1], (Campaign, 1, 2)])
def test_other_types_are_type_errors(item):
    with pytest.raises(TypeError, match='a channel is a "resource:id" str'):
        parse_channel(item)


def test_stats_adds_the_stats_channel_of_advertisers_and_campaigns_only():
    assert parse_channels([Advertiser(42), 'site:5', (Campaign, 7), 'advertiser:42'],
                          stats=True) == ['advertiser:42', 'stats:advertiser:42', 'site:5',
                                          'campaign:7', 'stats:campaign:7']
    assert parse_channels(['advertiser:42']) == ['advertiser:42']


@pytest.mark.parametrize('endpoint, url', [
    ('https://api.atomx.com/v3', 'wss://api.atomx.com/v3/websocket'),
    ('http://127.0.0.1:6543/v3/', 'ws://127.0.0.1:6543/v3/websocket'),
])
def test_the_websocket_url_follows_the_rest_endpoint(endpoint, url):
    assert websocket_url(endpoint) == url


def test_backoff_starts_at_half_a_second_doubles_and_stops_at_thirty():
    ceilings = [backoff_delay(failures, 0.999999) for failures in range(10)]
    assert [round(c, 3) for c in ceilings] == [0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30]
    assert [backoff_delay(failures, 0.0) for failures in (0, 1, 8)] == [0.25, 0.5, 15]
    assert backoff_delay(10 ** 6, 0.5) == 22.5  # no overflow after days of failures


def test_the_token_is_masked_wherever_a_url_shows_it():
    assert mask_token('GET /v3/websocket?auth_token=abc.DEF-123&x=1 HTTP/1.1') == \
        'GET /v3/websocket?auth_token=***&x=1 HTTP/1.1'
    assert mask_token("'ws://h/v3/websocket?auth_token=abc'") == \
        "'ws://h/v3/websocket?auth_token=***'"


def test_websockets_log_lines_of_our_connections_are_masked(caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger('atomx.live.websocket').debug('> GET %s HTTP/1.1',
                                                    '/v3/websocket?auth_token=s3cret')
    assert caplog.records[-1].getMessage() == '> GET /v3/websocket?auth_token=*** HTTP/1.1'


SESSION = object()


def test_an_update_event_carries_a_model_with_the_changes_loaded():
    message = {'channel': 'advertiser:42', 'model': 'advertiser', 'id': 42, 'action': 'update',
               'changes': {'name': 'new'}, 'user': {'id': 1}, 'date': '2026-01-01T12:00:00',
               'future_key': [1]}
    event = make_event(message, SESSION)
    assert (event.kind, event.channel, event.data) == ('update', 'advertiser:42', message)
    assert type(event.model) is Advertiser and event.model.session is SESSION
    assert event.model._attributes == {'name': 'new', 'id': 42}
    assert not event.model._changed_names()  # what the server sent is no change to save
    assert message['changes'] == {'name': 'new'}  # the message is left as it came


@pytest.mark.parametrize('message, kind, model', [
    ({'channel': 'campaign:7', 'action': 'delete', 'id': 7}, 'delete', Campaign(7)),
    ({'channel': 'stats:campaign:7', 'lifetime': {'spent': 1.5}}, 'stats', Campaign(7)),
    ({'channel': 'system', 'message': 'maintenance at noon'}, 'system', None),
    ({'message': 'no channel at all'}, 'system', None),
    ({'channel': 'site:5', 'action': 'merge', 'changes': 3}, 'update', Site(5)),
    ({'channel': 'galaxy:5', 'action': 'update'}, 'update', None),
    ({'channel': 'stats:galaxy:5'}, 'stats', None),
])
def test_every_message_becomes_an_event_even_of_unknown_channels(message, kind, model):
    event = make_event(message, SESSION)
    assert (event.kind, event.model, event.data) == (kind, model, message)


def test_event_repr_and_html_show_kind_channel_and_model_escaped():
    event = Event('update', 'site:5', Site(5, name='<b>'), {'channel': 'site:5'})
    assert repr(event) == ("Event(kind='update', channel='site:5', "
                           "model=Site(id=5, name='<b>'), data={'channel': 'site:5'})")
    page = event._repr_html_()
    assert '<caption>update</caption>' in page and '&lt;b&gt;' in page and '<b>' not in page


def test_without_websockets_subscribe_names_the_live_extra(monkeypatch):
    from atomx.live import Subscription

    class Session:
        api_endpoint = 'http://127.0.0.1:9/v3'

    monkeypatch.setitem(sys.modules, 'websockets', None)
    monkeypatch.setitem(sys.modules, 'websockets.sync.client', None)
    with pytest.raises(MissingDependencyError, match=r'Atomx.subscribe needs websockets.*'
                                                      r'pip install "atomx\[live\]"'):
        Subscription(Session(), ['advertiser:42'])


def test_importing_atomx_imports_no_websockets():
    code = 'import sys, atomx, atomx.live; print("websockets" in sys.modules)'
    assert subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          check=True).stdout.strip() == 'False'


def test_renew_token_logs_in_again_only_for_the_current_token():
    from atomx.transport import Transport

    transport = Transport('http://127.0.0.1:9/v3')
    assert transport.renew_token(None) is False  # no way to log in again
    logins = []
    transport.reauthenticate = lambda: (logins.append(1), setattr(transport, 'token', 'new'))
    transport.token = 'old'
    assert transport.renew_token('older') is True and logins == []  # already renewed
    assert transport.renew_token('old') is True and logins == [1] and transport.token == 'new'


@pytest.mark.parametrize('value, error', [(0, ValueError), (-1.5, ValueError),
                                          (float('inf'), ValueError), ('10', TypeError),
                                          (None, TypeError), (True, TypeError)])
def test_open_timeout_is_checked_before_anything_is_sent(value, error):
    from atomx.live import Subscription

    class Session:
        api_endpoint = 'http://127.0.0.1:9/v3'

    with pytest.raises(error, match='open_timeout must be a'):
        Subscription(Session(), ['advertiser:42'], open_timeout=value)
