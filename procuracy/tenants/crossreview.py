"""Cross-review orders: a unit lets one unit's named reviewers read named cases
of another unit for a bounded period. The order belongs to the issuing unit.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.cases.models import new_public_id
from procuracy.extensions import db
from procuracy.orm import Timestamped
from procuracy.ownership import UnitOwned


class CrossReviewOrder(UnitOwned, Timestamped, db.Model):
    __tablename__ = "cross_review_orders"
    __scope__ = "order"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    reviewing_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reviewed_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")
    blind: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    cases: Mapped[list[CrossReviewCase]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    reviewers: Mapped[list[CrossReviewer]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class CrossReviewCase(UnitOwned, db.Model):
    __tablename__ = "cross_review_cases"
    __scope__ = "child"
    __scope_parent_key__ = "order_id"

    @staticmethod
    def __scope_parent__():
        return CrossReviewOrder

    order_id: Mapped[int] = mapped_column(ForeignKey("cross_review_orders.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)


class CrossReviewer(UnitOwned, db.Model):
    __tablename__ = "cross_reviewers"
    __scope__ = "child"
    __scope_parent_key__ = "order_id"

    @staticmethod
    def __scope_parent__():
        return CrossReviewOrder

    order_id: Mapped[int] = mapped_column(ForeignKey("cross_review_orders.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
