"""Leaders' own case handling (员额内领导干部办案): per leader and per unit, per month.

A leader (chief, deputy chief, department head holding a prosecutor quota)
handled a case only if they performed a decisive step on it themselves
(``timeline.DECISIVE``: reviewed, signed, attended, interrogated, decided); a
case that names them as handler without any such step is possibly nominal
(挂名). For each leader: the cases received in the month that name them, how
many they handled, the share that is major/difficult/complex (the case's flag,
or the rule the province publishes for the line of the case's kind, as
``catalogue.is_major`` reads it) and how many fall outside the line's definition.

The report covers the unit and its descendants that the reader may read (the
scope does the rest) with a fixed number of queries whatever the number of
leaders, units or cases.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from procuracy.cases.models import Case, CaseStep
from procuracy.cases.timeline import DECISIVE
from procuracy.extensions import db
from procuracy.tenants.models import Unit, UnitClosure, User, UserRole
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import OutOfScope, current_scope

LEADER_ROLES = (Role.CHIEF, Role.DEPUTY_CHIEF, Role.DEPARTMENT_HEAD)
READERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER, Role.INSPECTOR})


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def _major_judge(unit_ids: list[int]) -> Callable[[Case], bool] | None:
    """Whether a case is major under its line's rule (``catalogue_data.evaluate``
    over the nearest ``MajorRule`` of the case's kind's line), judged in memory from
    three queries; None when the catalogue's rule language is not there."""
    try:
        from procuracy.cases.catalogue_data import evaluate
    except ImportError:
        return None
    from procuracy.cases.catalogue_models import CaseKind, MajorRule

    above: dict[int, dict[int, int]] = defaultdict(dict)  # unit -> {ancestor: distance}
    for desc, anc, distance in db.session.execute(
        select(UnitClosure.descendant_id, UnitClosure.ancestor_id, UnitClosure.distance)
        .where(UnitClosure.descendant_id.in_(unit_ids))
    ):
        above[desc][anc] = distance
    publishers = sorted({a for ancestors in above.values() for a in ancestors})
    rules = db.session.scalars(select(MajorRule).where(MajorRule.unit_id.in_(publishers))).all()
    kinds = db.session.scalars(select(CaseKind).where(CaseKind.unit_id.in_(publishers))).all()
    by_id = {k.id: k for k in kinds}

    def line_of(case: Case) -> str | None:
        kind = by_id.get(case.kind_id) if case.kind_id else None
        if kind is None and case.kind_code:
            kind = next((k for k in kinds if case.kind_code in (k.code, k.name)
                         and k.unit_id in above[case.unit_id]), None)
        return kind.line if kind else None

    def judge(case: Case) -> bool:
        line = line_of(case)
        reach = above[case.unit_id]
        fitting = [r for r in rules if r.line == line and r.unit_id in reach]
        if not fitting:
            return False
        return bool(evaluate(min(fitting, key=lambda r: reach[r.unit_id]).rule, case))

    return judge


def _units(unit: Unit) -> list[Unit]:
    scope = current_scope(db.session)
    rows = db.session.scalars(
        select(Unit).join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(UnitClosure.ancestor_id == unit.id).order_by(Unit.depth, Unit.code)).all()
    return [u for u in rows if scope is not None and scope.can_read_unit(u.id)]


def own_cases_report(reader: User, unit: Unit, month: date) -> dict:
    """The report for ``unit`` and its tree in the month of ``month``."""
    if not reader.role_names & READERS:
        raise PermissionError("the leaders' report is read by chiefs, deputies, "
                              "case managers and inspectors")
    scope = current_scope(db.session)
    if scope is None or not scope.can_read_unit(unit.id):
        raise OutOfScope(f"Unit {unit.code}")
    return unit_report(unit, month)


def unit_report(unit: Unit, month: date) -> dict:
    """The report itself, over the units of ``unit``'s tree that the session's scope
    reads; callers decide who may ask (``own_cases_report`` for readers, the bulletin
    job under its system scope)."""
    start, end = month_bounds(month)
    units = _units(unit)
    unit_ids = [u.id for u in units]
    leaders: dict[int, dict] = {}
    for user, role in db.session.execute(
        select(User, UserRole.role).join(UserRole, UserRole.user_id == User.id)
        .where(User.unit_id.in_(unit_ids), User.holds_quota.is_(True), User.active.is_(True),
               UserRole.role.in_([r.value for r in LEADER_ROLES]))
        .order_by(User.unit_id, User.username)
    ):
        entry = leaders.setdefault(user.id, {"user": user, "roles": []})
        entry["roles"].append(role)
    in_month = (Case.handler_id.in_(list(leaders)), Case.received_on >= start,
                Case.received_on < end)
    cases = db.session.scalars(
        select(Case).where(*in_month).order_by(Case.received_on, Case.id)).all()
    decisive = set(db.session.scalars(
        select(CaseStep.case_id).join(Case, Case.id == CaseStep.case_id)
        .where(*in_month, CaseStep.kind.in_(sorted(DECISIVE)),
               CaseStep.actor_id == Case.handler_id).distinct()))
    rule = _major_judge(unit_ids)
    by_leader: dict[int, list[dict]] = defaultdict(list)
    for case in cases:
        by_rule = bool(rule(case)) if rule is not None else False
        by_leader[case.handler_id].append({
            "id": case.public_id, "number": case.number, "title": case.title,
            "received_on": case.received_on, "major_flag": bool(case.major),
            "major_by_rule": by_rule, "major": bool(case.major) or by_rule,
            "handled": case.id in decisive, "nominal": case.id not in decisive,
        })
    codes = {u.id: u.code for u in units}
    rows = [_leader_row(e["user"], e["roles"], codes[e["user"].unit_id],
                        by_leader.get(uid, [])) for uid, e in leaders.items()]
    return {
        "unit": unit.code, "month": start.strftime("%Y-%m"),
        "major_rule": "line rule or case flag" if rule is not None else "case flag",
        "units": [_unit_row(u, [r for r in rows if r["unit"] == u.code]) for u in units],
        "leaders": rows,
    }


def _leader_row(user: User, roles: list[str], unit_code: str, cases: list[dict]) -> dict:
    count = len(cases)
    major = sum(c["major"] for c in cases)
    return {
        "user": user.username, "full_name": user.full_name, "unit": unit_code,
        "roles": sorted(roles), "cases": count,
        "handled": sum(c["handled"] for c in cases),
        "nominal": sum(c["nominal"] for c in cases),
        "major": major, "major_share": round(major / count, 3) if count else 0.0,
        "outside_definition": count - major,
        "case_list": cases,
    }


def _unit_row(unit: Unit, rows: list[dict]) -> dict:
    cases = sum(r["cases"] for r in rows)
    major = sum(r["major"] for r in rows)
    return {
        "unit": unit.code, "name": unit.name, "leaders": len(rows),
        "leaders_without_cases": sum(1 for r in rows if not r["cases"]),
        "cases": cases, "handled": sum(r["handled"] for r in rows),
        "nominal": sum(r["nominal"] for r in rows),
        "major": major, "major_share": round(major / cases, 3) if cases else 0.0,
        "outside_definition": cases - major,
    }
