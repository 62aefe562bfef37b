"""The example of docs/live.rst runs against the sandbox's websocket, as a user runs it.

The page's block subscribes with a callback, lets the program go on (``...``) and
stops the callback; the test runs the block in two parts around that ``...``,
makes a change through the REST API meanwhile, and reads what the callback printed.
"""
from __future__ import annotations

import pathlib
import time

import pytest
from rst_blocks import python_blocks

from atomx import Atomx
from atomx.models import Campaign
from atomx.sandbox import Sandbox

pytestmark = pytest.mark.integration

LIVE = pathlib.Path(__file__).resolve().parents[2] / 'docs' / 'live.rst'
#: The line of the example where the user's program goes on while events arrive.
GOES_ON = '\n...\n'


def printed_until(capsys, wanted, seconds=10.0):
    """The lines printed so far, once every start in ``wanted`` began one of them."""
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lines += capsys.readouterr().out.splitlines()
        if all(any(line.startswith(start) for line in lines) for start in wanted):
            break
        time.sleep(0.02)
    return lines


def test_the_live_page_example_prints_each_event_until_stopped(capsys):
    ((line, code),) = python_blocks(LIVE.read_text(encoding='utf-8'))
    assert code.count(GOES_ON) == 1, 'the example lost its "..." line'
    before, after = code.split(GOES_ON)
    after = '\n' * (before.count('\n') + 2) + after  # its own line numbers in a traceback
    with Sandbox(stats_interval=0.05) as sandbox, \
            Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url) as atomx:
        namespace: dict = {'__name__': 'live', 'atomx': atomx}
        exec(compile(before, f'{LIVE}:{line}', 'exec'), namespace)  # noqa: S102
        campaign = atomx.get(Campaign(7))
        campaign.name = 'Renamed while subscribed'
        campaign.save()
        lines = printed_until(capsys, ['update None', "stats {'impressions': "])
        exec(compile(after, f'{LIVE}:{line}', 'exec'), namespace)  # noqa: S102
        lines += capsys.readouterr().out.splitlines()  # printed before stop() returned
        feed = namespace['feed']
        assert feed.channels == {'campaign:7', 'stats:campaign:7'}
        assert 'update None' in lines  # an update carries no lifetime figures
        assert all(line.split(' ', 1)[0] in ('update', 'stats') for line in lines)
        time.sleep(0.25)  # five stats ticks: the stopped callback prints none of them
        assert capsys.readouterr().out == ''
        assert not feed.closed  # stop() ends the loop; the subscription stays open
    assert feed.closed  # the session's close() closed it
