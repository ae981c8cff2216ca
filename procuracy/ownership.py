"""Marks a model as owned by a unit; ``tenants.scope`` decides how it is filtered.

``__scope__`` names the rule: ``"unit"`` (a ``unit_id`` column), ``"case"``
(the case table itself, with within-unit role rules) or ``"self"`` (the unit
table). Everything that carries this mixin is filtered on every ORM read,
checked on every flush, and protected by row-level security on PostgreSQL.
"""
from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class UnitOwned:
    __scope__ = "unit"
    __record_reads__ = True  # cross-unit reads of it go to the access log
    __audited__ = True  # writes to it go to the audit trail
    __audit_exclude__: frozenset[str] = frozenset()

    @declared_attr
    def unit_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(ForeignKey("units.id"), index=True)
