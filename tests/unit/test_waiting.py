"""The INFO line of a slow request (:mod:`atomx.waiting`)."""
import logging
import threading
import time

from atomx.waiting import told_if_slow


def test_nothing_is_started_when_the_logger_is_not_enabled_for_info(caplog):
    logger = logging.getLogger('atomx.test-waiting-off')
    logger.setLevel(logging.WARNING)
    before = threading.active_count()
    with told_if_slow(logger, 'an answer', after=0.01):
        assert threading.active_count() == before  # no timer thread
        time.sleep(0.05)
    assert caplog.records == []


def test_a_slow_block_is_told_once_and_a_quick_one_not_at_all(caplog):
    logger = logging.getLogger('atomx.test-waiting-on')
    caplog.set_level(logging.INFO, logger=logger.name)
    with told_if_slow(logger, 'an answer', after=0.3):
        pass
    with told_if_slow(logger, 'the slow answer', after=0.05):
        time.sleep(0.3)
    time.sleep(0.35)  # the first timer would have fired by now had it not been cancelled
    assert [record.getMessage() for record in caplog.records] == [
        'atomx: still waiting for the slow answer after 0.05 s']
