"""Synthetic delivery: which lines ran, what each delivered per hour, and quickstats.

Nothing is stored: every number follows from the records and the hour, the same
in every process.  Each campaign's creatives run on two placements of their size
(chosen by the creative's id) in the first two countries of its profile, so new
records show up in reports too.  Data exist for every complete UTC hour of the
:data:`DATA_DAYS` days before ``now``; a hash of the line's ids and the hour, a
daily curve, a weekday effect and a per-line volume make the numbers (ints with
``conversions <= clicks <= impressions``; dollars to 4 decimals, ``revenue >=
cost``; ratios 0 when the denominator is).  Quickstats derive from the model and
id alone, so sorting by them is stable.
"""
from __future__ import annotations

import random
import zlib
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Sequence, Tuple

from .rights import is_network_user
from .store import Store

__all__ = ['DATA_DAYS', 'EPOCH', 'ID_GROUPS', 'METRICS', 'METRIC_VALUES', 'LineProfile',
           'all_lines', 'data_hours', 'deliver', 'line_profile', 'lines_for', 'quickstats']

#: The ids every delivery line carries; each is also a group of a report.
ID_GROUPS = ('network_id', 'advertiser_id', 'campaign_id', 'creative_id', 'profile_id',
             'publisher_id', 'site_id', 'placement_id', 'country_id', 'size_id')
#: How many days of delivery data exist before ``now``.
DATA_DAYS = 365
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# --------------------------------------------------------------------------- lines

_PLACEMENTS_PER_CREATIVE = 2
_COUNTRIES_PER_PROFILE = 2


def all_lines(store: Store) -> List[Dict[str, int]]:
    """Every delivery line of the current records, in a stable order."""
    lines = []
    placements = store.all('Placement')
    for campaign in store.all('Campaign'):
        advertiser = store.get('Advertiser', campaign['advertiser_id'])
        profile = store.get('Profile', campaign.get('profile_id') or 0) or {}
        countries = (profile.get('countries') or [1])[:_COUNTRIES_PER_PROFILE]
        for creative_id in campaign.get('creatives', []):
            creative = store.get('Creative', creative_id)
            if advertiser is None or creative is None:
                continue
            fitting = [p for p in placements if p.get('size_id') == creative.get('size_id')]
            turn = creative_id % len(fitting) if fitting else 0  # spread over the inventory
            fitting = fitting[turn:] + fitting[:turn]
            for placement in fitting[:_PLACEMENTS_PER_CREATIVE]:
                site = store.get('Site', placement['site_id']) or {}
                for country_id in countries:
                    lines.append({
                        'network_id': advertiser.get('network_id') or 0,
                        'advertiser_id': advertiser['id'], 'campaign_id': campaign['id'],
                        'creative_id': creative_id, 'profile_id': profile.get('id', 0),
                        'publisher_id': placement.get('publisher_id') or 0,
                        'site_id': site.get('id', 0), 'placement_id': placement['id'],
                        'country_id': country_id, 'size_id': creative.get('size_id') or 0,
                    })
    return lines


def lines_for(store: Store, user: Dict[str, Any]) -> List[Dict[str, int]]:
    """The lines ``user`` may report on: all for network users, else its own."""
    lines = all_lines(store)
    if is_network_user(user):
        return lines
    advertisers, publishers = set(user.get('advertisers', [])), set(user.get('publishers', []))
    return [line for line in lines
            if line['advertiser_id'] in advertisers or line['publisher_id'] in publishers]


# --------------------------------------------------------------------------- numbers per hour

_M64 = (1 << 64) - 1
#: Hour 0 of the Unix epoch is a Thursday, 72 hours after Monday 00:00.
_EPOCH_HOUR_OF_WEEK = 72
#: Audience activity over a local day in 1/1024, a cosine from 3 in the morning to 15:00.
#: Integers, not floats, so that no platform's libm can change a number.
_DIURNAL = (237, 164, 118, 102, 118, 164, 237, 333, 444, 563, 682, 794,
            889, 962, 1008, 1024, 1008, 962, 889, 794, 682, 563, 444, 333)
#: Activity per weekday in 1/1024, Monday first: busier midweek, quieter at the weekend.
_WEEKDAY = (1024, 1055, 1065, 1034, 983, 819, 758)
#: Activity per hour of the week (Monday 00:00 first), in 1/1024.
_WEEK_SHAPE = tuple(_DIURNAL[hour % 24] * _WEEKDAY[hour // 24] >> 10 for hour in range(168))


def _mix64(value: int) -> int:
    """The splitmix64 finaliser: a well spread 64-bit hash of an integer."""
    value &= _M64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _M64
    return value ^ (value >> 31)


class LineProfile(NamedTuple):
    """The constants of one delivery line, derived from its ids alone."""

    seed: int
    volume: Tuple[int, ...]  # impressions per hour of the week, times 1024
    ctr_ppm: int             # clicks per million impressions
    cvr_ppm: int             # conversions per million clicks
    cpm: int                 # cost per thousand impressions, in 1/10000 dollar
    margin: int              # revenue per 1000 of cost


def line_profile(line: Mapping[str, int]) -> LineProfile:
    """Volume, rates and prices of a line: the same line always delivers alike."""
    seed = 0x5EED
    for key in ID_GROUPS:
        seed = _mix64(seed ^ line[key])
    rates = _mix64(seed + 1)
    base = 30 + seed % 1200
    # The audience of a country lives some hours east of UTC: shift its curve.
    east = _mix64(line['country_id']) % 24
    shape = _WEEK_SHAPE[east:] + _WEEK_SHAPE[:east]
    return LineProfile(
        seed=seed,
        volume=tuple(base * weight for weight in shape),
        ctr_ppm=800 + rates % 14000,
        cvr_ppm=5000 + (rates >> 16) % 95000,
        cpm=4000 + (rates >> 36) % 26000,
        margin=1050 + (rates >> 52) % 500,
    )


def deliver(profile: LineProfile, spans: Sequence[Tuple[int, int]],
             into: List[List[int]]) -> None:
    """Add one line's delivery over each span ``(first, end)`` of UTC hours to ``into``.

    ``into[i]`` sums ``[impressions, clicks, conversions, cost, revenue]`` of
    span ``i``, money in 1/10000 dollar.  Each hour's numbers depend on the
    line and the hour only, so any grouping of the hours adds up the same.
    """
    seed, volume, ctr, cvr, cpm, margin = profile
    for (first, end), sums in zip(spans, into):
        impressions = clicks = conversions = cost = revenue = 0
        for hour in range(first, end):
            mixed = ((seed ^ hour) * 0x9E3779B97F4A7C15) & _M64
            mixed ^= mixed >> 29
            # volume * noise(0.78 .. 1.28); then the rates, randomly rounded.
            cell_impressions = (volume[(hour + _EPOCH_HOUR_OF_WEEK) % 168]
                                * (800 + (mixed & 511)) >> 20)
            spare = mixed >> 9
            cell_clicks = (cell_impressions * ctr + spare % 1000000) // 1000000
            cell_cost = (cell_impressions * cpm + (spare >> 40) % 1000) // 1000
            impressions += cell_impressions
            clicks += cell_clicks
            conversions += (cell_clicks * cvr + (spare >> 20) % 1000000) // 1000000
            cost += cell_cost
            revenue += cell_cost * margin // 1000
        sums[0] += impressions
        sums[1] += clicks
        sums[2] += conversions
        sums[3] += cost
        sums[4] += revenue


def data_hours(now: datetime) -> Tuple[int, int]:
    """UTC hours ``[first, end)`` that have delivery data: the complete hours of the last year."""
    end = int((now.replace(tzinfo=timezone.utc) - EPOCH).total_seconds()) // 3600
    return end - DATA_DAYS * 24, end


def _money(units: int) -> float:
    return round(units / 10000, 4)


def _ratio(numerator: float, denominator: float, digits: int) -> float:
    return round(numerator / denominator, digits) if denominator else 0.0


METRIC_VALUES: Dict[str, Callable[[Sequence[int]], Any]] = {
    'impressions': lambda sums: sums[0],
    'clicks': lambda sums: sums[1],
    'conversions': lambda sums: sums[2],
    'cost': lambda sums: _money(sums[3]),
    'revenue': lambda sums: _money(sums[4]),
    'profit': lambda sums: _money(sums[4] - sums[3]),
    'ctr': lambda sums: _ratio(sums[1], sums[0], 6),
    'cvr': lambda sums: _ratio(sums[2], sums[1], 6),
    'ecpm': lambda sums: _ratio(sums[4] / 10, sums[0], 4),
}

#: The metrics a report may ask for: the summed numbers, then the ratios.
METRICS = tuple(METRIC_VALUES)


# --------------------------------------------------------------------------- quickstats

#: The periods and their share of the lifetime figures.
_PERIODS = (('today', 0.004), ('yesterday', 0.005), ('last7days', 0.03), ('lifetime', 1.0))


def quickstats(model: str, record_id: int) -> Dict[str, Dict[str, float]]:
    """``{"today": {...}, "yesterday": {...}, "last7days": {...}, "lifetime": {...}}``."""
    rng = random.Random(zlib.crc32(f'{model}:{record_id}'.encode()))
    impressions = rng.randint(50_000, 5_000_000)
    ctr, conversion_rate = rng.uniform(0.001, 0.02), rng.uniform(0.01, 0.1)
    cpm = rng.uniform(0.5, 4)
    stats = {}
    for period, share in _PERIODS:
        shown = int(impressions * share)
        clicks = int(shown * ctr)
        revenue = round(shown / 1000 * cpm, 2)
        stats[period] = {'impressions': shown, 'clicks': clicks,
                         'conversions': int(clicks * conversion_rate),
                         'revenue': revenue, 'cost': round(revenue * 0.7, 2)}
    return stats
