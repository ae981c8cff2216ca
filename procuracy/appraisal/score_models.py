"""Computed scores: a run per unit, rule-set version and period (official or a
sandbox), each person's total and grade, each indicator's points, and the cases,
events and reviews every point came from; objections on items."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.ownership import UnitOwned


class ScoreRun(UnitOwned, db.Model):
    __tablename__ = "score_runs"
    __table_args__ = (UniqueConstraint("unit_id", "rule_set_id", "period", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_sets.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(12), default="official")  # official | sandbox
    status: Mapped[str] = mapped_column(String(12), default="computed")  # computed|published
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    computed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    statements: Mapped[int] = mapped_column(default=0)  # SQL statements the computation took
    published_at: Mapped[datetime | None]


class Score(UnitOwned, db.Model):
    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("run_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("score_runs.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    total: Mapped[float]
    grade: Mapped[str] = mapped_column(String(16), default="")
    rank: Mapped[int] = mapped_column(default=0)


class ScoreItem(UnitOwned, db.Model):
    __tablename__ = "score_items"
    __table_args__ = (Index("ix_score_items_run_user", "run_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("score_runs.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    aspect_code: Mapped[str] = mapped_column(String(24))
    indicator_code: Mapped[str] = mapped_column(String(32))
    raw_value: Mapped[float]
    points: Mapped[float]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class ScoreSource(UnitOwned, db.Model):
    """Where a point came from: a case, an event or a quality review."""

    __tablename__ = "score_sources"
    __record_reads__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("score_items.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("score_events.id"))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"))
    contribution: Mapped[float]


class Objection(UnitOwned, db.Model):
    """A person's objection to one item of their score; answered and logged."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("score_items.id"), index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | answered
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]
