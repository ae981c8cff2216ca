"""Web pages: process monitoring (流程监控). One blueprint, ``monitoring_pages``.

This module holds the rules page (the rules in force with their origin, and the
unit's adjustments within the province's limits) and the alerts page (my inbox, and
the alerts of the units I read, with filters, and a sweep on demand);
``monitoring_views_notices`` holds the notices pages. Every page reads through the
request's scope: a unit or an alert the scope hides is a 404. Bad input re-renders
the page with the problem named (422) and changes nothing.
"""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from procuracy.extensions import db
from procuracy.oversight import monitoring_queries as queries
from procuracy.oversight import monitoring_rules as rules
from procuracy.oversight import monitoring_sweep as sweeps
from procuracy.oversight.monitoring_labels import LABELS
from procuracy.oversight.monitoring_models import SEVERITIES, STEPS
from procuracy.oversight.monitoring_notices import ISSUERS
from procuracy.oversight.monitoring_schemas import MonitoringAlertQuery
from procuracy.tenants.models import Unit
from procuracy.tenants.services import readable_unit, visible_units

bp = Blueprint("monitoring_pages", __name__)


def render(template: str, status: int = 200, **context):
    return render_template(f"oversight/{template}", **LABELS, active="monitoring",
                           severities=SEVERITIES, steps=STEPS,
                           may_issue=g.user.has_role(*ISSUERS), **context), status


@bp.get("/monitoring")
@login_required
def index():
    return redirect(url_for(".alerts_page"))


# ---------------------------------------------------------------- rules
def _rules_page(unit: Unit, status: int = 200, errors: dict | None = None,
                failed: str | None = None):
    found = rules.effective_rules(unit.id)
    codes = rules.unit_codes([r.origin_unit_id for r in found])
    editable = (unit.id == g.user.unit_id and g.user.has_role(*rules.RULE_EDITORS)
                and unit.parent_id is not None)
    return render("monitoring_rules.html", status, unit=unit, units=visible_units(),
                  rules=[rules.rule_out(r, codes) for r in found], editable=editable,
                  errors=errors or {}, failed=failed)


@bp.get("/monitoring/rules")
@login_required
def rules_page():
    code = request.args.get("unit", "")
    unit = readable_unit(code) if code else db.session.get(Unit, g.user.unit_id)
    return _rules_page(unit)


def _adjustment(form, current: rules.EffectiveRule) -> tuple[dict, dict]:
    """The change the form asks for, and what is wrong with its input."""
    change: dict = {"params": {}}
    errors: dict[str, list[str]] = {}
    for name, bound in current.limits.items():
        if not isinstance(bound, dict):
            continue
        raw = (form.get(f"param_{name}") or "").strip()
        if raw and not raw.isdigit():
            errors[f"params.{name}"] = [_("Give a whole number of days.")]
        elif raw and int(raw) != current.param(name):
            change["params"][name] = int(raw)
    for name, allowed in (("severity", SEVERITIES), ("step", STEPS)):
        value = form.get(name)
        if value is not None and value not in allowed:
            errors[name] = [_("Choose one of the options.")]
        elif value and value != getattr(current, name):
            change[name] = value
    if current.limits.get("may_disable") or not current.enabled:
        change["enabled"] = form.get("enabled") == "on"
    change["note"] = (form.get("note") or "")[:500]
    return change, errors


@bp.post("/monitoring/rules/<code>")
@login_required
def adjust_rule(code: str):
    unit = db.session.get(Unit, g.user.unit_id)
    current = rules.rule_for(unit.id, code)
    if current is None:
        return render("monitoring_rules.html", 404, unit=unit, units=[], rules=[],
                      editable=False, errors={}, failed=None)
    change, errors = _adjustment(request.form, current)
    if not errors:
        try:
            rules.adjust(g.user, code, change)
        except rules.RuleRefused as exc:
            db.session.rollback()
            errors = exc.errors
    if errors:
        return _rules_page(unit, 422, errors=errors, failed=code)
    flash(_("The rule is adjusted for your unit."), "success")
    return redirect(url_for(".rules_page"))


@bp.post("/monitoring/rules/<code>/reset")
@login_required
def reset_rule(code: str):
    try:
        rules.reset(g.user, code)
    except LookupError:
        return redirect(url_for(".rules_page"))
    flash(_("Your unit follows the inherited rule again."), "success")
    return redirect(url_for(".rules_page"))


# ---------------------------------------------------------------- alerts
@bp.get("/monitoring/alerts")
@login_required
def alerts_page():
    view = request.args.get("view", "mine")
    may_sweep = g.user.has_role(*sweeps.SWEEPERS)
    if view != "unit":
        return render("monitoring_alerts.html", view="mine", inbox=queries.inbox(g.user),
                      may_sweep=may_sweep, units=visible_units(), filters={}, errors={})
    given = {k: v for k, v in request.args.items() if k != "view" and v != ""}
    try:
        parsed = MonitoringAlertQuery().load(given)
    except ValidationError as exc:
        return render("monitoring_alerts.html", 422, view="unit", alerts=[], filters=given,
                      errors=exc.messages, may_sweep=may_sweep, units=visible_units())
    alerts = queries.describe_alerts(queries.list_alerts(g.user, **parsed))
    return render("monitoring_alerts.html", view="unit", alerts=alerts, filters=given,
                  errors={}, may_sweep=may_sweep, units=visible_units())


@bp.post("/monitoring/sweep")
@login_required
def sweep():
    code = request.form.get("unit") or g.user.unit.code
    unit = readable_unit(code)
    run = sweeps.request_sweep(g.user, unit)
    if run.status == "failed":
        flash(_("The sweep failed: %(message)s", message=run.message), "error")
    elif run.status == "finished":
        flash(_("Sweep finished: %(message)s", message=run.message), "success")
    else:
        flash(_("Sweep queued; the alerts follow when it has run."), "info")
    return redirect(url_for(".alerts_page", view="unit", unit=unit.code))


# The notices pages register themselves on ``bp`` when imported.
from procuracy.oversight import monitoring_views_notices  # noqa: E402, F401
