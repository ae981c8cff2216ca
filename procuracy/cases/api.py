"""Cases API: register (受理) and import cases, list and export them, read one case
and its timeline; the unit's case-handling organisations.

Handlers are thin: a schema parses, a service acts, a schema answers. Case ids
in URLs are public ids. Bad input answers 422 with the field errors (or, for a
rejected file, every bad row); a case out of scope answers 404.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from flask import g, send_file
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from procuracy.cases import intake, organisations, services
from procuracy.cases.case_export import ExportTooLarge, export_cases
from procuracy.cases.schemas import (
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CaseQuery,
    ImportForm,
    ImportOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationQuery,
    StepOut,
)
from procuracy.extensions import csrf
from procuracy.tenants.principal import require_user
from procuracy.tenants.unit_io import ImportRejected

SUFFIX = re.compile(r"\.[a-z0-9]{1,5}")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

bp = Blueprint("cases", __name__, url_prefix="/api/v1/cases",
               description="Cases: intake, the list, one case and its timeline")
organisations_bp = Blueprint("organisations", __name__, url_prefix="/api/v1/organisations",
                             description="Case-handling organisations (独任检察官、办案组)")
csrf.exempt(organisations_bp)  # bearer tokens only, like every API blueprint


def _page(conditions: list, pagination_parameters) -> list[dict]:
    rows, total = services.page(conditions, pagination_parameters.first_item,
                                pagination_parameters.page_size)
    pagination_parameters.item_count = total
    return rows


@bp.route("")
class Cases(MethodView):
    @bp.arguments(CaseQuery, location="query")
    @bp.response(200, CaseOut(many=True))
    @bp.paginate()
    @require_user
    def get(self, args, pagination_parameters):
        """Cases I may read, newest first, with filters."""
        return _page(services.case_filters(**args), pagination_parameters)

    @bp.arguments(CaseIn)
    @bp.response(201, CaseDetailOut)
    @bp.alt_response(403, description="only case managers and the chief register cases")
    @require_user
    def post(self, data):
        """Register a case in my unit: it gets the unit's next number for its kind and year."""
        try:
            case = intake.register_case(g.user, data)
        except intake.IntakeError as exc:
            abort(422, message="the case was not registered", errors={"json": exc.errors})
        return services.get_case(case.public_id)


@bp.route("/mine")
@bp.arguments(CaseQuery, location="query")
@bp.response(200, CaseOut(many=True))
@bp.paginate()
@require_user
def my_cases(args, pagination_parameters):
    """Cases I handle or assist on, newest first, with the same filters."""
    return _page(services.case_filters(**args) + services.mine(g.user), pagination_parameters)


@bp.route("/export.xlsx")
@bp.arguments(CaseQuery, location="query")
@bp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX,
             description="the filtered cases as an Excel workbook")
@bp.alt_response(422, description="bad filters, or more cases than one export holds")
@require_user
def export(args):
    """The filtered list as .xlsx (at most 50,000 cases: narrow the filters beyond that)."""
    try:
        data, _ = export_cases(services.case_filters(**args))
    except ExportTooLarge as exc:
        abort(422, message=str(exc))
    return send_file(data, mimetype=XLSX, as_attachment=True, download_name="cases.xlsx")


@bp.route("/import", methods=["POST"])
@bp.arguments(ImportForm, location="files")
@bp.response(200, ImportOut)
@bp.alt_response(422, description="the file was rejected (every bad row); nothing imported")
@require_user
def import_cases(files):
    """Register every case of a .csv or .xlsx file in my unit, or none of them."""
    upload = files["file"]
    suffix = Path(upload.filename or "").suffix.lower()  # only the suffix: 批量.xlsx is fine
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"cases{suffix if SUFFIX.fullmatch(suffix) else ''}"
        upload.save(path)
        try:
            return intake.bulk_import(g.user, path)
        except ImportRejected as exc:
            abort(422, message="the file was rejected; nothing was imported",
                  errors={"rows": [{"row": e.row, "field": e.field, "message": e.message}
                                   for e in exc.errors]})


@bp.route("/<string:case_id>")
@bp.response(200, CaseDetailOut)
@require_user
def get_case(case_id):
    """One case by its public id; 404 when it does not exist or is not mine to read."""
    return services.get_case(case_id)


@bp.route("/<string:case_id>/timeline")
@bp.response(200, StepOut(many=True))
@require_user
def get_timeline(case_id):
    """Every step on the case, oldest first, with who performed it."""
    return services.timeline(case_id)


# ---------------------------------------------------------------- organisations
@organisations_bp.route("")
class Organisations(MethodView):
    @organisations_bp.arguments(OrganisationQuery, location="query")
    @organisations_bp.response(200, OrganisationOut(many=True))
    @require_user
    def get(self, args):
        """Case-handling organisations I may read (my unit's; supervisors': below too)."""
        return organisations.list_organisations(args.get("unit"))

    @organisations_bp.arguments(OrganisationIn)
    @organisations_bp.response(201, OrganisationOut)
    @organisations_bp.alt_response(403, description="not the unit's chief, deputy, "
                                   "administrator or the department's head")
    @require_user
    def post(self, data):
        """Set up a solo prosecutor or a team in a department of my unit."""
        try:
            org = organisations.create_organisation(g.user, data)
        except organisations.OrganisationError as exc:
            abort(422, message="the organisation was not created", errors={"json": exc.errors})
        return organisations.organisation_detail(org)


@bp.record_once
def _register_organisations(state) -> None:
    """Until ``tenants.api.register_api`` lists ``organisations_bp`` itself, it comes
    with the cases blueprint (guarded: never registered twice)."""
    from procuracy.extensions import api

    if organisations_bp.name not in state.app.blueprints:
        api.register_blueprint(organisations_bp)
