"""Report jobs as users see them: list, request, retry, download.

The scope decides which runs a user can see at all (their unit's, and for supervisors
their descendants'); among those, the people who read a whole unit (chief, deputies,
case managers, inspectors) see every run, the others only the runs they asked for. A
failed run is retried by the one who asked or by a case manager of its unit. Downloads
carry a watermark naming the viewer.
"""
from __future__ import annotations

from sqlalchemy import select

from jobs import registry
from procuracy import queue
from procuracy.extensions import db
from procuracy.oversight import receipts
from procuracy.oversight.bulletins import KINDS as INBOX_KINDS
from procuracy.oversight.job_models import FAILED, FINISHED, JobRun, ReportDocument
from procuracy.tenants.roles import WHOLE_UNIT_READERS, Role
from procuracy.tenants.scope import OutOfScope, get_or_404

LIST_LIMIT = 100


class NotRequestable(PermissionError):
    """Users may not ask for this kind of job."""


class NoDocument(LookupError):
    """The run has not (or not yet) built a document."""


def visible_runs(user, *, status: str | None = None, kind: str | None = None,
                 reports_only: bool = False, limit: int = LIST_LIMIT) -> list[JobRun]:
    query = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if not user.has_role(*WHOLE_UNIT_READERS):
        query = query.where(JobRun.requested_by_id == user.id)
    if status:
        query = query.where(JobRun.status == status)
    if kind:
        query = query.where(JobRun.kind == kind)
    if reports_only:
        query = query.where(JobRun.kind.in_([k for k, v in registry.KINDS.items() if v.report]))
    return list(db.session.scalars(query))


def get_run(user, public_id: str) -> JobRun:
    """One run the user may see; ``OutOfScope`` (404) otherwise."""
    run = get_or_404(db.session, JobRun, public_id=public_id)
    if not user.has_role(*WHOLE_UNIT_READERS) and run.requested_by_id != user.id:
        raise OutOfScope(f"JobRun {public_id}")
    return run


def may_retry(user, run: JobRun) -> bool:
    return run.requested_by_id == user.id or (
        user.has_role(Role.CASE_MANAGER) and run.unit_id == user.unit_id)


def retry(user, run: JobRun) -> JobRun:
    if not may_retry(user, run):
        raise PermissionError("only the requester or a case manager of the unit may retry")
    return queue.retry(run)


def request_report(user, kind: str, period: str, params: dict | None = None) -> JobRun:
    spec = registry.KINDS.get(kind)
    if spec is None or not spec.user_requestable:
        raise NotRequestable(f"users may not request {kind!r} jobs")
    return queue.enqueue(kind, params=params or {}, requested_by=user, unit_id=user.unit_id,
                         period=period)


def document_of(run: JobRun) -> ReportDocument:
    if run.status != FINISHED or run.result_document_id is None:
        raise NoDocument(f"job {run.public_id} has no document (status {run.status})")
    return get_or_404(db.session, ReportDocument, id=run.result_document_id)


def download(user, run: JobRun) -> tuple[bytes, str]:
    """(watermarked PDF, file name) of a finished report run."""
    from procuracy.reports.store import watermarked

    document = document_of(run)
    name = f"{run.kind}-{document.period or 'report'}-{document.unit_id}.pdf"
    data = watermarked(document, user)
    if document.kind in INBOX_KINDS:  # a bulletin opened from its job is read all the same
        receipts.record(user, document)
    return data, name


def describe(user, runs: list[JobRun]) -> list[dict]:
    """Runs as the API and the page show them (unit code, requester, document, retry)."""
    from procuracy.tenants.models import Unit, User

    unit_ids = {r.unit_id for r in runs}
    user_ids = {r.requested_by_id for r in runs if r.requested_by_id}
    units = dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids))).all())
    names = dict(db.session.execute(
        select(User.id, User.username).where(User.id.in_(user_ids))).all()) if user_ids else {}
    docs = {d.id: d for d in db.session.scalars(select(ReportDocument).where(
        ReportDocument.id.in_({r.result_document_id for r in runs if r.result_document_id})))}
    out = []
    for run in runs:
        doc = docs.get(run.result_document_id)
        retryable = run.status == FAILED or (run.status != FINISHED and queue.retryable(run))
        out.append({
            "run": run, "public_id": run.public_id, "kind": run.kind, "period": run.period,
            "status": run.status, "progress": run.progress, "message": run.message,
            "error": run.error if run.status == FAILED else "", "attempts": run.attempts,
            "queue": run.queue, "unit": units.get(run.unit_id, ""),
            "requested_by": names.get(run.requested_by_id) if run.requested_by_id else None,
            "created_at": run.created_at, "started_at": run.started_at,
            "finished_at": run.finished_at,
            "document": ({"id": doc.public_id, "pages": doc.pages, "size": doc.size,
                          "built_at": doc.built_at} if doc and run.status == FINISHED else None),
            "retryable": retryable and may_retry(user, run),
        })
    return out
