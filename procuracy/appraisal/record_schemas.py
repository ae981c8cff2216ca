"""marshmallow schemas for the appraisal API's records: objections, score events,
hand-entered scores and the performance file (each entry names its source)."""
from __future__ import annotations

from marshmallow import fields, validate

from procuracy.appraisal.rules import EVENT_TYPES
from procuracy.appraisal.schemas import TEXT, USERNAME, Ordered, period


# ---------------------------------------------------------------- objections
class TextIn(Ordered):
    text = fields.String(required=True, validate=TEXT)


class ObjectionQuery(Ordered):
    unit = fields.String(validate=validate.Length(min=1, max=8))
    status = fields.String(validate=validate.OneOf(("open", "answered")))


class ObjectionOut(Ordered):
    id = fields.String(attribute="public_id")
    item = fields.Integer(attribute="item_id")
    raised_by = fields.String()
    raised_at = fields.DateTime()
    text = fields.String()
    status = fields.String()
    answer = fields.String()
    answered_by = fields.String(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)


# ---------------------------------------------------------------- inputs
class EventIn(Ordered):
    username = fields.String(required=True, validate=USERNAME)
    type = fields.String(required=True, validate=validate.OneOf(list(EVENT_TYPES)))
    points = fields.Float(required=True, validate=validate.Range(min=-100, max=100))
    occurred_on = fields.Date(required=True)
    case = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=24))
    note = fields.String(load_default="", validate=validate.Length(max=5000))


class EventQuery(Ordered):
    unit = fields.String(validate=validate.Length(min=1, max=8))
    username = fields.String(validate=USERNAME)
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")


class EventOut(Ordered):
    id = fields.String(attribute="public_id")
    username = fields.String()
    type = fields.String()
    points = fields.Float()
    occurred_on = fields.Date()
    case = fields.String(allow_none=True)
    source = fields.String()
    note = fields.String()


class ManualIn(Ordered):
    username = fields.String(required=True, validate=USERNAME)
    period = fields.String(required=True, validate=period)
    indicator_code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    value = fields.Float(required=True, validate=validate.Range(min=0, max=1000))
    note = fields.String(load_default="", validate=validate.Length(max=5000))


class ManualQuery(Ordered):
    unit = fields.String(validate=validate.Length(min=1, max=8))
    username = fields.String(validate=USERNAME)
    period = fields.String(validate=period)


class ManualOut(Ordered):
    username = fields.String()
    period = fields.String()
    indicator_code = fields.String()
    value = fields.Float()
    entered_by = fields.String()
    note = fields.String()


# ---------------------------------------------------------------- performance file
class PerformanceQuery(Ordered):
    period_from = fields.String(data_key="from", required=True, validate=period)
    period_to = fields.String(data_key="to", required=True, validate=period)


class CaseEntry(Ordered):
    case = fields.String(metadata={"description": "case public id"})
    number = fields.String()
    title = fields.String()
    kind = fields.String()
    status = fields.String()
    weight = fields.Float()
    received_on = fields.Date()
    closed_on = fields.Date(allow_none=True)
    days = fields.Integer(allow_none=True, metadata={"description": "received → closed"})


class CasesOut(Ordered):
    count = fields.Integer()
    closed = fields.Integer()
    weight = fields.Float()
    closed_weight = fields.Float()
    average_days = fields.Float(allow_none=True)
    entries = fields.List(fields.Nested(CaseEntry))


class DecisionEntry(Ordered):
    decision = fields.String()
    case = fields.String()
    matter = fields.String()
    item_code = fields.String()
    decided_role = fields.String()
    decided_at = fields.DateTime()


class DecisionsOut(Ordered):
    count = fields.Integer()
    entries = fields.List(fields.Nested(DecisionEntry))


class ReviewEntry(Ordered):
    review = fields.String()
    case = fields.String(allow_none=True)
    grade = fields.String()
    points_lost = fields.Float()
    finalised_at = fields.DateTime(allow_none=True)


class ReviewsOut(Ordered):
    by_grade = fields.Dict(keys=fields.String(), values=fields.Integer())
    entries = fields.List(fields.Nested(ReviewEntry))


class FindingEntry(Ordered):
    finding = fields.String()
    case = fields.String(allow_none=True)
    description = fields.String()
    severity = fields.String()
    points = fields.Float()
    discovery = fields.String()
    status = fields.String()
    created_at = fields.DateTime()


class FindingsOut(Ordered):
    count = fields.Integer()
    points = fields.Float()
    entries = fields.List(fields.Nested(FindingEntry))


class EventEntry(Ordered):
    event = fields.String()
    case = fields.String(allow_none=True)
    type = fields.String()
    points = fields.Float()
    occurred_on = fields.Date()
    note = fields.String()


class EventsOut(Ordered):
    added = fields.Float()
    deducted = fields.Float()
    entries = fields.List(fields.Nested(EventEntry))


class ScoreEntry(Ordered):
    run = fields.String()
    period = fields.String()
    total = fields.Float()
    rank = fields.Integer()
    grade = fields.String()


class PerformanceOut(Ordered):
    username = fields.String()
    full_name = fields.String()
    period_from = fields.String(attribute="from", data_key="from")
    period_to = fields.String(attribute="to", data_key="to")
    cases = fields.Nested(CasesOut)
    decisions = fields.Nested(DecisionsOut)
    reviews = fields.Nested(ReviewsOut)
    findings = fields.Nested(FindingsOut)
    events = fields.Nested(EventsOut)
    scores = fields.List(fields.Nested(ScoreEntry))
