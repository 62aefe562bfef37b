"""Interim placeholder, replaced by the foundation issue (#2)."""
from __future__ import annotations


class Atomx:
    """Placeholder session."""
