"""Reading alerts and notices for the API and the pages: lists with filters, an inbox,
and the rows as they are shown (case number, unit codes, names, answers), each list
in a fixed number of queries whatever its length.

The scope decides which rows exist for the reader (alerts through their case,
notices for the issuing and the addressed unit); inside a unit, people who do not
read the whole unit see only the notices addressed to them or issued by them.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from procuracy.cases.calendar import china_today
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.oversight import monitoring_notices as notices
from procuracy.oversight.monitoring_models import OPEN, MonitoringAlert, MonitoringNotice
from procuracy.tenants.models import Unit, User
from procuracy.tenants.roles import WHOLE_UNIT_READERS
from procuracy.tenants.services import readable_unit

LIMIT = 200


def _names(ids) -> dict[int, str]:
    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    return {uid: f"{name} ({username})" for uid, name, username in db.session.execute(
        select(User.id, User.full_name, User.username).where(User.id.in_(ids)))}


def _codes(ids) -> dict[int, str]:
    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    return dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(ids))).all())


def _cases(ids) -> dict[int, tuple[str, str]]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {cid: (pid, number) for cid, pid, number in db.session.execute(
        select(Case.id, Case.public_id, Case.number).where(Case.id.in_(ids)))}


# ---------------------------------------------------------------- alerts
def list_alerts(user, *, unit: str | None = None, status: str = "open",
                severity: str | None = None, rule: str | None = None, case: str | None = None,
                mine: bool = False, limit: int = LIMIT) -> list[MonitoringAlert]:
    query = select(MonitoringAlert).order_by(MonitoringAlert.opened_at.desc(),
                                             MonitoringAlert.id.desc()).limit(limit)
    if unit:
        query = query.where(MonitoringAlert.unit_id == readable_unit(unit).id)
    if status != "all":
        query = query.where(MonitoringAlert.status == status)
    if severity:
        query = query.where(MonitoringAlert.severity == severity)
    if rule:
        query = query.where(MonitoringAlert.rule_code == rule)
    if case:
        query = query.join(Case, Case.id == MonitoringAlert.case_id).where(Case.public_id == case)
    if mine:
        query = query.where(MonitoringAlert.handler_id == user.id)
    return list(db.session.scalars(query))


def describe_alerts(alerts: list[MonitoringAlert]) -> list[dict]:
    cases = _cases(a.case_id for a in alerts)
    codes = _codes(a.unit_id for a in alerts)
    names = _names(a.handler_id for a in alerts)
    issued: dict[int, list[str]] = {}
    if alerts:
        for alert_id, number in db.session.execute(
                select(MonitoringNotice.alert_id, MonitoringNotice.number)
                .where(MonitoringNotice.alert_id.in_([a.id for a in alerts]))
                .order_by(MonitoringNotice.id)):
            issued.setdefault(alert_id, []).append(number)
    out = []
    for a in alerts:
        pid, number = cases.get(a.case_id, ("", ""))
        out.append({"id": a.public_id, "rule": a.rule_code, "kind": a.rule_kind,
                    "subject": a.subject, "severity": a.severity, "step": a.step,
                    "status": a.status, "message": a.message, "detail": a.detail or {},
                    "due_on": a.due_on, "opened_at": a.opened_at, "closed_at": a.closed_at,
                    "unit": codes.get(a.unit_id, ""), "case": pid, "case_number": number,
                    "handler": names.get(a.handler_id), "notices": issued.get(a.id, [])})
    return out


def get_alert(public_id: str) -> MonitoringAlert:
    from procuracy.tenants.scope import get_or_404

    return get_or_404(db.session, MonitoringAlert, public_id=public_id)


# ---------------------------------------------------------------- notices
def list_notices(user, *, direction: str = "all", state: str | None = None,
                 unit: str | None = None, limit: int = LIMIT,
                 today: date | None = None) -> list[MonitoringNotice]:
    query = select(MonitoringNotice).order_by(MonitoringNotice.issued_on.desc(),
                                              MonitoringNotice.id.desc())
    if direction == "issued":
        query = query.where(MonitoringNotice.unit_id == user.unit_id)
    elif direction == "received":
        query = query.where(MonitoringNotice.reviewed_unit_id == user.unit_id)
    if unit:
        query = query.where(MonitoringNotice.reviewed_unit_id == readable_unit(unit).id)
    if not user.has_role(*WHOLE_UNIT_READERS):
        query = query.where(or_(MonitoringNotice.handler_id == user.id,
                                MonitoringNotice.escalated_to_id == user.id,
                                MonitoringNotice.issued_by_id == user.id))
    if state in ("escalated", "closed"):
        query = query.where(MonitoringNotice.status == state)
    elif state:
        query = query.where(MonitoringNotice.status == "open")
    rows = list(db.session.scalars(query.limit(limit)))
    if state in ("open", "answered", "overdue"):
        answers = notices.answers_of([n.id for n in rows])
        rows = [n for n in rows if notices.state_of(n, bool(answers[n.id]), today) == state]
    return rows


def describe_notices(user, rows: list[MonitoringNotice], today: date | None = None
                     ) -> list[dict]:
    today = today or china_today()
    answers = notices.answers_of([n.id for n in rows])
    cases = _cases(n.case_id for n in rows)
    codes = _codes([n.unit_id for n in rows] + [n.reviewed_unit_id for n in rows])
    people = _names([n.handler_id for n in rows] + [n.issued_by_id for n in rows]
                    + [n.escalated_to_id for n in rows]
                    + [a.answered_by_id for n in rows for a in answers[n.id]])
    out = []
    for n in rows:
        pid, number = cases.get(n.case_id, ("", ""))
        out.append({
            "id": n.public_id, "number": n.number,
            "state": notices.state_of(n, bool(answers[n.id]), today),
            "issuing_unit": codes.get(n.unit_id, ""), "unit": codes.get(n.reviewed_unit_id, ""),
            "case": pid, "case_number": number, "rule": n.rule_code, "problem": n.problem,
            "severity": n.severity, "handler": people.get(n.handler_id),
            "issued_by": people.get(n.issued_by_id), "issued_on": n.issued_on,
            "deadline": n.deadline, "escalated_on": n.escalated_on,
            "escalated_to": people.get(n.escalated_to_id),
            "escalation_reason": n.escalation_reason, "closed_on": n.closed_on,
            "close_note": n.close_note, "ledger_ref": n.ledger_ref,
            "answers": [{"by": people.get(a.answered_by_id, ""), "on": a.answered_on,
                         "text": a.text, "late": a.late} for a in answers[n.id]],
            "may_answer": notices.may_answer(user, n),
            "may_decide": notices.may_decide(user, n) and n.status != "closed",
        })
    return out


# ---------------------------------------------------------------- the inbox
def inbox(user, today: date | None = None) -> dict:
    """My cases' open alerts and the notices I am to answer (not closed)."""
    alerts = db.session.scalars(
        select(MonitoringAlert).where(MonitoringAlert.handler_id == user.id,
                                      MonitoringAlert.status == OPEN)
        .order_by(MonitoringAlert.opened_at.desc(), MonitoringAlert.id.desc()).limit(LIMIT)).all()
    mine = db.session.scalars(
        select(MonitoringNotice).where(
            MonitoringNotice.reviewed_unit_id == user.unit_id,
            MonitoringNotice.status != "closed",
            or_(MonitoringNotice.handler_id == user.id,
                MonitoringNotice.escalated_to_id == user.id))
        .order_by(MonitoringNotice.deadline, MonitoringNotice.id).limit(LIMIT)).all()
    return {"alerts": describe_alerts(list(alerts)),
            "notices": describe_notices(user, list(mine), today)}
