"""A local server that speaks the Atomx REST API v3, with seeded demo data.

>>> from atomx.sandbox import Sandbox
>>> with Sandbox() as sandbox:                          # doctest: +SKIP
...     print(sandbox.url, sandbox.email, sandbox.password)

It is a second, independent reading of the API documents: it imports nothing of
the SDK but :mod:`atomx.names` and :mod:`atomx.version`.
"""
from .seed import DEMO_EMAIL, DEMO_PASSWORD, TOTP_SECRET
from .server import Sandbox

__all__ = ['DEMO_EMAIL', 'DEMO_PASSWORD', 'TOTP_SECRET', 'Sandbox']
