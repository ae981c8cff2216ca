"""Runs that a lost worker left behind: telling them apart from live ones, and closing them.

A worker killed mid-job leaves its ``JobRun`` queued or running; RQ marks its job
failed only when a later worker's clean-up notices (and a run executed in process by a
web process that died is never marked at all). Until then the scheduler would take the
run for work in progress and never build that unit's bulletin. A run is abandoned when

- it has been running longer than its kind's timeout in ``jobs.registry`` and a
  margin: RQ kills a work horse at the timeout, so nothing is still working on it; or,
  in process (where a run starts as soon as it is recorded), it has not changed for
  that long; or
- with Redis, RQ says no worker will finish it: its job is missing, failed, stopped or
  canceled, its heartbeat expired, or its worker is dead (``procuracy.queue.abandoned``).

``close_abandoned`` marks such runs failed with the error "abandoned: worker lost" (so
the failed-jobs page on /jobs shows them, with a retry button) and says which are still
alive. Runs inside the app context, under a system scope.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from jobs import registry
from procuracy.extensions import db
from procuracy.orm import utcnow

log = logging.getLogger(__name__)

ABANDONED = "abandoned: worker lost"
MARGIN = timedelta(minutes=2)  # past the kind's timeout: RQ's own clean-up goes first


def _timeout(kind: str) -> timedelta:
    """The kind's timeout; for a kind no longer registered, the longest there is."""
    spec = registry.KINDS.get(kind)
    return timedelta(seconds=spec.timeout if spec else max(
        k.timeout for k in registry.KINDS.values()))


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds()) // 60


def why_abandoned(run, now: datetime | None = None) -> str | None:
    """Why nothing will finish ``run`` any more, or None while something may."""
    from procuracy import queue
    from procuracy.oversight.job_models import QUEUED, RUNNING

    if run.status not in (QUEUED, RUNNING):
        return None
    now = now or utcnow()
    limit = _timeout(run.kind) + MARGIN
    if run.status == RUNNING and run.started_at and now - run.started_at > limit:
        return (f"running since {run.started_at:%Y-%m-%d %H:%M} UTC, longer than the "
                f"{run.kind} timeout of {_minutes(_timeout(run.kind))} minutes")
    if queue.in_process():
        since = run.updated_at or run.created_at  # queued (or retried) then, or last progress
        if since and now - since > limit:
            return (f"{run.status} in process since {since:%Y-%m-%d %H:%M} UTC, longer than "
                    f"the {run.kind} timeout of {_minutes(_timeout(run.kind))} minutes")
        return None
    if queue.abandoned(run):
        return f"the queue has no live worker for its RQ job {run.rq_job_id}"
    return None


def close_abandoned(runs) -> tuple[list, list]:
    """(alive, closed): ``runs`` (queued or running) split; the abandoned ones are marked
    failed and committed."""
    from procuracy.oversight.job_models import FAILED

    now = utcnow()
    alive, closed = [], []
    for run in runs:
        reason = why_abandoned(run, now)
        if reason is None:
            alive.append(run)
            continue
        run.status, run.finished_at, run.message = FAILED, now, ABANDONED
        run.error = (f"{ABANDONED}: {reason}. The scheduler enqueues the work again; "
                     "retrying this run does the same.")
        closed.append(run)
        log.warning("job %s (%s %s): %s: %s", run.id, run.kind, run.period, ABANDONED, reason)
    if closed:
        db.session.commit()
    return alive, closed
