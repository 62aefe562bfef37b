"""Quickstats: small, stable delivery figures for advertisers, campaigns, sites, ….

They are derived from the model and id alone, so every start shows the same numbers
and sorting by ``quickstats.lifetime.clicks`` gives a stable order.
"""
from __future__ import annotations

import random
import zlib
from typing import Dict

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
