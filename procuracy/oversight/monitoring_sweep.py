"""Running the monitoring rules: the daily sweep, a sweep on demand, one case.

``sweep_unit`` finds the hits of the unit's rules (``monitoring_engine``) and
reconciles them with the unit's open alerts: a new hit opens an alert, an alert
whose condition has cleared (or whose rule was switched off) closes, one that still
holds keeps its row. The open alerts are loaded in one query and written in bulk,
so a sweep costs a fixed number of statements per rule and unit, never per case.
Open alerts are unique on (rule, case, subject) in the database too, so a sweep
run twice leaves the same alerts.

``sweep_tree`` sweeps a unit and its descendants and escalates the notices of that
tree left unanswered past their deadline: the job ``monitoring_sweep`` runs it
for each province daily (``jobs.schedule``) and for a unit when its (or a higher
unit's) case managers ask. ``evaluate_cases`` runs after cases changed (``monitoring_hook``
calls it when the transaction that changed them commits); ``evaluate_case`` is one
case, on demand.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, insert, select

from procuracy.cases.calendar import china_today
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.oversight.monitoring_engine import Hit, find_hits
from procuracy.oversight.monitoring_models import (
    CLOSED,
    OPEN,
    MonitoringAlert,
    MonitoringNotice,
    NoticeAnswer,
)
from procuracy.oversight.monitoring_rules import effective_rules
from procuracy.tenants.models import Unit, UnitClosure, User, UserRole
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import OutOfScope, WriteOutOfScope, current_scope


@dataclass
class SweepResult:
    opened: int = 0
    closed: int = 0
    kept: int = 0
    escalated: int = 0

    def add(self, other: SweepResult) -> SweepResult:
        self.opened += other.opened
        self.closed += other.closed
        self.kept += other.kept
        self.escalated += other.escalated
        return self

    def as_dict(self) -> dict:
        return {"opened": self.opened, "closed": self.closed, "kept": self.kept,
                "escalated": self.escalated}


def _refresh(alert: MonitoringAlert, hit: Hit) -> None:
    """Bring a still-open alert up to date with its rule (severity, step) and case."""
    values = {"severity": hit.rule.severity, "step": hit.rule.step, "handler_id": hit.handler_id,
              "message": hit.message[:300], "detail": hit.detail, "due_on": hit.due_on}
    for name, value in values.items():
        if getattr(alert, name) != value:
            setattr(alert, name, value)


def reconcile(unit_id: int, hits: dict[tuple, Hit], case_id: int | None = None) -> SweepResult:
    """Open, keep and close the unit's alerts (or one case's) to match ``hits``. Flushes."""
    query = select(MonitoringAlert).where(MonitoringAlert.unit_id == unit_id,
                                          MonitoringAlert.status == OPEN)
    if case_id is not None:
        query = query.where(MonitoringAlert.case_id == case_id)
    current = {(a.rule_code, a.case_id, a.subject): a for a in db.session.scalars(query)}
    result = SweepResult()
    now = utcnow()
    for key, alert in current.items():
        hit = hits.get(key)
        if hit is None:
            alert.status, alert.closed_at = CLOSED, now
            result.closed += 1
        else:
            _refresh(alert, hit)
            result.kept += 1
    new = [{"unit_id": unit_id, "case_id": hit.case_id, "rule_code": hit.rule.code,
            "rule_kind": hit.rule.kind, "subject": hit.subject, "severity": hit.rule.severity,
            "step": hit.rule.step, "handler_id": hit.handler_id, "message": hit.message[:300],
            "detail": hit.detail, "due_on": hit.due_on, "status": OPEN, "opened_at": now,
            "closed_at": None}
           for key, hit in hits.items() if key not in current]
    db.session.flush()
    if new:
        # One executemany, not an INSERT ... RETURNING per row. A bulk insert skips the
        # flush-time write check, so it is made here (RLS makes it again on PostgreSQL).
        scope = current_scope(db.session)
        if scope is None or not scope.can_write_unit(unit_id):
            raise WriteOutOfScope(f"alerts of unit {unit_id}")
        # render_nulls: every row names every column (a NULL due date or handler too),
        # so the rows go in one batch rather than one per pattern of missing values.
        db.session.execute(_insert_new_alerts().execution_options(render_nulls=True), new)
    result.opened = len(new)
    return result


def _insert_new_alerts():
    """INSERT of alerts that skips one already open for the same (rule, case, subject):
    the nightly sweep and the evaluation after a case change may race to open it, and
    the one that loses must not fail its whole run on the unique index."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(MonitoringAlert).on_conflict_do_nothing()
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(MonitoringAlert).on_conflict_do_nothing()
    return insert(MonitoringAlert)


def sweep_unit(unit_id: int, today: date | None = None) -> SweepResult:
    """Run the unit's rules over all its open cases and reconcile its alerts."""
    today = today or china_today()
    return reconcile(unit_id, find_hits(unit_id, effective_rules(unit_id), today))


def evaluate_case(case_id: int, today: date | None = None, *, commit: bool = True) -> list:
    """Run the case's unit's rules over this one case (after it changed) and reconcile
    its alerts; the case's open alerts. Under the caller's scope; a case the caller
    cannot see is left alone."""
    case = db.session.get(Case, case_id)
    if case is None:
        return []
    today = today or china_today()
    hits = find_hits(case.unit_id, effective_rules(case.unit_id), today, case_id=case_id)
    reconcile(case.unit_id, hits, case_id=case_id)
    if commit:
        db.session.commit()
    return list(db.session.scalars(select(MonitoringAlert).where(
        MonitoringAlert.case_id == case_id, MonitoringAlert.status == OPEN)
        .order_by(MonitoringAlert.id)))


# Up to this many changed cases of one unit are evaluated one by one; past it the
# unit's sweep costs fewer statements (a fixed number per unit, whatever the count).
PER_CASE_UP_TO = 3


def evaluate_cases(case_ids, today: date | None = None) -> SweepResult:
    """Run each changed case's unit's rules over it and reconcile its alerts (open,
    keep, close: a closed case's alerts close). Flushes, never commits; under the
    caller's scope (the hook gives it the system's: alerts belong to the case's unit,
    whoever changed the case). A unit with no rule in force costs no finder query."""
    today = today or china_today()
    by_unit: dict[int, list[int]] = {}
    for case_id, unit_id in db.session.execute(
            select(Case.id, Case.unit_id).where(Case.id.in_(sorted(case_ids)))):
        by_unit.setdefault(unit_id, []).append(case_id)
    total = SweepResult()
    for unit_id, ids in sorted(by_unit.items()):
        if len(ids) > PER_CASE_UP_TO:
            total.add(sweep_unit(unit_id, today))
            continue
        rules = effective_rules(unit_id)
        enabled = any(rule.enabled for rule in rules)
        for case_id in sorted(ids):
            hits = find_hits(unit_id, rules, today, case_id=case_id) if enabled else {}
            total.add(reconcile(unit_id, hits, case_id=case_id))
    return total


def tree_ids(root_id: int) -> list[int]:
    return list(db.session.scalars(
        select(UnitClosure.descendant_id).join(Unit, Unit.id == UnitClosure.descendant_id)
        .where(UnitClosure.ancestor_id == root_id).order_by(Unit.depth, Unit.code)))


def chiefs_of(unit_ids: list[int]) -> dict[int, int]:
    """Each unit's chief prosecutor (the first by username), for escalations."""
    out: dict[int, int] = {}
    for unit_id, user_id in db.session.execute(
            select(User.unit_id, User.id).join(UserRole, UserRole.user_id == User.id)
            .where(User.unit_id.in_(unit_ids), UserRole.role == Role.CHIEF, User.active)
            .order_by(User.username)):
        out.setdefault(unit_id, user_id)
    return out


def escalate_unanswered(unit_ids: list[int], today: date) -> int:
    """Notices to these units still open and unanswered past their deadline go to the
    unit's chief (status ``escalated``). Returns how many."""
    answered = exists().where(NoticeAnswer.notice_id == MonitoringNotice.id)
    late = db.session.scalars(select(MonitoringNotice).where(
        MonitoringNotice.reviewed_unit_id.in_(unit_ids), MonitoringNotice.status == "open",
        MonitoringNotice.deadline < today, ~answered)).all()
    chiefs = chiefs_of(sorted({n.reviewed_unit_id for n in late})) if late else {}
    for notice in late:
        notice.status, notice.escalated_on = "escalated", today
        notice.escalated_to_id = chiefs.get(notice.reviewed_unit_id)
        notice.escalation_reason = f"逾期未答复（答复期限 {notice.deadline}）"
    db.session.flush()
    return len(late)


def sweep_tree(root_id: int, today: date | None = None, progress=None) -> SweepResult:
    """Sweep ``root_id`` and every unit below it; escalate their overdue notices."""
    today = today or china_today()
    units = tree_ids(root_id)
    total = SweepResult()
    for done, unit_id in enumerate(units, start=1):
        total.add(sweep_unit(unit_id, today))
        if progress is not None:
            progress(int(done * 90 / len(units)), f"{done}/{len(units)}")
    total.escalated = escalate_unanswered(units, today)
    return total


SWEEPERS = frozenset({Role.CASE_MANAGER, Role.CHIEF})


def request_sweep(user, unit: Unit):
    """Run the ``monitoring_sweep`` job over ``unit``'s tree now (in process without
    Redis, else on a worker): for the case managers (or chief) of the unit or of a unit
    above it. The ``JobRun`` belongs to the asking user's unit."""
    from procuracy import queue

    if not user.has_role(*SWEEPERS):
        raise PermissionError("only case managers (or the chief) run monitoring")
    scope = current_scope(db.session)
    if unit.id != user.unit_id and unit.id not in scope.supervised:
        raise OutOfScope(f"unit {unit.code}")
    return queue.enqueue("monitoring_sweep", params={"unit_id": unit.id}, requested_by=user,
                         unit_id=user.unit_id, period=china_today().isoformat())


def run_job(job) -> None:
    """The ``monitoring_sweep`` job (``jobs.registry``): the tree of ``params.unit_id``
    (a sweep asked for), else of the run's unit (the scheduler's province); ``params.
    today`` (ISO) for a replay of a given day. Runs under the job's system scope."""
    root = int(job.params.get("unit_id") or job.unit_id)
    today = date.fromisoformat(job.params["today"]) if job.params.get("today") else None
    result = sweep_tree(root, today, progress=job.progress)
    db.session.commit()
    job.progress(100, "新增 {opened}，关闭 {closed}，保持 {kept}，升级 {escalated}".format(
        **result.as_dict()))
