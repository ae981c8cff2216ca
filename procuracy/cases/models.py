"""Cases and what hangs off them: who works on them, their numbering, the
handling organisations, the timeline of steps, the statutory clocks, documents.

A case belongs to its unit; everything attached to a case is read through the
case (``__scope__ = "via_case"``) and belongs to the case's unit.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.extensions import db
from procuracy.orm import Timestamped, utcnow
from procuracy.ownership import UnitOwned


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


class Case(UnitOwned, Timestamped, db.Model):
    __tablename__ = "cases"
    __scope__ = "case"
    __table_args__ = (
        Index("ix_cases_unit_received", "unit_id", "received_on"),
        Index("ix_cases_unit_status", "unit_id", "status"),
        # Closed in a period, per unit: scoring, bulletins, review draws (PERFORMANCE.md F5).
        Index("ix_cases_unit_closed", "unit_id", "closed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    number: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200), default="")
    kind_code: Mapped[str] = mapped_column(String(32), default="", index=True)
    kind_id: Mapped[int | None] = mapped_column(ForeignKey("case_kinds.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("handling_organisations.id"))
    received_on: Mapped[date] = mapped_column(index=True)
    closed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    stage_code: Mapped[str] = mapped_column(String(32), default="")
    source_agency: Mapped[str] = mapped_column(String(120), default="")
    suspects_count: Mapped[int] = mapped_column(default=1)
    suspects: Mapped[list] = mapped_column(JSON, default=list)
    charges: Mapped[list] = mapped_column(JSON, default=list)
    card: Mapped[dict] = mapped_column(JSON, default=dict)  # case-card (案卡) fields
    weight: Mapped[float] = mapped_column(default=1.0)
    major: Mapped[bool] = mapped_column(default=False)
    detained: Mapped[bool] = mapped_column(default=False)
    juvenile: Mapped[bool] = mapped_column(default=False)
    designated: Mapped[bool] = mapped_column(default=False)  # assigned by designation
    outcome: Mapped[str] = mapped_column(String(32), default="")  # e.g. prosecuted, acquitted

    participants: Mapped[list[CaseParticipant]] = relationship(
        back_populates="case", cascade="all, delete-orphan", lazy="raise_on_sql"
    )

    def __repr__(self) -> str:
        return f"<Case {self.number}>"


class CaseParticipant(UnitOwned, db.Model):
    """Who works on a case: the handler, assistants, clerks."""

    __tablename__ = "case_participants"
    __scope__ = "via_case"
    # "the cases I work on" is an index-only scan on (user_id, case_id)
    __table_args__ = (Index("ix_case_participants_user_case", "user_id", "case_id"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), default="handler")
    since: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="participants")


class CaseNumberSequence(UnitOwned, db.Model):
    """The last number given per unit, kind abbreviation and year (穗海检刑诉受〔2026〕12号).
    Incremented with a row lock, so numbers are unique and gapless."""

    __tablename__ = "case_number_sequences"
    __audited__ = False
    __record_reads__ = False

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    kind_abbr: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class HandlingOrganisation(UnitOwned, db.Model):
    """A case-handling organisation: a prosecutor alone (独任) or a team (办案组),
    e.g. Dongpo's "1+1+1": one prosecutor, one assistant, one clerk."""

    __tablename__ = "handling_organisations"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(12), default="solo")  # solo | team
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    members: Mapped[list[HandlingOrgMember]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")


class HandlingOrgMember(UnitOwned, db.Model):
    __tablename__ = "handling_org_members"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("handling_organisations.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16))  # prosecutor | assistant | clerk


class CaseStep(UnitOwned, db.Model):
    """One step on a case's timeline: registered, assigned, stage entered, reviewed,
    signed, attended, decision requested/taken, document added, closed.
    ``actor_id`` is who performed it: leaders' own handling is judged from these."""

    __tablename__ = "case_steps"
    __scope__ = "via_case"
    __table_args__ = (Index("ix_case_steps_case_at", "case_id", "at"),
                      Index("ix_case_steps_actor_kind", "actor_id", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))
    stage_code: Mapped[str] = mapped_column(String(32), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class CaseClock(UnitOwned, db.Model):
    """A statutory clock on a case (review, custody, supplementary investigation).
    The due date is derived from the start, the limit, the extensions and the
    calendar when the clock changes; overdue / due-soon are computed on reading."""

    __tablename__ = "case_clocks"
    __scope__ = "via_case"
    __table_args__ = (Index("ix_case_clocks_open_due", "stopped_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    stage_code: Mapped[str] = mapped_column(String(32), default="")
    started_on: Mapped[date]
    limit_value: Mapped[int]
    limit_unit: Mapped[str] = mapped_column(String(16))
    extensions: Mapped[list] = mapped_column(JSON, default=list)  # [{"value","unit","reason"}]
    in_custody: Mapped[bool] = mapped_column(default=False)  # no holiday extension
    warn_days: Mapped[int] = mapped_column(default=3)
    due_on: Mapped[date]
    stopped_on: Mapped[date | None]
    resets: Mapped[int] = mapped_column(default=0)


class CaseDocument(UnitOwned, db.Model):
    """A document on a case; the bytes live in the document store, not the database."""

    __tablename__ = "case_documents"
    __scope__ = "via_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
