"""Deterministic demo data: the same networks, advertisers, sites… at every start.

The data makes the documentation's examples meaningful: advertiser 42 has several
profiles, advertiser 23 and publishers 23 and 42 exist, more than twenty domains
contain ``atom``, a site ``Mininova.org`` sits on the domain ``mininova.org``, a
search for ``atomx`` finds campaigns, and every model has a few entries.

Demo users (email / password):

* ``demo@example.com`` / ``demo``: network rights (sees and changes everything);
* ``advertiser@example.com`` / ``advertiser``: advertiser 42 only;
* ``publisher@example.com`` / ``publisher``: publisher 23 only;
* ``totp@example.com`` / ``totp``: network rights, TOTP enabled with the base32
  secret :data:`TOTP_SECRET` (codes per RFC 6238, see :func:`atomx.sandbox.auth.totp_code`).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict, List, Tuple

from . import schema
from .auth import hash_password
from .store import FORMAT_VERSION, TIME_FORMAT

#: Email of the demo user with network rights (:attr:`Sandbox.email`).
DEMO_EMAIL = 'demo@example.com'
#: Password of the demo user (:attr:`Sandbox.password`).
DEMO_PASSWORD = 'demo'
#: Base32 secret of ``totp@example.com``: ``totp_code(TOTP_SECRET)`` is its current code.
TOTP_SECRET = 'JBSWY3DPEHPK3PXP'
#: The demo users, one tuple each: ``(id, email, password, name, networks, advertisers,
#: publishers, totp_secret)``; the rights are lists of ids, ``totp_secret`` is ``None``
#: for users without two-factor login.
USERS: Tuple[Tuple[Any, ...], ...] = (
    (1, DEMO_EMAIL, DEMO_PASSWORD, 'Demo network user', [1], [], [], None),
    (2, 'advertiser@example.com', 'advertiser', 'Demo advertiser user', [], [42], [], None),
    (3, 'publisher@example.com', 'publisher', 'Demo publisher user', [], [], [23], None),
    (4, 'totp@example.com', 'totp', 'Demo TOTP user', [1], [], [], TOTP_SECRET),
)

_EPOCH = datetime(2015, 1, 5, 9, 0, 0)

#: Lookup tables: model -> list of (name, extra fields).
_LOOKUPS: Dict[str, List[Any]] = {
    'Country': [('Austria', {'code': 'AT'}), ('Germany', {'code': 'DE'}),
                ('Mexico', {'code': 'MX'}), ('United States', {'code': 'US'}),
                ('France', {'code': 'FR'}), ('Spain', {'code': 'ES'}),
                ('Italy', {'code': 'IT'}), ('United Kingdom', {'code': 'GB'})],
    'Browser': [('Chrome', {'version': '120'}), ('Firefox', {'version': '121'}),
                ('Safari', {'version': '17'}), ('Edge', {'version': '120'}),
                ('Opera', {'version': '105'})],
    'OperatingSystem': [('Android', {'version': '14'}), ('iOS', {'version': '17'}),
                        ('Windows', {'version': '11'}), ('macOS', {'version': '14'}),
                        ('Linux', {'version': '6'})],
    'Languages': [('English', {'code': 'en'}), ('German', {'code': 'de'}),
                  ('Spanish', {'code': 'es'}), ('French', {'code': 'fr'}),
                  ('Italian', {'code': 'it'})],
    'Size': [(f'{w}x{h}', {'width': w, 'height': h}) for w, h in
             ((300, 250), (728, 90), (160, 600), (320, 50), (300, 600), (970, 250))],
    'Category': [(name, {}) for name in
                 ('News', 'Sports', 'Technology', 'Entertainment', 'Travel', 'Finance')],
    'Timezone': [('UTC', {'offset': 0}), ('Europe/Vienna', {'offset': 60}),
                 ('America/Los_Angeles', {'offset': -480}),
                 ('America/New_York', {'offset': -300}), ('Asia/Tokyo', {'offset': 540})],
    'City': [('Vienna', {'code': 'VIE', 'country_id': 1}),
             ('Berlin', {'code': 'BER', 'country_id': 2}),
             ('Mexico City', {'code': 'MEX', 'country_id': 3}),
             ('New York', {'code': 'NYC', 'country_id': 4}),
             ('Los Angeles', {'code': 'LAX', 'country_id': 4})],
    'Dma': [('New York', {'code': 501, 'country_id': 4}),
            ('Los Angeles', {'code': 803, 'country_id': 4}),
            ('Chicago', {'code': 602, 'country_id': 4})],
    'Zipcode': [('1010', {'code': '1010', 'city_id': 1}),
                ('10115', {'code': '10115', 'city_id': 2}),
                ('10001', {'code': '10001', 'city_id': 4})],
    'Isp': [('A1 Telekom', {'country_id': 1}), ('Deutsche Telekom', {'country_id': 2}),
            ('Telmex', {'country_id': 3}), ('Comcast', {'country_id': 4})],
    'DeviceType': [(name, {}) for name in ('Desktop', 'Phone', 'Tablet', 'Connected TV')],
    'ConnectionType': [(name, {}) for name in ('Broadband', 'Cellular', 'WiFi')],
    'CreativeAttribute': [(name, {}) for name in
                          ('Animated', 'Audio', 'Expandable', 'Pop-up')],
    'Datacenter': [(name, {}) for name in ('Vienna', 'Amsterdam', 'New York')],
    'PlacementType': [(name, {}) for name in ('Banner', 'Native', 'Video', 'Interstitial')],
    'PriceModel': [(name, {}) for name in ('CPM', 'CPC', 'CPA')],
    'Reason': [(name, {}) for name in
               ('Invalid traffic', 'Brand safety', 'Malware', 'Policy violation')],
    'CampaignDebugReason': [(name, {}) for name in
                            ('Budget exhausted', 'No matching creative',
                             'Frequency cap reached', 'Outside flight dates')],
    'SspResultType': [(name, {}) for name in ('Won', 'Lost', 'No bid')],
    'SspSuspicious': [(name, {'reason': reason}) for name, reason in
                      (('Click farm', 'CTR anomaly'), ('Data center traffic', 'IP range'),
                       ('Spoofed domain', 'ads.txt mismatch'))],
    'Visibility': [(name, {}) for name in ('Above the fold', 'Below the fold', 'Unknown')],
    'Appstore': [(name, {}) for name in ('Google Play', 'Apple App Store', 'Amazon Appstore')],
    'App': [('Atom Runner', {'bundle': 'com.example.atomrunner', 'appstore_id': 1}),
            ('Coffee Finder', {'bundle': 'com.example.coffee', 'appstore_id': 2}),
            ('Match Day', {'bundle': 'com.example.matchday', 'appstore_id': 1})],
    'AccountManager': [('Alice Berger', {'email': 'alice@example.com', 'phone': '+43 1 555 01'}),
                       ('Bruno Diaz', {'email': 'bruno@example.com', 'phone': '+52 55 555 02'}),
                       ('Chen Wei', {'email': 'chen@example.com', 'phone': '+1 212 555 03'})],
    'Network': [('Atomx Demo Network', {'account_manager_id': 1}),
                ('Second Demo Network', {'account_manager_id': 2}),
                ('Reseller Network', {'account_manager_id': 3})],
    'Bidder': [(f'Bidder {n}', {'endpoint': f'http://bidder{n}.example.com/bid'}) for n in 'ABC'],
    'Dsp': [(f'DSP {n}', {'endpoint': f'http://dsp{n}.example.com/rtb'}) for n in 'ABC'],
    'Ssp': [(f'SSP {n}', {'endpoint': f'http://ssp{n}.example.com/rtb'}) for n in 'ABC'],
}

#: (id, name, network) of the advertisers; 42 and 23 are the documentation's.
_ADVERTISERS = ((1, 'Acme Shoes', 1), (2, 'Blue Ocean Travel', 1), (3, 'Atomx Labs', 1),
                (4, 'Nordic Coffee', 1), (5, 'Pixel Motors', 2), (42, 'Answer Media', 1),
                (23, 'Twenty-Three Outdoor', 1))
#: (id, name, network) of the publishers; 23 and 42 are the documentation's.
_PUBLISHERS = ((1, 'Daily Planet Media', 1), (2, 'Mininova', 1), (3, 'Atom Blog Network', 1),
               (4, 'Sports Hub', 2), (23, 'Publisher Twenty-Three', 1),
               (42, 'Answer Publishing', 1))
#: (publisher, site name, hostname, category) of the sites.
_SITES = ((1, 'Daily Planet', 'dailyplanet.com', 1), (1, 'Planet Sports', 'planetsports.com', 2),
          (2, 'Mininova.org', 'mininova.org', 4), (3, 'Atomic Tech Blog', 'atomictech.com', 3),
          (3, 'Atom Travel Diary', 'atomtravel.net', 5), (4, 'Match Report', 'matchreport.mx', 2),
          (23, 'Answer Finance', 'answerfinance.com', 6), (23, 'Answer News', 'answernews.com', 1),
          (42, 'Answer Forum', 'answerforum.com', 3))
_ATOM_WORDS = ('news', 'blog', 'shop', 'tech', 'games', 'sports', 'travel', 'food')
_OTHER_HOSTS = ('example.org', 'noticias.mx', 'clima.com.mx', 'futbol.mx', 'coffee.example',
                'motors.example')


def _stamp(step: int) -> str:
    """A fixed creation time, a few hours after the previous record's."""
    return (_EPOCH + timedelta(hours=7 * step)).strftime(TIME_FORMAT)


class _Builder:
    """Collects records with every schema attribute filled in."""

    def __init__(self) -> None:
        self.records: Dict[str, List[Dict[str, Any]]] = {}
        self.step = 0

    def add(self, model: str, name: str, record_id: int = 0, **values: Any) -> Dict[str, Any]:
        table = self.records.setdefault(model, [])
        self.step += 1
        record: Dict[str, Any] = {'id': record_id or len(table) + 1, **schema.fields(model)}
        for attribute, rel in schema.relations(model).items():
            if isinstance(rel, schema.One):
                record[f'{attribute}_id'] = None
            elif isinstance(rel, schema.Many):
                record[attribute] = []
        record.update(name=name, created_at=_stamp(self.step),
                      updated_at=_stamp(self.step + (record_id or len(table)) % 11), **values)
        table.append(record)
        return record


def _lookups(build: _Builder) -> None:
    for model, entries in _LOOKUPS.items():
        for name, values in entries:
            build.add(model, name, **values)


def _domains(build: _Builder) -> None:
    hosts = [site[2] for site in _SITES]
    hosts += [f'{prefix}{word}.{tld}' for prefix, tld in (('atom', 'com'), ('atomic', 'net'),
                                                         ('atomx', 'io'))
              for word in _ATOM_WORDS]
    hosts += list(_OTHER_HOSTS)
    for index, host in enumerate(hosts):
        build.add('Domain', host, hostname=host, category_id=index % 6 + 1)


def _advertisers(build: _Builder) -> None:
    creative_id = profile_id = campaign_id = 0
    for adv_id, name, network in _ADVERTISERS:
        build.add('Advertiser', name, adv_id, network_id=network, budget=10000.0 * (adv_id % 7 + 1),
                  email=f'ads@{name.split()[0].lower()}.example')
        build.add('ConversionPixel', f'{name} purchase', advertiser_id=adv_id)
        build.add('Segment', f'{name} visitors', advertiser_id=adv_id)
        profiles = []
        for number in range(5 if adv_id == 42 else 2):
            profile_id += 1
            profiles.append(profile_id)
            build.add('Profile', f'{name} profile {number + 1}', advertiser_id=adv_id,
                      countries=[(profile_id + k) % 8 + 1 for k in range(2)],
                      browsers=[profile_id % 5 + 1], operating_systems=[profile_id % 5 + 1],
                      languages=[profile_id % 5 + 1], device_types=[profile_id % 4 + 1],
                      click_frequency_cap_per=3600 * (number + 1),
                      click_frequency_cap_count=number + 2)
        creatives = []
        for number in range(4 if adv_id == 42 else 3):
            creative_id += 1
            creatives.append(creative_id)
            build.add('Creative', f'{name} banner {number + 1}', advertiser_id=adv_id,
                      size_id=creative_id % 4 + 1, category_id=creative_id % 6 + 1,
                      title=f'{name}: offer {number + 1}',
                      click_url=f'http://{name.split()[0].lower()}.example/landing/{number + 1}',
                      attributes=[creative_id % 4 + 1])
        for number in range(3 if adv_id == 42 else 2):
            campaign_id += 1
            label = 'Atomx launch' if adv_id == 3 and number == 0 else f'campaign {number + 1}'
            build.add('Campaign', f'{name} {label}', advertiser_id=adv_id,
                      profile_id=profiles[number % len(profiles)], price_model_id=number % 3 + 1,
                      creatives=creatives[number:number + 2], budget=1000.0 * (campaign_id + 1),
                      daily_budget=50.0 * (number + 1), frequency_cap=number + 3,
                      conversion_pixels=[build.records['ConversionPixel'][-1]['id']])


def _publishers(build: _Builder) -> None:
    domain_ids = {rec['hostname']: rec['id'] for rec in build.records['Domain']}
    for pub_id, name, network in _PUBLISHERS:
        build.add('Publisher', name, pub_id, network_id=network,
                  email=f'sales@{name.split()[0].lower()}.example')
        build.add('SellerProfile', f'{name} open auction', publisher_id=pub_id,
                  floor_price=0.1 * pub_id)
    placement_id = 0
    for site_id, (publisher, site_name, host, category) in enumerate(_SITES, start=1):
        build.add('Site', site_name, publisher_id=publisher, domain_id=domain_ids[host],
                  category_id=category, minimum_internal_bid=0.05 * (site_id % 3))
        for slot in range(2):
            placement_id += 1
            size = build.records['Size'][(placement_id + slot) % 4]
            build.add('Placement', f'{site_name} {size["name"]} {("top", "side")[slot]}',
                      site_id=site_id, publisher_id=publisher, size_id=size['id'],
                      width=size['width'], height=size['height'],
                      placement_type_id=slot + 1, visibility_id=slot + 1,
                      floor_price=0.2 * (placement_id % 5))
            build.add('Fallback', f'{site_name} house ad {slot + 1}', placement_id=placement_id,
                      content='<a href="http://example.com">house ad</a>')


def _users(build: _Builder) -> Dict[str, Dict[str, Any]]:
    credentials = {}
    for user_id, email, password, name, networks, advertisers, publishers, secret in USERS:
        build.add('User', name, user_id, email=email, networks=networks, advertisers=advertisers,
                  publishers=publishers, totp_enabled=secret is not None)
        credentials[str(user_id)] = {'password': hash_password(password, salt=f'seed{user_id}'),
                                     'totp_secret': secret}
    return credentials


def _history(records: Dict[str, List[Dict[str, Any]]]) -> Dict[str, List[Dict[str, Any]]]:
    """One creation entry per seeded record, by the demo user, at its ``created_at``."""
    user = {'id': 1, 'name': 'Demo network user', 'email': DEMO_EMAIL}
    history = {}
    for model, table in records.items():
        for rec in table:
            changes = {key: value for key, value in rec.items() if key != 'id'}
            history[f'{model}:{rec["id"]}'] = [
                {'date': rec['created_at'], 'user': user, 'history': changes}]
    return history


def build_state() -> Dict[str, Any]:
    """A fresh sandbox state (the shape :class:`~atomx.sandbox.store.Store` keeps)."""
    build = _Builder()
    _lookups(build)
    _domains(build)
    _advertisers(build)
    _publishers(build)
    credentials = _users(build)
    return {'format': FORMAT_VERSION, 'records': build.records, 'history': _history(build.records),
            'credentials': credentials, 'reports': {}, 'resets': {}}
