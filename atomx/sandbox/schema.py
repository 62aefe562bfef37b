"""What the sandbox knows about each model: its plain fields, relationships and rules.

This is the sandbox's own reading of the API documents; the SDK's models are not
consulted.  Plain fields carry a default (its type is what a POST or PUT must send);
relationships are of three kinds:

* :class:`One`: a reference kept in the record as ``{name}_id`` (``profile.advertiser``);
* :class:`Many`: a list of ids kept in the record (``site.networks``);
* :class:`Reverse`: the records of another model whose :class:`One` points here
  (``advertiser.profiles``), computed, never stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Sequence, Union

from ..names import MODEL_NAMES, snake_case
from ..protocol import FILTER_ACTIONS, STATES


@dataclass(frozen=True)
class One:
    """A reference to one record of ``target``, stored as ``{attribute}_id``."""

    target: str
    required: bool = False


@dataclass(frozen=True)
class Many:
    """A list of ids of ``target`` records, stored under the attribute itself."""

    target: str


@dataclass(frozen=True)
class Reverse:
    """The ``target`` records whose :class:`One` attribute ``via`` points to this record."""

    target: str
    via: str


Relation = Union[One, Many, Reverse]

#: Fields every model has; ``id``, ``created_at`` and ``updated_at`` belong to the server.
COMMON_FIELDS: Dict[str, Any] = {'name': '', 'created_at': None, 'updated_at': None}
SERVER_FIELDS = frozenset({'id', 'created_at', 'updated_at', 'quickstats'})

_STATE = {'state': 'ACTIVE'}

#: Plain fields beyond :data:`COMMON_FIELDS`, with the default a new record gets.
FIELDS: Dict[str, Dict[str, Any]] = {
    'AccountManager': {'email': '', 'phone': ''},
    'Advertiser': {**_STATE, 'budget': 0.0, 'currency': 'EUR', 'email': ''},
    'Campaign': {**_STATE, 'budget': 0.0, 'daily_budget': 0.0, 'start_time': None,
                 'end_time': None, 'frequency_cap': 0},
    'Creative': {**_STATE, 'title': '', 'content': '', 'click_url': '', 'mime_type': 'image/png'},
    'ConversionPixel': {**_STATE, 'post_click_window': 2592000, 'post_view_window': 86400},
    'Profile': {**_STATE, 'click_frequency_cap_per': 0, 'click_frequency_cap_count': 0,
                'impression_frequency_cap_per': 0, 'impression_frequency_cap_count': 0,
                'countries_filter_action': 'INCLUDE'},
    'Publisher': {**_STATE, 'email': '', 'revenue_share': 0.7},
    'Site': {**_STATE, 'minimum_internal_bid': 0.0, 'advertisers_filter_action': 'EXCLUDE',
             'networks_filter_action': 'EXCLUDE', 'creative_attributes_exclude': ''},
    'Placement': {**_STATE, 'floor_price': 0.0, 'width': 0, 'height': 0},
    'Domain': {'hostname': '', 'state': 'ACTIVE'},
    'Network': {**_STATE, 'currency': 'EUR'},
    'Size': {'width': 0, 'height': 0},
    'Country': {'code': ''},
    'City': {'code': ''},
    'Dma': {'code': 0},
    'Zipcode': {'code': ''},
    'Languages': {'code': ''},
    'Timezone': {'offset': 0},
    'Browser': {'version': ''},
    'OperatingSystem': {'version': ''},
    'User': {**_STATE, 'email': '', 'totp_enabled': False},
    'Segment': {**_STATE, 'ttl': 2592000},
    'SellerProfile': {**_STATE, 'floor_price': 0.0},
    'Fallback': {**_STATE, 'content': ''},
    'Bidder': {**_STATE, 'endpoint': ''},
    'Dsp': {**_STATE, 'endpoint': ''},
    'Ssp': {**_STATE, 'endpoint': ''},
    'App': {'bundle': '', 'appstore_id': 0},
    'SspSuspicious': {'reason': ''},
}

#: Relationship attributes of each model.
RELATIONS: Dict[str, Dict[str, Relation]] = {
    'Network': {'advertisers': Reverse('Advertiser', 'network'),
                'publishers': Reverse('Publisher', 'network'),
                'account_manager': One('AccountManager')},
    'AccountManager': {'networks': Reverse('Network', 'account_manager')},
    'Advertiser': {'network': One('Network', required=True),
                   'campaigns': Reverse('Campaign', 'advertiser'),
                   'profiles': Reverse('Profile', 'advertiser'),
                   'creatives': Reverse('Creative', 'advertiser'),
                   'conversion_pixels': Reverse('ConversionPixel', 'advertiser'),
                   'segments': Reverse('Segment', 'advertiser')},
    'Campaign': {'advertiser': One('Advertiser', required=True), 'profile': One('Profile'),
                 'price_model': One('PriceModel'), 'creatives': Many('Creative'),
                 'conversion_pixels': Many('ConversionPixel')},
    'Profile': {'advertiser': One('Advertiser', required=True),
                'campaigns': Reverse('Campaign', 'profile'),
                'countries': Many('Country'), 'browsers': Many('Browser'),
                'operating_systems': Many('OperatingSystem'), 'languages': Many('Languages'),
                'device_types': Many('DeviceType'), 'segments': Many('Segment')},
    'Creative': {'advertiser': One('Advertiser', required=True), 'size': One('Size'),
                 'category': One('Category'), 'attributes': Many('CreativeAttribute')},
    'ConversionPixel': {'advertiser': One('Advertiser', required=True)},
    'Segment': {'advertiser': One('Advertiser', required=True)},
    'Publisher': {'network': One('Network', required=True),
                  'sites': Reverse('Site', 'publisher'),
                  'placements': Reverse('Placement', 'publisher'),
                  'seller_profiles': Reverse('SellerProfile', 'publisher')},
    'Site': {'publisher': One('Publisher', required=True), 'domain': One('Domain'),
             'category': One('Category'), 'placements': Reverse('Placement', 'site'),
             'advertisers': Many('Advertiser'), 'networks': Many('Network')},
    'Placement': {'site': One('Site', required=True), 'publisher': One('Publisher', required=True),
                  'size': One('Size'), 'placement_type': One('PlacementType'),
                  'visibility': One('Visibility'), 'fallbacks': Reverse('Fallback', 'placement')},
    'Fallback': {'placement': One('Placement', required=True)},
    'SellerProfile': {'publisher': One('Publisher', required=True)},
    'Domain': {'sites': Reverse('Site', 'domain'), 'category': One('Category')},
    'Category': {'creatives': Reverse('Creative', 'category')},
    'Size': {'creatives': Reverse('Creative', 'size'), 'placements': Reverse('Placement', 'size')},
    'Country': {'cities': Reverse('City', 'country'), 'dmas': Reverse('Dma', 'country')},
    'City': {'country': One('Country', required=True)},
    'Dma': {'country': One('Country', required=True)},
    'Zipcode': {'city': One('City', required=True)},
    'Isp': {'country': One('Country')},
    'App': {'appstore': One('Appstore')},
    'User': {'networks': Many('Network'), 'advertisers': Many('Advertiser'),
             'publishers': Many('Publisher')},
}

#: Models anyone may read without a token and nobody may change through the API:
#: the shared lookup tables of targeting and inventory description.
READ_ONLY_MODELS = frozenset({
    'Appstore', 'Browser', 'CampaignDebugReason', 'Category', 'City', 'ConnectionType',
    'Country', 'CreativeAttribute', 'Datacenter', 'DeviceType', 'Dma', 'Isp', 'Languages',
    'OperatingSystem', 'PlacementType', 'PriceModel', 'Reason', 'Size', 'SspResultType',
    'Timezone', 'Visibility', 'Zipcode',
})

#: Models that carry delivery statistics under ``quickstats``.
QUICKSTATS_MODELS = frozenset({
    'Advertiser', 'Campaign', 'Creative', 'Profile', 'Publisher', 'Site', 'Placement', 'Network',
})

def allowed_values(field: str) -> Optional[tuple]:
    """The values an enumerated field may take (:mod:`atomx.protocol`), or ``None``."""
    if field == 'state':
        return STATES
    if field.endswith('_filter_action'):
        return FILTER_ACTIONS
    return None


#: Fields a POST must send besides the required :class:`One` references.
REQUIRED_FIELDS: Dict[str, tuple] = {'Domain': ('hostname',), 'User': ('email',)}


def fields(model: str) -> Dict[str, Any]:
    """The plain fields of ``model`` with their defaults (``id`` excluded)."""
    return {**COMMON_FIELDS, **FIELDS.get(model, {})}


def relations(model: str) -> Dict[str, Relation]:
    """The relationship attributes of ``model``."""
    return RELATIONS.get(model, {})


def attribute_names(model: str) -> list:
    """Every attribute a record of ``model`` shows, sorted: fields, ``*_id`` and relationships."""
    names = {'id', *fields(model), *relations(model)}
    names.update(f'{name}_id' for name, rel in relations(model).items() if isinstance(rel, One))
    if model in QUICKSTATS_MODELS:
        names.add('quickstats')
    return sorted(names)


def required_fields(model: str) -> tuple:
    """What a POST to ``model`` must name: ``name`` (or the model's own list) and ``*_id`` refs."""
    own = REQUIRED_FIELDS.get(model, ('name',))
    refs = tuple(f'{name}_id' for name, rel in relations(model).items()
                 if isinstance(rel, One) and rel.required)
    return own + refs


def path_error(model: str, path: Sequence[str]) -> Optional[str]:
    """Why ``path`` (``category.name``) names nothing below ``model``, or ``None``."""
    head, rest = path[0], list(path[1:])
    if head == 'quickstats' or not rest:
        return None  # the first part is checked by the caller; stats are free-form
    if head in relations(model):
        target = relations(model)[head].target
        if rest[0] not in attribute_names(target):
            return f'{snake_case(target)} has no attribute {rest[0]!r}'
        return path_error(target, rest)
    return f'{head!r} of {snake_case(model)} has no sub-attributes'


def _check() -> None:
    """Fail at import when a relation names a model that does not exist."""
    for model, rels in RELATIONS.items():
        for rel in (model, *(r.target for r in rels.values())):
            if rel not in MODEL_NAMES:
                raise RuntimeError(f'schema names unknown model {rel!r}')


_check()
