"""Every Python example of README.rst runs, in order, against a fresh sandbox.

The README's examples log in to ``http://127.0.0.1:6543/v3`` (``atomx sandbox``'s
default port) as the demo user; the test points that URL at its own sandbox and
changes nothing else, so the first page a new user reads cannot drift from the code.
"""
from __future__ import annotations

import pathlib

import matplotlib
import pytest
from rst_blocks import python_blocks

from atomx.models import Report
from atomx.sandbox import Sandbox

pytestmark = pytest.mark.integration

README = pathlib.Path(__file__).resolve().parents[2] / 'README.rst'
DOCUMENTED_ENDPOINT = 'http://127.0.0.1:6543/v3'


def test_every_readme_example_runs_against_the_sandbox(capsys, monkeypatch, tmp_path):
    matplotlib.use('Agg')  # the plots of the report example need no screen
    monkeypatch.chdir(tmp_path)  # report.to_csv('report.csv') writes here
    blocks = python_blocks(README.read_text(encoding='utf-8'))
    assert len(blocks) >= 8, 'README.rst lost its examples'
    assert sum(code.count(DOCUMENTED_ENDPOINT) for _, code in blocks) == 1
    namespace: dict = {'__name__': 'readme'}
    with Sandbox() as sandbox:
        for line, code in blocks:
            source = code.replace(DOCUMENTED_ENDPOINT, sandbox.url)
            exec(compile(source, f'{README}:{line}', 'exec'), namespace)  # noqa: S102
        atomx = namespace['atomx']
        assert atomx.api_endpoint == sandbox.url  # the later blocks used the first session
        profile = atomx.get('profile', namespace['profile'].id)
        assert [country.id for country in profile.countries] == [4, 5, 7]  # the append, saved
        creatives = len(atomx.get('creatives', limit=1000))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith('User(id=1, ')
    assert lines[1] == str(creatives)  # last_response['count'] after a list GET
    assert isinstance(namespace['report'], Report) and namespace['report'].length > 0
    assert namespace['new'].deleted is True
    assert (tmp_path / 'report.csv').read_text().startswith('hour,impressions,clicks\n')
    assert not namespace['daily'].isna().all().any()  # per day, every statistic has values
