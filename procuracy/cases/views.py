"""Web pages: the case pages (my cases, unit case list, case detail, rotation board, decision inbox)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("case_pages", __name__)
