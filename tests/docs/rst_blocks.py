"""Reading the Python examples out of the reST pages of docs/, for the tests that run them."""
from __future__ import annotations

import pathlib
import re
import textwrap

_BLOCK = re.compile(r'^\.\. code-block:: python\n\n((?:(?:    .*)?\n)+)', re.MULTILINE)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """``(line number, code)`` of each ``.. code-block:: python`` of a reST text."""
    return [(text.count('\n', 0, match.start()) + 3, textwrap.dedent(match.group(1)))
            for match in _BLOCK.finditer(text)]


#: The endpoint the pages' examples log in to: ``atomx sandbox``'s default port.
DOCUMENTED_ENDPOINT = 'http://127.0.0.1:6543/v3'


def run_page_examples(page: pathlib.Path, namespace: dict, url: str, minimum: int) -> None:
    """Run a page's Python blocks in order in ``namespace``, with the documented
    endpoint (written once, in the login) pointed at ``url``."""
    blocks = python_blocks(page.read_text(encoding='utf-8'))
    assert len(blocks) >= minimum, f'{page.name} lost its examples'
    assert sum(code.count(DOCUMENTED_ENDPOINT) for _, code in blocks) == 1
    for line, code in blocks:
        source = code.replace(DOCUMENTED_ENDPOINT, url)
        exec(compile(source, f'{page}:{line}', 'exec'), namespace)  # noqa: S102
