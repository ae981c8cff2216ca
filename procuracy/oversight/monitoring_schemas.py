"""marshmallow schemas for the monitoring API: a bad input answers 422 naming the
field; text that no database can store (NUL, lone surrogates) is refused here."""
from __future__ import annotations

from datetime import date

from marshmallow import Schema, fields, validate

from procuracy.oversight.monitoring_models import RULE_KINDS, SEVERITIES, STEPS
from procuracy.schema_fields import Code, Text, storable  # noqa: F401

DATES = validate.Range(min=date(2000, 1, 1), max=date(2100, 12, 31))
NOTICE_STATES = ("open", "answered", "overdue", "escalated", "closed")


def PublicId(**kwargs) -> fields.String:  # noqa: N802
    return fields.String(validate=validate.Regexp(r"\A[A-Za-z0-9_-]{1,24}\Z",
                                                  error="an id"), **kwargs)


class Strict(Schema):
    class Meta:
        ordered = True


# ---------------------------------------------------------------- rules
class MonitoringRuleQuery(Strict):
    unit = Code(metadata={"description": "whose rules (default: my unit)"})


class MonitoringRuleOut(Strict):
    code = fields.String()
    kind = fields.String(metadata={"description": ", ".join(RULE_KINDS)})
    name = fields.String()
    params = fields.Dict()
    severity = fields.String()
    step = fields.String()
    enabled = fields.Boolean()
    limits = fields.Dict(metadata={"description": "what a unit may change, set by the province"})
    origin = fields.String(metadata={"description": "province, own or inherited"})
    origin_unit = fields.String()
    note = fields.String()


class MonitoringRuleAdjustIn(Strict):
    params = fields.Dict(keys=fields.String(validate=validate.Length(max=40)),
                         values=fields.Integer(strict=True, validate=validate.Range(0, 3650)))
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    step = fields.String(validate=validate.OneOf(STEPS))
    enabled = fields.Boolean()
    note = Text(500)


# ---------------------------------------------------------------- alerts
class MonitoringAlertQuery(Strict):
    unit = Code()
    status = fields.String(validate=validate.OneOf(("open", "closed", "all")),
                           load_default="open")
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    rule = Text(40)
    case = PublicId()
    mine = fields.Boolean(load_default=False, metadata={"description": "only my cases' alerts"})


class MonitoringAlertOut(Strict):
    id = fields.String()
    rule = fields.String()
    kind = fields.String()
    subject = fields.String()
    severity = fields.String()
    step = fields.String()
    status = fields.String()
    message = fields.String()
    detail = fields.Dict()
    due_on = fields.Date(allow_none=True)
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    unit = fields.String()
    case = fields.String()
    case_number = fields.String()
    handler = fields.String(allow_none=True)
    notices = fields.List(fields.String())


# ---------------------------------------------------------------- notices
class MonitoringNoticeQuery(Strict):
    direction = fields.String(validate=validate.OneOf(("issued", "received", "all")),
                              load_default="all")
    state = fields.String(validate=validate.OneOf(NOTICE_STATES))
    unit = Code(metadata={"description": "the unit the notices are addressed to"})


class MonitoringNoticeIn(Strict):
    case = PublicId(required=True)
    alert = PublicId()
    problem = Text(2000, 1, required=True)
    severity = fields.String(validate=validate.OneOf(SEVERITIES), load_default="normal")
    deadline = fields.Date(validate=DATES, metadata={"description": "default: in 5 days"})


class NoticeAnswerIn(Strict):
    text = Text(4000, 1, required=True)


class NoticeCloseIn(Strict):
    note = Text(2000, load_default="")


class NoticeEscalateIn(Strict):
    reason = Text(2000, 1, required=True)


class NoticeAnswerOut(Strict):
    by = fields.String()
    on = fields.Date()
    text = fields.String()
    late = fields.Boolean()


class MonitoringNoticeOut(Strict):
    id = fields.String()
    number = fields.String()
    state = fields.String()
    issuing_unit = fields.String()
    unit = fields.String(metadata={"description": "the unit addressed"})
    case = fields.String()
    case_number = fields.String()
    rule = fields.String()
    problem = fields.String()
    severity = fields.String()
    handler = fields.String(allow_none=True)
    issued_by = fields.String(allow_none=True)
    issued_on = fields.Date()
    deadline = fields.Date()
    escalated_on = fields.Date(allow_none=True)
    escalated_to = fields.String(allow_none=True)
    escalation_reason = fields.String()
    closed_on = fields.Date(allow_none=True)
    close_note = fields.String()
    ledger_ref = fields.String()
    answers = fields.List(fields.Nested(NoticeAnswerOut))
    may_answer = fields.Boolean()
    may_decide = fields.Boolean()


class MonitoringInboxOut(Strict):
    alerts = fields.List(fields.Nested(MonitoringAlertOut))
    notices = fields.List(fields.Nested(MonitoringNoticeOut))


# ---------------------------------------------------------------- sweeps
class MonitoringSweepIn(Strict):
    unit = Code(metadata={"description": "the unit whose tree to sweep (default: mine)"})


class MonitoringSweepOut(Strict):
    job = fields.String()
    unit = fields.String()
    status = fields.String()
    message = fields.String()
