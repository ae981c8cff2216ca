"""Review plan pages: the list and the form to plan a review, one plan with its
sample (seed, population, drawn and must-review cases, the replay), the draw and
the start (reviewers; a cross-review issues the order)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from procuracy.appraisal import checklists, review_page_queries, review_plans
from procuracy.appraisal.review_models import MUST_REVIEW, PLAN_TYPES, Checklist
from procuracy.appraisal.review_page_forms import explain, load, plan_body, public_id
from procuracy.appraisal.review_schemas import ReplayOut, StartIn
from procuracy.appraisal.review_views import bp
from procuracy.cases.catalogue_models import LINES
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Unit


def _defaults() -> MultiDict:
    today = utcnow().date()
    published = [c for c in checklists.visible_checklists() if c.status == "published"]
    return MultiDict([
        ("checklist", str(published[0].id) if published else ""), ("type", "regular"),
        ("date_from", date(today.year, 1, 1).isoformat()), ("date_to", today.isoformat()),
        ("sample_mode", "rate"), ("sample_value", "10"),
        *[("must_review", kind) for kind in MUST_REVIEW],
        ("starts_on", today.isoformat()), ("ends_on", (today + timedelta(days=30)).isoformat())])


def _plans_page(values: MultiDict, errors: dict | None = None, status: int = 200):
    plans = review_plans.plans_out(review_plans.visible_plans())
    units = review_page_queries.plannable_units(g.user) if g.user.has_role(
        *review_plans.ISSUERS) else []
    published = [c for c in checklists.visible_checklists() if c.status == "published"]
    return render_template(
        "review/plans.html", plans=plans, values=values, errors=errors or {}, units=units,
        checklists=published, plan_types=PLAN_TYPES, must_review=MUST_REVIEW,
        lines=LINES), status


@bp.get("/review/plans")
@login_required
def plans():
    return _plans_page(_defaults())


@bp.post("/review/plans")
@login_required
def create_plan():
    review_plans.check_issuer(g.user)
    try:
        body = plan_body(request.form)
        body["checklist_id"] = body.pop("checklist")
        plan = review_plans.create_plan(g.user, **body)
    except ValidationError as exc:
        db.session.rollback()
        return _plans_page(request.form, explain(exc.messages), 422)
    except review_plans.PlanRejected as exc:
        db.session.rollback()
        field = {"filters": "kinds", "starts_at": "starts_on", "ends_at": "ends_on",
                 "checklist_id": "checklist"}.get(exc.field, exc.field)
        return _plans_page(request.form, explain({field: [str(exc)]}), 422)
    flash(_("The plan has been created. Draw its sample when ready."), "success")
    return redirect(url_for("review_pages.plan", plan_id=plan.public_id))


def _plan_page(plan, errors: dict | None = None, status: int = 200, chosen=()):
    out = review_plans.plans_out([plan])[0]
    checklist = db.session.get(Checklist, plan.checklist_id)
    sample = replay = None
    if plan.seed:
        try:
            sample = review_plans.sample_out(plan)
            replay = review_plans.replay_sample(plan)
        except PermissionError:
            sample = replay = None
    mine = g.user.unit_id == plan.unit_id and g.user.has_role(*review_plans.ISSUERS)
    reviewing_unit, people = (review_page_queries.candidate_reviewers(plan)
                              if mine and plan.status == "drawn" else (None, []))
    reviews = review_page_queries.plan_reviews(plan, g.user) if plan.status != "draft" else []
    reviewed = [db.session.get(Unit, i) for i in plan.unit_ids[:1]]
    return render_template(
        "review/plan.html", plan=plan, out=out, checklist=checklist, sample=sample,
        replay=replay, may_act=mine, reviewing_unit=reviewing_unit, people=people,
        reviews=reviews, errors=errors or {}, chosen=set(chosen),
        reviewed_unit=reviewed[0] if reviewed else None), status


@bp.get("/review/plans/<plan_id>")
@login_required
def plan(plan_id: str):
    return _plan_page(review_plans.get_plan(public_id(plan_id)))


@bp.post("/review/plans/<plan_id>/draw")
@login_required
def draw(plan_id: str):
    plan = review_plans.get_plan(public_id(plan_id))
    try:
        samples = review_plans.draw_sample(plan, g.user)
    except review_plans.PlanRejected as exc:
        db.session.rollback()
        return _plan_page(plan, explain({"draw": [str(exc)]}), 422)
    flash(_("%(n)d cases have been drawn.", n=len(samples)), "success")
    return redirect(url_for("review_pages.plan", plan_id=plan.public_id))


@bp.post("/review/plans/<plan_id>/start")
@login_required
def start(plan_id: str):
    plan = review_plans.get_plan(public_id(plan_id))
    chosen = request.form.getlist("reviewers")
    try:
        body = load(StartIn(), {"reviewers": chosen})
        review_plans.start_review(plan, g.user, body["reviewers"])
    except ValidationError as exc:
        db.session.rollback()
        return _plan_page(plan, explain(exc.messages), 422, chosen)
    except review_plans.PlanRejected as exc:
        db.session.rollback()
        return _plan_page(plan, explain({"reviewers": [str(exc)]}), 422, chosen)
    flash(_("The review has started: the reviewers find the cases in their work lists."),
          "success")
    return redirect(url_for("review_pages.plan", plan_id=plan.public_id))


@bp.get("/review/plans/<plan_id>/replay")
@login_required
def replay(plan_id: str):
    """The replay data: the sample recomputed from the stored seed (JSON)."""
    plan = review_plans.get_plan(public_id(plan_id))
    try:
        data = review_plans.replay_sample(plan)
    except review_plans.PlanRejected as exc:
        return jsonify({"code": 422, "status": str(exc)}), 422
    return jsonify(ReplayOut().dump(data))
