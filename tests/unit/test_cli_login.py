"""How the ``atomx`` command line logs in: flags, environment, prompts without echo."""
import argparse

import pytest

from atomx import cli
from atomx.cli_commands import UsageError
from atomx.exceptions import TotpRequiredError


class Terminal:
    def __init__(self, tty):
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.fixture
def logins(monkeypatch):
    """The constructor calls of the session, instead of logging in."""
    calls = []

    def fake_atomx(email, password, totp=None, api_endpoint=None, token_cache=False):
        assert token_cache is False  # no --remember: no token cache
        password = password() if callable(password) else password  # as the session does
        calls.append((email, password, totp, api_endpoint))
        if email == 'totp@example.com' and totp is None:
            raise TotpRequiredError('needs totp')
        return 'session'

    monkeypatch.setattr(cli, 'Atomx', fake_atomx)
    return calls


@pytest.fixture
def prompts(monkeypatch):
    asked = []
    answers = {'Atomx password for me@example.com: ': 'typed-pw', 'TOTP code: ': '123456',
               'Atomx password for totp@example.com: ': 'typed-pw'}

    def getpass(prompt):
        asked.append(prompt)
        return answers[prompt]

    monkeypatch.setattr(cli.getpass, 'getpass', getpass)
    monkeypatch.setattr(cli.sys, 'stdin', Terminal(True))
    return asked


def args(**given):
    return argparse.Namespace(**given)


def test_flags_win_over_the_environment(logins):
    env = {'ATOMX_EMAIL': 'env@example.com', 'ATOMX_PASSWORD': 'pw',
           'ATOMX_API_ENDPOINT': 'http://env/v3', 'ATOMX_TOTP': '000111'}
    assert cli.open_session(args(email='me@example.com', endpoint='http://flag/v3'), env) == \
        'session'
    assert logins == [('me@example.com', 'pw', '000111', 'http://flag/v3')]


def test_environment_alone_and_the_default_endpoint(logins):
    cli.open_session(args(), {'ATOMX_EMAIL': 'me@example.com', 'ATOMX_PASSWORD': 'pw'})
    assert logins == [('me@example.com', 'pw', None, 'https://api.atomx.com/v3')]


def test_the_password_is_asked_for_without_echo_on_a_terminal(logins, prompts):
    cli.open_session(args(email='me@example.com'), {})
    assert prompts == ['Atomx password for me@example.com: ']
    assert logins[0][1] == 'typed-pw'


def test_the_totp_is_asked_for_when_the_account_needs_one(logins, prompts):
    cli.open_session(args(email='totp@example.com'), {})
    assert prompts == ['Atomx password for totp@example.com: ', 'TOTP code: ']
    assert logins == [('totp@example.com', 'typed-pw', None, 'https://api.atomx.com/v3'),
                      ('totp@example.com', 'typed-pw', '123456', 'https://api.atomx.com/v3')]


def test_without_a_terminal_a_missing_totp_is_the_api_error(logins, monkeypatch):
    monkeypatch.setattr(cli.sys, 'stdin', Terminal(False))
    with pytest.raises(TotpRequiredError):
        cli.open_session(args(email='totp@example.com'), {'ATOMX_PASSWORD': 'pw'})


def test_without_a_terminal_a_missing_password_is_a_usage_error(logins, monkeypatch):
    monkeypatch.setattr(cli.sys, 'stdin', Terminal(False))
    with pytest.raises(UsageError, match='no password: set ATOMX_PASSWORD'):
        cli.open_session(args(email='me@example.com'), {})
    assert logins == []
