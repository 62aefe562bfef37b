"""One backoff for the transport's retries and the live subscription's reconnects."""
import pytest

from atomx import live, transport
from atomx.backoff import backoff_delay


def test_the_ceiling_doubles_from_the_first_wait_up_to_the_maximum():
    ceilings = [backoff_delay(attempt, 1.0, 0.5, 8.0) for attempt in range(7)]
    assert ceilings == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert [backoff_delay(attempt, 0.0, 0.5, 8.0) for attempt in range(3)] == [0.25, 0.5, 1.0]


def test_a_small_first_wait_keeps_doubling_until_the_maximum():
    # the transport stopped doubling after 32 attempts and the live reconnect after 16:
    # a first wait of a nanosecond then never grew past a few seconds or a millisecond
    assert backoff_delay(40, 1.0, 1e-9, 3600.0) == 1e-9 * 2 ** 40
    assert backoff_delay(100, 1.0, 1e-9, 3600.0) == 3600.0


@pytest.mark.parametrize('attempt', [1023, 1024, 10 ** 6, 10 ** 30])
def test_days_of_failures_never_overflow(attempt):
    assert backoff_delay(attempt, 0.5, 0.5, 30.0) == 22.5


def test_the_transport_doubles_a_small_backoff_factor_past_32_retries():
    sleeps = []
    sender = transport.Transport('http://127.0.0.1:9/v3', backoff_factor=1e-12,
                                 sleep=sleeps.append, jitter=lambda: 1.0)
    assert sender._wait('GET', 'sites', 40, None, float('inf'))
    assert sleeps == [1e-12 * 2 ** 40]  # 2**32 times the factor before


def test_the_live_reconnect_waits_as_the_shared_backoff_says():
    for failures in (0, 3, 6, 17, 10 ** 6):
        assert live.backoff_delay(failures, 0.25) == backoff_delay(
            failures, 0.25, live.BACKOFF_FIRST, live.BACKOFF_MAX)
