"""Reads the quality-review pages need beyond the API's services, each a fixed
number of statements whatever the number of rows, all through the reader's scope.

- the units a planner may cover or name as reviewing (its unit and those below),
- the people who may be named reviewers of a plan,
- a plan's reviews with their case and reviewer (the issuer follows its plan),
- the final reviews under a unit, for the Excel export,
- the grade a review form's results lead to so far.
"""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from procuracy.appraisal.checklists import grade_for
from procuracy.appraisal.review_forms import MASK, plans_of
from procuracy.appraisal.review_models import Review, ReviewPlan
from procuracy.appraisal.review_stats import _period, _subtree
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.models import Unit, UnitClosure, User


def plannable_units(user) -> list[Unit]:
    """The user's unit and its descendants (those the scope lets it read), tree order."""
    return list(db.session.scalars(
        select(Unit).join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(UnitClosure.ancestor_id == user.unit_id).order_by(Unit.depth, Unit.code)))


def candidate_reviewers(plan: ReviewPlan) -> tuple[Unit | None, list[User]]:
    """The reviewing unit (the issuer itself for an in-house review) and its active
    people; the service still checks each one named (worked on a case, role ...)."""
    unit_id = plan.reviewing_unit_id or plan.unit_id
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        return None, []
    people = db.session.scalars(select(User).where(User.unit_id == unit_id, User.active)
                                .order_by(User.username)).all()
    return unit, list(people)


def plan_reviews(plan: ReviewPlan, viewer) -> list[dict]:
    """The plan's reviews as its issuer follows them (two statements: the reviews
    with their case, then the reviewers' names)."""
    rows = db.session.execute(
        select(Review, Case.public_id, Case.number)
        .outerjoin(Case, Case.id == Review.case_id)
        .where(Review.plan_id == plan.id).order_by(Review.id)).all()
    ids = {i for r, *_ in rows for i in (r.reviewer_id, r.second_reviewer_id) if i}
    names = dict(db.session.execute(
        select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
    out = []
    for review, case_id, number in rows:
        masked = plan.blind and viewer.unit_id == review.unit_id
        out.append({"id": review.public_id, "status": review.status,
                    "case": None if masked else case_id,
                    "number": MASK if masked else number,
                    "reviewer": names.get(review.reviewer_id),
                    "second_reviewer": names.get(review.second_reviewer_id),
                    "grade": review.grade, "second_grade": review.second_grade,
                    "final_grade": review.final_grade, "points_lost": review.points_lost})
    return out


def final_reviews(unit: Unit, viewer, date_from: date | None, date_to: date | None) -> list[dict]:
    """Every final review of a case in the unit's subtree: the export's detail sheet
    (three statements: the reviews with case, unit and handler; their plans)."""
    rows = db.session.execute(
        select(Review, Case.number, Case.title, Case.kind_code, Unit.code, Unit.name,
               User.full_name)
        .outerjoin(Case, Case.id == Review.case_id)
        .outerjoin(Unit, Unit.id == Review.reviewed_unit_id)
        .outerjoin(User, User.id == Review.handler_id)
        .where(Review.reviewed_unit_id.in_(_subtree(unit.id)), Review.status == "final",
               *_period(Review.finalised_at, date_from, date_to))
        .order_by(Review.finalised_at, Review.id)).all()
    plans = plans_of({r.plan_id for r, *_ in rows})
    out = []
    for review, number, title, kind, code, name, handler_name in rows:
        plan = plans.get(review.plan_id)
        masked = bool(plan and plan.blind and viewer.unit_id == review.unit_id)
        out.append({"plan": plan.name if plan else "", "number": MASK if masked else number,
                    "title": title, "kind": kind, "unit_code": MASK if masked else code,
                    "unit": MASK if masked else name,
                    "handler": MASK if masked else handler_name,
                    "grade": review.grade, "second_grade": review.second_grade,
                    "final_grade": review.final_grade, "points_lost": review.points_lost,
                    "finalised_at": review.finalised_at})
    return out


def grade_so_far(form: dict) -> dict:
    """The points the viewer's round has lost so far and the grade they lead to."""
    checklist = form["checklist"]
    key = "second_result" if form["progress"]["round"] == 2 else "result"
    failed = [SimpleNamespace(code=i["code"], points=i["points"],
                              failure_grade=i["failure_grade"])
              for s in form["sections"] for i in s["items"]
              if i[key] is not None and not i[key]["passed"]]
    grading = grade_for(checklist["grades"], checklist["total_points"], failed)
    return {"grade": grading.grade, "points_lost": grading.points_lost, "score": grading.score,
            "capped_by": grading.capped_by}
