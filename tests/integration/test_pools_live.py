"""The adapter's pools after the bulk verbs grew them, over real sockets: one host keeps one
pool, and its idle connections serve the next requests (atomx.adapter.keep_connections)."""
import pytest
import requests

from atomx.adapter import EndpointAdapter
from tests.live_server import LiveServer, json_reply
from tests.site_api import clear_proxy_variables

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    clear_proxy_variables(monkeypatch)


def _pools_per_host(manager):
    """How many pools the urllib3 pool manager holds for each (host, port)."""
    counts = {}
    for key in manager.pools.keys():  # noqa: SIM118 (it cannot be iterated)
        host = (key.key_host, key.key_port)
        counts[host] = counts.get(host, 0) + 1
    return counts


def _answering(server):
    server.respond = lambda seen: json_reply({'success': True})
    return server


def test_a_grown_pool_is_found_again_when_the_adapter_forgot_it():
    # two pools remembered at most: a third origin makes the adapter forget what it knew,
    # and the pool manager is asked again for the first origin's pool after growth
    adapter = EndpointAdapter(pool_connections=2)
    http = requests.Session()
    http.mount('http://', adapter)
    with LiveServer() as one, LiveServer() as two, LiveServer() as three:
        for server in (one, two, three):
            _answering(server)
        for server in (one, two):
            assert http.get(f'{server.url}/v3/site/1', timeout=(5, 5)).ok
        adapter.keep_connections(16)  # a bulk verb starts
        for server in (three, two, two):
            assert http.get(f'{server.url}/v3/site/1', timeout=(5, 5)).ok
        port = int(two.url.rsplit(':', 1)[1])
        assert _pools_per_host(adapter.poolmanager)[('127.0.0.1', port)] == 1
        assert two.connections == 1  # its idle connection served the later requests
        manager = adapter.poolmanager
        assert [manager.pools.get(key).pool.maxsize
                for key in manager.pools.keys()] == [16, 16]  # noqa: SIM118
    http.close()


def test_a_proxy_keeps_one_pool_after_growth():
    adapter = EndpointAdapter(pool_connections=2)
    http = requests.Session()
    http.mount('http://', adapter)
    with LiveServer() as proxy, LiveServer() as other:
        _answering(proxy)
        _answering(other)
        proxies = {'http': proxy.url}
        for url in ('http://a.invalid/v3/site/1', 'http://b.invalid/v3/site/1'):
            assert http.get(url, proxies=proxies, timeout=(5, 5)).ok
        adapter.keep_connections(16)
        assert http.get(f'{other.url}/v3/site/1', timeout=(5, 5)).ok  # forgets the proxied
        assert http.get('http://a.invalid/v3/site/1', proxies=proxies, timeout=(5, 5)).ok
        manager = adapter.proxy_manager_for(proxy.url)
        assert sum(_pools_per_host(manager).values()) == 1
        assert proxy.connections == 1
    http.close()
