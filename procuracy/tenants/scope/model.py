"""The scope of a principal: which units' data it reads and writes, and how a
signed-in user's scope is computed from roles, the unit tree and cross-review orders."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from procuracy.orm import Session, utcnow
from procuracy.tenants.roles import SUPERVISORS, WHOLE_UNIT_READERS, Role

SCOPE_KEY = "procuracy.scope"
READS_KEY = "procuracy.reads"


class NoScope(RuntimeError):
    """A unit-owned table was touched with no scope set: fail closed."""


class UnscopedQuery(RuntimeError):
    """Core or text() SQL over unit-owned tables under a user scope."""


class OutOfScope(LookupError):
    """The object is not visible to the principal: answer 404."""


class WriteOutOfScope(PermissionError):
    """A flush would write a row outside the principal's own unit."""


@dataclass(frozen=True)
class Scope:
    kind: str  # "user", "system" or "anonymous"
    reason: str = ""
    user_id: int | None = None
    unit_id: int | None = None
    unit_readers: frozenset[int] = frozenset()  # unit-level data (users, lists, units)
    whole_case_units: frozenset[int] = frozenset()  # every case of these units
    department: tuple[int, int] | None = None  # (unit, department) for a department head
    granted_cases: frozenset[int] = frozenset()  # cross-review orders in force
    granted_units: frozenset[int] = frozenset()  # the units of those cases (names only)
    supervised: frozenset[int] = frozenset()  # descendants read by supervision
    ancestors: frozenset[int] = frozenset()  # whose published templates reach us
    roles: frozenset[str] = frozenset()
    write_units: frozenset[int] = frozenset()
    _options: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def everything(self) -> bool:
        return self.kind == "system"

    def right_for(self, unit_id: int, obj: object | None = None) -> str:
        """Under which right a row of ``unit_id`` is read."""
        if unit_id == self.unit_id:
            return "own_unit"
        if unit_id in self.supervised:
            return "supervision"
        if unit_id in self.ancestors:
            return "template"
        return "cross_review"

    def can_read_unit(self, unit_id: int) -> bool:
        return self.everything or unit_id in self.unit_readers

    def can_write_unit(self, unit_id: int) -> bool:
        return self.everything or unit_id in self.write_units


ANONYMOUS = Scope(kind="anonymous", reason="not signed in")


# ---------------------------------------------------------------- building
def scope_for_user(session: Session, user, now: datetime | None = None) -> Scope:
    """The scope of a signed-in user (reads the tree and orders as the system)."""
    from procuracy.tenants.crossreview import CrossReviewCase, CrossReviewer, CrossReviewOrder
    from procuracy.tenants.models import UnitClosure
    from procuracy.tenants.scope.session import system_scope

    now = now or utcnow()
    roles = user.role_names
    own = user.unit_id
    with system_scope("computing a user's scope", session):
        supervised: frozenset[int] = frozenset()
        if roles & SUPERVISORS:
            supervised = frozenset(
                session.scalars(
                    select(UnitClosure.descendant_id).where(
                        UnitClosure.ancestor_id == own, UnitClosure.distance > 0
                    )
                )
            )
        ancestors = frozenset(
            session.scalars(
                select(UnitClosure.ancestor_id).where(
                    UnitClosure.descendant_id == own, UnitClosure.distance > 0
                )
            )
        )
        grants = session.execute(
            select(CrossReviewCase.case_id, CrossReviewOrder.reviewed_unit_id)
            .join(CrossReviewOrder, CrossReviewOrder.id == CrossReviewCase.order_id)
            .join(CrossReviewer, CrossReviewer.order_id == CrossReviewOrder.id)
            .where(
                CrossReviewer.user_id == user.id,
                CrossReviewOrder.reviewing_unit_id == own,
                CrossReviewOrder.starts_at <= now,
                CrossReviewOrder.ends_at > now,
            )
        ).all()
    granted = frozenset(case_id for case_id, _ in grants)
    granted_units = frozenset(unit_id for _, unit_id in grants)
    whole = supervised | ({own} if roles & WHOLE_UNIT_READERS else frozenset())
    department = None
    if Role.DEPARTMENT_HEAD in roles and user.department_id:
        department = (own, user.department_id)
    return Scope(
        kind="user",
        reason=f"user {user.id}",
        user_id=user.id,
        unit_id=own,
        unit_readers=frozenset({own}) | supervised,
        whole_case_units=frozenset(whole),
        department=department,
        granted_cases=granted,
        granted_units=granted_units,
        supervised=supervised,
        ancestors=ancestors,
        roles=frozenset(roles),
        write_units=frozenset({own}),
    )


