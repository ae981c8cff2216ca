"""marshmallow schemas for the quality-review API: a bad input answers 422 naming
the field; text that no database can store (NUL, lone surrogates) is refused here."""
from __future__ import annotations

from datetime import UTC, date, datetime

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from procuracy.appraisal.review_findings import DISCOVERY
from procuracy.appraisal.review_models import MUST_REVIEW, PLAN_TYPES
from procuracy.cases.catalogue_models import LINES
from procuracy.schema_fields import Code, Text, storable  # noqa: F401

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
DATES = validate.Range(min=EARLIEST, max=LATEST)
MOMENTS = validate.Range(min=datetime(2000, 1, 1, tzinfo=UTC),
                         max=datetime(2100, 12, 31, tzinfo=UTC))
ID = validate.Range(min=1, max=2**31 - 1)
PLAN_STATUSES = ("draft", "drawn", "reviewing", "closed")
REVIEW_STATUSES = ("assigned", "in_progress", "second_review", "disputed", "final")


class Strict(Schema):
    class Meta:
        ordered = True


# ---------------------------------------------------------------- checklists
class ChecklistQuery(Strict):
    line = fields.String(validate=validate.OneOf(LINES))


class ChecklistOut(Strict):
    id = fields.Integer()
    name = fields.String()
    version = fields.Integer()
    status = fields.String()
    line = fields.String()
    unit = fields.String()
    grades = fields.List(fields.Dict())
    total_points = fields.Float()
    item_count = fields.Integer()
    sections = fields.List(fields.Dict())


# ---------------------------------------------------------------- plans
class PlanFilters(Strict):
    kinds = fields.List(Text(32, 1), validate=validate.Length(max=100))
    lines = fields.List(fields.String(validate=validate.OneOf(LINES)),
                        validate=validate.Length(max=len(LINES)))
    major = fields.Boolean()
    detained = fields.Boolean()
    juvenile = fields.Boolean()


class PlanIn(Strict):
    name = Text(120, 1, required=True)
    checklist = fields.Integer(required=True, validate=ID)
    units = fields.List(Code(), required=True, validate=validate.Length(min=1, max=500))
    date_from = fields.Date(required=True, validate=DATES)
    date_to = fields.Date(required=True, validate=DATES)
    type = fields.String(load_default="regular", validate=validate.OneOf(PLAN_TYPES))
    with_descendants = fields.Boolean(load_default=False)
    filters = fields.Nested(PlanFilters, load_default=dict)
    sample_mode = fields.String(load_default="rate", validate=validate.OneOf(["rate", "count"]))
    sample_value = fields.Float(load_default=0.1, validate=validate.Range(min=0, max=100_000,
                                                                          min_inclusive=False))
    must_review = fields.List(fields.String(validate=validate.OneOf(MUST_REVIEW)),
                              load_default=None, allow_none=True,
                              validate=validate.Length(max=len(MUST_REVIEW)))
    reviewing = Code(load_default=None, allow_none=True)
    blind = fields.Boolean(load_default=False)
    starts_at = fields.AwareDateTime(load_default=None, allow_none=True, validate=MOMENTS)
    ends_at = fields.AwareDateTime(load_default=None, allow_none=True, validate=MOMENTS)

    @validates_schema
    def _dates(self, data, **_kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError("must not be before date_from", "date_to")
        if data.get("sample_mode") == "rate" and data.get("sample_value", 0) > 1:
            raise ValidationError("a rate is at most 1 (0.1 = 10%)", "sample_value")


class PlanQuery(Strict):
    status = fields.String(validate=validate.OneOf(PLAN_STATUSES))


class StartIn(Strict):
    reviewers = fields.List(Text(80, 1), required=True, validate=validate.Length(min=1, max=200))


class PlanOut(Strict):
    id = fields.String()
    name = fields.String()
    type = fields.String()
    status = fields.String()
    issuer = fields.String()
    checklist = fields.Integer()
    units = fields.List(fields.String())
    with_descendants = fields.Boolean()
    date_from = fields.Date()
    date_to = fields.Date()
    filters = fields.Dict()
    sample_mode = fields.String()
    sample_value = fields.Float()
    must_review = fields.List(fields.String())
    seed = fields.String()
    reviewing = fields.String(allow_none=True)
    order = fields.String(allow_none=True)
    blind = fields.Boolean()
    starts_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    sample = fields.Dict()


class SampleOut(Strict):
    rank = fields.Integer()
    reason = fields.String()
    case = fields.String()
    number = fields.String()
    unit = fields.String()
    outcome = fields.String()
    closed_on = fields.Date()


class ReplayOut(Strict):
    plan = fields.String()
    seed = fields.String()
    reproduced = fields.Boolean()
    population = fields.Integer()
    random = fields.Integer()
    must_review = fields.Integer()
    drawn = fields.List(fields.String(allow_none=True))
    recomputed = fields.List(fields.String(allow_none=True))
    reason = fields.String()


# ---------------------------------------------------------------- reviews
class ReviewQuery(Strict):
    status = fields.String(validate=validate.OneOf(REVIEW_STATUSES))


class ResultIn(Strict):
    item_code = Text(16, 1, required=True)
    passed = fields.Boolean(required=True)
    note = Text(2000, load_default="")


class ResultsIn(Strict):
    results = fields.List(fields.Nested(ResultIn), required=True,
                          validate=validate.Length(max=500))
    pass_rest = fields.Boolean(load_default=False)


class ResolveIn(Strict):
    grade = Text(16, 1, required=True)
    adopt_round = fields.Integer(load_default=None, allow_none=True,
                                 validate=validate.OneOf([1, 2]))
    note = Text(2000, load_default="")


class MyReviewOut(Strict):
    id = fields.String()
    plan = fields.String()
    plan_name = fields.String()
    status = fields.String()
    round = fields.Integer()
    my_turn = fields.Boolean()
    case = fields.String(allow_none=True)
    number = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    grade = fields.String()
    second_grade = fields.String()
    final_grade = fields.String()


class ReviewFormOut(Strict):
    id = fields.String()
    plan = fields.String()
    plan_name = fields.String()
    status = fields.String()
    blind = fields.Boolean()
    case = fields.Dict()
    checklist = fields.Dict()
    sections = fields.List(fields.Dict())
    progress = fields.Dict()
    grade = fields.String()
    second_grade = fields.String()
    final_grade = fields.String()
    points_lost = fields.Float()
    submitted_at = fields.DateTime(allow_none=True)
    finalised_at = fields.DateTime(allow_none=True)
    note = fields.String()


# ---------------------------------------------------------------- findings, stats
class FindingQuery(Strict):
    unit = Code(required=True)
    side = fields.String(load_default="reviewed",
                         validate=validate.OneOf(["reviewed", "reviewing"]))
    status = fields.String(validate=validate.OneOf(["open", "handed_over"]))


class DiscoveryIn(Strict):
    discovery = fields.String(required=True, validate=validate.OneOf(list(DISCOVERY)))


class FindingOut(Strict):
    id = fields.String()
    review = fields.String(allow_none=True)
    reviewing = fields.String(allow_none=True)
    reviewed = fields.String(allow_none=True)
    case_number = fields.String(allow_none=True)
    item = fields.String(allow_none=True)
    description = fields.String()
    severity = fields.String()
    points = fields.Float()
    discovery = fields.String()
    factor = fields.Float()
    rectify_by = fields.Date(allow_none=True)
    status = fields.String()
    ledger_ref = fields.String()
    created_at = fields.DateTime()


class HandoverOut(Strict):
    """What the problem ledger takes over from a finding (``handover_payload``)."""

    source = fields.String()
    finding = fields.String()
    reported_by_unit = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    case = fields.String(allow_none=True)
    case_number = fields.String(allow_none=True)
    handler = fields.String(allow_none=True)
    problem = fields.String()
    severity = fields.String()
    item = fields.Dict(allow_none=True)
    points = fields.Float()
    discovery = fields.String()
    deduction_factor = fields.Float()
    rectify_by = fields.String(allow_none=True)
    review = fields.String(allow_none=True)
    plan = fields.String(allow_none=True)
    final_grade = fields.String(allow_none=True)
    found_at = fields.String()


class PeriodQuery(Strict):
    date_from = fields.Date(validate=DATES)
    date_to = fields.Date(validate=DATES)


class ScoreQuery(PeriodQuery):
    plan = Text(24, 1)
    base = fields.Float(load_default=100.0, validate=validate.Range(min=0, max=10_000))


class StatsOut(Strict):
    unit = fields.Dict()
    grades = fields.List(fields.String())
    total = fields.Dict()
    children = fields.List(fields.Dict())
    top_failed = fields.List(fields.Dict())
    chart = fields.String(allow_none=True)


class BreakdownOut(Strict):
    unit = fields.Dict()
    dimension = fields.String()
    grades = fields.List(fields.String())
    rows = fields.List(fields.Dict())
    chart = fields.String(allow_none=True)


class ScoreOut(Strict):
    unit = fields.Dict()
    plan = fields.String(allow_none=True)
    base = fields.Float()
    deducted = fields.Float()
    score = fields.Float()
    rule = fields.Dict()
    by_discovery = fields.Dict()
    findings = fields.List(fields.Dict())
