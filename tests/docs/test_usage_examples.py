"""Every Python example of docs/usage.rst runs, in order, against a fresh sandbox.

The page's examples log in to ``http://127.0.0.1:6543/v3``, the sandbox's
default port; the test points that URL at its own sandbox and changes nothing
else, so the page cannot drift from the code.
"""
from __future__ import annotations

import pathlib

import matplotlib
import pytest
from rst_blocks import python_blocks, run_page_examples

from atomx.sandbox import Sandbox

pytestmark = pytest.mark.integration

USAGE = pathlib.Path(__file__).resolve().parents[2] / 'docs' / 'usage.rst'


def test_python_blocks_finds_each_block_with_its_line():
    text = 'Title\n\n.. code-block:: python\n\n    a = 1\n\n    b = 2\n\ntext\n\n' \
           '.. code-block:: console\n\n    $ ls\n\n.. code-block:: python\n\n    c = 3\n'
    assert python_blocks(text) == [(5, 'a = 1\n\nb = 2\n\n'), (17, 'c = 3\n')]


def test_every_usage_example_runs_against_the_sandbox(capsys):
    matplotlib.use('Agg')  # the plots of the report example need no screen
    namespace: dict = {'__name__': 'usage'}
    with Sandbox() as sandbox:
        run_page_examples(USAGE, namespace, sandbox.url, minimum=15)
    out = capsys.readouterr().out
    assert out.startswith('demo@example.com\n')
    assert 'Creative ID: 1, state: ' in out
    assert "404 GET advertiser/999999" in out
    atomx = namespace['atomx']
    assert atomx.auth_token is None and atomx.user is None  # the last block logged out
    assert namespace['profile'].deleted is True
