"""Optional packages: imported on use, their absence one clear error; the shared count check."""
import os
import pathlib
import subprocess
import sys

import pytest

from atomx.checks import check_count
from atomx.exceptions import AtomxError, MissingDependencyError
from atomx.optional import require


def test_require_imports_an_installed_module():
    assert require('json', 'report') is sys.modules['json']


def test_require_names_the_package_and_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, 'pyarrow', None)  # an import of it now fails
    with pytest.raises(MissingDependencyError) as info:
        require('pyarrow.parquet', 'arrow', 'Report.to_parquet')
    assert str(info.value) == ('Report.to_parquet needs pyarrow, which is not installed: '
                               'pip install "atomx[arrow]" (or pip install pyarrow)')
    assert (info.value.package, info.value.extra) == ('pyarrow', 'arrow')
    assert isinstance(info.value, ImportError) and isinstance(info.value, AtomxError)


@pytest.mark.parametrize('value', [1.0, '3', True, None])
def test_check_count_refuses_what_is_not_an_int(value):
    with pytest.raises(TypeError, match=r'^workers must be an int, not '):
        check_count('workers', value, 1)


def test_check_count_refuses_a_value_below_the_minimum():
    with pytest.raises(ValueError, match=r'^workers must be at least 1, not 0$'):
        check_count('workers', 0, 1)
    assert check_count('workers', 1, 1) == 1


_WITHOUT_WERKZEUG = '''
import sys
sys.modules['werkzeug'] = None  # as if werkzeug were not installed
from atomx.exceptions import MissingDependencyError
try:
    {statement}
except MissingDependencyError as error:
    print(type(error).__name__, error.extra, '|', error)
'''


@pytest.mark.parametrize('statement', [
    'from atomx.sandbox import Sandbox',
    'import atomx.sandbox.server',
    'import atomx.testing; from atomx.sandbox import Sandbox',
])
def test_the_sandbox_without_werkzeug_names_the_sandbox_extra(statement):
    script = _WITHOUT_WERKZEUG.format(statement=statement)
    root = str(pathlib.Path(__file__).resolve().parents[2])  # this checkout's atomx
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join(
        filter(None, [root, os.environ.get('PYTHONPATH')]))}
    done = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                          timeout=60, check=True, env=env, cwd=root)
    assert done.stdout == ('MissingDependencyError sandbox | atomx.sandbox needs werkzeug, '
                           'which is not installed: pip install "atomx[sandbox]" '
                           '(or pip install werkzeug)\n'), done.stderr


def test_no_module_of_atomx_but_the_sandbox_imports_an_optional_package():
    """Every module (the command line, live, bulk, exports...) imports its optional
    packages only when a feature asks; the sandbox is the one that needs werkzeug."""
    code = ('import importlib, pkgutil, sys, atomx\n'
            'for module in pkgutil.iter_modules(atomx.__path__):\n'
            '    if module.name not in ("sandbox", "__main__"):\n'
            '        importlib.import_module("atomx." + module.name)\n'
            'print(sorted({"pandas", "pyarrow", "polars", "dask", "distributed", "websockets",\n'
            '              "werkzeug", "tqdm", "matplotlib"} & set(sys.modules)))')
    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          check=False, cwd=pathlib.Path(__file__).resolve().parents[2])
    assert (done.stdout, done.stderr) == ('[]\n', '')
