"""What atomx.redact and atomx.failures do to a proxy's credentials, without a network
(tests/integration/test_proxy_secrets_live.py shows it on the wire)."""
import io

import pytest
import requests
import urllib3

from atomx.failures import without_url_passwords
from atomx.redact import forget_response_secrets, forget_secrets


@pytest.mark.parametrize('text, expected', [
    ('Failed to parse: http://user:pw-s3cret@[::1', 'Failed to parse: http://user:***@[::1'),
    ('https://u:p@ss:w@proxy:3128/x and socks5://a:b@h', 'https://u:***@proxy:3128/x and '
                                                        'socks5://a:***@h'),
    ('http://user@proxy:3128 (no password)', 'http://user@proxy:3128 (no password)'),
    ('http://proxy:3128/a:b@c', 'http://proxy:3128/a:b@c'),  # a path is no userinfo
    ('nothing listens at 127.0.0.1:9', 'nothing listens at 127.0.0.1:9'),
])
def test_a_urls_password_becomes_stars_and_nothing_else_changes(text, expected):
    assert without_url_passwords(text) == expected


def test_an_error_lets_go_of_its_pool_connection_and_proxy_url():
    pool = urllib3.HTTPConnectionPool('127.0.0.1', 3128)
    connection = pool._new_conn()
    refused = urllib3.exceptions.NewConnectionError(connection, 'refused')
    unreadable = urllib3.exceptions.LocationParseError('http://u:s3cret@[::1')
    failed = urllib3.exceptions.MaxRetryError(pool, 'http://api.invalid/x', refused)
    error = requests.exceptions.ProxyError(failed)
    error.__context__ = unreadable
    forget_secrets(error)
    assert failed.pool is None and refused.conn is None
    assert failed.reason is refused and failed.url == 'http://api.invalid/x'  # the rest stays
    assert unreadable.location == 'http://u:***@[::1'
    assert str(unreadable) == 'Failed to parse: http://u:***@[::1'


def test_a_read_response_keeps_its_body_headers_and_url_but_not_its_connection():
    response = requests.Response()
    response.status_code, response.url = 500, 'http://api.invalid/x'
    response.headers['Content-Type'] = 'application/json'
    response.raw = urllib3.HTTPResponse(io.BytesIO(b'{"error": "down"}'), preload_content=False)
    response.connection = requests.adapters.HTTPAdapter()
    assert response.json() == {'error': 'down'}  # read
    forget_response_secrets(response)
    assert response.raw is None and response.connection is None
    assert response.json() == {'error': 'down'} and response.text == '{"error": "down"}'
    assert response.status_code == 500 and response.headers['Content-Type'] == 'application/json'
    response.close()  # still safe


def test_an_unread_response_is_closed_and_left_with_an_empty_body():
    response = requests.Response()
    response.status_code = 502
    raw = urllib3.HTTPResponse(io.BytesIO(b'never read'), preload_content=False)
    response.raw = raw
    forget_response_secrets(response)
    assert response.raw is None and response.content == b'' and raw.closed


def test_a_response_without_raw_loses_its_adapter_all_the_same():
    response = requests.Response()
    response._content = b'{}'
    response.connection = requests.adapters.HTTPAdapter()
    forget_response_secrets(response)
    assert response.raw is None and response.connection is None and response.json() == {}
