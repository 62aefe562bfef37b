"""The Sphinx site builds without a warning, and its reference documents every public name.

"Public" is each name in the ``__all__`` of the modules the reference covers,
and the public methods and properties of the classes among them.  Each must be
in the built site's inventory and have a docstring of its own;
``tests/unit/test_docstrings.py`` checks that those name their parameters,
return values and exceptions.
"""
from __future__ import annotations

import html
import importlib
import inspect
import pathlib
import re
import subprocess
import sys
import zlib
from typing import Any, Iterator

import pytest

pytestmark = pytest.mark.integration

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: The modules the reference covers: every one a page of docs/ documents with
#: ``automodule``, so that a module added to the reference is checked at once.
MODULES = sorted({match for page in (ROOT / 'docs').rglob('*.rst') for match in re.findall(
    r'^\.\. automodule:: ([\w.]+)$', page.read_text(encoding='utf-8'), re.MULTILINE)})


@pytest.fixture(scope='module')
def build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, pathlib.Path]:
    """``sphinx-build -W`` of docs/ into a fresh directory, as ``tox -e docs`` runs it."""
    out = tmp_path_factory.mktemp('html')
    process = subprocess.run(
        [sys.executable, '-m', 'sphinx', '-W', '--keep-going', '-b', 'html', '-d',
         str(out / '.doctrees'), str(ROOT / 'docs'), str(out)],
        capture_output=True, text=True, timeout=300)
    return process, out


def read_inventory(path: pathlib.Path) -> set[str]:
    """The object names of a Sphinx ``objects.inv`` (version 2)."""
    content = path.read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = content.index(b'\n', header_end) + 1
    assert content[:header_end].startswith(b'# Sphinx inventory version 2\n')
    lines = zlib.decompress(content[header_end:]).decode().splitlines()
    return {line.split(' ', 1)[0] for line in lines if line}


def page_text(path: pathlib.Path) -> str:
    """The text of a built HTML page, without tags (highlighting splits code into spans)."""
    return html.unescape(re.sub(r'<[^>]+>', '', path.read_text(encoding='utf-8')))


def public_objects() -> Iterator[tuple[str, Any, str]]:
    """``(dotted name, object, canonical name)`` of every public name and of its classes'
    members; the canonical name is where it is defined."""
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            canonical = f'{getattr(obj, "__module__", "")}.{getattr(obj, "__qualname__", "")}'
            yield f'{module_name}.{name}', obj, canonical
            if inspect.isclass(obj):
                for member, value in vars(obj).items():
                    if not member.startswith('_') and (callable(value) or isinstance(
                            value, (property, classmethod, staticmethod))):
                        yield f'{module_name}.{name}.{member}', value, f'{canonical}.{member}'


def own_docstring(obj: Any) -> str:
    """The object's own docstring (a property's is its getter's), not an inherited one."""
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    return inspect.cleandoc(obj.__doc__ or '')


def test_the_docs_build_without_a_warning(build):
    process, out = build
    assert process.returncode == 0, process.stdout + process.stderr
    assert 'WARNING' not in process.stderr, process.stderr
    assert (out / 'index.html').exists()


def test_the_front_page_takes_install_and_quickstart_from_the_readme(build):
    _, out = build
    readme = (ROOT / 'README.rst').read_text(encoding='utf-8')
    installation = page_text(out / 'installation.html')
    for command in ("python3 -m pip install -e '.[report,sandbox]' && "
                    "python3 examples/quickstart.py",
                    "python3 -m pip install -e '.[test]' && python3 -m pytest"):
        assert command in readme and command in installation
    assert 'is the Python client of the' in page_text(out / 'index.html')


def test_the_command_line_page_shows_each_help_text(build):
    _, out = build
    page = page_text(out / 'cli.html')
    for command in ('get', 'search', 'report', 'watch', 'sandbox'):
        assert f'usage: atomx {command}' in page
    assert page.count('example:') >= 5


def test_every_public_name_is_in_the_reference(build):
    _, out = build
    documented = read_inventory(out / 'objects.inv')
    missing = [name for name, _, canonical in public_objects()
               if name not in documented and canonical not in documented]
    assert not missing, f'not in the API reference: {missing}'


def test_every_public_name_has_a_docstring_of_its_own():
    missing = [name for name, obj, _ in public_objects()
               if (callable(obj) or isinstance(obj, (property, classmethod, staticmethod)))
               and not own_docstring(obj)]
    assert not missing, f'no docstring: {missing}'


def test_names_of_requests_pandas_and_python_link_to_their_docs(build):
    _, out = build
    pages = ''.join(path.read_text(encoding='utf-8') for path in out.rglob('*.html'))
    for url in ('https://requests.readthedocs.io/en/latest/api.html#requests.Session',
                'https://pandas.pydata.org/docs/reference/api/pandas.DataFrame.html'
                '#pandas.DataFrame',
                'https://docs.python.org/3/library/datetime.html#datetime.datetime'):
        assert f'href="{url}"' in pages


def test_overloaded_verbs_show_their_documented_signature(build):
    # the @overload variants are for type checkers; the reference shows the API's signature
    _, out = build
    page = page_text(out / 'api' / 'session.html')
    assert 'get(resource, *args, **kwargs)' in page
    assert 'iter(resource, *args, page_size=1000, progress=False, prefetch=False, **kwargs)' \
        in page
    assert 'get(resource: Type[ModelT]' not in page and 'iter(resource: Type' not in page
