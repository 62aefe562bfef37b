"""atomx.models without the wire: the classes, from_payload, attribute reads and
changes, display, equality, copies and pickling."""
import ast
import copy
import datetime
import inspect
import pickle
from decimal import Decimal

import pytest
from dateutil.tz import tzoffset

import atomx.models
from atomx.models import (
    MODEL_CLASSES,
    Advertiser,
    AtomxModel,
    Creative,
    Placement,
    Profile,
    Report,
    Site,
    User,
    from_payload,
    model_class,
)
from atomx.names import MODEL_NAMES, resource_path


def loaded(cls, **attributes):
    """A model as the API hands it over: no changes recorded."""
    return from_payload(resource_path(cls.__name__), dict(attributes), None)


# -- the classes ------------------------------------------------------------------

@pytest.mark.parametrize('name', MODEL_NAMES)
def test_every_documented_model_is_an_importable_documented_class(name):
    cls = getattr(atomx.models, name)
    assert cls is MODEL_CLASSES[name]
    assert issubclass(cls, AtomxModel) and cls is not AtomxModel
    assert cls.__name__ == cls.__qualname__ == name
    assert cls.__module__ == 'atomx.models'
    assert cls._resource_name == resource_path(name)
    assert f'``/{resource_path(name)}``' in cls.__doc__
    assert name in atomx.models.__all__
    assert pickle.loads(pickle.dumps(cls)) is cls


def test_every_model_has_its_own_description_in_its_docstring():
    from atomx.model_docs import DESCRIPTIONS
    assert tuple(DESCRIPTIONS) == MODEL_NAMES  # one sentence per model, in the same order
    docs = [MODEL_CLASSES[name].__doc__ for name in MODEL_NAMES]
    assert len(set(docs)) == len(docs) == 42
    for name in MODEL_NAMES:
        assert MODEL_CLASSES[name].__doc__.startswith(DESCRIPTIONS[name])
        assert len(DESCRIPTIONS[name]) > 30


@pytest.mark.parametrize('name', MODEL_NAMES)
def test_every_model_instance_pickles(name):
    model = from_payload(resource_path(name), {'id': 3, 'name': 'n',
                                                'created_at': '2014-01-01'}, object())
    model.name = 'changed'
    clone = pickle.loads(pickle.dumps(model))
    assert type(clone) is MODEL_CLASSES[name] and clone == model
    assert clone.json == model.json and clone._changed_names() == ['name']


def test_report_is_the_reports_module_report():
    import atomx.reports
    assert Report is atomx.reports.Report
    assert 'Report' in atomx.models.__all__


def test_a_model_instance_has_no_instance_dict():
    # attributes live in one dict the model owns; no per-instance __dict__ to fill
    with pytest.raises(AttributeError):
        _ = Advertiser(1).__dict__


def test_constructor_takes_id_session_and_attributes():
    session = object()
    profile = Profile(23, session, name='test profile', advertiser_id=4)
    assert profile.id == 23
    assert profile.session is session
    assert profile.name == 'test profile'
    assert profile.json == {'id': 23, 'name': 'test profile', 'advertiser_id': 4}
    assert Profile(id=5).id == 5
    assert Profile(name='new').id is None


@pytest.mark.parametrize('bad_id', [True, 1.5, [1], {'id': 1}])
def test_an_id_that_is_no_int_is_a_type_error(bad_id):
    with pytest.raises(TypeError, match='id must be an int'):
        Profile(bad_id)


@pytest.mark.parametrize('bad_id', ['abc', '1.5', '', '-3', 0, -1, '0'])
def test_an_id_that_is_no_whole_number_of_at_least_one_is_a_value_error(bad_id):
    with pytest.raises(ValueError, match='a model id is a whole number'):
        Profile(bad_id)
    with pytest.raises(ValueError, match='a model id is a whole number'):
        Profile(1).id = bad_id


def test_the_digits_of_an_id_are_the_id():
    assert Profile('42').id == 42 and Profile('42') == Profile(42)
    assert Profile(id=' 7 ').id == 7
    profile = Profile(1)
    profile.id = '9'
    assert profile.id == 9 and profile.json == {'id': 9}
    with pytest.raises(TypeError, match=r'a model id must be an int .* not float \(1.5\)'):
        profile.id = 1.5


# -- from_payload ---------------------------------------------------------------------

def test_a_list_payload_of_a_known_resource_becomes_bound_models_without_copies():
    session = object()
    first, second = {'id': 1, 'name': 'a'}, {'id': 2, 'name': 'b'}
    advertisers = from_payload('advertisers', [first, second], session)
    assert [type(a) for a in advertisers] == [Advertiser, Advertiser]
    assert [a.name for a in advertisers] == ['a', 'b']
    assert all(a.session is session for a in advertisers)
    assert advertisers[0]._attributes is first  # stored as it came
    assert advertisers[0]._changed_names() == []


def test_one_object_becomes_one_model():
    placement = from_payload('placement', {'id': 9, 'name': 'p'}, None)
    assert type(placement) is Placement and placement.id == 9


@pytest.mark.parametrize('resource, payload', [
    ('quickstats', {'lifetime': {'clicks': 3}}),
    ('advertisers', 17),
    ('advertisers', [1, 2]),
    ('advertisers', [{'id': 1}, 2]),  # not all objects: no models
    ('history', [{'date': '2014-01-01'}]),
    ('nothing-known', [{'id': 1}]),
])
def test_anything_else_is_returned_as_decoded(resource, payload):
    assert from_payload(resource, payload, None) is payload


def test_reporting_becomes_reports_and_scheduled_reports():
    session = object()
    result = from_payload('reporting', {
        'reports': [{'id': 'r1', 'name': 'daily', 'from': '2016-01-01 00:00:00'}],
        'scheduled': [{'id': 's1', 'name': 'weekly'}],
    }, session)
    assert set(result) == {'reports', 'scheduled'}
    (report,), (scheduled,) = result['reports'], result['scheduled']
    assert isinstance(report, Report) and isinstance(scheduled, Report)
    assert (report.id, scheduled.id) == ('r1', 's1')
    assert report.session is session


def test_a_report_dict_becomes_a_report():
    report = from_payload('report', {'id': 'abc', 'name': 'n'}, None)
    assert isinstance(report, Report) and report.id == 'abc'


@pytest.mark.parametrize('name', MODEL_NAMES)
def test_model_class_finds_every_model_by_its_singular_and_plural_resource(name):
    from atomx.names import plural, snake_case
    assert model_class(snake_case(name)) is MODEL_CLASSES[name]
    assert model_class(plural(snake_case(name))) is MODEL_CLASSES[name]
    assert model_class(resource_path(name)) is MODEL_CLASSES[name]


# -- reading attributes ---------------------------------------------------------------

def test_timestamps_are_read_as_datetimes_once_and_kept():
    site = loaded(Site, id=5, created_at='2015-04-03T00:14:35.072516',
                  updated_at='2014-10-28T21:56:44+02:00', date='2014-10-28', state='ACTIVE')
    assert site._attributes['created_at'] == '2015-04-03T00:14:35.072516'  # not parsed up front
    assert site.created_at == datetime.datetime(2015, 4, 3, 0, 14, 35, 72516)
    assert site.updated_at == datetime.datetime(2014, 10, 28, 21, 56, 44,
                                                tzinfo=tzoffset(None, 7200))
    assert site.date == datetime.datetime(2014, 10, 28)
    assert site._attributes['created_at'] is site.created_at  # converted once, then kept
    assert site.state == 'ACTIVE'
    assert site._changed_names() == []


def test_building_models_converts_nothing_and_a_read_converts_once(monkeypatch):
    parsed = []
    real_parse = atomx.models.parse_date
    monkeypatch.setattr(atomx.models, 'parse_date',
                        lambda text: parsed.append(text) or real_parse(text))
    sites = from_payload('sites', [{'id': n, 'created_at': '2014-10-29T17:36:42',
                                    'publisher': {'id': 2}} for n in range(100)], None)
    assert parsed == []  # the original client parsed every date of every model here
    assert all(type(site._attributes['publisher']) is dict for site in sites)
    assert sites[0].created_at == sites[0].created_at == datetime.datetime(2014, 10, 29, 17, 36, 42)
    assert parsed == ['2014-10-29T17:36:42']


def test_reading_a_name_classifies_it_once_for_all_models(monkeypatch):
    sites = [loaded(Site, id=n, cheap_read_probe=n) for n in range(50)]
    looked_up = []
    real_lookup = atomx.models.model_class
    monkeypatch.setattr(atomx.models, 'model_class',
                        lambda name: looked_up.append(name) or real_lookup(name))
    assert [site.cheap_read_probe for site in sites] == list(range(50))
    assert [site.cheap_read_probe for site in sites] == list(range(50))
    assert looked_up == ['cheap_read_probe']  # no name parsing per read


def test_a_date_named_attribute_that_is_no_timestamp_stays_as_it_is():
    site = loaded(Site, id=5, last_update='never', closed_at=None)
    assert site.last_update == 'never'
    assert site.closed_at is None


def test_nested_objects_become_models_bound_to_the_same_session():
    session = object()
    profile = from_payload('profile', {
        'id': 5, 'advertiser': {'id': 42, 'name': 'adv'},
        'domains_filter': [{'id': 1, 'hostname': 'a.com'}, {'id': 2, 'hostname': 'b.com'}],
    }, session)
    assert type(profile.advertiser) is Advertiser
    assert profile.advertiser.name == 'adv' and profile.advertiser.session is session
    assert profile.advertiser is profile.advertiser  # built once, then kept
    assert [type(d).__name__ for d in profile.domains_filter] == ['Domain', 'Domain']
    assert profile.domains_filter[1].hostname == 'b.com'
    assert profile._changed_names() == []


def test_strings_and_mixed_lists_under_model_names_are_returned_as_they_are():
    site = loaded(Site, id=1, timezone='Europe/Vienna', languages=['en', 'de'], placements=[])
    assert site.timezone == 'Europe/Vienna'
    assert site.languages == ['en', 'de']
    assert site.placements == []


def test_dir_lists_loaded_attributes_and_methods():
    names = dir(loaded(Site, id=1, name='s', created_at='2014-01-01'))
    assert {'name', 'created_at', 'id', 'save', 'reload', 'history', 'json'} <= set(names)


# -- changes --------------------------------------------------------------------------

def test_setting_an_attribute_marks_it_dirty_only_when_the_value_changes():
    creative = loaded(Creative, id=3, title='old', width=300)
    creative.title = 'old'
    creative.width = 300
    assert creative._changed_names() == []
    creative.title = 'shiny new title'
    creative.width = 300.0  # another type is a change
    assert creative._changed_names() == ['title', 'width']


def test_a_new_attribute_is_a_change():
    creative = loaded(Creative, id=3)
    creative.budget = None
    assert creative._changed_names() == ['budget']


def test_attributes_given_to_the_constructor_are_changes_but_not_the_id():
    assert Profile(7, name='x', state='ACTIVE')._changed_names() == ['name', 'state']


def test_in_place_changes_to_lists_and_dicts_count():
    profile = loaded(Profile, id=1, keywords=['a', 'b'], settings={'a': {'b': 1}}, tags=['x'])
    profile.keywords.append('c')
    profile.settings['a']['b'] = 2
    assert profile.tags == ['x']  # read, not changed
    assert profile._changed_names() == ['keywords', 'settings']


def test_an_in_place_change_is_seen_even_when_the_same_list_is_assigned_back():
    profile = loaded(Profile, id=1, keywords=['a'])
    keywords = profile.keywords
    keywords.append('b')
    profile.keywords = keywords
    assert profile._changed_names() == ['keywords']


def test_an_equal_list_assigned_is_watched_for_later_in_place_changes():
    profile = loaded(Profile, id=1, domains=[1, 2])
    fresh = [1, 2]
    profile.domains = fresh
    assert profile._changed_names() == []
    fresh.append(3)
    assert profile._changed_names() == ['domains']


@pytest.mark.parametrize('before, cleared', [([1, 2], []), ('name', None), (5, None)])
def test_del_clears_the_attribute_and_marks_it_dirty(before, cleared):
    profile = loaded(Profile, id=1, value=before)
    del profile.value
    assert profile.value == cleared
    assert profile._changed_names() == ['value']


def test_methods_and_properties_are_not_attributes():
    profile = loaded(Profile, id=1)
    with pytest.raises(AttributeError):
        profile.save = 3
    with pytest.raises(AttributeError):
        profile.deleted = True
    profile.id = 4
    assert profile.id == 4 and profile._changed_names() == []


# -- display, equality, json ----------------------------------------------------------

def test_repr_shows_class_id_and_short_attributes():
    text = repr(loaded(Site, name='x' * 500, id=5, state='ACTIVE'))
    assert text.startswith("Site(id=5, name='xxx")
    assert "state='ACTIVE'" in text
    assert len(text) < 150


def test_repr_cuts_many_attributes():
    text = repr(loaded(Site, id=1, **{f'a{i}': i for i in range(20)}))
    assert text.endswith('… 14 more)')


def test_repr_html_is_an_escaped_table():
    html = loaded(Site, id=1, name='<script>alert(1)</script>')._repr_html_()
    assert html.startswith('<table') and '<caption>Site 1</caption>' in html
    assert '<script>' not in html and '&lt;script&gt;' in html


def test_a_password_change_never_shows_in_a_repr():
    # a traceback with locals, a log line or a notebook shows the model: not its password
    user = loaded(User, id=1, email='me@example.com')
    user.old_password, user.password = 'old-secret-pw', 'new-secret-pw'
    for text in (repr(user), user._repr_html_()):
        assert 'secret-pw' not in text and '***' in text and 'me@example.com' in text
    assert repr(user) == "User(id=1, email='me@example.com', old_password=***, password=***)"
    assert user.password == 'new-secret-pw'  # still sent by save()


def test_equality_and_hash_follow_class_and_id():
    assert Site(1) == Site(1, name='other')
    assert hash(Site(1)) == hash(Site(1))
    assert Site(1) != Site(2)
    assert Site(1) != Placement(1)
    assert Site(1) != {'id': 1}
    new = Site(name='a')
    assert new == new and new != Site(name='a')
    assert len({Site(1), Site(1), Placement(1)}) == 2


def test_json_is_a_json_ready_dict_of_the_attributes():
    site = loaded(Site, id=1, created_at='2014-10-29T17:36:42', budget=Decimal('1.5'),
                  publisher={'id': 3, 'name': 'p'})
    assert site.created_at.year == 2014 and site.publisher.id == 3  # now converted
    site.tags = {'b', 'a'}
    assert site.json == {'id': 1, 'created_at': '2014-10-29T17:36:42', 'budget': 1.5,
                         'publisher': {'id': 3, 'name': 'p'}, 'tags': ['a', 'b']}


# -- copies and pickling --------------------------------------------------------------

def test_pickle_round_trip_keeps_attributes_changes_and_drops_the_session():
    profile = from_payload('profile', {'id': 5, 'name': 'p', 'created_at': '2014-01-01',
                                       'advertiser': {'id': 4}, 'keywords': ['a']}, object())
    assert profile.created_at.year == 2014 and profile.advertiser.id == 4
    profile.name = 'changed'
    profile.keywords.append('b')
    clone = pickle.loads(pickle.dumps(profile))
    assert type(clone) is Profile and clone == profile
    assert clone.json == profile.json
    assert clone.advertiser == Advertiser(4)
    assert clone._changed_names() == ['keywords', 'name']
    assert clone.session is None  # it holds credentials: never pickled


def test_copy_and_deepcopy_keep_the_session_and_the_changes():
    session = object()
    profile = from_payload('profile', {'id': 5, 'keywords': ['a']}, session)
    profile.name = 'n'
    shallow, deep = copy.copy(profile), copy.deepcopy(profile)
    for twin in (shallow, deep):
        assert twin.session is session
        assert twin.json == profile.json
        assert twin._changed_names() == ['name']
    deep.keywords.append('b')
    assert profile.keywords == ['a']


def test_the_type_checking_stubs_of_models_py_are_the_model_names():
    """Type checkers see the generated classes through stubs written out by hand in
    models.py; they must name every model of MODEL_NAMES, in its order, and no other."""
    tree = ast.parse(inspect.getsource(atomx.models))
    blocks = [node for node in tree.body if isinstance(node, ast.If)
              and isinstance(node.test, ast.Name) and node.test.id == 'TYPE_CHECKING'
              and all(isinstance(item, ast.ClassDef) for item in node.body)]
    assert len(blocks) == 1
    stubs = blocks[0].body
    assert tuple(stub.name for stub in stubs) == MODEL_NAMES
    assert all([base.id for base in stub.bases] == ['AtomxModel'] for stub in stubs)


def test_a_name_read_once_reads_fast_yet_stays_watched_and_documented():
    first = from_payload('site', {'id': 1, 'name': 'n', 'keywords': ['a']}, None)
    assert (first.name, first.keywords) == ('n', ['a'])  # first reads set the fast path up
    assert repr(Site.name) == "<atomx model attribute 'name'>"  # on the class: itself
    second = from_payload('site', {'id': 2, 'keywords': ['a']}, None)
    second.keywords.append('b')  # a list handed out by the fast path is still watched
    assert second._changed_names() == ['keywords']
    with pytest.raises(AttributeError, match="'name'"):  # not loaded, and cannot load
        second.name  # noqa: B018
