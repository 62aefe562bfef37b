"""``--data`` under ``kill -9``: no answered write is lost, no half record is read back.

A sandbox subprocess serves several writing threads and is killed with SIGKILL
in the middle of their writes; a new sandbox on the same file must hold every
write that was answered 200, and only whole records.
"""
from __future__ import annotations

import contextlib
import os
import pathlib
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from typing import Dict, List, Tuple

import pytest
import requests
from sandbox_client import Client

from atomx.sandbox import Sandbox

pytestmark = pytest.mark.integration

THREADS = 6
LOGIN = {'email': 'demo@example.com', 'password': 'demo'}


def _start(data: pathlib.Path) -> Tuple[subprocess.Popen, str]:
    """``python -m atomx.sandbox --data`` on a free port, logged in once."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    root = str(pathlib.Path(__file__).resolve().parents[2])
    env = {**os.environ, 'PYTHONPATH': root + os.pathsep + os.environ.get('PYTHONPATH', '')}
    process = subprocess.Popen(
        [sys.executable, '-m', 'atomx.sandbox', '--port', str(port), '--data', str(data)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f'http://127.0.0.1:{port}/v3'
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.post(url + '/login', json=LOGIN, timeout=2)
            return process, url
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.1)


class Writer(threading.Thread):
    """Creates sites and raises their bid, noting each write the server answered 200."""

    def __init__(self, url: str, number: int) -> None:
        super().__init__(daemon=True)
        self.client, self.number = Client(url), number
        self.created: List[Tuple[int, str]] = []
        self.bids: Dict[int, float] = {}  # the last bid answered 200, by site
        self.unexpected: List[str] = []

    def run(self) -> None:
        self.client.login(**LOGIN)
        # the kill ends the loop: no connection, or an answer cut in its body (not answered)
        cut = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)
        with contextlib.suppress(*cut):
            for step in range(100000):
                name = f'writer {self.number} site {step}'
                answer = self.client.post('site', json={'name': name, 'publisher_id': 1})
                if answer.status_code != 200:
                    self.unexpected.append(answer.text)
                    return
                site_id = answer.json()['site']['id']
                self.created.append((site_id, name))
                for bid in (1.0, 2.0):
                    answer = self.client.put(f'site/{site_id}',
                                             json={'minimum_internal_bid': bid})
                    if answer.status_code != 200:
                        self.unexpected.append(answer.text)
                        return
                    self.bids[site_id] = bid


def test_kill_9_during_writes_from_threads_loses_no_answered_write(tmp_path):
    data = tmp_path / 'state.db'
    process, url = _start(data)
    seeded = Client(url)
    seeded.login(**LOGIN)
    seeded_sites = seeded.get('sites', params={'limit': 1}).json()['count']
    writers = [Writer(url, number) for number in range(THREADS)]
    try:
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 20
        while sum(len(w.created) for w in writers) < 60 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.kill(process.pid, signal.SIGKILL)  # in the middle of the writers' requests
        process.wait(timeout=10)
    for writer in writers:
        writer.join(timeout=20)
    assert not any(writer.unexpected for writer in writers)
    created = [site for writer in writers for site in writer.created]
    bids = {site: bid for writer in writers for site, bid in writer.bids.items()}
    assert len(created) >= 60

    with contextlib.closing(sqlite3.connect(data)) as database:  # recovers the log
        assert database.execute('PRAGMA integrity_check').fetchone() == ('ok',)
    with Sandbox(data=str(data)) as again:
        client = Client(again.url)
        client.login(**LOGIN)
        listed = client.get('sites', params={'limit': 1000})
        assert listed.status_code == 200
        sites = {site['id']: site for site in listed.json()['sites']}
        # every answered create is there; at most one unanswered one per thread besides
        assert seeded_sites + len(created) <= len(sites) <= seeded_sites + len(created) + THREADS
        whole = set(client.get('site/1').json()['site'])
        for site_id, name in created:
            site = client.get(f'site/{site_id}').json()['site']
            assert set(site) == whole and site['name'] == name  # whole records only
            # the last answered bid, or one that was written but not yet answered
            assert site['minimum_internal_bid'] >= bids.get(site_id, 0.0)
            history = client.get(f'site/{site_id}/history').json()['history']
            assert history[0]['history']['name'] == name
        newer = client.post('site', json={'name': 'after', 'publisher_id': 1}).json()['site']
        assert newer['id'] > max(sites)  # ids of the lost state are not reused
