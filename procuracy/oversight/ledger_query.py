"""The ledger as a list: filters, one page, rows as the API, pages and export show
them. A page costs a count, one statement for the entries (with their cases), one
for the units' names and one for the people's, whatever its size."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.oversight.ledger import (
    ageing_days,
    is_overdue,
    may_answer,
    may_verify,
    overdue_condition,
    state_expression,
    state_of,
    today,
)
from procuracy.oversight.ledger_models import LedgerEntry
from procuracy.tenants import units as tree
from procuracy.tenants.models import Unit, User
from procuracy.tenants.scope import OutOfScope, system_scope

NEWEST_FIRST = (LedgerEntry.created_at.desc(), LedgerEntry.id.desc())


def _unit_id(code: str) -> int:
    unit = tree.by_code(code)
    if unit is None:
        raise OutOfScope(f"unit {code}")
    return unit.id


def filters(*, unit: str | None = None, issuer: str | None = None, side: str | None = None,
            source: str | None = None, severity: str | None = None, state: str | None = None,
            overdue: bool | None = None, case: str | None = None, q: str | None = None,
            user=None) -> list:
    """WHERE conditions over ``LedgerEntry``; ``side``: "mine" (my unit rectifies) or
    "issued" (my unit issued)."""
    conditions = []
    if unit:
        conditions.append(LedgerEntry.reviewed_unit_id == _unit_id(unit))
    if issuer:
        conditions.append(LedgerEntry.unit_id == _unit_id(issuer))
    if side == "mine" and user is not None:
        conditions.append(LedgerEntry.reviewed_unit_id == user.unit_id)
    if side == "issued" and user is not None:
        conditions.append(LedgerEntry.unit_id == user.unit_id)
    if source:
        conditions.append(LedgerEntry.source == source)
    if severity:
        conditions.append(LedgerEntry.severity == severity)
    if state:
        conditions.append(state_expression() == state)
    if overdue is True:
        conditions.append(overdue_condition())
    if overdue is False:
        conditions.append(~overdue_condition())
    if case:
        conditions.append(LedgerEntry.case_id == select(Case.id).where(
            Case.public_id == case).scalar_subquery())
    if q:
        conditions.append(or_(LedgerEntry.problem.contains(q, autoescape=True),
                              LedgerEntry.source_ref.contains(q, autoescape=True)))
    return conditions


def listing(conditions: list):
    """Entries with their case's id and number (the case only when the reader reads it)."""
    return (select(LedgerEntry, Case.public_id, Case.number)
            .outerjoin(Case, Case.id == LedgerEntry.case_id)
            .where(*conditions).order_by(*NEWEST_FIRST))


def count(conditions: list) -> int:
    return db.session.scalar(select(func.count(LedgerEntry.id)).where(*conditions)) or 0


def row_out(row, user=None, on: date | None = None) -> dict:
    entry, case_id, case_number = row
    on = on or today()
    state = state_of(entry)
    return {
        "entry": entry, "id": entry.public_id, "unit_id": entry.reviewed_unit_id,
        "issuing_unit_id": entry.unit_id, "unit": None, "unit_name": None,
        "issuer": None, "issuer_name": None, "case": case_id, "case_number": case_number,
        "handler_id": entry.handler_id, "handler": None, "handler_name": None,
        "responsible_id": entry.responsible_id, "responsible": None, "responsible_name": None,
        "source": entry.source, "source_ref": entry.source_ref, "problem": entry.problem,
        "severity": entry.severity, "deadline": entry.deadline, "state": state,
        "ageing_days": ageing_days(entry, on), "overdue": is_overdue(entry, on),
        "created_at": entry.created_at, "closed_at": entry.closed_at,
        "last_answer_at": entry.last_answer_at, "verified_at": entry.verified_at,
        "can_answer": bool(user) and state != "closed" and may_answer(user, entry),
        "can_verify": bool(user) and may_verify(user, entry),
    }


def with_names(rows: list[dict]) -> list[dict]:
    """Unit codes and names, and the people's usernames and names: one statement for
    the units, one for the people, whatever the number of rows. A peer that issued a
    cross-review finding is named (code and name only) even though the reader may not
    read it; people the reader may not read stay None."""
    if not rows:
        return rows
    unit_ids = {r["unit_id"] for r in rows} | {r["issuing_unit_id"] for r in rows}
    with system_scope("name the units on ledger entries the reader may read (codes only)"):
        units = {u.id: (u.code, u.name) for u in db.session.execute(
            select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(unit_ids)))}
    people_ids = {i for r in rows for i in (r["handler_id"], r["responsible_id"]) if i}
    people = {u.id: (u.username, u.full_name) for u in db.session.execute(
        select(User.id, User.username, User.full_name).where(User.id.in_(people_ids)))
    } if people_ids else {}
    for r in rows:
        r["unit"], r["unit_name"] = units.get(r["unit_id"], (None, None))
        r["issuer"], r["issuer_name"] = units.get(r["issuing_unit_id"], (None, None))
        r["handler"], r["handler_name"] = people.get(r["handler_id"], (None, None))
        r["responsible"], r["responsible_name"] = people.get(r["responsible_id"], (None, None))
    return rows


def page(conditions: list, first: int, size: int, user=None) -> tuple[list[dict], int]:
    """One page of entries (newest first) and the total, through the scope."""
    total = count(conditions)
    if first >= total:
        return [], total
    rows = db.session.execute(listing(conditions).limit(size).offset(first)).all()
    on = today()
    return with_names([row_out(r, user, on) for r in rows]), total


def one(public_id: str, user=None) -> dict:
    """One entry as a row, or ``OutOfScope``."""
    row = db.session.execute(listing([LedgerEntry.public_id == public_id])).first()
    if row is None:
        raise OutOfScope(f"LedgerEntry {public_id}")
    return with_names([row_out(row, user)])[0]


def rows_for(entry_ids: list[int], user=None) -> list[dict]:
    """Entries by id, as rows (for an inspection's findings)."""
    if not entry_ids:
        return []
    rows = db.session.execute(listing([LedgerEntry.id.in_(entry_ids)])).all()
    on = today()
    return with_names([row_out(r, user, on) for r in rows])



def detail(public_id: str, user=None) -> dict:
    """One entry with its answers and verdicts (a fixed handful of statements). People
    and documents the reader may not read are shown as None."""
    from procuracy.cases.models import CaseDocument
    from procuracy.oversight.ledger import history

    out = one(public_id, user)
    events = history(out["entry"])
    people = {i for e in events if (i := e["by_id"])}
    names = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_(people))).all()) if people else {}
    documents = {i for e in events if (i := e["document_id"])}
    docs = dict(db.session.execute(select(CaseDocument.id, CaseDocument.public_id).where(
        CaseDocument.id.in_(documents))).all()) if documents else {}
    out["history"] = [{**e, "by": names.get(e["by_id"]), "document": docs.get(e["document_id"])}
                      for e in events]
    return out


def document_id(entry, public_id: str | None) -> int | None:
    """The id of a document of the entry's case, for an answer's evidence."""
    from procuracy.cases.models import CaseDocument
    from procuracy.oversight.ledger import LedgerRejected

    if not public_id:
        return None
    doc = db.session.scalars(select(CaseDocument).where(
        CaseDocument.public_id == public_id)).first()
    if doc is None or entry.case_id is None or doc.case_id != entry.case_id:
        raise LedgerRejected("document", "not a document of this entry's case")
    return doc.id
