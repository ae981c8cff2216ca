"""What the case pages show of process monitoring: one case's open alerts (the case
page) and the open alerts on the cases I work on (the "my cases" page).

Read through the request's scope like every other read (an alert is read through its
case), in a fixed number of statements whatever the number of alerts. The cases
views import this module late: the cases code imports nothing of oversight at
module level.
"""
from __future__ import annotations

from sqlalchemy import func, select

from procuracy.cases.models import CaseParticipant
from procuracy.extensions import db
from procuracy.oversight.monitoring_labels import LABELS
from procuracy.oversight.monitoring_models import OPEN, SEVERITIES, MonitoringAlert
from procuracy.oversight.monitoring_queries import describe_alerts

MY_CASES_SHOWN = 10


def _gravest_first(alert: MonitoringAlert) -> tuple:
    rank = SEVERITIES.index(alert.severity) if alert.severity in SEVERITIES else -1
    return (-rank, alert.due_on is None, alert.due_on, alert.id)


def case_alerts(case_id: int) -> list[dict]:
    """The case's open alerts, gravest first: one statement."""
    alerts = db.session.scalars(select(MonitoringAlert).where(
        MonitoringAlert.case_id == case_id, MonitoringAlert.status == OPEN)).all()
    return [{"id": a.public_id, "rule": a.rule_code, "kind": a.rule_kind,
             "severity": a.severity, "step": a.step, "message": a.message,
             "due_on": a.due_on, "opened_at": a.opened_at}
            for a in sorted(alerts, key=_gravest_first)]


def my_case_alerts(user, shown: int = MY_CASES_SHOWN) -> dict:
    """The open alerts on the cases ``user`` handles or assists on: how many, and the
    newest ``shown`` of them as the alerts pages describe them (six statements)."""
    where = (MonitoringAlert.status == OPEN,
             MonitoringAlert.case_id.in_(select(CaseParticipant.case_id)
                                         .where(CaseParticipant.user_id == user.id)))
    total = db.session.scalar(select(func.count(MonitoringAlert.id)).where(*where)) or 0
    alerts = db.session.scalars(
        select(MonitoringAlert).where(*where)
        .order_by(MonitoringAlert.opened_at.desc(), MonitoringAlert.id.desc())
        .limit(shown)).all() if total else []
    return {"total": total, "alerts": describe_alerts(list(alerts))}


def labels() -> dict:
    """The monitoring labels (severity, step, rule kind) for a case template."""
    return LABELS
