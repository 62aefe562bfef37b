"""The path rule on the wire: no request leaves the endpoint's path prefix (atomx.paths)."""
import posixpath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atomx import Atomx
from atomx.exceptions import ModelNotFoundError
from atomx.models import Advertiser
from tests.live_server import LiveServer, json_reply

pytestmark = pytest.mark.integration

USER = {'id': 1, 'email': 'live@example.com', 'networks': [1]}
PREFIX = '/v3/'


def respond(seen):
    if seen.path == PREFIX + 'login':
        return json_reply({'success': True, 'auth_token': 'path-token', 'user': USER})
    if seen.path == PREFIX + 'advertiser/7':
        return json_reply({'resource': 'advertiser',
                           'advertiser': {'id': '../../admin/wipe', 'name': 'evil'}})
    return json_reply({'success': True, 'resource': 'x', 'x': {'id': 1}})


@pytest.fixture(scope='module')
def server():
    with LiveServer() as live:
        live.respond = respond
        yield live


@pytest.fixture(scope='module')
def atomx(server):
    with Atomx('live@example.com', 'pw', api_endpoint=server.url + '/v3', retries=0) as session:
        yield session


def sent_after(server, call):
    """The paths the server saw while ``call`` ran, and what it raised (or None)."""
    before = len(server.seen)
    try:
        call()
    except (ValueError, TypeError) as error:
        raised = error
    else:
        raised = None
    return [seen.path for seen in server.seen[before:]], raised


@pytest.mark.parametrize('call, message', [
    (lambda a: a.delete('site', '../user/1'), "'..'"),
    (lambda a: a.get('advertiser', '../../admin'), "'..'"),
    (lambda a: a.get('advertiser', '1#', 'profiles'), 'other characters'),
    (lambda a: a.get('advertiser?admin=1'), 'other characters'),
    (lambda a: a.get('advertiser/%2e%2e/user'), 'other characters'),
    (lambda a: a.get('advertiser/./1'), "'.'"),
    (lambda a: a.get('advertiser//1'), 'empty segment'),
    (lambda a: a.get('advertiser', 'a\nb'), 'other characters'),
    (lambda a: a.put('advertiser', '1/../../user', {}), "'1/../../user'"),
])
def test_a_part_that_breaks_the_rule_is_a_value_error_before_any_request(server, atomx, call,
                                                                         message):
    paths, raised = sent_after(server, lambda: call(atomx))
    assert paths == []
    assert isinstance(raised, ValueError) and message in str(raised)
    assert 'ASCII letters, digits' in str(raised)  # says what is allowed


def test_a_model_built_with_an_id_that_is_no_number_never_reaches_the_wire(server, atomx):
    # the model id rule (atomx.models.checked_id) refuses it when the model is built
    paths, raised = sent_after(server, lambda: atomx.get(Advertiser('..')))
    assert paths == []
    assert isinstance(raised, ValueError) and "a model id is a whole number" in str(raised)


def test_the_documented_forms_still_go_where_they_say(server, atomx):
    paths, raised = sent_after(server, lambda: (
        atomx.get('advertiser/42/profiles'), atomx.get('advertiser', 42, 'profiles'),
        atomx.get(Advertiser(42)), atomx.get('/conversion-pixels/'),
        atomx.get('report', 'fe0a-1.b~c,d')))
    assert raised is None
    assert paths == ['/v3/advertiser/42/profiles', '/v3/advertiser/42/profiles',
                     '/v3/advertiser/42', '/v3/conversion-pixels', '/v3/report/fe0a-1.b~c,d']


def test_an_id_answered_by_the_api_cannot_steer_a_delete(server, atomx):
    model = atomx.get('advertiser', 7)
    assert model.id == '../../admin/wipe'
    before = len(server.seen)
    with pytest.raises(ModelNotFoundError, match='no id the API can have'):
        model.delete()
    with pytest.raises(ModelNotFoundError):
        model.reload()
    assert not hasattr(model, 'profiles')  # a lazy read is refused too, as an AttributeError
    assert server.seen[before:] == []


PIECES = st.sampled_from(list('ab1_-.~,/?#%&=;: \\\t\n\x00é€') + ['..', '%2e', '%2f', '../'])
TEXT = st.lists(PIECES, max_size=6).map(''.join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(TEXT, st.integers(-5, 10**12)),
                      min_size=1, max_size=3),
       verb=st.sampled_from(['get', 'delete']))
def test_no_request_ever_leaves_the_endpoint_path_prefix(server, atomx, parts, verb):
    paths, raised = sent_after(server, lambda: getattr(atomx, verb)(*parts))
    if raised is not None:
        assert paths == []
        return
    assert len(paths) == 1
    path = paths[0]
    assert path.startswith(PREFIX)
    assert '?' not in path and '#' not in path and '%' not in path
    assert posixpath.normpath(path) == path  # no dot segment, nothing for a server to resolve
    expected = '/'.join(str(part).strip('/') for part in parts)
    assert path == PREFIX + expected  # nothing dropped, nothing added
