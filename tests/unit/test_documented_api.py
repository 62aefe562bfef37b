"""The documented names, parameters and defaults, to the letter.

The expected signatures are those of the documented client (python-client-docs:
``atomx.Atomx``, its methods, ``atomx.models.AtomxModel`` and its methods, every
model class and the exceptions).  The session adds only the keyword-only
``timeout`` and ``retries`` that issue 2 asks for.
"""
import inspect

import pytest
import responses

import atomx
import atomx.exceptions
import atomx.models
from atomx import Atomx
from atomx.models import AtomxModel
from atomx.names import MODEL_NAMES
from tests.unit.conftest import API, USER


def documented(obj) -> str:
    """``obj``'s signature as the docs print it: no annotations, no ``self``."""
    signature = inspect.signature(obj)
    parameters = [parameter.replace(annotation=inspect.Parameter.empty)
                  for name, parameter in signature.parameters.items() if name != 'self']
    return str(signature.replace(parameters=parameters,
                                 return_annotation=inspect.Signature.empty))


SESSION_METHODS = {
    'create': '(model)',
    'delete': '(resource, *args, **kwargs)',
    'get': '(resource, *args, **kwargs)',
    'login': '(email, password, totp=None, expiration=None)',
    'logout': '()',
    'post': '(resource, json, **kwargs)',
    'put': '(resource, id, json, **kwargs)',
    'remove': '(model)',
    'report': "(scope=None, groups=None, metrics=None, where=None, from_=None, to=None, "
              "daterange=None, timezone='UTC', emails=None, when=None, interval=None, "
              "name=None, sort=None, limit=None, offset=None, save=True, editable=False)",
    'save': '(model)',
    'search': '(query, index=None)',
}

MODEL_METHODS = {
    'create': '(session=None)',
    'delete': '(session=None)',
    'history': "(session=None, offset=0, limit=100, sort='date.asc')",
    'reload': '(session=None, **kwargs)',
    'save': '(session=None)',
    'update': '(session=None)',
}

DOCUMENTED_EXCEPTIONS = ['APIError', 'InvalidCredentials', 'MissingArgumentError',
                         'ModelNotFoundError', 'NoPandasInstalledError', 'NoSessionError']


def test_the_session_signature_is_the_documented_one_plus_keyword_only_additions():
    assert documented(Atomx) == (
        "(email, password, totp=None, api_endpoint='https://api.atomx.com/v3', "
        "save_response=True, expiration=None, *, "
        "timeout=Timeout(connect=10.0, read=120.0, total=300.0), retries=3, "
        "max_rate=None, token_cache=False)")


@pytest.mark.parametrize('name, signature', SESSION_METHODS.items())
def test_every_documented_session_method_has_the_documented_signature(name, signature):
    assert documented(getattr(Atomx, name)) == signature


def test_the_session_has_the_documented_attributes(session):
    assert session.save_response is True
    assert session.last_response is None  # nothing requested yet but the login
    assert isinstance(session.user, atomx.models.User)
    assert isinstance(session.auth_token, str)
    assert Atomx.from_env.__self__ is Atomx  # a classmethod


def test_login_and_logout_return_none(session, mocked):
    mocked.add(responses.POST, API + '/login', json={'auth_token': 'again', 'user': USER})
    assert session.login('user@example.com', 'password') is None
    assert session.auth_token == 'again'
    assert session.logout() is None


def test_the_model_signature_and_methods_are_the_documented_ones():
    assert documented(AtomxModel) == '(id=None, session=None, **attributes)'
    for name, signature in MODEL_METHODS.items():
        assert documented(getattr(AtomxModel, name)) == signature, name
    assert isinstance(inspect.getattr_static(AtomxModel, 'json'), property)


@pytest.mark.parametrize('name', MODEL_NAMES)
def test_every_model_class_takes_the_documented_arguments(name):
    cls = getattr(atomx.models, name)
    assert documented(cls) == '(id=None, session=None, **attributes)'
    for method in MODEL_METHODS:
        assert getattr(cls, method) is getattr(AtomxModel, method)


@pytest.mark.parametrize('name', DOCUMENTED_EXCEPTIONS)
def test_every_documented_exception_is_in_atomx_exceptions_with_a_docstring(name):
    cls = getattr(atomx.exceptions, name)
    assert cls.__module__ == 'atomx.exceptions'
    assert name in atomx.exceptions.__all__
    assert issubclass(cls, atomx.exceptions.AtomxError)
    assert cls.__doc__ and cls.__doc__ != atomx.exceptions.AtomxError.__doc__


def test_the_package_exports():
    import sys

    from atomx.session import Atomx as session_class
    assert atomx.Atomx is session_class
    assert vars(atomx)['models'] is sys.modules['atomx.models']
    assert vars(atomx)['exceptions'] is sys.modules['atomx.exceptions']
    assert atomx.API_VERSION == 'v3'
    assert atomx.__version__ == atomx.VERSION
    assert set(atomx.__all__) == {'Atomx', 'API_VERSION', 'VERSION', '__version__',
                                  'exceptions', 'models', 'Timeout'}
    assert atomx.Timeout is sys.modules['atomx.timeouts'].Timeout
