"""marshmallow schemas for the appraisal API: rule sets, score runs and traces,
the sandbox comparison, objections, score events, hand-entered scores and the
performance file. Inputs refuse unknown fields; bad input answers 422 by field."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from procuracy.appraisal.rule_models import AUDIENCES, INDICATOR_KINDS, PERIOD_KINDS
from procuracy.appraisal.rules import GRADING_METHODS, PeriodError, parse_period

CODE = validate.Length(min=1, max=24)
USERNAME = validate.Length(min=1, max=80)
TEXT = validate.Length(min=1, max=5000)


def period(value: str) -> None:
    try:
        parse_period(value)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None


class Ordered(Schema):
    class Meta:
        ordered = True


# ---------------------------------------------------------------- rule sets
class AspectIn(Ordered):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    weight = fields.Float(required=True, validate=validate.Range(min=0, max=100))
    core = fields.Boolean(load_default=False)


class IndicatorIn(Ordered):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    aspect_code = fields.String(required=True, validate=CODE)
    kind = fields.String(required=True, validate=validate.OneOf(INDICATOR_KINDS))
    params = fields.Dict(keys=fields.String(), load_default=dict,
                         metadata={"description": "by kind: case_count/weighted_cases "
                                   "{kinds, date: closed|received, role}; review_grade "
                                   "{points: {优质: 10, ...}}; event_points {types}; manual "
                                   "{max}; ratio {numerator, denominator}"})
    points_per_unit = fields.Float(load_default=1.0)
    max_points = fields.Float(load_default=None, allow_none=True,
                              validate=validate.Range(min=0, min_inclusive=False))
    normalise = fields.Boolean(load_default=False)


class GradeIn(Ordered):
    name = fields.String(required=True, validate=validate.Length(min=1, max=16))
    min = fields.Float(load_default=None, allow_none=True)
    max_share = fields.Float(load_default=None, allow_none=True,
                             validate=validate.Range(min=0, max=1, min_inclusive=False))


class GradingIn(Ordered):
    method = fields.String(required=True, validate=validate.OneOf(GRADING_METHODS))
    grades = fields.List(fields.Nested(GradeIn), required=True,
                         validate=validate.Length(min=1, max=10))


class RuleSetQuery(Ordered):
    unit = fields.String(validate=validate.Length(min=1, max=8),
                         metadata={"description": "unit code (default: mine)"})
    audience = fields.String(validate=validate.OneOf(AUDIENCES))
    status = fields.String(validate=validate.OneOf(("draft", "published")))


class EffectiveQuery(Ordered):
    unit = fields.String(validate=validate.Length(min=1, max=8))
    audience = fields.String(load_default="prosecutor", validate=validate.OneOf(AUDIENCES))
    period = fields.String(required=True, validate=period)


class RuleSetCreate(Ordered):
    audience = fields.String(required=True, validate=validate.OneOf(AUDIENCES))
    period_kind = fields.String(load_default="month", validate=validate.OneOf(PERIOD_KINDS))
    effective_from = fields.Date()
    name = fields.String(load_default="", validate=validate.Length(max=120))
    note = fields.String(load_default="", validate=validate.Length(max=5000))


class RuleSetUpdate(Ordered):
    name = fields.String(validate=validate.Length(min=1, max=120))
    note = fields.String(validate=validate.Length(max=5000))
    effective_from = fields.Date()
    grading = fields.Nested(GradingIn)
    aspects = fields.List(fields.Nested(AspectIn), validate=validate.Length(min=1, max=20))
    indicators = fields.List(fields.Nested(IndicatorIn), validate=validate.Length(max=200))
    allowances = fields.Dict(keys=fields.String(),
                             metadata={"description": "the province's template only"})


class AspectOut(Ordered):
    code = fields.String()
    name = fields.String()
    weight = fields.Float()
    core = fields.Boolean()


class IndicatorOut(Ordered):
    code = fields.String()
    name = fields.String()
    aspect_code = fields.String()
    kind = fields.String()
    params = fields.Dict()
    points_per_unit = fields.Float()
    max_points = fields.Float(allow_none=True)
    normalise = fields.Boolean()


class RuleSetOut(Ordered):
    id = fields.String(attribute="public_id")
    unit = fields.String()
    name = fields.String()
    audience = fields.String()
    period_kind = fields.String()
    version = fields.Integer()
    status = fields.String()
    based_on = fields.String(allow_none=True)
    effective_from = fields.Date()
    published_at = fields.DateTime(allow_none=True)
    grading = fields.Dict()
    allowances = fields.Dict()
    note = fields.String()
    aspects = fields.List(fields.Nested(AspectOut))
    indicators = fields.List(fields.Nested(IndicatorOut))


class RuleSetBrief(Ordered):
    id = fields.String(attribute="public_id")
    unit = fields.String()
    name = fields.String()
    audience = fields.String()
    period_kind = fields.String()
    version = fields.Integer()
    status = fields.String()
    effective_from = fields.Date()


class CheckOut(Ordered):
    valid = fields.Boolean()
    errors = fields.List(fields.String())


# ---------------------------------------------------------------- runs
class RunCreate(Ordered):
    audience = fields.String(load_default="prosecutor", validate=validate.OneOf(AUDIENCES))
    period = fields.String(required=True, validate=period)


class SandboxIn(Ordered):
    period = fields.String(validate=period,
                           metadata={"description": "default: the last full period"})


class RunQuery(Ordered):
    unit = fields.String(validate=validate.Length(min=1, max=8))
    period = fields.String(validate=period)
    kind = fields.String(validate=validate.OneOf(("official", "sandbox")))


class RunOut(Ordered):
    id = fields.String(attribute="public_id")
    unit = fields.String()
    rule_set = fields.String()
    rule_set_version = fields.Integer()
    audience = fields.String()
    period = fields.String()
    kind = fields.String()
    status = fields.String()
    computed_at = fields.DateTime()
    statements = fields.Integer(metadata={"description": "SQL statements the computation took"})
    published_at = fields.DateTime(allow_none=True)


class RankOut(Ordered):
    rank = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    total = fields.Float()
    grade = fields.String()


class SourceOut(Ordered):
    case = fields.String(allow_none=True, metadata={"description": "case public id"})
    event = fields.String(allow_none=True, metadata={"description": "score event public id"})
    review = fields.String(allow_none=True, metadata={"description": "review public id"})
    contribution = fields.Float()


class ItemOut(Ordered):
    id = fields.Integer(metadata={"description": "object to it: POST /items/{id}/objections"})
    aspect = fields.String()
    indicator = fields.String()
    name = fields.String()
    raw_value = fields.Float()
    points = fields.Float()
    detail = fields.Dict()
    sources = fields.List(fields.Nested(SourceOut))


class PersonScoreOut(Ordered):
    run = fields.String()
    period = fields.String()
    username = fields.String()
    full_name = fields.String()
    total = fields.Float()
    rank = fields.Integer()
    grade = fields.String()
    items = fields.List(fields.Nested(ItemOut))


class StandingOut(Ordered):
    total = fields.Float()
    rank = fields.Integer()
    grade = fields.String()


class DeltaOut(Ordered):
    indicator = fields.String()
    name = fields.String()
    aspect = fields.String()
    before = fields.Float()
    after = fields.Float()
    delta = fields.Float()


class MoveOut(Ordered):
    username = fields.String()
    full_name = fields.String()
    before = fields.Nested(StandingOut, allow_none=True)
    after = fields.Nested(StandingOut, allow_none=True)
    move = fields.String(metadata={"description": "up | down | same | new | gone"})
    rank_change = fields.Integer(allow_none=True, metadata={"description": "positive: up"})
    total_change = fields.Float(allow_none=True)
    grade_changed = fields.Boolean()
    explanation = fields.String()
    deltas = fields.List(fields.Nested(DeltaOut))


class RunCompareOut(Ordered):
    from_run = fields.String()
    to_run = fields.String()
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    people = fields.List(fields.Nested(MoveOut))


class SandboxOut(Ordered):
    run = fields.Nested(RunOut)
    baseline = fields.Nested(RunOut, allow_none=True)
    comparison = fields.Nested(RunCompareOut, allow_none=True)
