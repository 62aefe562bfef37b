"""pytest fixtures for testing your scripts against a fresh local sandbox.

Enable them in your ``conftest.py``::

    pytest_plugins = ['atomx.testing']

(or import them by name: ``from atomx.testing import atomx_sandbox, atomx_session``)
and ask for them in a test::

    from atomx.models import Advertiser

    def test_my_script_renames_the_advertiser(atomx_session):
        my_script.rename(atomx_session, 42, 'new name')
        assert atomx_session.get(Advertiser, 42).name == 'new name'

Every test gets its own sandbox with the untouched demo data, so tests cannot
disturb each other.  The fixtures need pytest and werkzeug
(``pip install "atomx[sandbox]"``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import pytest

from .session import Atomx

if TYPE_CHECKING:  # pragma: no cover
    from .sandbox import Sandbox


@pytest.fixture
def atomx_sandbox() -> Iterator[Sandbox]:
    """A running :class:`~atomx.sandbox.Sandbox` with fresh demo data, for one test.

    It listens on a free port of 127.0.0.1 and is stopped after the test.

    :returns: the running sandbox (``url``, ``email``, ``password``, ``outbox``).
    """
    from .sandbox import Sandbox  # werkzeug is optional: imported when a test asks

    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def atomx_session(atomx_sandbox: Sandbox) -> Iterator[Atomx]:
    """An :class:`~atomx.Atomx` session logged in to ``atomx_sandbox`` as the demo user.

    The demo user has network rights: it sees and may change all demo data.  The
    session's connections are closed after the test.

    :param atomx_sandbox: the test's sandbox (the fixture above).
    :returns: the logged-in session.
    """
    with Atomx(atomx_sandbox.email, atomx_sandbox.password,
               api_endpoint=atomx_sandbox.url) as session:
        yield session


__all__ = ['atomx_sandbox', 'atomx_session']
