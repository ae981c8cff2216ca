"""Web pages: the appraisal pages (rule sets, sandbox, ranking, score trace, performance file).

One blueprint, ``appraisal_pages``, under /appraisal. The routes live in
``views_rules`` (rule sets, the editor, publishing, the sandbox), ``views_runs``
(score runs, the ranking and its Excel export, a person's score with its trace,
raising an objection) and ``views_records`` (answering objections, the performance
file); this module holds the blueprint, what their templates share and the words
for the services' refusals. Pages call the same services as the API
(``api``/``api_records``); who reads what is the scope's and the services' rule,
so an object out of reach is 404 and a role that may not act is 403.
"""
from __future__ import annotations

import re

from flask import Blueprint, g, request
from flask_babel import gettext as _

from procuracy.appraisal.page_labels import LABELS
from procuracy.appraisal.rules import RULE_EDITORS
from procuracy.appraisal.scoring import RUNNERS
from procuracy.extensions import db
from procuracy.tenants.models import Unit
from procuracy.tenants.services import readable_unit

bp = Blueprint("appraisal_pages", __name__, url_prefix="/appraisal")


@bp.context_processor
def _appraisal_globals() -> dict:
    return {**LABELS, "may_run": may_run, "may_edit_rules": may_edit_rules}


def unit_from_query() -> Unit:
    """The unit the query names (``?unit=440105``) if readable, else the user's own."""
    code = (request.args.get("unit") or "").strip()
    return readable_unit(code) if code else db.session.get(Unit, g.user.unit_id)


def may_run(unit_id: int) -> bool:
    """The unit's chief or case managers: compute, publish, answer objections."""
    user = g.get("user")
    return bool(user and user.unit_id == unit_id and user.has_role(*RUNNERS))


def may_edit_rules(unit_id: int) -> bool:
    user = g.get("user")
    return bool(user and user.unit_id == unit_id and user.has_role(*RULE_EDITORS))


REFUSALS = [
    (re.compile(r"^this unit already has a draft"),
     lambda m: _("This unit already has a draft for them: publish or discard it first.")),
    (re.compile(r"^no published template for"),
     lambda m: _("There is no published template above this unit for them.")),
    (re.compile(r"^already published"), lambda m: _("This is already published.")),
    (re.compile(r"^effective_from must not precede version (?P<v>\d+)'s \((?P<d>[^)]+)\)"),
     lambda m: _("The effective date must not precede that of version %(version)s (%(date)s).",
                 version=m["v"], date=m["d"])),
    (re.compile(r"is published and never changes|a published version is never"),
     lambda m: _("A published version never changes: start a new draft.")),
    (re.compile(r"^official scores need a published rule set"),
     lambda m: _("Official scores need a published rule set.")),
    (re.compile(r"^the scores of (?P<p>\S+) under this rule set are published"),
     lambda m: _("The scores of %(period)s are published and never change.", period=m["p"])),
    (re.compile(r"^(?P<p>\S+)'s (?P<a>\w+) scores are already published"),
     lambda m: _("The scores of %(period)s are already published.", period=m["p"])),
    (re.compile(r"^the rule set is for (?P<k>\w+)s, (?P<p>\S+) is a"),
     lambda m: _("This rule set is not for periods like %(period)s.", period=m["p"])),
    (re.compile(r"^objections are raised on published scores"),
     lambda m: _("Objections are raised on published scores.")),
    (re.compile(r"^this item already has your open objection"),
     lambda m: _("This item already has your open objection.")),
    (re.compile(r"^already answered"), lambda m: _("This objection is already answered.")),
    (re.compile(r"^the range ends before it starts"),
     lambda m: _("The range ends before it starts.")),
    (re.compile(r"is not a period"), lambda m: _("Use 2026-03, 2026-Q1 or 2026.")),
]


def explain(exc: Exception) -> str:
    """A service's refusal in the user's language (its own words if unknown)."""
    text = str(exc)
    for pattern, render in REFUSALS:
        match = pattern.search(text)
        if match:
            return render(match)
    return text


# The routes register themselves on ``bp`` when imported.
from procuracy.appraisal import views_records, views_rules, views_runs  # noqa: E402, F401
