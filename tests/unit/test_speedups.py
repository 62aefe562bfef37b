"""The ``speedups`` extra: the transport decodes with orjson when it is installed."""
import json
import sys

import orjson  # in the test extra, so that both decoders are always tested
import pytest
import responses

from atomx import transport
from atomx.exceptions import APIError
from tests.unit.conftest import API

DECODERS = {'orjson': orjson.loads, 'stdlib': json.loads}


def test_orjson_is_chosen_when_importable():
    assert transport.fastest_json_loads() is orjson.loads
    assert transport._json_loads is orjson.loads  # installed here, so in use


def test_the_stdlib_is_chosen_without_orjson(monkeypatch):
    monkeypatch.setitem(sys.modules, 'orjson', None)  # import orjson now fails
    assert transport.fastest_json_loads() is json.loads


@pytest.fixture(params=sorted(DECODERS))
def decoder(request, monkeypatch):
    monkeypatch.setattr(transport, '_json_loads', DECODERS[request.param])
    return request.param


def test_both_decoders_give_the_same_envelope(decoder):
    text = '{"resource": "sites", "sites": [{"id": 1, "name": "Caf\\u00e9 \u00e9", ' \
           '"bid": 0.5, "tags": null, "on": true}], "count": 1}'
    assert transport.decode_json(text.encode()) == json.loads(text)


def test_both_decoders_raise_value_errors_for_broken_json(decoder):
    for broken in (b'', b'{"a": ', b'<html>busy</html>', b'\xff\xfe'):
        with pytest.raises(ValueError):
            transport.decode_json(broken)


def test_a_broken_body_is_an_api_error_with_either_decoder(decoder, session, mocked):
    mocked.add(responses.GET, API + '/sites', body=b'{"sites": [', status=200)
    with pytest.raises(APIError, match='not a JSON object'):
        session.get('sites')


def test_a_session_get_decodes_with_either_decoder(decoder, session, mocked):
    mocked.add(responses.GET, API + '/sites',
               json={'resource': 'sites', 'sites': [{'id': 7, 'name': 'seven'}]})
    assert [site.name for site in session.get('sites')] == ['seven']
