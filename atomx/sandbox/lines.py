"""Delivery lines: which creative ran on which placement in which country.

Reports are computed over these lines.  They follow from the records themselves:
each campaign's creatives run on two placements of the same size (chosen by the
creative's id, so every publisher gets some) in
the first two countries of the campaign's profile, so a new campaign, creative or
placement shows up in reports too.  A user gets only the lines its rights cover.
"""
from __future__ import annotations

from typing import Any, Dict, List

from .rights import is_network_user
from .store import Store

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
