"""Jobs API under /api/v1/jobs: my report jobs with their progress, asking for one,
retrying a failed one, downloading the PDF (watermarked with the viewer's name)."""
from __future__ import annotations

from flask import Response, g
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from procuracy.oversight import jobs_service as service
from procuracy.oversight.job_models import STATUSES
from procuracy.queue import NotRetryable
from procuracy.tenants.principal import require_user

bp = Blueprint("jobs", __name__, url_prefix="/api/v1/jobs",
               description="Background jobs I asked for (or, for whole-unit readers, my units'); "
                           "report PDFs")

PERIOD = r"^\d{4}-(\d{2}|W\d{2})(-\d{2})?$"


class JobQuery(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String(validate=validate.Length(max=40))


class JobRequest(Schema):
    kind = fields.String(required=True, validate=validate.Length(max=40))
    period = fields.String(required=True, validate=validate.Regexp(PERIOD),
                           metadata={"description": "2026-10, 2026-W44 or 2026-10-31"})


class JobDocumentOut(Schema):
    id = fields.String()
    pages = fields.Integer()
    size = fields.Integer()
    built_at = fields.DateTime()


class JobOut(Schema):
    class Meta:
        ordered = True

    id = fields.String(attribute="public_id")
    kind = fields.String()
    period = fields.String()
    unit = fields.String()
    status = fields.String()
    progress = fields.Integer()
    message = fields.String()
    error = fields.String()
    attempts = fields.Integer()
    queue = fields.String()
    requested_by = fields.String(allow_none=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    document = fields.Nested(JobDocumentOut, allow_none=True)
    retryable = fields.Boolean()


def _one(run) -> dict:
    return service.describe(g.user, [run])[0]


@bp.route("")
class Jobs(MethodView):
    @bp.arguments(JobQuery, location="query")
    @bp.response(200, JobOut(many=True))
    @require_user
    def get(self, args):
        """My jobs, newest first (whole-unit readers: every job of the units they read)."""
        runs = service.visible_runs(g.user, status=args.get("status"), kind=args.get("kind"))
        return service.describe(g.user, runs)

    @bp.arguments(JobRequest)
    @bp.response(202, JobOut)
    @bp.alt_response(403, description="users may not ask for this kind of job")
    @require_user
    def post(self, body):
        """Ask for a report for my unit and a period; answers with the job to follow."""
        try:
            run = service.request_report(g.user, body["kind"], body["period"])
        except service.NotRequestable as exc:
            abort(403, message=str(exc))
        return _one(run)


@bp.route("/<string:job_id>")
@bp.response(200, JobOut)
@require_user
def get_job(job_id):
    """One job with its progress; 404 when it is not mine to see."""
    return _one(service.get_run(g.user, job_id))


@bp.route("/<string:job_id>/retry", methods=["POST"])
@bp.response(202, JobOut)
@bp.alt_response(403, description="neither the requester nor a case manager of the unit")
@bp.alt_response(409, description="the job is not failed (or abandoned)")
@require_user
def retry_job(job_id):
    """Run a failed job again."""
    run = service.get_run(g.user, job_id)
    try:
        service.retry(g.user, run)
    except NotRetryable as exc:
        abort(409, message=str(exc))
    return _one(run)


@bp.route("/<string:job_id>/pdf")
@bp.alt_response(200, description="the PDF, watermarked with my name and the time",
                 content_type="application/pdf")
@bp.alt_response(409, description="the job has not built a document (yet)")
@require_user
def download_pdf(job_id):
    """The report PDF of a finished job, watermarked with the viewer's name."""
    run = service.get_run(g.user, job_id)
    try:
        data, name = service.download(g.user, run)
    except service.NoDocument as exc:
        abort(409, message=str(exc))
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
