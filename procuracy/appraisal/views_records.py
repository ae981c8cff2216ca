"""The record pages: objections (the person sees their own; the unit's chief and
case managers see all and answer them, every answer on the audit trail) and a
prosecutor's performance file, each entry linking to its source. The file's
reading rule is ``performance_file.may_read`` (404 for anyone else)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError
from sqlalchemy import select

from procuracy.appraisal import performance_file as files
from procuracy.appraisal import score_runs
from procuracy.appraisal.page_forms import TextForm
from procuracy.appraisal.page_queries import objection_rows
from procuracy.appraisal.record_schemas import PerformanceQuery
from procuracy.appraisal.rules import PeriodError
from procuracy.appraisal.score_models import Objection
from procuracy.appraisal.scoring import ScoringError
from procuracy.appraisal.views import bp, explain, may_run, unit_from_query
from procuracy.cases.calendar import china_today
from procuracy.extensions import db
from procuracy.tenants.scope import OutOfScope, get_or_404

OBJECTION_STATUSES = ("open", "answered")


@bp.get("/objections")
@login_required
def objections(form: TextForm | None = None, answering: str | None = None, status: int = 200):
    unit = unit_from_query()
    wanted = request.args.get("status") or None
    if wanted not in (None, *OBJECTION_STATUSES):
        abort(400)
    rows = objection_rows(score_runs.objections(g.user, unit, wanted))
    return render_template("appraisal/objections.html", unit=unit, rows=rows, wanted=wanted,
                           answers=may_run(unit.id), form=form or TextForm(formdata=None),
                           answering=answering), status


@bp.post("/objections/<objection_id>/answer")
@login_required
def answer_objection(objection_id: str):
    obj = get_or_404(db.session, Objection, public_id=objection_id)
    form = TextForm()
    if not form.validate_on_submit():
        return objections(form, objection_id, 422)
    try:
        score_runs.answer(g.user, obj, form.text.data)
    except ScoringError as exc:
        db.session.rollback()
        flash(explain(exc), "error")
        return redirect(url_for("appraisal_pages.objections")), 303
    flash(_("The objection has been answered."), "success")
    return redirect(url_for("appraisal_pages.objections"))


@bp.get("/performance/<username>")
@login_required
def performance(username: str):
    """A prosecutor's performance file over a range of periods (this year by default)."""
    today = china_today()
    query = {"from": request.args.get("from") or f"{today.year}-01",
             "to": request.args.get("to") or f"{today.year}-{today.month:02d}"}
    subject = files.person(username)
    if not files.may_read(subject):
        raise OutOfScope(f"performance file of {username}")
    error, record = None, None
    try:
        args = PerformanceQuery().load(query)
        record = files.performance_file(subject, args["period_from"], args["period_to"])
    except ValidationError as exc:
        error = "; ".join(explain(Exception(m)) for ms in exc.messages.values() for m in ms)
    except PeriodError as exc:
        error = explain(exc)
    return render_template("appraisal/performance.html", subject=subject, record=record,
                           query=query, error=error, **_file_labels(record)), \
        422 if error else 200


def _file_labels(record: dict | None) -> dict:
    """Names for the codes a file holds: case kinds (one query), case states, and the
    severity and state of findings."""
    from procuracy.appraisal.review_page_labels import FINDING_STATUSES, SEVERITY
    from procuracy.cases.catalogue_models import CaseKind
    from procuracy.cases.page_labels import CASE_STATUS

    codes = {e["kind"] for e in record["cases"]["entries"]} if record else set()
    kinds = dict(db.session.execute(select(CaseKind.code, CaseKind.name)
                                    .where(CaseKind.code.in_(codes))).all()) if codes else {}
    return {"KIND_NAMES": kinds, "CASE_STATES": CASE_STATUS, "FINDING_SEVERITY": SEVERITY,
            "FINDING_STATES": FINDING_STATUSES}
