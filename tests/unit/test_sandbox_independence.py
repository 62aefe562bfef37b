"""The sandbox is a second reading of the API documents: it must not import the SDK."""
from __future__ import annotations

import ast
import pathlib

import atomx.sandbox

#: atomx.optional only says which extra brings werkzeug when it is missing.
ALLOWED = {'atomx.names', 'atomx.optional', 'atomx.protocol', 'atomx.version'}
SDK = {'atomx', 'atomx.session', 'atomx.models', 'atomx.transport', 'atomx.reports',
       'atomx.exceptions', 'atomx.paging'}


def _imports(path: pathlib.Path):
    package = 'atomx.sandbox'
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.module or ''
            else:
                base = package.rsplit('.', node.level - 1)[0] if node.level > 1 else package
                yield f'{base}.{node.module}' if node.module else base


def test_sandbox_modules_import_only_names_protocol_and_version_of_the_sdk():
    folder = pathlib.Path(atomx.sandbox.__file__).parent
    modules = sorted(folder.glob('*.py'))
    assert len(modules) > 10
    seen = set()
    for path in modules:
        for name in _imports(path):
            if name.startswith('atomx') and not name.startswith('atomx.sandbox'):
                seen.add(name)
                assert name in ALLOWED, f'{path.name} imports {name}'
    assert seen == ALLOWED
    assert not SDK & seen
