"""A tiny API for wire tests on a :class:`~tests.live_server.LiveServer`: a login and
one site, and an environment without proxy or CA bundle variables."""
from __future__ import annotations

from typing import Any

from tests.live_server import Reply, Seen, json_reply

USER = {'id': 1, 'email': 'live@example.com', 'networks': [1]}
SITE = {'success': True, 'resource': 'site', 'site': {'id': 1, 'name': 'one'}}
PROXY_VARIABLES = ('HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'REQUESTS_CA_BUNDLE',
                   'CURL_CA_BUNDLE')


def clear_proxy_variables(monkeypatch: Any) -> None:
    """No proxy or CA bundle variable (either case) but those a test sets later."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def answer(seen: Seen) -> Reply:
    """The API: a login (token ``live-token``) and one site."""
    if seen.path.endswith('/login'):
        return json_reply({'success': True, 'auth_token': 'live-token', 'user': USER})
    return json_reply(SITE)
