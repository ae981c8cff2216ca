"""Reading cases: every query goes through the scope; out of scope is 404."""
from __future__ import annotations

from sqlalchemy import func, select

from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import get_or_404


def case_filters(unit_code: str | None = None, status: str | None = None,
                 kind: str | None = None) -> list:
    conditions = []
    if unit_code:
        conditions.append(Unit.code == unit_code)
    if status:
        conditions.append(Case.status == status)
    if kind:
        conditions.append(Case.kind_code == kind)
    return conditions


def page(conditions: list, first: int, size: int) -> tuple[list[dict], int]:
    """One page of cases (newest first) and the total, both through the scope."""
    joined = select(Case, Unit.code).join(Unit, Unit.id == Case.unit_id).where(*conditions)
    total = db.session.scalar(
        select(func.count(Case.id)).join(Unit, Unit.id == Case.unit_id).where(*conditions))
    query = joined
    rows = db.session.execute(
        query.order_by(Case.received_on.desc(), Case.id.desc()).limit(size).offset(first)).all()
    return [case_out(c, code) for c, code in rows], total


def get_case(public_id: str) -> dict:
    case = get_or_404(db.session, Case, public_id=public_id)
    return case_out(case, db.session.get(Unit, case.unit_id).code)


def case_out(case: Case, unit_code: str) -> dict:
    out = {c.key: getattr(case, c.key) for c in Case.__table__.columns}
    out["unit_code"] = unit_code
    return out
