"""A monthly bulletin run for the fault tests: a seeded throw-away database, the app on it
with Redis, real ``rq worker -w jobs.runner.Worker`` processes, and what the database
says about the run (as ``bench/bulletin_run_proof.py`` watches it).

The run covers Foshan's tree only (``bench.bulletins.targets_only``: Foshan and its five
districts, six bulletins) so each test takes a minute or two, not the four minutes of
the whole province's 159 with one worker.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench.load.world import BIN, ROOT, Database
from tests.faults.services import wait_for

KIND = "monthly_bulletin"
PERIOD = "2026-10"
ONLY = "440600"  # Foshan's tree


@dataclass
class BulletinRun:
    database: Database
    redis_url: str
    store: Path
    log: Path
    app: object = None
    workers: list[subprocess.Popen] = field(default_factory=list)

    # ------------------------------------------------------------ the app and workers
    def make_app(self):
        from bench.common import app_config
        from procuracy import create_app

        self.app = create_app({**app_config(self.database.app_url),
                               "REDIS_URL": self.redis_url, "REPORT_STORE": str(self.store)})
        return self.app

    def start_worker(self, name: str) -> subprocess.Popen:
        """A worker as the README starts it; returns once it listens on its queues."""
        env = dict(os.environ, DATABASE_URL=self.database.app_url, REDIS_URL=self.redis_url,
                   REPORT_STORE=str(self.store), PYTHONPATH=str(ROOT))
        env.pop("JOBS_IN_PROCESS", None)
        worker = subprocess.Popen(
            [str(BIN / "rq"), "worker", "-w", "jobs.runner.Worker", "--url", self.redis_url,
             "-n", name, "pdf", "default"], cwd=ROOT, env=env,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        self.workers.append(worker)
        wait_for(lambda: self._listening(name) or worker.poll() is not None,
                 f"worker {name} to listen", 90)
        assert worker.poll() is None, f"worker {name} exited; see {self.log}"
        return worker

    def _listening(self, name: str) -> bool:
        from redis import Redis
        from redis.exceptions import RedisError
        from rq import Worker

        try:
            return any(w.name == name for w in Worker.all(connection=Redis.from_url(
                self.redis_url)))
        except RedisError:
            return False

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    def reset(self) -> None:
        """Forget the period's bulletins and runs (as the admin, under no RLS)."""
        import psycopg

        with psycopg.connect(self.database.libpq("admin")) as conn:
            args = (KIND, PERIOD)
            conn.execute("UPDATE job_runs SET result_document_id = NULL "
                         "WHERE kind = %s AND period = %s", args)
            conn.execute("DELETE FROM report_documents WHERE kind = %s AND period = %s", args)
            conn.execute("DELETE FROM job_runs WHERE kind = %s AND period = %s", args)

    # ------------------------------------------------------------ the schedule
    def units(self) -> list[int]:
        from bench.bulletins import targets_only
        from jobs import schedule
        from procuracy.tenants.scope import system_scope

        with targets_only(ONLY), system_scope("fault test: units"):
            return schedule.target_units(schedule.schedule_named("monthly-bulletins"))

    def fire(self) -> list[int]:
        """What the scheduler's monthly firing does (``fan_out``), for Guangzhou's tree."""
        from bench.bulletins import at_for, fan_out_now, targets_only

        with targets_only(ONLY):
            return fan_out_now(at_for(PERIOD))

    def catch_up(self) -> list[int]:
        """What the scheduler runs when it starts and every hour."""
        from bench.bulletins import at_for, targets_only
        from jobs.schedule import catch_up

        with targets_only(ONLY):
            return catch_up(at_for(PERIOD))

    # ------------------------------------------------------------ what the database says
    def runs(self) -> list[dict]:
        from procuracy.extensions import db
        from procuracy.oversight.job_models import JobRun
        from procuracy.tenants.scope import system_scope

        db.session.remove()
        with system_scope("fault test: runs"):
            return [{"id": r.id, "unit_id": r.unit_id, "status": r.status,
                     "progress": r.progress, "message": r.message, "rq_job_id": r.rq_job_id}
                    for r in db.session.scalars(sa.select(JobRun).where(
                        JobRun.kind == KIND, JobRun.period == PERIOD).order_by(JobRun.id))]

    def states(self) -> Counter:
        return Counter(r["status"] for r in self.runs())

    def documents(self) -> Counter:
        """unit id -> how many bulletins of the period it has (the unique key says 1)."""
        import psycopg

        with psycopg.connect(self.database.libpq("admin")) as conn:
            return Counter(r[0] for r in conn.execute(
                "SELECT unit_id FROM report_documents WHERE kind = %s AND period = %s",
                (KIND, PERIOD)))

    def building(self, after: int) -> dict | None:
        """A run being rendered once ``after`` runs have finished."""
        runs = self.runs()
        if sum(r["status"] == "finished" for r in runs) < after:
            return None
        return next((r for r in runs if r["status"] == "running" and r["progress"] >= 30),
                    None)

    def settle(self, timeout: float = 300) -> None:
        """Until nothing is queued or running."""
        wait_for(lambda: not (self.states()["queued"] + self.states()["running"]),
                 "the bulletin runs to settle", timeout)


def work_horses(worker: subprocess.Popen) -> list[int]:
    try:
        text = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def kill_hard(worker: subprocess.Popen) -> list[int]:
    """SIGKILL a worker and its work horse (as the OOM killer would)."""
    horses = work_horses(worker)
    for pid in [*horses, worker.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    worker.wait()
    return horses


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)
