"""The option values of the ``atomx`` command line: key=value, lists, --where, dates."""
import argparse
from datetime import datetime

import pytest

from atomx.cli_commands import (
    UsageError,
    comma_list,
    date_time,
    json_or_text,
    key_value,
    query_params,
    where_expression,
)


@pytest.mark.parametrize('text, expected', [
    ('site_id in [1,2]', ['site_id', 'in', [1, 2]]),
    ('site_id not in [1, 2]', ['site_id', 'not in', [1, 2]]),
    ('site_id NOT  IN [3]', ['site_id', 'not in', [3]]),
    ('country_id == 3', ['country_id', '==', 3]),
    ('impressions > 1.5', ['impressions', '>', 1.5]),
    ('state != ACTIVE', ['state', '!=', 'ACTIVE']),
    ('name == "two words"', ['name', '==', 'two words']),
    ('name == two words', ['name', '==', 'two words']),
    ('  clicks   <   10  ', ['clicks', '<', 10]),
])
def test_where_reads_column_operator_and_a_json_or_text_value(text, expected):
    assert where_expression(text) == expected


@pytest.mark.parametrize('text', ['site_id', 'site_id in', 'site_id like 3', 'site_id >= 3',
                                  ''])
def test_where_without_a_known_operator_and_a_value_is_refused(text):
    with pytest.raises(argparse.ArgumentTypeError, match='==, !=, <, >, in, not in'):
        where_expression(text)


def test_json_or_text():
    assert json_or_text('[1, 2]') == [1, 2]
    assert json_or_text('null') is None
    assert json_or_text('[1, 2') == '[1, 2'


def test_key_value_splits_at_the_first_equals_sign():
    assert key_value('hostname=a=b') == ('hostname', 'a=b')
    assert key_value('name=') == ('name', '')
    for bad in ('limit', '=3'):
        with pytest.raises(argparse.ArgumentTypeError, match='is not key=value'):
            key_value(bad)


def test_query_params_refuse_a_key_given_twice():
    assert query_params([('a', '1'), ('b', '2')]) == {'a': '1', 'b': '2'}
    with pytest.raises(UsageError, match='-p a= is given twice; give several values as a=a,b'):
        query_params([('a', '1'), ('a', '2')])


def test_comma_list():
    assert comma_list(' hour, site_id ,') == ['hour', 'site_id']
    with pytest.raises(argparse.ArgumentTypeError):
        comma_list(' , ')


def test_date_time():
    assert date_time('2024-05-01 13:00') == datetime(2024, 5, 1, 13, 0)
    with pytest.raises(argparse.ArgumentTypeError, match="'soon' is not a date"):
        date_time('soon')
