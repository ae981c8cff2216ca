"""The case, as far as the foundation needs it: owner unit, department, people.

The cases work extends this model (kinds, clocks, decisions); the foundation
uses it to state and test who may read which case.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.extensions import db
from procuracy.orm import Timestamped
from procuracy.ownership import UnitOwned


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


class Case(UnitOwned, Timestamped, db.Model):
    __tablename__ = "cases"
    __scope__ = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    number: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200), default="")
    kind_code: Mapped[str] = mapped_column(String(32), default="", index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    received_on: Mapped[date] = mapped_column(index=True)
    closed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    suspects_count: Mapped[int] = mapped_column(default=1)
    major: Mapped[bool] = mapped_column(default=False)
    detained: Mapped[bool] = mapped_column(default=False)
    juvenile: Mapped[bool] = mapped_column(default=False)

    participants: Mapped[list[CaseParticipant]] = relationship(
        back_populates="case", cascade="all, delete-orphan", lazy="raise_on_sql"
    )

    def __repr__(self) -> str:
        return f"<Case {self.number}>"


class CaseParticipant(UnitOwned, db.Model):
    """Who works on a case: the handler, assistants, clerks."""

    __tablename__ = "case_participants"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16), default="handler")
    since: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="participants")
