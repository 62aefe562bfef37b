"""Atomx.iter against the sandbox: every page, filters and the limit cap over real sockets."""
import pytest

from atomx import Atomx
from atomx.models import Domain

pytestmark = pytest.mark.integration


@pytest.fixture
def atomx(sandbox):
    with Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url) as session:
        yield session


def test_iter_in_small_pages_gives_what_one_big_get_gives(atomx):
    everything = atomx.get('domains', limit=1000)
    assert len(everything) > 20  # several pages of 7 below
    paged = list(atomx.iter('domains', page_size=7))
    assert [model.json for model in paged] == [model.json for model in everything]
    assert all(isinstance(model, Domain) for model in paged)
    assert atomx.last_response['offset'] == 7 * (len(everything) // 7)


def test_iter_passes_filters_and_sort_and_caps_at_limit(atomx):
    expected = [domain.id for domain in atomx.get('domains', hostname='*atom*', limit=1000,
                                                   sort='id.desc')]
    paged = [domain.id for domain in atomx.iter('domains', page_size=4, hostname='*atom*',
                                                 sort='id.desc')]
    assert paged == expected
    assert [domain.id for domain in atomx.iter('domains', page_size=4, limit=6,
                                               hostname='*atom*', sort='id.desc')] == expected[:6]
