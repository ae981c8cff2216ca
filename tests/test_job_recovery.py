"""Runs a lost worker left behind: the scheduler's catch-up does not wait for them.

A run left queued or running is abandoned when it has run (or, in process, waited)
longer than its kind's timeout, or when RQ says no worker will finish it; catch-up
then marks it failed with "abandoned: worker lost" (it shows on /jobs with a retry
button) and enqueues the unit's bulletin again. A run still within its time, or whose
RQ job waits in its queue, is left alone. In process unless noted; the RQ cases use a
real Redis (skipped when none answers) and a queue no worker listens to.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from redis import Redis
from sqlalchemy import select

from jobs import registry
from jobs.recovery import ABANDONED
from jobs.registry import JobKind
from jobs.schedule import LOCAL, catch_up
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.oversight.job_models import FAILED, FINISHED, QUEUED, RUNNING, JobRun
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope

AFTER = datetime(2026, 11, 1, 4, 0, tzinfo=LOCAL)  # catch-up builds October's bulletins
PERIOD = "2026-10"
TIMEOUT = 60 * 60
REDIS_URL = "redis://localhost:6379/0"


@pytest.fixture
def bulletin_kind(monkeypatch):
    """The monthly bulletin as a row-only fake (tests.test_jobs.fake_bulletin), 1 h timeout."""
    monkeypatch.setitem(registry.KINDS, "monthly_bulletin",
                        JobKind("tests.test_jobs.fake_bulletin", "pdf", TIMEOUT, report=True))


def unit_id(code: str) -> int:
    with system_scope("test: unit id"):
        return db.session.scalars(select(Unit.id).where(Unit.code == code)).one()


def left_behind(code: str, status: str, ago: timedelta, rq_job_id: str | None = None) -> int:
    """A bulletin run of ``code`` for October, queued or started ``ago``, as a killed
    worker leaves it; its id."""
    when = utcnow() - ago
    with system_scope("test: a run left behind"):
        run = JobRun(kind="monthly_bulletin", unit_id=unit_id(code), period=PERIOD,
                     queue="pdf", status=status, attempts=int(status == RUNNING),
                     started_at=when if status == RUNNING else None, created_at=when,
                     updated_at=when,
                     rq_job_id=rq_job_id, params={"schedule": "monthly-bulletins"})
        db.session.add(run)
        db.session.commit()
        return run.id


def run_of(run_id: int) -> JobRun:
    with system_scope("test: a run"):
        return db.session.get(JobRun, run_id)


def new_runs_of(code: str, created: list[int]) -> list[JobRun]:
    with system_scope("test: new runs"):
        return list(db.session.scalars(select(JobRun).where(
            JobRun.id.in_(created), JobRun.unit_id == unit_id(code))))


# ---------------------------------------------------------------- by the clock
def test_a_run_past_its_kinds_timeout_is_failed_as_abandoned_and_built_again(app,
                                                                             bulletin_kind):
    stuck = left_behind("440105", RUNNING, timedelta(hours=2))
    created = catch_up(AFTER)
    run = run_of(stuck)
    assert (run.status, run.message) == (FAILED, ABANDONED)
    assert run.error.startswith("abandoned: worker lost: running since")
    assert "timeout of 60 minutes" in run.error and run.finished_at is not None
    [again] = new_runs_of("440105", created)
    assert (again.status, again.period) == (FINISHED, PERIOD) and again.result_document_id
    assert catch_up(AFTER) == []  # built now: nothing more to do


def test_a_run_within_its_timeout_is_still_being_built(app, bulletin_kind):
    busy = left_behind("440105", RUNNING, timedelta(minutes=20))
    created = catch_up(AFTER)
    assert new_runs_of("440105", created) == []
    assert new_runs_of("440106", created)  # the others are built
    assert run_of(busy).status == RUNNING


def test_a_run_queued_in_process_for_longer_than_its_timeout_is_abandoned(app, bulletin_kind):
    """In process a run starts as soon as it is recorded: one still queued an hour
    later belonged to a web process that died in between."""
    lost = left_behind("440105", QUEUED, timedelta(hours=1, minutes=5))
    fresh = left_behind("440106", QUEUED, timedelta(minutes=1))
    created = catch_up(AFTER)
    assert (run_of(lost).status, run_of(lost).message) == (FAILED, ABANDONED)
    assert len(new_runs_of("440105", created)) == 1
    assert run_of(fresh).status == QUEUED and new_runs_of("440106", created) == []


def test_the_abandoned_run_is_on_the_failed_jobs_page_with_a_retry_button(client, app,
                                                                          bulletin_kind):
    from tests.test_pages import page, sign_in

    stuck = left_behind("440105", RUNNING, timedelta(hours=3))
    catch_up(AFTER)
    public_id = run_of(stuck).public_id
    sign_in(client, "casemanager1@440105")
    body = page(client.get("/jobs"))
    failed = body[body.index("失败的任务"):]  # the failed-jobs table
    assert ABANDONED in failed and f"/jobs/{public_id}/retry" in failed


# ---------------------------------------------------------------- by RQ
def _redis_answers() -> bool:
    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means no Redis
        return False


@pytest.fixture
def with_redis(app, monkeypatch):
    """Jobs go to Redis, the bulletins to a queue of this test's own that no worker
    reads (emptied afterwards); yields that queue."""
    if not _redis_answers():
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    from rq import Queue

    name = f"test-recovery-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(registry.KINDS, "monthly_bulletin",
                        JobKind("tests.test_jobs.fake_bulletin", name, TIMEOUT, report=True))
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    queue = Queue(name, connection=Redis.from_url(REDIS_URL))
    yield queue
    for registry_ in (queue.started_job_registry, queue.failed_job_registry):
        for job_id in registry_.get_job_ids():
            registry_.remove(job_id, delete_job=True)
    queue.delete(delete_jobs=True)


def test_a_run_whose_rq_job_is_gone_is_abandoned_and_enqueued_again(app, with_redis):
    lost = left_behind("440105", RUNNING, timedelta(minutes=5), rq_job_id="jobrun-gone-0")
    created = catch_up(AFTER)
    run = run_of(lost)
    assert (run.status, run.message) == (FAILED, ABANDONED)
    assert "no live worker for its RQ job jobrun-gone-0" in run.error
    [again] = new_runs_of("440105", created)
    assert again.status == QUEUED and again.rq_job_id in with_redis.get_job_ids()


def test_a_run_whose_rq_job_waits_in_its_queue_is_left_alone(app, with_redis):
    waiting = with_redis.enqueue("jobs.runner.run", 0, job_id=f"jobrun-wait-{uuid.uuid4().hex}")
    queued = left_behind("440105", QUEUED, timedelta(hours=2), rq_job_id=waiting.id)
    created = catch_up(AFTER)
    assert run_of(queued).status == QUEUED  # a worker will take it: the queue is its proof
    assert new_runs_of("440105", created) == [] and new_runs_of("440106", created)
