"""Web pages: the appraisal pages (rule sets, sandbox, ranking, score trace, performance file)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("appraisal_pages", __name__)
