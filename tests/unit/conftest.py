"""Shared fixtures of the unit tests: HTTP mocked with ``responses``."""
import pytest
import responses

API = 'https://api.atomx.com/v3'
TOKEN = 'unit-test-token'
USER = {
    'id': 1, 'email': 'user@example.com', 'name': 'unit test user', 'state': 'ACTIVE',
    'networks': [1], 'advertisers': [], 'publishers': [],
    'created_at': '2014-09-09T15:34:56', 'updated_at': '2014-10-14T19:01:11',
}


@pytest.fixture
def mocked():
    """A ``responses`` mock that fails the test on any request it was not told about."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def session(mocked):
    """An :class:`atomx.Atomx` logged in against the mock, with the login call forgotten."""
    from atomx import Atomx

    mocked.add(responses.POST, API + '/login',
               json={'success': True, 'auth_token': TOKEN, 'user': USER})
    atomx = Atomx('user@example.com', 'password')
    mocked.calls.reset()
    return atomx
