"""The websocket's proxy is the one the session's REST requests use for its URL."""
import pytest
import requests

from atomx.proxy_choice import rest_proxy
from atomx.transport import Transport
from tests.site_api import PROXY_VARIABLES


@pytest.fixture(autouse=True)
def no_proxy_variables(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def test_the_websocket_scheme_takes_the_proxy_of_its_http_scheme():
    http = requests.Session()
    http.proxies.update(http='http://plain:3128', https='http://tls:3128')
    assert rest_proxy(http, 'ws://api.example/v3/websocket') == 'http://plain:3128'
    assert rest_proxy(http, 'wss://api.example/v3/websocket') == 'http://tls:3128'


def test_a_proxy_for_the_host_wins_over_the_schemes_and_none_is_direct():
    http = requests.Session()
    http.trust_env = False
    http.proxies.update({'https://api.example': 'http://host:1', 'all': 'http://any:2'})
    assert rest_proxy(http, 'wss://api.example/v3/websocket') == 'http://host:1'
    assert rest_proxy(http, 'wss://other.example/v3/websocket') == 'http://any:2'
    assert rest_proxy(requests.Session(), 'wss://api.example/v3/websocket') is None


def test_the_environment_as_the_transport_read_it_and_its_no_proxy(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://user:pw@envproxy:3128')
    monkeypatch.setenv('NO_PROXY', 'internal.example')
    through = Transport('https://api.example/v3')
    direct = Transport('https://internal.example/v3')
    monkeypatch.setenv('HTTPS_PROXY', 'http://later:3128')  # read once, as the REST requests do
    assert rest_proxy(through.http, 'wss://api.example/v3/websocket') == \
        'http://user:pw@envproxy:3128'
    assert rest_proxy(direct.http, 'wss://internal.example/v3/websocket') is None
