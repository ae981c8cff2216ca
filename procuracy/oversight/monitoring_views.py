"""Web pages: the process monitoring pages (rules, alerts, notices)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("monitoring_pages", __name__)
