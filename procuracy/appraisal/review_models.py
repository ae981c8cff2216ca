"""Case quality review (案件质量评查): checklists the province publishes, review
plans with a reproducible sample, reviews item by item, and findings ready for
the problem ledger.

A review is written by the reviewing unit and belongs to it; the reviewed unit
reads the reviews and findings about its cases (``__scope__ = "review"``).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.extensions import db
from procuracy.orm import Timestamped, utcnow
from procuracy.ownership import UnitOwned

PLAN_TYPES = ("regular", "key", "special")
MUST_REVIEW = ("acquitted", "prosecution_withdrawn", "not_prosecuted", "protest_withdrawn",
               "state_compensation")


class Checklist(UnitOwned, Timestamped, db.Model):
    """Items with points and the grade a failure implies; ``grades`` configures the
    scale, e.g. [{"name": "优质", "min_points": 95, "worst_failure": null}, ...]."""

    __tablename__ = "checklists"
    __scope__ = "template"
    __table_args__ = (UniqueConstraint("unit_id", "name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    line: Mapped[str] = mapped_column(String(32), default="criminal")
    grades: Mapped[list] = mapped_column(JSON, default=list)
    total_points: Mapped[float] = mapped_column(default=0.0)

    items: Mapped[list[ChecklistItem]] = relationship(
        cascade="all, delete-orphan", lazy="raise_on_sql", order_by="ChecklistItem.seq")


class ChecklistItem(UnitOwned, db.Model):
    __tablename__ = "checklist_items"
    __scope__ = "child"
    __scope_parent_key__ = "checklist_id"
    __table_args__ = (UniqueConstraint("checklist_id", "code"),)

    @staticmethod
    def __scope_parent__():
        return Checklist

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("checklists.id"), index=True)
    seq: Mapped[int]
    section: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    points: Mapped[float]
    failure_grade: Mapped[str] = mapped_column(String(16), default="")  # grade a failure implies


class ReviewPlan(UnitOwned, Timestamped, db.Model):
    """Who reviews which units' cases of which period, how the sample is drawn."""

    __tablename__ = "review_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(12), default="regular")
    checklist_id: Mapped[int] = mapped_column(ForeignKey("checklists.id"))
    unit_ids: Mapped[list] = mapped_column(JSON, default=list)  # the units covered
    with_descendants: Mapped[bool] = mapped_column(default=False)
    date_from: Mapped[date]
    date_to: Mapped[date]
    filters: Mapped[dict] = mapped_column(JSON, default=dict)  # kinds, status, lines
    sample_mode: Mapped[str] = mapped_column(String(8), default="rate")  # count | rate
    sample_value: Mapped[float] = mapped_column(default=0.1)
    must_review: Mapped[list] = mapped_column(JSON, default=list)
    seed: Mapped[str] = mapped_column(String(64), default="")
    reviewing_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("cross_review_orders.id"))
    blind: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft|drawn|closed
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class ReviewSample(UnitOwned, db.Model):
    """A case drawn into a plan's sample, and why (random or a must-review outcome)."""

    __tablename__ = "review_samples"
    __table_args__ = (UniqueConstraint("plan_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("review_plans.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reviewed_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    rank: Mapped[int] = mapped_column(default=0)


class Review(UnitOwned, db.Model):
    __tablename__ = "reviews"
    __scope__ = "review"
    __table_args__ = (Index("ix_reviews_reviewer_status", "reviewer_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("review_plans.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reviewed_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    second_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="assigned")
    grade: Mapped[str] = mapped_column(String(16), default="")
    second_grade: Mapped[str] = mapped_column(String(16), default="")
    final_grade: Mapped[str] = mapped_column(String(16), default="")
    points_lost: Mapped[float] = mapped_column(default=0.0)
    submitted_at: Mapped[datetime | None]
    finalised_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")


class ReviewItemResult(UnitOwned, db.Model):
    __tablename__ = "review_item_results"
    __scope__ = "review"
    __table_args__ = (UniqueConstraint("review_id", "item_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    reviewed_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"))
    round: Mapped[int] = mapped_column(default=1)  # 1 = first reviewer, 2 = second
    passed: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Finding(UnitOwned, db.Model):
    """A failed item, ready to become a problem on the reviewed unit's ledger.
    ``discovery`` drives Shandong's rule: self_fixed costs 0, self_analysed half,
    missed the full points."""

    __tablename__ = "findings"
    __scope__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    reviewed_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_items.id"))
    source: Mapped[str] = mapped_column(String(16), default="review")
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(12), default="normal")
    points: Mapped[float] = mapped_column(default=0.0)
    discovery: Mapped[str] = mapped_column(String(16), default="missed")
    rectify_by: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | handed_over
    ledger_ref: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
