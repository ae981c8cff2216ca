"""marshmallow schemas for the assignment API: bad input answers 422 with the
field that is wrong."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from procuracy.cases import assignment as engine
from procuracy.cases.catalogue_models import LINES

USERNAME = validate.Length(min=1, max=80)
REASON = validate.Length(max=1000)
ID = validate.Range(min=1, max=2**31 - 1)


class Strict(Schema):
    class Meta:
        ordered = True


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


class RulesField(fields.Dict):
    """A rules object, checked by the engine (``assignment.validate_rules``)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            return engine.validate_rules(value)
        except engine.RulesError as exc:
            raise ValidationError(exc.errors) from None


class RotationMemberIn(Strict):
    user = fields.String(required=True, validate=USERNAME)
    share_num = fields.Integer(load_default=1, validate=validate.Range(min=1, max=12))
    share_den = fields.Integer(load_default=1, validate=validate.Range(min=1, max=12))

    @validates_schema
    def _share(self, data, **_kwargs):
        if data.get("share_num", 1) > data.get("share_den", 1):
            raise ValidationError("a share m/n has m <= n", "share_num")


class RotationMemberPatch(Strict):
    share_num = fields.Integer(validate=validate.Range(min=1, max=12))
    share_den = fields.Integer(validate=validate.Range(min=1, max=12))
    status = fields.String(validate=validate.OneOf(engine.STATUSES))

    @validates_schema
    def _something(self, data, **_kwargs):
        if not data:
            raise ValidationError("give a share (share_num and share_den) or a status")
        if ("share_num" in data) != ("share_den" in data):
            raise ValidationError("give share_num and share_den together", "share_den")
        if "share_num" in data and data["share_num"] > data["share_den"]:
            raise ValidationError("a share m/n has m <= n", "share_num")


class RotationGroupIn(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    line = fields.String(required=True, validate=validate.OneOf(LINES))
    department_id = fields.Integer(load_default=None, allow_none=True, validate=ID)
    kind_codes = fields.List(fields.String(validate=validate.Length(min=1, max=32)),
                             load_default=list, validate=validate.Length(max=200))
    rules = RulesField(load_default=None, allow_none=True)
    members = fields.List(fields.Nested(RotationMemberIn), load_default=list,
                          validate=validate.Length(max=200))

    @validates("name")
    def _name(self, value, **_kwargs):
        if _blank(value):
            raise ValidationError("must not be blank")


class RotationRulesIn(Strict):
    rules = RulesField(required=True)
    reason = fields.String(load_default="", validate=REASON)


class RotationRulesDecisionIn(Strict):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = fields.String(load_default="", validate=REASON)


class AssignmentIn(Strict):
    mode = fields.String(required=True, validate=validate.OneOf(["random", "designated"]))
    group = fields.Integer(load_default=None, allow_none=True, validate=ID)
    user = fields.String(load_default=None, allow_none=True, validate=USERNAME)
    reason = fields.String(load_default="", validate=REASON)

    @validates_schema
    def _by_mode(self, data, **_kwargs):
        if data["mode"] == "random" and data.get("group") is None:
            raise ValidationError("random assignment needs the rotation group", "group")
        if data["mode"] == "designated":
            if not data.get("user"):
                raise ValidationError("designated assignment names the handler", "user")
            if _blank(data.get("reason")):
                raise ValidationError("designated assignment needs a reason", "reason")


class ReassignmentIn(Strict):
    user = fields.String(load_default=None, allow_none=True, validate=USERNAME)
    group = fields.Integer(load_default=None, allow_none=True, validate=ID)
    reason = fields.String(required=True, validate=REASON)

    @validates_schema
    def _one(self, data, **_kwargs):
        if _blank(data.get("reason")):
            raise ValidationError("a reassignment needs a reason", "reason")
        if (data.get("user") is None) == (data.get("group") is None):
            raise ValidationError("name either the new handler (user) or a group to draw "
                                  "from", "user")


class AssignmentApprovalIn(Strict):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "refuse"]))
    note = fields.String(load_default="", validate=REASON)


# ---------------------------------------------------------------- out
class DrawCandidateOut(Strict):
    user = fields.String(allow_none=True)
    user_id = fields.Integer()
    load = fields.Float()
    share_num = fields.Integer()
    share_den = fields.Integer()
    normalised = fields.Float()
    eligible = fields.Boolean()
    status = fields.String()


class AssignmentDrawOut(Strict):
    id = fields.String()
    case = fields.String()
    mode = fields.String(metadata={"description": "random | designated | reassigned"})
    status = fields.String(metadata={"description": "done | pending | refused"})
    group = fields.Integer(allow_none=True)
    rules_version = fields.Integer(allow_none=True)
    seed = fields.String()
    weight = fields.Float()
    candidates = fields.List(fields.Nested(DrawCandidateOut))
    chosen = fields.String(allow_none=True)
    previous = fields.String(allow_none=True)
    reason = fields.String()
    requested_by = fields.String(allow_none=True)
    approved_by = fields.String(allow_none=True)
    at = fields.DateTime()


class DrawReplayOut(Strict):
    draw = fields.String()
    reproduced = fields.Boolean()
    chosen = fields.String(allow_none=True)
    recomputed = fields.String(allow_none=True)
    reason = fields.String()


class RotationRulesOut(Strict):
    version = fields.Integer()
    status = fields.String()
    rules = fields.Dict()
    reason = fields.String()
    proposed_by = fields.String(allow_none=True)
    proposed_at = fields.DateTime()
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class RotationBoardMemberOut(Strict):
    user = fields.String(allow_none=True)
    full_name = fields.String()
    share = fields.String()
    share_num = fields.Integer()
    share_den = fields.Integer()
    status = fields.String()
    eligible = fields.Boolean()
    load = fields.Float()
    normalised = fields.Float()
    cases = fields.Integer()
    next = fields.Boolean()


class RotationGroupOut(Strict):
    id = fields.Integer()
    name = fields.String()
    line = fields.String()
    department_id = fields.Integer(allow_none=True)
    kind_codes = fields.List(fields.String())
    members = fields.Integer()
    rules_in_force = fields.Boolean()


class RotationBoardOut(Strict):
    id = fields.Integer()
    name = fields.String()
    line = fields.String()
    department_id = fields.Integer(allow_none=True)
    kind_codes = fields.List(fields.String())
    rules = fields.Nested(RotationRulesOut, allow_none=True)
    pending_rules = fields.Nested(RotationRulesOut, allow_none=True)
    members = fields.List(fields.Nested(RotationBoardMemberOut))
    next = fields.List(fields.String(), metadata={"description": "who receives the next case "
                                                                 "(several: tied, drawn by lot)"})
    tied = fields.Boolean()
