"""Monitoring notices (流程监控通知书): issue, answer, close, escalate.

A unit's case managers (or its chief) issue a notice about a case of their unit or
of a unit below it: numbered per issuing unit and year (穗检案监〔2026〕3号, from the
unit's own numbering sequence), addressed to the case's handler with an answer
deadline, and put on the problem ledger. The handler (after escalation: the chief
of the case's unit too) answers; the issuing unit closes the notice on the answer,
or escalates it to the chief of the case's unit. A notice left unanswered past its
deadline is escalated by the daily sweep (``monitoring_sweep.escalate_unanswered``).

The notice belongs to the issuing unit and the answer to the answering unit: each
writes only its own rows. Services commit.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import select

from procuracy.cases.calendar import china_today
from procuracy.cases.intake import next_number
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.oversight.monitoring_models import (
    SEVERITIES,
    MonitoringAlert,
    MonitoringNotice,
    NoticeAnswer,
)
from procuracy.oversight.monitoring_sweep import chiefs_of
from procuracy.tenants.models import Unit
from procuracy.tenants.roles import WHOLE_UNIT_READERS, Role
from procuracy.tenants.scope import OutOfScope, current_scope, get_or_404

log = logging.getLogger(__name__)

ISSUERS = frozenset({Role.CASE_MANAGER, Role.CHIEF})
NUMBER_ABBR = "案监"  # 案件管理 · 流程监控, in 穗检案监〔2026〕3号
DEFAULT_ANSWER_DAYS = 5
MAX_ANSWER_DAYS = 60


class NoticeRefused(ValueError):
    """A notice change the rules refuse (422); ``errors`` by field."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


class NoticeConflict(RuntimeError):
    """The notice is not in a state that allows this (409)."""


def notice_number(unit: Unit, year: int, seq: int) -> str:
    return f"{unit.abbr or unit.name}检{NUMBER_ABBR}〔{year}〕{seq}号"


def _require_issuer(user) -> None:
    if not user.has_role(*ISSUERS):
        raise PermissionError("only case managers (or the chief) issue monitoring notices")


def _record_on_ledger(notice: MonitoringNotice, actor) -> str:
    """Put the notice on the problem ledger; the entry's reference ('' while the ledger
    is not there yet)."""
    from procuracy.oversight import ledger

    try:
        entry = ledger.record_problem(
            unit_id=notice.reviewed_unit_id, issuing_unit_id=notice.unit_id,
            source="monitoring", source_ref=notice.number, problem=notice.problem,
            severity=notice.severity, case_id=notice.case_id, handler_id=notice.handler_id,
            responsible_id=notice.handler_id, deadline=notice.deadline, actor=actor)
    except NotImplementedError:
        log.warning("problem ledger not available yet: notice %s not recorded", notice.number)
        return ""
    return str(getattr(entry, "public_id", None) or getattr(entry, "id", "") or "")


def issue(user, case_public_id: str, problem: str, *, deadline: date | None = None,
          severity: str = "normal", alert_public_id: str | None = None,
          today: date | None = None) -> MonitoringNotice:
    """Issue a notice about a case of the user's unit or of a unit below it."""
    _require_issuer(user)
    today = today or china_today()
    case = get_or_404(db.session, Case, public_id=case_public_id)
    scope = current_scope(db.session)
    if case.unit_id != user.unit_id and case.unit_id not in scope.supervised:
        raise OutOfScope(f"Case {case_public_id}")  # e.g. read under a cross-review order
    alert = None
    if alert_public_id:
        alert = get_or_404(db.session, MonitoringAlert, public_id=alert_public_id)
    deadline = deadline or today + timedelta(days=DEFAULT_ANSWER_DAYS)
    errors: dict[str, list[str]] = {}
    if not (problem or "").strip():
        errors["problem"] = ["describe the problem"]
    if not today < deadline <= today + timedelta(days=MAX_ANSWER_DAYS):
        errors["deadline"] = [f"between tomorrow and {MAX_ANSWER_DAYS} days from today"]
    if severity not in SEVERITIES:
        errors["severity"] = [f"one of {', '.join(SEVERITIES)}"]
    if alert is not None and alert.case_id != case.id:
        errors["alert"] = ["the alert is about another case"]
    if errors:
        raise NoticeRefused(errors)
    unit = db.session.get(Unit, user.unit_id)
    seq = next_number(user.unit_id, NUMBER_ABBR, today.year)
    notice = MonitoringNotice(
        unit_id=user.unit_id, reviewed_unit_id=case.unit_id, year=today.year, seq=seq,
        number=notice_number(unit, today.year, seq), case_id=case.id,
        alert_id=alert.id if alert else None, rule_code=alert.rule_code if alert else "",
        problem=problem.strip(), severity=severity, handler_id=case.handler_id,
        issued_by_id=user.id, issued_on=today, deadline=deadline, status="open")
    db.session.add(notice)
    db.session.flush()
    notice.ledger_ref = _record_on_ledger(notice, user)[:64]
    db.session.commit()
    return notice


def get_notice(user, public_id: str) -> MonitoringNotice:
    """A notice the user may see: the scope decides the units; inside the addressed
    unit, people who do not read the whole unit see only the notices addressed to them."""
    notice = get_or_404(db.session, MonitoringNotice, public_id=public_id)
    if not _may_see(user, notice):
        raise OutOfScope(f"MonitoringNotice {public_id}")
    return notice


def _may_see(user, notice: MonitoringNotice) -> bool:
    return user.has_role(*WHOLE_UNIT_READERS) or user.id in (
        notice.handler_id, notice.escalated_to_id, notice.issued_by_id)


def answers_of(notice_ids: list[int]) -> dict[int, list[NoticeAnswer]]:
    out: dict[int, list[NoticeAnswer]] = {i: [] for i in notice_ids}
    if notice_ids:
        for answer in db.session.scalars(select(NoticeAnswer).where(
                NoticeAnswer.notice_id.in_(notice_ids)).order_by(NoticeAnswer.id)):
            out[answer.notice_id].append(answer)
    return out


def may_answer(user, notice: MonitoringNotice) -> bool:
    if user.unit_id != notice.reviewed_unit_id or notice.status == "closed":
        return False
    return user.id in (notice.handler_id, notice.escalated_to_id) or (
        notice.status == "escalated" and user.has_role(Role.CHIEF))


def may_decide(user, notice: MonitoringNotice) -> bool:
    """Closing and escalating belong to the issuing unit's case managers and chief."""
    return user.unit_id == notice.unit_id and user.has_role(*ISSUERS)


def answer(user, notice: MonitoringNotice, text: str, today: date | None = None) -> NoticeAnswer:
    if notice.status == "closed":
        raise NoticeConflict(f"notice {notice.number} is closed")
    if not may_answer(user, notice):
        raise PermissionError("the notice is answered by the case's handler "
                              "(after escalation: the chief of the case's unit)")
    if not (text or "").strip():
        raise NoticeRefused({"text": ["the answer says what was done"]})
    today = today or china_today()
    reply = NoticeAnswer(unit_id=user.unit_id, notice_id=notice.id, answered_by_id=user.id,
                         answered_on=today, text=text.strip(), late=today > notice.deadline)
    db.session.add(reply)
    db.session.commit()
    return reply


def close(user, notice: MonitoringNotice, note: str = "", today: date | None = None
          ) -> MonitoringNotice:
    """The issuing unit accepts the answer: the notice is closed."""
    if not may_decide(user, notice):
        raise PermissionError("only the issuing unit's case managers close a notice")
    if notice.status == "closed":
        raise NoticeConflict(f"notice {notice.number} is closed already")
    if not answers_of([notice.id])[notice.id]:
        raise NoticeConflict(f"notice {notice.number} has no answer yet: wait or escalate")
    notice.status, notice.closed_on = "closed", today or china_today()
    notice.closed_by_id, notice.close_note = user.id, (note or "").strip()
    db.session.commit()
    return notice


def escalate(user, notice: MonitoringNotice, reason: str, today: date | None = None
             ) -> MonitoringNotice:
    """The issuing unit finds the answer wanting (or none came): the notice goes to the
    chief of the case's unit."""
    if not may_decide(user, notice):
        raise PermissionError("only the issuing unit's case managers escalate a notice")
    if notice.status != "open":
        raise NoticeConflict(f"notice {notice.number} is {notice.status}")
    if not (reason or "").strip():
        raise NoticeRefused({"reason": ["say why the notice is escalated"]})
    # The issuer reads the people of the case's unit: its own, or one it supervises.
    chief = chiefs_of([notice.reviewed_unit_id]).get(notice.reviewed_unit_id)
    notice.status, notice.escalated_on = "escalated", today or china_today()
    notice.escalated_to_id, notice.escalation_reason = chief, reason.strip()
    db.session.commit()
    return notice


def state_of(notice: MonitoringNotice, answered: bool, today: date | None = None) -> str:
    """open | answered | overdue | escalated | closed, as the pages show it."""
    if notice.status != "open":
        return notice.status
    if answered:
        return "answered"
    return "overdue" if (today or china_today()) > notice.deadline else "open"
