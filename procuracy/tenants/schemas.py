"""marshmallow schemas for the tenants API: every input and output goes through one."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from procuracy.tenants.roles import DECIDERS


class Strict(Schema):
    class Meta:
        ordered = True


class TokenRequest(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class TokenOut(Strict):
    token = fields.String()
    expires_at = fields.DateTime()


class UnitRef(Strict):
    code = fields.String()
    name = fields.String()
    level = fields.String()


class UnitOut(UnitRef):
    abbr = fields.String()
    parent_code = fields.String(allow_none=True)
    depth = fields.Integer()


class UnitDetail(UnitOut):
    ancestors = fields.List(fields.Nested(UnitRef))
    children = fields.List(fields.Nested(UnitRef))
    users_count = fields.Integer()


class UnitQuery(Strict):
    level = fields.String(validate=validate.OneOf(["province", "city", "branch", "district"]))
    parent = fields.String(validate=validate.Length(max=8))


class MeOut(Strict):
    username = fields.String()
    full_name = fields.String()
    unit = fields.Nested(UnitRef)
    department = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    holds_quota = fields.Boolean()
    readable_units = fields.Integer(metadata={"description": "units whose data I may read"})


class UserOut(Strict):
    username = fields.String()
    full_name = fields.String()
    department = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    holds_quota = fields.Boolean()
    active = fields.Boolean()


class PowerItemOut(Strict):
    code = fields.String()
    category = fields.String()
    matter = fields.String()
    decider_role = fields.String()
    condition = fields.String()
    overridable = fields.Boolean()
    note = fields.String()
    origin = fields.String(metadata={"description": "template, override, local or list"})
    source_unit = fields.String()
    template_role = fields.String(allow_none=True)


class PowerSummary(Strict):
    total = fields.Integer()
    by_decider = fields.Dict(keys=fields.String(), values=fields.Integer())
    prosecutor_share = fields.Float()
    by_origin = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())


class EffectiveListOut(Strict):
    unit = fields.Nested(UnitRef)
    on = fields.Date()
    versions = fields.Dict(keys=fields.String(), values=fields.Integer())
    summary = fields.Nested(PowerSummary)
    items = fields.List(fields.Nested(PowerItemOut))


class OnQuery(Strict):
    on = fields.Date(metadata={"description": "the date the list is in force (default today)"})


class VersionOut(Strict):
    version = fields.Integer()
    effective_from = fields.Date()
    status = fields.String()
    published_at = fields.DateTime(allow_none=True)
    note = fields.String()


class CompareQuery(Strict):
    from_version = fields.Integer(required=True, data_key="from", validate=validate.Range(min=1))
    to_version = fields.Integer(required=True, data_key="to", validate=validate.Range(min=1))


class ChangeOut(Strict):
    code = fields.String()
    matter = fields.String()
    changes = fields.Dict(keys=fields.String(), values=fields.List(fields.Raw()))


class CompareOut(Strict):
    added = fields.List(fields.Nested(PowerItemOut))
    removed = fields.List(fields.Nested(PowerItemOut))
    changed = fields.List(fields.Nested(ChangeOut))


class DraftIn(Strict):
    effective_from = fields.Date(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))


class ItemIn(Strict):
    decider_role = fields.String(required=True, validate=validate.OneOf(DECIDERS))
    matter = fields.String(load_default="", validate=validate.Length(max=120))
    category = fields.String(load_default="", validate=validate.Length(max=40))
    condition = fields.String(load_default="", validate=validate.OneOf(
        ["", "major", "not_major", "detained", "not_detained", "juvenile"]))
    overridable = fields.Boolean(load_default=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))


class AccessEntryOut(Strict):
    seq = fields.Integer()
    at = fields.DateTime()
    actor_name = fields.String()
    actor_unit_code = fields.String()
    object_type = fields.String()
    object_id = fields.String()
    right = fields.String()
    count = fields.Integer()
    where = fields.String()


class AccessQuery(Strict):
    since = fields.Date()
