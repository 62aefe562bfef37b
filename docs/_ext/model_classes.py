"""``.. atomx-model-classes::``: an ``autoclass`` entry for each generated model.

The model classes are made from the one list :data:`atomx.names.MODEL_NAMES`;
this directive reads the same list, so a new model appears in the reference
without anyone editing a page.
"""
from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from atomx.names import MODEL_NAMES


class ModelClasses(SphinxDirective):
    """Document every class of :data:`~atomx.names.MODEL_NAMES` with autodoc."""

    def run(self) -> list[nodes.Node]:
        lines = StringList()
        for name in MODEL_NAMES:
            for line in (f'.. autoclass:: atomx.models.{name}', '   :show-inheritance:', ''):
                lines.append(line, '<atomx-model-classes>')
        container = nodes.container()
        nested_parse_with_titles(self.state, lines, container)
        return container.children


def setup(app):  # noqa: ANN001, ANN201  (Sphinx's extension entry point)
    app.add_directive('atomx-model-classes', ModelClasses)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
