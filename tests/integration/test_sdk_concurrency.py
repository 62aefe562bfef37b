"""Several threads share ONE Atomx session and write at once; afterwards every write
is read back from the sandbox: nothing lost, nothing torn, nothing doubled."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from atomx import Atomx
from atomx.models import Site
from atomx.testing import atomx_session  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.integration

THREADS = 8
SITES_PER_THREAD = 6


def run_together(work, count: int = THREADS) -> list:
    """Run ``work(number)`` in ``count`` threads released at the same moment."""
    start = threading.Barrier(count)

    def released(number: int):
        start.wait(timeout=10)
        return work(number)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(released, range(count)))


def test_threads_create_and_update_through_one_session(atomx_session):  # noqa: F811
    atomx_session.get('sites', limit=1)
    seeded = atomx_session.last_response['count']

    def create_and_update(number: int) -> list[int]:
        ids = []
        for index in range(SITES_PER_THREAD):
            site = Site(name=f'thread {number} site {index}', publisher_id=number % 4 + 1)
            site.create(atomx_session)
            site.name = f'thread {number} site {index} updated'
            site.minimum_internal_bid = number + 1 + index / 10  # never the default 0.0
            site.save()
            ids.append(site.id)
        return ids

    created = [site_id for ids in run_together(create_and_update) for site_id in ids]
    assert len(set(created)) == len(created) == THREADS * SITES_PER_THREAD
    sites = {site.id: site for site in atomx_session.get('sites', limit=1000)}
    assert len(sites) == seeded + len(created)
    for number in range(THREADS):
        for index in range(SITES_PER_THREAD):
            name = f'thread {number} site {index} updated'
            [site] = [s for s in sites.values() if s.name == name]
            assert site.id in created
            assert site.publisher_id == number % 4 + 1
            assert site.minimum_internal_bid == pytest.approx(number + 1 + index / 10)
            assert [sorted(e['history']) for e in site.history()][1:] == [
                ['minimum_internal_bid', 'name']]  # one update, whole


def test_threads_update_one_record_field_by_field(atomx_session):  # noqa: F811
    """Each thread PUTs its own attribute of the same advertiser: no update overwrites
    another's (the sandbox applies only the sent attributes, under its lock)."""
    fields = ['name', 'email', 'budget', 'state']
    values = {'name': 'concurrent name', 'email': 'concurrent@example.com',
              'budget': 4242.0, 'state': 'INACTIVE'}

    def put_field(number: int) -> dict:
        field = fields[number]
        return atomx_session.put('advertiser', 42, {field: values[field]})

    answers = run_together(put_field, len(fields))
    assert all(answer['id'] == 42 for answer in answers)
    advertiser = atomx_session.get('advertiser', 42)
    assert {field: getattr(advertiser, field) for field in fields} == values
    assert len(advertiser.history()) == 1 + len(fields)


def test_threads_share_one_relogin_when_the_token_expires(sandbox, caplog, pass_time):
    atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url, expiration=2)
    pass_time(2.3)
    with caplog.at_level(logging.DEBUG, logger='atomx'):
        names = run_together(lambda number: atomx.get('advertiser', 42).name)
    assert names == ['Answer Media'] * THREADS
    logins = [r for r in caplog.records if '/v3/login -> 200' in r.getMessage()]
    assert len(logins) == 1
    answered = [r.getMessage() for r in caplog.records if '/v3/advertiser/42 -> 200' in
                r.getMessage()]
    assert len(answered) == THREADS
