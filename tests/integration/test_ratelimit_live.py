"""The session's pace over real sockets: a 429's Retry-After holds every thread, and
max_rate spaces the requests the server receives."""
import threading
import time

import pytest

from atomx.transport import Transport
from tests.live_server import LiveServer, json_reply

pytestmark = pytest.mark.integration

SITES = {'success': True, 'resource': 'sites', 'sites': []}


@pytest.fixture
def server():
    with LiveServer() as live:
        yield live


def timed_replies(server, first):
    """Answer ``first`` to the first request and 200 to the rest; note when each arrived."""
    arrivals = []
    lock = threading.Lock()

    def respond(seen):
        with lock:
            arrivals.append((time.monotonic(), seen.path))
            return first if len(arrivals) == 1 else json_reply(SITES)

    server.respond = respond
    return arrivals


def test_a_retry_after_holds_the_other_threads_of_the_session(server):
    arrivals = timed_replies(server, json_reply({'error': 'slow down'}, 429, Retry_After='1'))
    transport = Transport(server.url + '/v3')
    first = threading.Thread(target=transport.request, args=('GET', 'first'))
    first.start()
    while not arrivals:
        time.sleep(0.005)
    time.sleep(0.2)  # the 429 is answered and being waited for: now another thread asks
    transport.request('GET', 'second')
    first.join()
    (throttled, _), *later = arrivals
    assert sorted(path for _, path in later) == ['/v3/first', '/v3/second']
    assert all(when - throttled >= 0.95 for when, _ in later), arrivals


def test_max_rate_spaces_the_requests_the_server_receives(server):
    arrivals = timed_replies(server, json_reply(SITES))
    transport = Transport(server.url + '/v3', max_rate=20)
    threads = [threading.Thread(target=lambda: [transport.request('GET', 'sites')
                                                 for _ in range(3)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = sorted(when for when, _ in arrivals)
    assert len(times) == 12
    # 12 requests at 20 per second, burst 1: 11 gaps of 50 ms, give or take the scheduler
    assert times[-1] - times[0] >= 11 * 0.05 - 0.03


def test_a_request_queued_past_its_total_deadline_fails_at_once_unsent(server):
    from atomx import Timeout
    from atomx.exceptions import APIConnectionError

    arrivals = timed_replies(server, json_reply(SITES))
    transport = Transport(server.url + '/v3', max_rate=0.25, timeout=Timeout(5, 5, total=1))
    transport.request('GET', 'sites')  # takes the slot: the next one is 4 s away
    started = time.monotonic()
    with pytest.raises(APIConnectionError, match=r'total deadline of 1 s.*max_rate or a '
                       r'Retry-After pause would hold it past that; nothing was sent'):
        transport.request('GET', 'sites')
    assert time.monotonic() - started < 0.5  # not the 4 s of the slot, not even the 1 s
    assert len(arrivals) == 1
