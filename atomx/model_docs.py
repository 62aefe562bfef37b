"""What each generated model of :mod:`atomx.models` is, for its docstring.

:mod:`atomx.models` builds one class per name of
:data:`atomx.names.MODEL_NAMES` and gives it :func:`model_doc` as its docstring:
the sentence below on what the object is in the ad platform, then its API
resource and how to fetch it.  A name without a sentence here fails the import
of :mod:`atomx.models`, so no model goes undocumented.
"""
from __future__ import annotations

from .names import plural, resource_path, snake_case

#: One sentence per model: what the object is in the Atomx ad platform.
DESCRIPTIONS: dict[str, str] = {
    'AccountManager': 'A person at the network who looks after a set of advertisers or '
                      'publishers, named as their contact.',
    'Advertiser': 'A buyer account: it owns the campaigns, creatives, targeting profiles, '
                  'conversion pixels and segments of one brand or agency client.',
    'App': 'A mobile application whose ad inventory is sold through the platform.',
    'Appstore': 'A store that mobile apps are published in.',
    'Bidder': 'A bidding endpoint of a demand-side platform that answers bid requests.',
    'Browser': 'A web browser, one of the dimensions a profile can target or exclude.',
    'CampaignDebugReason': 'A reason why a campaign did not bid on an impression, as '
                           "reported by the campaign debugger.",
    'Campaign': 'An advertiser\'s line of buying: budget, flight dates, price, the '
                'profile that decides where it bids and the creatives it shows.',
    'Category': 'A content category (IAB style) of sites, creatives and advertisers, used '
                'to target or to block.',
    'ConnectionType': 'A kind of internet connection (such as broadband or cellular) that '
                      'a profile can target.',
    'City': 'A city, for geographic targeting.',
    'ConversionPixel': 'A tracking pixel that counts an advertiser\'s conversions (sales, '
                       'sign-ups) and attributes them to campaigns.',
    'Country': 'A country, for geographic targeting and in reports.',
    'Creative': 'An ad an advertiser shows: its markup or file, size and review state; '
                '``quickstats`` holds its recent delivery figures.',
    'CreativeAttribute': 'A property of a creative (animated, with audio, expandable...) '
                         'that sellers can refuse.',
    'Datacenter': 'A region of the platform\'s bidding infrastructure that traffic is '
                  'served from.',
    'DeviceType': 'A kind of device (desktop, phone, tablet...) that a profile can target.',
    'Domain': 'A hostname that ads run on, kept in target and block lists of profiles and '
              'sites.',
    'Dma': 'A designated market area (a US media region), for geographic targeting.',
    'Dsp': 'A demand-side platform: an outside buyer that bids on the inventory.',
    'Fallback': 'What a placement shows when no campaign wins its auction.',
    'Isp': 'An internet service provider, one of the dimensions a profile can target.',
    'Languages': 'A language (of a visitor\'s browser or of a site), for targeting.',
    'Network': 'The top-level account: it groups advertisers, publishers and the users '
               'who work on them, and holds the rights between them.',
    'OperatingSystem': 'An operating system (and its version), for targeting.',
    'Placement': 'An ad slot on a site or in an app: its size, type, floor price and what '
                 'may be shown in it.',
    'PlacementType': 'A kind of placement (banner, interstitial, video...).',
    'PriceModel': 'How a campaign pays: per thousand impressions, per click or per '
                  'conversion.',
    'Profile': 'A targeting profile: the rules (countries, domains, devices, frequency '
               'caps, times) that decide which impressions a campaign bids on.',
    'Publisher': 'A seller account: it owns the sites and placements whose inventory is '
                 'sold.',
    'Reason': 'A reason code the platform gives, for example why a creative was refused '
              'in review.',
    'Segment': 'An audience segment: a group of visitors collected by a pixel, for '
               'targeting or exclusion.',
    'SellerProfile': 'A seller\'s filter: which buyers, advertisers and creatives may buy '
                     'a publisher\'s inventory.',
    'Site': 'A publisher\'s website (or app) that groups its placements.',
    'Size': 'An ad size in pixels (width and height), shared by creatives and placements.',
    'Ssp': 'A supply-side platform or exchange that the platform buys inventory from.',
    'SspResultType': 'A kind of result that a supply-side platform reports back for a bid '
                     '(won, lost, refused...).',
    'SspSuspicious': 'Traffic that a supply-side platform flagged as suspicious (likely '
                     'fraud), so that it is not bought.',
    'Timezone': 'A time zone name the API accepts, for reports and users.',
    'User': 'A login of the platform, with its rights on networks, advertisers and '
            'publishers; :attr:`atomx.Atomx.user` is the logged-in one.',
    'Visibility': 'Where a placement sits on the page (such as above the fold), for '
                  'targeting.',
    'Zipcode': 'A postal code, for fine geographic targeting.',
}


def model_doc(name: str) -> str:
    """The docstring of the model class ``name``.

    :param name: a name of :data:`atomx.names.MODEL_NAMES`, such as ``'ConversionPixel'``.
    :returns: the description of the model, its API resource and an example of
        fetching it, in reST.
    :raises KeyError: ``name`` has no description in :data:`DESCRIPTIONS`.
    """
    path = resource_path(name)
    return (f'{DESCRIPTIONS[name]}\n\n'
            f'API resource ``/{path}``: ``atomx.get(\'{plural(snake_case(name))}\')`` '
            f'lists them, ``atomx.get(\'{path}\', id)`` fetches one.  Takes the '
            f'arguments of :class:`AtomxModel`.\n')


__all__ = ['DESCRIPTIONS', 'model_doc']
