"""get_many, save_all/create_all/remove_all and BulkResult over the (mocked) wire."""
import json
import pickle
import re
import threading

import pytest
import requests
import responses
from responses import matchers

from atomx.adapter import EndpointAdapter
from atomx.bulk import MAX_IDS, BulkResult
from atomx.exceptions import APIError, AtomxError, BulkError, ModelNotFoundError
from atomx.models import Campaign, Creative, from_payload

API = 'https://api.atomx.com/v3'
BEARER = {'Authorization': 'Bearer unit-test-token'}


def campaigns_answer(ids):
    return {'success': True, 'resource': 'campaigns',
            'campaigns': [{'id': number, 'name': f'c{number}'} for number in ids]}


def query_of(url):
    return dict(part.split('=', 1) for part in url.split('?', 1)[1].split('&'))


# -- get_many ------------------------------------------------------------------------

def test_get_many_sends_one_id_filter_and_returns_the_models_in_the_order_given(session, mocked):
    mocked.add(responses.GET, API + '/campaigns', json=campaigns_answer([1, 2, 3]),
               match=[matchers.query_param_matcher({'id': '3,1,2', 'limit': '3',
                                                    'attributes': 'id,name'}),
                      matchers.header_matcher(BEARER)])
    found = session.get_many(Campaign, [3, 1, 2], attributes=['id', 'name'])
    assert [type(model) for model in found] == [Campaign] * 3
    assert [model.id for model in found] == [3, 1, 2]
    assert found[0].session is session
    assert len(mocked.calls) == 1
    assert mocked.calls[0].request.url == f'{API}/campaigns?id=3,1,2&limit=3&attributes=id,name'


def test_get_many_keeps_the_id_in_an_attributes_selection(session, mocked):
    mocked.add(responses.GET, API + '/campaigns', json=campaigns_answer([4]),
               match=[matchers.query_param_matcher({'id': '4', 'limit': '1',
                                                    'attributes': 'name,id'})])
    assert [model.id for model in session.get_many(Campaign, [4], attributes='name')] == [4]


def test_get_many_asks_for_a_repeated_id_once_and_returns_it_each_time(session, mocked):
    mocked.add(responses.GET, API + '/campaigns', json=campaigns_answer([5, 7]),
               match=[matchers.query_param_matcher({'id': '7,5', 'limit': '2'})])
    found = session.get_many('campaigns', [7, 5, 7])
    assert [model.id for model in found] == [7, 5, 7]
    assert found[0] is found[2]


def test_get_many_raises_naming_every_missing_id(session, mocked):
    mocked.add(responses.GET, API + '/campaigns', json=campaigns_answer([2]))
    with pytest.raises(ModelNotFoundError) as raised:
        session.get_many(Campaign, [1, 2, 3])
    assert str(raised.value) == '2 of 3 ids were not found in campaigns: 1, 3'


def test_get_many_skips_missing_ids_when_asked(session, mocked):
    mocked.add(responses.GET, API + '/campaigns', json=campaigns_answer([2]))
    assert [model.id for model in session.get_many(Campaign, [1, 2, 3], missing='skip')] == [2]


def test_get_many_matches_only_whole_number_ids_of_the_answer(session, mocked):
    # a list, a bool or a float as an id is no id: not a match (True == 1), no crash
    mocked.add(responses.GET, API + '/campaigns', json=campaigns_answer([[], True, 2.0, 3]))
    assert [model.id for model in session.get_many(Campaign, [1, 2, 3], missing='skip')] == [3]
    with pytest.raises(ModelNotFoundError, match='2 of 3 ids were not found in campaigns: 1, 2'):
        session.get_many(Campaign, [1, 2, 3])


def test_get_many_batches_at_the_apis_maximum_of_1000_ids(session, mocked):
    ids = list(range(1, 2 * MAX_IDS + 6))

    def answer(request):
        asked = [int(number) for number in query_of(request.url)['id'].split(',')]
        return 200, {}, json.dumps(campaigns_answer(asked))

    mocked.add_callback(responses.GET, API + '/campaigns', callback=answer)
    found = session.get_many(Campaign, list(reversed(ids)))
    assert [model.id for model in found] == list(reversed(ids))
    batches = [query_of(call.request.url) for call in mocked.calls]
    assert [len(batch['id'].split(',')) for batch in batches] == [1000, 1000, 5]
    assert [batch['limit'] for batch in batches] == ['1000', '1000', '5']
    assert MAX_IDS == 1000


@pytest.mark.parametrize('ids, error, words', [
    ([1, '2'], TypeError, "ids[1] must be an int, not str ('2')"),
    ([True], TypeError, 'ids[0] must be an int, not bool'),
    ([1.0], TypeError, 'ids[0] must be an int, not float'),
    ('123', TypeError, 'ids must be an iterable of ints, not str'),
    (5, TypeError, 'ids must be an iterable of ints, not int'),
])
def test_get_many_checks_the_ids_before_any_request(session, mocked, ids, error, words):
    with pytest.raises(error) as raised:
        session.get_many(Campaign, ids)
    assert words in str(raised.value)
    assert len(mocked.calls) == 0


def test_get_many_rejects_a_bad_missing_and_its_own_parameters(session, mocked):
    with pytest.raises(ValueError, match="missing must be 'raise' or 'skip', not 'ignore'"):
        session.get_many(Campaign, [1], missing='ignore')
    with pytest.raises(TypeError, match='get_many sets limit itself'):
        session.get_many(Campaign, [1], limit=5)
    assert len(mocked.calls) == 0


def test_get_many_of_an_answer_that_is_no_list_is_an_api_error(session, mocked):
    mocked.add(responses.GET, API + '/campaigns', json={'success': True, 'resource': 'campaigns',
                                                          'campaigns': None})
    with pytest.raises(APIError, match=r'GET campaigns answered NoneType, not a list of models'
                       ) as info:
        session.get_many(Campaign, [1, 2])
    assert (info.value.method, info.value.path) == ('GET', 'campaigns')


def test_get_many_of_no_ids_sends_nothing(session, mocked):
    assert session.get_many(Campaign, []) == []
    assert len(mocked.calls) == 0


# -- save_all, create_all, remove_all -----------------------------------------------

def campaigns(session, count):
    return [from_payload('campaign', {'id': number, 'name': f'c{number}', 'budget': 1.0},
                         session) for number in range(1, count + 1)]


def echo_put(request):
    number = int(request.url.rsplit('/', 1)[1])
    body = json.loads(request.body)
    if body.get('name') == 'refused':
        return 400, {}, json.dumps({'success': False, 'error': 'name refused'})
    return 200, {}, json.dumps({'success': True, 'resource': 'campaign',
                                'campaign': {'id': number, **body}})


def test_save_all_sends_only_the_changes_of_changed_models(session, mocked):
    models = campaigns(session, 6)
    for model in models[:4]:
        model.name = f'new {model.id}'
    mocked.add_callback(responses.PUT, responses.matchers.re.compile(API + r'/campaign/\d+'),
                        callback=echo_put)
    result = session.save_all(models, workers=3)
    assert result and result.failed == [] and result.cancelled == []
    assert result.succeeded == models  # in the order given, unchanged ones included
    sent = sorted((call.request.url, json.loads(call.request.body)) for call in mocked.calls)
    assert sent == [(f'{API}/campaign/{n}', {'name': f'new {n}'}) for n in range(1, 5)]
    assert all(call.request.headers['Authorization'] == BEARER['Authorization']
               for call in mocked.calls)
    assert [model.name for model in models[:4]] == [f'new {n}' for n in range(1, 5)]
    assert all(model._changed_names() == [] for model in models)
    assert repr(result) == '<BulkResult save: 6 succeeded, 0 failed>'
    result.raise_for_failures()  # nothing failed: nothing raised


def test_a_failed_save_keeps_its_changes_and_is_listed_in_one_bulk_error(session, mocked):
    models = campaigns(session, 3)
    models[0].name, models[1].name, models[2].name = 'fine', 'refused', 'fine too'
    mocked.add_callback(responses.PUT, responses.matchers.re.compile(API + r'/campaign/\d+'),
                        callback=echo_put)
    result = session.save_all(models)
    assert not result
    assert result.succeeded == [models[0], models[2]]
    [(model, error)] = result.failed
    assert model is models[1] and isinstance(error, APIError) and error.status_code == 400
    assert models[1]._changed_names() == ['name'] and models[1].name == 'refused'
    with pytest.raises(BulkError) as raised:
        result.raise_for_failures()
    assert isinstance(raised.value, AtomxError)
    assert str(raised.value) == (
        '1 of 3 saves failed:\n  Campaign 2: APIError: PUT campaign/2 failed with HTTP 400: '
        'name refused')
    assert raised.value.failed == result.failed
    assert raised.value.__cause__ is error
    assert str(pickle.loads(pickle.dumps(raised.value))) == str(raised.value)


def test_fail_fast_leaves_the_models_not_started_untouched(session, mocked):
    models = campaigns(session, 5)
    for model in models:
        model.name = 'refused' if model.id == 1 else 'fine'
    mocked.add_callback(responses.PUT, responses.matchers.re.compile(API + r'/campaign/\d+'),
                        callback=echo_put)
    result = session.save_all(models, workers=1, fail_fast=True)
    assert [model for model, _ in result.failed] == [models[0]]
    assert result.succeeded == [] and result.cancelled == models[1:]
    assert len(mocked.calls) == 1
    assert all(model._changed_names() == ['name'] for model in models)
    with pytest.raises(BulkError, match=r'1 of 5 saves failed, 4 not started \(fail_fast\)'):
        result.raise_for_failures()


def test_save_all_runs_on_the_number_of_workers_asked_for(session, mocked):
    models = campaigns(session, 8)
    for model in models:
        model.name = 'x'
    arrived, threads = threading.Barrier(4, timeout=5), set()

    def slow_put(request):
        threads.add(threading.get_ident())
        arrived.wait()  # 4 requests are in flight at once, or this times out
        return echo_put(request)

    mocked.add_callback(responses.PUT, responses.matchers.re.compile(API + r'/campaign/\d+'),
                        callback=slow_put)
    assert session.save_all(models, workers=4)
    assert len(threads) == 4


def _pool_sizes(session):
    return {prefix: adapter._pool_maxsize for prefix, adapter in
            session._transport.http.adapters.items()}


def test_the_pool_keeps_a_connection_for_each_worker_and_never_shrinks(session, mocked):
    mocked.add_callback(responses.PUT, responses.matchers.re.compile(API + r'/campaign/\d+'),
                        callback=echo_put)
    models = campaigns(session, 20)
    assert _pool_sizes(session) == {'https://': 10, 'http://': 10}  # requests' default
    assert session.save_all(models, workers=16)
    assert _pool_sizes(session) == {'https://': 16, 'http://': 16}
    assert session.save_all(models, workers=4)  # a smaller run keeps the larger pool
    assert session.save_all(models[:12], workers=50)  # 12 threads at most for 12 models
    assert _pool_sizes(session) == {'https://': 16, 'http://': 16}


def test_a_pool_the_user_mounted_is_left_as_they_made_it(session, mocked):
    mine = requests.adapters.HTTPAdapter(pool_maxsize=3)
    session._transport.http.mount('https://api.atomx.com', mine)
    mocked.add_callback(responses.PUT, responses.matchers.re.compile(API + r'/campaign/\d+'),
                        callback=echo_put)
    assert session.save_all(campaigns(session, 20), workers=16)
    assert mine._pool_maxsize == 3 and mine.poolmanager.connection_pool_kw['maxsize'] == 3


def pool_for(adapter, url):
    """The pool the adapter picks for a GET of ``url``, as requests asks for it."""
    request = requests.Request('GET', url).prepare()
    return adapter.get_connection_with_tls_context(request, True, {}, None)


def test_a_pool_in_use_grows_in_place_keeping_its_connections():
    adapter = EndpointAdapter()
    pool = pool_for(adapter, 'http://127.0.0.1:9/')
    idle = pool._get_conn()
    pool._put_conn(idle)
    adapter.keep_connections(16)
    assert pool.pool.maxsize == 16 and pool._get_conn() is idle
    taken = [pool._get_conn() for _ in range(16)]
    for connection in taken:
        pool._put_conn(connection)
    assert pool.pool.qsize() == 16  # none discarded as "Connection pool is full"
    later = adapter.poolmanager.connection_from_url('http://127.0.0.2:9')
    assert later.pool.maxsize == 16
    adapter.keep_connections(2)
    assert pool.pool.maxsize == 16


def test_a_pool_the_adapter_does_not_remember_grows_when_it_is_next_looked_up():
    adapter = EndpointAdapter(pool_connections=2)
    pool_for(adapter, 'http://127.0.0.1:9/')
    second = pool_for(adapter, 'http://127.0.0.2:9/')
    pool_for(adapter, 'http://127.0.0.3:9/')  # the adapter forgets; urllib3 keeps .2 and .3
    adapter.keep_connections(16)
    assert pool_for(adapter, 'http://127.0.0.2:9/') is second  # one pool per host
    assert second.pool.maxsize == 16


def test_a_pool_made_while_another_thread_grows_the_pools_is_grown_too():
    # requests copies the pool settings, then urllib3 makes the pool from the copy:
    # a keep_connections() between the two (a bulk verb starting in another thread
    # while this one sends its first request to an origin) must not leave the new
    # pool at the old size, remembered and used by every later request
    adapter = EndpointAdapter()
    manager = adapter.poolmanager
    make_pool = manager.connection_from_pool_key

    def meanwhile_a_bulk_verb_starts(*args, **kwargs):
        adapter.keep_connections(16)
        return make_pool(*args, **kwargs)

    manager.connection_from_pool_key = meanwhile_a_bulk_verb_starts
    request = requests.Request('GET', 'http://127.0.0.1:9/v3/sites').prepare()
    pool = adapter.get_connection_with_tls_context(request, True)
    manager.connection_from_pool_key = make_pool
    assert pool.pool.maxsize == 16
    assert adapter.get_connection_with_tls_context(request, True) is pool


def test_create_all_posts_each_model_once_and_takes_the_new_ids(session, mocked):
    new = [Creative(session=session, name=f'n{number}') for number in range(3)]
    counter = iter(range(100, 200))
    lock = threading.Lock()

    def created(request):
        with lock:
            number = next(counter)
        return 200, {}, json.dumps({'success': True, 'resource': 'creative',
                                    'creative': {'id': number, **json.loads(request.body)}})

    mocked.add_callback(responses.POST, API + '/creative', callback=created)
    result = session.create_all(new)
    assert result.succeeded == new
    assert sorted(model.id for model in new) == [100, 101, 102]
    assert sorted(json.loads(call.request.body)['name'] for call in mocked.calls) == \
        ['n0', 'n1', 'n2']


def test_create_all_never_retries_a_create(session, mocked):
    mocked.add(responses.POST, API + '/creative', status=503, json={'error': 'busy'})
    result = session.create_all([Creative(session=session, name='once')])
    assert len(result.failed) == 1 and len(mocked.calls) == 1


def test_remove_all_deletes_each_model(session, mocked):
    models = campaigns(session, 3)
    mocked.add(responses.DELETE, responses.matchers.re.compile(API + r'/campaign/\d+'),
               json={'success': True, 'campaign': [1]})
    result = session.remove_all(models, workers=2)
    assert result.succeeded == models and all(model.deleted for model in models)
    assert sorted(call.request.url for call in mocked.calls) == \
        [f'{API}/campaign/{n}' for n in (1, 2, 3)]


@pytest.mark.parametrize('models, error, words', [
    (lambda s: [Campaign(1, session=s), 'x'], TypeError, 'save_all: item 1 is a str'),
    (lambda s: Campaign(1, session=s), TypeError, 'takes an iterable of models'),
    (lambda s: [Campaign(session=s)], ModelNotFoundError, 'item 0 (Campaign (no id)) has no id'),
])
def test_save_all_checks_the_models_before_any_request(session, mocked, models, error, words):
    with pytest.raises(error) as raised:
        session.save_all(models(session))
    assert words in str(raised.value)
    assert len(mocked.calls) == 0


def test_the_same_model_twice_is_refused(session, mocked):
    model = Campaign(1, session=session)
    with pytest.raises(ValueError, match='the same model object is item 0 and item 1'):
        session.remove_all([model, model])


@pytest.mark.parametrize('workers, error', [(0, ValueError), (1.5, TypeError), (True, TypeError)])
def test_workers_is_a_count_of_at_least_one(session, mocked, workers, error):
    with pytest.raises(error, match='workers must be'):
        session.save_all(campaigns(session, 1), workers=workers)


def test_progress_shows_one_bar_counting_the_models(session, mocked, capsys):
    models = campaigns(session, 3)
    result = session.save_all(models, progress=True)  # no changes: no request
    assert len(result.succeeded) == 3
    err = capsys.readouterr().err
    assert 'save_all' in err and '3/3' in err
    drawings = [part for part in re.split(r'[\r\n]', err) if part.strip()]
    assert all('/3' in part for part in drawings), drawings  # drawn with its total at once


def test_a_bulk_result_is_true_only_without_failures():
    assert BulkResult(succeeded=[1]) and not BulkResult(failed=[(1, ValueError('x'))])
