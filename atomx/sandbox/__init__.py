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

The server is a second, independent reading of the API documents: it imports
nothing of the SDK but :mod:`atomx.names` and :mod:`atomx.version`.
"""
from .auth import totp_code
from .seed import DEMO_EMAIL, DEMO_PASSWORD, TOTP_SECRET, USERS
from .server import DEFAULT_PORT, Sandbox

__all__ = ['DEFAULT_PORT', 'DEMO_EMAIL', 'DEMO_PASSWORD', 'TOTP_SECRET', 'USERS', 'Sandbox',
           'totp_code']
