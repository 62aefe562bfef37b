"""The pytest fixtures of :mod:`atomx.testing`, used the way a user's conftest.py would."""
from __future__ import annotations

import pytest
import requests

from atomx.testing import atomx_sandbox  # noqa: F401  (the fixture under test)

pytestmark = pytest.mark.integration


def test_atomx_sandbox_is_a_fresh_running_sandbox(atomx_sandbox):  # noqa: F811
    assert atomx_sandbox.url.startswith('http://127.0.0.1:') and atomx_sandbox.url.endswith('/v3')
    login = requests.post(atomx_sandbox.url + '/login', timeout=10,
                          json={'email': atomx_sandbox.email, 'password': atomx_sandbox.password})
    assert login.status_code == 200
    headers = {'Authorization': 'Bearer ' + login.json()['auth_token']}
    site = requests.get(atomx_sandbox.url + '/site/1', headers=headers, timeout=10).json()
    assert site['site']['name'] == 'Daily Planet'  # the seed, untouched by other tests
    requests.put(atomx_sandbox.url + '/site/1', json={'name': 'changed'}, headers=headers,
                 timeout=10)


def test_atomx_sandbox_is_fresh_for_every_test(atomx_sandbox):  # noqa: F811
    login = requests.post(atomx_sandbox.url + '/login', timeout=10,
                          json={'email': atomx_sandbox.email, 'password': atomx_sandbox.password})
    headers = {'Authorization': 'Bearer ' + login.json()['auth_token']}
    site = requests.get(atomx_sandbox.url + '/site/1', headers=headers, timeout=10).json()
    assert site['site']['name'] == 'Daily Planet'
