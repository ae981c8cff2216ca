"""Oversight models: the problem ledger (台账) and inspections (督察).

Every row belongs to the unit that writes it, because a unit writes only its own
rows (``tenants.scope``) and a higher unit reads down the tree, read-only:

- ``LedgerEntry`` is written by the *issuing* unit (``unit_id``, alias
  ``issuing_unit_id``) about the *rectifying* unit (``reviewed_unit_id``, alias
  ``rectifying_unit_id``). Its scope kind is ``"review"``: the issuer and those
  above it read it, and so do the rectifying unit and those above it; nobody
  reads sideways or up. The issuer's side of the state (open, closed, reopened)
  is stored on it; ``answered`` is derived from the answers (see ``ledger_state``).
- ``LedgerAnswer`` is written by the rectifying unit: its answer and evidence.
- ``LedgerVerification`` is written by the issuer: accept or reopen, with a reason.
  Both are ``"child"`` rows: whoever reads the entry reads them.
- ``Inspection`` and ``InspectionFinding`` belong to the inspecting unit; each
  finding points at the ledger entry it created for its target unit.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, synonym

from procuracy.cases.models import new_public_id
from procuracy.extensions import db
from procuracy.orm import Timestamped, utcnow
from procuracy.ownership import UnitOwned

SOURCES = ("monitoring", "review", "inspection")
SEVERITIES = ("minor", "normal", "major", "serious")
OPEN, ANSWERED, CLOSED, REOPENED = "open", "answered", "closed", "reopened"
STATES = (OPEN, ANSWERED, CLOSED, REOPENED)
ACCEPT, REOPEN = "accept", "reopen"


class LedgerAnswer(UnitOwned, db.Model):
    """The rectifying unit's answer to an entry, with its evidence."""

    __tablename__ = "ledger_answers"
    __scope__ = "child"
    __scope_parent_key__ = "entry_id"

    @staticmethod
    def __scope_parent__():
        return LedgerEntry

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("case_documents.id"))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerEntry(UnitOwned, Timestamped, db.Model):
    __tablename__ = "ledger_entries"
    __scope__ = "review"
    __table_args__ = (
        UniqueConstraint("source", "source_ref"),
        Index("ix_ledger_entries_rectifying_status", "reviewed_unit_id", "status"),
    )
    __audit_exclude__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    reviewed_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str] = mapped_column(String(80))
    problem: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(12), default="normal")
    deadline: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12), default=OPEN)  # open | closed | reopened
    verified_at: Mapped[datetime | None]  # the issuer's last accept or reopen
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    issuing_unit_id = synonym("unit_id")
    rectifying_unit_id = synonym("reviewed_unit_id")

    last_answer_at = column_property(
        select(func.max(LedgerAnswer.at))
        .where(LedgerAnswer.entry_id == id)
        .correlate_except(LedgerAnswer)
        .scalar_subquery(),
        deferred=False,
    )

    def __repr__(self) -> str:
        return f"<LedgerEntry {self.public_id} {self.source}:{self.source_ref}>"


class LedgerVerification(UnitOwned, db.Model):
    """The issuer's verdict on an answer: accept (closes) or reopen (with a reason)."""

    __tablename__ = "ledger_verifications"
    __scope__ = "child"
    __scope_parent_key__ = "entry_id"

    @staticmethod
    def __scope_parent__():
        return LedgerEntry

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


TOPICS = ("leaders_cases", "case_quality", "process", "discipline", "other")
PLANNED, CLOSED_INSPECTION = "planned", "closed"


class Inspection(UnitOwned, Timestamped, db.Model):
    """A higher unit's inspection of lower units: topic, targets, period, team."""

    __tablename__ = "inspections"
    __audit_exclude__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(24))
    target_unit_ids: Mapped[list] = mapped_column(JSON, default=list)
    with_descendants: Mapped[bool] = mapped_column(default=False)
    period_from: Mapped[date]
    period_to: Mapped[date]
    team_ids: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default=PLANNED)  # planned | closed
    conclusion: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class InspectionFinding(UnitOwned, db.Model):
    """A finding of an inspection: the ledger entry it put on the target unit's ledger."""

    __tablename__ = "inspection_findings"
    __table_args__ = (UniqueConstraint("inspection_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    seq: Mapped[int]
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    target_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
