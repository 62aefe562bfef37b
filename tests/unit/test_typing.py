"""Type hints that help an editor and mypy: ``mypy --strict`` on a user's typed script
passes, and on a script with deliberate mistakes reports each of them; and the
editable install of README's command is one that mypy can follow."""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest
from mypy import api as mypy_api

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / 'tests' / 'typing'
#: atomx as an installed, typed package (py.typed): its own modules are followed for
#: their types, their errors silenced, as mypy treats any package in site-packages.
CONFIG = f"""
[mypy]
mypy_path = {ROOT}
[mypy-atomx.*]
follow_imports = silent
"""


@pytest.fixture(scope='module')
def strict(tmp_path_factory):
    """``strict(script)``: ``mypy --strict script``, its report and exit status.

    The runs of this module share one cache (outside the checkout): the first
    reads atomx and its dependencies' stubs, the next only the script.
    """
    folder = tmp_path_factory.mktemp('mypy')
    config = folder / 'mypy.ini'
    config.write_text(CONFIG, encoding='utf-8')

    def run(script: pathlib.Path) -> tuple[str, int]:
        out, err, status = mypy_api.run([
            '--strict', '--config-file', str(config), '--no-error-summary',
            '--show-error-codes', '--cache-dir', str(folder / 'cache'), str(script)])
        return out + err, status
    return run


def test_a_typed_script_using_the_public_api_passes_mypy_strict(strict):
    report, status = strict(SCRIPTS / 'typed_script.py')
    assert (status, report) == (0, '')


def test_each_deliberate_type_error_is_reported(strict):
    script = SCRIPTS / 'typed_mistakes.py'
    expected = {number: code for number, line in enumerate(
        script.read_text(encoding='utf-8').splitlines(), start=1)
        for code in re.findall(r'# error: ([\w-]+)', line)}
    assert len(expected) == 9
    report, status = strict(script)
    assert status == 1
    found = {int(number): code for number, code in re.findall(
        r'typed_mistakes\.py:(\d+): error: .*\[([\w-]+)\]$', report, re.MULTILINE)}
    assert found == expected, report


def test_the_editable_install_is_a_path_file_that_mypy_reads():
    # setuptools' default editable install of a flat layout is an import hook, which
    # mypy cannot follow; with package_dir {'': '.'} it is a .pth of the project
    # directory, which mypy reads like any site-packages entry.
    code = (
        'import warnings; warnings.simplefilter("ignore")\n'
        'import setuptools  # noqa: F401  (its distutils, also on Python 3.12+)\n'
        'from distutils.core import run_setup\n'
        'command = run_setup("setup.py", stop_after="init").get_command_obj("editable_wheel")\n'
        'command.ensure_finalized()\n'
        'print(type(command._select_strategy("atomx", "py3-none-any", "build")).__name__)\n')
    done = subprocess.run([sys.executable, '-c', code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.strip() == '_StaticPth', done.stderr
