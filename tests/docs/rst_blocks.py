"""Reading the Python examples out of the reST pages of docs/, for the tests that run them."""
from __future__ import annotations

import re
import textwrap

_BLOCK = re.compile(r'^\.\. code-block:: python\n\n((?:(?:    .*)?\n)+)', re.MULTILINE)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """``(line number, code)`` of each ``.. code-block:: python`` of a reST text."""
    return [(text.count('\n', 0, match.start()) + 3, textwrap.dedent(match.group(1)))
            for match in _BLOCK.finditer(text)]
