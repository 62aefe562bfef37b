"""The quick scan for runs of 19 digits that decides when orjson may not decode a body."""
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atomx.long_digits import RUN, has_long_digit_run

_REFERENCE = re.compile(rb'[0-9]{%d}' % RUN)


def reference(content: bytes) -> bool:
    """The definition: one plain regular expression over the whole body."""
    return _REFERENCE.search(content) is not None


@given(st.binary(max_size=200).map(lambda raw: raw.translate(
    bytes(b'0123456789, ."e-[]'[byte % 18] for byte in range(256)))))
def test_the_scan_agrees_with_the_definition_on_json_like_bytes(content):
    assert has_long_digit_run(content) is reference(content)


@pytest.mark.parametrize('offset', range(9))
@pytest.mark.parametrize('length, expected', [(RUN - 1, False), (RUN, True), (40, True)])
def test_a_run_is_found_at_every_alignment_and_at_both_ends(offset, length, expected):
    digits = b'9' * length
    for content in (b'x' * offset + digits + b'x' * 50, b'x' * (50 + offset) + digits,
                    digits + b'x' * offset):
        assert has_long_digit_run(content) is expected


def test_a_digit_dense_body_with_many_false_alarms_is_still_exact():
    # every fourth byte a digit in long stretches, but no run of 19: the scan gives up
    # sampling and checks the rest exactly, finding the run placed near the end
    rows = b'[1234567890123456, 1234567890123456], ' * 2000
    assert has_long_digit_run(rows) is False
    assert has_long_digit_run(rows + b'[18446744073709551616]') is True
    for at in range(0, 3000, 7):  # before, at and after the point where it gives up
        assert has_long_digit_run(rows[:at] + b', 12345678901234567890' + rows[at:]) is True


def test_a_str_and_a_memoryview_are_scanned_like_bytes():
    assert has_long_digit_run('{"id": 18446744073709551616}') is True
    assert has_long_digit_run(memoryview(b'{"id": 9223372036854775}')) is False


def test_a_str_with_a_lone_surrogate_is_scanned_not_refused():
    # json.loads takes such text (it keeps the surrogate); the scan must answer too
    assert has_long_digit_run('["\ud800", 18446744073709551616]') is True
    assert has_long_digit_run('["\udfff", 9223372036854775]') is False


@pytest.mark.parametrize('offset', range(4))
def test_a_false_alarm_just_before_a_run_does_not_hide_it(offset):
    for gap in range(1, 60):
        near_miss = b'x' * offset + b'9' * (RUN - 1) + b'x' * gap
        assert has_long_digit_run(near_miss + b'7' * RUN + b'x') is True
        assert has_long_digit_run(near_miss + b'7' * (RUN - 1) + b'x') is False


def test_a_run_across_the_edge_of_a_sampled_chunk_is_found():
    edge = 1 << 16  # where the scan's first chunk ends
    for start in range(edge - RUN - 4, edge + 4):
        body = b'x' * start + b'5' * RUN + b'x' * 100
        assert has_long_digit_run(body) is True
        assert has_long_digit_run(body.replace(b'5' * RUN, b'5' * (RUN - 1) + b'x')) is False


@pytest.mark.parametrize('first', [0, 5])
def test_the_exact_pass_finds_a_run_across_the_edge_of_its_chunks(first):
    from atomx.long_digits import _CHUNK, _has_run_from

    for start in range(first + _CHUNK - RUN - 2, first + _CHUNK + 2):
        body = b'x' * start + b'3' * RUN + b'x' * 50
        assert _has_run_from(body, first) is True
        assert _has_run_from(body.replace(b'3' * RUN, b'3' * (RUN - 1) + b'x'), first) is False
