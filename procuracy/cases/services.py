"""Reading cases: the filtered list, my cases, one case's detail and its timeline.

Every query goes through the scope (out of scope is 404, or absent from a list).
A page costs a constant number of statements whatever its size: the count, then
the page with the unit, kind and handler joined in (outer joins, so what the
reader may not see of them is empty rather than the case missing). A unit code
given as a filter is resolved to its id first; a unit's code and name are not
its data, and a cross-reviewer reading a sibling's case still sees whose it is.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from procuracy.cases.catalogue_models import CaseKind
from procuracy.cases.models import Case, CaseParticipant, CaseStep, HandlingOrganisation
from procuracy.extensions import db
from procuracy.tenants.models import Department, Unit, User
from procuracy.tenants.scope import OutOfScope, get_or_404, system_scope

NEWEST_FIRST = (Case.received_on.desc(), Case.id.desc())


# ---------------------------------------------------------------- filters
def case_filters(unit: str | None = None, status: str | None = None, kind: str | None = None,
                 *, handler: str | None = None, received_from: date | None = None,
                 received_to: date | None = None, major: bool | None = None,
                 detained: bool | None = None, juvenile: bool | None = None,
                 designated: bool | None = None, q: str | None = None) -> list:
    """WHERE conditions over ``Case`` (each one index-friendly but the free text)."""
    conditions = []
    if unit:
        conditions.append(Case.unit_id == _unit_id(unit))
    if status:
        conditions.append(Case.status == status)
    if kind:
        conditions.append(Case.kind_code == kind)
    if handler:
        conditions.append(Case.handler_id == select(User.id).where(User.username == handler)
                          .scalar_subquery())
    if received_from:
        conditions.append(Case.received_on >= received_from)
    if received_to:
        conditions.append(Case.received_on <= received_to)
    for column, wanted in ((Case.major, major), (Case.detained, detained),
                           (Case.juvenile, juvenile), (Case.designated, designated)):
        if wanted is not None:
            conditions.append(column.is_(wanted))
    if q:
        conditions.append(or_(Case.number.contains(q, autoescape=True),
                              Case.title.contains(q, autoescape=True)))
    return conditions


def _unit_id(code: str) -> int | None:
    with system_scope("resolve a unit code given as a case filter"):
        found = db.session.scalar(select(Unit.id).where(Unit.code == code))
    return found if found is not None else -1  # an unknown unit lists nothing


def mine(user) -> list:
    """The condition for "my cases": those I handle or assist on."""
    return [Case.id.in_(select(CaseParticipant.case_id)
                        .where(CaseParticipant.user_id == user.id))]


# ---------------------------------------------------------------- the list
def listing(conditions: list):
    """The list statement: cases with unit, kind and handler, newest first."""
    return (select(Case, Unit.code, Unit.name, CaseKind.name, User.username, User.full_name)
            .outerjoin(Unit, Unit.id == Case.unit_id)
            .outerjoin(CaseKind, CaseKind.id == Case.kind_id)
            .outerjoin(User, User.id == Case.handler_id)
            .where(*conditions).order_by(*NEWEST_FIRST))


def count(conditions: list) -> int:
    return db.session.scalar(select(func.count(Case.id)).where(*conditions)) or 0


def page(conditions: list, first: int, size: int) -> tuple[list[dict], int]:
    """One page of cases (newest first) and the total, both through the scope."""
    total = count(conditions)
    if first >= total:
        return [], total
    rows = db.session.execute(listing(conditions).limit(size).offset(first)).all()
    return with_unit_names([row_out(*r) for r in rows]), total


def row_out(case: Case, unit_code, unit_name, kind_name, handler, handler_name) -> dict:
    out = {c.key: getattr(case, c.key) for c in Case.__table__.columns}
    out.update(unit_code=unit_code, unit_name=unit_name, kind_name=kind_name,
               handler=handler, handler_name=handler_name)
    return out


def with_unit_names(rows: list[dict]) -> list[dict]:
    """Fill in the unit of cases read by a cross-review grant (their unit's row is
    out of the reader's scope): one statement, only when needed."""
    missing = {r["unit_id"] for r in rows if r["unit_code"] is None}
    if missing:
        with system_scope("name the units of cases the reader may read"):
            names = {u.id: (u.code, u.name) for u in db.session.execute(
                select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(missing)))}
        for r in rows:
            if r["unit_code"] is None and r["unit_id"] in names:
                r["unit_code"], r["unit_name"] = names[r["unit_id"]]
    return rows


# ---------------------------------------------------------------- one case
def find_case(public_id: str) -> Case:
    """The case by its public id; ``OutOfScope`` (404) if missing or not mine to read."""
    return get_or_404(db.session, Case, public_id=public_id)


def get_case(public_id: str) -> dict:
    """The case with its unit, kind, handler, department, organisation, participants."""
    row = db.session.execute(
        listing([Case.public_id == public_id])
        .add_columns(Department.name, HandlingOrganisation.name, HandlingOrganisation.kind)
        .outerjoin(Department, Department.id == Case.department_id)
        .outerjoin(HandlingOrganisation, HandlingOrganisation.id == Case.organisation_id)
        .limit(1)).first()
    if row is None:
        raise OutOfScope(f"Case {public_id}")
    out = with_unit_names([row_out(*row[:6])])[0]
    department, org_name, org_kind = row[6:]
    out["department"] = department
    out["organisation"] = {"name": org_name, "kind": org_kind} if org_name else None
    out["participants"] = participants(out["id"])
    return out


def participants(case_id: int) -> list[dict]:
    rows = db.session.execute(
        select(CaseParticipant, User.username, User.full_name)
        .outerjoin(User, User.id == CaseParticipant.user_id)
        .where(CaseParticipant.case_id == case_id)
        .order_by(CaseParticipant.since, CaseParticipant.user_id)).all()
    order = {"handler": 0, "assistant": 1, "clerk": 2}
    out = [{"username": name, "full_name": full, "role": p.role, "since": p.since}
           for p, name, full in rows]
    return sorted(out, key=lambda p: order.get(p["role"], 9))


def timeline(public_id: str) -> list[dict]:
    """Every step on the case, oldest first, with who performed it."""
    case = find_case(public_id)
    rows = db.session.execute(
        select(CaseStep, User.username, User.full_name)
        .outerjoin(User, User.id == CaseStep.actor_id)
        .where(CaseStep.case_id == case.id)
        .order_by(CaseStep.at, CaseStep.id)).all()
    return [{"at": s.at, "kind": s.kind, "stage_code": s.stage_code, "summary": s.summary,
             "detail": s.detail, "actor": name, "actor_name": full} for s, name, full in rows]
