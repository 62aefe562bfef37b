"""A local server that speaks the Atomx REST API v3, with seeded demo data.

Try the client, develop a script or test one without a production account::

    from atomx import Atomx
    from atomx.sandbox import Sandbox

    with Sandbox() as sandbox:            # a free port of 127.0.0.1
        atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url)
        profiles = atomx.get('advertiser/42/profiles', order_by='updated_at.desc')

From a shell, ``atomx sandbox [--host 127.0.0.1] [--port 6543] [--data FILE]`` or
``python -m atomx.sandbox`` runs it in the foreground until Ctrl-C.  The demo
users are in :data:`USERS`; :func:`totp_code` gives the current code of the TOTP
user's :data:`TOTP_SECRET`.  For pytest fixtures see :mod:`atomx.testing`.

It needs werkzeug (``pip install "atomx[sandbox]"``); without it, importing
this package raises :class:`~atomx.exceptions.MissingDependencyError` saying so.

The server is a second, independent reading of the API documents: it imports
nothing of the SDK but :mod:`atomx.names`, :mod:`atomx.version` and
:mod:`atomx.optional` (for the error above).
"""
from typing import Any, Tuple

from ..optional import require

# werkzeug serves the sandbox: without it, say which extra brings it (before any
# module below fails on it with a bare ModuleNotFoundError).
require('werkzeug', 'sandbox', 'atomx.sandbox')

from . import seed as _seed  # noqa: E402
from . import server as _server  # noqa: E402
from .auth import totp_code  # noqa: E402
from .server import Sandbox  # noqa: E402

#: The port of ``atomx sandbox`` and ``python -m atomx.sandbox``: 6543, that of
#: the API documentation's curl example.  :class:`Sandbox` takes a free one.
DEFAULT_PORT: int = _server.DEFAULT_PORT
#: The demo user's email, ``demo@example.com`` (network rights: sees and changes
#: everything); also :attr:`Sandbox.email`.
DEMO_EMAIL: str = _seed.DEMO_EMAIL
#: The demo user's password, ``demo``; also :attr:`Sandbox.password`.
DEMO_PASSWORD: str = _seed.DEMO_PASSWORD
#: The base32 TOTP secret of ``totp@example.com`` (password ``totp``):
#: ``totp_code(TOTP_SECRET)`` is its current code.
TOTP_SECRET: str = _seed.TOTP_SECRET
#: Every demo user as ``(id, email, password, name, networks, advertisers,
#: publishers, totp_secret)``: the network user ``demo@example.com``, the
#: advertiser-only ``advertiser@example.com`` (advertiser 42), the
#: publisher-only ``publisher@example.com`` (publisher 23) and the TOTP user
#: ``totp@example.com``; the rights are lists of ids.
USERS: Tuple[Tuple[Any, ...], ...] = _seed.USERS

__all__ = ['DEFAULT_PORT', 'DEMO_EMAIL', 'DEMO_PASSWORD', 'TOTP_SECRET', 'USERS', 'Sandbox',
           'totp_code']
