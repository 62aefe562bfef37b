"""The reference shows each method's own signature, not its typing overloads.

``Atomx.get`` and ``Atomx.iter`` carry ``@overload`` variants so that a type
checker knows that ``get(Profile, 3)`` is a ``Profile``; their docstrings say
so.  autodoc would print every variant in place of the documented signature
(``get(resource, *args, **kwargs)``).  autodoc reads the variants from its
(cached) source analysis of the module; this extension empties them there
before any page is read, so the signature printed is the one the code runs and
the API documents.
"""
from __future__ import annotations

from sphinx.pycode import ModuleAnalyzer

#: The modules whose overloads are for type checkers only.
MODULES = ('atomx.session',)


def _forget_overloads(app) -> None:  # noqa: ANN001  (the Sphinx application)
    for module in MODULES:
        analyzer = ModuleAnalyzer.for_module(module)  # cached: autodoc gets this one
        analyzer.analyze()
        analyzer.overloads.clear()


def setup(app):  # noqa: ANN001, ANN201  (Sphinx's extension entry point)
    app.connect('builder-inited', _forget_overloads)
    return {'parallel_read_safe': True}
