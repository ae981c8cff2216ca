"""marshmallow schemas for decisions, meetings, documents, the leaders' report
and records of interference."""
from __future__ import annotations

import re
from datetime import date

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate

from procuracy.cases.interference import CHANNELS
from procuracy.cases.meetings import KINDS, POSITIONS

PUBLIC_ID = validate.Length(min=1, max=24)
USERNAME = validate.Length(min=1, max=80)


class Ordered(Schema):
    class Meta:
        ordered = True


# ---------------------------------------------------------------- decisions
class DecisionIn(Schema):
    matter = fields.String(required=True, validate=validate.Length(min=1, max=120),
                           metadata={"description": "the matter or its item code, e.g. 提起公诉"})
    content = fields.String(load_default="", validate=validate.Length(max=20000))


class NoteIn(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=5000))


class ChangeIn(NoteIn):
    content = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class ChainStepOut(Ordered):
    seq = fields.Integer()
    action = fields.String()
    role = fields.String()
    actor = fields.String(allow_none=True)
    note = fields.String()
    at = fields.DateTime()


class DecisionOut(Ordered):
    id = fields.String()
    case = fields.String(allow_none=True)
    matter = fields.String()
    item_code = fields.String()
    power_versions = fields.Dict(keys=fields.String(), values=fields.Integer())
    content = fields.String()
    status = fields.String()
    awaiting_role = fields.String()
    requested_by = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_role = fields.String()
    decided_at = fields.DateTime(allow_none=True)
    effective_on = fields.Date()
    chain = fields.List(fields.Nested(ChainStepOut))


class InboxOut(Ordered):
    pending = fields.List(fields.Nested(DecisionOut))
    committee = fields.List(fields.Nested(DecisionOut))


# ---------------------------------------------------------------- meetings
class MeetingIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    held_on = fields.Date(required=True)
    agenda = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    participants = fields.List(fields.String(validate=USERNAME), required=True,
                               validate=validate.Length(min=1, max=100))
    cases = fields.List(fields.String(validate=PUBLIC_ID), required=True,
                        validate=validate.Length(min=1, max=100))
    chair = fields.String(validate=USERNAME, metadata={"description": "default: me"})


class MeetingQuery(Schema):
    kind = fields.String(validate=validate.OneOf(KINDS))


class OpinionIn(Schema):
    case = fields.String(required=True, validate=PUBLIC_ID)
    participant = fields.String(validate=USERNAME, metadata={"description": "default: me"})
    position = fields.String(required=True, validate=validate.OneOf(POSITIONS))
    opinion = fields.String(load_default="", validate=validate.Length(max=20000))


class CaseOutcomeIn(Schema):
    case = fields.String(required=True, validate=PUBLIC_ID)
    matter = fields.String(validate=validate.Length(min=1, max=120))
    handler_agrees = fields.Boolean(allow_none=True)


class CloseIn(Schema):
    outcome = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    cases = fields.List(fields.Nested(CaseOutcomeIn), load_default=list,
                        validate=validate.Length(max=100))


class OpinionOut(Ordered):
    participant = fields.String(allow_none=True)
    position = fields.String()
    opinion = fields.String()


class MeetingCaseOut(Ordered):
    case = fields.String()
    majority_opinion = fields.String()
    handler_agrees = fields.Boolean(allow_none=True)
    escalated_to = fields.String()
    opinions = fields.List(fields.Nested(OpinionOut))


class MeetingOut(Ordered):
    id = fields.String()
    kind = fields.String()
    held_on = fields.Date()
    agenda = fields.String()
    outcome = fields.String()
    closed = fields.Boolean()
    chair = fields.String(allow_none=True)
    created_by = fields.String(allow_none=True)
    participants = fields.List(fields.String(allow_none=True))
    cases = fields.List(fields.Nested(MeetingCaseOut))


# ---------------------------------------------------------------- documents
class DocumentForm(Schema):
    doc_type = fields.String(required=True, validate=validate.Length(min=1, max=40),
                             metadata={"description": "e.g. 起诉书, 不起诉决定书, 证据材料"})


class DocumentFile(Schema):
    file = Upload(required=True)


class DocumentOut(Ordered):
    id = fields.String()
    case = fields.String(allow_none=True)
    doc_type = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    uploaded_by = fields.String(allow_none=True)
    uploaded_at = fields.DateTime()


# ---------------------------------------------------------------- leaders
class Month(fields.String):
    """``YYYY-MM`` → the first day of that month."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(r"\d{4}-\d{2}", value):
            raise ValidationError("YYYY-MM, e.g. 2026-03")
        year, month = map(int, value.split("-"))
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise ValidationError("not a month")
        return date(year, month, 1)


class LeadersQuery(Schema):
    unit = fields.String(validate=validate.Length(min=1, max=8),
                         metadata={"description": "unit code; default: mine"})
    month = Month(required=True, metadata={"description": "YYYY-MM",
                                           "pattern": r"^\d{4}-\d{2}$"})


class LeaderCaseOut(Ordered):
    id = fields.String()
    number = fields.String()
    title = fields.String()
    received_on = fields.Date()
    major_flag = fields.Boolean()
    major_by_rule = fields.Boolean()
    major = fields.Boolean()
    handled = fields.Boolean()
    nominal = fields.Boolean()


class LeaderRowOut(Ordered):
    user = fields.String()
    full_name = fields.String()
    unit = fields.String()
    roles = fields.List(fields.String())
    cases = fields.Integer()
    handled = fields.Integer()
    nominal = fields.Integer()
    major = fields.Integer()
    major_share = fields.Float()
    outside_definition = fields.Integer()
    case_list = fields.List(fields.Nested(LeaderCaseOut))


class UnitRowOut(Ordered):
    unit = fields.String()
    name = fields.String()
    leaders = fields.Integer()
    leaders_without_cases = fields.Integer()
    cases = fields.Integer()
    handled = fields.Integer()
    nominal = fields.Integer()
    major = fields.Integer()
    major_share = fields.Float()
    outside_definition = fields.Integer()


class LeadersReportOut(Ordered):
    unit = fields.String()
    month = fields.String()
    major_rule = fields.String()
    units = fields.List(fields.Nested(UnitRowOut))
    leaders = fields.List(fields.Nested(LeaderRowOut))


# ---------------------------------------------------------------- interference
class InterferenceIn(Schema):
    case = fields.String(validate=PUBLIC_ID, allow_none=True)
    person = fields.String(required=True, validate=validate.Length(min=1, max=120))
    person_position = fields.String(load_default="", validate=validate.Length(max=120))
    inside = fields.Boolean(load_default=False)
    occurred_at = fields.AwareDateTime(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    content = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class InterferenceQuery(Schema):
    case = fields.String(validate=PUBLIC_ID)
    unit = fields.String(validate=validate.Length(min=1, max=8))


class InterferenceOut(Ordered):
    id = fields.String()
    unit = fields.String(allow_none=True)
    case = fields.String(allow_none=True)
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.DateTime()
    person = fields.String()
    person_position = fields.String()
    inside = fields.Boolean()
    occurred_at = fields.DateTime()
    channel = fields.String()
    content = fields.String()
