"""Cross-review orders API: issue one, list the ones I may see, read one."""
from __future__ import annotations

from flask import g
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from procuracy.extensions import db
from procuracy.tenants import crossreview_service as orders
from procuracy.tenants.crossreview import CrossReviewOrder
from procuracy.tenants.principal import require_user
from procuracy.tenants.scope import get_or_404

bp = Blueprint("cross_review", __name__, url_prefix="/api/v1/cross-review-orders",
               description="Cross-review orders (交叉评查): who reviews which cases, when")


class OrderIn(Schema):
    reviewing = fields.String(required=True, validate=validate.Length(min=1, max=8))
    reviewed = fields.String(required=True, validate=validate.Length(min=1, max=8))
    cases = fields.List(fields.String(validate=validate.Length(max=24)), required=True,
                        validate=validate.Length(min=1, max=5000))
    reviewers = fields.List(fields.String(validate=validate.Length(max=80)), required=True,
                            validate=validate.Length(min=1, max=200))
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=1000))
    blind = fields.Boolean(load_default=False)

    @validates_schema
    def _period(self, data, **_kwargs):
        if data["ends_at"] <= data["starts_at"]:
            raise ValidationError("must be after starts_at", "ends_at")


class OrderOut(Schema):
    class Meta:
        ordered = True

    id = fields.String()
    issuer = fields.String()
    reviewing = fields.String()
    reviewed = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    reason = fields.String()
    blind = fields.Boolean()
    case_count = fields.Integer()
    cases = fields.List(fields.String())
    reviewers = fields.List(fields.String())


@bp.route("")
@bp.response(200, OrderOut(many=True))
@require_user
def list_orders():
    """Orders my unit issued or can read down the tree, and orders naming my unit."""
    return [orders.order_out(o) for o in orders.visible_orders()]


@bp.route("", methods=["POST"])
@bp.arguments(OrderIn)
@bp.response(201, OrderOut)
@bp.alt_response(422, description="the order breaks a rule")
@require_user
def issue(body):
    """Order a descendant unit to review named cases of another descendant."""
    try:
        order = orders.issue_order(g.user, **body)
    except PermissionError as exc:
        abort(403, message=str(exc))
    except orders.OrderRejected as exc:
        db.session.rollback()
        abort(422, message=str(exc))
    return orders.order_out(order)


@bp.route("/<string:order_id>")
@bp.response(200, OrderOut)
@require_user
def get_order(order_id):
    """One order by its public id."""
    return orders.order_out(get_or_404(db.session, CrossReviewOrder, public_id=order_id))
