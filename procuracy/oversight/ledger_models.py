"""Oversight models: ledger (filled in by its migration's work)."""
from __future__ import annotations
