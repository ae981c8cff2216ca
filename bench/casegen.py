"""Bench cases as plain tuples, reproducible from a seed and fast to make.

Every case belongs to a district unit (units weighted so that some are busy and
some quiet), is received on a day between START and END in id order (so the heap
is in ``received_on`` order, as a table that grows day by day is), and has one
handler participant and, nine times in ten, one assistant participant. The
columns are those of ``procuracy.cases.models`` (Case, CaseParticipant).
"""
from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from procuracy.tenants.demo_cases import SURNAMES_FOR_TITLES, TITLES

START = date(2021, 1, 1)
END = date(2026, 11, 22)  # the day before the benchmark date
CASE_COLUMNS = ("id", "public_id", "number", "title", "kind_code", "department_id",
                "handler_id", "received_on", "closed_on", "status", "suspects_count",
                "major", "detained", "juvenile", "unit_id", "created_at", "updated_at")
PARTICIPANT_COLUMNS = ("case_id", "user_id", "role", "since", "unit_id")
# (kind_code, short form in the case number); criminal cases are most of the work.
CRIMINAL_KINDS = (("审查逮捕", "刑捕"), ("审查起诉", "刑诉"))
CIVIL_KINDS = (("民事生效裁判监督", "民监"), ("行政生效裁判监督", "行监"))
CRIMINAL_SHARE = 0.85
ASSISTANT_SHARE = 0.9
NEVER_CLOSED = 0.05  # suspended, fugitive suspects...
CIVIL_TITLES = ("买卖合同纠纷监督案", "民间借贷纠纷监督案", "劳动争议监督案", "行政处罚监督案",
                "房屋租赁合同纠纷监督案", "工伤认定监督案")


@dataclass(frozen=True)
class UnitStaff:
    """Who can work on a district unit's cases."""

    unit_id: int
    abbr: str
    criminal_dept: int
    civil_dept: int
    criminal_handlers: tuple[int, ...]
    civil_handlers: tuple[int, ...]
    assistants: tuple[int, ...]


def load_staff(session) -> list[UnitStaff]:
    """District units and their staff, as seeded by ``seed_demo`` (call under system scope)."""
    from procuracy.tenants.models import Department, Level, Unit, User, UserRole
    from procuracy.tenants.roles import Role

    units = session.execute(sa.select(Unit.id, Unit.abbr).where(Unit.level == Level.DISTRICT)
                            .order_by(Unit.code)).all()
    depts = {(u, kind): d for d, u, kind in session.execute(
        sa.select(Department.id, Department.unit_id, Department.kind))}
    people: dict[tuple[int, str, int | None], list[int]] = {}
    for uid, unit_id, dept, role in session.execute(
        sa.select(User.id, User.unit_id, User.department_id, UserRole.role)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role.in_([Role.PROSECUTOR, Role.ASSISTANT])).order_by(User.id)
    ):
        people.setdefault((unit_id, role, dept), []).append(uid)
    staff = []
    for unit_id, abbr in units:
        crim, civil = depts[(unit_id, "criminal")], depts[(unit_id, "civil_admin")]
        staff.append(UnitStaff(
            unit_id, abbr, crim, civil,
            tuple(people.get((unit_id, Role.PROSECUTOR, crim), ())),
            tuple(people.get((unit_id, Role.PROSECUTOR, civil), ())),
            tuple(people.get((unit_id, Role.ASSISTANT, crim), ())),
        ))
    return [s for s in staff if s.criminal_handlers and s.civil_handlers]


@dataclass
class Batch:
    cases: list[tuple]
    participants: list[tuple]


@dataclass
class CaseFactory:
    """``total`` cases with ids from ``first_id``; ``batches(n)`` yields them in order."""

    staff: list[UnitStaff]
    total: int
    first_id: int = 1
    seed: int = 20261123
    _seq: dict = field(default_factory=dict, init=False)

    def batches(self, size: int) -> Iterator[Batch]:
        rng = random.Random(self.seed)
        weights = [rng.lognormvariate(0, 0.6) for _ in self.staff]  # busy and quiet units
        days = (END - START).days + 1
        day_dates = [START + timedelta(days=d) for d in range(days)]
        for offset in range(0, self.total, size):
            n = min(size, self.total - offset)
            picks = rng.choices(self.staff, weights=weights, k=n)
            batch = Batch([], [])
            for i, unit in enumerate(picks, start=offset):
                day = i * days // self.total
                self._one(rng, self.first_id + i, unit, day_dates[day], batch)
            yield batch

    def _one(self, rng: random.Random, case_id: int, unit: UnitStaff, received: date,
             batch: Batch) -> None:
        criminal = rng.random() < CRIMINAL_SHARE
        kind, short = rng.choice(CRIMINAL_KINDS if criminal else CIVIL_KINDS)
        key = (unit.unit_id, short, received.year)
        seq = self._seq[key] = self._seq.get(key, 0) + 1
        handler = rng.choice(unit.criminal_handlers if criminal else unit.civil_handlers)
        created = datetime(received.year, received.month, received.day, 1, tzinfo=UTC) \
            + timedelta(seconds=rng.randrange(8 * 3600))
        closed = None
        if rng.random() >= NEVER_CLOSED:
            closed = received + timedelta(days=rng.randrange(5, 180))
            if closed > END:
                closed = None
        updated = created if closed is None else created + timedelta(days=(closed - received).days)
        title = (rng.choice(SURNAMES_FOR_TITLES) + "某" + rng.choice(TITLES)) if criminal \
            else rng.choice(CIVIL_TITLES)
        batch.cases.append((
            case_id, base64.urlsafe_b64encode(rng.randbytes(12)).decode(),
            f"{unit.abbr}检{short}受〔{received.year}〕{seq}号", title, kind,
            unit.criminal_dept if criminal else unit.civil_dept, handler, received, closed,
            "open" if closed is None else "closed", rng.choice((1, 1, 1, 2, 3)),
            rng.random() < 0.1, criminal and rng.random() < 0.5,
            criminal and rng.random() < 0.05, unit.unit_id, created, updated,
        ))
        batch.participants.append((case_id, handler, "handler", created, unit.unit_id))
        if unit.assistants and rng.random() < ASSISTANT_SHARE:
            batch.participants.append((case_id, rng.choice(unit.assistants), "assistant",
                                       created, unit.unit_id))

