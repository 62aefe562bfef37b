"""Resource names map to model class names and classes, and classes to paths."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

import atomx.models
from atomx.models import MODEL_CLASSES, from_payload, model_class
from atomx.names import MODEL_NAMES, model_name, plural, resource_path, snake_case


def test_there_are_42_documented_models():
    assert len(MODEL_NAMES) == 42
    assert len(set(MODEL_NAMES)) == 42


@pytest.mark.parametrize('resource, expected', [
    ('countries', 'Country'),
    ('ADVERTISERS', 'Advertiser'),
    ('conversion-pixels', 'ConversionPixel'),
    ('operating_system', 'OperatingSystem'),
    ('advertisers_list', 'Advertiser'),
    ('languages', 'Languages'),
    ('visibilities', 'Visibility'),
    ('suspicious', 'SspSuspicious'),
    ('domains_filter', 'Domain'),
    ('Creatives', 'Creative'),
    ('/sites/', 'Site'),
    ('quickstats', None),
    ('history', None),
])
def test_documented_spellings(resource, expected):
    assert model_name(resource) == expected


@pytest.mark.parametrize('name', MODEL_NAMES)
def test_every_model_singular_and_plural(name):
    singular = snake_case(name)
    assert model_name(singular) == name
    assert model_name(plural(singular)) == name
    assert model_name(singular.replace('_', '-').upper()) == name
    assert model_name(resource_path(name)) == name


def test_resource_path_is_kebab_case():
    assert resource_path('ConversionPixel') == 'conversion-pixel'
    assert resource_path('Advertiser') == 'advertiser'
    assert resource_path('SspSuspicious') == 'ssp-suspicious'


# -- through atomx.models: every model both ways, and any spelling -------------------------


@pytest.mark.parametrize('name', MODEL_NAMES)
def test_every_model_both_ways_through_models(name):
    cls = getattr(atomx.models, name)
    path = resource_path(name)
    assert cls._resource_name == path
    assert model_class(path) is cls  # class -> path -> class
    for resource in (snake_case(name), plural(snake_case(name))):
        assert type(from_payload(resource, {'id': 1}, None)) is cls
        models = from_payload(resource, [{'id': 1}, {'id': 2}], None)
        assert [type(model) for model in models] == [cls, cls]


@st.composite
def spellings(draw):
    """Any spelling of a model's resource name the API may use, and the model name."""
    name = draw(st.sampled_from(MODEL_NAMES))
    word = snake_case(name)
    if draw(st.booleans()):
        word = plural(word)
    word = word.replace('_', draw(st.sampled_from(['_', '-'])))
    word += draw(st.sampled_from(['', '_list', '_filter', '_include', '_exclude', '-list']))
    cases = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    word = ''.join(c.upper() if up else c.lower() for c, up in zip(word, cases))
    return word, name


@given(spellings())
def test_any_case_separator_number_and_suffix_finds_the_model(spelling):
    resource, name = spelling
    assert model_name(resource) == name
    assert model_class(resource) is MODEL_CLASSES[name]
