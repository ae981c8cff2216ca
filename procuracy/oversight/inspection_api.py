"""Inspections API (督察) under /api/v1/inspections: plan, list, read, record a
finding (it lands on the target unit's ledger), close with a conclusion, and ask
for the PDF report (a job to follow under /api/v1/jobs).

Handlers are thin: a schema parses, a service acts, a schema answers. A refusal of
the content is 422 naming the field, of the role 403, anything out of scope 404.
"""
from __future__ import annotations

from functools import wraps

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from procuracy.extensions import db
from procuracy.oversight import inspection_out, inspections
from procuracy.oversight.jobs_api import JobOut
from procuracy.oversight.jobs_service import describe
from procuracy.oversight.ledger import LedgerRejected
from procuracy.oversight.ledger_schemas import (
    FindingIn,
    InspectionCloseIn,
    InspectionIn,
    InspectionOut,
    InspectionQuery,
)
from procuracy.tenants.principal import require_user

bp = Blueprint("inspections", __name__, url_prefix="/api/v1/inspections",
               description="Inspections (督察): plans, findings onto the ledger, reports")


def refusals(view):
    """Content refusals of the services → 422 with the field named."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except LedgerRejected as exc:
            db.session.rollback()
            abort(422, message=str(exc), errors={"json": exc.errors})

    return wrapper


@bp.route("")
class Inspections(MethodView):
    @bp.arguments(InspectionQuery, location="query")
    @bp.response(200, InspectionOut(many=True))
    @require_user
    def get(self, args):
        """Inspections my unit (or one below it) planned, newest first."""
        return inspection_out.many(inspections.list_inspections(args.get("status")))

    @bp.arguments(InspectionIn)
    @bp.response(201, InspectionOut)
    @bp.alt_response(403, description="inspectors, the chief and deputy chiefs plan")
    @require_user
    @refusals
    def post(self, data):
        """Plan an inspection of units below mine."""
        inspection = inspections.plan(g.user, **data)
        return inspection_out.one(inspection.public_id, g.user)


@bp.route("/<string:inspection_id>")
@bp.response(200, InspectionOut)
@require_user
def get_inspection(inspection_id):
    """One inspection with its findings and their ledger entries."""
    return inspection_out.one(inspection_id, g.user)


@bp.route("/<string:inspection_id>/findings", methods=["POST"])
@bp.arguments(FindingIn)
@bp.response(201, InspectionOut)
@bp.alt_response(403, description="only the inspection team records findings")
@require_user
@refusals
def add_finding(data, inspection_id):
    """Record a finding: an entry on the inspected unit's ledger."""
    inspection = inspections.get_inspection(inspection_id)
    inspections.add_finding(inspection, g.user, **data)
    return inspection_out.one(inspection_id, g.user)


@bp.route("/<string:inspection_id>/close", methods=["POST"])
@bp.arguments(InspectionCloseIn)
@bp.response(200, InspectionOut)
@bp.alt_response(403, description="whoever planned it, the chief or a deputy closes it")
@require_user
@refusals
def close(data, inspection_id):
    """Close the inspection with its conclusion."""
    inspection = inspections.get_inspection(inspection_id)
    inspections.close(inspection, g.user, conclusion=data["conclusion"])
    return inspection_out.one(inspection_id, g.user)


@bp.route("/<string:inspection_id>/report", methods=["POST"])
@bp.response(202, JobOut)
@bp.alt_response(403, description="only the inspecting unit asks for its report")
@require_user
def request_report(inspection_id):
    """Ask for the PDF report: a job to follow (and download) under /api/v1/jobs."""
    inspection = inspections.get_inspection(inspection_id)
    run = inspections.request_report(inspection, g.user)
    return describe(g.user, [run])[0]
