"""The score pages: a unit's runs (and computing a period), the monthly ranking
with its Excel export and publication, a person's score with the trace of every
point, and raising an objection to one item. Who reads which run and trace is
``score_runs``' rule (out of reach is 404); who computes and publishes, its too."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from procuracy.appraisal import rules, score_runs, scoring
from procuracy.appraisal.page_forms import ComputeForm, ConfirmForm, TextForm
from procuracy.appraisal.page_queries import objections_on, rule_sets_by_id
from procuracy.appraisal.page_ranking import ranking_table, workbook
from procuracy.appraisal.rule_models import Aspect, RuleSet
from procuracy.appraisal.rules import PeriodError, period_containing
from procuracy.appraisal.score_models import ScoreRun
from procuracy.appraisal.scoring import ScoringError
from procuracy.appraisal.views import bp, explain, unit_from_query
from procuracy.cases.calendar import china_today
from procuracy.extensions import db
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import OutOfScope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/")
@login_required
def index():
    return redirect(url_for("appraisal_pages.runs"))


def _compute_form() -> ComputeForm:
    form = ComputeForm(formdata=None)
    form.period.data = period_containing(china_today(), "month").previous().text
    return form


@bp.get("/runs")
@login_required
def runs(form: ComputeForm | None = None, status: int = 200):
    """The unit's score runs; people outside the unit's leaders and case management
    see the published official ones."""
    unit = unit_from_query()
    period = (request.args.get("period") or "").strip() or None
    found = score_runs.runs(g.user, unit, period)
    versions = rule_sets_by_id({r.rule_set_id for r in found})
    return render_template("appraisal/runs.html", unit=unit, runs=found, versions=versions,
                           period=period, form=form or _compute_form()), status


@bp.post("/runs")
@login_required
def compute_run():
    """Compute my unit's official scores of a period under the rule set in force."""
    unit = db.session.get(Unit, g.user.unit_id)
    form = ComputeForm()
    if not form.validate_on_submit():
        return runs(form, 422)
    try:
        p = rules.parse_period(form.period.data.strip())
        rs = rules.effective_rule_set(unit, form.audience.data, p.kind, p.start)
        if rs is None:
            flash(_("No rule set is in force for them in %(period)s.", period=p.text), "error")
            return runs(form, 422)
        run = scoring.compute(unit, rs, p.text, "official", g.user)
    except (ScoringError, PeriodError) as exc:
        db.session.rollback()
        flash(explain(exc), "error")
        return runs(form, 422)
    flash(_("The scores of %(period)s have been computed.", period=run.period), "success")
    return redirect(url_for("appraisal_pages.ranking", run_id=run.public_id))


@bp.get("/ranking")
@login_required
def ranking_of_period():
    """The ranking by unit and period (``?unit=440105&period=2026-03``): the official
    run, the published one first."""
    unit = unit_from_query()
    period = (request.args.get("period") or "").strip()
    audience = (request.args.get("audience") or "prosecutor").strip()
    found = [r for r in score_runs.runs(g.user, unit, period or None, "official")]
    versions = rule_sets_by_id({r.rule_set_id for r in found})
    found = [r for r in found if versions.get(r.rule_set_id) is not None
             and versions[r.rule_set_id].audience == audience]
    if not found:
        raise OutOfScope(f"no {audience} ranking of {unit.code} {period}")
    best = sorted(found, key=lambda r: (r.status != "published", -r.id))[0]
    return redirect(url_for("appraisal_pages.ranking", run_id=best.public_id))


@bp.get("/runs/<run_id>")
@login_required
def ranking(run_id: str):
    run = score_runs.run_for(g.user, run_id)
    table = ranking_table(run)
    unit = db.session.get(Unit, run.unit_id)
    may_trace = score_runs.reads_everything_of(g.user, run.unit_id)
    return render_template("appraisal/ranking.html", run=run, unit=unit, table=table,
                           may_trace=may_trace, confirm=ConfirmForm())


@bp.get("/runs/<run_id>/ranking.xlsx")
@login_required
def ranking_xlsx(run_id: str):
    run = score_runs.run_for(g.user, run_id)
    unit = db.session.get(Unit, run.unit_id)
    data = workbook(run, unit.name, ranking_table(run))
    name = f"{unit.code}-{run.period}-ranking.xlsx"
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename={name}; filename*=UTF-8''{quote(name)}"})


@bp.post("/runs/<run_id>/publish")
@login_required
def publish_run(run_id: str):
    run = score_runs.run_for(g.user, run_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        score_runs.publish(run, g.user)
    except ScoringError as exc:
        db.session.rollback()
        flash(explain(exc), "error")
        return redirect(url_for("appraisal_pages.ranking", run_id=run_id)), 303
    flash(_("The scores of %(period)s are published to the unit.", period=run.period),
          "success")
    return redirect(url_for("appraisal_pages.ranking", run_id=run_id))


@bp.get("/runs/<run_id>/scores/<username>")
@login_required
def person_score(run_id: str, username: str, form: TextForm | None = None,
                 item_id: int | None = None, status: int = 200):
    """A person's score: every item with its points and the cases, events and reviews
    that produced them; the person objects to an item here."""
    run = score_runs.run_for(g.user, run_id)
    score = score_runs.person_score(g.user, run, username)
    rs = db.session.get(RuleSet, run.rule_set_id)
    aspect_names = dict(db.session.execute(
        select(Aspect.code, Aspect.name).where(Aspect.rule_set_id == run.rule_set_id)
    ).all()) if rs else {}
    objections = objections_on([i["id"] for i in score["items"]])
    mine = g.user.username == username
    may_object = mine and run.kind == "official" and run.status == "published"
    return render_template("appraisal/score.html", run=run, score=score, rs=rs,
                           aspect_names=aspect_names, objections=objections,
                           may_object=may_object, form=form or TextForm(formdata=None),
                           form_item=item_id), status


@bp.post("/items/<int:item_id>/objections")
@login_required
def raise_objection(item_id: int):
    item = score_runs.item_for(g.user, item_id)
    run = db.session.get(ScoreRun, item.run_id)
    if run is None:
        raise OutOfScope(f"ScoreItem {item_id}")
    form = TextForm()
    back = url_for("appraisal_pages.person_score", run_id=run.public_id,
                   username=g.user.username)
    if not form.validate_on_submit():
        return person_score(run.public_id, g.user.username, form, item_id, 422)
    try:
        score_runs.objection(g.user, item, form.text.data)
    except ScoringError as exc:
        db.session.rollback()
        flash(explain(exc), "error")
        return redirect(back), 303
    flash(_("Your objection has been raised; case management will answer it."), "success")
    return redirect(back + f"#item-{item_id}")
