"""Issuing cross-review orders: a unit lets one descendant (or itself) review named
cases of another descendant, through named reviewers, for a bounded period."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from procuracy.cases.models import Case, CaseParticipant
from procuracy.extensions import db
from procuracy.tenants.crossreview import CrossReviewCase, CrossReviewer, CrossReviewOrder
from procuracy.tenants.models import Unit, UnitClosure, User
from procuracy.tenants.roles import Role
from procuracy.tenants.services import readable_unit

ISSUERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER})
LONGEST = timedelta(days=366)


class OrderRejected(ValueError):
    """The order breaks a rule; the message says which (answers 422)."""


def _is_within(ancestor: Unit, unit: Unit) -> bool:
    return db.session.scalar(
        select(UnitClosure.distance).where(UnitClosure.ancestor_id == ancestor.id,
                                           UnitClosure.descendant_id == unit.id)
    ) is not None


def issue_order(user: User, *, reviewing: str, reviewed: str, cases: list[str],
                reviewers: list[str], starts_at: datetime, ends_at: datetime,
                reason: str, blind: bool = False) -> CrossReviewOrder:
    if not user.has_role(*ISSUERS):
        raise PermissionError("only a chief, deputy chief or case manager issues cross-review orders")
    issuer = user.unit
    reviewing_unit, reviewed_unit = readable_unit(reviewing), readable_unit(reviewed)
    if reviewing_unit.id == reviewed_unit.id:
        raise OrderRejected("a unit does not cross-review itself")
    if reviewed_unit.id == issuer.id:
        raise OrderRejected("the reviewed unit must be a descendant of the issuing unit "
                            "(a lower unit never reads up)")
    for unit in (reviewing_unit, reviewed_unit):
        if not _is_within(issuer, unit):
            raise OrderRejected(f"{unit.code} is not {issuer.name} or one of its descendants")
    if ends_at <= starts_at:
        raise OrderRejected("ends_at must be after starts_at")
    if ends_at - starts_at > LONGEST:
        raise OrderRejected("an order runs for at most a year")
    found = db.session.scalars(
        select(Case).where(Case.public_id.in_(cases), Case.unit_id == reviewed_unit.id)).all()
    missing = sorted(set(cases) - {c.public_id for c in found})
    if missing:
        raise OrderRejected(f"not cases of {reviewed_unit.code}: {', '.join(missing)}")
    people = db.session.scalars(
        select(User).where(User.username.in_(reviewers), User.unit_id == reviewing_unit.id)).all()
    strangers = sorted(set(reviewers) - {u.username for u in people})
    if strangers:
        raise OrderRejected(f"not users of {reviewing_unit.code}: {', '.join(strangers)}")
    handled = db.session.scalars(
        select(CaseParticipant.user_id).where(
            CaseParticipant.case_id.in_([c.id for c in found]),
            CaseParticipant.user_id.in_([u.id for u in people]))).all()
    if handled:
        raise OrderRejected("a reviewer worked on one of the cases")
    order = CrossReviewOrder(
        unit_id=issuer.id, reviewing_unit_id=reviewing_unit.id,
        reviewed_unit_id=reviewed_unit.id, starts_at=starts_at, ends_at=ends_at,
        reason=reason, blind=blind, created_by_id=user.id)
    order.cases = [CrossReviewCase(unit_id=issuer.id, case_id=c.id) for c in found]
    order.reviewers = [CrossReviewer(unit_id=issuer.id, user_id=u.id) for u in people]
    db.session.add(order)
    db.session.commit()
    return order


def visible_orders() -> list[CrossReviewOrder]:
    return list(db.session.scalars(
        select(CrossReviewOrder).order_by(CrossReviewOrder.created_at.desc())))


def order_out(order: CrossReviewOrder) -> dict:
    """Codes and public ids only: the reader may not see the cases themselves."""
    ids = {order.unit_id, order.reviewing_unit_id, order.reviewed_unit_id}
    codes = dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(ids))).all())
    case_ids = dict(db.session.execute(
        select(Case.id, Case.public_id).where(Case.id.in_([c.case_id for c in order.cases]))
    ).all())
    names = dict(db.session.execute(
        select(User.id, User.username).where(User.id.in_([r.user_id for r in order.reviewers]))
    ).all())
    return {
        "id": order.public_id, "issuer": codes.get(order.unit_id),
        "reviewing": codes.get(order.reviewing_unit_id),
        "reviewed": codes.get(order.reviewed_unit_id),
        "starts_at": order.starts_at, "ends_at": order.ends_at, "reason": order.reason,
        "blind": order.blind, "cases": sorted(case_ids.values()),
        "case_count": len(order.cases), "reviewers": sorted(names.values()),
    }
