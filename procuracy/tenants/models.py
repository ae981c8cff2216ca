"""Units (the tenants), the closure of the unit tree, departments, users and tokens."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.extensions import db
from procuracy.orm import Timestamped, utcnow
from procuracy.ownership import UnitOwned


class Level(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    BRANCH = "branch"
    DISTRICT = "district"


class Unit(Timestamped, db.Model):
    """A procuratorate. Its descendants and ancestors come from ``UnitClosure``."""

    __tablename__ = "units"
    __scope__ = "self"
    __record_reads__ = False  # a unit's name and code are not its data
    __audited__ = True
    __audit_exclude__: frozenset[str] = frozenset()

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    abbr: Mapped[str] = mapped_column(String(16), default="")
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    depth: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], lazy="raise_on_sql")

    @property
    def unit_id(self) -> int:
        return self.id

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"


class UnitClosure(db.Model):
    """One row per (ancestor, descendant) pair, the unit itself included at depth 0.

    "All descendants of X" is ``WHERE ancestor_id = X`` (primary-key prefix) and
    "all ancestors of Y" is ``WHERE descendant_id = Y`` (its own index), on
    SQLite and PostgreSQL alike.
    """

    __tablename__ = "unit_closure"
    ancestor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    descendant_id: Mapped[int] = mapped_column(
        ForeignKey("units.id"), primary_key=True, index=True
    )
    distance: Mapped[int] = mapped_column(default=0)


class Department(UnitOwned, db.Model):
    __tablename__ = "departments"
    __record_reads__ = False  # read with its user / as structure, not case data
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(32), default="other")

    def __repr__(self) -> str:
        return f"<Department {self.name}>"


class User(UnitOwned, Timestamped, db.Model):
    __tablename__ = "users"
    __audit_exclude__ = frozenset({"password_hash", "last_login_at", "failed_logins"})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(60))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    holds_quota: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on a password change: ends every other session and token.
    auth_epoch: Mapped[int] = mapped_column(default=0)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    department: Mapped[Department | None] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    # flask-login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}.{self.auth_epoch}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(UnitOwned, db.Model):
    __tablename__ = "user_roles"
    __record_reads__ = False  # read with its user / as structure, not case data

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    user: Mapped[User] = relationship(back_populates="roles")


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    __table_args__ = (sa.Index("ix_api_tokens_live", "user_id", "revoked_at"),)
