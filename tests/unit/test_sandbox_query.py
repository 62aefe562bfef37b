"""URL parameter parsing and the filter and sort semantics, without a server."""
from __future__ import annotations

import pytest

from atomx.sandbox.answers import ApiError
from atomx.sandbox.query import Filter, SortKey, parse_query, sort_records

ATTRIBUTES = ('id', 'name', 'hostname', 'sites', 'category', 'quickstats', 'budget')
RELATIONS = ('sites', 'category')


def parse(**params):
    return parse_query(list(params.items()), ATTRIBUTES, RELATIONS, 'domain')


def test_defaults():
    query = parse()
    assert (query.limit, query.offset, query.sort_text, query.depth) == (100, 0, 'id.asc', 1)
    assert (query.include, query.exclude, query.expand, query.filters) == (
        None, frozenset(), frozenset(), ())
    assert query.quickstats is False


def test_limit_is_capped_at_1000():
    assert parse(limit='1000').limit == 1000
    assert parse(limit='1001').limit == 1000


@pytest.mark.parametrize('params,fragment', [
    ({'limit': 'x'}, "limit: expected a whole number >= 0, got 'x'"),
    ({'offset': '-3'}, "offset: expected a whole number >= 0, got '-3'"),
    ({'offset': '+3'}, "offset: expected a whole number >= 0, got '+3'"),
    ({'limit': '\u0663'}, "limit: expected a whole number >= 0, got '\u0663'"),
    ({'depth': '5'}, 'depth must be 0, 1 or 2'),
    ({'sort': 'colour.asc'}, "no attribute 'colour'"),
    ({'attributes': 'id,!colour'}, "no attribute 'colour'"),
    ({'expand': 'name'}, "'name' is not a relationship"),
    ({'colour': 'red'}, "unknown URL parameter 'colour'"),
    ({'!colour': 'red'}, "unknown URL parameter '!colour'"),
])
def test_bad_parameters_say_what_is_wrong(params, fragment):
    with pytest.raises(ApiError) as raised:
        parse(**params)
    assert raised.value.status == 400 and fragment in raised.value.message


def test_repeated_parameter_is_refused():
    with pytest.raises(ApiError, match='more than once'):
        parse_query([('limit', '1'), ('limit', '2')], ATTRIBUTES, RELATIONS, 'domain')


def test_order_by_is_sort():
    assert parse(order_by='name.desc').sort == (
        SortKey(('name',), True),)
    with pytest.raises(ApiError, match='more than once'):
        parse_query([('sort', 'id'), ('order_by', 'id')], ATTRIBUTES, RELATIONS, 'domain')


def test_sort_directions_paths_and_several_keys():
    assert parse(sort='name').sort == (SortKey(('name',), True),)  # bare: descending
    assert parse(sort='name.asc').sort == (SortKey(('name',), False),)
    assert parse(sort='category.name.asc,id.desc').sort == (
        SortKey(('category', 'name'), False), SortKey(('id',), True))
    assert parse(sort='quickstats.lifetime.clicks.asc').sort_text == \
        'quickstats.lifetime.clicks.asc'


def test_attributes_include_exclude_and_id_always_shown():
    query = parse(attributes='name,!budget')
    assert query.include == frozenset({'name'}) and query.exclude == frozenset({'budget'})
    assert query.shows('id') and query.shows('name') and not query.shows('hostname')
    only_excluded = parse(attributes='!budget')
    assert only_excluded.shows('hostname') and not only_excluded.shows('budget')


def test_quickstats_is_a_flag_and_expand_a_set():
    assert parse(quickstats='').quickstats is True
    assert parse(expand='sites,category').expand == frozenset({'sites', 'category'})


def test_filters_are_parsed_with_negation():
    query = parse(**{'hostname': '*.mx,*.es', '!id': '3'})
    assert query.filters == (Filter('hostname', ('*.mx', '*.es')), Filter('id', ('3',), True))
    assert [str(item) for item in query.filters] == ['hostname=*.mx,*.es', '!id=3']


@pytest.mark.parametrize('patterns,value,expected', [
    (('*atom*',), 'www.Atomic.net', True),
    (('*atom*',), 'example.org', False),
    (('*.mx',), 'futbol.mx', True),
    (('*.mx',), 'mx.example.com', False),
    (('mininova.org',), 'mininova.org', True),
    (('mininova.org',), 'mininova.org.evil', False),
    (('a.c',), 'abc', False),  # only * is special
    (('1', '42'), 42, True),
    (('42',), 42.0, True),
    (('4*',), 42, True),
    (('3',), 42, False),
    (('true',), True, True),
    (('null',), None, True),
    (('2',), [1, 2, 3], True),
    (('7',), [1, 2, 3], False),
])
def test_filter_matching(patterns, value, expected):
    assert Filter('x', patterns).matches(value) is expected
    assert Filter('x', patterns, negate=True).matches(value) is (not expected)


def test_sort_records_with_missing_values_last_in_both_directions():
    records = [{'id': 1, 'v': 'b'}, {'id': 2, 'v': None}, {'id': 3, 'v': 'A'}, {'id': 4, 'v': 'c'}]

    def value(rec, path):
        return rec[path[0]]

    ascending = sort_records(records, [SortKey(('v',))], value)
    assert [rec['id'] for rec in ascending] == [3, 1, 4, 2]
    descending = sort_records(records, [SortKey(('v',), True)], value)
    assert [rec['id'] for rec in descending] == [4, 1, 3, 2]


def test_sort_records_by_several_keys_and_counts():
    records = [{'id': 1, 'g': 1, 'l': [1]}, {'id': 2, 'g': 0, 'l': [1, 2]},
               {'id': 3, 'g': 1, 'l': [1, 2, 3]}]

    def value(rec, path):
        return rec[path[0]]

    by_group_then_id = sort_records(records, [SortKey(('g',)), SortKey(('id',), True)], value)
    assert [rec['id'] for rec in by_group_then_id] == [2, 3, 1]
    by_count = sort_records(records, [SortKey(('l',), True)], value)
    assert [rec['id'] for rec in by_count] == [3, 2, 1]
