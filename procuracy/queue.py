"""Asking for background work: ``enqueue``, ``retry``, and whether a run was abandoned.

The ``JobRun`` row is written (and committed) first; then the job either runs here
and now (no ``REDIS_URL``, or ``JOBS_IN_PROCESS``: ``make demo`` needs no server) or
goes to its RQ queue as ``jobs.runner.run(job_run_id)`` with its kind's timeout.
Every dispatch gets a fresh RQ job id (RQ does not deduplicate on a reused id; the
database's unique keys make jobs idempotent). RQ keeps results for 500 s only: the
outputs are in the database.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import UTC, datetime

from flask import current_app

from jobs import registry
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.oversight.job_models import FAILED, FINISHED, QUEUED, RUNNING, JobRun

log = logging.getLogger(__name__)

RESULT_TTL = 500  # seconds; RQ's default, said out loud
FAILURE_TTL = 30 * 24 * 3600
ENTRY_POINT = "jobs.runner.run"


class NotRetryable(PermissionError):
    """The run is queued, running on a live worker, or finished."""


def in_process() -> bool:
    config = current_app.config
    return bool(config.get("JOBS_IN_PROCESS")) or not config.get("REDIS_URL")


def redis_connection():
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"])


def enqueue(kind: str, *, params: dict | None = None, requested_by=None, unit_id: int,
            period: str = "", queue: str | None = None) -> JobRun:
    """Record a request for a ``kind`` job and dispatch it. ``requested_by`` is the
    user (or id) who asked, None for the scheduler; the run belongs to ``unit_id``."""
    spec = registry.get(kind)
    requester = getattr(requested_by, "id", requested_by)
    job_run = JobRun(kind=kind, params=dict(params or {}), period=period, unit_id=unit_id,
                     requested_by_id=requester, queue=queue or spec.queue, status=QUEUED)
    db.session.add(job_run)
    db.session.commit()
    _dispatch(job_run)
    return job_run


def retry(job_run: JobRun) -> JobRun:
    """Run a failed (or abandoned) run again, on the same queue."""
    if not retryable(job_run):
        raise NotRetryable(f"job {job_run.public_id} is {job_run.status}; only failed or "
                           "abandoned runs are retried")
    job_run.status, job_run.progress, job_run.message = QUEUED, 0, ""
    job_run.finished_at = None
    db.session.commit()
    _dispatch(job_run)
    return job_run


def retryable(job_run: JobRun) -> bool:
    return job_run.status == FAILED or (job_run.status in (QUEUED, RUNNING) and abandoned(job_run))


def _dispatch(job_run: JobRun) -> None:
    if in_process():
        from jobs.runner import execute

        execute(job_run.id, reraise=False)
        db.session.refresh(job_run)
        return
    from rq import Callback, Queue

    spec = registry.get(job_run.kind)
    job_run.rq_job_id = f"jobrun-{job_run.id}-{secrets.token_hex(6)}"
    db.session.commit()
    try:
        Queue(job_run.queue, connection=redis_connection()).enqueue(
            ENTRY_POINT, job_run.id, job_id=job_run.rq_job_id, job_timeout=spec.timeout,
            result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL,
            description=f"{job_run.kind} #{job_run.id} {job_run.period}".strip(),
            on_failure=Callback("jobs.runner.on_rq_failure"))
    except Exception as exc:  # noqa: BLE001 - Redis down: say so on the run
        log.error("job %s: could not reach the queue: %s", job_run.id, exc)
        job_run.status, job_run.finished_at = FAILED, utcnow()
        job_run.error = f"the queue could not be reached: {type(exc).__name__}: {exc}"
        job_run.message = "the queue could not be reached"
        db.session.commit()


def abandoned(job_run: JobRun) -> bool:
    """Queued or running in the database, but RQ says no worker will finish it: the
    RQ job is gone, failed or stopped, its heartbeat expired, or its worker (on this
    host) is dead. False in process mode and while a live worker has it."""
    if job_run.status not in (QUEUED, RUNNING) or in_process() or not job_run.rq_job_id:
        return False
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    connection = redis_connection()
    try:
        job = Job.fetch(job_run.rq_job_id, connection=connection)
    except NoSuchJobError:
        return True
    except RedisError as exc:  # no answer: nobody can tell, so not abandoned
        log.warning("job %s: could not ask the queue: %s", job_run.id, exc)
        return False
    status = job.get_status()
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        return True
    if status == JobStatus.FINISHED:
        return job_run.status != FINISHED  # the runner never wrote its end
    if status != JobStatus.STARTED:
        return False
    registry_ = job.started_job_registry
    if job.id in registry_.get_expired_job_ids(datetime.now(UTC).timestamp()):
        return True
    return _worker_dead(job, connection)


def _worker_dead(job, connection) -> bool:
    from rq import Worker

    if not job.worker_name:
        return False
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name,
                                connection=connection)
    if worker is None:
        return True
    if worker.hostname != socket.gethostname() or not worker.pid:
        return False  # another machine's worker: its heartbeat decides
    try:
        os.kill(worker.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
