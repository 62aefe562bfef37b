"""pytest fixtures for testing scripts against a fresh local sandbox.

Add them to your ``conftest.py``::

    pytest_plugins = ['atomx.testing']

or import them by name (``from atomx.testing import atomx_sandbox, atomx_session``).
``atomx_sandbox`` is a running :class:`atomx.sandbox.Sandbox` with fresh demo data
(one per test); ``atomx_session`` an :class:`atomx.Atomx` session logged in to it
as the demo user.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest


@pytest.fixture
def atomx_sandbox() -> Iterator[Any]:
    """A fresh sandbox on a free port of 127.0.0.1, stopped after the test."""
    from .sandbox import Sandbox

    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def atomx_session(atomx_sandbox: Any) -> Any:
    """An :class:`atomx.Atomx` session logged in to ``atomx_sandbox`` as the demo user."""
    from . import Atomx

    session_class: Any = Atomx  # typed loosely: the session lands from another branch
    return session_class(atomx_sandbox.email, atomx_sandbox.password,
                         api_endpoint=atomx_sandbox.url)
