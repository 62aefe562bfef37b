"""Mistakes that precise hints catch: ``mypy --strict`` must report each one.

tests/unit/test_typing.py checks that every line marked ``# error:`` is reported
(with ``Any`` results, none of them would be).
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

from atomx import Atomx
from atomx.exceptions import APIError
from atomx.models import Campaign, Profile


def mistakes(atomx: Atomx, error: APIError) -> None:
    wrong_class: Campaign = atomx.get(Profile, 3)  # error: assignment
    wrong_items: Iterator[Campaign] = atomx.iter(Profile)  # error: arg-type
    not_a_report: int = atomx.report(metrics=['clicks'])  # error: assignment
    not_created: Campaign = Profile(name='x').create(atomx)  # error: assignment
    no_response: int = error.response.status_code  # error: union-attr
    bad_period = atomx.report(metrics=['clicks'], from_=7)  # error: arg-type
    bad_rows: datetime = atomx.report(metrics=['clicks']).get(limit=1)  # error: assignment
    wrong_many: list[Profile] = atomx.get_many(Campaign, [1, 2])  # error: arg-type
    not_a_page: int = next(atomx.iter_report(metrics=['clicks']))  # error: assignment
    print(wrong_class, wrong_items, not_a_report, not_created, no_response, bad_period, bad_rows)
    print(wrong_many, not_a_page)
