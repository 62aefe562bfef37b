"""The packaging of issue 2: dependencies, extras, Python version, py.typed, one
version, the tox environments and the CI script that runs README's command."""
import configparser
import pathlib
import re
import runpy
import sys
import types

import pytest

from atomx.version import API_VERSION, VERSION

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope='module')
def setup_kwargs():
    """What setup.py hands to ``setuptools.setup``, without building anything.

    A stand-in ``setuptools`` records the call: a fresh virtualenv need not have
    setuptools installed (pip builds in an isolated environment).
    """
    captured = {}
    fake = types.ModuleType('setuptools')
    fake.setup = lambda **kwargs: captured.update(kwargs)
    fake.find_packages = lambda **kwargs: ('find_packages', kwargs)
    saved = sys.modules.get('setuptools')
    sys.modules['setuptools'] = fake
    try:
        runpy.run_path(str(ROOT / 'setup.py'), run_name='__main__')
    finally:
        if saved is None:
            del sys.modules['setuptools']
        else:
            sys.modules['setuptools'] = saved
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
    assert {'pytest', 'responses', 'hypothesis', 'docutils'} <= extras['test']
    assert 'sphinx' in extras['docs']
    assert extras['arrow'] == {'pyarrow'}
    assert extras['polars'] == {'pyarrow', 'polars'}
    assert extras['dask'] == {'pyarrow', 'pandas', 'dask', 'distributed'}
    assert extras['arrow'] | extras['polars'] | extras['dask'] <= extras['test']
    everything = set().union(*(reqs for name, reqs in extras.items() if name != 'all'))
    assert extras['all'] == everything


def test_python_3_9_or_newer_and_typed(setup_kwargs):
    assert setup_kwargs['python_requires'] == '>=3.9'
    assert 'py.typed' in setup_kwargs['package_data']['atomx']
    assert (ROOT / 'atomx' / 'py.typed').is_file()
    assert setup_kwargs['packages'] == ('find_packages', {'include': ['atomx', 'atomx.*']})


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


def test_every_module_the_tests_import_comes_with_the_test_extra(setup_kwargs):
    """A fresh ``pip install -e '.[test]'`` must be enough to run the suite."""
    import ast
    import importlib.metadata

    if not hasattr(sys, 'stdlib_module_names'):  # pragma: no cover - Python 3.9
        pytest.skip('needs sys.stdlib_module_names (Python 3.10+) to tell stdlib apart')
    provided = names(setup_kwargs['install_requires'] + setup_kwargs['extras_require']['test'])
    pending = list(provided)
    while pending:  # what the provided distributions install in turn (pandas: numpy)
        try:
            requirements = importlib.metadata.requires(pending.pop()) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in names(r for r in requirements if 'extra ==' not in r):
            if requirement not in provided:
                provided.add(requirement)
                pending.append(requirement)
    distributions = importlib.metadata.packages_distributions()
    local = {path.stem for path in (ROOT / 'tests').rglob('*.py')}
    imported = set()
    for path in (ROOT / 'tests').rglob('*.py'):
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split('.')[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split('.')[0])
    third_party = imported - set(sys.stdlib_module_names) - {'atomx', 'tests'} - local
    missing = {module for module in third_party
               if not {dist.lower() for dist in distributions.get(module, [module])} & provided}
    assert missing == set()


def test_the_console_script_is_the_cli_main(setup_kwargs):
    assert setup_kwargs['entry_points']['console_scripts'] == ['atomx = atomx.cli:main']


@pytest.mark.parametrize('extra', ['report', 'all'])
def test_tqdm_comes_with_report_and_all(setup_kwargs, extra):
    assert 'tqdm' in names(setup_kwargs['extras_require'][extra])


@pytest.mark.parametrize('extra', ['speedups', 'report', 'all'])
def test_orjson_comes_with_speedups_report_and_all(setup_kwargs, extra):
    assert 'orjson' in names(setup_kwargs['extras_require'][extra])


def test_neither_tqdm_nor_orjson_is_required(setup_kwargs):
    assert not names(setup_kwargs['install_requires']) & {'tqdm', 'orjson'}
