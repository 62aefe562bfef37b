"""atomx.prepared and atomx.adapter: what requests would do, for less.

Every request the templates prepare must equal what ``Session.prepare_request``
prepares for the same call (URL, headers, body, hooks), and the adapter must
answer what requests' own adapter answers.
"""
import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from atomx.adapter import EndpointAdapter
from atomx.prepared import RequestPreparer, WatchedHeaders

ENDPOINT = 'https://api.atomx.test/v3'


def session():
    http = requests.Session()
    http.trust_env = False
    http.headers['User-Agent'] = 'atomx-test'
    return http


def by_requests(http, method, path, params=None, body=None, token=None):
    headers = {'Authorization': f'Bearer {token}'} if token else {}
    return http.prepare_request(requests.Request(method, f'{ENDPOINT}/{path}', params=params,
                                                 json=body, headers=headers))


def same(ours, theirs):
    assert (ours.method, ours.url, dict(ours.headers), ours.body, ours.hooks) == (
        theirs.method, theirs.url, dict(theirs.headers), theirs.body, theirs.hooks)


@pytest.mark.parametrize('method, path, params, body, token', [
    ('GET', 'site/1', None, None, 'tok'),
    ('GET', 'sites', 'limit=10&sort=id.asc&attributes=id,name', None, 'tok'),
    ('GET', 'search', 'q=caf%C3%A9+au+lait&index=sites', None, 'tok'),
    ('GET', 'search', 'q=%7e%41', None, 'tok'),  # requests unquotes unreserved escapes
    ('GET', 'search', 'q=a b&r=ü', None, 'tok'),  # and quotes what is not allowed
    ('GET', 'search', 'q=a#b', None, 'tok'),  # a fragment is split off
    ('POST', 'login', None, {'email': 'e', 'password': 'p'}, None),
    ('PUT', 'site/1', 'depth=1', {'name': 'ü', 'ids': [1, 2]}, 'tok'),
    ('DELETE', 'site/1', None, None, 'tok'),  # Content-Length: 0
    ('POST', 'sites', None, None, 'tok'),
])
def test_a_prepared_request_is_the_one_requests_prepares(method, path, params, body, token):
    http = session()
    ours = RequestPreparer(http, ENDPOINT).prepare(method, f'{ENDPOINT}/{path}', params, body,
                                                   token)
    same(ours, by_requests(http, method, path, params, body, token))


@given(st.text(alphabet='abz09%AFaf-._~!$&()*+,;=:@/?# \u00e9', max_size=12))
def test_any_query_gets_the_url_requests_gives_it(params):
    http = session()
    try:
        theirs = by_requests(http, 'GET', 'sites', params)
    except requests.exceptions.InvalidURL:
        with pytest.raises(requests.exceptions.InvalidURL):
            RequestPreparer(http, ENDPOINT).prepare('GET', f'{ENDPOINT}/sites', params, None,
                                                    None)
        return
    ours = RequestPreparer(http, ENDPOINT).prepare('GET', f'{ENDPOINT}/sites', params, None, None)
    assert ours.url == theirs.url


def test_a_json_body_that_cannot_be_sent_raises_as_requests_raises():
    preparer = RequestPreparer(session(), ENDPOINT)
    with pytest.raises(requests.exceptions.InvalidJSONError):
        preparer.prepare('POST', f'{ENDPOINT}/sites', None, {'x': float('nan')}, 'tok')


def test_each_call_gets_its_own_request_and_headers():
    preparer = RequestPreparer(session(), ENDPOINT)
    first = preparer.prepare('POST', f'{ENDPOINT}/sites', None, {'a': 1}, 'tok')
    second = preparer.prepare('POST', f'{ENDPOINT}/sites', None, None, 'tok')
    first.headers['X-Changed'] = '1'
    assert first is not second and 'X-Changed' not in second.headers
    assert second.body is None and second.headers['Content-Length'] == '0'


def test_a_new_token_or_new_session_headers_make_a_new_template():
    http = session()
    preparer = RequestPreparer(http, ENDPOINT)
    assert preparer.prepare('GET', f'{ENDPOINT}/x', None, None, 'a').headers['Authorization'] \
        == 'Bearer a'
    assert preparer.prepare('GET', f'{ENDPOINT}/x', None, None, 'b').headers['Authorization'] \
        == 'Bearer b'
    assert 'Authorization' not in preparer.prepare('GET', f'{ENDPOINT}/x', None, None, None).headers
    http.headers['X-Team'] = 'growth'
    http.headers.update({'Accept': 'text/plain'})
    same(preparer.prepare('GET', f'{ENDPOINT}/x', None, None, 'b'),
         by_requests(http, 'GET', 'x', token='b'))
    del http.headers['X-Team']
    assert 'X-Team' not in preparer.prepare('GET', f'{ENDPOINT}/x', None, None, 'b').headers


def test_session_cookies_are_sent_where_they_belong():
    http = session()
    http.cookies.set('balancer', 'node-7', domain='api.atomx.test', path='/v3')
    http.cookies.set('other', '1', domain='api.atomx.test', path='/elsewhere')
    ours = RequestPreparer(http, ENDPOINT).prepare('GET', f'{ENDPOINT}/site/1', None, None, 't')
    same(ours, by_requests(http, 'GET', 'site/1', token='t'))
    assert ours.headers['Cookie'] == 'balancer=node-7'


@pytest.mark.parametrize('change', [
    lambda http: setattr(http, 'trust_env', True),
    lambda http: setattr(http, 'auth', ('user', 'pw')),
    lambda http: http.params.update(key='value'),
    lambda http: http.hooks['response'].append(print),
    lambda http: setattr(http, 'headers', {'User-Agent': 'mine'}),
], ids=['trust_env', 'auth', 'params', 'hooks', 'headers replaced'])
def test_what_a_template_cannot_hold_leaves_the_preparing_to_requests(change):
    http = session()
    preparer = RequestPreparer(http, ENDPOINT)
    assert preparer.usable() and isinstance(http.headers, WatchedHeaders)
    change(http)
    assert not preparer.usable()


def test_the_settings_are_the_sessions_as_session_request_merges_them():
    http = session()
    http.verify = '/etc/bundle.pem'
    http.cert = ('c.pem', 'k.pem')
    http.proxies = {'https': 'http://proxy:3128', 'http': None}
    assert RequestPreparer(http, ENDPOINT).settings() == {
        'verify': '/etc/bundle.pem', 'cert': ('c.pem', 'k.pem'),
        'proxies': {'https': 'http://proxy:3128'}}


# -- the adapter ----------------------------------------------------------------------------

def prepared(url):
    return requests.Request('GET', url).prepare()


@pytest.mark.parametrize('url, proxies', [
    ('https://api.atomx.test/v3/sites?limit=1', {}),
    ('http://api.atomx.test/v3/sites?limit=1', {'http': 'http://proxy:3128'}),
    ('https://api.atomx.test/v3/sites', {'https': 'http://proxy:3128'}),
    ('http://api.atomx.test?x=1', {}),
    ('http://api.atomx.test/v3/a#fragment', {}),
])
def test_the_url_sent_is_the_one_requests_sends(url, proxies):
    ours, theirs = EndpointAdapter(), requests.adapters.HTTPAdapter()
    for _ in range(2):  # worked out, then remembered
        assert ours.request_url(prepared(url), proxies) == theirs.request_url(prepared(url),
                                                                              proxies)


def test_the_pool_is_remembered_per_origin_and_settings_and_forgotten_on_close():
    adapter = EndpointAdapter()
    first = adapter.get_connection_with_tls_context(prepared(f'{ENDPOINT}/a'), True)
    assert adapter.get_connection_with_tls_context(prepared(f'{ENDPOINT}/b?c=1'), True) is first
    assert adapter.get_connection_with_tls_context(prepared(f'{ENDPOINT}/a'), False) is not first
    other = adapter.get_connection_with_tls_context(prepared('https://other.test/a'), True)
    assert other is not first and other.host == 'other.test'
    proxied = adapter.get_connection_with_tls_context(
        prepared(f'{ENDPOINT}/a'), True, {'https': 'http://proxy:3128'})
    assert proxied is not first and proxied.proxy is not None
    adapter.close()
    again = adapter.get_connection_with_tls_context(prepared(f'{ENDPOINT}/a'), True)
    assert again is not first and again.pool is not None


def test_a_pool_closed_behind_the_adapters_back_is_asked_for_again(monkeypatch):
    adapter = EndpointAdapter()
    first = adapter.get_connection_with_tls_context(prepared(f'{ENDPOINT}/a'), True)
    first.close()
    asked = []
    ask = requests.adapters.HTTPAdapter.get_connection_with_tls_context
    monkeypatch.setattr(requests.adapters.HTTPAdapter, 'get_connection_with_tls_context',
                        lambda *args: asked.append(args) or ask(*args))
    adapter.get_connection_with_tls_context(prepared(f'{ENDPOINT}/a'), True)
    adapter.get_connection_with_tls_context(prepared(f'{ENDPOINT}/a'), True)
    assert len(asked) == 2  # requests is asked while the pool it has is a closed one


def test_no_more_pools_are_remembered_than_the_pool_manager_keeps():
    adapter = EndpointAdapter(pool_connections=2)
    for number in range(5):
        adapter.get_connection_with_tls_context(prepared(f'https://h{number}.test/'), True)
    assert len(adapter._pools) <= 2


def urllib3_response(headers, status=200):
    import io

    import urllib3

    return urllib3.HTTPResponse(body=io.BytesIO(b'{}'), headers=headers, status=status,
                                reason='OK', preload_content=False)


@pytest.mark.parametrize('headers', [
    {'Content-Type': 'application/json; charset=latin-1', 'X-Request-Id': '7'},
    {'Content-Type': 'text/html'},
    {},
])
def test_a_response_without_cookies_is_built_as_requests_builds_it(headers):
    request = prepared(f'{ENDPOINT}/site/1')
    ours = EndpointAdapter().build_response(request, urllib3_response(headers))
    theirs = requests.adapters.HTTPAdapter().build_response(request, urllib3_response(headers))
    assert type(ours) is type(theirs)
    keep = ('connection', 'raw')  # the adapter and the urllib3 response themselves
    assert {name: value for name, value in vars(ours).items() if name not in keep} == {
        name: value for name, value in vars(theirs).items() if name not in keep}
    assert ours.raw.headers == theirs.raw.headers and isinstance(ours.connection, EndpointAdapter)
    assert dict(ours.cookies) == {} and ours.encoding == theirs.encoding


@pytest.mark.parametrize('name', ['Set-Cookie', 'set-cookie2'])
def test_a_response_that_sets_a_cookie_is_left_to_requests(monkeypatch, name):
    built = []
    build = requests.adapters.HTTPAdapter.build_response
    monkeypatch.setattr(requests.adapters.HTTPAdapter, 'build_response',
                        lambda *args: built.append(args) or build(*args))
    adapter, request = EndpointAdapter(), prepared(f'{ENDPOINT}/site/1')
    response = adapter.build_response(request, urllib3_response({name: 'balancer=node-7'}))
    assert built and built[0][:2] == (adapter, request)
    assert response.headers[name] == 'balancer=node-7'
    adapter.build_response(request, urllib3_response({'Content-Type': 'application/json'}))
    assert len(built) == 1


def test_each_response_gets_its_own_history_cookie_jar_and_headers():
    adapter, request = EndpointAdapter(), prepared(f'{ENDPOINT}/site/1')
    one = adapter.build_response(request, urllib3_response({'X-Id': '1'}))
    two = adapter.build_response(request, urllib3_response({'X-Id': '2'}))
    one.history.append(one)
    one.cookies.set('balancer', 'node-7')
    assert two.history == [] and dict(two.cookies) == {} and two.headers['X-Id'] == '2'
    assert isinstance(two.cookies, requests.cookies.RequestsCookieJar)


def test_a_response_attribute_that_could_change_leaves_each_response_to_requests(monkeypatch):
    from atomx import adapter as adapter_module

    made = requests.Response.__init__

    def with_a_list(response):
        made(response)
        response.links_seen = []

    assert adapter_module._blank_attributes() is not None
    monkeypatch.setattr(requests.Response, '__init__', with_a_list)
    assert adapter_module._blank_attributes() is None
    monkeypatch.setattr(adapter_module, '_BLANK', None)
    response = EndpointAdapter().build_response(prepared(f'{ENDPOINT}/site/1'),
                                                urllib3_response({}))
    assert response.links_seen == []


def test_repeated_response_headers_are_joined_and_named_as_requests_does():
    import urllib3

    headers = urllib3.HTTPHeaderDict({'Content-Type': 'application/json'})
    headers.add('X-Trace', 'a')
    headers.add('x-TRACE', 'b')
    headers.add('Warning', '199 - "one"')
    request = prepared(f'{ENDPOINT}/site/1')
    ours = EndpointAdapter().build_response(request, urllib3_response(headers))
    theirs = requests.adapters.HTTPAdapter().build_response(request, urllib3_response(headers))
    assert list(ours.headers.items()) == list(theirs.headers.items()) == [
        ('Content-Type', 'application/json'), ('X-Trace', 'a, b'), ('Warning', '199 - "one"')]
    assert type(ours.headers) is type(theirs.headers)
    ours.headers['X-Trace'] = 'c'
    assert headers['X-Trace'] == 'a, b'
