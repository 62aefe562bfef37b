"""The rendered API reference, as a reader sees it: parameters whose name ends in ``_``
keep it (with their type, once), and the version constants show their own text.

Sphinx builds the real reference pages (``docs/api/session.rst`` and
``reports.rst``) with the real ``docs/conf.py`` into a temporary folder, in a
subprocess; the test reads the HTML.
"""
from __future__ import annotations

import html
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGES = ('session', 'reports')
_PARAMETER = re.compile(r'<li><p><strong>(\w+)</strong>(\s*\()?')


@pytest.fixture(scope='module')
def built(tmp_path_factory):
    source = tmp_path_factory.mktemp('docs-source')
    for page in PAGES:
        shutil.copy(ROOT / 'docs' / 'api' / f'{page}.rst', source / f'{page}.rst')
    (source / 'index.rst').write_text('Reference\n=========\n\n.. toctree::\n\n' + ''.join(
        f'   {page}\n' for page in PAGES), encoding='utf-8')
    output = tmp_path_factory.mktemp('docs-html')
    process = subprocess.run(
        [sys.executable, '-m', 'sphinx', '-q', '-E', '-b', 'html', '-c', str(ROOT / 'docs'),
         str(source), str(output)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert process.returncode == 0, process.stderr
    return {page: (output / f'{page}.html').read_text(encoding='utf-8') for page in PAGES}


def parameters(page: str) -> list[tuple[str, bool]]:
    """``(name, has a type)`` of every documented parameter of a page."""
    return [(name, bool(typed)) for name, typed in _PARAMETER.findall(page)]


def test_from_is_one_typed_entry_named_from_(built):
    listed = parameters(built['session']) + parameters(built['reports'])
    assert ('from', True) not in listed and ('from', False) not in listed
    assert ('from_', False) not in listed  # no second, untyped entry
    # Atomx.report and Report (and create_report while it exists) each list it once
    assert listed.count(('from_', True)) >= 2
    session_report = built['session'].split('id="atomx.Atomx.report"')[1].split('</dd>')[0]
    assert [name for name, _ in parameters(session_report)].count('from_') == 1


@pytest.mark.parametrize('name, words', [
    ('VERSION', 'The version of this package'),
    ('API_VERSION', 'The Atomx REST API version'),
    ('__version__', 'The same as'),
])
def test_the_version_constants_show_their_own_text_not_strs(built, name, words):
    entry = built['session'].split(f'id="atomx.{name}"')[1].split('</dd>')[0]
    text = html.unescape(re.sub(r'<[^>]+>', '', entry))
    assert words in text
    assert 'str(object=' not in text and 'Create a new string object' not in text
