"""Case quality review API (案件质量评查) under /api/v1/review: checklists, plans and
their sample, the reviewer's work list and form, findings, statistics, unit score.

Handlers are thin: a schema parses, a service acts, a schema answers. Ids in URLs
are public ids (checklists: their number). A refusal of the content is 422 with
the field named, a refusal of the role 403, anything out of scope 404.
"""
from __future__ import annotations

from functools import wraps

from flask import g
from flask_smorest import Blueprint, abort

from procuracy.appraisal import checklists, review_findings, review_plans, review_stats, reviewing
from procuracy.appraisal.review_schemas import (
    BreakdownOut,
    ChecklistOut,
    ChecklistQuery,
    DiscoveryIn,
    FindingOut,
    FindingQuery,
    HandoverOut,
    MyReviewOut,
    PeriodQuery,
    PlanIn,
    PlanOut,
    PlanQuery,
    ReplayOut,
    ResolveIn,
    ResultsIn,
    ReviewFormOut,
    ReviewQuery,
    SampleOut,
    ScoreOut,
    ScoreQuery,
    StartIn,
    StatsOut,
)
from procuracy.extensions import db
from procuracy.tenants.models import Unit
from procuracy.tenants.principal import require_user
from procuracy.tenants.scope import OutOfScope, system_scope
from procuracy.tenants.services import readable_unit

bp = Blueprint("review", __name__, url_prefix="/api/v1/review",
               description="Case quality review (案件质量评查): checklists, plans and samples, "
                           "reviews, findings, statistics, the unit score")

REFUSALS = (checklists.ChecklistError, review_plans.PlanRejected, reviewing.ReviewRejected,
            review_findings.FindingRejected)


def refusals(view):
    """Content refusals of the services → 422 with the field named."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except REFUSALS as exc:
            db.session.rollback()
            abort(422, message=str(exc), errors={"json": exc.errors})

    return wrapper


# ---------------------------------------------------------------- checklists
def _checklist_out(checklist, with_items: bool = False) -> dict:
    with system_scope("name the unit that published a checklist (code only)"):
        unit = db.session.get(Unit, checklist.unit_id).code
    items = checklists.items_of(checklist)
    out = {"id": checklist.id, "name": checklist.name, "version": checklist.version,
           "status": checklist.status, "line": checklist.line, "unit": unit,
           "grades": checklist.grades, "total_points": checklist.total_points,
           "item_count": len(items)}
    if with_items:
        out["sections"] = [{"section": s["section"], "points": s["points"], "items": [
            {"code": i.code, "text": i.text, "points": i.points,
             "failure_grade": i.failure_grade} for i in s["items"]]}
            for s in checklists.sections(items)]
    return out


@bp.route("/checklists")
@bp.arguments(ChecklistQuery, location="query")
@bp.response(200, ChecklistOut(many=True))
@require_user
def list_checklists(args):
    """Checklists published for my unit's tree, and my unit's own drafts."""
    return [_checklist_out(c) for c in checklists.visible_checklists(args.get("line"))]


@bp.route("/checklists/<int:checklist_id>")
@bp.response(200, ChecklistOut)
@require_user
def get_checklist(checklist_id):
    """One checklist with its items by section."""
    return _checklist_out(checklists.get_checklist(checklist_id), with_items=True)


# ---------------------------------------------------------------- plans
def _key(value: str) -> str:
    """A path id no row can have (NUL, lone surrogates: PostgreSQL cannot even compare
    them) is simply not found."""
    if len(value) > 64 or "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise OutOfScope("no such id")
    return value


def _plan(plan_id: str):
    return review_plans.get_plan(_key(plan_id))


def _review(review_id: str):
    return reviewing.get_review(_key(review_id))


def _finding(finding_id: str):
    return review_findings.get_finding(_key(finding_id))


@bp.route("/plans")
@bp.arguments(PlanQuery, location="query")
@bp.response(200, PlanOut(many=True))
@require_user
def list_plans(args):
    """Plans my unit issued, and those of the units below for supervisors."""
    return review_plans.plans_out(review_plans.visible_plans(args.get("status")))


@bp.route("/plans", methods=["POST"])
@bp.arguments(PlanIn)
@bp.response(201, PlanOut)
@bp.alt_response(403, description="not an issuer (or a special review beyond my power)")
@require_user
@refusals
def create_plan(body):
    """Plan a review of closed cases of my unit or units below (a cross-review names
    the reviewing unit, covers one reviewed unit and runs for a period)."""
    body["checklist_id"] = body.pop("checklist")
    return review_plans.plans_out([review_plans.create_plan(g.user, **body)])[0]


@bp.route("/plans/<string:plan_id>")
@bp.response(200, PlanOut)
@require_user
def get_plan(plan_id):
    return review_plans.plans_out([_plan(plan_id)])[0]


@bp.route("/plans/<string:plan_id>/sample")
@bp.response(200, SampleOut(many=True))
@require_user
def get_sample(plan_id):
    """The drawn cases, random ones first in the order drawn, then the must-review ones."""
    return review_plans.sample_out(_plan(plan_id))


@bp.route("/plans/<string:plan_id>/draw", methods=["POST"])
@bp.response(201, SampleOut(many=True))
@require_user
@refusals
def draw(plan_id):
    """Draw the sample once (the seed is stored: replay proves it)."""
    plan = _plan(plan_id)
    review_plans.draw_sample(plan, g.user)
    return review_plans.sample_out(plan)


@bp.route("/plans/<string:plan_id>/replay")
@bp.response(200, ReplayOut)
@require_user
@refusals
def replay(plan_id):
    """Recompute the sample from the stored seed: the same cases, or the difference."""
    return review_plans.replay_sample(_plan(plan_id))


@bp.route("/plans/<string:plan_id>/start", methods=["POST"])
@bp.arguments(StartIn)
@bp.response(200, PlanOut)
@require_user
@refusals
def start(body, plan_id):
    """Assign the reviews round-robin; a cross-review issues the order that lets the
    reviewers read exactly the sampled cases for the period."""
    plan = review_plans.start_review(_plan(plan_id), g.user, body["reviewers"])
    return review_plans.plans_out([plan])[0]


# ---------------------------------------------------------------- reviews
@bp.route("/reviews/mine")
@bp.arguments(ReviewQuery, location="query")
@bp.response(200, MyReviewOut(many=True))
@require_user
def my_reviews(args):
    """My work list: the reviews assigned to me, first or second round."""
    return reviewing.my_reviews(g.user, args.get("status"))


@bp.route("/reviews/<string:review_id>")
@bp.response(200, ReviewFormOut)
@require_user
def get_review(review_id):
    """The review form: the checklist by section with the results so far."""
    return reviewing.review_form(_review(review_id), g.user)


@bp.route("/reviews/<string:review_id>/results", methods=["POST"])
@bp.arguments(ResultsIn)
@bp.response(200, ReviewFormOut)
@require_user
@refusals
def record(body, review_id):
    """Save pass/fail per item (a failure needs a note); ``pass_rest`` passes the rest."""
    review = _review(review_id)
    reviewing.record_results(review, g.user, body["results"], body["pass_rest"])
    return reviewing.review_form(review, g.user)


@bp.route("/reviews/<string:review_id>/submit", methods=["POST"])
@bp.response(200, ReviewFormOut)
@require_user
@refusals
def submit(review_id):
    """Hand in my round: the grade follows from the checklist."""
    review = reviewing.submit(_review(review_id), g.user)
    return reviewing.review_form(review, g.user)


@bp.route("/reviews/<string:review_id>/second-review", methods=["POST"])
@bp.arguments(ResultsIn)
@bp.response(200, ReviewFormOut)
@require_user
@refusals
def second_review(body, review_id):
    """The second reviewer's results, submitted in one step."""
    review = reviewing.second_review(_review(review_id), g.user,
                                     body["results"], body["pass_rest"])
    return reviewing.review_form(review, g.user)


@bp.route("/reviews/<string:review_id>/resolve", methods=["POST"])
@bp.arguments(ResolveIn)
@bp.response(200, ReviewFormOut)
@require_user
@refusals
def resolve(body, review_id):
    """The issuing unit decides a disputed review."""
    review = reviewing.resolve(_review(review_id), g.user, body["grade"],
                               body["adopt_round"], body["note"])
    return reviewing.review_form(review, g.user)


# ---------------------------------------------------------------- findings
@bp.route("/findings")
@bp.arguments(FindingQuery, location="query")
@bp.response(200, FindingOut(many=True))
@require_user
def list_findings(args):
    """Findings about a unit's cases (or, side=reviewing, those a unit made)."""
    return review_findings.findings_out(review_findings.findings_of_unit(
        args["unit"], args["side"], args.get("status")))


@bp.route("/findings/<string:finding_id>/discovery", methods=["POST"])
@bp.arguments(DiscoveryIn)
@bp.response(200, FindingOut)
@require_user
@refusals
def mark_discovery(body, finding_id):
    """How the problem came to light (Shandong): self_fixed, self_analysed or missed."""
    finding = review_findings.mark_discovery(_finding(finding_id), g.user,
                                             body["discovery"])
    return review_findings.findings_out([finding])[0]


@bp.route("/findings/<string:finding_id>/handover")
@bp.response(200, HandoverOut)
@require_user
def handover(finding_id):
    """What the problem ledger will take over."""
    return review_findings.handover_payload(_finding(finding_id), g.user)


# ---------------------------------------------------------------- statistics, score
@bp.route("/stats/units/<string:code>")
@bp.arguments(PeriodQuery, location="query")
@bp.response(200, StatsOut)
@require_user
def unit_stats(args, code):
    """Grades of the unit's subtree and of each child's (drill down by child code)."""
    return review_stats.by_unit(_key(code), args.get("date_from"), args.get("date_to"))


@bp.route("/stats/units/<string:code>/by/<string:dimension>")
@bp.arguments(PeriodQuery, location="query")
@bp.response(200, BreakdownOut)
@require_user
def unit_breakdown(args, code, dimension):
    """The unit's subtree by line of business, department or prosecutor."""
    if dimension not in review_stats.DIMENSIONS:
        raise OutOfScope(f"dimension {dimension}")
    return review_stats.by_dimension(_key(code), dimension, args.get("date_from"), args.get("date_to"))


@bp.route("/units/<string:code>/score")
@bp.arguments(ScoreQuery, location="query")
@bp.response(200, ScoreOut)
@require_user
def unit_score(args, code):
    """The unit-level review score (Shandong): base minus finding points x factor."""
    return review_stats.unit_review_score(readable_unit(_key(code)), args.get("plan"),
                                          args.get("date_from"), args.get("date_to"),
                                          args["base"])
