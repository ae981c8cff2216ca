"""Web pages: the problem ledger and inspection pages."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ledger_pages", __name__)
