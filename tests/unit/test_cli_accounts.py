"""The command line's saved accounts: --profile, --remember, atomx config, atomx logout."""
import argparse
import json
import textwrap
import time
from datetime import datetime, timezone

import pytest
import responses
from responses import matchers

from atomx import Atomx, Timeout, cli
from atomx.accounts import EXPIRY_MARGIN, CachedToken, TokenCache
from atomx.cli_accounts import login_settings
from atomx.cli_commands import UsageError
from atomx.exceptions import ProfileError


@pytest.fixture
def config(tmp_path):
    path = tmp_path / 'atomx.ini'
    path.write_text(textwrap.dedent("""\
        [default]
        email = default@example.com
        password = default-secret

        [work]
        endpoint = http://work.example/v3
        email = work@example.com
        password_command = echo work-secret
        token_cache = yes
        """))
    path.chmod(0o600)
    return path


def environment(config, tmp_path, **more):
    return {'ATOMX_CONFIG': str(config), 'XDG_CACHE_HOME': str(tmp_path / 'cache'), **more}


def never():
    raise AssertionError('asked for a password')


def test_the_profile_gives_email_endpoint_password_and_token_cache(config, tmp_path):
    env = environment(config, tmp_path, ATOMX_EMAIL='env@example.com', ATOMX_PASSWORD='env')
    settings = login_settings(argparse.Namespace(profile='work'), env, never, 'http://default')
    assert (settings.email, settings.endpoint) == ('work@example.com', 'http://work.example/v3')
    assert settings.password() == 'work-secret'
    assert settings.token_cache.directory == tmp_path / 'cache' / 'atomx'


def test_flags_win_over_the_profile_and_the_profile_over_the_environment(config, tmp_path):
    env = environment(config, tmp_path, ATOMX_PROFILE='work', ATOMX_API_ENDPOINT='http://env')
    args = argparse.Namespace(email='flag@example.com', endpoint='http://flag')
    settings = login_settings(args, env, never, 'http://default')
    assert (settings.email, settings.endpoint) == ('flag@example.com', 'http://flag')
    settings = login_settings(argparse.Namespace(), env, never, 'http://default')
    assert settings.endpoint == 'http://work.example/v3'


def test_without_a_profile_the_environment_decides_and_remember_opts_in(config, tmp_path):
    env = environment(config, tmp_path, ATOMX_EMAIL='env@example.com', ATOMX_PASSWORD='pw')
    settings = login_settings(argparse.Namespace(), env, never, 'http://default')
    assert (settings.email, settings.endpoint, settings.password(), settings.token_cache) == \
        ('env@example.com', 'http://default', 'pw', None)
    remembered = login_settings(argparse.Namespace(remember=True), env, never, 'http://d')
    assert isinstance(remembered.token_cache, TokenCache)


def test_without_an_email_the_config_files_default_profile_is_used(config, tmp_path):
    settings = login_settings(argparse.Namespace(), environment(config, tmp_path), never, 'x')
    assert settings.email == 'default@example.com' and settings.token_cache is None


def test_a_prompted_password_is_asked_for_once(tmp_path):
    asked = []

    def prompt():
        asked.append(1)
        return 'typed'

    env = {'ATOMX_CONFIG': str(tmp_path / 'none.ini'), 'ATOMX_EMAIL': 'me@example.com'}
    settings = login_settings(argparse.Namespace(), env, prompt, 'x')
    assert [settings.password(), settings.password()] == ['typed', 'typed'] and asked == [1]


def test_no_email_anywhere_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match='no login email'):
        login_settings(argparse.Namespace(), {'ATOMX_CONFIG': str(tmp_path / 'x.ini')}, never,
                       'x')


def test_an_unknown_profile_exits_2_before_any_request(config, tmp_path, capsys):
    status = cli.main(['get', 'sites', '--profile', 'nope'], environment(config, tmp_path))
    assert status == 2
    assert capsys.readouterr().err.startswith("atomx get: error: no profile 'nope' in ")


def test_config_lists_the_profiles_without_secrets(config, tmp_path, capsys):
    env = environment(config, tmp_path)
    TokenCache(tmp_path / 'cache' / 'atomx').store('http://work.example/v3', 'work@example.com',
                                                   'cached-token', 4_102_444_800.0)
    assert cli.main(['config', '--format', 'csv'], env) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        'profile,endpoint,endpoint_from,email,password,password_command,token_cache,'
        'cached_token',
        'default,https://api.atomx.com/v3,default,default@example.com,file,,no,no',
        'work,http://work.example/v3,profile,work@example.com,password_command,'
        'echo work-secret,yes,until 2100-01-01 00:00 UTC']
    assert 'default-secret' not in out and 'cached-token' not in out


def test_config_only_reads_the_cache_leaving_expired_and_broken_files_in_place(
        config, tmp_path, capsys):
    cache = TokenCache(tmp_path / 'cache' / 'atomx')
    expired = cache.store('http://work.example/v3', 'work@example.com', 'old-token',
                          1_000_000_000.0)
    broken = cache.path('https://api.atomx.com/v3', 'default@example.com')
    broken.write_text('{"token": ')
    broken.chmod(0o600)
    before = {path: path.read_bytes() for path in (expired, broken)}
    assert cli.main(['config', '--format', 'csv'], environment(config, tmp_path)) == 0
    assert [line.rsplit(',', 1)[1] for line in capsys.readouterr().out.splitlines()[1:]] == \
        ['no', 'expired 2001-09-09 01:46 UTC']
    assert {path: path.read_bytes() for path in before} == before
    assert sorted(path.name for path in cache.directory.iterdir()) == \
        sorted(path.name for path in before)


def test_config_says_a_token_near_its_expiry_is_still_valid_but_not_used(
        config, tmp_path, capsys):
    # the cache no longer sends a token within EXPIRY_MARGIN of its expiry; it has not expired
    cache = TokenCache(tmp_path / 'cache' / 'atomx')
    soon = time.time() + EXPIRY_MARGIN / 2
    cache.store('http://work.example/v3', 'work@example.com', 'nearly-old', soon)
    cache.store('https://api.atomx.com/v3', 'default@example.com', 'old', time.time() - 1)
    assert cli.main(['config', '--format', 'csv'], environment(config, tmp_path)) == 0
    when = datetime.fromtimestamp(soon, timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    listed = [line.rsplit(',', 1)[1] for line in capsys.readouterr().out.splitlines()[1:]]
    assert listed[0].startswith('expired ')
    assert listed[1] == f'expires {when} (too soon to use)'
    assert cache.load('http://work.example/v3', 'work@example.com') is None  # as the cache says


def test_a_token_expires_at_its_expiry_and_is_unused_from_the_margin_before():
    now = [1_000.0]
    cache = TokenCache(clock=lambda: now[0])
    cached = CachedToken('token', 1_000.0 + EXPIRY_MARGIN, None)
    states = []
    for now[0] in (999.0, 1_000.0, 1_000.0 + EXPIRY_MARGIN - 1, 1_000.0 + EXPIRY_MARGIN):
        states.append((cache.usable(cached), cache.expired(cached)))
    assert states == [(True, False), (False, False), (False, False), (False, True)]
    assert not cache.expired(CachedToken('token', None, None))


def test_config_looks_tokens_up_at_the_endpoint_the_commands_use(config, tmp_path, capsys):
    env = environment(config, tmp_path, ATOMX_API_ENDPOINT='http://sandbox.test/v3')
    assert login_settings(argparse.Namespace(profile='default'), env, never,
                          'https://api.atomx.com/v3').endpoint == 'http://sandbox.test/v3'
    TokenCache(tmp_path / 'cache' / 'atomx').store('http://sandbox.test/v3',
                                                   'default@example.com', 'token', None)
    assert cli.main(['config', '--format', 'csv'], env) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.rsplit(',', 1)[1] for line in lines[1:]] == ['yes', 'no']  # work: own endpoint


@pytest.mark.parametrize('flags, more, default_row, work_row', [
    ([], {'ATOMX_API_ENDPOINT': 'http://sandbox.test/v3'},
     ['http://sandbox.test/v3', 'ATOMX_API_ENDPOINT'], ['http://work.example/v3', 'profile']),
    (['--endpoint', 'http://flag.test/v3'], {'ATOMX_API_ENDPOINT': 'http://sandbox.test/v3'},
     ['http://flag.test/v3', '--endpoint'], ['http://flag.test/v3', '--endpoint']),
    ([], {}, ['https://api.atomx.com/v3', 'default'], ['http://work.example/v3', 'profile']),
])
def test_config_shows_the_endpoint_each_profile_logs_in_to_and_why(
        config, tmp_path, capsys, flags, more, default_row, work_row):
    # the endpoint column was the profile's own setting: empty for 'default', whatever
    # $ATOMX_API_ENDPOINT said; now it is where `atomx get --profile NAME ...` goes
    env = environment(config, tmp_path, **more)
    TokenCache(tmp_path / 'cache' / 'atomx').store(default_row[0], 'default@example.com',
                                                   'token', None)
    assert cli.main(['config', '--format', 'json', *flags], env) == 0
    listed = json.loads(capsys.readouterr().out)
    rows = {row['profile']: [row['endpoint'], row['endpoint_from']] for row in listed}
    assert rows == {'default': default_row, 'work': work_row}
    assert listed[0]['cached_token'] == 'yes'  # looked up where it is shown
    for name, (endpoint, _) in rows.items():
        arguments = argparse.Namespace(profile=name, **({'endpoint': flags[1]} if flags else {}))
        assert login_settings(arguments, env, never, 'https://api.atomx.com/v3').endpoint == \
            endpoint


def test_config_with_a_profile_lists_that_profile_only(config, tmp_path, capsys):
    env = environment(config, tmp_path, ATOMX_PROFILE='default')
    assert cli.main(['config', '--format', 'json', '--profile', 'work'], env) == 0
    assert [row['profile'] for row in json.loads(capsys.readouterr().out)] == ['work']
    assert cli.main(['config', '--format', 'json'], env) == 0  # the variable narrows nothing
    assert [row['profile'] for row in json.loads(capsys.readouterr().out)] == ['default', 'work']
    assert cli.main(['config', '--profile', 'nope'], env) == 2
    assert "no profile 'nope' in " in capsys.readouterr().err


def test_config_with_an_email_shows_it_and_looks_its_token_up(config, tmp_path, capsys):
    # as `atomx get --profile work --email other@example.com` logs in: work's endpoint,
    # the flag's email, the token cached for that pair
    cache = TokenCache(tmp_path / 'cache' / 'atomx')
    cache.store('http://work.example/v3', 'other@example.com', 'other-token', 4_102_444_800.0)
    cache.store('http://work.example/v3', 'work@example.com', 'work-token', None)
    env = environment(config, tmp_path, ATOMX_EMAIL='env@example.com')
    arguments = ['--profile', 'work', '--email', 'other@example.com']
    settings = login_settings(argparse.Namespace(profile='work', email='other@example.com'),
                              env, never, 'https://api.atomx.com/v3')
    assert cli.main(['config', '--format', 'json', *arguments], env) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row['endpoint'], row['email']) == (settings.endpoint, settings.email)
    assert row['email'] == 'other@example.com'
    assert row['cached_token'] == 'until 2100-01-01 00:00 UTC'
    assert cli.main(['config', '--format', 'json', '--profile', 'work'], env) == 0
    [row] = json.loads(capsys.readouterr().out)  # $ATOMX_EMAIL does not beat the profile
    assert (row['email'], row['cached_token']) == ('work@example.com', 'yes')


def test_config_help_says_what_profile_endpoint_and_email_do(capsys):
    with pytest.raises(SystemExit):
        cli.main(['config', '--help'])
    help_text = ' '.join(capsys.readouterr().out.split())
    assert '--profile NAME list that profile only' in help_text
    assert '($ATOMX_PROFILE does not narrow the list)' in help_text
    assert '--endpoint URL, show the endpoint and email a command given them' in help_text
    assert '--email EMAIL log in with, and look the cached token up there' in help_text


def test_config_refuses_a_password_file_others_may_read(config, tmp_path, capsys):
    config.chmod(0o644)
    assert cli.main(['config'], environment(config, tmp_path)) == 2
    assert f'make it private with: chmod 600 {config}' in capsys.readouterr().err


def test_logout_deletes_the_profiles_cached_token(config, tmp_path, capsys):
    env = environment(config, tmp_path)
    cache = TokenCache(tmp_path / 'cache' / 'atomx')
    cache.store('http://work.example/v3', 'work@example.com', 'cached-token', None)
    assert cli.main(['logout', '--profile', 'work'], env) == 0
    assert cache.load('http://work.example/v3', 'work@example.com') is None
    assert cli.main(['--profile', 'work', 'logout'], env) == 0
    assert capsys.readouterr().out.splitlines() == [
        'deleted the cached token of work@example.com at http://work.example/v3',
        'no cached token of work@example.com at http://work.example/v3']


def test_a_failing_password_command_is_reported_without_a_traceback(tmp_path, capsys):
    path = tmp_path / 'atomx.ini'
    path.write_text('[p]\nemail = a@b.c\npassword_command = /no/such/command\n')
    status = cli.main(['get', 'sites', '--profile', 'p'], {'ATOMX_CONFIG': str(path)})
    assert status == 2
    assert "password_command of profile 'p' cannot run" in capsys.readouterr().err


def test_profile_errors_are_atomx_errors():
    assert issubclass(ProfileError, cli.AtomxError)


# -- one reading of ATOMX_TIMEOUT and ATOMX_RETRIES for the library and the command ---

def session_of_the_library(env, monkeypatch):
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    return Atomx.from_profile('work')


def session_of_the_command(env, monkeypatch):
    made = []

    class Recorded(Atomx):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(cli, 'Atomx', Recorded)
    status = cli.main(['--profile', 'work', 'get', 'site', '1', 'name'], env)
    assert status == 0
    return made[0]


@pytest.mark.parametrize('session_of', [session_of_the_library, session_of_the_command])
def test_a_profiles_session_takes_timeout_and_retries_from_the_environment(
        config, tmp_path, mocked, monkeypatch, session_of):
    mocked.add(responses.POST, 'http://work.example/v3/login',
               json={'success': True, 'auth_token': 't', 'user': {'id': 1}},
               match=[matchers.json_params_matcher({'email': 'work@example.com',
                                                    'password': 'work-secret'})])
    mocked.add(responses.GET, 'http://work.example/v3/site/1/name',
               json={'success': True, 'resource': 'site', 'site': 'a site'})
    env = environment(config, tmp_path, ATOMX_TIMEOUT='5,60', ATOMX_RETRIES='0')
    session = session_of(env, monkeypatch)
    assert session.api_endpoint == 'http://work.example/v3'
    assert (session._transport.timeout, session._transport.retries) == (Timeout(5, 60), 0)


@pytest.mark.parametrize('variable, value', [('ATOMX_TIMEOUT', 'soon'), ('ATOMX_RETRIES', '-1')])
def test_a_bad_timeout_or_retries_is_refused_alike_before_the_password_command(
        tmp_path, mocked, monkeypatch, capsys, variable, value):
    path = tmp_path / 'atomx.ini'
    path.write_text('[p]\nemail = a@b.c\npassword_command = /no/such/command\n')
    env = {'ATOMX_CONFIG': str(path), variable: value}
    for name, text in env.items():
        monkeypatch.setenv(name, text)
    with pytest.raises(ValueError, match=f'environment variable {variable}: {value!r} is not'
                       ) as raised:  # not ProfileError: the command was never run
        Atomx.from_profile('p')
    assert cli.main(['--profile', 'p', 'get', 'sites'], env) == 2
    assert capsys.readouterr().err == f'atomx get: error: {raised.value}\n'
    assert len(mocked.calls) == 0


def test_config_and_logout_show_an_endpoints_password_as_stars(tmp_path, capsys):
    path = tmp_path / 'atomx.ini'
    path.write_text('[work]\nendpoint = http://walker:pw-in-the-url@work.example/v3\n'
                    'email = work@example.com\npassword = secret\n')
    path.chmod(0o600)
    env = environment(path, tmp_path)
    assert cli.main(['config', '--format', 'csv'], env) == 0
    assert cli.main(['logout', '--profile', 'work'], env) == 0
    out = capsys.readouterr().out
    assert 'work,http://walker:***@work.example/v3,profile,' in out
    assert 'no cached token of work@example.com at http://walker:***@work.example/v3' in out
    settings = login_settings(argparse.Namespace(profile='work'), env, never, 'https://x/v3')
    assert 'pw-in-the-url' not in out + repr(settings) + repr(settings.profile)
    assert settings.endpoint == 'http://walker:pw-in-the-url@work.example/v3'
