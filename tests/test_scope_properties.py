"""The scope against an independent oracle, on random unit trees.

Hypothesis draws a world (1-3 provinces, each with 0-4 cities, each with 0-4
districts; users with random roles in random units; cases with departments and
people on them; power lists; maybe a cross-review order, running, ended or not yet
started). The world is written under ``system_scope`` inside a savepoint that each
example rolls back. Then for every user, what the ORM returns under
``acting_as(session, scope_for_user(session, user))`` is compared with what the
rules say, computed below in plain Python by walking parent links (the closure
table is not consulted). On PostgreSQL the same reads also pass row-level security.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from procuracy.cases.models import Case, CaseParticipant
from procuracy.extensions import db
from procuracy.tenants.crossreview import CrossReviewCase, CrossReviewer, CrossReviewOrder
from procuracy.tenants.models import Department, Unit, User, UserRole
from procuracy.tenants.power_models import PowerList
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import WriteOutOfScope, acting_as, scope_for_user, system_scope
from procuracy.tenants.units import UnitRow, add_unit

# The rules, as the issue states them (deliberately not imported from roles.py).
WHOLE_UNIT = {"chief", "deputy_chief", "case_manager", "inspector"}
SUPERVISING = {"chief", "deputy_chief", "case_manager", "inspector"}
DEPARTMENT_HEAD = "department_head"
LEVELS = ("province", "city", "district")
TYPICAL_ROLES = [{"prosecutor"}, {"department_head", "prosecutor"}, {"chief", "committee_member"},
                 {"deputy_chief"}, {"case_manager"}, {"inspector"}, {"assistant"}, {"clerk"},
                 {"unit_admin"}]

# Each user's scope builds the read criteria of every unit-owned model anew (tens of
# milliseconds): 20 worlds of up to 5 users keep this file within seconds.
# No shrinking: rebuilding a world per shrink step takes minutes; a failure prints
# the whole world and the user, which is enough to read.
EXAMPLES = settings(max_examples=20, deadline=None, derandomize=True,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------- a world, in plain Python
@dataclass(frozen=True)
class WUser:
    unit: int
    roles: frozenset[str]
    dept: int | None  # 0 or 1: one of the two departments of the user's unit


@dataclass(frozen=True)
class WCase:
    unit: int
    dept: int | None
    people: tuple[tuple[int, str], ...]  # (user index, role on the case)


@dataclass(frozen=True)
class WOrder:
    issuer: int
    reviewing: int
    reviewed: int
    cases: tuple[int, ...]
    reviewers: tuple[int, ...]
    period: str  # running | ended | future


@dataclass
class World:
    parents: list[int | None]  # unit index -> parent index
    users: list[WUser]
    cases: list[WCase]
    lists: list[tuple[int, str]]  # (unit, draft | published)
    order: WOrder | None = None
    ids: dict = field(default_factory=dict)  # filled when written to the database

    def level(self, unit: int) -> str:
        return LEVELS[len(self.ancestors(unit))]

    def ancestors(self, unit: int) -> list[int]:
        out, parent = [], self.parents[unit]
        while parent is not None:
            out.append(parent)
            parent = self.parents[parent]
        return out

    def descendants(self, unit: int) -> set[int]:
        return {u for u in range(len(self.parents)) if unit in self.ancestors(u)}


@st.composite
def worlds(draw) -> World:
    parents: list[int | None] = []
    for _ in range(draw(st.integers(1, 3), label="provinces")):
        parents.append(None)
        province = len(parents) - 1
        for _ in range(draw(st.integers(0, 4), label="cities")):
            parents.append(province)
            city = len(parents) - 1
            parents.extend([city] * draw(st.integers(0, 4), label="districts"))
    unit = st.integers(0, len(parents) - 1)
    roles = st.one_of(st.frozensets(st.sampled_from([r.value for r in Role]), max_size=3),
                      st.sampled_from([frozenset(r) for r in TYPICAL_ROLES]))
    users = draw(st.lists(st.builds(WUser, unit, roles, st.sampled_from([None, 0, 1])),
                          min_size=1, max_size=5), label="users")
    staffed = sorted({u.unit for u in users})
    cases = []
    for _ in range(draw(st.integers(0, 12), label="cases")):
        where = draw(st.one_of(st.sampled_from(staffed), unit), label="case unit")
        staff = [i for i, u in enumerate(users) if u.unit == where]
        people = draw(st.lists(st.sampled_from(staff), unique=True, max_size=3)) if staff else []
        roles = [draw(st.sampled_from(["handler", "assistant", "clerk"])) for _ in people]
        cases.append(WCase(where, draw(st.sampled_from([None, 0, 1])),
                           tuple(zip(people, roles, strict=True))))
    lists = draw(st.lists(st.tuples(unit, st.sampled_from(["draft", "published"])), max_size=5))
    world = World(parents, users, cases, lists)
    if draw(st.booleans(), label="order"):
        world.order = draw(orders(world))
    return world


@st.composite
def orders(draw, world: World) -> WOrder | None:
    issuer = draw(st.integers(0, len(world.parents) - 1), label="issuer")
    tree = sorted({issuer} | world.descendants(issuer))
    reviewing = draw(st.sampled_from(tree), label="reviewing")
    others = [u for u in tree if u != reviewing]
    if not others:
        return None
    reviewed = draw(st.sampled_from(others), label="reviewed")
    cases = [i for i, c in enumerate(world.cases) if c.unit == reviewed]
    reviewers = [i for i, u in enumerate(world.users) if u.unit == reviewing]
    strangers = [i for i, u in enumerate(world.users) if u.unit != reviewing]
    named_cases = draw(st.lists(st.sampled_from(cases), unique=True, max_size=4)) if cases else []
    named = draw(st.lists(st.sampled_from(reviewers), unique=True, max_size=3)) if reviewers else []
    if strangers and draw(st.booleans(), label="a stranger named too"):
        named.append(draw(st.sampled_from(strangers)))  # not of the reviewing unit: no grant
    return WOrder(issuer, reviewing, reviewed, tuple(named_cases), tuple(named),
                  draw(st.sampled_from(["running", "ended", "future"]), label="period"))


# ---------------------------------------------------------------- the oracle
def readers_of(world: World, user: WUser) -> set[int]:
    """Units whose data the user reads: their own, and below it for a supervisor."""
    below = world.descendants(user.unit) if user.roles & SUPERVISING else set()
    return {user.unit} | below


def may_read_case(world: World, who: int, index: int) -> bool:
    user, case = world.users[who], world.cases[index]
    if case.unit == user.unit and user.roles & WHOLE_UNIT:
        return True
    if user.roles & SUPERVISING and case.unit in world.descendants(user.unit):
        return True
    if (DEPARTMENT_HEAD in user.roles and user.dept is not None and case.unit == user.unit
            and case.dept == user.dept):
        return True
    if any(person == who for person, _role in case.people):
        return True
    order = world.order
    return bool(order and order.period == "running" and who in order.reviewers
                and user.unit == order.reviewing and index in order.cases)


def expected(world: World, who: int) -> dict[str, set[int]]:
    """What user ``who`` reads, by the rules, as world indexes."""
    user = world.users[who]
    readers, above = readers_of(world, user), set(world.ancestors(user.unit))
    order = world.order
    cases = {i for i in range(len(world.cases)) if may_read_case(world, who, i)}
    # Unit rows are names, not data: the ancestors' (breadcrumbs), and the unit whose
    # cases a running order lets me review (whose case it is).
    reviewed = {order.reviewed} if order and order.period == "running" and order.cases and (
        who in order.reviewers and user.unit == order.reviewing) else set()
    return {
        "cases": cases,
        "units": readers | above | reviewed,
        "users": {i for i, u in enumerate(world.users) if u.unit in readers},
        "lists": {i for i, (unit, status) in enumerate(world.lists)
                  if unit in readers or (unit in above and status == "published")},
        "orders": {0} if order and (order.issuer in readers or user.unit in (
            order.reviewing, order.reviewed)) else set(),
    }


# ---------------------------------------------------------------- writing the world
def write(world: World) -> None:
    """Insert ``world`` (under the system scope) and note the database ids."""
    now = datetime.now(UTC)
    units: list[Unit] = []
    for index, parent in enumerate(world.parents):
        code = f"9{index:05d}"
        row = UnitRow(code, f"随机检察院{code}", "", world.level(index),
                      units[parent].code if parent is not None else "")
        units.append(add_unit(row, units[parent] if parent is not None else None))
    needed = {u.unit for u in world.users} | {c.unit for c in world.cases}
    depts = {(unit, k): Department(unit_id=units[unit].id, name=f"部门{k}", kind="other")
             for unit in sorted(needed) for k in (0, 1)}
    db.session.add_all(depts.values())
    db.session.flush()
    users = []
    for index, u in enumerate(world.users):
        code = units[u.unit].code
        users.append(User(
            unit_id=units[u.unit].id, username=f"rand{index}@{code}", full_name=f"随机{index}",
            password_hash="-", department_id=depts[u.unit, u.dept].id if u.dept is not None
            else None, roles=[UserRole(unit_id=units[u.unit].id, role=r) for r in sorted(u.roles)]))
    db.session.add_all(users)
    db.session.flush()
    cases = []
    for index, c in enumerate(world.cases):
        cases.append(Case(unit_id=units[c.unit].id, number=f"随机〔2026〕{index}号",
                          received_on=date(2026, 1, 1),
                          department_id=depts[c.unit, c.dept].id if c.dept is not None else None,
                          handler_id=users[c.people[0][0]].id if c.people else None))
    db.session.add_all(cases)
    db.session.flush()
    db.session.add_all(CaseParticipant(case_id=cases[i].id, user_id=users[who].id,
                                       unit_id=cases[i].unit_id, role=role)
                       for i, c in enumerate(world.cases) for who, role in c.people)
    versions: dict[int, int] = {}
    lists = []
    for unit, status in world.lists:
        versions[unit] = versions.get(unit, 0) + 1
        lists.append(PowerList(unit_id=units[unit].id, version=versions[unit], status=status,
                               effective_from=date(2026, 1, 1)))
    db.session.add_all(lists)
    orders = []
    if world.order:
        o = world.order
        starts, ends = {"running": (-1, 30), "ended": (-60, -30), "future": (10, 40)}[o.period]
        issuer = units[o.issuer].id
        row = CrossReviewOrder(
            unit_id=issuer, reviewing_unit_id=units[o.reviewing].id,
            reviewed_unit_id=units[o.reviewed].id, starts_at=now + timedelta(days=starts),
            ends_at=now + timedelta(days=ends), created_by_id=users[0].id, reason="random")
        row.cases = [CrossReviewCase(unit_id=issuer, case_id=cases[i].id) for i in o.cases]
        row.reviewers = [CrossReviewer(unit_id=issuer, user_id=users[i].id) for i in o.reviewers]
        db.session.add(row)
        orders.append(row)
    db.session.flush()
    world.ids = {"units": [u.id for u in units], "users": [u.id for u in users],
                 "cases": [c.id for c in cases], "lists": [pl.id for pl in lists],
                 "orders": [o.id for o in orders], "user_rows": users, "dept_rows": depts}


def read_as(user: User) -> dict[str, set[int]]:
    with acting_as(db.session, scope_for_user(db.session, user)):
        return {
            "cases": {c.id for c in db.session.scalars(select(Case))},
            "units": set(db.session.scalars(select(Unit.id))),
            "users": set(db.session.scalars(select(User.id))),
            "lists": set(db.session.scalars(select(PowerList.id))),
            "orders": set(db.session.scalars(select(CrossReviewOrder.id))),
        }


@pytest.fixture
def in_a_savepoint():
    """Run ``fn(world)`` with ``world`` written inside a savepoint rolled back after."""

    def run(world: World, fn) -> None:
        with system_scope("test: a random world"):
            savepoint = db.session.begin_nested()
            try:
                write(world)
                fn(world)
            finally:
                savepoint.rollback()

    return run


# ---------------------------------------------------------------- hand-written worlds
def _pinned(period: str) -> World:
    """Province 0 > city 1 > districts 2 and 3, each rule exercised at least once."""
    users = [
        WUser(2, frozenset({"department_head", "prosecutor"}), 0),  # 0: head of dept 0 of 2
        WUser(2, frozenset({"prosecutor"}), 0),  # 1: handles case 0
        WUser(1, frozenset({"chief"}), None),  # 2: supervises 2 and 3
        WUser(3, frozenset({"prosecutor"}), 0),  # 3: named reviewer, of the reviewing unit
        WUser(0, frozenset({"inspector"}), None),  # 4: supervises everything below
        WUser(1, frozenset({"clerk"}), 1),  # 5: named on the order, but not of unit 3
        WUser(2, frozenset({"unit_admin"}), None),  # 6: reads the unit, no cases
    ]
    cases = [WCase(2, 0, ((1, "handler"),)), WCase(2, 1, ()), WCase(3, None, ((3, "handler"),)),
             WCase(2, 0, ((6, "clerk"),))]
    lists = [(0, "published"), (0, "draft"), (1, "draft"), (2, "published"), (3, "draft")]
    order = WOrder(1, 3, 2, (0, 1), (3, 5), period)
    return World([None, 0, 1, 1], users, cases, lists, order)


# ---------------------------------------------------------------- the properties
@EXAMPLES
@example(world=_pinned("running"))
@example(world=_pinned("ended"))
@example(world=_pinned("future"))
@given(world=worlds())
def test_every_user_reads_exactly_what_the_rules_allow_on_random_trees(in_a_savepoint, world):
    def check(world: World) -> None:
        for who, user in enumerate(world.ids["user_rows"]):
            got = read_as(user)
            want = expected(world, who)
            for kind, indexes in want.items():
                ids = {world.ids[kind][i] for i in indexes}
                assert got[kind] == ids, (
                    f"{kind} read by user {who} {world.users[who]}: "
                    f"extra {sorted(got[kind] - ids)}, missing {sorted(ids - got[kind])}")

    in_a_savepoint(world, check)


@settings(EXAMPLES, max_examples=8)
@given(world=worlds(), data=st.data())
def test_a_flush_outside_the_users_own_unit_raises_write_out_of_scope(
        in_a_savepoint, world, data):
    def check(world: World) -> None:
        who = data.draw(st.integers(0, len(world.users) - 1), label="user")
        user, spec = world.ids["user_rows"][who], world.users[who]
        below = sorted(world.descendants(spec.unit))
        others = [u for u in range(len(world.parents)) if u != spec.unit]
        if below and data.draw(st.booleans(), label="a unit it supervises"):
            others = below  # supervision reads down, read-only
        with acting_as(db.session, scope_for_user(db.session, user)):
            own = Department(unit_id=user.unit_id, name="本院新部门", kind="other")
            db.session.add(own)
            db.session.flush()  # the own unit: allowed (RLS too, on PostgreSQL)
            if not others:
                return
            other = world.ids["units"][data.draw(st.sampled_from(others), label="other unit")]
            stranger = Department(unit_id=other, name="他院新部门", kind="other")
            db.session.add(stranger)
            with pytest.raises(WriteOutOfScope):
                db.session.flush()
            db.session.expunge(stranger)
            theirs = [d for (unit, _k), d in world.ids["dept_rows"].items()
                      if world.ids["units"][unit] == other]
            if theirs:
                before, theirs[0].name = theirs[0].name, "改名"
                with pytest.raises(WriteOutOfScope):
                    db.session.flush()
                theirs[0].name = before

    in_a_savepoint(world, check)


def test_the_oracle_walks_parent_links():
    """The oracle itself, on a fixed tree: province 0 > city 1 > districts 2, 3."""
    world = World([None, 0, 1, 1], [WUser(1, frozenset({"inspector"}), None),
                                    WUser(2, frozenset({"prosecutor"}), 0)], [], [])
    assert world.ancestors(3) == [1, 0] and world.descendants(1) == {2, 3}
    assert [world.level(u) for u in range(4)] == ["province", "city", "district", "district"]
    assert expected(world, 0)["units"] == {0, 1, 2, 3}
    assert expected(world, 1)["units"] == {0, 1, 2}
    assert expected(world, 1)["users"] == {1}


# ---------------------------------------------------------------- a write the flush check misses
def test_a_supervisor_cannot_move_a_descendants_case_into_its_own_unit(as_user):
    with as_user("chief1@440100") as chief:
        case = db.session.scalars(select(Case).join(Unit, Unit.id == Case.unit_id)
                                  .where(Unit.code == "440105")).first()
        assert case is not None, "supervision reads the district's case"
        case.unit_id = chief.unit_id
        try:
            with pytest.raises(WriteOutOfScope):
                db.session.flush()
        finally:
            db.session.rollback()


def test_a_supervisor_cannot_change_a_descendants_case(as_user):
    with as_user("casemanager1@440100"):
        case = db.session.scalars(select(Case).join(Unit, Unit.id == Case.unit_id)
                                  .where(Unit.code == "440105")).first()
        assert case is not None, "supervision reads the district's case"
        case.title = "改写"
        with pytest.raises(WriteOutOfScope):
            db.session.flush()
        db.session.rollback()
