"""Web pages of inspections (督察), on the ledger's blueprint: the list with the plan
form, one inspection with its findings (each linked to its ledger entry), the form
to record a finding, closing, and asking for the PDF report (followed on /jobs)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import ValidationError

from procuracy.extensions import db
from procuracy.oversight import inspection_out, inspections
from procuracy.oversight.ledger import LedgerRejected
from procuracy.oversight.ledger_models import SEVERITIES, TOPICS
from procuracy.oversight.ledger_schemas import FindingIn, InspectionCloseIn, InspectionIn
from procuracy.oversight.ledger_views import LABELS, bp
from procuracy.tenants.services import visible_units

TOPIC_LABELS = {"leaders_cases": _l("Leaders' own case handling"),
                "case_quality": _l("Case quality"), "process": _l("Case process"),
                "discipline": _l("Conduct and discipline"), "other": _l("Other")}


def _split(value: str) -> list[str]:
    return [p for p in value.replace("，", ",").replace(" ", ",").split(",") if p]


def _targets_below():
    own = g.user.unit_id
    return [u for u in visible_units() if u.id != own]


@bp.get("/inspections")
@login_required
def inspections_page():
    items = inspection_out.many(inspections.list_inspections(request.args.get("status")))
    may_plan = g.user.has_role(*inspections.PLANNERS)
    return render_template("oversight/inspections.html", items=items, may_plan=may_plan,
                           units=_targets_below() if may_plan else [], topics=TOPICS,
                           TOPIC_LABELS=TOPIC_LABELS, form={}, active="inspections")


@bp.post("/inspections")
@login_required
def plan():
    form = request.form
    raw = {"title": form.get("title", ""), "topic": form.get("topic", ""),
           "units": form.getlist("units"), "with_descendants": bool(form.get("with_descendants")),
           "period_from": form.get("period_from", ""), "period_to": form.get("period_to", ""),
           "team": _split(form.get("team", ""))}
    try:
        data = InspectionIn().load(raw)
        inspection = inspections.plan(g.user, **data)
    except ValidationError as exc:
        flash(_("The inspection was not planned: check %(fields)s.",
                fields="、".join(sorted(exc.messages))), "error")
        return redirect(url_for(".inspections_page"))
    except LedgerRejected as exc:
        db.session.rollback()
        flash(_("The inspection was not planned: %(message)s", message=str(exc)), "error")
        return redirect(url_for(".inspections_page"))
    flash(_("Inspection planned."), "success")
    return redirect(url_for(".inspection_page", inspection_id=inspection.public_id))


@bp.get("/inspections/<inspection_id>")
@login_required
def inspection_page(inspection_id: str):
    item = inspection_out.one(inspection_id, g.user)
    return render_template("oversight/inspection.html", i=item, severities=SEVERITIES,
                           TOPIC_LABELS=TOPIC_LABELS, active="inspections", **LABELS)


def _back(inspection_id: str):
    return redirect(url_for(".inspection_page", inspection_id=inspection_id))


@bp.post("/inspections/<inspection_id>/findings")
@login_required
def add_finding(inspection_id: str):
    inspection = inspections.get_inspection(inspection_id)
    fields = ("unit", "problem", "severity", "case", "handler", "responsible", "deadline")
    try:
        data = FindingIn().load({k: v for k, v in request.form.items() if k in fields and v})
        inspections.add_finding(inspection, g.user, **data)
    except ValidationError as exc:
        flash(_("The finding was not recorded: check %(fields)s.",
                fields="、".join(sorted(exc.messages))), "error")
        return _back(inspection_id)
    except LedgerRejected as exc:
        db.session.rollback()
        flash(_("The finding was not recorded: %(message)s", message=str(exc)), "error")
        return _back(inspection_id)
    flash(_("Finding recorded on the unit's ledger."), "success")
    return _back(inspection_id)


@bp.post("/inspections/<inspection_id>/close")
@login_required
def close(inspection_id: str):
    inspection = inspections.get_inspection(inspection_id)
    try:
        data = InspectionCloseIn().load({"conclusion": request.form.get("conclusion", "")})
        inspections.close(inspection, g.user, conclusion=data["conclusion"])
    except (ValidationError, LedgerRejected):
        db.session.rollback()
        flash(_("Write the inspection's conclusion."), "error")
        return _back(inspection_id)
    flash(_("Inspection closed."), "success")
    return _back(inspection_id)


@bp.post("/inspections/<inspection_id>/report")
@login_required
def report(inspection_id: str):
    inspection = inspections.get_inspection(inspection_id)
    run = inspections.request_report(inspection, g.user)
    if run.status == "failed":
        flash(_("The report could not be built: %(message)s", message=run.message), "error")
    else:
        flash(_("Report requested: follow it on the report jobs page."), "success")
    return redirect(url_for("jobs_pages.jobs_page"))
