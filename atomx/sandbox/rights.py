"""Who may read and change what: network users everything, the others their own.

A user with ``networks`` has network rights and sees every record.  An advertiser
user sees and changes its advertisers and what belongs to them (campaigns, profiles,
creatives, conversion pixels, segments); a publisher user likewise its publishers'
sites, placements, seller profiles and fallbacks.  Everybody logged in reads the
shared tables (domains, apps and the read-only models); nobody changes read-only
models.  Network-level models (networks, bidders, DSPs, SSPs, …) need network rights.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from .schema import READ_ONLY_MODELS
from .store import Store

#: model -> the field that names its advertiser.
ADVERTISER_OWNED = {'Advertiser': 'id', 'Campaign': 'advertiser_id', 'Profile': 'advertiser_id',
                    'Creative': 'advertiser_id', 'ConversionPixel': 'advertiser_id',
                    'Segment': 'advertiser_id'}
#: model -> the field that names its publisher.
PUBLISHER_OWNED = {'Publisher': 'id', 'Site': 'publisher_id', 'Placement': 'publisher_id',
                   'SellerProfile': 'publisher_id'}
#: Models for network users only.
NETWORK_ONLY = frozenset({'Network', 'AccountManager', 'Bidder', 'Dsp', 'Ssp',
                          'SspSuspicious'})


def is_network_user(user: Dict[str, Any]) -> bool:
    """Whether ``user`` has network rights."""
    return bool(user.get('networks'))


def _owner(store: Store, model: str, record: Dict[str, Any]) -> Optional[tuple]:
    """('advertisers', id) or ('publishers', id) for owned models, else ``None``."""
    if model == 'Fallback':
        placement = store.get('Placement', record.get('placement_id') or 0)
        return ('publishers', placement and placement.get('publisher_id'))
    if model in ADVERTISER_OWNED:
        return ('advertisers', record.get(ADVERTISER_OWNED[model]))
    if model in PUBLISHER_OWNED:
        return ('publishers', record.get(PUBLISHER_OWNED[model]))
    return None


def _owns(store: Store, user: Dict[str, Any], model: str,
          record: Dict[str, Any]) -> Optional[bool]:
    """Whether a user without network rights owns ``record``; ``None`` for shared models."""
    if model == 'User':
        return record.get('id') == user.get('id')
    if model in NETWORK_ONLY:
        return False
    owner = _owner(store, model, record)
    return None if owner is None else owner[1] in user.get(owner[0], [])


def can_read(store: Store, user: Optional[Dict[str, Any]], model: str,
             record: Dict[str, Any]) -> bool:
    """Whether ``user`` (``None`` when anonymous) may see ``record``."""
    if model in READ_ONLY_MODELS:
        return True
    if user is None:
        return False
    return is_network_user(user) or _owns(store, user, model, record) is not False


def can_write(store: Store, user: Dict[str, Any], model: str, record: Dict[str, Any]) -> bool:
    """Whether ``user`` may create, change or delete ``record`` (its values after the change)."""
    if model in READ_ONLY_MODELS:
        return False
    return is_network_user(user) or _owns(store, user, model, record) is True
