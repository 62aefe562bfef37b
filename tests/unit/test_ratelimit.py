"""The session's pace: the token bucket (with a fake clock, across threads), the
Retry-After pause shared by threads, max_rate on every path, per-thread last_response."""
import threading

import pytest
import responses

from atomx import Atomx
from atomx.models import Campaign, from_payload
from atomx.ratelimit import RateLimiter, check_rate
from atomx.transport import Transport

API = 'https://api.atomx.com/v3'


class FakeClock:
    """A clock that stands still unless moved; ``sleep`` records instead of waiting."""

    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)


def reserve_from_threads(limiter, threads, each):
    """Every wait that ``threads`` threads got from ``each`` reservations, all at one instant."""
    waits, lock, start = [], threading.Lock(), threading.Barrier(threads, timeout=5)

    def work():
        start.wait()
        mine = [limiter.reserve() for _ in range(each)]
        with lock:
            waits.extend(mine)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sorted(waits)


def test_threads_share_one_bucket_each_request_its_own_slot():
    limiter = RateLimiter(50, clock=FakeClock())
    waits = reserve_from_threads(limiter, threads=10, each=50)
    assert waits == pytest.approx([slot * 0.02 for slot in range(500)])


def test_a_burst_leaves_at_once_then_the_rate_holds():
    limiter = RateLimiter(10, burst=5, clock=FakeClock())
    waits = reserve_from_threads(limiter, threads=4, each=5)
    assert waits == pytest.approx([0.0] * 5 + [0.1 * slot for slot in range(1, 16)])


def test_a_quiet_spell_refills_the_bucket_up_to_its_burst_only():
    clock = FakeClock()
    limiter = RateLimiter(10, burst=3, clock=clock)
    assert [limiter.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 60  # a minute of nothing: still only 3 at once
    assert [limiter.reserve() for _ in range(4)] == pytest.approx([0.0, 0.0, 0.0, 0.1])


def test_acquire_sleeps_the_reserved_wait_with_the_injected_sleep():
    clock = FakeClock()
    limiter = RateLimiter(4, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.acquire()
    assert clock.slept == pytest.approx([0.25, 0.5])  # the first one left at once


def test_hold_makes_everyone_wait_but_the_thread_that_already_waited():
    clock = FakeClock()
    limiter = RateLimiter(None, clock=clock)
    assert limiter.reserve() == 0.0  # no rate: nothing waits
    limiter.hold(3.0)
    limiter.hold(1.0)  # a shorter pause does not cut the longer one
    assert limiter.reserve() == 3.0
    assert limiter.reserve(mind_pause=False) == 0.0
    clock.now += 3.0
    assert limiter.reserve() == 0.0


@pytest.mark.parametrize('value, error', [
    ('5', TypeError), (True, TypeError), (0, ValueError), (-1, ValueError),
    (float('nan'), ValueError), (float('inf'), ValueError)])
def test_max_rate_is_a_positive_finite_number(value, error):
    with pytest.raises(error, match='max_rate must be'):
        check_rate(value)
    with pytest.raises(error, match='max_rate must be'):
        Atomx('user@example.com', 'password', max_rate=value)


@pytest.mark.parametrize('value, message', [
    ('5', "max_rate must be a number of requests per second or None, not str ('5')"),
    (0, 'max_rate must be a positive number of requests per second, not 0'),
    (float('inf'), 'max_rate must be a positive number of requests per second, not inf '
                   '(a finite one)'),
])
def test_max_rate_says_what_is_allowed_as_every_positive_number(value, message):
    with pytest.raises((TypeError, ValueError)) as refused:
        check_rate(value)
    assert str(refused.value) == message


@pytest.mark.parametrize('value', [1e-300, 5e-324, 1 / 86401])
@responses.activate  # no request may leave: none is registered
def test_max_rate_below_one_request_a_day_is_refused_before_any_request(value):
    # 1e-300 spaced requests 1e300 s apart (time.sleep: OverflowError) and 5e-324 made the
    # interval inf, whose bucket arithmetic (0 * inf) let every request through at once
    message = (f'max_rate must be at least 1/86400 requests per second (one request a '
               f'day), not {value!r}; pass None for no limit')
    with pytest.raises(ValueError) as refused:
        check_rate(value)
    assert str(refused.value) == message
    with pytest.raises(ValueError, match='one request a day'):
        Atomx('user@example.com', 'password', max_rate=value)
    assert len(responses.calls) == 0


def test_one_request_a_day_is_the_slowest_rate_and_spaces_requests_a_day_apart():
    clock = FakeClock()
    limiter = RateLimiter(1 / 86400, clock=clock, sleep=clock.sleep)
    assert limiter.acquire() and limiter.reserve() == pytest.approx(86400)


def test_a_retry_after_pauses_the_other_threads_of_the_session(mocked):
    clock = FakeClock()
    transport = Transport(API, sleep=clock.sleep)
    transport.limiter = RateLimiter(None, clock=clock, sleep=clock.sleep)
    mocked.add(responses.GET, API + '/sites', status=429, headers={'Retry-After': '3'})
    mocked.add(responses.GET, API + '/sites', json={'success': True, 'sites': []})
    transport.request('GET', 'sites')
    assert clock.slept == [3.0]  # its own wait, once (its retry does not wait again)
    waits = reserve_from_threads(transport.limiter, threads=3, each=1)
    assert waits == [3.0, 3.0, 3.0]  # the others wait as long instead of hammering
    mocked.add(responses.GET, API + '/domains', json={'success': True, 'domains': []})
    transport.request('GET', 'domains')
    assert clock.slept == [3.0, 3.0]  # a new request of this thread waits too


def test_a_backoff_without_retry_after_pauses_nobody_else(mocked):
    clock = FakeClock()
    transport = Transport(API, sleep=clock.sleep, jitter=lambda: 0.0)
    transport.limiter = RateLimiter(None, clock=clock)
    mocked.add(responses.GET, API + '/sites', status=503)
    mocked.add(responses.GET, API + '/sites', json={'success': True, 'sites': []})
    transport.request('GET', 'sites')
    assert clock.slept == [0.25] and transport.limiter.reserve() == 0.0


class CountingLimiter(RateLimiter):
    def __init__(self):
        super().__init__(1000)
        self.asked = 0

    def reserve(self, *, mind_pause=True, within=float('inf')):
        self.asked += 1
        return 0.0


def test_max_rate_paces_every_path_of_the_session(session, mocked):
    limiter = session._transport.limiter = CountingLimiter()
    mocked.add(responses.GET, API + '/campaigns', json={
        'success': True, 'resource': 'campaigns', 'campaigns': [{'id': 1}, {'id': 2}]})
    mocked.add(responses.PUT, API + '/campaign/1', json={
        'success': True, 'resource': 'campaign', 'campaign': {'id': 1, 'name': 'x'}})
    session.get('campaigns')
    list(session.iter('campaigns', page_size=5))
    list(session.iter('campaigns', page_size=5, prefetch=True))
    session.get_many(Campaign, [1, 2])
    model = from_payload('campaign', {'id': 1, 'name': 'a'}, session)
    model.name = 'x'
    session.save_all([model])
    assert limiter.asked == len(mocked.calls) == 5


def test_the_session_takes_max_rate():
    transport = Transport(API, max_rate=50)
    assert transport.limiter.rate == 50.0 and transport.limiter.burst == 1
    assert Transport(API).limiter.rate is None


def test_last_response_is_per_thread(session, mocked):
    for count in (1, 2):
        mocked.add(responses.GET, f'{API}/thread{count}', json={
            'success': True, 'resource': 'x', 'x': [], 'count': count})
    session.get('thread1')
    seen = {}
    other_done = threading.Event()

    def other():
        seen['before'] = session.last_response
        session.get('thread2')
        seen['after'] = session.last_response['count']
        other_done.set()

    worker = threading.Thread(target=other)
    worker.start()
    worker.join()
    assert other_done.is_set()
    assert seen == {'before': None, 'after': 2}
    assert session.last_response['count'] == 1  # this thread's own last answer


def test_a_slot_beyond_within_is_refused_at_once_and_stays_free():
    clock = FakeClock()
    limiter = RateLimiter(1, clock=clock, sleep=clock.sleep)
    assert limiter.acquire(within=0.5) is True  # leaves now
    assert limiter.acquire(within=0.5) is False  # its slot is 1 s away: no wait, no slot
    assert clock.slept == []
    assert limiter.acquire(within=2.0) is True and clock.slept == [1.0]  # the same slot


def test_a_retry_after_pause_longer_than_within_is_refused_at_once():
    clock = FakeClock()
    limiter = RateLimiter(None, clock=clock, sleep=clock.sleep)
    limiter.hold(30.0)
    assert limiter.acquire(within=5.0) is False and clock.slept == []
    assert limiter.acquire(mind_pause=False, within=5.0) is True
