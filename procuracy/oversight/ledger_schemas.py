"""marshmallow schemas for the ledger and inspections API: a bad input answers 422
naming the field; text that no database can store (NUL, lone surrogates) is refused."""
from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from procuracy.oversight.ledger_models import SEVERITIES, SOURCES, STATES, TOPICS
from procuracy.schema_fields import Code, Text, storable  # noqa: F401

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
DATES = validate.Range(min=EARLIEST, max=LATEST)


def PublicId(**kwargs) -> fields.String:  # noqa: N802
    return fields.String(validate=validate.Regexp(r"\A[A-Za-z0-9_-]{1,24}\Z",
                                                  error="an id"), **kwargs)


def Username(**kwargs) -> fields.String:  # noqa: N802
    return Text(80, 1, **kwargs)


class Strict(Schema):
    class Meta:
        ordered = True


# ---------------------------------------------------------------- ledger
class LedgerQuery(Strict):
    unit = Code(metadata={"description": "the rectifying unit"})
    issuer = Code(metadata={"description": "the issuing unit"})
    side = fields.String(validate=validate.OneOf(["mine", "issued"]),
                         metadata={"description": "mine: my unit rectifies; issued: my unit "
                                                  "issued"})
    source = fields.String(validate=validate.OneOf(SOURCES))
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    state = fields.String(validate=validate.OneOf(STATES))
    overdue = fields.Boolean()
    case = PublicId()
    q = Text(100, 1)


class LedgerOut(Strict):
    id = fields.String()
    unit = fields.String(metadata={"description": "the rectifying unit's code"})
    unit_name = fields.String(allow_none=True)
    issuer = fields.String(metadata={"description": "the issuing unit's code"})
    issuer_name = fields.String(allow_none=True)
    case = fields.String(allow_none=True)
    case_number = fields.String(allow_none=True)
    handler = fields.String(allow_none=True)
    handler_name = fields.String(allow_none=True)
    responsible = fields.String(allow_none=True)
    responsible_name = fields.String(allow_none=True)
    source = fields.String()
    source_ref = fields.String()
    problem = fields.String()
    severity = fields.String()
    deadline = fields.Date(allow_none=True)
    state = fields.String()
    ageing_days = fields.Integer()
    overdue = fields.Boolean()
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    last_answer_at = fields.DateTime(allow_none=True)
    verified_at = fields.DateTime(allow_none=True)
    can_answer = fields.Boolean()
    can_verify = fields.Boolean()


class LedgerEventOut(Strict):
    kind = fields.String(metadata={"description": "answer, accept or reopen"})
    at = fields.DateTime()
    by = fields.String(allow_none=True)
    text = fields.String()
    evidence = fields.String()
    document = fields.String(allow_none=True)


class LedgerDetailOut(LedgerOut):
    history = fields.List(fields.Nested(LedgerEventOut))


class AnswerIn(Strict):
    text = Text(4000, 1, required=True)
    evidence = Text(4000, load_default="")
    document = PublicId(metadata={"description": "a document of the entry's case"})


class VerifyIn(Strict):
    outcome = fields.String(required=True, validate=validate.OneOf(["accept", "reopen"]))
    reason = Text(2000, load_default="")


class HandoverIn(Strict):
    finding = PublicId(required=True, metadata={"description": "a quality-review finding"})


# ---------------------------------------------------------------- inspections
class InspectionIn(Strict):
    title = Text(200, 1, required=True)
    topic = fields.String(required=True, validate=validate.OneOf(TOPICS))
    units = fields.List(Code(), required=True, validate=validate.Length(min=1, max=200))
    with_descendants = fields.Boolean(load_default=False)
    period_from = fields.Date(required=True, validate=DATES)
    period_to = fields.Date(required=True, validate=DATES)
    team = fields.List(Username(), load_default=list, validate=validate.Length(max=50))

    @validates_schema
    def _period(self, data, **_kwargs):
        if data.get("period_from") and data.get("period_to") and \
                data["period_to"] < data["period_from"]:
            raise ValidationError("the period ends before it starts", "period_to")


class InspectionQuery(Strict):
    status = fields.String(validate=validate.OneOf(["planned", "closed"]))


class FindingIn(Strict):
    unit = Code(required=True, metadata={"description": "the inspected unit"})
    problem = Text(4000, 1, required=True)
    severity = fields.String(load_default="normal", validate=validate.OneOf(SEVERITIES))
    case = PublicId(load_default=None)
    handler = Username(load_default=None)
    responsible = Username(load_default=None)
    deadline = fields.Date(load_default=None, validate=DATES)


class InspectionCloseIn(Strict):
    conclusion = Text(8000, 1, required=True)


class InspectionFindingOut(Strict):
    seq = fields.Integer()
    unit = fields.String()
    entry = fields.Nested(LedgerOut)


class InspectionOut(Strict):
    id = fields.String()
    title = fields.String()
    topic = fields.String()
    unit = fields.String()
    units = fields.List(fields.String())
    with_descendants = fields.Boolean()
    period_from = fields.Date()
    period_to = fields.Date()
    team = fields.List(fields.String())
    status = fields.String()
    conclusion = fields.String()
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    findings = fields.List(fields.Nested(InspectionFindingOut))
    may_record = fields.Boolean()
    may_close = fields.Boolean()

