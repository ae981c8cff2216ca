"""Process monitoring (流程监控): rules as data, the alerts they raise on cases, and the
written monitoring notices (流程监控通知书) with the handlers' answers.

- ``MonitoringRule`` is published by the province for its tree (``__scope__ =
  "template"``: a unit reads its own rows and its ancestors' published ones). A lower
  unit adjusts a rule by writing its own row with the same ``code`` (``based_on_id``
  names the province's row), within the ``limits`` the province's row sets.
- ``MonitoringAlert`` is one hit of one rule on one case (and one clock, document set
  or other ``subject``); it belongs to the case's unit and is read through the case.
  At most one alert per (rule, case, subject) is open: a partial unique index.
- ``MonitoringNotice`` is a numbered notice issued by a unit's case managers to a unit
  of its tree (itself included). It belongs to the issuing unit; ``reviewed_unit_id``
  is the unit it is addressed to, which reads it under the ``"review"`` scope rule
  (the name of that column is the scope rule's).
- ``NoticeAnswer`` is the handler's (or, after escalation, the chief's) answer; it
  belongs to the answering unit, which is the only unit that may write it.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from procuracy.cases.models import new_public_id
from procuracy.extensions import db
from procuracy.orm import Timestamped, utcnow
from procuracy.ownership import UnitOwned

RULE_KINDS = ("due_soon", "overdue", "missing_document", "missing_field", "long_unclosed",
              "designated", "leader_case")
SEVERITIES = ("minor", "normal", "major", "serious")  # the problem ledger's, mildest first
STEPS = ("reminder", "notice")  # what a hit leads to, mildest first
OPEN, CLOSED = "open", "closed"
NOTICE_STATUSES = ("open", "closed", "escalated")


class MonitoringRule(UnitOwned, Timestamped, db.Model):
    __tablename__ = "monitoring_rules"
    __scope__ = "template"
    __record_reads__ = False  # reference data, not a unit's case data
    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(120))
    # e.g. {"kinds": ["arrest_review"], "days": 2}; see monitoring_rules.PARAMS
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    severity: Mapped[str] = mapped_column(String(8), default="normal")
    step: Mapped[str] = mapped_column(String(8), default="reminder")
    enabled: Mapped[bool] = mapped_column(default=True)
    # Set on the province's row: {"days": {"min": 2, "max": 10}, "may_disable": false}
    limits: Mapped[dict] = mapped_column(JSON, default=dict)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_rules.id"))
    status: Mapped[str] = mapped_column(String(12), default="published")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<MonitoringRule {self.code} unit {self.unit_id}>"


class MonitoringAlert(UnitOwned, db.Model):
    __tablename__ = "monitoring_alerts"
    __scope__ = "via_case"
    # Raised and closed by the sweep in bulk; the sweep's JobRun is the record.
    __audited__ = False
    __table_args__ = (
        Index("uq_monitoring_alerts_open_key", "rule_code", "case_id", "subject", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_monitoring_alerts_unit_status", "unit_id", "status"),
        Index("ix_monitoring_alerts_handler_status", "handler_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    rule_code: Mapped[str] = mapped_column(String(40))
    rule_kind: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(64), default="")  # clock:12, stage:review
    severity: Mapped[str] = mapped_column(String(8))
    step: Mapped[str] = mapped_column(String(8))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(8), default=OPEN)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<MonitoringAlert {self.rule_code} case {self.case_id} {self.status}>"


class MonitoringNotice(UnitOwned, Timestamped, db.Model):
    __tablename__ = "monitoring_notices"
    __scope__ = "review"
    __table_args__ = (UniqueConstraint("unit_id", "year", "seq"),
                      Index("ix_monitoring_notices_status_deadline", "status", "deadline"))

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    # The unit the notice is addressed to (the case's unit).
    reviewed_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(60))  # 穗检案监〔2026〕3号
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_alerts.id"))
    rule_code: Mapped[str] = mapped_column(String(40), default="")
    problem: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(8), default="normal")
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_on: Mapped[date]
    deadline: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="open")
    escalated_on: Mapped[date | None]
    escalated_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    escalation_reason: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    close_note: Mapped[str] = mapped_column(Text, default="")
    ledger_ref: Mapped[str] = mapped_column(String(64), default="")

    def __repr__(self) -> str:
        return f"<MonitoringNotice {self.number} {self.status}>"


class NoticeAnswer(UnitOwned, db.Model):
    __tablename__ = "monitoring_notice_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("monitoring_notices.id"), index=True)
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<NoticeAnswer notice {self.notice_id}>"
