"""The example of docs/sandbox.rst, a script and its pytest test, passes as a user runs it.

Each Python block of the page starts with ``# FILE.py`` comments; the test writes
those files to a fresh directory and runs pytest there in a subprocess, with
``atomx.testing`` as the page tells users to load it.
"""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import pytest
from rst_blocks import python_blocks

pytestmark = pytest.mark.integration

ROOT = pathlib.Path(__file__).resolve().parents[2]
SANDBOX_PAGE = ROOT / 'docs' / 'sandbox.rst'
_FILE_COMMENT = re.compile(r'^# (\w+\.py)\n', re.MULTILINE)


def example_files(text: str) -> dict[str, str]:
    """File name -> content of the ``# FILE.py`` sections of a page's Python blocks."""
    files: dict[str, str] = {}
    for _, code in python_blocks(text):
        parts = _FILE_COMMENT.split(code)
        assert parts[0].strip() == '', f'a block without a "# FILE.py" line: {code!r}'
        for name, content in zip(parts[1::2], parts[2::2]):
            files[name] = files.get(name, '') + content
    return files


def test_example_files_splits_blocks_by_file_comment():
    text = ('.. code-block:: python\n\n    # a.py\n    x = 1\n\n    # b.py\n    y = 2\n\n'
            '.. code-block:: python\n\n    # a.py\n    z = 3\n')
    assert example_files(text) == {'a.py': 'x = 1\n\nz = 3\n', 'b.py': 'y = 2\n\n'}


def test_the_sandbox_page_example_passes_with_pytest(tmp_path):
    files = example_files(SANDBOX_PAGE.read_text(encoding='utf-8'))
    assert set(files) == {'myscript.py', 'conftest.py', 'test_myscript.py'}
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding='utf-8')
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join(
        filter(None, [str(ROOT), str(tmp_path), os.environ.get('PYTHONPATH')]))}
    process = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider'],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stdout + process.stderr
    assert '1 passed' in process.stdout
