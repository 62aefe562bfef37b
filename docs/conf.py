"""Sphinx configuration of the atomx documentation.

Build with ``tox -e docs`` or ``sphinx-build -W --keep-going -b html docs docs/_build/html``.
The build needs no network: the intersphinx inventories of requests, pandas and
Python are written locally by ``_ext/inventories.py``.
"""
import pathlib
import sys
import tempfile

DOCS = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(DOCS.parent), str(DOCS / '_ext')]

import inventories  # noqa: E402  (needs the path above)

from atomx.version import VERSION  # noqa: E402

project = 'atomx'
author = 'the atomx developers'
copyright = '2026, the atomx developers'
release = version = VERSION

extensions = [
    'sphinx.ext.autodoc',
    'sphinx.ext.intersphinx',
    'sphinx.ext.viewcode',
    'cli_help',
    'field_names',
    'model_classes',
    'documented_signatures',
]

exclude_patterns = ['_build']
templates_path: list = []
html_theme = 'alabaster'
html_static_path: list = []

autodoc_member_order = 'bysource'
autodoc_typehints = 'description'
autodoc_default_options = {'members': True, 'show-inheritance': True}

# Written to a temporary folder: the checkout may be read-only; removed when Sphinx exits.
_inventory_folder = tempfile.TemporaryDirectory(prefix='atomx-docs-inventories-')
intersphinx_mapping = {
    name: (url, str(path))
    for name, (url, path) in inventories.write(pathlib.Path(_inventory_folder.name)).items()
}
