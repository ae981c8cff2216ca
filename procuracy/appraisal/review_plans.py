"""Review plans (评查计划): who reviews which units' closed cases of which period,
how the sample is drawn, and the draw itself (stored seed, replayable).

The issuer is a chief, deputy chief or case manager of a unit that is the covered
units' ancestor or the unit itself; a special review (专项评查) is started by the role
the power list names for AG-011. A cross-review plan names the reviewing unit (the
issuer's descendant or itself) and covers exactly one unit, the one reviewed;
``review_start.start_review`` then issues the cross-review order.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from procuracy.appraisal import review_sampling as sampling
from procuracy.appraisal.review_models import (
    MUST_REVIEW,
    PLAN_TYPES,
    Checklist,
    ReviewPlan,
    ReviewSample,
)
from procuracy.cases.assignment import new_seed
from procuracy.cases.models import Case, new_public_id
from procuracy.extensions import db
from procuracy.tenants import powers
from procuracy.tenants.models import Unit, UnitClosure
from procuracy.tenants.roles import DECISION_RANK, Role
from procuracy.tenants.scope import current_scope, get_or_404

ISSUERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER})
SPECIAL_MATTER = "AG-011"  # 案件质量评查启动（专项评查）
LONGEST = timedelta(days=366)
MAX_COUNT = 100_000


class PlanRejected(ValueError):
    """The plan breaks a rule; ``field`` names the input at fault (answers 422)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.errors = {field: [message]}


class NotIssuer(PermissionError):
    """The actor may not plan, draw or start reviews here (answers 403)."""


def check_issuer(actor, unit_id: int | None = None) -> None:
    if not actor.has_role(*ISSUERS):
        raise NotIssuer("review plans are issued by a chief, deputy chief or case manager")
    if unit_id is not None and actor.unit_id != unit_id:
        raise NotIssuer("only the issuing unit draws and starts its plan")


def _check_special(actor) -> None:
    """A special review is started by the role the unit's power list names (AG-011)."""
    item = powers.decider_for(powers.effective_list(actor.unit), SPECIAL_MATTER, None)
    if item is None:
        return
    needed = DECISION_RANK.get(item.decider_role)
    held = max((DECISION_RANK.get(r, 0) for r in actor.role_names), default=0)
    if needed is None or held < needed:
        raise NotIssuer(f"a special review is started by {item.decider_role} "
                        f"({item.code} {item.matter})")


def _units(codes: list[str], actor, field: str) -> list[Unit]:
    """The units named, each the actor's unit or one of its descendants."""
    codes = list(dict.fromkeys(codes))
    found = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(codes)))}
    inside = set(db.session.scalars(select(UnitClosure.descendant_id).where(
        UnitClosure.ancestor_id == actor.unit_id,
        UnitClosure.descendant_id.in_([u.id for u in found.values()]))))
    bad = [c for c in codes if c not in found or found[c].id not in inside]
    if bad:
        raise PlanRejected(field, f"not {actor.unit.code} or one of its descendants: "
                                  f"{', '.join(bad)}")
    return [found[c] for c in codes]


def _check_sample(mode: str, value: float) -> float:
    if mode == "count":
        if value != int(value) or not 1 <= value <= MAX_COUNT:
            raise PlanRejected("sample_value", f"a count is a whole number from 1 to {MAX_COUNT}")
        return float(int(value))
    if mode == "rate":
        if not 0 < value <= 1:
            raise PlanRejected("sample_value", "a rate is above 0 and at most 1 (0.1 = 10%)")
        return float(value)
    raise PlanRejected("sample_mode", "count or rate")


def create_plan(actor, *, name: str, checklist_id: int, units: list[str], date_from: date,
                date_to: date, type: str = "regular", with_descendants: bool = False,
                filters: dict | None = None, sample_mode: str = "rate",
                sample_value: float = 0.1, must_review: list[str] | None = None,
                reviewing: str | None = None, blind: bool = False,
                starts_at: datetime | None = None, ends_at: datetime | None = None) -> ReviewPlan:
    check_issuer(actor)
    if type not in PLAN_TYPES:
        raise PlanRejected("type", f"one of {', '.join(PLAN_TYPES)}")
    if type == "special":
        _check_special(actor)
    if not name or not name.strip():
        raise PlanRejected("name", "must not be blank")
    checklist = db.session.scalars(select(Checklist).where(
        Checklist.id == checklist_id, Checklist.status == "published")).first()
    if checklist is None:
        raise PlanRejected("checklist", "no published checklist with this id reaches your unit")
    if not units:
        raise PlanRejected("units", "name the units whose cases are reviewed")
    covered = _units(units, actor, "units")
    if date_to < date_from:
        raise PlanRejected("date_to", "must not be before date_from")
    try:
        filters = sampling.validate_filters(filters or {})
    except ValueError as exc:
        raise PlanRejected("filters", str(exc)) from None
    value = _check_sample(sample_mode, sample_value)
    must = list(MUST_REVIEW) if must_review is None else list(dict.fromkeys(must_review))
    if not set(must) <= set(MUST_REVIEW):
        raise PlanRejected("must_review", f"among {', '.join(MUST_REVIEW)}")
    reviewing_unit = None
    if reviewing:
        reviewing_unit = _units([reviewing], actor, "reviewing")[0]
        if len(covered) != 1 or with_descendants:
            raise PlanRejected("units", "a cross-review covers exactly one unit, the one "
                                        "reviewed (without its descendants)")
        if reviewing_unit.id == covered[0].id:
            raise PlanRejected("reviewing", "a unit does not cross-review itself")
        if starts_at is None or ends_at is None:
            raise PlanRejected("ends_at", "a cross-review runs for a period: give starts_at "
                                          "and ends_at")
    if (starts_at is None) != (ends_at is None):
        raise PlanRejected("ends_at", "give starts_at and ends_at together")
    if starts_at is not None:
        if ends_at <= starts_at:
            raise PlanRejected("ends_at", "must be after starts_at")
        if ends_at - starts_at > LONGEST:
            raise PlanRejected("ends_at", "a review period runs for at most a year")
    plan = ReviewPlan(
        unit_id=actor.unit_id, public_id=new_public_id(), name=name.strip(), type=type,
        checklist_id=checklist.id, unit_ids=[u.id for u in covered],
        with_descendants=with_descendants, date_from=date_from, date_to=date_to,
        filters=filters, sample_mode=sample_mode, sample_value=value, must_review=must,
        reviewing_unit_id=reviewing_unit.id if reviewing_unit else None, blind=blind,
        status="draft", starts_at=starts_at, ends_at=ends_at, created_by_id=actor.id)
    db.session.add(plan)
    db.session.commit()
    return plan


# ---------------------------------------------------------------- the sample
def check_reads_cases(plan: ReviewPlan) -> None:
    """The sample names cases: only who reads every case of the covered units sees it."""
    scope = current_scope(db.session)
    if scope is not None and not scope.everything and \
            not set(sampling.covered_unit_ids(plan)) <= scope.whole_case_units:
        raise PermissionError("the sample is shown to those who read every case of the "
                              "covered units")


def draw_sample(plan: ReviewPlan, actor) -> list[ReviewSample]:
    """Draw once: N (or ceil(rate x population)) at random, plus every must-review case."""
    check_issuer(actor, plan.unit_id)
    if plan.status != "draft":
        raise PlanRejected("status", "a plan's sample is drawn once; replay it to check it")
    check_reads_cases(plan)
    pool, musts = sampling.population(plan)
    if not pool and not musts:
        raise PlanRejected("units", "no closed case of the covered units matches the plan")
    seed = new_seed()
    units = dict(pool)
    chosen = sampling.draw_ids(list(units), sampling.sample_size(
        plan.sample_mode, plan.sample_value, len(pool)), seed)
    samples = [ReviewSample(unit_id=plan.unit_id, plan_id=plan.id, case_id=case_id,
                            reviewed_unit_id=units[case_id], reason="random", rank=rank)
               for rank, case_id in enumerate(chosen, 1)]
    samples += [ReviewSample(unit_id=plan.unit_id, plan_id=plan.id, case_id=case_id,
                             reviewed_unit_id=unit_id, reason=outcome, rank=rank)
                for rank, (case_id, unit_id, outcome) in enumerate(musts, len(chosen) + 1)]
    plan.seed, plan.status = seed, "drawn"
    db.session.add_all(samples)
    db.session.commit()
    return samples


def samples_of(plan: ReviewPlan) -> list[ReviewSample]:
    return list(db.session.scalars(select(ReviewSample).where(
        ReviewSample.plan_id == plan.id).order_by(ReviewSample.rank)))


def replay_sample(plan: ReviewPlan) -> dict:
    """Recompute the sample from the stored seed and today's population: the same
    cases in the same order, or the first difference."""
    if not plan.seed:
        raise PlanRejected("status", "nothing has been drawn for this plan yet")
    check_reads_cases(plan)
    stored = [s.case_id for s in samples_of(plan)]
    pool, musts = sampling.population(plan)
    count = sampling.sample_size(plan.sample_mode, plan.sample_value, len(pool))
    again = sampling.draw_ids([c for c, _ in pool], count, plan.seed) + [c for c, _, _ in musts]
    ids = dict(db.session.execute(select(Case.id, Case.public_id).where(
        Case.id.in_(set(stored) | set(again)))).all())
    reason = ""
    if again != stored:
        reason = ("the population changed since the draw (cases closed, reopened or "
                  "re-graded in the period) or the stored sample was altered")
    return {"plan": plan.public_id, "seed": plan.seed, "reproduced": again == stored,
            "population": len(pool), "random": count, "must_review": len(musts),
            "drawn": [ids.get(c) for c in stored], "recomputed": [ids.get(c) for c in again],
            "reason": reason}


def start_review(plan: ReviewPlan, actor, reviewers: list[str]) -> ReviewPlan:
    """Assign the sample's reviews (and, for a cross-review, issue the order)."""
    from procuracy.appraisal.review_start import start

    return start(plan, actor, reviewers)


# ---------------------------------------------------------------- reading
def visible_plans(status: str | None = None) -> list[ReviewPlan]:
    query = select(ReviewPlan).order_by(ReviewPlan.created_at.desc(), ReviewPlan.id.desc())
    if status:
        query = query.where(ReviewPlan.status == status)
    return list(db.session.scalars(query))


def get_plan(public_id: str) -> ReviewPlan:
    return get_or_404(db.session, ReviewPlan, public_id=public_id)


def plans_out(plans: list[ReviewPlan]) -> list[dict]:
    """Plans with unit codes and sample counts (three statements for any number)."""
    from procuracy.tenants.crossreview import CrossReviewOrder
    from procuracy.tenants.scope import system_scope

    ids = {i for p in plans for i in (p.unit_id, p.reviewing_unit_id, *p.unit_ids) if i}
    with system_scope("name the units a review plan covers (codes only)"):
        codes = dict(db.session.execute(
            select(Unit.id, Unit.code).where(Unit.id.in_(ids))).all())
    orders = dict(db.session.execute(select(CrossReviewOrder.id, CrossReviewOrder.public_id)
                                     .where(CrossReviewOrder.id.in_(
                                         [p.order_id for p in plans if p.order_id]))).all())
    counts: dict[int, dict] = {}
    for plan_id, reason in db.session.execute(select(ReviewSample.plan_id, ReviewSample.reason)
                                              .where(ReviewSample.plan_id.in_(
                                                  [p.id for p in plans]))):
        bucket = counts.setdefault(plan_id, {"random": 0, "must_review": 0})
        bucket["random" if reason == "random" else "must_review"] += 1
    return [{
        "id": p.public_id, "name": p.name, "type": p.type, "status": p.status,
        "issuer": codes.get(p.unit_id), "checklist": p.checklist_id,
        "units": [codes.get(i) for i in p.unit_ids], "with_descendants": p.with_descendants,
        "date_from": p.date_from, "date_to": p.date_to, "filters": p.filters,
        "sample_mode": p.sample_mode, "sample_value": p.sample_value,
        "must_review": p.must_review, "seed": p.seed,
        "reviewing": codes.get(p.reviewing_unit_id), "order": orders.get(p.order_id),
        "blind": p.blind, "starts_at": p.starts_at, "ends_at": p.ends_at,
        "sample": counts.get(p.id, {"random": 0, "must_review": 0}),
    } for p in plans]


def sample_out(plan: ReviewPlan) -> list[dict]:
    check_reads_cases(plan)
    samples = samples_of(plan)
    rows = {c.id: c for c in db.session.scalars(select(Case).where(
        Case.id.in_([s.case_id for s in samples])))}
    codes = dict(db.session.execute(select(Unit.id, Unit.code).where(
        Unit.id.in_({s.reviewed_unit_id for s in samples}))).all())
    return [{"rank": s.rank, "reason": s.reason, "case": rows[s.case_id].public_id,
             "number": rows[s.case_id].number, "unit": codes.get(s.reviewed_unit_id),
             "outcome": rows[s.case_id].outcome, "closed_on": rows[s.case_id].closed_on}
            for s in samples if s.case_id in rows]
