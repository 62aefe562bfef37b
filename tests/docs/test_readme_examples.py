"""Every Python example of README.rst runs, in order, against a fresh sandbox.

The README's examples log in to ``http://127.0.0.1:6543/v3`` (``atomx sandbox``'s
default port) as the demo user; the test points that URL at its own sandbox and
changes nothing else, so the first page a new user reads cannot drift from the code.
"""
from __future__ import annotations

import pathlib

import matplotlib
import pytest
from rst_blocks import python_blocks, run_page_examples

from atomx.models import Report
from atomx.sandbox import Sandbox

pytestmark = pytest.mark.integration

README = pathlib.Path(__file__).resolve().parents[2] / 'README.rst'


def test_every_readme_example_runs_against_the_sandbox(capsys, monkeypatch, tmp_path):
    matplotlib.use('Agg')  # the plots of the report example need no screen
    monkeypatch.chdir(tmp_path)  # report.to_csv('report.csv') writes here
    namespace: dict = {'__name__': 'readme'}
    with Sandbox() as sandbox:
        # what Atomx.from_env() reads, as the Dask example asks of its workers
        for variable, value in (('ATOMX_EMAIL', sandbox.email),
                                ('ATOMX_PASSWORD', sandbox.password),
                                ('ATOMX_API_ENDPOINT', sandbox.url)):
            monkeypatch.setenv(variable, value)
        run_page_examples(README, namespace, sandbox.url, minimum=9)
        atomx = namespace['atomx']
        assert atomx.api_endpoint == sandbox.url  # the later blocks used the first session
        assert namespace['sandbox'] is not sandbox  # the notebook's own, stopped by its block
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


def test_the_notebook_section_shows_what_it_says(capsys):
    text = README.read_text(encoding='utf-8')
    section = text.split('.. docs-notebook-start')[1].split('.. docs-notebook-end')[0]
    ((_, code),) = python_blocks(section)
    namespace: dict = {'__name__': 'notebook'}
    exec(compile(code, f'{README}:notebook', 'exec'), namespace)  # noqa: S102
    assert namespace['sandbox'].url.startswith('http://127.0.0.1:')
    model_html = namespace['advertiser']._repr_html_()
    assert model_html.startswith('<table') and '<caption>Advertiser 42</caption>' in model_html
    assert all(f'<th>{name}</th>' in model_html for name in namespace['advertiser'].json)
    profiles = namespace['profiles']
    assert isinstance(profiles, list) and {type(model).__name__ for model in profiles} == {
        'Profile'}
    list_html = profiles._repr_html_()
    assert f'<caption>{len(profiles)} Profile models</caption>' in list_html
    assert list_html.count('<tr>') == len(profiles) + 1  # the header and a row per model
    assert list(profiles.pandas['id']) == [model.id for model in profiles]
    assert "'Answer Media'" not in model_html and 'Answer Media' in model_html
    report_html = namespace['weekly']._repr_html_()
    assert '<thead><tr><th></th><th>day</th><th>impressions</th><th>clicks</th>' in report_html
    assert '<tfoot><tr><td>totals</td>' in report_html
    frame = namespace['weekly'].pandas
    assert frame.index.name == 'day' and list(frame.columns) == ['impressions', 'clicks']
