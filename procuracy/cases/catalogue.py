"""The catalogue services: seeding a province's catalogue and calendar, reading
the kinds and stages a unit works under, the major-case rule, and the
province's editing of its working-day calendar.

Everything here reads through the caller's scope: the catalogue is "tree" data,
so a unit sees what its ancestors publish.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from procuracy.cases import catalogue_data as data
from procuracy.cases.calendar import DAY_KINDS, calendar_rows
from procuracy.cases.catalogue_models import (
    CalendarDay,
    CaseCategory,
    CaseKind,
    MajorRule,
    StageDef,
)
from procuracy.extensions import db
from procuracy.tenants.models import Level, Unit, UnitClosure
from procuracy.tenants.roles import Role

CALENDAR_EDITORS = frozenset({Role.UNIT_ADMIN, Role.CHIEF})


class CalendarError(ValueError):
    """A calendar change the rules refuse (answers 422)."""


# ---------------------------------------------------------------- seeding
def seed_catalogue(province: Unit) -> dict[str, int]:
    """Publish the demo catalogue and the 2025–2026 calendar as ``province``'s.
    Idempotent: what the province already has (by code, day, line) is left alone."""
    catalogue = data.load_catalogue()
    have_cats = {c.code: c for c in db.session.scalars(
        select(CaseCategory).where(CaseCategory.unit_id == province.id))}
    have_kinds = set(db.session.scalars(
        select(CaseKind.code).where(CaseKind.unit_id == province.id)))
    counts = dict.fromkeys(("categories", "kinds", "stages", "calendar_days", "major_rules"), 0)
    for cat in catalogue["categories"]:
        category = have_cats.get(cat["code"])
        if category is None:
            category = CaseCategory(unit_id=province.id, code=cat["code"], name=cat["name"],
                                    line=cat["line"])
            db.session.add(category)
            db.session.flush()
            counts["categories"] += 1
        for k in cat["kinds"]:
            if k["code"] in have_kinds:
                continue
            kind = CaseKind(unit_id=province.id, category_id=category.id, code=k["code"],
                            name=k["name"], line=k["line"], number_abbr=k["number_abbr"],
                            weight=k["weight"], required_fields=k["required_fields"])
            db.session.add(kind)
            db.session.flush()
            stages = [StageDef(unit_id=province.id, kind_id=kind.id, **data.stage_rows(s))
                      for s in k["stages"]]
            db.session.add_all(stages)
            counts["kinds"] += 1
            counts["stages"] += len(stages)
    have_days = set(db.session.scalars(
        select(CalendarDay.day).where(CalendarDay.unit_id == province.id)))
    days = [CalendarDay(unit_id=province.id, **row) for row in data.load_holidays()
            if row["day"] not in have_days]
    db.session.add_all(days)
    counts["calendar_days"] = len(days)
    have_lines = set(db.session.scalars(
        select(MajorRule.line).where(MajorRule.unit_id == province.id)))
    rules = [MajorRule(unit_id=province.id, line=r["line"], rule=r["rule"],
                       description=r.get("description", ""))
             for r in catalogue["major_rules"] if r["line"] not in have_lines]
    db.session.add_all(rules)
    counts["major_rules"] = len(rules)
    db.session.flush()
    return counts


def seed_catalogue_for_provinces() -> int:
    """Seed every province (the demo seed runs this under ``system_scope``); kinds added."""
    provinces = db.session.scalars(select(Unit).where(Unit.level == Level.PROVINCE)).all()
    return sum(seed_catalogue(p)["kinds"] for p in provinces)


# ---------------------------------------------------------------- reading
def _published_to(unit_id: int):
    """Units whose catalogue reaches ``unit_id``: itself and its ancestors."""
    return select(UnitClosure.ancestor_id).where(UnitClosure.descendant_id == unit_id)


def kinds_for(unit: Unit, with_stages: bool = True) -> list[CaseKind]:
    """The active kinds published to ``unit`` (by its province), stages loaded."""
    kinds = list(db.session.scalars(
        select(CaseKind).where(CaseKind.unit_id.in_(_published_to(unit.id)), CaseKind.active)
        .order_by(CaseKind.category_id, CaseKind.id)))
    if with_stages:
        _load_stages(kinds)
    return kinds


def categories_for(unit: Unit) -> dict[int, CaseCategory]:
    return {c.id: c for c in db.session.scalars(
        select(CaseCategory).where(CaseCategory.unit_id.in_(_published_to(unit.id))))}


def _load_stages(kinds: list[CaseKind]) -> None:
    by_kind: dict[int, list[StageDef]] = {k.id: [] for k in kinds}
    if kinds:
        for stage in db.session.scalars(
            select(StageDef).where(StageDef.kind_id.in_(list(by_kind)))
            .order_by(StageDef.seq, StageDef.id)
        ):
            by_kind[stage.kind_id].append(stage)
    for kind in kinds:
        set_committed_value(kind, "stages", by_kind[kind.id])


def kind_by_code(code: str, unit_id: int | None = None) -> CaseKind | None:
    """The visible kind with ``code``; with ``unit_id``, the one published to that unit."""
    query = select(CaseKind).where(CaseKind.code == code)
    if unit_id is not None:
        query = query.where(CaseKind.unit_id.in_(_published_to(unit_id)))
    return db.session.scalars(query.order_by(CaseKind.id)).first()


def kind_for_case(case) -> CaseKind | None:
    """The kind of a case: by ``kind_id``, else by ``kind_code`` among the kinds
    published to its unit (the foundation's demo cases carry the kind's name there)."""
    if case.kind_id is not None:
        return db.session.get(CaseKind, case.kind_id)
    if not case.kind_code:
        return None
    found = kind_by_code(case.kind_code, case.unit_id)
    if found is None:
        found = db.session.scalars(
            select(CaseKind).where(CaseKind.name == case.kind_code,
                                   CaseKind.unit_id.in_(_published_to(case.unit_id)))
        ).first()
    return found


def stages_of(kind: CaseKind) -> list[StageDef]:
    return list(db.session.scalars(
        select(StageDef).where(StageDef.kind_id == kind.id).order_by(StageDef.seq, StageDef.id)))


def stage_by_code(kind: CaseKind, code: str) -> StageDef | None:
    return db.session.scalars(
        select(StageDef).where(StageDef.kind_id == kind.id, StageDef.code == code)).first()


def entry_stage(kind: CaseKind, case, seq: int | None = None) -> StageDef | None:
    """The stage a case enters at node ``seq`` (the first node by default): among the
    alternatives (``review``, ``review@plea``), the most specific one that holds."""
    stages = stages_of(kind)
    seq = min((s.seq for s in stages), default=None) if seq is None else seq
    fitting = [s for s in stages if s.seq == seq
               and data.condition_holds(data.condition_of(s.code), case)]
    fitting.sort(key=lambda s: (not data.condition_of(s.code), s.id))
    return fitting[0] if fitting else None


def major_rule(line: str, unit_id: int) -> MajorRule | None:
    """The rule for ``line`` that applies to ``unit_id``: the nearest publisher's."""
    return db.session.scalars(
        select(MajorRule)
        .join(UnitClosure, UnitClosure.ancestor_id == MajorRule.unit_id)
        .where(MajorRule.line == line, UnitClosure.descendant_id == unit_id)
        .order_by(UnitClosure.distance)
    ).first()


def is_major(case, line: str) -> bool:
    """Whether a case is major/difficult/complex under its province's rule for ``line``;
    without a rule, the case's own ``major`` flag."""
    rule = major_rule(line, case.unit_id)
    if rule is None:
        return bool(case.major)
    return data.evaluate(rule.rule, case)


# ---------------------------------------------------------------- the calendar, edited
def _require_calendar_editor(user) -> None:
    if user.unit.level != Level.PROVINCE or not user.has_role(*CALENDAR_EDITORS):
        raise PermissionError("only the province's administrator or chief edits the calendar")


def set_calendar_day(user, day: date, kind: str, name: str = "") -> CalendarDay:
    """Make ``day`` a holiday or a make-up working day in the province's calendar, and
    move the due dates of the running clocks it touches. Commits."""
    _require_calendar_editor(user)
    if kind not in DAY_KINDS:
        raise CalendarError(f"kind must be one of {DAY_KINDS}")
    row = db.session.scalars(select(CalendarDay).where(
        CalendarDay.unit_id == user.unit_id, CalendarDay.day == day)).first()
    if row is None:
        row = CalendarDay(unit_id=user.unit_id, day=day)
        db.session.add(row)
    row.kind, row.name = kind, name
    db.session.flush()
    _move_due_dates(user, day)
    db.session.commit()
    return row


def remove_calendar_day(user, day: date) -> bool:
    """Drop ``day`` from the province's calendar (it becomes an ordinary weekday or
    weekend day). False when the calendar did not name it. Commits."""
    _require_calendar_editor(user)
    row = db.session.scalars(select(CalendarDay).where(
        CalendarDay.unit_id == user.unit_id, CalendarDay.day == day)).first()
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    _move_due_dates(user, day)
    db.session.commit()
    return True


def calendar_days(unit: Unit, year: int) -> list[tuple[CalendarDay, str]]:
    """The calendar exceptions of ``year`` that apply to ``unit``, with the publisher's code."""
    codes = dict(db.session.execute(
        select(Unit.id, Unit.code).where(Unit.id.in_(_published_to(unit.id)))).all())
    latest = {row.day: row for row in calendar_rows(unit.id) if row.day.year == year}
    return [(row, codes.get(row.unit_id, "")) for _, row in sorted(latest.items())]


def _move_due_dates(user, day: date) -> None:
    # clocks.py reads the catalogue; importing it here, late, keeps the import graph one-way.
    from procuracy.cases.clocks import refresh_due_dates

    refresh_due_dates(user.unit_id, day, reason=f"calendar {day} changed by {user.username}")


def catalogue_out(unit: Unit) -> list[dict]:
    """The kinds published to ``unit`` with their category and stages, for the API."""
    categories = categories_for(unit)
    out = []
    for kind in kinds_for(unit):
        category = categories.get(kind.category_id)
        out.append({c.key: getattr(kind, c.key) for c in CaseKind.__table__.columns}
                   | {"category": category.code if category else "",
                      "category_name": category.name if category else "",
                      "stages": kind.stages})
    return out
