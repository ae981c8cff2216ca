"""Evaluation rules as data: a rule set per unit, audience and period kind,
inheriting the province's template, with weighted aspects and indicators.

A rule set is a draft until published; published versions never change. The
province's published rule sets reach its whole tree (``__scope__ = "template"``).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.extensions import db
from procuracy.orm import Timestamped
from procuracy.ownership import UnitOwned

AUDIENCES = ("prosecutor", "assistant", "clerk")
PERIOD_KINDS = ("month", "quarter", "year")
INDICATOR_KINDS = ("case_count", "weighted_cases", "review_grade", "event_points", "manual",
                   "ratio")


class RuleSet(UnitOwned, Timestamped, db.Model):
    __tablename__ = "rule_sets"
    __scope__ = "template"
    __table_args__ = (UniqueConstraint("unit_id", "audience", "period_kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    audience: Mapped[str] = mapped_column(String(16))
    period_kind: Mapped[str] = mapped_column(String(8))
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft | published
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("rule_sets.id"))
    effective_from: Mapped[date]
    # e.g. {"method": "quota", "grades": [{"name": "优秀", "max_share": 0.15}, ...]} or
    # {"method": "thresholds", "grades": [{"name": "优秀", "min": 90}, ...]}
    grading: Mapped[dict] = mapped_column(JSON, default=dict)
    # what lower units may change: {"aspect_weights": true, "indicators": ["..."]}
    allowances: Mapped[dict] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    aspects: Mapped[list[Aspect]] = relationship(
        cascade="all, delete-orphan", lazy="raise_on_sql", order_by="Aspect.seq")
    indicators: Mapped[list[Indicator]] = relationship(
        cascade="all, delete-orphan", lazy="raise_on_sql", order_by="Indicator.seq")


class Aspect(UnitOwned, db.Model):
    """A weighted aspect (数量, 质量, 司法技能, 外部评价 ...); ``core`` marks the ones that
    must together weigh at least the template's minimum (Haizhu: 70%)."""

    __tablename__ = "aspects"
    __scope__ = "child"
    __scope_parent_key__ = "rule_set_id"
    __table_args__ = (UniqueConstraint("rule_set_id", "code"),)

    @staticmethod
    def __scope_parent__():
        return RuleSet

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_sets.id"), index=True)
    seq: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(60))
    weight: Mapped[float]  # percent of the total score
    core: Mapped[bool] = mapped_column(default=False)


class Indicator(UnitOwned, db.Model):
    """An indicator within an aspect. ``params`` depend on ``kind``:
    case_count/weighted_cases {"kinds": [...], "status": "closed", "role": "handler"};
    review_grade {"points": {"优质": 10, "合格": 6, ...}}; event_points {"types": [...]};
    manual {"max": 100}; ratio {"numerator": code, "denominator": code}."""

    __tablename__ = "indicators"
    __scope__ = "child"
    __scope_parent_key__ = "rule_set_id"
    __table_args__ = (UniqueConstraint("rule_set_id", "code"),)

    @staticmethod
    def __scope_parent__():
        return RuleSet

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_sets.id"), index=True)
    aspect_code: Mapped[str] = mapped_column(String(24))
    seq: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    points_per_unit: Mapped[float] = mapped_column(default=1.0)
    max_points: Mapped[float | None]
    normalise: Mapped[bool] = mapped_column(default=False)  # relative to the department's best


class ScoreEvent(UnitOwned, db.Model):
    """Points added or deducted for an event (an award, a flaw, an overdue step)."""

    __tablename__ = "score_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    points: Mapped[float]
    occurred_on: Mapped[date] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(String(24), default="manual")  # manual|review|monitoring
    source_ref: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class ManualScore(UnitOwned, db.Model):
    """A value entered by hand for a period (external evaluation, people's supervisors)."""

    __tablename__ = "manual_scores"
    __table_args__ = (UniqueConstraint("unit_id", "period", "user_id", "indicator_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(8))  # 2026-03, 2026-Q1, 2026
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(32))
    value: Mapped[float]
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
