"""A user's script with type hints: ``mypy --strict`` must find it sound.

tests/unit/test_typing.py checks it.  Every function returns what the public
API hands out; under ``--strict`` a result typed ``Any`` is an error here
("Returning Any from function declared to return ..."), so each line proves a
hint precise.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Iterator, Optional

from atomx import Atomx
from atomx.exceptions import APIError
from atomx.models import Advertiser, Campaign, ModelList, Profile, Report


def one_profile(atomx: Atomx) -> Profile:
    return atomx.get(Profile, 3)


def every_profile(atomx: Atomx) -> ModelList[Profile]:
    return atomx.get(Profile)


def the_same_profile(atomx: Atomx) -> Profile:
    return atomx.get(Profile(3))


def campaigns(atomx: Atomx) -> Iterator[Campaign]:
    return atomx.iter(Campaign, page_size=100, progress=False)


def paths(atomx: Atomx) -> None:
    # every documented form of a path still type-checks (their answers are Any)
    forms = [atomx.get('advertiser/42/profiles'), atomx.get('advertiser', 42, 'profiles'),
             atomx.get(Advertiser, 42, 'profiles'), atomx.get(Advertiser(42), 'profiles'),
             atomx.get(Advertiser, '42/profiles', limit=10),
             list(atomx.iter('domains', hostname='*atom*')),
             list(atomx.iter(Advertiser, 42, 'profiles')), list(atomx.iter(Advertiser(42)))]
    print(forms)


def created(atomx: Atomx) -> Profile:
    return Profile(advertiser_id=42, name='new').create(atomx)


def saved(atomx: Atomx) -> Campaign:
    return atomx.save(Campaign(7, budget=100)).reload()


def last_week(atomx: Atomx) -> Report:
    return atomx.report(scope='advertiser', groups=['day'], metrics=['clicks'],
                        from_='2026-11-20', to=date(2026, 11, 27), timezone='UTC')


def since(atomx: Atomx, start: datetime) -> Report:
    return atomx.report(groups=['hour'], metrics=['impressions'],
                        from_=start.astimezone(timezone.utc))


def rows_of(report: Report) -> list[list[str]]:
    return report.get(limit=10, offset=20).csv


def status_of(error: APIError) -> Optional[int]:
    response = error.response
    return None if response is None else response.status_code


def session() -> Atomx:
    with Atomx('user@example.com', 'password', totp=123456) as atomx:
        return atomx


def by_ids(atomx: Atomx) -> list[Campaign]:
    return atomx.get_many(Campaign, [3, 1, 2], missing='skip')


def saved_all(atomx: Atomx, models: list[Campaign]) -> bool:
    result = atomx.save_all(models, workers=4)
    result.raise_for_failures()
    return bool(result) and bool(atomx.create_all(models)) and bool(atomx.remove_all(models))


def pages(atomx: Atomx) -> Iterator[Report]:
    return atomx.iter_report(scope='advertiser', groups=['day'], metrics=['clicks'],
                             from_='2026-11-20', to=date(2026, 11, 27), split='day')


def exported(atomx: Atomx) -> int:
    return atomx.export_report('out', split='day', metrics=['clicks']).rows


def saved_account() -> Atomx:
    return Atomx.from_profile('work', max_rate=10)


def live_names(atomx: Atomx) -> Optional[str]:
    with atomx.subscribe(Advertiser(42), (Campaign, 7), stats=True) as feed:
        event = feed.next_event(timeout=1)
        return None if event is None else event.kind


class TeamSession(Atomx):
    """A user's subclass: the classmethods that build a session build this one."""


def team_session() -> TeamSession:
    return TeamSession.from_profile()
