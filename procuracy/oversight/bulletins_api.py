"""Bulletins API under /api/v1/bulletins: the reader's inbox, one bulletin's PDF
(watermarked with the reader's name; reading it leaves a receipt), who has read a
bulletin, and building a unit's bulletin on demand."""
from __future__ import annotations

from flask import Response, g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from procuracy.oversight import bulletins as service
from procuracy.oversight.jobs_api import JobOut
from procuracy.oversight.jobs_service import describe
from procuracy.tenants.principal import require_user

bp = Blueprint("bulletins", __name__, url_prefix="/api/v1/bulletins",
               description="Monthly bulletins (通报) of the units the reader reads")

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
MONTH_OR_WEEK = r"^\d{4}-((0[1-9]|1[0-2])|W(0[1-9]|[1-4]\d|5[0-3]))$"


class BulletinQuery(Schema):
    unit = fields.String(validate=validate.Regexp(r"^[0-9A-Za-z]{1,12}$"))
    period = fields.String(validate=validate.Regexp(MONTH_OR_WEEK), metadata={
        "description": "a month (2026-10) or, for weekly summaries, an ISO week (2026-W44)"})


class BulletinOut(Schema):
    class Meta:
        ordered = True

    id = fields.String()
    kind = fields.String(metadata={
        "description": "monthly_bulletin (通报) or weekly_summary (周汇总)"})
    unit = fields.String()
    unit_name = fields.String()
    period = fields.String()
    title = fields.String()
    pages = fields.Integer()
    size = fields.Integer()
    built_at = fields.DateTime()
    data_hash = fields.String(metadata={"description": "SHA-256 of the data, printed in the PDF"})
    own = fields.Boolean(metadata={"description": "the reader's own unit's bulletin"})
    read_at = fields.DateTime(allow_none=True, metadata={
        "description": "when the reader first opened it; null while unread"})
    readers = fields.Integer(metadata={
        "description": "how many people the reader can see have read it "
                       "(GET .../receipts lists them)"})


class ReceiptOut(Schema):
    class Meta:
        ordered = True

    user = fields.String(metadata={"description": "the reader's user name"})
    name = fields.String()
    unit = fields.String(metadata={"description": "the reader's unit code"})
    unit_name = fields.String()
    first_read_at = fields.DateTime()


class BuildRequest(Schema):
    unit = fields.String(required=True, validate=validate.Regexp(r"^[0-9A-Za-z]{1,12}$"))
    period = fields.String(required=True, validate=validate.Regexp(MONTH),
                           metadata={"description": "the month, e.g. 2026-10"})


@bp.route("")
class Bulletins(MethodView):
    @bp.arguments(BulletinQuery, location="query")
    @bp.response(200, BulletinOut(many=True))
    @bp.alt_response(403, description="the reader's roles do not read bulletins")
    @require_user
    def get(self, args):
        """The inbox: bulletins of the reader's unit and of the units it supervises."""
        return service.inbox(g.user, unit_code=args.get("unit"), period=args.get("period"))

    @bp.arguments(BuildRequest)
    @bp.response(202, JobOut)
    @bp.alt_response(403, description="not a bulletin reader of that unit")
    @bp.alt_response(404, description="no such unit, or not one the reader reads")
    @require_user
    def post(self, body):
        """Build a unit's bulletin for a month now (it replaces the month's if the data
        changed; otherwise the existing one stands)."""
        run = service.request_build(g.user, body["unit"], body["period"])
        return describe(g.user, [run])[0]


@bp.route("/<string:bulletin_id>/pdf")
@bp.response(200, description="the PDF, watermarked with the reader's name",
             content_type="application/pdf")
@bp.alt_response(404, description="no such bulletin, or not one the reader reads")
@require_user
def bulletin_pdf(bulletin_id: str):
    data, name = service.download(g.user, bulletin_id)
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<string:bulletin_id>/receipts")
@bp.response(200, ReceiptOut(many=True))
@bp.alt_response(403, description="the reader's roles do not read bulletins")
@bp.alt_response(404, description="no such bulletin, or not one the reader reads")
@require_user
def bulletin_receipts(bulletin_id: str):
    """Who has read the bulletin, first reader first: the people of the reader's unit
    and, reading down, of the units below it (a receipt belongs to its reader's unit)."""
    return service.read_by(g.user, bulletin_id)
