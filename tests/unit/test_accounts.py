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


@pytest.mark.parametrize('text, words', [
    ('[p]\nemail = a@b.c\npassword hunter2-secret\n',
     'line 3 is neither "key = value" nor a [section] header'),
    ('[p]\nemail = a@b.c\npassword hunter2-secret\nx y\n', 'lines 3, 4 are neither'),
    ('password = hunter2-secret\n[p]\nemail = a@b.c\n',
     'line 1 comes before the first [section] header'),
])
def test_a_line_that_cannot_be_parsed_is_named_never_quoted(tmp_path, text, words):
    path = write_config(tmp_path, text)
    with pytest.raises(ProfileError) as raised:
        load_profiles(path)
    assert words in str(raised.value)
    assert 'hunter2-secret' not in str(raised.value)
    # nor in configparser's error, which quotes the line: it is not kept as a context
    assert raised.value.__context__ is None and raised.value.__cause__ is None


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


def test_a_password_command_that_hangs_after_printing_keeps_no_output(tmp_path, monkeypatch):
    monkeypatch.setattr('atomx.accounts.PASSWORD_COMMAND_TIMEOUT', 0.5)
    script = tmp_path / 'manager.py'
    script.write_text('import sys, time\nprint("s3cret-pass", flush=True)\ntime.sleep(30)\n')
    path = write_config(tmp_path, f'[p]\nemail = a@b.c\npassword_command = '
                                  f'"{sys.executable}" "{script}"\n')
    with pytest.raises(ProfileError, match=r"did not finish within 0.5s") as raised:
        load_profiles(path)['p'].password()
    # subprocess's TimeoutExpired holds the output so far: it must not be reachable
    assert raised.value.__context__ is None and raised.value.__cause__ is None


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


def planted(cache, how):
    """A token file put into the cache by someone else: readable by others, a symbolic
    link to such a file, or a FIFO (whose read would block forever)."""
    path = cache.path(API, 'me@example.com')
    path.parent.mkdir(parents=True)
    body = json.dumps({'token': 'planted', 'expires_at': None})
    if how == 'fifo':
        os.mkfifo(path, 0o600)
        return path
    target = path if how == 'readable' else path.parent / 'elsewhere.json'
    target.write_text(body)
    target.chmod(0o644 if how == 'readable' else 0o600)
    if how == 'symlink':
        path.symlink_to(target)
    return path


@posix_only
@pytest.mark.parametrize('how', ['readable', 'symlink', 'fifo'])
def test_a_cache_file_that_is_not_a_private_file_of_the_user_is_never_used(cache, mocked, how):
    path = planted(cache, how)
    assert cache.load(API, 'me@example.com') is None  # at once, even for the FIFO
    assert not path.is_symlink()
    mocked.add(responses.POST, API + '/login', json=login_answer('mine'))
    assert cached_session(cache).auth_token == 'mine'
    assert stat.S_IMODE(path.lstat().st_mode) == 0o600 and stat.S_ISREG(path.lstat().st_mode)


@posix_only
def test_a_cache_directory_others_may_write_is_made_private_before_storing(cache, mocked):
    cache.directory.mkdir()
    cache.directory.chmod(0o777)
    mocked.add(responses.POST, API + '/login', json=login_answer('t'))
    cached_session(cache)
    assert stat.S_IMODE(cache.directory.stat().st_mode) == 0o700
    assert cache.load(API, 'me@example.com').token == 't'


@posix_only
def test_no_token_is_written_into_another_users_directory(cache, mocked, monkeypatch, caplog):
    cache.directory.mkdir()
    monkeypatch.setattr('atomx.accounts.os.getuid', lambda: os.stat(cache.directory).st_uid + 1)
    mocked.add(responses.POST, API + '/login', json=login_answer('t'))
    assert cached_session(cache).auth_token == 't'  # the login stands
    assert list(cache.directory.iterdir()) == []
    assert 'belongs to another user' in caplog.text


@posix_only
@pytest.mark.parametrize('mode', [0o620, 0o602, 0o666])
@pytest.mark.parametrize('line', ['password_command = pass show me', 'endpoint = http://x/v3'])
def test_a_config_file_others_may_change_is_refused_with_the_fix(tmp_path, mode, line,
                                                                 monkeypatch):
    # whoever may change it picks the program run as this user, or where the password goes
    monkeypatch.setattr('atomx.accounts._owners_own_group', lambda info: False)
    path = write_config(tmp_path, f'[p]\nemail = a@b.c\n{line}\n', mode=mode)
    with pytest.raises(ProfileError, match=rf'may be changed by other users \(its endpoint and '
                       rf'password_command decide where your password goes and what runs as '
                       rf'you\) \(permissions {mode:04o}\); make it private with: '
                       rf'chmod 600 {path}'):
        load_profiles(path)


@posix_only
def test_a_password_command_file_others_may_only_read_is_used(tmp_path):
    path = write_config(tmp_path, '[p]\nemail = a@b.c\npassword_command = pass show me\n',
                        mode=0o644)
    assert load_profiles(path)['p'].password_command == 'pass show me'


@pytest.mark.parametrize('expires_at', [float('nan'), float('inf'), 1e300, -5.0, 'soon', [1]])
def test_a_cache_file_with_an_expiry_that_is_no_time_is_dropped(cache, expires_at):
    # NaN would never expire, and atomx config could not show 1e300 as a date
    cache.store(API, 'me@example.com', 'odd', expires_at=expires_at)
    assert cache.load(API, 'me@example.com') is None
    assert not cache.path(API, 'me@example.com').exists()


def test_a_jwt_exp_that_is_no_time_falls_back_to_the_asked_expiration():
    for exp in (float('nan'), 1e300, True, '1700000000'):
        claims = base64.urlsafe_b64encode(json.dumps({'exp': exp}).encode()).rstrip(b'=')
        assert token_expiry(f'h.{claims.decode()}.s', 60, 5.0) == 65.0


@posix_only
@pytest.mark.parametrize('group, members, mode, allowed', [
    ('me', [], 0o664, True), ('me', ['me'], 0o664, True),  # the user private group
    ('me', [], 0o666, False),  # others may still not
    ('me', ['eve'], 0o664, False), ('staff', [], 0o664, False),  # a group of others
])
def test_group_write_by_the_owners_own_group_is_allowed_as_debians_ssh_does(
        tmp_path, monkeypatch, group, members, mode, allowed):
    # a umask of 002 makes files writable by the user's private group: nobody else
    import types
    monkeypatch.setattr('grp.getgrgid', lambda gid: types.SimpleNamespace(
        gr_name=group, gr_mem=members))
    monkeypatch.setattr('pwd.getpwuid', lambda uid: types.SimpleNamespace(pw_name='me'))
    path = write_config(tmp_path, '[p]\nemail = a@b.c\npassword_command = pass show me\n',
                        mode=mode)
    if allowed:
        assert load_profiles(path)['p'].password_command == 'pass show me'
    else:
        with pytest.raises(ProfileError, match='may be changed by other users'):
            load_profiles(path)


@pytest.mark.parametrize('value', ['yes', 1, '/tmp/tokens', Path('/tmp/tokens')])
def test_a_token_cache_that_is_no_cache_is_a_type_error_before_any_request(mocked, value):
    with pytest.raises(TypeError, match=r"token_cache must be True, False or an "
                       r"atomx.accounts.TokenCache, not .*pass TokenCache\(directory\)"):
        Atomx('me@example.com', 'pw', api_endpoint=API, token_cache=value)
    assert len(mocked.calls) == 0


def test_from_profile_without_an_endpoint_logs_in_where_atomx_api_endpoint_says(
        tmp_path, mocked, monkeypatch):
    path = write_config(tmp_path, """\
        [work]
        email = work@example.com
        password = pw
        """)
    monkeypatch.setenv('ATOMX_CONFIG', str(path))
    monkeypatch.setenv('ATOMX_API_ENDPOINT', 'http://sandbox.example/v3')
    mocked.add(responses.POST, 'http://sandbox.example/v3/login', json=login_answer('t2'),
               match=[matchers.json_params_matcher({'email': 'work@example.com',
                                                    'password': 'pw'})])
    atomx = Atomx.from_profile('work')  # as `atomx --profile work` and `atomx config` do
    assert atomx.api_endpoint == 'http://sandbox.example/v3' and atomx.auth_token == 't2'
    explicit = Atomx.from_profile('work', api_endpoint='http://sandbox.example/v3')
    assert explicit.api_endpoint == 'http://sandbox.example/v3'  # an argument still wins
