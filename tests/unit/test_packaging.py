"""The packaging of issue 2: dependencies, extras, Python version, py.typed, one
version, the tox environments and the CI script that runs README's command."""
import configparser
import pathlib
import re
import runpy

import pytest

from atomx.version import API_VERSION, VERSION

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope='module')
def setup_kwargs():
    """What setup.py hands to ``setuptools.setup``, without building anything."""
    import setuptools

    captured = {}
    original = setuptools.setup
    setuptools.setup = lambda **kwargs: captured.update(kwargs)
    try:
        runpy.run_path(str(ROOT / 'setup.py'), run_name='__main__')
    finally:
        setuptools.setup = original
    return captured


def names(requirements):
    """The distribution names of requirement strings (``pandas>=1.3`` -> ``pandas``)."""
    return {re.split(r'[<>=!~\[; ]', requirement, maxsplit=1)[0].lower()
            for requirement in requirements}


def test_runtime_dependencies_are_requests_and_dateutil_only(setup_kwargs):
    assert names(setup_kwargs['install_requires']) == {'requests', 'python-dateutil'}


def test_the_extras(setup_kwargs):
    extras = {name: names(requirements)
              for name, requirements in setup_kwargs['extras_require'].items()}
    assert {'pandas', 'matplotlib'} <= extras['report']
    assert extras['sandbox']
    assert {'pytest', 'responses', 'hypothesis'} <= extras['test']
    assert 'sphinx' in extras['docs']
    everything = set().union(*(reqs for name, reqs in extras.items() if name != 'all'))
    assert extras['all'] == everything


def test_python_3_9_or_newer_and_typed(setup_kwargs):
    assert setup_kwargs['python_requires'] == '>=3.9'
    assert 'py.typed' in setup_kwargs['package_data']['atomx']
    assert (ROOT / 'atomx' / 'py.typed').is_file()
    assert 'atomx' in setup_kwargs['packages']


def test_the_version_lives_in_version_py_only(setup_kwargs):
    assert setup_kwargs['version'] == VERSION
    assert API_VERSION == 'v3'
    for path in [ROOT / 'setup.py', *sorted((ROOT / 'atomx').glob('*.py'))]:
        if path.name != 'version.py':
            assert f"'{VERSION}'" not in path.read_text(encoding='utf-8'), path


def test_tox_has_a_test_and_a_lint_environment():
    tox = configparser.ConfigParser()
    tox.read(ROOT / 'tox.ini')
    assert 'pytest' in tox['testenv']['commands']
    lint = tox['testenv:lint']['commands']
    assert 'ruff check .' in lint and 'mypy atomx' in lint


def test_ci_runs_lint_types_and_the_readme_test_command():
    readme = (ROOT / 'README.rst').read_text(encoding='utf-8')
    section = readme.split('Running the tests', 1)[1]
    command = re.search(r'^\s+\$ (.+)$', section, re.MULTILINE).group(1)
    ci = (ROOT / '.ci' / 'run').read_text(encoding='utf-8').splitlines()
    assert command in ci
    assert 'ruff check .' in ci and 'mypy atomx' in ci
