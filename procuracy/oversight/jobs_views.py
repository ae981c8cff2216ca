"""The jobs page (/jobs): my report jobs with their progress and PDFs, failed jobs with
their error and a retry button, and a form to ask for the sample report."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_pgettext
from flask_login import login_required

from jobs.schedule import period_before, period_label
from procuracy.orm import utcnow
from procuracy.oversight import jobs_service as service
from procuracy.oversight.job_models import FAILED, QUEUED, RUNNING
from procuracy.queue import NotRetryable

bp = Blueprint("jobs_pages", __name__)
# The kinds (jobs/registry.py) and states of a job, as the page names them.
JOB_KINDS = {"sample_report": lazy_pgettext("job", "Sample report"),
             "inspection_report": lazy_pgettext("job", "Inspection report"),
             "weekly_summary": lazy_pgettext("job", "Weekly summary"),
             "monthly_bulletin": lazy_pgettext("job", "Monthly bulletin"),
             "monitoring_sweep": lazy_pgettext("job", "Monitoring sweep")}
JOB_STATES = {"queued": lazy_pgettext("job", "Queued"), "running": lazy_pgettext("job", "Running"),
              "finished": lazy_pgettext("job", "Finished"),
              "failed": lazy_pgettext("job", "Failed")}


@bp.get("/jobs")
@login_required
def jobs_page():
    reports = service.describe(g.user, service.visible_runs(g.user, reports_only=True))
    failed = service.describe(g.user, service.visible_runs(g.user, status=FAILED))
    busy = any(r["status"] in (QUEUED, RUNNING) for r in reports)
    period = period_before("month", utcnow())
    return render_template("oversight/jobs.html", reports=reports, failed=failed, busy=busy,
                           default_period=period, period_label=period_label, active="jobs",
                           JOB_KINDS=JOB_KINDS, JOB_STATES=JOB_STATES)


@bp.post("/jobs/sample-report")
@login_required
def request_sample():
    period = request.form.get("period", "")
    if len(period) != 7 or not period[:4].isdigit() or period[4] != "-" or not period[5:].isdigit():
        flash(_("Give the month as YYYY-MM."), "error")
        return redirect(url_for(".jobs_page"))
    run = service.request_report(g.user, "sample_report", period)
    if run.status == FAILED:
        flash(_("The report could not be built: %(message)s", message=run.message), "error")
    else:
        flash(_("Report requested."), "success")
    return redirect(url_for(".jobs_page"))


@bp.post("/jobs/<job_id>/retry")
@login_required
def retry(job_id: str):
    run = service.get_run(g.user, job_id)
    try:
        service.retry(g.user, run)
    except NotRetryable:
        flash(_("Only failed jobs can be retried."), "error")
        return redirect(url_for(".jobs_page"))
    flash(_("Job queued again."), "success")
    return redirect(url_for(".jobs_page"))


@bp.get("/jobs/<job_id>/pdf")
@login_required
def download(job_id: str):
    run = service.get_run(g.user, job_id)
    try:
        data, name = service.download(g.user, run)
    except service.NoDocument:
        abort(404)
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
