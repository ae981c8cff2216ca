"""Reading reviews: the reviewer's work list and the review form (the checklist by
section with the results so far, and the case under review).

A review follows its plan, which belongs to the issuing unit and which the
reviewing unit cannot read: ``plans_of`` hands over a plain copy of what a review
needs. Each reviewer sees only their own round until both are in. In a blind
review the reviewing unit gets no unit name, case number or handler name. An
unfinished review is read by the reviewing side only (and the units above it);
the reviewed unit reads it once it is final.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from procuracy.appraisal.checklists import items_of, sections
from procuracy.appraisal.review_models import Checklist, Review, ReviewItemResult, ReviewPlan
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.models import Unit, User
from procuracy.tenants.scope import OutOfScope, current_scope, get_or_404, system_scope

FIRST_ROUND = ("assigned", "in_progress")
MASK = "（盲评隐去）"


@dataclass(frozen=True)
class Plan:
    """What a review needs of its plan (a plain copy: the plan is not the reviewer's)."""

    id: int
    public_id: str
    name: str
    unit_id: int
    checklist_id: int
    blind: bool
    order_id: int | None
    starts_at: datetime | None
    ends_at: datetime | None


def plans_of(plan_ids: set[int]) -> dict[int, Plan]:
    # The plan belongs to the issuing unit, which the reviewing unit cannot read;
    # its reviews still follow its checklist, blindness, period and reviewers.
    with system_scope("reviews follow their plan's checklist, blindness and period"):
        rows = db.session.scalars(select(ReviewPlan).where(ReviewPlan.id.in_(plan_ids))).all()
        return {p.id: Plan(p.id, p.public_id, p.name, p.unit_id, p.checklist_id, p.blind,
                           p.order_id, p.starts_at, p.ends_at) for p in rows}


def get_review(public_id: str) -> Review:
    return get_or_404(db.session, Review, public_id=public_id)


def checklist_of(plan: Plan) -> tuple[Checklist, list]:
    checklist = get_or_404(db.session, Checklist, id=plan.checklist_id)
    return checklist, items_of(checklist)


def results_of(review: Review, rounds: tuple[int, ...]) -> list[ReviewItemResult]:
    return list(db.session.scalars(select(ReviewItemResult).where(
        ReviewItemResult.review_id == review.id, ReviewItemResult.round.in_(rounds))))


def is_masked(plan: Plan, viewer, review: Review) -> bool:
    """A blind review hides the case's unit, number and handler from the reviewing unit."""
    return plan.blind and viewer.unit_id == review.unit_id


def my_reviews(user, status: str | None = None) -> list[dict]:
    """The reviews assigned to me, first or second round, oldest first."""
    query = select(Review).where(or_(Review.reviewer_id == user.id,
                                     Review.second_reviewer_id == user.id)).order_by(Review.id)
    if status:
        query = query.where(Review.status == status)
    reviews = list(db.session.scalars(query))
    plans = plans_of({r.plan_id for r in reviews})
    cases = {c.id: c for c in db.session.scalars(
        select(Case).where(Case.id.in_({r.case_id for r in reviews})))}
    out = []
    for r in reviews:
        plan, case = plans[r.plan_id], cases.get(r.case_id)
        masked = is_masked(plan, user, r)
        second = r.second_reviewer_id == user.id
        out.append({
            "id": r.public_id, "plan": plan.public_id, "plan_name": plan.name,
            "status": r.status, "round": 2 if second else 1,
            "my_turn": (r.status == "second_review") if second else r.status in FIRST_ROUND,
            "case": None if masked or case is None else case.public_id,
            "number": MASK if masked else (case.number if case else None),
            "title": case.title if case else None, "ends_at": plan.ends_at,
            "grade": r.grade, "second_grade": r.second_grade, "final_grade": r.final_grade})
    return out


def _case_block(review: Review, plan: Plan, viewer) -> dict:
    case = db.session.get(Case, review.case_id)
    if case is None:  # e.g. the cross-review period is over
        return {"id": None, "number": None, "title": None, "kind": None, "outcome": None,
                "received_on": None, "closed_on": None, "unit": None, "handler": None}
    block = {"id": case.public_id, "number": case.number, "title": case.title,
             "kind": case.kind_code, "outcome": case.outcome,
             "received_on": case.received_on.isoformat(),
             "closed_on": case.closed_on.isoformat() if case.closed_on else None}
    if is_masked(plan, viewer, review):
        return {**block, "id": None, "number": MASK, "unit": MASK, "handler": MASK}
    with system_scope("name the unit and handler of a case under non-blind review"):
        unit = db.session.get(Unit, review.reviewed_unit_id)
        handler = db.session.get(User, review.handler_id) if review.handler_id else None
        names = (unit.name, handler.full_name if handler else None)
    return {**block, "unit": names[0], "handler": names[1]}


def _visible_rounds(review: Review, viewer) -> tuple[int, ...]:
    """Each reviewer sees only their own round until both are in."""
    if review.status in (*FIRST_ROUND, "second_review"):
        if viewer.id == review.reviewer_id:
            return (1,)
        if viewer.id == review.second_reviewer_id:
            return (2,)
    return (1, 2)


def review_form(review: Review, viewer) -> dict:
    """The checklist by section with the results so far, and the case under review."""
    scope = current_scope(db.session)
    if review.status != "final" and not scope.can_read_unit(review.unit_id):
        raise OutOfScope("an unfinished review is read by the reviewing side only")
    plan = plans_of({review.plan_id})[review.plan_id]
    checklist, items = checklist_of(plan)
    rounds = _visible_rounds(review, viewer)
    results = {(r.item_id, r.round): r for r in results_of(review, rounds)}
    mine = 2 if rounds == (2,) else 1

    def result(item, round_):
        r = results.get((item.id, round_))
        return {"passed": r.passed, "note": r.note} if r else None

    out_sections = [{
        "section": s["section"], "points": s["points"],
        "items": [{"code": i.code, "text": i.text, "points": i.points,
                   "failure_grade": i.failure_grade, "result": result(i, 1) if 1 in rounds else None,
                   "second_result": result(i, 2) if 2 in rounds else None} for i in s["items"]],
    } for s in sections(items)]
    answered = [results[(i.id, mine)] for i in items if (i.id, mine) in results]
    failed = [i for i in items if (i.id, mine) in results and not results[(i.id, mine)].passed]
    return {
        "id": review.public_id, "plan": plan.public_id, "plan_name": plan.name,
        "status": review.status, "blind": plan.blind, "case": _case_block(review, plan, viewer),
        "checklist": {"id": checklist.id, "name": checklist.name, "version": checklist.version,
                      "total_points": checklist.total_points, "grades": checklist.grades},
        "sections": out_sections,
        "progress": {"round": mine, "answered": len(answered), "total": len(items),
                     "failed": len(failed), "points_lost": sum(i.points for i in failed)},
        "grade": review.grade, "second_grade": review.second_grade,
        "final_grade": review.final_grade, "points_lost": review.points_lost,
        "submitted_at": review.submitted_at, "finalised_at": review.finalised_at,
        "note": review.note,
    }
