"""Error messages name Python arguments for Python callers and flags for the CLI."""
import pytest

from atomx import report_query
from atomx.argument_names import argument, argument_item, flag, spelled_as_flags
from atomx.report_query import build_report_request, utc_now


def period_error(**arguments):
    with pytest.raises(ValueError) as raised:
        build_report_request(user=None, now=utc_now(), **{
            'scope': 'advertiser', 'groups': ['hour'], **arguments})
    return str(raised.value)


def test_flags_of_python_names():
    assert [flag(name) for name in ('from_', 'to', 'scope', 'page_size')] == [
        '--from', '--to', '--scope', '--page-size']


def test_python_callers_read_python_names_and_the_cli_reads_flags():
    arguments = {'from_': '2024-05-02', 'to': '2024-05-01'}
    assert period_error(**arguments).startswith('from_ (2024-05-02 00:00) must be before to (')
    with spelled_as_flags():
        assert (argument('from_'), argument_item('where', 0)) == ('--from', '--where #1')
        assert period_error(**arguments).startswith(
            '--from (2024-05-02 00:00) must be before --to (')
    assert (argument('from_'), argument_item('where', 0)) == ('from_', 'where[0]')


def test_the_flag_spelling_ends_with_its_block_even_on_an_error():
    with pytest.raises(ValueError), spelled_as_flags():
        report_query.build_report_request(user=None, now=utc_now(), scope='galaxy',
                                          groups=['hour'])
    assert period_error(scope='galaxy').startswith("scope='galaxy' is not allowed")
