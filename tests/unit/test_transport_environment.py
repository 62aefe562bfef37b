"""The transport reads the proxy and CA bundle variables once, when it is made, for its
endpoint (requests would scan the environment on every request), and never ``~/.netrc``."""
import pytest
import responses

from atomx.transport import Transport
from tests.unit.conftest import API

VARIABLES = ('HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'REQUESTS_CA_BUNDLE',
             'CURL_CA_BUNDLE', 'NETRC')


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def sent_kwargs(mocked, transport):
    mocked.add(responses.GET, API + '/domains', json={'resource': 'domains', 'domains': []})
    transport.request('GET', 'domains', auth='token')
    return mocked.calls[-1].request.req_kwargs


def test_the_endpoints_proxy_from_the_environment_is_used(mocked, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    transport = Transport(API)
    assert sent_kwargs(mocked, transport)['proxies']['https'] == 'http://proxy.example:3128'


def test_no_proxy_for_the_endpoint_means_no_proxy(mocked, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    monkeypatch.setenv('NO_PROXY', 'api.atomx.com')
    assert 'https' not in sent_kwargs(mocked, Transport(API))['proxies']


def test_the_ca_bundle_of_the_environment_is_verified_against(mocked, monkeypatch):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/company.pem')
    assert sent_kwargs(mocked, Transport(API))['verify'] == '/etc/ssl/company.pem'


def test_the_environment_is_read_once_when_the_transport_is_made(mocked, monkeypatch):
    transport = Transport(API)
    monkeypatch.setenv('HTTPS_PROXY', 'http://later.example:3128')
    kwargs = sent_kwargs(mocked, transport)
    assert 'https' not in kwargs['proxies']
    assert kwargs['verify'] is True


def test_a_netrc_entry_does_not_replace_the_bearer_token(mocked, monkeypatch, tmp_path):
    netrc = tmp_path / 'netrc'
    netrc.write_text('machine api.atomx.com login someone password netrc-secret\n')
    netrc.chmod(0o600)
    monkeypatch.setenv('NETRC', str(netrc))
    sent_kwargs(mocked, Transport(API))
    assert mocked.calls[-1].request.headers['Authorization'] == 'Bearer token'


def redirected_kwargs(mocked, transport, target):
    """The send() arguments of the request that follows a redirect to ``target``."""
    mocked.add(responses.GET, API + '/domains', status=302, headers={'Location': target})
    mocked.add(responses.GET, target, json={'resource': 'domains', 'domains': []})
    transport.request('GET', 'domains', auth='token')
    assert mocked.calls[-1].request.url == target
    return mocked.calls[-1].request.req_kwargs


def test_a_redirect_to_a_host_in_no_proxy_goes_direct(mocked, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    monkeypatch.setenv('NO_PROXY', 'internal.example')
    transport = Transport(API)
    kwargs = redirected_kwargs(mocked, transport, 'https://internal.example/v3/domains')
    assert 'https' not in kwargs['proxies'] and 'no' not in kwargs['proxies']


def test_a_redirect_from_a_no_proxy_endpoint_to_another_host_takes_the_proxy(mocked,
                                                                            monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    monkeypatch.setenv('NO_PROXY', 'api.atomx.com')
    transport = Transport(API)
    kwargs = redirected_kwargs(mocked, transport, 'https://cdn.example/v3/domains')
    assert kwargs['proxies']['https'] == 'http://proxy.example:3128'
