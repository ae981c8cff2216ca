"""The catalogue the province publishes for its tree: case categories and kinds,
each kind's stages with their statutory limits, the working-day calendar, and
per line of business the rule that makes a case major/difficult/complex.

All of it is reference data owned by the province (``__scope__ = "tree"``:
readable by the owning unit's tree, written only by the owner).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.extensions import db
from procuracy.ownership import UnitOwned

LINES = ("criminal", "litigation_oversight", "complaints", "public_interest",
         "civil_administrative", "juvenile", "execution")
LIMIT_UNITS = ("days", "months", "working_days")


class CaseCategory(UnitOwned, db.Model):
    __tablename__ = "case_categories"
    __scope__ = "tree"
    __record_reads__ = False
    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(60))
    line: Mapped[str] = mapped_column(String(32))


class CaseKind(UnitOwned, db.Model):
    """A kind of case (审查逮捕, 审查起诉 ...): its numbering and assignment weight."""

    __tablename__ = "case_kinds"
    __scope__ = "tree"
    __record_reads__ = False
    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("case_categories.id"), index=True)
    code: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(60))
    line: Mapped[str] = mapped_column(String(32))
    number_abbr: Mapped[str] = mapped_column(String(8))  # 刑诉 in 穗海检刑诉受〔2026〕12号
    weight: Mapped[float] = mapped_column(default=1.0)  # the kind's part of a case's weight
    required_fields: Mapped[list] = mapped_column(JSON, default=list)  # case-card (案卡) fields
    active: Mapped[bool] = mapped_column(default=True)

    stages: Mapped[list[StageDef]] = relationship(
        order_by="StageDef.seq", lazy="raise_on_sql", back_populates="kind")


class StageDef(UnitOwned, db.Model):
    """A node of a kind's flow with its statutory limit and extension (data, not code).

    ``clock`` names the clock the stage runs (review, custody ...); ``resets``
    lists clocks that start afresh when the stage is entered (supplementary
    investigation resets the prosecution-review clock).
    """

    __tablename__ = "stage_defs"
    __scope__ = "tree"
    __record_reads__ = False
    __table_args__ = (UniqueConstraint("kind_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("case_kinds.id"), index=True)
    seq: Mapped[int]
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(60))
    clock: Mapped[str | None] = mapped_column(String(32))
    limit_value: Mapped[int | None]
    limit_unit: Mapped[str] = mapped_column(String(16), default="days")
    extension_value: Mapped[int | None]
    extension_unit: Mapped[str] = mapped_column(String(16), default="days")
    max_extensions: Mapped[int] = mapped_column(default=0)
    warn_days: Mapped[int] = mapped_column(default=3)  # due-soon window
    resets: Mapped[list] = mapped_column(JSON, default=list)
    required_documents: Mapped[list] = mapped_column(JSON, default=list)
    required_fields: Mapped[list] = mapped_column(JSON, default=list)
    legal_basis: Mapped[str] = mapped_column(Text, default="")

    kind: Mapped[CaseKind] = relationship(back_populates="stages", lazy="raise_on_sql")


class CalendarDay(UnitOwned, db.Model):
    """An exception to the Monday–Friday week: a public holiday or a make-up working
    day (调休). Published by the province for each year; editable by it."""

    __tablename__ = "calendar_days"
    __scope__ = "tree"
    __record_reads__ = False
    __table_args__ = (UniqueConstraint("unit_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(12))  # holiday | workday
    name: Mapped[str] = mapped_column(String(40), default="")


class MajorRule(UnitOwned, db.Model):
    """What counts as major/difficult/complex (重大疑难复杂) in a line of business:
    a rule over case fields, e.g. {"any": [{"field": "suspects_count", "gte": 3},
    {"flag": "major"}, {"charge_in": ["故意杀人罪"]}]}."""

    __tablename__ = "major_rules"
    __scope__ = "tree"
    __record_reads__ = False
    __table_args__ = (UniqueConstraint("unit_id", "line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line: Mapped[str] = mapped_column(String(32))
    rule: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(Text, default="")
