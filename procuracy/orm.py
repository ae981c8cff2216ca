"""The declarative base, common column helpers and the session class.

The session class adds two things to Flask-SQLAlchemy's: ``get()`` re-checks an
object found in the identity map against the current scope (the ORM criteria
never see an identity-map hit), and a session bound to a Connection uses it (so
tests can run each case inside one outer transaction).
"""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite hands back naive ones)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING),
        type_annotation_map={datetime: UTCDateTime()},
    )

    def __repr__(self) -> str:
        ident = sa.inspect(self).identity
        return f"<{type(self).__name__} {ident[0] if ident else 'new'}>"


class Timestamped:
    """created_at / updated_at with callable defaults."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Session(FlaskSession):
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and isinstance(self.bind, sa.Connection):
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)

    def get(self, entity, ident, **kwargs):
        token = kwargs.get("identity_token")
        cached = self.identity_key(entity, ident, identity_token=token) in self.identity_map
        obj = super().get(entity, ident, **kwargs)
        if obj is None or not cached:
            return obj  # loaded just now, through the scope's criteria
        from procuracy.tenants.scope import recheck_identity_hit

        return obj if recheck_identity_hit(self, obj) else None
