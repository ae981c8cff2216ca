"""Web pages: the case quality review pages (plans, work list, review form, statistics)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("review_pages", __name__)
