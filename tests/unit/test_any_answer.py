"""Whatever the server answers, only our exceptions come out (issue 11, "Only our exceptions").

Hypothesis serves generated statuses and bodies (JSON of every shape, envelopes
shaped like the API's, bytes that are no JSON) to every verb, then uses each
result as a user would: repr, HTML repr, ``json``, every attribute, a lazy
read, a report's content, csv and DataFrame.  Any exception other than an
:class:`~atomx.exceptions.AtomxError` (and the ``AttributeError`` that a model
attribute documents, which ``hasattr`` relies on) fails the test.  It runs with
orjson and with the standard library's decoder.
"""
import contextlib
import io
import json
import re
from datetime import datetime

import orjson
import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import atomx.transport
from atomx import Atomx
from atomx.bulk import BulkResult
from atomx.exceptions import AtomxError
from atomx.model_list import ModelList
from atomx.models import Advertiser, AtomxModel, Report

API = 'https://api.atomx.com/v3'
KEYS = ['resource', 'success', 'error', 'id', 'name', 'advertiser', 'advertisers', 'report',
        'reporting', 'reports', 'scheduled', 'data', 'columns', 'totals', 'session', 'query',
        'metrics', 'length', 'created_at', 'from', 'to', 'profiles', 'campaigns', 'history',
        'date', 'user', 'count', 'auth_token', 'message', 'is_scheduled_report', 'emails']
SCALARS = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats()
           | st.text(max_size=12) | st.sampled_from(KEYS + ['2026-11-20T10:00:00', '../x']))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner,
                                        max_size=5), max_leaves=25)
RESOURCES = st.sampled_from(['advertiser', 'advertisers', 'report', 'reporting', 'search',
                             'history', 'x', 'profiles'])


#: An object of the API's (a model, a report, the reports list) with odd values.
OBJECTS = st.fixed_dictionaries({'id': SCALARS | VALUES}, optional=dict.fromkeys(
    ('data', 'columns', 'session', 'totals', 'reports', 'scheduled', 'name', 'length', 'query',
     'created_at', 'profiles', 'advertiser', 'date', 'from', 'to'), SCALARS | VALUES))


@st.composite
def envelopes(draw):
    """A body shaped like the API's: ``{"resource": r, r: payload, ...metadata}``."""
    resource = draw(RESOURCES)
    payload = draw(OBJECTS | st.lists(OBJECTS, max_size=3) | VALUES)
    envelope = {'resource': resource, resource: payload}
    envelope.update(draw(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=3)))
    return json.dumps(envelope, allow_nan=True).encode()


def nested(depth):
    return (b'[' * depth) + (b']' * depth)


BODIES = st.one_of(
    envelopes(),
    VALUES.map(lambda value: json.dumps(value, allow_nan=True).encode()),
    st.binary(max_size=40),
    st.sampled_from([b'', b'{', nested(5000), b'{"resource": "x", "x": 123456789012345678901234}',
                     b'{"a": "\\ud800"}', b'NaN', b'{"resource": "report", "report": '
                     b'{"id": null, "data": [[1e400]]}}']),
)
STATUSES = st.sampled_from([200, 200, 200, 201, 204, 400, 401, 404, 500, 503])


def use(value, depth=0):
    """Use a result as people do; every exception but ours (and a model attribute's
    AttributeError) fails the test.  ``depth`` stops a chain of lazy reads that a
    repeated answer would make endless."""
    repr(value)
    if depth > 3:
        return
    if isinstance(value, ModelList):
        value._repr_html_()
        assert len(value.pandas) == len(value)
    if isinstance(value, BulkResult):
        assert all(isinstance(error, AtomxError) for _, error in value.failed), value.failed
        use(value.succeeded, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value[:3]:
            use(item, depth + 1)
    elif isinstance(value, dict):
        for item in list(value.values())[:3]:
            use(item, depth + 1)
    elif isinstance(value, AtomxModel):
        value._repr_html_()
        json.dumps(value.json, default=str)
        for name in list(value._attributes)[:6] + ['profiles']:  # + a lazy read
            with contextlib.suppress(AttributeError):  # documented: hasattr relies on it
                use(getattr(value, name), depth + 1)
    elif isinstance(value, Report):
        value._repr_html_()
        assert isinstance(value.content, str)
        assert isinstance(value.csv, list)
        value.to_csv(io.StringIO())
        assert len(value.pandas) == len(value.data)
        assert value.arrow.num_rows == len(value.data)
        assert len(value.polars) == len(value.data)


def verbs(atomx):
    return {
        'get': lambda: atomx.get('advertiser', 1),
        'get list': lambda: atomx.get('advertisers', limit=2),
        'get reports': lambda: atomx.get('reports'),
        'post': lambda: atomx.post('advertiser', {'name': 'x'}),
        'put': lambda: atomx.put('advertiser', 1, {'name': 'x'}),
        'delete': lambda: atomx.delete('advertiser', 1),
        'search': lambda: atomx.search('x'),
        'report': lambda: atomx.report(scope='advertiser', groups=['day'],
                                       metrics=['impressions'], from_=datetime(2026, 1, 1),
                                       to=datetime(2026, 1, 2)),
        'history': lambda: Advertiser(1, session=atomx).history(),
        'iter': lambda: list(atomx.iter('advertisers', limit=3, page_size=2)),
        'reload': lambda: Advertiser(1, session=atomx).reload(),
        'save': lambda: Advertiser(1, session=atomx, name='x').save(),
        'create': lambda: Advertiser(session=atomx, name='x').create(),
        'report reload': lambda: Report(1, session=atomx).reload(),
        'report get': lambda: Report('abc', session=atomx).get(limit=2, offset=1),
        'iter_report': lambda: list(atomx.iter_report(
            scope='advertiser', groups=['day'], metrics=['impressions'],
            from_=datetime(2026, 1, 1), to=datetime(2026, 1, 3), split='day', page_size=2)),
        'get_many': lambda: atomx.get_many(Advertiser, [1, 2], missing='skip'),
        'get_many raise': lambda: atomx.get_many('advertiser', [1, 2]),
        'save_all': lambda: atomx.save_all([Advertiser(1, session=atomx, name='x')],
                                           workers=1),
        'create_all': lambda: atomx.create_all([Advertiser(session=atomx, name='x')],
                                               workers=1),
        'remove_all': lambda: atomx.remove_all([Advertiser(1, session=atomx)], workers=1),
    }


@pytest.fixture(params=['orjson', 'json'])
def decoder(request, monkeypatch):
    """Both decoders, orjson (the ``speedups`` extra) and the standard library's."""
    monkeypatch.setattr(atomx.transport, '_json_loads',
                        orjson.loads if request.param == 'orjson' else json.loads)
    return request.param


@pytest.fixture
def atomx_session(mocked):
    mocked.add(responses.POST, API + '/login', json={
        'success': True, 'auth_token': 't', 'user': {'id': 1, 'networks': [1]}})
    session = Atomx('user@example.com', 'password', retries=0)
    mocked.calls.reset()
    return session


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), verb=st.sampled_from(sorted(verbs(None))))
def test_only_our_exceptions_come_out_of_any_answer(decoder, mocked, atomx_session, data, verb):
    # drawn here, in the test's thread: the bulk verbs ask from their pool's threads
    answers = data.draw(st.lists(st.tuples(STATUSES, BODIES), min_size=1, max_size=6), 'answers')
    served = iter(answers + [answers[-1]] * 1000)

    def serve(request):
        status, body = next(served)
        return status, {}, body

    mocked.reset()
    for method in ('GET', 'POST', 'PUT', 'DELETE'):
        mocked.add_callback(method, re.compile(API + '/.*'), serve)
    with contextlib.suppress(AtomxError):
        use(verbs(atomx_session)[verb]())


def test_huge_integers_stay_exact_with_both_decoders(decoder, mocked, atomx_session):
    mocked.add(responses.GET, API + '/x', body=b'{"resource": "x", "x": [18446744073709551616, '
                                              b'-9223372036854775809, 1.5]}')
    assert atomx_session.get('x') == [18446744073709551616, -9223372036854775809, 1.5]


def test_deep_json_is_an_api_error_with_both_decoders(decoder, mocked, atomx_session):
    mocked.add(responses.GET, API + '/x', body=nested(100_000))
    with pytest.raises(AtomxError, match='not a JSON object'):
        atomx_session.get('x')


@pytest.mark.parametrize('verb, body', [
    ('get', {'resource': 'advertiser', 'advertiser': {'id': []}}),
    ('get', {'resource': 'advertiser', 'advertiser': {'id': 1.5}}),
    ('get reports', {'resource': 'reporting', 'reporting': {'reports': 1}}),
    ('report', {'resource': 'report', 'report': {'id': None, 'session': None}}),
    ('report', {'resource': 'report', 'report': {'id': None, 'columns': 1}}),
    ('report', {'resource': 'report', 'report': {'data': {}, 'id': None}}),
    ('report', {'resource': 'report', 'report': {'data': [None], 'id': None}}),
    ('report', {'resource': 'report', 'report': {'id': 1, 'columns': ['a'], 'data': [[1, 2]]}}),
])
def test_the_shapes_hypothesis_found_first(decoder, mocked, atomx_session, verb, body):
    for method in ('GET', 'POST'):
        mocked.add(method, re.compile(API + '/.*'), json=body)
    try:
        result = verbs(atomx_session)[verb]()
        use(result)
    except AtomxError:
        return
    if verb == 'get':  # an id that is no id: the lazy read is refused without a request
        calls = len(mocked.calls)
        assert not hasattr(result, 'name')
        assert len(mocked.calls) == calls
