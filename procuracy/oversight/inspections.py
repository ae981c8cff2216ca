"""Inspections (督察): a higher unit plans one (topic, target units, period, team),
records findings during it (each puts an entry on the target unit's ledger) and
closes it with a conclusion; the report is a PDF job (``inspection_report``).

Who: the unit's inspectors, chief and deputy chiefs plan; the team (and whoever
planned it) records findings; the planner, the unit's chief or deputies close.
Targets are units below the planning unit; with ``with_descendants`` the units
below each target are inspected too.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.oversight.ledger import LedgerRejected, record_problem
from procuracy.oversight.ledger_models import (
    CLOSED_INSPECTION,
    PLANNED,
    TOPICS,
    Inspection,
    InspectionFinding,
    LedgerEntry,
)
from procuracy.tenants import units as tree
from procuracy.tenants.models import User
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import current_scope, get_or_404

PLANNERS = frozenset({Role.INSPECTOR, Role.CHIEF, Role.DEPUTY_CHIEF})
REPORT_KIND = "inspection_report"


class InspectionRejected(LedgerRejected):
    """Bad content for an inspection: ``errors`` names the field."""


def get_inspection(public_id: str) -> Inspection:
    return get_or_404(db.session, Inspection, public_id=public_id)


def _targets(codes: list[str], with_descendants: bool) -> list[int]:
    supervised = current_scope(db.session).supervised
    ids: list[int] = []
    for code in codes:
        unit = tree.by_code(code)
        if unit is None or unit.id not in supervised:
            raise InspectionRejected("units", f"{code} is not a unit below yours")
        ids.append(unit.id)
        if with_descendants:
            ids.extend(tree.descendants_ids(unit.id, include_self=False))
    return sorted(set(ids))


def _team(actor, usernames: list[str]) -> list[int]:
    if not usernames:
        return [actor.id]
    users = {u.username: u for u in db.session.scalars(
        select(User).where(User.username.in_(usernames), User.unit_id == actor.unit_id))}
    missing = [name for name in usernames if name not in users]
    if missing:
        raise InspectionRejected("team", f"not a member of your unit: {', '.join(missing)}")
    return sorted({actor.id, *(u.id for u in users.values())})


def plan(actor, *, title: str, topic: str, units: list[str], period_from: date,
         period_to: date, team: list[str] | None = None,
         with_descendants: bool = False) -> Inspection:
    """Plan an inspection of units below the actor's unit; commits."""
    if not actor.has_role(*PLANNERS):
        raise PermissionError("inspectors, the chief and deputy chiefs plan inspections")
    if topic not in TOPICS:
        raise InspectionRejected("topic", f"one of {', '.join(TOPICS)}")
    if not title or not title.strip():
        raise InspectionRejected("title", "give the inspection a title")
    if period_to < period_from:
        raise InspectionRejected("period_to", "the period ends before it starts")
    if not units:
        raise InspectionRejected("units", "name at least one unit to inspect")
    inspection = Inspection(
        unit_id=actor.unit_id, title=title.strip(), topic=topic,
        target_unit_ids=_targets(units, with_descendants), with_descendants=with_descendants,
        period_from=period_from, period_to=period_to, team_ids=_team(actor, team or []),
        status=PLANNED, created_by_id=actor.id)
    db.session.add(inspection)
    db.session.commit()
    return inspection


def may_record(user, inspection: Inspection) -> bool:
    return user.unit_id == inspection.unit_id and (
        user.id in (inspection.team_ids or []) or user.id == inspection.created_by_id)


def may_close(user, inspection: Inspection) -> bool:
    return user.unit_id == inspection.unit_id and (
        user.id == inspection.created_by_id or user.has_role(Role.CHIEF, Role.DEPUTY_CHIEF))


def _person(username: str | None, unit_id: int, field: str) -> int | None:
    if not username:
        return None
    user = db.session.scalars(select(User).where(
        User.username == username, User.unit_id == unit_id)).first()
    if user is None:
        raise InspectionRejected(field, f"{username} is not a member of the inspected unit")
    return user.id


def add_finding(inspection: Inspection, actor, *, unit: str, problem: str, severity: str,
                case: str | None = None, handler: str | None = None,
                responsible: str | None = None, deadline: date | None = None
                ) -> InspectionFinding:
    """Record a finding: an entry on the target unit's ledger, issued by the
    inspecting unit, and the finding that points at it; commits."""
    if not may_record(actor, inspection):
        raise PermissionError("the inspection team records findings")
    if inspection.status != PLANNED:
        raise InspectionRejected("status", "the inspection is closed")
    target = tree.by_code(unit)
    if target is None or target.id not in (inspection.target_unit_ids or []):
        raise InspectionRejected("unit", f"{unit} is not a target of this inspection")
    case_id = None
    if case:
        found = db.session.scalars(select(Case).where(Case.public_id == case)).first()
        if found is None or found.unit_id != target.id:
            raise InspectionRejected("case", "no such case of the inspected unit")
        case_id = found.id
        handler_id = _person(handler, target.id, "handler") if handler else found.handler_id
    else:
        handler_id = _person(handler, target.id, "handler")
    responsible_id = _person(responsible, target.id, "responsible")
    seq = (db.session.scalar(select(func.max(InspectionFinding.seq)).where(
        InspectionFinding.inspection_id == inspection.id)) or 0) + 1
    entry = record_problem(
        unit_id=target.id, issuing_unit_id=inspection.unit_id, source="inspection",
        source_ref=f"{inspection.public_id}-{seq}", problem=problem, severity=severity,
        case_id=case_id, handler_id=handler_id, responsible_id=responsible_id,
        deadline=deadline, actor=actor)
    finding = InspectionFinding(unit_id=inspection.unit_id, inspection_id=inspection.id,
                                seq=seq, entry_id=entry.id, target_unit_id=target.id,
                                recorded_by_id=actor.id, at=utcnow())
    db.session.add(finding)
    db.session.commit()
    return finding


def close(inspection: Inspection, actor, *, conclusion: str) -> Inspection:
    if not may_close(actor, inspection):
        raise PermissionError("whoever planned the inspection, the chief or a deputy closes it")
    if inspection.status != PLANNED:
        raise InspectionRejected("status", "the inspection is already closed")
    if not conclusion or not conclusion.strip():
        raise InspectionRejected("conclusion", "write the inspection's conclusion")
    inspection.status = CLOSED_INSPECTION
    inspection.conclusion = conclusion.strip()
    inspection.closed_at = utcnow()
    db.session.commit()
    return inspection


def request_report(inspection: Inspection, actor):
    """Queue the PDF report (a ``JobRun``; the document lands on /jobs)."""
    from procuracy.oversight import jobs_service

    if actor.unit_id != inspection.unit_id:
        raise PermissionError("the inspecting unit requests its report")
    period = inspection.period_to.strftime("%Y-%m")
    return jobs_service.request_report(actor, REPORT_KIND, period,
                                       {"inspection": inspection.public_id})


def list_inspections(status: str | None = None, limit: int = 100) -> list[Inspection]:
    query = select(Inspection).order_by(Inspection.created_at.desc(), Inspection.id.desc())
    if status:
        query = query.where(Inspection.status == status)
    return list(db.session.scalars(query.limit(limit)))


def findings_of(inspection: Inspection) -> list[tuple[InspectionFinding, LedgerEntry]]:
    return list(db.session.execute(
        select(InspectionFinding, LedgerEntry)
        .join(LedgerEntry, LedgerEntry.id == InspectionFinding.entry_id)
        .where(InspectionFinding.inspection_id == inspection.id)
        .order_by(InspectionFinding.seq)).all())
