"""Oversight models: monitoring (filled in by its migration's work)."""
from __future__ import annotations
