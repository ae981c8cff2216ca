"""Starting a review plan: check the reviewers, issue the cross-review order, and
assign one review per sampled case, round-robin.

A cross-review plan's reviewers are users of the reviewing unit; the order from
the foundation (``crossreview_service.issue_order``) lets exactly them read exactly
the sampled cases for the plan's period. An in-house plan's reviewers are users of
the issuing unit who already read the cases (case managers, the chief, deputies,
inspectors). Nobody from the reviewed unit and nobody who worked on a sampled case
reviews; refusals name who and why. At least two reviewers: the lower grades get a
second one.
"""
from __future__ import annotations

from sqlalchemy import select

from procuracy.appraisal.review_models import Review, ReviewPlan
from procuracy.appraisal.review_plans import PlanRejected, check_issuer, samples_of
from procuracy.cases.models import Case, CaseParticipant, new_public_id
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants import crossreview_service
from procuracy.tenants.models import Unit, User
from procuracy.tenants.roles import WHOLE_UNIT_READERS
from procuracy.tenants.scope import system_scope

MAX_REVIEWERS = 200


def _reviewers(plan: ReviewPlan, names: list[str], cases: dict[int, Case],
               reviewed_units: set[int]) -> list[User]:
    reviewing_id = plan.reviewing_unit_id or plan.unit_id
    people = {u.username: u for u in db.session.scalars(
        select(User).where(User.username.in_(names)))}
    unknown = [n for n in names if n not in people]
    if unknown:
        raise PlanRejected("reviewers", f"unknown users: {', '.join(unknown)}")
    for name in names:
        user = people[name]
        if user.unit_id in reviewed_units and user.unit_id != reviewing_id:
            raise PlanRejected("reviewers", f"{name} belongs to the reviewed unit "
                                            f"{user.unit.code} and may not review its cases")
        if user.unit_id != reviewing_id:
            raise PlanRejected("reviewers", f"{name} is not a user of the reviewing unit")
        if not user.active:
            raise PlanRejected("reviewers", f"{name} is not active")
        if plan.reviewing_unit_id is None and not user.has_role(*WHOLE_UNIT_READERS):
            raise PlanRejected("reviewers", f"{name} cannot read the cases: an in-house "
                                            "review is done by case managers, the chief, "
                                            "deputies or inspectors")
    ids = [u.id for u in people.values()]
    worked = db.session.execute(select(CaseParticipant.user_id, CaseParticipant.case_id).where(
        CaseParticipant.case_id.in_(list(cases)), CaseParticipant.user_id.in_(ids))).first()
    worked = worked or next(((c.handler_id, c.id) for c in cases.values()
                             if c.handler_id in ids), None)
    if worked is not None:
        who = next(n for n, u in people.items() if u.id == worked[0])
        raise PlanRejected("reviewers", f"{who} worked on case {cases[worked[1]].number} "
                                        "of the sample and may not review it")
    return [people[n] for n in names]


def start(plan: ReviewPlan, actor, reviewers: list[str]) -> ReviewPlan:
    check_issuer(actor, plan.unit_id)
    if plan.status != "drawn":
        raise PlanRejected("status", "a plan starts once, after its sample is drawn")
    names = list(dict.fromkeys(reviewers))
    if not 2 <= len(names) <= MAX_REVIEWERS:
        raise PlanRejected("reviewers", "name at least two reviewers (the lower grades get "
                                        f"a second reviewer) and at most {MAX_REVIEWERS}")
    samples = samples_of(plan)
    cases = {c.id: c for c in db.session.scalars(
        select(Case).where(Case.id.in_([s.case_id for s in samples])))}
    if len(cases) != len(samples):
        raise PlanRejected("status", "a sampled case is no longer readable")
    people = _reviewers(plan, names, cases, {s.reviewed_unit_id for s in samples})
    if plan.reviewing_unit_id is not None:
        if plan.ends_at <= utcnow():
            raise PlanRejected("ends_at", "the plan's review period is over")
        codes = dict(db.session.execute(select(Unit.id, Unit.code).where(
            Unit.id.in_([plan.reviewing_unit_id, samples[0].reviewed_unit_id]))).all())
        try:
            order = crossreview_service.issue_order(
                actor, reviewing=codes[plan.reviewing_unit_id],
                reviewed=codes[samples[0].reviewed_unit_id],
                cases=[cases[s.case_id].public_id for s in samples], reviewers=names,
                starts_at=plan.starts_at, ends_at=plan.ends_at,
                reason=f"案件质量评查：{plan.name}", blind=plan.blind)
        except crossreview_service.OrderRejected as exc:
            db.session.rollback()
            raise PlanRejected("reviewers", str(exc)) from None
        plan.order_id = order.id  # issue_order has committed the order itself
    plan.status = "reviewing"
    reviewing_id = plan.reviewing_unit_id or plan.unit_id
    in_house = reviewing_id == actor.unit_id
    reviews = [Review(unit_id=reviewing_id, public_id=new_public_id(), plan_id=plan.id,
                      case_id=s.case_id, reviewed_unit_id=s.reviewed_unit_id,
                      handler_id=cases[s.case_id].handler_id,
                      reviewer_id=people[i % len(people)].id, status="assigned")
               for i, s in enumerate(samples)]
    if in_house:
        db.session.add_all(reviews)
        db.session.commit()
        return plan
    # A review belongs to the unit that does it (the reviewing unit: its reviewers
    # write the results, it reads them, the reviewed unit reads what was found), yet
    # it is the issuing unit that assigns the work. The issuer writes only in its own
    # unit, so the reviewing unit's work list is filled here as the system, once the
    # issuer's right to order this review was checked above and by issue_order.
    with system_scope(f"review plan {plan.public_id} assigns reviews to the reviewing unit"):
        db.session.add_all(reviews)
        db.session.flush()
    db.session.commit()
    return plan
