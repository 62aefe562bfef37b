"""Saved accounts: profiles (parsing, password_command, the permission check), the token
cache (file mode, expiry, replacement after a 401, no secret in it), from_profile, logout."""
import base64
import json
import os
import stat
import sys
import textwrap
from pathlib import Path

import pytest
import responses
from responses import matchers

from atomx import Atomx
from atomx.accounts import (
    CachedToken,
    TokenCache,
    cache_dir,
    config_dir,
    config_path,
    load_profile,
    load_profiles,
    token_expiry,
)
from atomx.exceptions import ProfileError

API = 'https://api.atomx.com/v3'
USER = {'id': 1, 'email': 'me@example.com', 'name': 'me'}
posix_only = pytest.mark.skipif(os.name == 'nt', reason='POSIX file modes')


def write_config(tmp_path, text, mode=0o600):
    path = tmp_path / 'atomx.ini'
    path.write_text(textwrap.dedent(text))
    path.chmod(mode)
    return path


def login_answer(token):
    return {'success': True, 'resource': 'user', 'auth_token': token, 'user': USER}


# -- where the files live ------------------------------------------------------------

def test_the_directories_follow_xdg_and_the_platform(tmp_path):
    home = os.path.expanduser('~')
    assert config_dir({}, 'linux') == Path(home, '.config', 'atomx')
    assert cache_dir({}, 'darwin') == Path(home, '.cache', 'atomx')
    assert config_dir({'XDG_CONFIG_HOME': '/x/conf'}, 'linux') == Path('/x/conf/atomx')
    assert cache_dir({'XDG_CACHE_HOME': '/x/cache'}, 'linux') == Path('/x/cache/atomx')
    assert config_dir({'APPDATA': r'C:\roam'}, 'win32') == Path(r'C:\roam') / 'atomx'
    assert cache_dir({'LOCALAPPDATA': r'C:\local'}, 'win32') == Path(r'C:\local') / 'atomx'
    assert config_path({'ATOMX_CONFIG': str(tmp_path / 'my.ini')}) == tmp_path / 'my.ini'
    assert config_path({'XDG_CONFIG_HOME': '/c'}) == Path('/c/atomx/atomx.ini')


# -- profiles -----------------------------------------------------------------------

def test_profiles_are_parsed_with_their_settings(tmp_path):
    path = write_config(tmp_path, """\
        [default]
        email = me@example.com
        password_command = echo secret

        [work]
        endpoint = http://work.example/v3
        email = work@example.com
        password = pw%with%percent
        token_cache = yes
        """)
    profiles = load_profiles(path)
    assert list(profiles) == ['default', 'work']
    work = profiles['work']
    assert (work.email, work.endpoint, work.token_cache, work.password()) == \
        ('work@example.com', 'http://work.example/v3', True, 'pw%with%percent')
    assert profiles['default'].endpoint is None and profiles['default'].token_cache is False
    assert 'pw%with' not in repr(work) and 'pw%with' not in str(work.describe())
    assert work.describe() == {'profile': 'work', 'endpoint': 'http://work.example/v3',
                               'email': 'work@example.com', 'password': 'file',
                               'password_command': '', 'token_cache': 'yes'}


def test_the_profile_is_the_argument_else_atomx_profile_else_default(tmp_path):
    path = write_config(tmp_path, """\
        [default]
        email = a@example.com
        password = x
        [other]
        email = b@example.com
        password = y
        """)
    assert load_profile(None, path, environ={}).email == 'a@example.com'
    assert load_profile(None, path, environ={'ATOMX_PROFILE': 'other'}).email == 'b@example.com'
    assert load_profile('default', path, environ={'ATOMX_PROFILE': 'other'}).name == 'default'
    with pytest.raises(ProfileError, match=r"no profile 'nope' in .* \(profiles: default, other\)"):
        load_profile('nope', path, environ={})


@pytest.mark.parametrize('text, words', [
    ('[p]\npassword = x\n', '[p] has no email'),
    ('[p]\nemail = a@b.c\nusername = x\n', '[p] has unknown keys username'),
    ('[p]\nemail = a@b.c\ntoken_cache = maybe\n', "token_cache must be yes or no, not 'maybe'"),
    ('email = a@b.c\n', 'cannot read the atomx config file'),
])
def test_a_broken_config_file_says_what_is_wrong(tmp_path, text, words):
    path = tmp_path / 'atomx.ini'
    path.write_text(text)
    path.chmod(0o600)
    with pytest.raises(ProfileError) as raised:
        load_profiles(path)
    assert words in str(raised.value)


def test_no_config_file_says_how_to_make_one(tmp_path):
    with pytest.raises(ProfileError, match=r'no atomx config file at .*missing\.ini: create it'):
        load_profiles(tmp_path / 'missing.ini')


@posix_only
@pytest.mark.parametrize('mode', [0o644, 0o640, 0o604, 0o660])
def test_a_password_file_others_may_read_is_refused_with_the_fix(tmp_path, mode):
    path = write_config(tmp_path, '[p]\nemail = a@b.c\npassword = secret\n', mode)
    with pytest.raises(ProfileError) as raised:
        load_profiles(path)
    assert str(raised.value) == (
        f'{path} holds a password and other users may read or change it (permissions '
        f'{mode:04o}); make it private with: chmod 600 {path}')
    assert 'secret' not in str(raised.value)


@posix_only
def test_a_file_without_a_password_may_be_readable(tmp_path):
    path = write_config(tmp_path, '[p]\nemail = a@b.c\npassword_command = echo x\n', 0o644)
    assert load_profiles(path)['p'].password() == 'x'


def test_password_command_gives_its_first_line(tmp_path):
    script = tmp_path / 'manager.py'
    script.write_text('print("s3cret pass")\nprint("second line")\n')
    path = write_config(tmp_path, f'[p]\nemail = a@b.c\npassword_command = '
                                  f'"{sys.executable}" "{script}"\n')
    assert load_profiles(path)['p'].password() == 's3cret pass'


def test_a_failing_password_command_says_so_without_its_output(tmp_path):
    script = tmp_path / 'manager.py'
    script.write_text('import sys\nprint("leaked")\nsys.stderr.write("vault locked\\n")\n'
                      'sys.exit(3)\n')
    path = write_config(tmp_path, f'[p]\nemail = a@b.c\npassword_command = '
                                  f'"{sys.executable}" "{script}"\n')
    with pytest.raises(ProfileError) as raised:
        load_profiles(path)['p'].password()
    assert str(raised.value) == ("password_command of profile 'p' failed with exit status 3: "
                                 "vault locked")
    path = write_config(tmp_path, '[p]\nemail = a@b.c\npassword_command = /no/such/cmd\n')
    with pytest.raises(ProfileError, match="password_command of profile 'p' cannot run"):
        load_profiles(path)['p'].password()


def test_from_profile_logs_in_with_the_profiles_settings(tmp_path, mocked, monkeypatch):
    path = write_config(tmp_path, """\
        [work]
        endpoint = http://work.example/v3
        email = work@example.com
        password = pw
        """)
    monkeypatch.setenv('ATOMX_CONFIG', str(path))
    mocked.add(responses.POST, 'http://work.example/v3/login', json=login_answer('t1'),
               match=[matchers.json_params_matcher({'email': 'work@example.com',
                                                    'password': 'pw'})])
    atomx = Atomx.from_profile('work')
    assert atomx.api_endpoint == 'http://work.example/v3' and atomx.auth_token == 't1'


# -- the token cache ----------------------------------------------------------------

@pytest.fixture
def cache(tmp_path):
    return TokenCache(tmp_path / 'cache')


def cached_session(cache, **kwargs):
    return Atomx('me@example.com', 'the-password', api_endpoint=API, token_cache=cache, **kwargs)


def test_the_token_is_cached_in_a_private_file_without_password_or_totp(cache, mocked):
    mocked.add(responses.POST, API + '/login', json={
        'success': True, 'totp_required': True, 'auth_token': 'interim'})
    mocked.add(responses.POST, API + '/totp', json=login_answer('full-token'))
    cached_session(cache, totp='123456', expiration=3600)
    [path] = cache.directory.iterdir()
    assert path == cache.path(API, 'me@example.com')
    if os.name != 'nt':
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(cache.directory.stat().st_mode) == 0o700
    text = path.read_text()
    assert 'full-token' in text
    assert 'the-password' not in text and '123456' not in text and 'interim' not in text
    assert set(json.loads(text)) == {'endpoint', 'email', 'token', 'expires_at', 'user'}


def test_a_cached_token_is_used_instead_of_a_login(cache, mocked):
    mocked.add(responses.POST, API + '/login', json=login_answer('first'))
    cached_session(cache)
    asked = []

    def password():
        asked.append(1)
        return 'the-password'

    mocked.calls.reset()
    mocked.add(responses.GET, API + '/campaigns', json={'success': True, 'campaigns': []},
               match=[matchers.header_matcher({'Authorization': 'Bearer first'})])
    again = Atomx('ME@example.com', password, api_endpoint=API, token_cache=cache)
    assert again.auth_token == 'first' and again.user.email == 'me@example.com'
    again.get('campaigns')
    assert [call.request.url for call in mocked.calls] == [API + '/campaigns']
    assert asked == []  # no login: the password was never needed


def test_a_401_with_a_cached_token_logs_in_again_and_replaces_it(cache, mocked):
    cache.store(API, 'me@example.com', 'stale', None)
    mocked.add(responses.GET, API + '/campaigns', status=401, json={'error': 'expired'},
               match=[matchers.header_matcher({'Authorization': 'Bearer stale'})])
    mocked.add(responses.POST, API + '/login', json=login_answer('fresh'))
    mocked.add(responses.GET, API + '/campaigns', json={'success': True, 'campaigns': []},
               match=[matchers.header_matcher({'Authorization': 'Bearer fresh'})])
    atomx = cached_session(cache)
    assert atomx.get('campaigns') == []
    assert [call.request.url for call in mocked.calls] == [
        API + '/campaigns', API + '/login', API + '/campaigns']
    assert cache.load(API, 'me@example.com').token == 'fresh'


def test_an_expired_cached_token_is_dropped_and_the_session_logs_in(tmp_path, mocked):
    clock = [10_000.0]
    cache = TokenCache(tmp_path, clock=lambda: clock[0])
    cache.store(API, 'me@example.com', 'old', expires_at=10_050.0)  # within the margin
    assert cache.load(API, 'me@example.com') is None
    assert not cache.path(API, 'me@example.com').exists()
    cache.store(API, 'me@example.com', 'good', expires_at=20_000.0)
    assert cache.load(API, 'me@example.com').token == 'good'
    clock[0] = 19_950.0
    assert cache.load(API, 'me@example.com') is None
    mocked.add(responses.POST, API + '/login', json=login_answer('new'))
    assert cached_session(cache).auth_token == 'new'


def test_logout_deletes_the_cached_token(cache, mocked):
    mocked.add(responses.POST, API + '/login', json=login_answer('t'))
    atomx = cached_session(cache)
    assert cache.path(API, 'me@example.com').exists()
    atomx.logout()
    assert not cache.path(API, 'me@example.com').exists()
    assert atomx.auth_token is None


def test_a_broken_cache_file_is_ignored_and_replaced(cache, mocked):
    path = cache.path(API, 'me@example.com')
    path.parent.mkdir(parents=True)
    path.write_text('{not json')
    mocked.add(responses.POST, API + '/login', json=login_answer('t'))
    assert cached_session(cache).auth_token == 't'
    assert json.loads(path.read_text())['token'] == 't'


def test_one_file_per_endpoint_and_email(cache):
    assert cache.path(API, 'a@x.com') == cache.path(API + '/', 'A@x.com')
    assert cache.path(API, 'a@x.com') != cache.path(API, 'b@x.com')
    assert cache.path(API, 'a@x.com') != cache.path('http://other/v3', 'a@x.com')


def test_token_expiry_reads_a_jwts_exp_else_the_asked_expiration():
    claims = base64.urlsafe_b64encode(json.dumps({'exp': 1_700_000_000}).encode()).rstrip(b'=')
    jwt = f'eyJhbGciOiJIUzUxMiJ9.{claims.decode()}.signature'
    assert token_expiry(jwt, None, 5.0) == 1_700_000_000.0
    assert token_expiry('opaque', 60, 5.0) == 65.0
    assert token_expiry('opaque', None, 5.0) is None


def test_a_cached_token_repr_hides_the_token():
    assert repr(CachedToken('sekrit-token', 1.5, None)) == '<CachedToken expires_at=1.5>'


def test_a_cache_that_cannot_be_written_does_not_undo_the_login(tmp_path, mocked, caplog):
    blocker = tmp_path / 'not-a-directory'
    blocker.write_text('a file where the cache directory should be')
    mocked.add(responses.POST, API + '/login', json=login_answer('t'))
    atomx = cached_session(TokenCache(blocker / 'cache'))
    assert atomx.auth_token == 't'
    assert 'the token cache' in caplog.text and 'cannot be written' in caplog.text
    assert "'t'" not in caplog.text
