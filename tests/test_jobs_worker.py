"""Jobs through a real RQ worker against a real Redis (skipped when none answers).

The worker is ``rq worker -w jobs.runner.Worker --burst`` in a subprocess: it forks a
work horse per job, as in production. It cannot see the rolled-back test transaction,
so this module has a committed database of its own (a fresh SQLite file, or a fresh
PostgreSQL database with the application role under row-level security when
TEST_DATABASE_URL is set) whose URL reaches the worker through DATABASE_URL. Queue
names are unique to the run, so other workers on the same Redis are not involved.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from redis import Redis
from sqlalchemy import select

from procuracy import create_app, queue
from procuracy.config import test_overrides as overrides
from procuracy.extensions import db
from procuracy.oversight.job_models import FAILED, FINISHED, RUNNING, JobRun, ReportDocument
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope
from tests import pg
from tests.conftest import MIGRATIONS, WORLD

ROOT = Path(__file__).parents[1]
REDIS_URL = "redis://localhost:6379/0"
PREFIX = f"test-{uuid.uuid4().hex[:8]}"
DEFAULT_Q, PDF_Q = f"{PREFIX}-default", f"{PREFIX}-pdf"


def _redis_answers() -> bool:
    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means no Redis
        return False


pytestmark = pytest.mark.skipif(
    not _redis_answers(),
    reason=f"no Redis answers at {REDIS_URL}: jobs through a real worker are not tested "
           "(the in-process tests in test_jobs.py still run)")


@pytest.fixture(autouse=True)
def transaction():
    """Replaces conftest's rolled-back transaction: a worker must see committed rows."""
    default_sessions()
    yield None


def default_sessions() -> None:
    """SQLAlchemy's session defaults back: conftest's teardown leaves the factory with
    join_transaction_mode="conservative_savepoint", which SQLAlchemy refuses."""
    db.session.session_factory.configure(bind=None, join_transaction_mode="conditional_savepoint")


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    """(app, application database URL, report store) of this module's own database."""
    default_sessions()
    admin = os.environ.get("TEST_DATABASE_URL")
    tmp = tmp_path_factory.mktemp("worker")
    name = None
    if admin:
        name, owner_url, app_url = pg.create(admin)
    else:
        owner_url = app_url = f"sqlite:///{tmp / 'jobs.db'}"
    owner = create_app(overrides(owner_url))
    with owner.app_context():
        upgrade(directory=MIGRATIONS)
        if admin:
            from procuracy.rls import grant_statements

            with db.engine.begin() as conn:
                for statement in grant_statements(pg.APP):
                    conn.exec_driver_sql(statement)
        db.engine.dispose()
    store = tmp / "reports"
    app = create_app({**overrides(app_url), "REDIS_URL": REDIS_URL,
                      "REPORT_STORE": str(store)})
    with app.app_context():
        from procuracy.tenants.unit_io import import_units

        with system_scope("test: the worker's world"):
            import_units(WORLD)
        db.session.remove()
    try:
        yield app, app_url, store
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        forget_queues(Redis.from_url(REDIS_URL), PREFIX)
        if name:
            pg.drop(admin, name)


def forget_queues(connection: Redis, prefix: str) -> None:
    """Delete what this run left in Redis: its queues, registries, jobs and workers."""
    from rq import Queue

    job_ids: set[str] = set()
    for name in (f"{prefix}-default", f"{prefix}-pdf"):
        q = Queue(name, connection=connection)
        job_ids.update(q.get_job_ids())
        for registry in (q.started_job_registry, q.finished_job_registry,
                         q.failed_job_registry, q.canceled_job_registry):
            job_ids.update(registry.get_job_ids(cleanup=False))
    patterns = [f"rq:*{job_id}*" for job_id in job_ids] + [f"rq:*{prefix}*"]
    for pattern in patterns:
        for key in connection.scan_iter(pattern):
            connection.delete(key)
    connection.srem("rq:queues", *(f"rq:queue:{prefix}-{q}" for q in ("default", "pdf")))


def start_worker(app_url: str, store: Path, burst: bool = True) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": app_url, "REDIS_URL": REDIS_URL,
           "REPORT_STORE": str(store)}
    env.pop("TEST_DATABASE_URL", None)
    command = [sys.executable, "-m", "rq.cli", "worker", "-w", "jobs.runner.Worker",
               "--url", REDIS_URL, "--name", f"{PREFIX}-{uuid.uuid4().hex[:6]}",
               *(["--burst"] if burst else []), DEFAULT_Q, PDF_Q]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def run_worker(app_url: str, store: Path) -> str:
    worker = start_worker(app_url, store)
    out, _ = worker.communicate(timeout=180)
    assert worker.returncode == 0, out
    return out


def kill_with_children(pid: int) -> None:
    """SIGKILL the worker and its work horse (which runs in a process group of its own)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    for victim in (pid, *children):
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            pass


def units(*codes: str) -> list[int]:
    with system_scope("test: unit ids"):
        found = dict(db.session.execute(select(Unit.code, Unit.id)
                                        .where(Unit.code.in_(codes))).all())
    return [found[c] for c in codes]


def fetch(run_id: int) -> JobRun:
    db.session.remove()
    with system_scope("test: read a run"):
        return db.session.get(JobRun, run_id)


def test_worker_runs_the_jobs_and_the_database_records_them(committed):
    from rq.job import Job, JobStatus

    app, app_url, store = committed
    with app.app_context():
        province, haizhu = units("440000", "440105")
        with system_scope("test: enqueue"):
            noop = queue.enqueue("noop", params={"steps": 2}, unit_id=province, queue=DEFAULT_Q)
            reports = [queue.enqueue("sample_report", unit_id=haizhu, period="2026-10",
                                     queue=PDF_Q) for _ in range(2)]
            bad = queue.enqueue("noop", params={"fail": "坏了"}, unit_id=province, queue=DEFAULT_Q)
            ids = [noop.id, *(r.id for r in reports), bad.id]
            assert {r.status for r in (noop, *reports, bad)} == {"queued"}
        db.session.remove()
        run_worker(app_url, store)

        noop, first, second, bad = (fetch(i) for i in ids)
        assert (noop.status, noop.progress, noop.attempts) == (FINISHED, 100, 1)
        assert first.status == second.status == FINISHED, (first.error, second.error)
        assert first.result_document_id == second.result_document_id
        with system_scope("test: documents"):
            docs = list(db.session.scalars(select(ReportDocument).filter_by(
                unit_id=haizhu, kind="sample_report", period="2026-10")))
        assert len(docs) == 1 and docs[0].id == first.result_document_id
        assert (store / docs[0].sha256[:2] / f"{docs[0].sha256}.pdf").is_file()
        assert bad.status == FAILED and "DemoFailure: 坏了" in bad.error
        connection = Redis.from_url(REDIS_URL)
        assert Job.fetch(bad.rq_job_id, connection=connection).get_status() == JobStatus.FAILED
        assert Job.fetch(noop.rq_job_id, connection=connection).get_status() == JobStatus.FINISHED
        assert not queue.abandoned(noop) and queue.retryable(bad)


def test_a_run_killed_with_its_worker_can_be_run_again_and_completes(committed):
    app, app_url, store = committed
    with app.app_context():
        [province] = units("440000")
        with system_scope("test: enqueue"):
            run_id = queue.enqueue("noop", params={"seconds": 2, "steps": 20},
                                   unit_id=province, queue=DEFAULT_Q).id
        db.session.remove()
        worker = start_worker(app_url, store)
        deadline = time.monotonic() + 90
        while (run := fetch(run_id)).progress == 0:
            assert worker.poll() is None, worker.communicate()[0]
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.1)
        kill_with_children(worker.pid)
        worker.communicate(timeout=30)

        run = fetch(run_id)
        assert (run.status, run.attempts) == (RUNNING, 1) and run.progress < 100
        with system_scope("test: retry"):
            assert queue.abandoned(run)  # its worker is dead
            queue.retry(run)
        db.session.remove()
        run_worker(app_url, store)
        run = fetch(run_id)
        assert (run.status, run.attempts, run.progress) == (FINISHED, 2, 100)


def test_rq_failure_callback_marks_an_abandoned_run_failed(committed, monkeypatch):
    """RQ calls it when it finds a job whose worker died (AbandonedJobError)."""
    from types import SimpleNamespace

    from rq.exceptions import AbandonedJobError

    from jobs import runner

    app, _, _ = committed
    monkeypatch.setattr(runner, "_app", app)
    monkeypatch.setattr(runner, "_app_pid", os.getpid())
    with app.app_context():
        [province] = units("440000")
        with system_scope("test: a run left running"):
            run = JobRun(kind="noop", unit_id=province, queue=DEFAULT_Q, status=RUNNING,
                         rq_job_id="rq-1", attempts=1)
            db.session.add(run)
            db.session.commit()
            run_id = run.id
        db.session.remove()
    runner.on_rq_failure(SimpleNamespace(id="rq-1", args=(run_id,)), None, AbandonedJobError,
                         AbandonedJobError("moved to FailedJobRegistry"), None)
    with app.app_context():
        run = fetch(run_id)
        assert run.status == FAILED and "AbandonedJobError" in run.message
        assert queue.retryable(run)
