"""The problem ledger (台账): one ledger for monitoring hits, quality-review failures
and inspection findings.

An entry is issued by a unit about a unit it supervises (itself or a descendant; a
quality review may come from a cross-reviewing peer). The rectifying unit answers
with its evidence; the issuing unit verifies: accept closes the entry, reopen sends
it back with a reason. States: open → answered → closed, or → reopened → answered
→ ... Ageing (days open) and overdue rectification are computed, never stored.
Every change is a flush of a unit-owned row, so the audit trail records it.

``record_problem`` is the one way in for every source and is idempotent on
(source, source_ref): the unique key decides, so two callers racing leave one entry.
Callers commit.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import and_, case, or_, select
from sqlalchemy.exc import IntegrityError

from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.oversight.ledger_models import (
    ACCEPT,
    ANSWERED,
    CLOSED,
    OPEN,
    REOPEN,
    REOPENED,
    SEVERITIES,
    SOURCES,
    LedgerAnswer,
    LedgerEntry,
    LedgerVerification,
)
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import get_or_404

CHINA = timezone(timedelta(hours=8), "CST")
ANSWERERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER, Role.DEPARTMENT_HEAD})
VERIFIERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER, Role.INSPECTOR})


class LedgerRejected(ValueError):
    """Bad content for the ledger: ``errors`` names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.errors = {field: [message]}


def today() -> date:
    return datetime.now(CHINA).date()


# ---------------------------------------------------------------- state, ageing, overdue
def state_expression():
    """The entry's state in SQL: the issuer's side, or ``answered`` when an answer
    came after the issuer's last verdict."""
    answered = and_(LedgerEntry.last_answer_at.is_not(None),
                    or_(LedgerEntry.verified_at.is_(None),
                        LedgerEntry.last_answer_at > LedgerEntry.verified_at))
    return case((LedgerEntry.status == CLOSED, CLOSED), (answered, ANSWERED),
                else_=LedgerEntry.status)


def state_of(entry: LedgerEntry) -> str:
    if entry.status == CLOSED:
        return CLOSED
    last = entry.last_answer_at
    if last is not None and (entry.verified_at is None or last > entry.verified_at):
        return ANSWERED
    return entry.status


def ageing_days(entry: LedgerEntry, on: date | None = None) -> int:
    """Days the problem has been open (until it closed)."""
    end = entry.closed_at.astimezone(CHINA).date() if entry.closed_at else (on or today())
    return max((end - entry.created_at.astimezone(CHINA).date()).days, 0)


def is_overdue(entry: LedgerEntry, on: date | None = None) -> bool:
    """Past its rectification deadline and not closed."""
    return (entry.deadline is not None and entry.status != CLOSED
            and (on or today()) > entry.deadline)


def overdue_condition(on: date | None = None):
    return and_(LedgerEntry.deadline.is_not(None), LedgerEntry.deadline < (on or today()),
                LedgerEntry.status != CLOSED)


# ---------------------------------------------------------------- recording
def _check_units(unit_id: int, issuing_unit_id: int, source: str) -> None:
    from procuracy.tenants.models import UnitClosure  # the tree's shape: not unit-owned

    if source == "review" or unit_id == issuing_unit_id:
        return  # a cross-review may come from a peer
    above = db.session.scalar(select(UnitClosure.distance).where(
        UnitClosure.ancestor_id == issuing_unit_id, UnitClosure.descendant_id == unit_id))
    if not above:
        raise LedgerRejected("unit", "a unit issues problems only to itself or the units below it")


def _validate(source: str, source_ref: str, problem: str, severity: str) -> None:
    if source not in SOURCES:
        raise LedgerRejected("source", f"one of {', '.join(SOURCES)}")
    if not source_ref or len(source_ref) > 80:
        raise LedgerRejected("source_ref", "1 to 80 characters")
    if not problem or not problem.strip():
        raise LedgerRejected("problem", "describe the problem")
    if severity not in SEVERITIES:
        raise LedgerRejected("severity", f"one of {', '.join(SEVERITIES)}")


def _existing(source: str, source_ref: str) -> LedgerEntry | None:
    return db.session.scalars(select(LedgerEntry).where(
        LedgerEntry.source == source, LedgerEntry.source_ref == source_ref)).first()


def record_problem(*, unit_id: int, issuing_unit_id: int, source: str, source_ref: str,
                   problem: str, severity: str, case_id: int | None = None,
                   handler_id: int | None = None, responsible_id: int | None = None,
                   deadline: date | None = None, actor=None) -> LedgerEntry:
    """Put a problem on the ledger of ``unit_id`` (the rectifying unit), issued by
    ``issuing_unit_id``; ``actor`` (a user of the issuing unit) or the system.

    Idempotent on (source, source_ref): a second call returns the first entry
    unchanged. Flushes; the caller commits."""
    _validate(source, source_ref, problem, severity)
    found = _existing(source, source_ref)
    if found is not None:
        return found
    if actor is not None and actor.unit_id != issuing_unit_id:
        raise PermissionError("a unit issues ledger entries in its own name only")
    _check_units(unit_id, issuing_unit_id, source)
    entry = LedgerEntry(
        unit_id=issuing_unit_id, reviewed_unit_id=unit_id, source=source,
        source_ref=source_ref, problem=problem.strip(), severity=severity, case_id=case_id,
        handler_id=handler_id, responsible_id=responsible_id, deadline=deadline, status=OPEN,
        created_by_id=actor.id if actor is not None else None)
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:
        found = _existing(source, source_ref)  # someone else recorded it meanwhile
        if found is None:
            raise LedgerRejected("source_ref", "already on another unit's ledger") from None
        return found
    return entry


# ---------------------------------------------------------------- answering and verifying
def get_entry(public_id: str) -> LedgerEntry:
    return get_or_404(db.session, LedgerEntry, public_id=public_id)


def may_answer(user, entry: LedgerEntry) -> bool:
    return user.unit_id == entry.reviewed_unit_id and (
        user.has_role(*ANSWERERS) or user.id in (entry.responsible_id, entry.handler_id))


def may_verify(user, entry: LedgerEntry) -> bool:
    return user.unit_id == entry.unit_id and (
        user.has_role(*VERIFIERS) or user.id == entry.created_by_id)


def answer(entry: LedgerEntry, actor, *, text: str, evidence: str = "",
           document_id: int | None = None) -> LedgerAnswer:
    """The rectifying unit's answer: what it did, and its evidence."""
    if not may_answer(actor, entry):
        raise PermissionError("the rectifying unit's chief, deputies, case managers, department "
                              "heads, or the person responsible answer an entry")
    if state_of(entry) == CLOSED:
        raise LedgerRejected("status", "the entry is closed")
    if not text or not text.strip():
        raise LedgerRejected("text", "say what was done")
    row = LedgerAnswer(unit_id=actor.unit_id, entry_id=entry.id, text=text.strip(),
                       evidence=(evidence or "").strip(), document_id=document_id,
                       answered_by_id=actor.id, at=utcnow())
    db.session.add(row)
    db.session.flush()
    db.session.expire(entry, ["last_answer_at"])
    return row


def verify(entry: LedgerEntry, actor, *, outcome: str, reason: str = "") -> LedgerVerification:
    """The issuer's verdict: accept an answered entry (it closes), or reopen an answered
    or closed one with a reason."""
    if not may_verify(actor, entry):
        raise PermissionError("the issuing unit's chief, deputies, case managers or "
                              "inspectors verify an entry")
    state = state_of(entry)
    reason = (reason or "").strip()
    if outcome == ACCEPT:
        if state != ANSWERED:
            raise LedgerRejected("outcome", "only an answered entry can be accepted")
    elif outcome == REOPEN:
        if state not in (ANSWERED, CLOSED):
            raise LedgerRejected("outcome", "only an answered or closed entry can be reopened")
        if not reason:
            raise LedgerRejected("reason", "say why the entry is reopened")
    else:
        raise LedgerRejected("outcome", f"one of {ACCEPT}, {REOPEN}")
    at = utcnow()
    row = LedgerVerification(unit_id=actor.unit_id, entry_id=entry.id, outcome=outcome,
                             reason=reason, verified_by_id=actor.id, at=at)
    db.session.add(row)
    entry.verified_at = at
    entry.status = CLOSED if outcome == ACCEPT else REOPENED
    entry.closed_at = at if outcome == ACCEPT else None
    db.session.flush()
    return row


def history(entry: LedgerEntry) -> list[dict]:
    """Answers and verdicts, oldest first (two statements)."""
    answers = db.session.scalars(select(LedgerAnswer).where(
        LedgerAnswer.entry_id == entry.id)).all()
    verdicts = db.session.scalars(select(LedgerVerification).where(
        LedgerVerification.entry_id == entry.id)).all()
    events = [{"kind": "answer", "at": a.at, "by_id": a.answered_by_id, "text": a.text,
               "evidence": a.evidence, "document_id": a.document_id} for a in answers]
    events += [{"kind": v.outcome, "at": v.at, "by_id": v.verified_by_id, "text": v.reason,
                "evidence": "", "document_id": None} for v in verdicts]
    return sorted(events, key=lambda e: e["at"])
