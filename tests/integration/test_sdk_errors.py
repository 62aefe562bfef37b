"""The sandbox's error answers, as the SDK raises them: the status, the API's own
message, nothing lost (a failed save keeps its changes)."""
from __future__ import annotations

import pytest

from atomx.exceptions import APIError, ModelNotFoundError
from atomx.models import Advertiser, Site
from atomx.testing import atomx_session  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.integration


def raised_by(call, *args, **kwargs) -> APIError:
    with pytest.raises(APIError) as raised:
        call(*args, **kwargs)
    return raised.value


def api_words(error: APIError) -> str:
    """The ``error`` text of the sandbox's JSON answer behind ``error``."""
    body = error.response.json()
    assert body['success'] is False
    return body['error']


def test_unknown_id_is_a_404_with_the_sandbox_message(atomx_session):  # noqa: F811
    error = raised_by(atomx_session.get, 'advertiser', 9999)
    assert error.status_code == 404 and type(error) is APIError
    assert api_words(error) == 'advertiser 9999 not found'
    assert str(error) == 'GET advertiser/9999 failed with HTTP 404: advertiser 9999 not found'


def test_unknown_model_is_a_404_naming_it(atomx_session):  # noqa: F811
    error = raised_by(atomx_session.get, 'spaceships')
    assert error.status_code == 404 and "unknown model 'spaceships'" in str(error)
    assert api_words(error) in str(error)


def test_unknown_attribute_in_a_body_is_a_400(atomx_session):  # noqa: F811
    error = raised_by(atomx_session.post, 'site', {'name': 'x', 'publisher_id': 1, 'colour': 1})
    assert error.status_code == 400
    assert "site has no attribute 'colour'" in api_words(error)
    assert [s.name for s in atomx_session.get('sites', name='x')] == []  # nothing created


def test_a_body_that_is_no_object_is_a_400(atomx_session):  # noqa: F811
    error = raised_by(atomx_session.post, 'site', [1, 2])
    assert error.status_code == 400 and 'must be a JSON object' in api_words(error)


def test_unknown_url_parameter_is_400_and_bad_numbers_never_leave(atomx_session):  # noqa: F811
    error = raised_by(atomx_session.get, 'sites', colour='blue')
    assert error.status_code == 400 and "unknown URL parameter 'colour'" in str(error)
    # the documented numbers are checked by the SDK: a ValueError, before any request
    atomx_session.save_response = True
    atomx_session.get('sites', limit=1)
    before = atomx_session.last_response
    assert atomx_session.get('sites', offset='9' * 18) == []  # the most digits both take
    before = atomx_session.last_response
    for args, params in ((('sites',), {'limit': 'ten'}), (('profile', 11), {'depth': 3}),
                         (('sites',), {'limit': ' 10'}), (('sites',), {'offset': '9' * 19}),
                         (('sites',), {'offset': 10 ** 18})):
        with pytest.raises(ValueError, match='is not allowed'):
            atomx_session.get(*args, **params)
    assert atomx_session.last_response is before  # nothing was sent


def test_read_only_model_and_foreign_advertiser_are_403(sandbox, atomx_session):  # noqa: F811
    error = raised_by(atomx_session.delete, 'country', 1)
    assert error.status_code == 403 and api_words(error) == 'country is a read-only model'
    from atomx import Atomx

    advertiser_user = Atomx('advertiser@example.com', 'advertiser', api_endpoint=sandbox.url)
    assert advertiser_user.get('advertiser', 42).name == 'Answer Media'
    error = raised_by(advertiser_user.get, Advertiser(1))
    assert error.status_code == 403 and 'no access to advertiser 1' in str(error)


def test_a_refused_save_keeps_its_changes_for_the_next_try(atomx_session):  # noqa: F811
    site = atomx_session.get(Site, 1)
    site.publisher_id = 9999
    error = raised_by(site.save)
    assert error.status_code == 422 and 'publisher 9999 does not exist' in api_words(error)
    assert atomx_session.get(Site, 1).publisher_id == 1  # nothing half-written
    site.publisher_id = 2
    site.save()
    assert atomx_session.get(Site, 1).publisher_id == 2


def test_reload_of_a_deleted_model_is_model_not_found(atomx_session):  # noqa: F811
    site = atomx_session.get('site', 1)
    atomx_session.delete('site', 1)
    with pytest.raises(ModelNotFoundError) as raised:
        site.reload()
    assert isinstance(raised.value.__cause__, APIError)
    assert raised.value.__cause__.status_code == 404
    assert 'site 1 not found' in str(raised.value)


def test_a_lazy_attribute_of_a_deleted_model_is_an_attribute_error(atomx_session):  # noqa: F811
    creative = atomx_session.get('creative', 1, attributes=['id', 'name'])
    atomx_session.delete('creative', 1)
    with pytest.raises(AttributeError, match='title') as raised:
        creative.title  # noqa: B018
    assert raised.value.__cause__.status_code == 404


def test_a_state_the_api_does_not_know_fails_on_the_sandbox_as_in_production(
        atomx_session):  # noqa: F811
    advertiser = atomx_session.get(Advertiser, 42)
    advertiser.state = 'BOGUS'
    error = raised_by(advertiser.save)
    assert error.status_code == 422
    assert "advertiser.state must be one of ACTIVE, INACTIVE, got 'BOGUS'" in str(error)
    assert atomx_session.get(Advertiser, 42).state == 'ACTIVE'
    advertiser.state = 'INACTIVE'  # the change is kept: fix it and save again
    assert advertiser.save().state == 'INACTIVE'
