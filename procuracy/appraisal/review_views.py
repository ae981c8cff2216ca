"""Web pages: the case quality review pages (案件质量评查), blueprint ``review_pages``.

The routes live in ``review_views_plans`` (plans, the draw, the start),
``review_views_reviews`` (the reviewer's work list, the review form, second review
and the dispute), ``review_views_findings`` (findings, Shandong's discovery status,
the ledger hand-over) and ``review_views_stats`` (statistics and the Excel export).
They call the same services as the API (``review_api``); who sees what is the
scope's business, so anything out of it answers 404.
"""
from __future__ import annotations

from flask import Blueprint, g, url_for

from procuracy.appraisal.review_page_labels import page_labels
from procuracy.appraisal.review_plans import ISSUERS

bp = Blueprint("review_pages", __name__)


@bp.context_processor
def _review_globals() -> dict:
    user = g.get("user")
    return {**page_labels(), "review_css": url_for("static", filename="css/review.css"),
            "may_plan": user is not None and user.has_role(*ISSUERS)}


# The routes register themselves on ``bp`` when imported.
from procuracy.appraisal import (  # noqa: E402, F401
    review_views_findings,
    review_views_plans,
    review_views_reviews,
    review_views_stats,
)
