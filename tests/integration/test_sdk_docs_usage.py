"""Every example of the client documentation's usage and API parts, through the SDK,
against a real sandbox over real sockets."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from atomx import Atomx
from atomx.exceptions import ModelNotFoundError
from atomx.models import Advertiser, Campaign, Creative, Domain, Profile, Publisher, Report
from atomx.testing import atomx_session  # noqa: F401  (the session fixture)

pytestmark = pytest.mark.integration


def test_creating_a_session_with_the_sandbox_endpoint(sandbox):
    atomx = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url)
    assert atomx.api_endpoint == sandbox.url
    assert (atomx.user.id, atomx.user.email) == (1, 'demo@example.com')
    assert isinstance(atomx.auth_token, str) and atomx.auth_token
    quiet = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url,
                  save_response=False)
    assert len(quiet.get('sites')) == 9 and quiet.last_response is None


def test_get_10_creatives(atomx_session):  # noqa: F811
    creatives = atomx_session.get('Creatives', limit=10)
    assert len(creatives) == 10 and all(isinstance(c, Creative) for c in creatives)
    assert [c.id for c in creatives] == list(range(1, 11))
    c = creatives[0]
    line = f'Creative ID: {c.id}, state: {c.state}, name: {c.name}, title: {c.title}'
    assert line == ('Creative ID: 1, state: ACTIVE, name: Acme Shoes banner 1, '
                    'title: Acme Shoes: offer 1')
    assert atomx_session.last_response['limit'] == 10


def test_profiles_of_advertiser_42_ordered_by_last_updated(atomx_session):  # noqa: F811
    profiles = atomx_session.get('advertiser/42/profiles', order_by='updated_at.desc')
    assert all(isinstance(p, Profile) for p in profiles) and len(profiles) == 5
    stamps = [p.updated_at for p in profiles]
    assert all(isinstance(stamp, datetime) for stamp in stamps)
    assert stamps == sorted(stamps, reverse=True)
    assert atomx_session.last_response['sort'] == 'updated_at.desc'
    split = atomx_session.get('advertiser', 42, 'profiles')
    assert sorted(p.id for p in split) == sorted(p.id for p in profiles) == [11, 12, 13, 14, 15]


def test_the_four_forms_of_one_resource(atomx_session):  # noqa: F811
    forms = [atomx_session.get('advertiser/42'), atomx_session.get('advertiser', 42),
             atomx_session.get(Advertiser, 42), atomx_session.get(Advertiser(42))]
    assert all(isinstance(a, Advertiser) for a in forms)
    assert {(a.id, a.name) for a in forms} == {(42, 'Answer Media')}
    assert [a.json for a in forms[1:]] == [forms[0].json] * 3
    assert atomx_session.get(Advertiser(42), 'profiles')[0].advertiser.id == 42


def test_get_publisher_23_in_each_documented_form(atomx_session):  # noqa: F811
    for publisher in (atomx_session.get('publisher/23'), atomx_session.get('publisher', 23),
                      atomx_session.get(Publisher(23))):
        assert isinstance(publisher, Publisher) and publisher.id == 23
    advertisers = atomx_session.get('advertisers')
    assert isinstance(advertisers, list) and isinstance(advertisers[0], Advertiser)


def test_domains_with_atom_in_name_and_first_20_by_hostname(atomx_session):  # noqa: F811
    domains = atomx_session.get('domains', name='*atom*')
    assert len(domains) == atomx_session.last_response['count'] == 26
    assert all(isinstance(d, Domain) and 'atom' in d.name for d in domains)
    atom_domains = atomx_session.get('domains', hostname='*atom*', limit=20)
    assert len(atom_domains) == 20
    assert 'atom' in atom_domains[1].hostname


def test_lazy_loading_quickstats_and_the_profiles_advertiser(atomx_session):  # noqa: F811
    creative = atomx_session.get('Creatives', limit=10)[0]
    assert 'quickstats' not in creative.json  # not loaded: read through the API
    stats = creative.quickstats
    direct = atomx_session.get('creative', creative.id, 'quickstats')
    assert stats == direct and set(stats) == {'today', 'yesterday', 'last7days', 'lifetime'}
    profiles = atomx_session.get('advertiser/42/profiles')
    advertiser = profiles[0].advertiser
    assert isinstance(advertiser, Advertiser)
    assert (advertiser.id, advertiser.name) == (42, 'Answer Media')


def test_history_lists_creation_and_every_change(atomx_session):  # noqa: F811
    advertiser = atomx_session.get('advertiser', 42)
    first = advertiser.history()
    assert len(first) == 1 and first[0]['history']['name'] == 'Answer Media'
    assert isinstance(first[0]['date'], datetime) and first[0]['user']['id'] == 1
    advertiser.name = 'Answer Media renamed'
    advertiser.save()
    entries = advertiser.history()
    assert len(entries) == 2 and entries[-1]['history'] == {'name': 'Answer Media renamed'}
    assert advertiser.history(sort='date.desc', limit=1)[0]['history'] == entries[-1]['history']
    assert advertiser.history(offset=1) == entries[1:]


def test_updating_a_creative_title_and_a_profile_cap(atomx_session):  # noqa: F811
    creatives = atomx_session.get('Creatives', limit=10)
    profiles = atomx_session.get('advertiser/42/profiles', order_by='updated_at.desc')
    creative = creatives[0]
    creative.title = 'shiny new title'
    assert creative.save() is creative
    profiles[0].click_frequency_cap_per = 86400
    profiles[0].save()
    assert atomx_session.get('creative', creative.id).title == 'shiny new title'
    assert atomx_session.get('profile', profiles[0].id).click_frequency_cap_per == 86400
    assert atomx_session.get('creative', 2).title == 'Acme Shoes: offer 2'  # only the one


def test_creating_a_profile_with_create_and_the_session_aliases(atomx_session):  # noqa: F811
    profile = Profile(advertiser_id=23, name='test profile')
    assert profile.create(atomx_session) is profile
    assert isinstance(profile.id, int)
    stored = atomx_session.get('profile', profile.id)
    assert (stored.name, stored.advertiser.id) == ('test profile', 23)
    second = atomx_session.create(Profile(advertiser_id=23, name='second profile'))
    assert second.id == profile.id + 1
    second.name = 'second profile renamed'
    atomx_session.save(second)
    assert atomx_session.get(Profile(second.id)).name == 'second profile renamed'
    second.click_frequency_cap_count = 9
    assert second.update() is second  # update() is save()
    assert atomx_session.get(Profile(second.id)).click_frequency_cap_count == 9
    assert atomx_session.remove(second) == {'profile': [second.id]}
    assert second.deleted is True
    assert [p.id for p in atomx_session.get('advertiser', 23, 'profiles')].count(second.id) == 0


def test_delete_then_reload_is_model_not_found(atomx_session):  # noqa: F811
    profile = atomx_session.get('profile', 11)
    assert profile.delete() == {'profile': [11]}
    with pytest.raises(ModelNotFoundError, match='Profile 11'):
        profile.reload()


def test_search_atomx_lazy_load_and_reload(atomx_session):  # noqa: F811
    found = atomx_session.search('atomx')
    assert {'advertisers', 'campaigns', 'creatives', 'placements', 'publishers',
            'sites'} <= set(found)
    campaign = found['campaigns'][0]
    assert isinstance(campaign, Campaign)
    assert set(campaign.json) == {'id', 'name'}
    assert isinstance(campaign.budget, float)  # lazy loaded
    assert campaign.reload() is campaign
    assert campaign.json == atomx_session.get('campaign', campaign.id).json
    only = atomx_session.search('atomx', index=['campaigns', 'domains'])
    assert set(only) == {'campaigns', 'domains'}
    assert all(isinstance(d, Domain) and 'atomx' in d.name for d in only['domains'])


def _publisher_report(atomx: Atomx):
    now = datetime.now(timezone.utc)
    last_week = now - timedelta(days=7)
    return atomx.report(scope='publisher', groups=['hour'], metrics=['impressions', 'clicks'],
                        where=[['publisher_id', '==', 42]], from_=last_week, to=now,
                        timezone='America/Los_Angeles')


def test_publisher_report_length_totals_pandas_and_resample(atomx_session):  # noqa: F811
    pandas = pytest.importorskip('pandas')
    report = _publisher_report(atomx_session)
    assert isinstance(report, Report)
    assert report.columns == ['hour', 'impressions', 'clicks']
    assert 166 <= report.length <= 169 and report.length == len(report.data)  # DST: 167/169
    assert report.totals == {'impressions': sum(row[1] for row in report.data),
                             'clicks': sum(row[2] for row in report.data)}
    df = report.pandas
    assert isinstance(df.index, pandas.DatetimeIndex) and len(df) == report.length
    assert int(df['impressions'].sum()) == report.totals['impressions']
    assert report.content.splitlines()[0] == 'hour,impressions,clicks'
    alias = 'h' if tuple(int(p) for p in pandas.__version__.split('.')[:2]) >= (2, 2) else 'H'
    means = df.resample(alias).apply(['mean', 'median', 'std'])
    assert list(means.columns) == [(metric, stat) for metric in ('impressions', 'clicks')
                                   for stat in ('mean', 'median', 'std')]
    assert means[('impressions', 'mean')].sum() == pytest.approx(df['impressions'].sum())


def test_reports_listing_save_and_delete(atomx_session):  # noqa: F811
    assert atomx_session.get('reports') == {'reports': [], 'scheduled': []}
    report = _publisher_report(atomx_session)
    listed = atomx_session.get('reports')['reports']
    assert [r.id for r in listed] == [report.id] and isinstance(listed[0], Report)
    report.name = 'weekly publisher 42'
    report.emails = 'ops@example.com'
    report.save()
    again = atomx_session.get('reports')['reports'][0]
    assert (again.name, again.emails) == ('weekly publisher 42', ['ops@example.com'])
    assert report.delete() == {'report': [report.id]}
    assert atomx_session.get('reports')['reports'] == []
