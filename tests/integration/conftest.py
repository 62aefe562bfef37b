"""Fixtures of the integration tests: a real sandbox on 127.0.0.1, plain ``requests``."""
from __future__ import annotations

from typing import Any, Callable

import pytest
from sandbox_client import Client

from atomx.sandbox import Sandbox
from atomx.testing import atomx_sandbox  # noqa: F401  (the fixture behind ``sandbox``)


@pytest.fixture
def sandbox(atomx_sandbox: Sandbox) -> Sandbox:  # noqa: F811
    """A fresh sandbox with the demo data (``atomx.testing``'s fixture), stopped after the test."""
    return atomx_sandbox


@pytest.fixture
def live_sandbox() -> Any:
    """A fresh sandbox whose live stats channels tick every 0.05 s, stopped after the test."""
    with Sandbox(stats_interval=0.05) as running:
        yield running


@pytest.fixture
def pass_time(sandbox: Sandbox) -> Callable[[float], None]:
    """Moves the sandbox's token clock forward by some seconds: tokens expire as they
    would after that long, without the test sleeping through it."""
    tokens = sandbox.backend.tokens
    real_clock, passed = tokens._clock, [0.0]
    tokens._clock = lambda: real_clock() + passed[0]

    def advance(seconds: float) -> None:
        passed[0] += seconds
    return advance


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
