"""``atomx watch``'s lines and checks, without a socket (the command runs in tests/integration)."""
import argparse
import json
import re
import sys

import pytest

from atomx.cli_commands import UsageError
from atomx.cli_watch import check_watch, event_line
from atomx.live import make_event

UPDATE = {'channel': 'advertiser:42', 'model': 'advertiser', 'id': 42, 'action': 'update',
          'changes': {'name': 'New name', 'budget': 10.5, 'tags': ['a']}, 'user': {'id': 1}}


def line(message, output_format='table'):
    return event_line(make_event(message, None), output_format)


def test_a_json_line_holds_kind_channel_and_the_whole_message():
    assert json.loads(line(UPDATE, 'json')) == {'kind': 'update', 'channel': 'advertiser:42',
                                                'data': UPDATE}
    assert '\n' not in line(UPDATE, 'json')


@pytest.mark.parametrize('message, rest', [
    (UPDATE, 'update      advertiser:42            name=New name budget=10.5 tags=["a"]'),
    ({'channel': 'stats:campaign:7', 'lifetime': {'spent': 1.5, 'clicks': 3}},
     'stats       stats:campaign:7         spent=1.5 clicks=3'),
    ({'channel': 'campaign:7', 'action': 'delete'}, 'delete      campaign:7'),
    ({'channel': 'system', 'message': 'maintenance'}, 'system      system                   '
                                                      'message=maintenance'),
])
def test_a_table_line_starts_with_the_time_then_kind_channel_and_values(message, rest):
    text = line(message)
    assert re.fullmatch(r'\d\d:\d\d:\d\d  ', text[:10]) and text[10:] == rest


def arguments(*channels, stats=False, timeout=None):
    return argparse.Namespace(channels=list(channels), stats=stats, timeout=timeout)


def test_a_table_line_is_one_line_without_control_characters():
    event = make_event({'channel': 'advertiser:42', 'action': 'update',
                        'changes': {'name': 'x\x1b]0;owned\x07\ny'}}, None)
    line = event_line(event, 'table')
    assert '\n' not in line and '\x1b' not in line and '\x07' not in line
    assert line.endswith('name=x\\x1b]0;owned\\x07\\ny')
    assert json.loads(event_line(event, 'json'))['data']['changes']['name'] == \
        'x\x1b]0;owned\x07\ny'  # JSON escapes them and keeps the value whole


def test_the_check_refuses_bad_channels_and_timeouts_before_the_login():
    check_watch(arguments('advertiser:42', 'stats:campaign:7'))
    with pytest.raises(ValueError, match='site has no live stats'):
        check_watch(arguments('stats:site:1'))
    with pytest.raises(ValueError, match='--timeout must be a positive number of seconds, not 0'):
        check_watch(arguments('site:1', timeout=0.0))


@pytest.mark.parametrize('timeout, words', [
    (float('inf'), 'not inf (at most '),  # was taken: a wait without end
    (float('nan'), 'not nan'),
    (1e12, 'not 1000000000000.0 (at most '),  # was taken: beyond what a lock can wait
])
def test_the_timeout_is_checked_as_every_other_number_of_seconds(timeout, words):
    with pytest.raises(ValueError) as refused:
        check_watch(arguments('site:1', timeout=timeout))
    assert str(refused.value).startswith(f'--timeout must be a positive number of seconds, {words}')


def test_the_check_names_the_live_extra_when_websockets_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, 'websockets', None)
    monkeypatch.setitem(sys.modules, 'websockets.sync.client', None)
    with pytest.raises(UsageError, match=r'atomx watch needs websockets'):
        check_watch(arguments('site:1'))
