"""Atomx.iter on the wire: page requests, stopping rules, the limit cap, retries, progress."""
import gc
import json
import re
import sys
import time
import types

import pytest
import responses
from responses import matchers

from atomx.exceptions import APIError
from atomx.models import Domain
from tests.unit.conftest import API


def domains(first, number):
    return [{'id': ident, 'hostname': f'host{ident}.example'}
            for ident in range(first, first + number)]


def add_page(mocked, query, items, count=None, path='/domains', limit=None, status=200):
    """Answer GET ``path`` with exactly ``query`` by one page of ``items``."""
    body = {'success': True, 'resource': 'domains', 'domains': items,
            'offset': int(query.get('offset', 0)), 'sort': query.get('sort', 'id.asc'),
            'limit': int(query['limit']) if limit is None else limit}
    if count is not None:
        body['count'] = count
    mocked.add(responses.GET, API + path, json=body, status=status,
               match=[matchers.query_param_matcher(query)])


def page_query(offset, limit=1000, **extra):
    return {'limit': str(limit), 'offset': str(offset), 'sort': 'id.asc', **extra}


def sent_queries(mocked):
    return [call.request.url.split('?', 1)[1] for call in mocked.calls]


def test_pages_through_the_whole_collection_in_id_order(session, mocked):
    for offset, number in ((0, 1000), (1000, 1000), (2000, 500)):
        add_page(mocked, page_query(offset), domains(offset + 1, number), count=2500)
    found = list(session.iter('domains'))
    assert [model.id for model in found] == list(range(1, 2501))
    assert all(type(model) is Domain and model.session is session for model in found)
    assert sent_queries(mocked) == ['limit=1000&offset=0&sort=id.asc',
                                    'limit=1000&offset=1000&sort=id.asc',
                                    'limit=1000&offset=2000&sort=id.asc']
    assert all(call.request.headers['Authorization'] == 'Bearer unit-test-token'
               for call in mocked.calls)


def test_stops_when_offset_reaches_count_without_asking_for_an_empty_page(session, mocked):
    for offset in (0, 3):
        add_page(mocked, page_query(offset, limit=3), domains(offset + 1, 3), count=6)
    assert [model.id for model in session.iter('domains', page_size=3)] == [1, 2, 3, 4, 5, 6]
    assert len(mocked.calls) == 2


def test_without_count_stops_on_a_short_page(session, mocked):
    add_page(mocked, page_query(0, limit=3), domains(1, 3))
    add_page(mocked, page_query(3, limit=3), domains(4, 2))
    assert [model.id for model in session.iter('domains', page_size=3)] == [1, 2, 3, 4, 5]
    assert len(mocked.calls) == 2


def test_without_count_a_full_last_page_is_followed_by_one_empty_page(session, mocked):
    add_page(mocked, page_query(0, limit=3), domains(1, 3))
    add_page(mocked, page_query(3, limit=3), [])
    assert [model.id for model in session.iter('domains', page_size=3)] == [1, 2, 3]
    assert len(mocked.calls) == 2


def test_an_api_that_applies_a_smaller_limit_is_paged_by_its_limit(session, mocked):
    add_page(mocked, page_query(0), domains(1, 400), count=1000, limit=400)
    add_page(mocked, page_query(400), domains(401, 400), count=1000, limit=400)
    add_page(mocked, page_query(800), domains(801, 200), count=1000, limit=400)
    assert [model.id for model in session.iter('domains')] == list(range(1, 1001))
    assert len(mocked.calls) == 3


def test_limit_caps_the_total_and_the_last_page_asks_only_for_the_rest(session, mocked):
    add_page(mocked, page_query(0, limit=4), domains(1, 4), count=100)
    add_page(mocked, page_query(4, limit=4), domains(5, 4), count=100)
    add_page(mocked, page_query(8, limit=2), domains(9, 2), count=100)
    assert [model.id for model in session.iter('domains', page_size=4, limit=10)] == \
        list(range(1, 11))
    assert len(mocked.calls) == 3


def test_limit_below_the_page_size_is_one_request(session, mocked):
    add_page(mocked, page_query(0, limit=5), domains(1, 5), count=100)
    assert len(list(session.iter('domains', limit=5))) == 5
    assert len(mocked.calls) == 1


def test_limit_zero_sends_nothing(session, mocked):
    assert list(session.iter('domains', limit=0)) == []
    assert len(mocked.calls) == 0


def test_offset_is_where_paging_starts(session, mocked):
    add_page(mocked, page_query(10, limit=5), domains(11, 5), count=17)
    add_page(mocked, page_query(15, limit=5), domains(16, 2), count=17)
    assert [model.id for model in session.iter('domains', page_size=5, offset=10)] == \
        list(range(11, 18))


def test_sort_and_filters_pass_through(session, mocked):
    query = {'limit': '1000', 'offset': '0', 'sort': 'hostname.desc',
             'hostname': '*atom*', 'state': 'ACTIVE,INACTIVE', 'depth': '0'}
    add_page(mocked, query, domains(1, 2), count=2)
    found = session.iter('domains', sort='hostname.desc', hostname='*atom*',
                         state=['ACTIVE', 'INACTIVE'], depth=0)
    assert len(list(found)) == 2
    assert sent_queries(mocked) == [
        'limit=1000&offset=0&sort=hostname.desc&hostname=*atom*&state=ACTIVE,INACTIVE&depth=0']


def test_path_arguments_address_a_sub_collection(session, mocked):
    add_page(mocked, page_query(0), [], count=0, path='/advertiser/42/profiles')
    assert list(session.iter('advertiser', 42, 'profiles')) == []
    assert mocked.calls[0].request.url.startswith(API + '/advertiser/42/profiles?')


def test_page_size_above_the_maximum_is_capped(session, mocked):
    add_page(mocked, page_query(0), domains(1, 10), count=10)
    assert len(list(session.iter('domains', page_size=5000))) == 10


@pytest.mark.parametrize('bad, error, words', [
    (0, ValueError, 'page_size must be at least 1, not 0'),
    (-5, ValueError, 'page_size must be at least 1, not -5'),
    ('100', TypeError, 'page_size must be an int, not str'),
    (True, TypeError, 'page_size must be an int'),
])
def test_bad_page_size_is_refused_at_the_call_before_any_request(session, mocked, bad, error,
                                                                 words):
    with pytest.raises(error, match=words):
        session.iter('domains', page_size=bad)
    assert len(mocked.calls) == 0


@pytest.mark.parametrize('name, bad, error', [
    ('limit', -1, ValueError), ('limit', '10', TypeError), ('offset', -1, ValueError),
    ('offset', 1.5, TypeError),
])
def test_bad_limit_or_offset_is_refused_at_the_call(session, mocked, name, bad, error):
    with pytest.raises(error, match=name):
        session.iter('domains', **{name: bad})
    assert len(mocked.calls) == 0


def test_pages_are_fetched_lazily_one_at_a_time(session, mocked):
    for offset in (0, 2):
        add_page(mocked, page_query(offset, limit=2), domains(offset + 1, 2), count=4)
    found = session.iter('domains', page_size=2)
    assert isinstance(found, types.GeneratorType)
    assert len(mocked.calls) == 0
    assert [next(found).id, next(found).id] == [1, 2]
    assert len(mocked.calls) == 1
    assert next(found).id == 3
    assert len(mocked.calls) == 2


def test_only_one_page_of_models_is_alive_while_the_next_page_is_fetched(session, mocked):
    alive_at_request = []

    def answer(request):
        gc.collect()
        alive_at_request.append(sum(isinstance(obj, Domain) for obj in gc.get_objects()))
        offset = int(request.params['offset'])
        return 200, {}, json.dumps({'resource': 'domains', 'count': 300,
                                    'domains': domains(offset + 1, 100 if offset < 300 else 0)})

    mocked.add_callback(responses.GET, API + '/domains', callback=answer)
    total = 0
    for model in session.iter('domains', page_size=100):
        total += model.id
    assert total == sum(range(1, 301))
    # the loop variable holds the last model of the previous page; nothing else is kept
    assert alive_at_request == [0, 1, 1]


def test_a_page_answering_503_is_retried_and_the_iteration_goes_on(session, mocked):
    sleeps = []
    session._transport._sleep = sleeps.append
    add_page(mocked, page_query(0, limit=2), domains(1, 2), count=4)
    mocked.add(responses.GET, API + '/domains', status=503, json={'error': 'busy'},
               match=[matchers.query_param_matcher(page_query(2, limit=2))])
    add_page(mocked, page_query(2, limit=2), domains(3, 2), count=4)
    assert [model.id for model in session.iter('domains', page_size=2)] == [1, 2, 3, 4]
    assert sent_queries(mocked)[1:] == ['limit=2&offset=2&sort=id.asc'] * 2
    assert len(sleeps) == 1


def test_a_page_failing_for_good_raises_after_the_models_already_given(session, mocked):
    add_page(mocked, page_query(0, limit=2), domains(1, 2), count=4)
    mocked.add(responses.GET, API + '/domains', status=404, json={'error': 'gone'},
               match=[matchers.query_param_matcher(page_query(2, limit=2))])
    found = session.iter('domains', page_size=2)
    assert [next(found).id, next(found).id] == [1, 2]
    with pytest.raises(APIError, match='HTTP 404: gone') as caught:
        next(found)
    assert caught.value.status_code == 404


def test_a_resource_that_is_not_a_collection_is_a_clear_error(session, mocked):
    mocked.add(responses.GET, API + '/domain/1',
               json={'resource': 'domain', 'domain': {'id': 1}})
    with pytest.raises(APIError, match='iter\\(\\) pages through a collection.*Domain'):
        list(session.iter('domain', 1))


# -- progress -------------------------------------------------------------------

def test_progress_bar_shows_the_count_on_stderr(session, mocked, capsys):
    for offset, number in ((0, 2), (2, 1)):
        add_page(mocked, page_query(offset, limit=2), domains(offset + 1, number), count=3)
    assert len(list(session.iter('domains', page_size=2, progress=True))) == 3
    bar = capsys.readouterr().err
    assert 'domains' in bar
    assert '3/3' in bar


def test_progress_without_a_count_counts_the_models_without_a_total(session, mocked, capsys):
    add_page(mocked, page_query(0, limit=2), domains(1, 2))
    add_page(mocked, page_query(2, limit=2), domains(3, 1))
    assert len(list(session.iter('domains', page_size=2, progress=True))) == 3
    bar = capsys.readouterr().err
    assert '3 models' in bar
    assert '/3' not in bar and '100%' not in bar  # no total was made up


def renderings(stderr):
    """Each drawing of the bar (tqdm redraws a line after a carriage return)."""
    return [part.strip() for part in re.split(r'[\r\n]', stderr) if part.strip()]


def test_the_bar_appears_once_with_its_total_from_the_first_drawing(session, mocked, capsys):
    for offset, number in ((0, 2), (2, 1)):
        add_page(mocked, page_query(offset, limit=2), domains(offset + 1, number), count=3)
    models = session.iter('domains', page_size=2, progress=True)
    assert capsys.readouterr().err == ''  # nothing is drawn before the first page
    assert len(list(models)) == 3
    drawn = renderings(capsys.readouterr().err)
    assert drawn and all('/3' in line for line in drawn), drawn  # no "0 models [...]" line
    assert not any(line.startswith('domains: 0 models') for line in drawn)


def test_progress_total_is_capped_by_limit(session, mocked, capsys):
    add_page(mocked, page_query(0, limit=2), domains(1, 2), count=50)
    assert len(list(session.iter('domains', limit=2, progress=True))) == 2
    assert '2/2' in capsys.readouterr().err


def test_no_progress_prints_nothing_and_never_imports_tqdm(session, mocked, capsys,
                                                           monkeypatch):
    monkeypatch.setitem(sys.modules, 'tqdm', None)  # any import of tqdm would fail
    add_page(mocked, page_query(0), domains(1, 2), count=2)
    assert len(list(session.iter('domains'))) == 2
    assert capsys.readouterr().err == ''


def test_progress_without_tqdm_is_a_clear_error_before_any_request(session, mocked,
                                                                   monkeypatch):
    monkeypatch.setitem(sys.modules, 'tqdm', None)
    with pytest.raises(ImportError, match=r'pip install "atomx\[report\]"'):
        session.iter('domains', progress=True)
    assert len(mocked.calls) == 0


# -- paging without a session ------------------------------------------------------

def test_iterate_drives_any_function_that_fetches_one_page():
    from atomx.paging import iterate

    rows = list(range(1, 8))
    asked = []

    def fetch_page(**query):
        asked.append(query)
        start = query['offset']
        return rows[start:start + query['limit']], {'count': len(rows)}

    found = iterate(fetch_page, 'numbers', page_size=3, state='ACTIVE')
    assert asked == []  # nothing is fetched before the first next()
    assert list(found) == rows
    assert asked == [{'limit': 3, 'offset': offset, 'sort': 'id.asc', 'state': 'ACTIVE'}
                     for offset in (0, 3, 6)]


def test_iterate_names_the_label_when_a_page_is_not_a_list():
    from atomx.paging import iterate

    with pytest.raises(APIError, match='GET numbers answered dict, not a list') as info:
        list(iterate(lambda **query: ({'id': 1}, {}), 'numbers'))
    assert (info.value.method, info.value.path) == ('GET', 'numbers')


# -- prefetch ----------------------------------------------------------------------------

@pytest.mark.parametrize('limit, count', [(None, 2500), (2200, 2500), (None, None)])
def test_prefetch_sends_the_same_requests_and_yields_the_same_models(session, mocked, limit,
                                                                      count):
    for offset, number in ((0, 1000), (1000, 1000), (2000, 500)):
        asked = 1000 if limit is None else min(1000, limit - offset)
        add_page(mocked, page_query(offset, limit=asked), domains(offset + 1, min(number, asked)),
                 count=count)
    extra = {} if limit is None else {'limit': limit}
    plain = [model.id for model in session.iter('domains', **extra)]
    without = sent_queries(mocked)
    mocked.calls.reset()
    prefetched = [model.id for model in session.iter('domains', prefetch=True, **extra)]
    assert prefetched == plain == list(range(1, (limit or 2500) + 1))
    assert sent_queries(mocked) == without


def test_prefetch_asks_for_the_next_page_while_the_caller_works_on_this_one(session, mocked):
    for offset in (0, 2, 4):
        add_page(mocked, page_query(offset, limit=2), domains(offset + 1, 2), count=6)
    pages = session.iter('domains', page_size=2, prefetch=True)
    assert next(pages).id == 1
    wait_for(lambda: len(mocked.calls) == 2)  # page 2 is on its way, page 3 is not
    assert len(mocked.calls) == 2
    assert [next(pages).id, next(pages).id] == [2, 3]
    wait_for(lambda: len(mocked.calls) == 3)
    assert [model.id for model in pages] == [4, 5, 6]
    assert len(mocked.calls) == 3


def test_prefetch_stops_on_a_failed_page_after_the_models_before_it(session, mocked):
    add_page(mocked, page_query(0, limit=2), domains(1, 2), count=6)
    add_page(mocked, page_query(2, limit=2), [], status=400)
    seen = []
    with pytest.raises(APIError):
        for model in session.iter('domains', page_size=2, prefetch=True):
            seen.append(model.id)
    assert seen == [1, 2]


def wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.005)
