"""Interim placeholder, replaced by the models issue (#3)."""
from __future__ import annotations

from typing import Any

from .names import resource_path


class AtomxModel:
    """Placeholder base model."""

    _resource_name = ''

    def __init__(self, id: Any = None, session: Any = None, **attributes: Any) -> None:
        self.id = id
        self.session = session
        self._attributes = dict(attributes)


def from_payload(resource: str, payload: Any, session: Any) -> Any:
    """Placeholder: returns the payload as decoded."""
    return payload


__all__ = ['AtomxModel', 'from_payload', 'resource_path']
