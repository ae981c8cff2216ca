"""Decisions under the power list, their approval chain, joint meetings and
committee sessions, and records of interference in cases."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.cases.models import new_public_id
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.ownership import UnitOwned


class Decision(UnitOwned, db.Model):
    """A decision on a case: recorded by whoever may decide it, or requested and
    routed to the role that decides (department head → chief → committee)."""

    __tablename__ = "decisions"
    __scope__ = "via_case"
    __table_args__ = (Index("ix_decisions_status_role", "unit_id", "status", "awaiting_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    matter: Mapped[str] = mapped_column(String(120))
    item_code: Mapped[str] = mapped_column(String(16), default="")
    power_versions: Mapped[dict] = mapped_column(JSON, default=dict)
    content: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12))  # decided | pending | returned
    awaiting_role: Mapped[str] = mapped_column(String(32), default="")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_role: Mapped[str] = mapped_column(String(32), default="")
    decided_at: Mapped[datetime | None]
    effective_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    steps: Mapped[list[DecisionStep]] = relationship(
        cascade="all, delete-orphan", lazy="raise_on_sql", order_by="DecisionStep.seq")


class DecisionStep(UnitOwned, db.Model):
    """The chain of a decision: requested, approved, returned, changed, escalated."""

    __tablename__ = "decision_steps"
    __scope__ = "via_case"
    __table_args__ = (UniqueConstraint("decision_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    seq: Mapped[int]
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Meeting(UnitOwned, db.Model):
    """A prosecutors' joint meeting (联席会议) or a committee session (检委会)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    kind: Mapped[str] = mapped_column(String(12))  # joint | committee
    held_on: Mapped[date]
    agenda: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    chaired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class MeetingCase(UnitOwned, db.Model):
    __tablename__ = "meeting_cases"
    __scope__ = "via_case"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)
    majority_opinion: Mapped[str] = mapped_column(Text, default="")
    handler_agrees: Mapped[bool | None]
    escalated_to: Mapped[str] = mapped_column(String(32), default="")


class MeetingOpinion(UnitOwned, db.Model):
    __tablename__ = "meeting_opinions"
    __scope__ = "via_case"  # opinions on a case are read with the case
    __table_args__ = (UniqueConstraint("meeting_id", "case_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opinion: Mapped[str] = mapped_column(Text)
    position: Mapped[str] = mapped_column(String(16))  # agree | disagree | abstain


class InterferenceRecord(UnitOwned, db.Model):
    """Somebody inquired about or tried to influence a case (干预司法活动记录).
    Never edited afterwards; read by the recorder, the unit's chief and the higher
    units' inspectors (``__scope__ = "interference"``)."""

    __tablename__ = "interference_records"
    __scope__ = "interference"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    person: Mapped[str] = mapped_column(String(120))
    person_position: Mapped[str] = mapped_column(String(120), default="")
    inside: Mapped[bool] = mapped_column(default=False)  # inside the procuratorate
    occurred_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(40))  # in person, phone, letter, message
    content: Mapped[str] = mapped_column(Text)
