#!/usr/bin/env python3
"""The atomx quickstart: the usage section of the documentation, end to end.

Run it from the repository after ``python3 -m pip install -e '.[report,sandbox]'``::

    python3 examples/quickstart.py

With ``ATOMX_EMAIL`` and ``ATOMX_PASSWORD`` set (and optionally ``ATOMX_TOTP``,
``ATOMX_API_ENDPOINT``) it talks to that API through :meth:`atomx.Atomx.from_env`;
otherwise it starts an embedded :class:`atomx.sandbox.Sandbox` on 127.0.0.1 and
logs in as its demo user, so nothing leaves the machine.  The documentation's ids
(advertiser 42, advertiser 23 for the new profile, publisher 42 for the report)
can be changed with ``ATOMX_ADVERTISER_ID``, ``ATOMX_NEW_PROFILE_ADVERTISER_ID``
and ``ATOMX_PUBLISHER_ID``.  What it changes it puts back (the creative's title,
the profile's click frequency cap) or removes (the new profile, the report).

It prints each step, saves the hourly report's plot as ``report.png`` in the
current directory, and exits with status 1 when a step fails.
"""
from __future__ import annotations

import contextlib
import os
import sys
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from atomx import Atomx
from atomx.exceptions import AtomxError
from atomx.models import Advertiser, Profile

PLOT_FILE = 'report.png'


class QuickstartFailed(Exception):
    """A step's result is not what the documentation promises."""


def expect(condition: bool, what: str) -> None:
    """Stop the walkthrough when ``condition`` does not hold."""
    if not condition:
        raise QuickstartFailed(what)


def step(title: str) -> None:
    print(f'\n== {title}')


def env_id(name: str, default: int) -> int:
    """An id from the environment variable ``name``, or the documentation's ``default``."""
    return int(os.environ.get(name) or default)


@contextlib.contextmanager
def session() -> Iterator[Atomx]:
    """The real API when ATOMX_EMAIL/ATOMX_PASSWORD are set, an embedded sandbox otherwise."""
    if os.environ.get('ATOMX_EMAIL') and os.environ.get('ATOMX_PASSWORD'):
        with Atomx.from_env() as atomx:
            print(f'Using the API at {atomx.api_endpoint} (from ATOMX_* variables)')
            yield atomx
        return
    from atomx.sandbox import Sandbox

    with Sandbox() as sandbox:
        print(f'ATOMX_EMAIL/ATOMX_PASSWORD not set: using an embedded sandbox at {sandbox.url}')
        with Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url) as atomx:
            yield atomx


def fetch(atomx: Atomx, advertiser_id: int) -> tuple[list[Any], list[Any]]:
    """Fetching resources: each resource form, creatives, profiles, domains."""
    step('Fetching resources')
    creatives = atomx.get('Creatives', limit=10)
    expect(bool(creatives), 'get("Creatives", limit=10) returned no creatives')
    for creative in creatives:
        print(f'Creative ID: {creative.id}, state: {creative.state}, name: {creative.name}, '
              f'title: {creative.title}')
    profiles = atomx.get(f'advertiser/{advertiser_id}/profiles', order_by='updated_at.desc')
    expect(bool(profiles), f'advertiser {advertiser_id} has no profiles')
    print(f'advertiser {advertiser_id} has {len(profiles)} profiles, newest first: '
          f'{[profile.id for profile in profiles]}')
    same = atomx.get('advertiser', advertiser_id, 'profiles')
    expect({p.id for p in same} == {p.id for p in profiles},
           "get('advertiser', id, 'profiles') differs from the one-string form")
    forms = {
        f"get('advertiser/{advertiser_id}')": atomx.get(f'advertiser/{advertiser_id}'),
        f"get('advertiser', {advertiser_id})": atomx.get('advertiser', advertiser_id),
        f'get(Advertiser, {advertiser_id})': atomx.get(Advertiser, advertiser_id),
        f'get(Advertiser({advertiser_id}))': atomx.get(Advertiser(advertiser_id)),
    }
    for form, advertiser in forms.items():
        expect(isinstance(advertiser, Advertiser) and advertiser.id == advertiser_id,
               f'{form} returned {advertiser!r}')
        print(f'{form:<28} -> {advertiser.name} (id {advertiser.id})')
    domains = atomx.get('domains', name='*atom*')
    atom_domains = atomx.get('domains', hostname='*atom*', limit=20)
    expect(all('atom' in domain.hostname for domain in atom_domains),
           'a domain without "atom" matched hostname=*atom*')
    print(f"{len(domains)} domains named *atom*; the first 20 by hostname: "
          f"{', '.join(domain.hostname for domain in atom_domains[:3])}, ...")
    return creatives, profiles


def lazy_loading(creatives: list[Any], profiles: list[Any]) -> Any:
    """Attributes that are not loaded are fetched when they are read."""
    step('Lazy loading')
    stats = creatives[0].quickstats
    expect(isinstance(stats, dict), f'creative.quickstats is {stats!r}, not a dict')
    print(f'creative {creatives[0].id} quickstats (lifetime): {stats.get("lifetime")}')
    advertiser = profiles[0].advertiser
    expect(isinstance(advertiser, Advertiser), f'profile.advertiser is {advertiser!r}')
    print(f'profile {profiles[0].id} belongs to advertiser {advertiser.id}: {advertiser.name}')
    step('History')
    changes = advertiser.history()
    for change in changes[:3]:
        print(f"{change['date']}: {change['user'].get('name')} changed "
              f"{', '.join(sorted(change['history']))}")
    print(f'{len(changes)} change(s) recorded for advertiser {advertiser.id}')
    return advertiser


def changed_and_restored(model: Any, name: str, value: Any,
                         read_back: Callable[[], Any]) -> None:
    """Set ``model.name`` to ``value``, save, read it back, then put the old value back."""
    before = getattr(model, name)
    setattr(model, name, value)
    model.save()
    now = read_back()
    expect(now == value, f'{name} read back as {now!r} after saving {value!r}')
    print(f'{type(model).__name__} {model.id}: {name} {before!r} -> {now!r} (saved, read back)')
    setattr(model, name, before)
    model.save()


def update(atomx: Atomx, creatives: list[Any], profiles: list[Any]) -> None:
    """Updating models: change an attribute and save()."""
    step('Updating models')
    creative, profile = creatives[0], profiles[0]
    changed_and_restored(creative, 'title', 'shiny new title',
                         lambda: atomx.get('creative', creative.id).title)
    changed_and_restored(profile, 'click_frequency_cap_per', 86400,
                         lambda: atomx.get('profile', profile.id).click_frequency_cap_per)


def create(atomx: Atomx, advertiser_id: int) -> None:
    """Creating models: Profile(...).create(atomx)."""
    step('Creating models')
    profile = Profile(advertiser_id=advertiser_id, name='test profile')
    profile.create(atomx)
    expect(profile.id is not None, 'the new profile got no id')
    print(f'created profile {profile.id} "{profile.name}" for advertiser {advertiser_id}')
    removed = atomx.remove(profile)
    print(f'removed it again: {removed}')


def search(atomx: Atomx) -> None:
    """Search: models with id and name, the rest lazy loaded or reloaded."""
    step('Search')
    found = atomx.search('atomx')
    for resource, models in found.items():
        print(f'{resource}: {[model.name for model in models]}')
    campaigns = found.get('campaigns') or []
    if campaigns:
        campaign = campaigns[0]
        print(f'campaign {campaign.id} budget (lazy loaded): {campaign.budget}')
        campaign.reload()
        print(f'reloaded: {len(campaign.json)} attributes')


def daily_statistics(df: Any) -> Any:
    """Mean, median and standard deviation of each metric per day.

    Over the day's 24 hourly rows each figure means something; resampled per
    hour, each group would hold one row and its standard deviation would be NaN.
    """
    return df.resample('D').apply(['mean', 'median', 'std'])


def plot(df: Any, title: str) -> Any:
    """The hourly impressions (left axis) and clicks (right axis), each axis labelled.

    :returns: the matplotlib figure, outside pyplot: it needs no display and
        nothing to close.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4))
    impressions = figure.subplots()
    df['impressions'].plot(ax=impressions, color='tab:blue', label='impressions')
    impressions.set_ylabel('impressions per hour', color='tab:blue')
    impressions.set_xlabel(f'{df.index.name} (the report\'s timezone)')
    clicks = impressions.twinx()
    df['clicks'].plot(ax=clicks, color='tab:orange', label='clicks')
    clicks.set_ylabel('clicks per hour', color='tab:orange')
    impressions.set_title(title)
    figure.legend(loc='upper left', bbox_to_anchor=(0, 1), bbox_transform=impressions.transAxes)
    figure.tight_layout()
    return figure


def report(atomx: Atomx, publisher_id: int) -> None:
    """Reports: the hourly publisher report, its DataFrame, the resample and a plot."""
    step('Reports')
    now = datetime.now(timezone.utc)
    last_week = now - timedelta(days=7)
    result = atomx.report(scope='publisher', groups=['hour'], metrics=['impressions', 'clicks'],
                          where=[['publisher_id', '==', publisher_id]], from_=last_week, to=now,
                          timezone='America/Los_Angeles')
    print(f'report {result.id}: {result.length} rows, totals {result.totals}')
    expect(result.length > 0, 'the report has no rows')
    df = result.pandas
    print(f'DataFrame: {df.shape[0]} rows, columns {list(df.columns)}, index {df.index.name}')
    statistics = daily_statistics(df)
    print(f"resample('D') mean/median/std: {statistics.shape[0]} days, "
          f"{statistics.shape[1]} columns, none empty")
    expect(not statistics.isna().all().any(), 'a daily statistic has no value at all')
    figure = plot(df, f'Publisher {publisher_id}, last 7 days (America/Los_Angeles)')
    figure.savefig(PLOT_FILE)
    print(f'plot saved as {os.path.abspath(PLOT_FILE)}')
    result.delete()
    print('report deleted from the report history')


def main() -> int:
    try:
        with session() as atomx:
            step('Session')
            print(f'logged in as {atomx.user.email} (user {atomx.user.id})')
            creatives, profiles = fetch(atomx, env_id('ATOMX_ADVERTISER_ID', 42))
            lazy_loading(creatives, profiles)
            update(atomx, creatives, profiles)
            create(atomx, env_id('ATOMX_NEW_PROFILE_ADVERTISER_ID', 23))
            search(atomx)
            report(atomx, env_id('ATOMX_PUBLISHER_ID', 42))
    except (AtomxError, QuickstartFailed) as error:
        print(f'\nquickstart FAILED: {type(error).__name__}: {error}', file=sys.stderr)
        return 1
    print('\nquickstart finished: every step worked')
    return 0


if __name__ == '__main__':
    sys.exit(main())
