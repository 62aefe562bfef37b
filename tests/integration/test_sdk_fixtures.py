"""The ``atomx_session`` fixture of :mod:`atomx.testing`: in this suite, and the way a
user's own ``conftest.py`` enables it (``pytest_plugins = ['atomx.testing']``)."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

from atomx import Atomx
from atomx.models import User
from atomx.testing import atomx_session  # noqa: F401  (the fixture under test)

pytestmark = pytest.mark.integration

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_atomx_session_is_logged_in_to_this_tests_sandbox(atomx_session, atomx_sandbox):  # noqa: F811
    assert isinstance(atomx_session, Atomx)
    assert atomx_session.api_endpoint == atomx_sandbox.url
    assert isinstance(atomx_session.user, User)
    assert (atomx_session.user.id, atomx_session.user.email) == (1, atomx_sandbox.email)
    assert atomx_session.get('site', 1).name == 'Daily Planet'
    atomx_session.put('site', 1, {'name': 'changed by the first test'})
    assert atomx_session.get('site', 1).name == 'changed by the first test'


def test_atomx_session_starts_on_fresh_data_every_test(atomx_session):  # noqa: F811
    assert atomx_session.get('site', 1).name == 'Daily Planet'


USER_CONFTEST = "pytest_plugins = ['atomx.testing']\n"
USER_TEST = textwrap.dedent('''
    from atomx.models import Advertiser

    def test_my_script_renames(atomx_session):
        advertiser = atomx_session.get(Advertiser, 42)
        advertiser.name = 'renamed by my script'
        advertiser.save()
        assert atomx_session.get(Advertiser, 42).name == 'renamed by my script'

    def test_my_script_sees_fresh_data(atomx_session, atomx_sandbox):
        assert atomx_session.api_endpoint == atomx_sandbox.url
        assert atomx_session.get(Advertiser, 42).name == 'Answer Media'
''')


def test_a_users_conftest_gets_the_fixtures_with_pytest_plugins(tmp_path):
    (tmp_path / 'conftest.py').write_text(USER_CONFTEST)
    (tmp_path / 'test_my_script.py').write_text(USER_TEST)
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get('PYTHONPATH')]))}
    run = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
                          str(tmp_path)], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert '2 passed' in run.stdout
