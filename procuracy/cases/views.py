"""Web pages: the case pages (my cases, unit case list, case detail, rotation board,
decision inbox). One blueprint, ``case_pages``.

The routes live in ``views_list`` (my cases, the unit's list, its Excel export),
``views_case`` (one case: detail, documents, decisions, a draw's replay data) and
``views_work`` (the rotation board and the decision inbox); this module holds the
blueprint, the navigation flag and what every case template may use. Every page
needs a signed-in user and reads through the request's scope: a case the scope
hides is a 404.

Messages: procuracy/cases/translations (short labels carry the context "case"):
    pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 \
        -o /tmp/cases.pot procuracy/cases templates/cases
(with babel.cfg's patterns as ``**.py`` and ``**.html``: pybabel matches them
relative to each input folder), then ``pybabel update`` and ``make translations``.
"""
from __future__ import annotations

from flask import Blueprint, g, render_template

from procuracy.cases.page_labels import LABELS
from procuracy.cases.page_models import decides

bp = Blueprint("case_pages", __name__)


@bp.app_context_processor
def _nav() -> dict:
    return {"nav_decides": decides(g.get("user"))}


def render(template: str, status: int = 200, **context):
    """A case page with the case labels."""
    return render_template(f"cases/{template}", **LABELS, **context), status


# The routes register themselves on ``bp`` when imported.
from procuracy.cases import views_case, views_list, views_work  # noqa: E402, F401
