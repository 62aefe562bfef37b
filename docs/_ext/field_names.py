"""Parameter names that end in ``_`` (``from_``) kept whole in the rendered docs.

In reST, ``from_`` is a reference to a target named "from", so a docstring's
``:param from_:`` renders as "from" and autodoc, finding no documented
``from_``, adds a second, untyped "from_" entry.  This hook escapes the
trailing underscore of such field names (``:param from\\_:``) before the
docstring is parsed, so the docstrings stay as a Python reader expects them.
"""
from __future__ import annotations

import re
from typing import Any, List

#: ``:param NAME_:``, ``:param TYPE NAME_:`` and ``:type NAME_:`` fields.
_FIELD = re.compile(r'^(\s*:(?:param|parameter|arg|argument|key|keyword|kwarg|kwparam|type)'
                    r'\s+(?:[^:]*\s)?)(\w+)_:')


def escape_trailing_underscores(lines: List[str]) -> None:
    """Escape the trailing ``_`` of field names in ``lines``, in place.

    :param lines: a docstring's lines, as ``autodoc-process-docstring`` gives them.
    """
    for index, line in enumerate(lines):
        lines[index] = _FIELD.sub(r'\1\2\\_:', line)


def _process(app: Any, what: str, name: str, obj: Any, options: Any, lines: List[str]) -> None:
    escape_trailing_underscores(lines)


def setup(app):  # noqa: ANN001, ANN201  (Sphinx's extension entry point)
    app.connect('autodoc-process-docstring', _process)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
