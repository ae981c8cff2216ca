"""Rotation (分案/轮案): groups per unit and line of business, their versioned rules
(a change needs approval), members with shares and absences, and every draw with
what is needed to replay it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.cases.models import new_public_id
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.ownership import UnitOwned


class RotationGroup(UnitOwned, db.Model):
    __tablename__ = "rotation_groups"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    line: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    kind_codes: Mapped[list] = mapped_column(JSON, default=list)  # kinds it takes; [] = all
    active_rules_id: Mapped[int | None] = mapped_column(
        ForeignKey("rotation_rule_versions.id", use_alter=True))

    members: Mapped[list[RotationMember]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RotationMember.user_id")


class RotationRuleVersion(UnitOwned, db.Model):
    """The group's rules: weight by suspects and by kind. Proposed, then approved
    (or rejected) by whoever the power list names; every version is kept."""

    __tablename__ = "rotation_rule_versions"
    __table_args__ = (UniqueConstraint("group_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("rotation_groups.id"), index=True)
    version: Mapped[int]
    rules: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")


class RotationMember(UnitOwned, db.Model):
    """A member takes part at a share m/n; ``load`` is the weighted sum of cases
    received, compared as load / share. ``status``: active, absent (no make-up on
    return) or away (changed handling unit: make-up owed on return)."""

    __tablename__ = "rotation_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("rotation_groups.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    share_num: Mapped[int] = mapped_column(default=1)
    share_den: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(12), default="active")
    load: Mapped[float] = mapped_column(default=0.0)
    cases: Mapped[int] = mapped_column(default=0)


class AssignmentDraw(UnitOwned, db.Model):
    """One assignment of a case: random (with seed and candidate pool, replayable),
    designated (reason and approval) or a reassignment (reason)."""

    __tablename__ = "assignment_draws"
    __scope__ = "via_case"
    __table_args__ = (Index("ix_assignment_draws_group_at", "group_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("rotation_groups.id"))
    rules_id: Mapped[int | None] = mapped_column(ForeignKey("rotation_rule_versions.id"))
    mode: Mapped[str] = mapped_column(String(12))  # random | designated | reassigned
    seed: Mapped[str] = mapped_column(String(64), default="")
    weight: Mapped[float] = mapped_column(default=1.0)
    candidates: Mapped[list] = mapped_column(JSON, default=list)  # [{user_id, load, share...}]
    chosen_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="done")  # done | pending | refused
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
