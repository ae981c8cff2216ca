"""The wrapper every job goes through, in a worker or in process.

``run(job_run_id)`` is what RQ calls. It creates the app once per process (a forked
work horse inherits its parent's; then the SQLAlchemy pool inherited across the fork
is disposed without closing the parent's connections), pushes an app context, acts
for all units under ``system_scope("job KIND ID ...")``, marks the ``JobRun``
running, calls the job function with a ``JobContext``, and records finished (with the
document built) or failed (with the error). A failure is re-raised so RQ records it
too. Running a run again (a retry, or after a killed worker) starts it over: job
functions are idempotent.
"""
from __future__ import annotations

import logging
import os
import traceback
from dataclasses import dataclass, field

from rq import Worker as RQWorker

from procuracy.extensions import db
from procuracy.orm import utcnow

log = logging.getLogger(__name__)

_app = None
_app_pid: int | None = None
MAX_ERROR = 8000


def get_app():
    """The app of this process: created once, its engine disposed after a fork."""
    global _app, _app_pid
    if _app is None:
        from procuracy import create_app

        _app, _app_pid = create_app(), os.getpid()
    elif _app_pid != os.getpid():
        # Forked from a process that had the app: never share its pooled connections.
        with _app.app_context():
            db.engine.dispose(close=False)
        log.debug("process %s: disposed the engine inherited across fork", os.getpid())
        _app_pid = os.getpid()
    return _app


class Worker(RQWorker):
    """``rq worker -w jobs.runner.Worker``: creates the app (and imports WeasyPrint)
    once, before forking, so every work horse starts with them instead of building its
    own; the horse then disposes the pool it inherited (``get_app``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        get_app()
        import weasyprint  # noqa: F401 - a second or so saved in every PDF job


@dataclass
class JobContext:
    """What a job function gets: ids and a period, never ORM objects."""

    job_run_id: int
    kind: str
    unit_id: int
    period: str
    params: dict = field(default_factory=dict)
    requested_by_id: int | None = None

    def progress(self, percent: int, message: str = "") -> None:
        """Record progress (0-100). Commits the session: call it between units of work."""
        from procuracy.oversight.job_models import JobRun

        run = db.session.get(JobRun, self.job_run_id)
        run.progress = max(0, min(100, int(percent)))
        if message:
            run.message = message[:200]
        db.session.commit()


def run(job_run_id: int) -> int | None:
    """RQ's entry point: run the ``JobRun`` in this process's app; re-raise failures."""
    with get_app().app_context():
        try:
            return execute(job_run_id, reraise=True)
        finally:
            db.session.remove()


def execute(job_run_id: int, *, reraise: bool) -> int | None:
    """Run a ``JobRun`` inside the current app context; returns the document id, if any."""
    from jobs import registry
    from procuracy.oversight.job_models import FINISHED, RUNNING, JobRun
    from procuracy.tenants.scope import system_scope

    session = db.session
    with system_scope(f"job {job_run_id}"):
        job_run = session.get(JobRun, job_run_id)
        if job_run is None:
            raise LookupError(f"no JobRun {job_run_id}")
        who = f" for user {job_run.requested_by_id}" if job_run.requested_by_id else " (scheduled)"
        reason = f"job {job_run.kind} {job_run.id}{who}"
    with system_scope(reason):
        job_run = session.get(JobRun, job_run_id)
        job_run.status, job_run.progress, job_run.error, job_run.message = RUNNING, 0, "", ""
        job_run.attempts += 1
        job_run.started_at, job_run.finished_at = utcnow(), None
        current = _current_rq_job_id()
        if current:
            job_run.rq_job_id = current
        context = JobContext(job_run.id, job_run.kind, job_run.unit_id, job_run.period,
                             dict(job_run.params or {}), job_run.requested_by_id)
        session.commit()
        log.info("%s: started (attempt %s)", reason, job_run.attempts)
        try:
            result = registry.function(context.kind)(context)
        except BaseException as exc:
            session.rollback()
            _mark_failed(job_run_id, _error_text(exc))
            log.warning("%s: failed: %s", reason, exc)
            if reraise or not isinstance(exc, Exception):
                raise
            return None
        job_run = session.get(JobRun, job_run_id)
        job_run.status, job_run.progress, job_run.finished_at = FINISHED, 100, utcnow()
        if isinstance(result, int):
            job_run.result_document_id = result
        session.commit()
        log.info("%s: finished", reason)
        return result if isinstance(result, int) else None


def _mark_failed(job_run_id: int, error: str) -> None:
    from procuracy.oversight.job_models import FAILED, JobRun

    job_run = db.session.get(JobRun, job_run_id)
    job_run.status, job_run.error, job_run.finished_at = FAILED, error[-MAX_ERROR:], utcnow()
    job_run.message = error.strip().splitlines()[-1][:200] if error.strip() else "failed"
    db.session.commit()


def _error_text(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(exc))
    return text if text.strip() else repr(exc)


def _current_rq_job_id() -> str | None:
    try:
        from rq import get_current_job

        job = get_current_job()
    except Exception:  # noqa: BLE001 - outside a worker there is no current job
        return None
    return job.id if job is not None else None


def on_rq_failure(job, connection, exc_type, exc_value, tb) -> None:
    """RQ's failure callback: also called when RQ finds a job abandoned by a dead worker
    (``AbandonedJobError``), which the runner never saw. Marks the run failed unless it
    already finished or failed."""
    from procuracy.oversight.job_models import QUEUED, RUNNING, JobRun
    from procuracy.tenants.scope import system_scope

    job_run_id = job.args[0] if job.args else None
    if not isinstance(job_run_id, int):
        return
    with get_app().app_context():
        try:
            with system_scope(f"job {job_run_id}: rq failure callback"):
                job_run = db.session.get(JobRun, job_run_id)
                if job_run is None or job_run.status not in (QUEUED, RUNNING):
                    return
                if job_run.rq_job_id and job_run.rq_job_id != job.id:
                    return  # an older dispatch of a run that has been retried since
                name = getattr(exc_type, "__name__", "error")
                _mark_failed(job_run_id, f"{name}: the worker stopped before the job "
                                         f"finished ({exc_value!s})")
        finally:
            db.session.remove()
