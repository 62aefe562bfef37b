"""``Atomx.report`` parameters beyond the usage example: scope detection from the
user's rights, dateranges, scheduled reports, reload."""
from __future__ import annotations

import pytest

from atomx import Atomx
from atomx.exceptions import MissingArgumentError
from atomx.testing import atomx_session  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize('email, scope, group, own_id', [
    ('advertiser@example.com', 'advertiser', 'advertiser_id', 42),
    ('publisher@example.com', 'publisher', 'publisher_id', 23),
])
def test_scope_comes_from_the_users_rights(sandbox, email, scope, group, own_id):
    atomx = Atomx(email, email.split('@')[0], api_endpoint=sandbox.url)
    report = atomx.report(groups=['day', group], metrics=['impressions'], daterange='last7days')
    assert report.query['scope'] == scope
    assert report.length == len(report.data) == 7
    assert {row[1] for row in report.data} == {own_id}  # only what the user may see


def test_a_network_user_must_name_the_scope(atomx_session):  # noqa: F811
    with pytest.raises(MissingArgumentError, match='pass scope='):
        atomx_session.report(groups=['day'], metrics=['clicks'], daterange='yesterday')
    assert atomx_session.get('reports')['reports'] == []  # nothing was sent


def test_scheduled_report_and_reload(atomx_session):  # noqa: F811
    scheduled = atomx_session.report(scope='advertiser', groups=['day'], metrics=['clicks'],
                                     when='daily', interval='7 days', name='every morning',
                                     emails='ops@example.com')
    assert scheduled.is_scheduled_report is True
    listing = atomx_session.get('reports')
    assert [r.id for r in listing['scheduled']] == [scheduled.id] and listing['reports'] == []
    once = atomx_session.report(scope='advertiser', groups=['day'], metrics=['clicks'],
                                daterange='last7days')
    rows = list(once.data)
    once.data = []
    assert once.reload() is once and once.data == rows and once.length == 7
    assert [r.id for r in atomx_session.get('reports')['reports']] == [once.id]
