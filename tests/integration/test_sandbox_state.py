"""Concurrent writers lose nothing; ``data=`` keeps the state across restarts."""
from __future__ import annotations

import contextlib
import sqlite3
import threading

import pytest
from sandbox_client import Client

from atomx.sandbox import Sandbox
from atomx.sandbox.datafile import FILE_FORMAT

pytestmark = pytest.mark.integration

THREADS, WRITES = 8, 15


def test_concurrent_creates_and_updates_are_all_accounted_for(sandbox):
    before = Client(sandbox.url)
    before.login(sandbox.email, sandbox.password)
    seeded = before.get('sites', params={'limit': 1}).json()['count']
    failures, created = [], []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def writer(number: int) -> None:
        client = Client(sandbox.url)  # one kept-alive connection per thread
        client.login(sandbox.email, sandbox.password)
        start.wait()
        for step in range(WRITES):
            answer = client.post('site', json={'name': f'w{number}-{step}', 'publisher_id': 1})
            if answer.status_code != 200:
                failures.append(answer.text)
                continue
            site_id = answer.json()['site']['id']
            changed = client.put(f'site/{site_id}', json={'minimum_internal_bid': float(step)})
            bumped = client.put('advertiser/42', json={'name': f'Answer Media {number}-{step}'})
            if changed.status_code != 200 or bumped.status_code != 200:
                failures.append(changed.text + bumped.text)
            with lock:
                created.append((site_id, f'w{number}-{step}', float(step)))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert len(created) == THREADS * WRITES
    assert len({site_id for site_id, _, _ in created}) == THREADS * WRITES  # no id twice
    sites = {site['id']: site for site in
             before.get('sites', params={'limit': 1000}).json()['sites']}
    assert len(sites) == seeded + THREADS * WRITES
    for site_id, name, bid in created:
        assert (sites[site_id]['name'], sites[site_id]['minimum_internal_bid']) == (name, bid)
    history = before.get('advertiser/42/history', params={'limit': 1000}).json()
    assert history['count'] == 1 + THREADS * WRITES  # the creation, then every rename


def test_data_file_keeps_the_state_across_restarts(tmp_path):
    path = tmp_path / 'sandbox.db'
    with Sandbox(data=str(path)) as first:
        client = Client(first.url)
        client.login(first.email, first.password)
        site = client.post('site', json={'name': 'kept', 'publisher_id': 1}).json()['site']
        client.put('advertiser/42', json={'name': 'Renamed Media'})
        client.delete('creative/1')
        report = client.post('report', json={'scope': 'network_managed', 'groups': ['day'],
                                             'metrics': ['clicks'], 'daterange': 'yesterday'})
        report_id = report.json()['report']['id']
        client.post('user/1', json={'old_password': 'demo', 'password': 'changed'})
        token = client.headers['Authorization']
    assert [p.name for p in tmp_path.iterdir()] == ['sandbox.db']  # no log or temporary left
    with contextlib.closing(sqlite3.connect(path)) as database:  # an SQLite database
        assert database.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == \
            (str(FILE_FORMAT),)
    with Sandbox(data=str(path)) as second:
        client = Client(second.url)
        client.headers['Authorization'] = token
        assert client.get('sites').status_code == 401  # tokens live in memory only
        client.login(second.email, 'changed')
        assert client.get(f'site/{site["id"]}').json()['site']['name'] == 'kept'
        assert client.get('advertiser/42').json()['advertiser']['name'] == 'Renamed Media'
        assert client.get('creative/1').status_code == 404
        history = client.get('advertiser/42/history').json()['history']
        assert history[-1]['history'] == {'name': 'Renamed Media'}
        assert client.get(f'report/{report_id}').status_code == 200
        newer = client.post('site', json={'name': 'newer', 'publisher_id': 1}).json()['site']
        assert newer['id'] == site['id'] + 1


def test_without_data_every_start_is_fresh():
    for _ in range(2):
        with Sandbox() as sandbox:
            client = Client(sandbox.url)
            client.login(sandbox.email, sandbox.password)
            assert client.get('advertiser/42').json()['advertiser']['name'] == 'Answer Media'
            client.put('advertiser/42', json={'name': 'changed'})
