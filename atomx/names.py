"""Resource names and model class names, converted in one place.

The API names a resource in many spellings: ``countries``, ``ADVERTISERS``,
``conversion-pixels``, ``operating_system``, ``advertisers_list``,
``domains_filter``.  :func:`model_name` maps each of them to the class name of
:mod:`atomx.models`; :func:`resource_path` gives the path of a class.  The
sandbox imports this module too, so the SDK and the server share one list.
"""
from __future__ import annotations

import re
from typing import Optional

#: The documented models of :mod:`atomx.models`, in the order of the docs.
MODEL_NAMES: tuple[str, ...] = (
    'AccountManager', 'Advertiser', 'App', 'Appstore', 'Bidder', 'Browser',
    'CampaignDebugReason', 'Campaign', 'Category', 'ConnectionType', 'City',
    'ConversionPixel', 'Country', 'Creative', 'CreativeAttribute', 'Datacenter',
    'DeviceType', 'Domain', 'Dma', 'Dsp', 'Fallback', 'Isp', 'Languages',
    'Network', 'OperatingSystem', 'Placement', 'PlacementType', 'PriceModel',
    'Profile', 'Publisher', 'Reason', 'Segment', 'SellerProfile', 'Site', 'Size',
    'Ssp', 'SspResultType', 'SspSuspicious', 'Timezone', 'User', 'Visibility',
    'Zipcode',
)

#: Suffixes the API appends to a resource or attribute name.
_SUFFIXES = ('_list', '_filter', '_include', '_exclude')

#: Spellings that no rule derives.
_ALIASES = {'suspicious': 'SspSuspicious', 'language': 'Languages'}

_CAMEL_BOUNDARY = re.compile(r'(?<!^)(?=[A-Z])')


def snake_case(class_name: str) -> str:
    """A class name in snake case: ``ConversionPixel`` -> ``conversion_pixel``.

    :param class_name: a CamelCase class name.
    :returns: its words in lower case, joined by ``_``.
    """
    return _CAMEL_BOUNDARY.sub('_', class_name).lower()


def plural(word: str) -> str:
    """The English plural of a snake-case resource name (``city`` -> ``cities``).

    :param word: a singular resource name; one ending in ``s`` counts as plural.
    :returns: its plural.
    """
    if word.endswith('s'):  # ``languages``, ``ssp_suspicious``: already plural
        return word
    if word.endswith('y') and word[-2:-1] not in ('a', 'e', 'o', 'u'):
        return word[:-1] + 'ies'
    if word.endswith(('x', 'ch', 'sh')):
        return word + 'es'
    return word + 's'


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name in MODEL_NAMES:
        singular = snake_case(name)
        lookup[singular] = name
        lookup[plural(singular)] = name
    lookup.update(_ALIASES)
    return lookup


_LOOKUP = _build_lookup()


def normalise(resource: str) -> str:
    """A resource name in one spelling, for looking it up.

    :param resource: a resource or attribute name (``'/Conversion-Pixels_list'``).
    :returns: it lower-case, ``_``-separated, without slashes around it and without
        a ``_list``/``_filter``/``_include``/``_exclude`` suffix.
    """
    word = resource.strip().strip('/').lower().replace('-', '_')
    for suffix in _SUFFIXES:
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def model_name(resource: str) -> Optional[str]:
    """The model class name for a resource or attribute name.

    :param resource: the name in any case, singular or plural, ``-`` or ``_``
        separated, with or without a suffix (see :func:`normalise`).
    :returns: the class name of :mod:`atomx.models`, or ``None`` when no model
        has that name.

    >>> model_name('conversion-pixels')
    'ConversionPixel'
    >>> model_name('domains_filter')
    'Domain'
    >>> model_name('quickstats') is None
    True
    """
    return _LOOKUP.get(normalise(resource))


def resource_path(class_name: str) -> str:
    """The API path of a model class: its name in kebab case.

    :param class_name: a name of :data:`MODEL_NAMES`.
    :returns: its resource path.

    >>> resource_path('ConversionPixel')
    'conversion-pixel'
    """
    return snake_case(class_name).replace('_', '-')


__all__ = ['MODEL_NAMES', 'model_name', 'normalise', 'plural', 'resource_path', 'snake_case']
