"""Interim placeholder, replaced by the reports issue (#4)."""
from __future__ import annotations

from typing import Any


class Report:
    """Placeholder report."""

    def __init__(self, id: Any, session: Any = None, **kwargs: Any) -> None:
        self.id = id
        self.session = session


def create_report(session: Any, **params: Any) -> Report:
    """Placeholder."""
    raise NotImplementedError('reports arrive with issue #4')
