"""marshmallow schemas for the cases API: intake, the list and its filters, the
detail and timeline, import results, handling organisations.

Every input goes through one of these (a bad input answers 422 with the field
errors); every output too. Case ids in and out are public ids, never integers.
"""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from procuracy.cases.calendar import china_today

STATUSES = ("open", "closed")
MEMBER_ROLES = ("prosecutor", "assistant", "clerk")
ORGANISATION_KINDS = ("solo", "team")


class Strict(Schema):
    class Meta:
        ordered = True


# ---------------------------------------------------------------- intake
class CaseIn(Strict):
    """A case to register (受理). The number, weight and stage are the system's."""

    kind = fields.String(required=True, validate=validate.Length(min=1, max=24),
                         metadata={"description": "case kind code from the catalogue"})
    received_on = fields.Date(required=True, metadata={"description": "YYYY-MM-DD"})
    title = fields.String(load_default="", validate=validate.Length(max=200),
                          metadata={"description": "empty: made from suspects and charge"})
    source_agency = fields.String(load_default="", validate=validate.Length(max=120))
    suspects_count = fields.Integer(load_default=None, allow_none=True,
                                    validate=validate.Range(min=1, max=9999),
                                    metadata={"description": "empty: the number of names"})
    suspects = fields.List(fields.String(validate=validate.Length(min=1, max=40)),
                           load_default=list, validate=validate.Length(max=500))
    charges = fields.List(fields.String(validate=validate.Length(min=1, max=60)),
                          load_default=list, validate=validate.Length(max=50))
    detained = fields.Boolean(load_default=False)
    major = fields.Boolean(load_default=False,
                           metadata={"description": "major/difficult/complex (重大疑难复杂)"})
    juvenile = fields.Boolean(load_default=False)
    card = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=40)),
                       values=fields.Raw(allow_none=True), load_default=dict,
                       metadata={"description": "case-card (案卡) fields the kind requires"})

    @validates_schema
    def _consistent(self, data, **kwargs):
        received = data.get("received_on")
        if received and received > china_today():
            raise ValidationError("a case cannot be received in the future", "received_on")
        count, names = data.get("suspects_count"), data.get("suspects") or []
        if count is not None and count < len(names):
            raise ValidationError(f"{len(names)} suspects are named but the count is {count}",
                                  "suspects_count")


class ImportForm(Schema):
    file = Upload(required=True, metadata={"description": ".csv (UTF-8) or .xlsx"})


class RowErrorOut(Strict):
    row = fields.Integer()
    field = fields.String()
    message = fields.String()


class ImportOut(Strict):
    rows = fields.Integer()
    created = fields.Integer()
    first_number = fields.String(allow_none=True)
    last_number = fields.String(allow_none=True)


# ---------------------------------------------------------------- reading
class CaseQuery(Strict):
    unit = fields.String(validate=validate.Length(max=8), metadata={"description": "unit code"})
    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String(validate=validate.Length(max=32))
    handler = fields.String(validate=validate.Length(max=80),
                            metadata={"description": "handler's username"})
    received_from = fields.Date()
    received_to = fields.Date()
    major = fields.Boolean()
    detained = fields.Boolean()
    juvenile = fields.Boolean()
    designated = fields.Boolean()
    q = fields.String(validate=validate.Length(min=1, max=80),
                      metadata={"description": "part of the case number or title"})

    @validates_schema
    def _range(self, data, **kwargs):
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise ValidationError("must not be after received_to", "received_from")


class CaseOut(Strict):
    id = fields.String(attribute="public_id")
    number = fields.String()
    title = fields.String()
    kind = fields.String(attribute="kind_code")
    kind_name = fields.String(allow_none=True)
    unit = fields.String(attribute="unit_code", allow_none=True)
    unit_name = fields.String(allow_none=True)
    status = fields.String()
    stage = fields.String(attribute="stage_code")
    received_on = fields.Date()
    closed_on = fields.Date(allow_none=True)
    suspects_count = fields.Integer()
    weight = fields.Float()
    major = fields.Boolean()
    detained = fields.Boolean()
    juvenile = fields.Boolean()
    designated = fields.Boolean()
    handler = fields.String(allow_none=True, metadata={"description": "handler's username"})
    handler_name = fields.String(allow_none=True)


class ParticipantOut(Strict):
    username = fields.String(allow_none=True)
    full_name = fields.String(allow_none=True)
    role = fields.String()
    since = fields.DateTime(allow_none=True)


class OrganisationRef(Strict):
    name = fields.String()
    kind = fields.String()


class CaseDetailOut(CaseOut):
    source_agency = fields.String()
    suspects = fields.List(fields.String())
    charges = fields.List(fields.String())
    card = fields.Dict()
    outcome = fields.String()
    department = fields.String(allow_none=True)
    organisation = fields.Nested(OrganisationRef, allow_none=True)
    participants = fields.List(fields.Nested(ParticipantOut))
    created_at = fields.DateTime()


class StepOut(Strict):
    at = fields.DateTime()
    kind = fields.String()
    stage = fields.String(attribute="stage_code")
    summary = fields.String()
    actor = fields.String(allow_none=True, metadata={"description": "actor's username"})
    actor_name = fields.String(allow_none=True)
    detail = fields.Dict()


# ---------------------------------------------------------------- organisations
class MemberIn(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    role = fields.String(required=True, validate=validate.OneOf(MEMBER_ROLES))


class OrganisationIn(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    kind = fields.String(required=True, validate=validate.OneOf(ORGANISATION_KINDS))
    department = fields.String(required=True, validate=validate.Length(min=1, max=60),
                               metadata={"description": "department name in my unit"})
    members = fields.List(fields.Nested(MemberIn), required=True,
                          validate=validate.Length(min=1, max=30))
    lead = fields.String(validate=validate.Length(min=1, max=80),
                         metadata={"description": "lead prosecutor; default the first one"})


class OrganisationQuery(Strict):
    unit = fields.String(validate=validate.Length(max=8), metadata={"description": "unit code"})


class MemberOut(Strict):
    username = fields.String()
    full_name = fields.String()
    role = fields.String()


class OrganisationOut(Strict):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    unit = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    lead = fields.String(allow_none=True)
    active = fields.Boolean()
    members = fields.List(fields.Nested(MemberOut))
