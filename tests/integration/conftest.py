"""Fixtures of the integration tests: a real sandbox on 127.0.0.1, plain ``requests``."""
from __future__ import annotations

from typing import Any, Iterator

import pytest
import requests

from atomx.sandbox import Sandbox


class Client(requests.Session):
    """A ``requests`` session whose paths are relative to the sandbox's ``/v3``."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def request(self, method: str, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault('timeout', 10)
        target = path if path.startswith('http') else f'{self.url}/{path.lstrip("/")}'
        return super().request(method, target, *args, **kwargs)

    def login(self, email: str, password: str, **extra: Any) -> dict:
        """Log in and send the token from now on; returns the login answer."""
        answer = self.post('login', json={'email': email, 'password': password, **extra})
        assert answer.status_code == 200, answer.text
        self.headers['Authorization'] = 'Bearer ' + answer.json()['auth_token']
        return answer.json()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh sandbox with the demo data, stopped after the test."""
    with Sandbox() as running:
        yield running


@pytest.fixture
def anonymous(sandbox: Sandbox) -> Client:
    """A client without a token."""
    return Client(sandbox.url)


@pytest.fixture
def api(sandbox: Sandbox) -> Client:
    """A client logged in as the demo (network) user."""
    client = Client(sandbox.url)
    client.login(sandbox.email, sandbox.password)
    return client


@pytest.fixture
def advertiser_api(sandbox: Sandbox) -> Client:
    """A client logged in as the advertiser-only user (advertiser 42)."""
    client = Client(sandbox.url)
    client.login('advertiser@example.com', 'advertiser')
    return client


@pytest.fixture
def publisher_api(sandbox: Sandbox) -> Client:
    """A client logged in as the publisher-only user (publisher 23)."""
    client = Client(sandbox.url)
    client.login('publisher@example.com', 'publisher')
    return client


def _error_of(response: Any, status: int) -> str:
    """Assert a JSON error answer with ``status``; return its message."""
    assert response.status_code == status, response.text
    assert response.headers['Content-Type'].startswith('application/json')
    body = response.json()
    assert body['success'] is False
    assert set(body) == {'success', 'error'}
    return body['error']


@pytest.fixture
def error_of() -> Any:
    """``error_of(response, status)``: assert a JSON error answer, return its message."""
    return _error_of
