"""The documented names that the first release of this client lacked, over the wire:
``ScheduledReport``, ``Report.get(limit, offset)``, ``Atomx.models`` and the default
``to`` of a report (now in the report's timezone)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import atomx as atomx_package
from atomx import Atomx
from atomx.models import Report, ScheduledReport
from atomx.sandbox import Sandbox

pytestmark = pytest.mark.integration

#: The clock of the sandbox's reports and of the SDK's default period (naive UTC).
NOW = datetime(2026, 11, 20, 12, 30)


@pytest.fixture
def session(monkeypatch):
    """A demo session against a sandbox whose report clock, like the SDK's, stands at NOW."""
    monkeypatch.setattr('atomx.report_query.utc_now', lambda: NOW)
    with Sandbox(now=lambda: NOW) as sandbox, \
            Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url) as atomx:
        yield atomx


def test_a_scheduled_report_is_a_scheduled_report_everywhere(session):
    scheduled = session.report(scope='advertiser', groups=['day'], metrics=['clicks'],
                               when='daily', interval='7 days')
    once = session.report(scope='advertiser', groups=['day'], metrics=['clicks'])
    assert type(scheduled) is ScheduledReport and isinstance(scheduled, Report)
    assert type(once) is Report
    listing = session.get('reports')
    assert [type(report) for report in listing['scheduled']] == [ScheduledReport]
    assert [type(report) for report in listing['reports']] == [Report]
    assert type(session.get('report', scheduled.id)) is ScheduledReport


def test_report_get_reads_pages_of_the_stored_report(session):
    report = session.report(scope='network_managed', groups=['hour'], metrics=['impressions'],
                            limit=10)
    assert report.length == 10
    whole = report.get()
    assert whole.length == len(whole.data) == 7 * 24
    assert whole.data[:10] == report.data
    page = report.get(limit=24, offset=48)
    assert (page.id, page.length, page.data) == (report.id, 24, whole.data[48:72])
    assert page.totals == report.totals
    assert report.get(offset=160).data == whole.data[160:]


def test_the_documented_get_example_runs_with_the_sessions_models(session):
    # the docstring of Atomx.get, as written: ``atomx`` is the session
    atomx = session
    publisher = atomx.get(atomx.models.Publisher(23))
    assert isinstance(publisher, atomx.models.Publisher)
    assert atomx.models is atomx_package.models
    assert publisher.id == 23


@pytest.mark.parametrize('zone, hours_behind_utc', [
    ('America/Los_Angeles', 8), ('UTC', 0), ('Asia/Tokyo', -9)])
def test_a_report_without_to_ends_now_in_its_timezone(session, zone, hours_behind_utc):
    report = session.report(scope='network_managed', groups=['hour'], metrics=['impressions'],
                            timezone=zone)
    end = datetime(2026, 11, 20, 12) - timedelta(hours=hours_behind_utc)
    assert (report.from_, report.to) == (end - timedelta(days=7), end)
    assert report.query['timezone'] == zone
    assert report.length == 7 * 24  # every hour up to now has data: none lies in the future
    assert report.data[-1][0] == f'{end - timedelta(hours=1):%Y-%m-%d %H:00:00}'
