"""marshmallow schemas for the cases API."""
from __future__ import annotations

from marshmallow import Schema, fields, validate


class CaseQuery(Schema):
    unit = fields.String(validate=validate.Length(max=8), metadata={"description": "unit code"})
    status = fields.String(validate=validate.OneOf(["open", "closed"]))
    kind = fields.String(validate=validate.Length(max=32))


class CaseOut(Schema):
    class Meta:
        ordered = True

    id = fields.String(attribute="public_id")
    number = fields.String()
    title = fields.String()
    kind = fields.String(attribute="kind_code")
    unit = fields.String(attribute="unit_code")
    status = fields.String()
    received_on = fields.Date()
    closed_on = fields.Date(allow_none=True)
    suspects_count = fields.Integer()
    major = fields.Boolean()
    detained = fields.Boolean()
    juvenile = fields.Boolean()
