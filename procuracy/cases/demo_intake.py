"""Demo cases as intake would have registered them, written in bulk.

``seed_demo_cases(n, rng)`` spreads ``n`` cases over the district units (and a
few over the city units) across the kinds of the province's catalogue: numbers
in the unit's sequence (穗海检刑诉受〔2026〕12号, continuing the sequences, which are
left at the last number given), Chinese suspects, charges and source agencies,
flags, weight, major-case rule, the fitting first stage and its statutory clock,
and the timeline (registered, assigned, clock started; reviewed, signed, closed
for closed cases). Some cases go to quota-holding leaders. Fast: Core inserts
under ``system_scope``, no per-case flush.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select, update

from procuracy.cases import catalogue_data
from procuracy.cases.calendar import CHINA, WorkCalendar, china_today
from procuracy.cases.catalogue_models import CalendarDay, CaseKind, MajorRule, StageDef
from procuracy.cases.clocks import in_custody
from procuracy.cases.demo_intake_data import (
    CARD_VALUES,
    CHARGES,
    CIVIL_DISPUTES,
    KIND_SHARE,
    OUTCOMES,
    person,
    police_of,
)
from procuracy.cases.intake import LINE_DEPARTMENT, case_weight, entry_stage, make_title
from procuracy.cases.models import (
    Case,
    CaseClock,
    CaseNumberSequence,
    CaseParticipant,
    CaseStep,
    new_public_id,
)
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Department, Level, Unit, UnitClosure, User, UserRole
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import system_scope

LEADER_SHARE = 0.06  # cases handled by quota-holding leaders (chief, deputy, department head)
CITY_SHARE = 0.1
CHUNK = 2_000
CHARGE_NAMES, CHARGE_WEIGHTS = zip(*CHARGES, strict=True)


class Staff:
    """Who works in one unit: prosecutors per department kind, leaders, support."""

    def __init__(self) -> None:
        self.prosecutors: dict[str, list[int]] = defaultdict(list)
        self.leaders: list[int] = []
        self.assistants: list[int] = []
        self.clerks: list[int] = []
        self.registrars: list[int] = []


def _staff() -> dict[int, Staff]:
    dept_kind = dict(db.session.execute(select(Department.id, Department.kind)).all())
    staff: dict[int, Staff] = defaultdict(Staff)
    rows = db.session.execute(select(User.id, User.unit_id, User.department_id, UserRole.role)
                              .join(UserRole, UserRole.user_id == User.id)
                              .where(User.active.is_(True)).order_by(User.id))
    for user_id, unit_id, dept, role in rows:
        s = staff[unit_id]
        if role == Role.PROSECUTOR and dept:
            s.prosecutors[dept_kind[dept]].append(user_id)
        if role in (Role.CHIEF, Role.DEPUTY_CHIEF, Role.DEPARTMENT_HEAD):
            s.leaders.append(user_id)
        if role == Role.ASSISTANT:
            s.assistants.append(user_id)
        if role == Role.CLERK:
            s.clerks.append(user_id)
        if role == Role.CASE_MANAGER:
            s.registrars.append(user_id)
    return staff


def _province_of(units: dict[int, Unit]) -> dict[int, int]:
    def root(u: Unit) -> int:
        while u.parent_id is not None and u.parent_id in units:
            u = units[u.parent_id]
        return u.id
    return {uid: root(u) for uid, u in units.items()}


def seed_demo_cases(n: int, rng: random.Random, year: int | None = None) -> int:
    """Register ``n`` demo cases in bulk; returns how many were written."""
    with system_scope("seeding demo cases"):
        return _seed(n, rng, year or china_today().year)


def _seed(n: int, rng: random.Random, year: int) -> int:
    today = china_today()
    last_day = min(date(year, 12, 31), today - timedelta(days=1))
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    province = _province_of(units)
    staff = _staff()
    depts = {(d.unit_id, d.kind): d.id for d in db.session.scalars(select(Department))}
    kinds: dict[int, list[CaseKind]] = defaultdict(list)
    for kind in db.session.scalars(select(CaseKind).where(CaseKind.active.is_(True))
                                   .order_by(CaseKind.id)):
        kinds[kind.unit_id].append(kind)
    stages: dict[int, list[StageDef]] = defaultdict(list)
    for stage in db.session.scalars(select(StageDef).order_by(StageDef.seq, StageDef.id)):
        stages[stage.kind_id].append(stage)
    rules = {(r.unit_id, r.line): r.rule for r in db.session.scalars(select(MajorRule))}

    def workable(unit: Unit) -> list[CaseKind]:
        s = staff.get(unit.id)
        return [k for k in kinds.get(province[unit.id], [])
                if s and s.prosecutors.get(LINE_DEPARTMENT.get(k.line, ""))]

    pools = {lvl: [(u, workable(u)) for u in units.values() if u.level == lvl and workable(u)]
             for lvl in (Level.DISTRICT, Level.CITY)}
    if not pools[Level.DISTRICT] or n <= 0:
        return 0
    drafts = []
    for _ in range(n):
        city = pools[Level.CITY] and rng.random() < CITY_SHARE
        unit, choices = rng.choice(pools[Level.CITY] if city else pools[Level.DISTRICT])
        kind = rng.choices(choices, [KIND_SHARE.get(k.code, 1.0) for k in choices])[0]
        received = date(year, 1, 1) + timedelta(days=rng.randrange(
            max(1, (last_day - date(year, 1, 1)).days + 1)))
        drafts.append(_draft(rng, unit, kind, received, today, staff[unit.id], depts))
    drafts.sort(key=lambda d: (d["case"].received_on, d["case"].unit_id))
    calendars = _calendars()
    for d in drafts:
        case, kind = d["case"], d["kind"]
        rule = rules.get((province[case.unit_id], kind.line))
        if rule and not case.major:
            case.major = catalogue_data.evaluate(rule, case)
        d["stage"] = entry_stage(stages.get(kind.id, []), case)
        case.stage_code = d["stage"].code if d["stage"] else ""
    _number(drafts, units)
    _write(drafts, calendars)
    return len(drafts)


def _draft(rng, unit: Unit, kind: CaseKind, received: date, today: date, s: Staff,
           depts: dict) -> dict:
    criminal = kind.line != "civil_administrative"
    dept_kind = LINE_DEPARTMENT.get(kind.line, "criminal")
    suspects = [person(rng) for _ in range(rng.choices((1, 2, 3, 4, 6), (70, 16, 8, 4, 2))[0])]
    charges = rng.choices(CHARGE_NAMES, CHARGE_WEIGHTS)
    if criminal:
        title = make_title(suspects, charges)
        agency = police_of(unit.name)
    else:
        suspects, charges, agency = [], [], ""
        title = f"{person(rng)}与{person(rng)}{rng.choice(CIVIL_DISPUTES)}监督案"
    age = (today - received).days
    closed_on = None
    if rng.random() < (0.97 if age > 60 else age / 90):
        closed_on = min(received + timedelta(days=rng.randrange(5, 45)), today - timedelta(1))
        closed_on = max(closed_on, received)
    leaders = [u for u in s.leaders if dept_kind == "criminal"]
    handler = None
    if closed_on or rng.random() < 0.9:  # a few new cases await assignment
        handler = (rng.choice(leaders) if leaders and rng.random() < LEADER_SHARE
                   else rng.choice(s.prosecutors[dept_kind]))
    case = Case(
        public_id=new_public_id(), unit_id=unit.id, title=title, kind_code=kind.code,
        kind_id=kind.id, department_id=depts.get((unit.id, dept_kind)), handler_id=handler,
        received_on=received, closed_on=closed_on, status="closed" if closed_on else "open",
        source_agency=agency, suspects_count=max(1, len(suspects)), suspects=suspects,
        charges=charges, weight=case_weight(kind, max(1, len(suspects))),
        major=rng.random() < 0.04, detained=criminal and rng.random() < 0.55,
        juvenile=kind.line == "juvenile" or (criminal and rng.random() < 0.04),
        designated=bool(handler) and rng.random() < 0.05, outcome="",
    )
    case.card = {f: CARD_VALUES.get(f, lambda r, c: "（演示）")(rng, case)
                 for f in kind.required_fields or [] if f not in Case.__table__.columns}
    if closed_on:
        outcomes = OUTCOMES.get(kind.code)
        case.outcome = rng.choices(*zip(*outcomes, strict=True))[0] if outcomes else "handled"
    support = []
    if handler and s.assistants and rng.random() < 0.8:
        support.append((rng.choice(s.assistants), "assistant"))
    if handler and s.clerks and rng.random() < 0.5:
        support.append((rng.choice(s.clerks), "clerk"))
    registrar = rng.choice(s.registrars) if s.registrars else None
    return {"case": case, "kind": kind, "support": support, "registrar": registrar}


def _calendars() -> dict[int, WorkCalendar]:
    """Each unit's working-day calendar (as ``calendar_for``), from two queries."""
    days: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for unit_id, day, kind in db.session.execute(
            select(CalendarDay.unit_id, CalendarDay.day, CalendarDay.kind)
            .order_by(CalendarDay.day)):
        days[unit_id].append((day, kind))
    chains: dict[int, list[int]] = defaultdict(list)
    for descendant, ancestor in db.session.execute(
            select(UnitClosure.descendant_id, UnitClosure.ancestor_id)
            .order_by(UnitClosure.descendant_id, UnitClosure.distance.desc())):
        if ancestor in days:
            chains[descendant].append(ancestor)
    built: dict[tuple, WorkCalendar] = {}
    out: dict[int, WorkCalendar] = defaultdict(lambda: WorkCalendar.from_rows([]))
    for unit_id, chain in chains.items():
        key = tuple(chain)
        if key not in built:
            built[key] = WorkCalendar.from_rows(row for a in chain for row in days[a])
        out[unit_id] = built[key]
    return out


def _number(drafts: list[dict], units: dict[int, Unit]) -> None:
    """Numbers in order received, continuing each sequence; sequences left at the last."""
    last = {(q.unit_id, q.kind_abbr, q.year): q.last
            for q in db.session.scalars(select(CaseNumberSequence))}
    existing = set(last)
    for d in drafts:
        case, kind = d["case"], d["kind"]
        key = (case.unit_id, kind.number_abbr, case.received_on.year)
        last[key] = last.get(key, 0) + 1
        case.number = (f"{units[case.unit_id].abbr or units[case.unit_id].name}检"
                       f"{kind.number_abbr}受〔{key[2]}〕{last[key]}号")
    seq = CaseNumberSequence
    for key in existing:
        db.session.execute(update(seq).where(seq.unit_id == key[0], seq.kind_abbr == key[1],
                                             seq.year == key[2]).values(last=last[key]))
    new = [{"unit_id": k[0], "kind_abbr": k[1], "year": k[2], "last": v}
           for k, v in last.items() if k not in existing]
    if new:
        db.session.execute(insert(seq), new)


def _at(day: date, hour: int) -> datetime:
    """A time on ``day`` in China, where the work is done."""
    return datetime.combine(day, time(hour), tzinfo=CHINA)


def _write(drafts: list[dict], calendars: dict[int, WorkCalendar]) -> None:
    columns = [c.key for c in Case.__table__.columns if c.key != "id"]
    now = utcnow()
    for start in range(0, len(drafts), CHUNK):
        chunk = drafts[start:start + CHUNK]
        rows = [{**{k: getattr(d["case"], k) for k in columns if k not in
                    ("created_at", "updated_at")}, "created_at": now, "updated_at": now}
                for d in chunk]
        # Core executemany: the ORM's bulk insert splits rows by which values are None,
        # and RETURNING in parameter order would go row by row on SQLite.
        db.session.execute(Case.__table__.insert(), rows)
        by_public = dict(db.session.execute(select(Case.public_id, Case.id).where(
            Case.public_id.in_([r["public_id"] for r in rows]))).all())
        ids = [by_public[r["public_id"]] for r in rows]
        parts, steps, clocks = [], [], []
        for d, case_id in zip(chunk, ids, strict=True):
            _children(d, case_id, parts, steps, clocks, calendars)
        for model, batch in ((CaseParticipant, parts), (CaseStep, steps), (CaseClock, clocks)):
            if batch:
                db.session.execute(model.__table__.insert(), batch)


def _children(d: dict, case_id: int, parts: list, steps: list, clocks: list,
              calendars: dict) -> None:
    case, kind, stage = d["case"], d["kind"], d["stage"]
    unit, received = case.unit_id, case.received_on
    base = {"unit_id": unit, "case_id": case_id}

    def step(day: date, hour: int, kind_: str, actor, summary: str, detail=None) -> None:
        steps.append({**base, "at": _at(day, hour), "actor_id": actor, "kind": kind_,
                      "stage_code": case.stage_code, "summary": summary,
                      "detail": detail or {}})

    step(received, 9, "registered", d["registrar"], f"受理 {case.number}",
         {"number": case.number, "kind": kind.code, "received_on": received.isoformat()})
    if case.handler_id:
        since = _at(received, 10)
        parts.append({**base, "user_id": case.handler_id, "role": "handler", "since": since})
        parts += [{**base, "user_id": u, "role": r, "since": since} for u, r in d["support"]]
        how = "指定分案" if case.designated else "随机分案"
        step(received, 10, "assigned", d["registrar"], how,
             {"handler_id": case.handler_id, "designated": case.designated})
    if stage is not None and stage.clock and stage.limit_value:
        custody = in_custody(case, stage, kind)
        due = calendars[unit].due_date(received, stage.limit_value, stage.limit_unit,
                                       custody, [])
        clocks.append({**base, "name": stage.clock, "stage_code": stage.code,
                       "started_on": received, "limit_value": stage.limit_value,
                       "limit_unit": stage.limit_unit, "extensions": [],
                       "in_custody": custody, "warn_days": stage.warn_days, "due_on": due,
                       "stopped_on": case.closed_on, "resets": 0})
        step(received, 11, "clock_started", None, f"{stage.name}：{received} 起算，{due} 届满",
             {"clock": stage.clock, "started_on": received.isoformat(),
              "due_on": due.isoformat(), "in_custody": custody})
    if case.closed_on:
        step(case.closed_on, 15, "reviewed", case.handler_id, "审查完毕")
        step(case.closed_on, 16, "signed", case.handler_id, "签发法律文书")
        step(case.closed_on, 17, "closed", case.handler_id, f"办结：{case.outcome}",
             {"outcome": case.outcome})
