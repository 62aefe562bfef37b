"""``.. atomx-help:: [COMMAND]``: the ``--help`` text of the ``atomx`` command line.

The text is what ``python -m atomx [COMMAND] --help`` prints at 80 columns, run
at build time, so the page cannot drift from the parser.
"""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

ROOT = pathlib.Path(__file__).resolve().parents[2]


def help_text(*command: str) -> str:
    """What ``atomx [command] --help`` prints."""
    env = {**os.environ, 'COLUMNS': '80',
           'PYTHONPATH': os.pathsep.join(filter(None, [str(ROOT), os.environ.get('PYTHONPATH')]))}
    process = subprocess.run([sys.executable, '-m', 'atomx', *command, '--help'], env=env,
                             capture_output=True, text=True, timeout=60, check=False)
    if process.returncode != 0:
        raise RuntimeError(f'atomx {" ".join(command)} --help failed: {process.stderr}')
    return process.stdout.rstrip()


class AtomxHelp(SphinxDirective):
    """A literal block with the help text of ``atomx`` or one of its sub-commands."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        text = help_text(*self.arguments)
        block = nodes.literal_block(text, text)
        block['language'] = 'text'
        return [block]


def setup(app):  # noqa: ANN001, ANN201  (Sphinx's extension entry point)
    app.add_directive('atomx-help', AtomxHelp)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
