"""The exceptions: the hierarchy of PROTOCOL.md, and they survive pickling."""
import pickle

import pytest
import requests
import responses

import atomx.exceptions as exc
from atomx import Atomx
from atomx.transport import Transport
from tests.unit.conftest import API

DOCUMENTED = ['APIError', 'InvalidCredentials', 'MissingArgumentError', 'ModelNotFoundError',
              'NoPandasInstalledError', 'NoSessionError']

PARENTS = {
    'APIError': exc.AtomxError,
    'InvalidCredentials': exc.APIError,
    'TotpRequiredError': exc.InvalidCredentials,
    'APIConnectionError': exc.APIError,
    'MissingArgumentError': exc.AtomxError,
    'ModelNotFoundError': exc.AtomxError,
    'MissingDependencyError': exc.AtomxError,
    'NoPandasInstalledError': exc.MissingDependencyError,
    'NoSessionError': exc.AtomxError,
    'SubscriptionError': exc.AtomxError,
}


def test_the_documented_exceptions_exist():
    for name in DOCUMENTED:
        assert issubclass(getattr(exc, name), exc.AtomxError)


@pytest.mark.parametrize('name, parent', PARENTS.items())
def test_hierarchy(name, parent):
    cls = getattr(exc, name)
    assert cls.__bases__[0] is parent
    assert issubclass(cls, exc.AtomxError) and issubclass(exc.AtomxError, Exception)


@pytest.mark.parametrize('name', sorted(PARENTS))
def test_pickling_keeps_type_and_message(name):
    cls = getattr(exc, name)
    copy = pickle.loads(pickle.dumps(cls('what went wrong')))
    assert type(copy) is cls
    assert str(copy) == 'what went wrong'


def test_an_api_error_from_a_real_answer_pickles_with_its_status(mocked):
    mocked.add(responses.GET, API + '/site/9', status=404, json={'error': 'site 9 not found'})
    with pytest.raises(exc.APIError) as info:
        Transport(API).request('GET', 'site/9')
    assert info.value.response is not None
    copy = pickle.loads(pickle.dumps(info.value))
    assert (type(copy), str(copy), copy.status_code) == \
        (exc.APIError, 'GET site/9 failed with HTTP 404: site 9 not found', 404)
    assert copy.response is None  # the live response holds a connection: not pickled
    assert (copy.method, copy.path) == (info.value.method, info.value.path) == ('GET', 'site/9')


def test_an_api_error_repr_shows_status_method_and_path():
    error = exc.APIError('GET site/9 failed with HTTP 404: gone', 404, method='GET',
                         path='site/9')
    assert repr(error) == ("APIError('GET site/9 failed with HTTP 404: gone', status_code=404, "
                           "method='GET', path='site/9')")
    assert repr(exc.InvalidCredentials('no')).startswith("InvalidCredentials('no', "
                                                         "status_code=None")


def test_a_connection_error_says_where_it_failed(mocked):
    mocked.add(responses.GET, API + '/sites', body=requests.ConnectionError('refused'))
    with pytest.raises(exc.APIConnectionError) as info:
        Transport(API, retries=0).request('GET', 'sites')
    assert (info.value.method, info.value.path, info.value.status_code) == ('GET', 'sites', None)
    copy = pickle.loads(pickle.dumps(info.value))
    assert (type(copy), copy.method, copy.path) == (exc.APIConnectionError, 'GET', 'sites')


def test_a_missing_argument_is_also_a_value_error():
    assert issubclass(exc.MissingArgumentError, ValueError)
    with pytest.raises(ValueError, match='ATOMX_EMAIL'):
        Atomx.from_env({})


def test_a_connection_error_pickles_without_status():
    copy = pickle.loads(pickle.dumps(exc.APIConnectionError('no answer', None)))
    assert copy.status_code is None
    assert isinstance(copy, exc.APIError)


def test_a_missing_dependency_is_an_import_error_naming_package_and_extra():
    error = exc.MissingDependencyError('Report.arrow needs pyarrow', 'pyarrow', 'arrow')
    assert isinstance(error, ImportError) and isinstance(error, exc.AtomxError)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.package, copy.extra) == \
        ('Report.arrow needs pyarrow', 'pyarrow', 'arrow')
    assert issubclass(exc.NoPandasInstalledError, ImportError)


def test_a_subscription_error_pickles_with_the_refused_channels():
    error = exc.SubscriptionError('refused advertiser:9', {'advertiser:9': 'not found'})
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.refused) == ('refused advertiser:9', {'advertiser:9': 'not found'})
