"""The bulk verbs, prefetching iter, max_rate and saved accounts against the sandbox, over
real sockets: every write is read back, and the CLI's logins are counted by the server."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from atomx import Atomx
from atomx.exceptions import ModelNotFoundError
from atomx.models import Site
from atomx.sandbox import TOTP_SECRET
from atomx.sandbox.auth import totp_code
from atomx.testing import atomx_session  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
COUNT = 200


@pytest.fixture
def created(atomx_session):  # noqa: F811
    """200 new sites made with create_all from 8 workers."""
    sites = [Site(name=f'bulk site {number}', publisher_id=number % 4 + 1)
             for number in range(COUNT)]
    result = atomx_session.create_all(sites, workers=8)
    result.raise_for_failures()
    return sites


def test_create_all_of_200_gives_200_distinct_ids(atomx_session, created):  # noqa: F811
    ids = [site.id for site in created]
    assert len(set(ids)) == COUNT and None not in ids
    stored = {site.id: site.name for site in atomx_session.iter('sites', prefetch=True)}
    assert {site_id: stored[site_id] for site_id in ids} == \
        {site.id: site.name for site in created}


def test_save_all_of_200_from_8_workers_changes_200_rows_with_history(atomx_session,  # noqa: F811
                                                                     created):
    for site in created:
        site.name = f'{site.name} renamed'
    result = atomx_session.save_all(created, workers=8)
    assert result and len(result.succeeded) == COUNT
    fresh = atomx_session.get_many(Site, [site.id for site in created])
    assert [site.name for site in fresh] == [f'bulk site {n} renamed' for n in range(COUNT)]
    histories = [site.history() for site in fresh]
    assert all(len(entries) == 2 for entries in histories)
    assert all(entries[-1]['history'] == {'name': site.name}
               for entries, site in zip(histories, fresh))


def test_get_many_reads_the_ids_filter_of_the_sandbox(atomx_session):  # noqa: F811
    everything = atomx_session.get('sites', limit=1000)
    ids = [site.id for site in reversed(everything)]
    assert [site.json for site in atomx_session.get_many(Site, ids)] == \
        [site.json for site in reversed(everything)]
    missing = max(ids) + 1000
    with pytest.raises(ModelNotFoundError, match=f'1 of 3 ids were not found in sites: {missing}'):
        atomx_session.get_many(Site, [ids[0], missing, ids[1]])
    assert [site.id for site in atomx_session.get_many(Site, [ids[0], missing],
                                                       missing='skip')] == [ids[0]]


def test_iter_with_prefetch_yields_the_same_models_as_without(atomx_session):  # noqa: F811
    plain = [model.json for model in atomx_session.iter('domains', page_size=3)]
    prefetched = [model.json for model in atomx_session.iter('domains', page_size=3,
                                                              prefetch=True)]
    assert len(plain) > 9 and prefetched == plain


def test_max_rate_holds_across_threads(sandbox):
    with Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url,
               max_rate=40) as atomx:
        sent, lock = [], threading.Lock()

        def work():
            for _ in range(5):
                atomx.get('advertiser', 42)
                with lock:
                    sent.append(time.monotonic())

        threads = [threading.Thread(target=work) for _ in range(4)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # 20 requests at 40 per second with a burst of 1 take at least 19 / 40 s
        assert len(sent) == 20 and max(sent) - started >= 19 / 40 - 0.01


# -- saved accounts on the command line --------------------------------------------

@pytest.fixture
def counted_logins(sandbox, monkeypatch):
    """The tokens the sandbox hands out from now on (each login, each TOTP step)."""
    issued = []
    issue = sandbox.backend.tokens.issue

    def counting(user_id, seconds, grant=None):
        issued.append((user_id, grant is not None))
        return issue(user_id, seconds, grant)

    monkeypatch.setattr(sandbox.backend.tokens, 'issue', counting)
    return issued


def run_cli(tmp_path, *args, **env):
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith('ATOMX_')}
    environment.update(PYTHONPATH=str(ROOT), ATOMX_CONFIG=str(tmp_path / 'atomx.ini'),
                       XDG_CACHE_HOME=str(tmp_path / 'cache'), **env)
    done = subprocess.run([sys.executable, '-m', 'atomx', *args], capture_output=True,
                          text=True, env=environment, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_cli_with_profile_and_remember_logs_in_once_for_two_commands(sandbox, tmp_path,
                                                                          counted_logins):
    config = tmp_path / 'atomx.ini'
    config.write_text(f'[sandbox]\nendpoint = {sandbox.url}\nemail = {sandbox.email}\n'
                      f'password = {sandbox.password}\n')
    config.chmod(0o600)
    first = run_cli(tmp_path, 'get', 'advertiser', '42', 'name', '--profile', 'sandbox',
                    '--remember')
    second = run_cli(tmp_path, '--profile', 'sandbox', '--remember', 'search', 'Answer*',
                     '--format', 'json')
    assert first.strip() == 'Answer Media' and 'Answer Media' in second
    assert len(counted_logins) == 1
    cached = list((tmp_path / 'cache' / 'atomx').iterdir())
    text = cached[0].read_text()
    assert len(cached) == 1 and json.dumps(sandbox.password) not in text  # '"demo"'
    assert 'password' not in text
    run_cli(tmp_path, 'logout', '--profile', 'sandbox')
    run_cli(tmp_path, 'get', 'advertiser', '42', 'name', '--profile', 'sandbox')
    assert len(counted_logins) == 2  # logged out: the next command logs in again


def test_a_two_factor_user_types_the_code_once_per_token(sandbox, tmp_path, counted_logins):
    config = tmp_path / 'atomx.ini'
    config.write_text(f'[totp]\nendpoint = {sandbox.url}\nemail = totp@example.com\n'
                      f'password = totp\ntoken_cache = yes\n')
    config.chmod(0o600)
    run_cli(tmp_path, 'get', 'advertiser', '42', 'name', '--profile', 'totp',
            ATOMX_TOTP=totp_code(TOTP_SECRET))
    run_cli(tmp_path, 'get', 'advertiser', '42', 'name', '--profile', 'totp')  # no code now
    # one login, once: the code goes in the /login body and the full token comes back
    assert counted_logins == [(4, False)]
    cached = next((tmp_path / 'cache' / 'atomx').iterdir()).read_text()
    assert totp_code(TOTP_SECRET) not in cached and '"totp"' not in cached


def test_sixteen_workers_keep_sixteen_connections_open_and_reuse_them(atomx_session,  # noqa: F811
                                                                        caplog):
    caplog.set_level(logging.DEBUG, logger='urllib3.connectionpool')
    sites = [Site(name=f'pooled site {number}', publisher_id=1) for number in range(64)]
    atomx_session.create_all(sites, workers=16).raise_for_failures()
    for _ in range(2):  # the connections of the first round serve the next ones
        for site in sites:
            site.name += '.'
        atomx_session.save_all(sites, workers=16).raise_for_failures()
    said = [record.getMessage() for record in caplog.records]
    assert not [line for line in said if 'Connection pool is full' in line]
    started = [line for line in said if line.startswith('Starting new HTTP connection')]
    sent = [line for line in said if '"POST /' in line or '"PUT /' in line]
    assert len(sent) == 3 * 64
    assert len(started) <= 16  # a connection per worker at most, kept for the next requests
