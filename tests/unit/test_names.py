"""Resource names map to model class names, and classes to paths."""
import pytest

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
