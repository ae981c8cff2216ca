"""Reviewing a case (评查): recording pass/fail item by item, submitting, the second
review and the dispute.

The grade follows from the checklist (``checklists.grade_for``). A review graded
in one of the scale's two lowest grades goes to a second reviewer of the plan, who
reviews on their own (neither sees the other's results until both are in); equal
grades finalise it, different grades make it "disputed", and the issuing unit's
case manager (or chief, deputy chief) decides. On finalisation every failed item
of the round that stands becomes a finding (``review_findings``). Reading (the
work list, the form) is ``review_forms``, re-exported here.
"""
from __future__ import annotations

from sqlalchemy import select

from procuracy.appraisal import review_findings
from procuracy.appraisal.checklists import grade_for, lower_grades
from procuracy.appraisal.review_findings import handover_payload, mark_discovery  # noqa: F401
from procuracy.appraisal.review_forms import (  # noqa: F401
    FIRST_ROUND,
    MASK,
    Plan,
    checklist_of,
    get_review,
    my_reviews,
    plans_of,
    results_of,
    review_form,
)
from procuracy.appraisal.review_models import Checklist, Review, ReviewItemResult
from procuracy.cases.models import CaseParticipant
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.crossreview import CrossReviewer
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import OutOfScope, current_scope, system_scope

RESOLVERS = frozenset({Role.CASE_MANAGER, Role.CHIEF, Role.DEPUTY_CHIEF})


class ReviewRejected(ValueError):
    """A step the review's state or content refuses (answers 422)."""

    def __init__(self, field: str, messages: str | list[str]):
        messages = [messages] if isinstance(messages, str) else messages
        super().__init__("; ".join(messages))
        self.field = field
        self.errors = {field: messages}


def _reviewing_side(review: Review) -> None:
    """An unfinished review is the reviewing side's (and the units above it): anybody
    else (the reviewed unit) gets what a missing one gets, as when reading it."""
    scope = current_scope(db.session)
    if review.status != "final" and not (scope and scope.can_read_unit(review.unit_id)):
        raise OutOfScope("an unfinished review is the reviewing side's only")


def _round_for(review: Review, user) -> int:
    _reviewing_side(review)
    if review.status in FIRST_ROUND:
        if user.id != review.reviewer_id:
            raise PermissionError("this review is assigned to another reviewer")
        return 1
    if review.status == "second_review":
        if user.id != review.second_reviewer_id:
            raise PermissionError("the second review is assigned to another reviewer")
        return 2
    raise ReviewRejected("status", f"the review is {review.status}: nothing to record")


def _check_period(plan: Plan) -> None:
    now = utcnow()
    if plan.starts_at and now < plan.starts_at:
        raise ReviewRejected("status", "the review period has not begun")
    if plan.ends_at and now >= plan.ends_at:
        raise ReviewRejected("status", "the review period is over")


def record_results(review: Review, reviewer, results: list[dict], pass_rest: bool = False) -> dict:
    """Save pass/fail per item (again and again until submitted); a failure needs a
    note. ``pass_rest`` marks every item not yet answered as passed, so a 68-item
    checklist takes only its failures."""
    round_ = _round_for(review, reviewer)
    plan = plans_of({review.plan_id})[review.plan_id]
    _check_period(plan)
    _, items = checklist_of(plan)
    by_code = {i.code: i for i in items}
    problems, seen = [], set()
    for r in results:
        code = r["item_code"]
        if code not in by_code:
            problems.append(f"{code}: not an item of the checklist")
        elif code in seen:
            problems.append(f"{code}: given twice")
        elif not r["passed"] and not (r.get("note") or "").strip():
            problems.append(f"{code}: a failed item needs a note saying what is wrong")
        seen.add(code)
    if problems:
        raise ReviewRejected("results", problems)
    existing = {r.item_id: r for r in results_of(review, (round_,))}
    now = utcnow()
    for r in results:
        item = by_code[r["item_code"]]
        row = existing.get(item.id)
        if row is None:
            row = existing[item.id] = ReviewItemResult(
                unit_id=review.unit_id, review_id=review.id, item_id=item.id,
                reviewed_unit_id=review.reviewed_unit_id, round=round_, passed=True)
            db.session.add(row)
        row.passed, row.note, row.at = bool(r["passed"]), (r.get("note") or "").strip(), now
    if pass_rest:
        for item in items:
            if item.id not in existing:
                db.session.add(ReviewItemResult(
                    unit_id=review.unit_id, review_id=review.id, item_id=item.id,
                    reviewed_unit_id=review.reviewed_unit_id, round=round_, passed=True,
                    note="", at=now))
    if review.status == "assigned":
        review.status = "in_progress"
    db.session.commit()
    return review_form(review, reviewer)["progress"]


def _failed(review: Review, round_: int, items: list) -> list[tuple]:
    by_id = {i.id: i for i in items}
    return [(by_id[r.item_id], r.note) for r in results_of(review, (round_,)) if not r.passed]


def submit(review: Review, actor) -> Review:
    """Hand in the round: every item answered; the grade follows from the checklist."""
    round_ = _round_for(review, actor)
    plan = plans_of({review.plan_id})[review.plan_id]
    _check_period(plan)
    checklist, items = checklist_of(plan)
    answered = {r.item_id for r in results_of(review, (round_,))}
    missing = [i.code for i in items if i.id not in answered]
    if missing:
        raise ReviewRejected("results", f"{len(missing)} items are not answered yet: "
                                        f"{', '.join(missing[:20])}")
    grading = grade_for(checklist.grades, checklist.total_points,
                        [i for i, _ in _failed(review, round_, items)])
    if round_ == 1:
        review.grade, review.points_lost = grading.grade, grading.points_lost
        review.submitted_at = utcnow()
        if grading.grade not in lower_grades(checklist.grades):
            _finalise(review, checklist, grading.grade, 1, items)
        else:
            review.second_reviewer_id = _second_reviewer(review, plan)
            review.status = "second_review" if review.second_reviewer_id else "disputed"
            if review.second_reviewer_id is None:
                review.note = "no other reviewer of the plan may review it: the issuer decides"
    else:
        review.second_grade = grading.grade
        if grading.grade == review.grade:
            _finalise(review, checklist, grading.grade, 1, items)
        else:
            review.status = "disputed"
    db.session.commit()
    return review


def second_review(review: Review, reviewer, results: list[dict], pass_rest: bool = False):
    """The second reviewer's results and submission in one step."""
    if review.status != "second_review":
        raise ReviewRejected("status", "the review is not waiting for a second reviewer")
    record_results(review, reviewer, results, pass_rest)
    return submit(review, reviewer)


def _second_reviewer(review: Review, plan: Plan) -> int | None:
    """The next reviewer of the plan after the first (by id), who did not work on the case."""
    if plan.order_id:
        pool = set(db.session.scalars(select(CrossReviewer.user_id).where(
            CrossReviewer.order_id == plan.order_id)))
    else:
        pool = set(db.session.scalars(select(Review.reviewer_id).where(
            Review.plan_id == plan.id)))
    worked = set(db.session.scalars(select(CaseParticipant.user_id).where(
        CaseParticipant.case_id == review.case_id)))
    candidates = sorted(pool - worked - {review.reviewer_id, review.handler_id})
    after = [u for u in candidates if u > review.reviewer_id]
    return (after or candidates or [None])[0]


def resolve(review: Review, actor, grade: str, adopt_round: int | None = None,
            note: str = "") -> Review:
    """The issuing unit decides a disputed review; the findings of the round whose
    grade it takes stand (say which with ``adopt_round`` for a third grade)."""
    _reviewing_side(review)
    plan = plans_of({review.plan_id})[review.plan_id]
    if actor.unit_id != plan.unit_id or not actor.has_role(*RESOLVERS):
        raise PermissionError("a disputed review is decided by the issuing unit's case "
                              "managers (or its chief, deputy chief)")
    if review.status != "disputed":
        raise ReviewRejected("status", "only a disputed review is decided")
    checklist, items = checklist_of(plan)
    if grade not in [g["name"] for g in checklist.grades]:
        raise ReviewRejected("grade", "not a grade of the checklist's scale")
    if adopt_round is None:
        adopt_round = 2 if grade == review.second_grade else 1 if grade == review.grade else None
    if adopt_round is None:
        raise ReviewRejected("adopt_round", "the grade is neither reviewer's: say whose "
                                            "findings stand (1 or 2)")
    if adopt_round == 2 and not review.second_grade:
        raise ReviewRejected("adopt_round", "there is no second round")
    # The review belongs to the reviewing unit; the unit that ordered it settles the
    # dispute, so its decision is written as the system once its right is checked.
    with system_scope(f"the issuing unit decides disputed review {review.public_id}"):
        review.note = (note or "").strip() or review.note
        _finalise(review, checklist, grade, adopt_round, items)
        db.session.flush()
    db.session.commit()
    return review


def _finalise(review: Review, checklist: Checklist, grade: str, round_: int, items) -> None:
    failed = _failed(review, round_, items)
    now = utcnow()
    review.final_grade, review.status, review.finalised_at = grade, "final", now
    review.points_lost = round(sum(i.points for i, _ in failed), 4)
    review_findings.create_findings(review, checklist.grades, failed, now)
