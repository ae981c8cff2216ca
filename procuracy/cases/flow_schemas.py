"""marshmallow schemas for the flow API: clocks, extensions, the catalogue, the calendar."""
from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate

from procuracy.cases.calendar import DAY_KINDS


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be blank")


class ClocksQuery(Schema):
    on = fields.Date(metadata={"description": "compute states as of this day (default: today, "
                                              "China time)"})


class ExtensionIn(Schema):
    reason = fields.String(required=True, validate=[validate.Length(min=1, max=500), _not_blank])


class ExtensionOut(Schema):
    class Meta:
        ordered = True

    value = fields.Integer()
    unit = fields.String()
    reason = fields.String()
    on = fields.String()
    by = fields.Integer()


class ClockOut(Schema):
    class Meta:
        ordered = True

    name = fields.String()
    stage = fields.String(attribute="stage_code")
    started_on = fields.Date()
    limit_value = fields.Integer()
    limit_unit = fields.String()
    extensions = fields.List(fields.Nested(ExtensionOut))
    in_custody = fields.Boolean()
    warn_days = fields.Integer()
    due_on = fields.Date()
    days_left = fields.Integer(metadata={"description": "calendar days; negative when overdue"})
    state = fields.String(metadata={"description": "running | due_soon | overdue | stopped"})
    stopped_on = fields.Date(allow_none=True)
    resets = fields.Integer()


class StageOut(Schema):
    class Meta:
        ordered = True

    seq = fields.Integer()
    code = fields.String()
    name = fields.String()
    clock = fields.String(allow_none=True)
    limit_value = fields.Integer(allow_none=True)
    limit_unit = fields.String()
    extension_value = fields.Integer(allow_none=True)
    extension_unit = fields.String()
    max_extensions = fields.Integer()
    warn_days = fields.Integer()
    resets = fields.List(fields.String())
    required_documents = fields.List(fields.String())
    required_fields = fields.List(fields.String())
    legal_basis = fields.String()


class KindOut(Schema):
    class Meta:
        ordered = True

    code = fields.String()
    name = fields.String()
    line = fields.String()
    category = fields.String()
    category_name = fields.String()
    number_abbr = fields.String()
    weight = fields.Float()
    required_fields = fields.List(fields.String())
    stages = fields.List(fields.Nested(StageOut))


class CalendarQuery(Schema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


class DayPath(Schema):
    day = fields.Date(required=True, validate=validate.Range(min=date(2000, 1, 1),
                                                             max=date(2100, 12, 31)))


class CalendarDayIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(DAY_KINDS))
    name = fields.String(load_default="", validate=validate.Length(max=40))


class CalendarDayOut(Schema):
    class Meta:
        ordered = True

    day = fields.Date()
    kind = fields.String(metadata={"description": "holiday | workday (make-up working day)"})
    name = fields.String()
    unit = fields.String(metadata={"description": "code of the publishing unit"})
