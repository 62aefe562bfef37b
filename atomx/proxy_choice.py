"""Which proxy the session's REST requests use for a URL, so that the websocket
of live updates goes the same way.

The transport reads ``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY`` once, into the
proxies of its ``requests.Session`` (see :mod:`atomx.transport`), where the
user may set proxies too (``session._transport.http.proxies``).  websockets
knows nothing of those: it reads the environment when it connects.
:func:`rest_proxy` gives requests' own choice (``merge_environment_settings``
then ``select_proxy``, as ``Session.request`` makes it) for the ``http(s)``
form of a websocket URL.
"""
from __future__ import annotations

from typing import Optional

import requests

#: The http(s) scheme whose proxies a websocket scheme takes.
_HTTP_SCHEMES = {'ws': 'http', 'wss': 'https'}


def rest_proxy(http: requests.Session, url: str) -> Optional[str]:
    """The proxy URL the REST requests of ``http`` would use for ``url``, or ``None``.

    :param http: the transport's ``requests.Session`` (its proxies, its ``trust_env``).
    :param url: a ``ws://``/``wss://`` URL (its ``http://``/``https://`` form is
        looked up) or an ``http(s)://`` URL.
    :returns: the proxy URL, credentials included, or ``None`` for a direct connection.
    """
    scheme, sep, rest = url.partition('://')
    target = f'{_HTTP_SCHEMES.get(scheme.lower(), scheme)}{sep}{rest}'
    proxies = http.merge_environment_settings(target, {}, None, None, None)['proxies']
    return requests.utils.select_proxy(target, proxies) or None


__all__ = ['rest_proxy']
