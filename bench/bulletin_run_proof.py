"""Proof of issue 5's first "Done when", on the bench database with a real Redis and
real ``rq worker -w jobs.runner.Worker`` processes:

1. the scheduled monthly run (``jobs.schedule.fan_out`` of "monthly-bulletins", what
   ``fire`` does in the scheduler) builds one bulletin per unit: ReportDocument rows =
   units, one per unit;
2. killing the worker and its work horse (SIGKILL) while bulletins are building, then
   starting a worker again: the queued rest is finished by the new worker; the run
   that was killed stays "running" in the database until RQ's registry clean-up (which a
   worker runs when it starts and every 10 minutes, once the job's heartbeat, 90 s, has
   expired) calls ``jobs.runner.on_rq_failure``, which marks it failed; then
   ``jobs.schedule.catch_up`` (the scheduler runs it when it starts and every hour)
   enqueues it again, since its document is missing. The quicker operator step, the
   retry button on /jobs (``procuracy.queue.retry``), is offered as soon as
   ``procuracy.queue.abandoned`` sees the worker dead: it is printed, not pressed;
3. firing the schedule again changes nothing: same rows, same hashes, nothing rebuilt.

    python -m bench.bulletin_run_proof --database-url postgresql://postgres@localhost/procuracy_bench \\
        [--only 440100] [--kill-after 3]

It deletes the period's bulletins and runs first, and flushes Redis db 5 only.
"""
from __future__ import annotations

import argparse
import os
import signal
import time
from collections import Counter

import sqlalchemy as sa

from bench.bulletins import (
    KIND,
    OUT,
    REDIS_URL,
    at_for,
    bench_app,
    children,
    fan_out_now,
    load,
    reset,
    runs,
    start_worker,
    targets_only,
    worker_env,
)

HEARTBEAT_TTL = 90  # rq: job_monitoring_interval (30 s) + 60 s


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def documents(period: str) -> dict[int, tuple]:
    """unit id -> (document id, sha256, data hash, built_at) of the period's bulletins."""
    from procuracy.extensions import db
    from procuracy.oversight.job_models import ReportDocument
    from procuracy.tenants.scope import system_scope

    db.session.remove()
    with system_scope("proof: documents"):
        rows = db.session.scalars(sa.select(ReportDocument).where(
            ReportDocument.kind == KIND, ReportDocument.period == period)).all()
        out: dict[int, tuple] = {}
        for d in rows:
            assert d.unit_id not in out, f"two bulletins for unit {d.unit_id}"
            out[d.unit_id] = (d.id, d.sha256, d.data_hash, d.built_at)
        return out


def states(period: str) -> Counter:
    return Counter(r["status"] for r in runs(period))


def wait_until(test, what: str, timeout: float = 3600) -> None:
    t0 = time.monotonic()
    while not test():
        if time.monotonic() - t0 > timeout:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.5)


def running_run(period: str, after: int) -> dict | None:
    """A run that is rendering (progress past gathering) once ``after`` have finished."""
    from procuracy.extensions import db
    from procuracy.oversight.job_models import JobRun
    from procuracy.tenants.scope import system_scope

    if states(period)["finished"] < after:
        return None
    with system_scope("proof: running"):
        run = db.session.scalars(sa.select(JobRun).where(
            JobRun.kind == KIND, JobRun.period == period, JobRun.status == "running",
            JobRun.progress >= 30)).first()
        return {"id": run.id, "unit_id": run.unit_id, "rq_job_id": run.rq_job_id} if run else None


def prove(url: str, period: str, only: str | None, kill_after: int) -> None:
    from jobs import schedule
    from jobs.schedule import catch_up
    from procuracy import queue
    from procuracy.extensions import db
    from procuracy.oversight.job_models import JobRun
    from procuracy.tenants.scope import system_scope

    os.environ.update({k: v for k, v in worker_env(url).items()
                       if k in ("DATABASE_URL", "REDIS_URL", "REPORT_STORE")})
    app = bench_app(url, redis=True)
    log = OUT / "bulletin-proof-workers.log"
    log.write_bytes(b"")
    say(f"load average {load()}; resetting {KIND} {period} and Redis db 5")
    reset(url, period)
    with app.app_context(), targets_only(only):
        with system_scope("proof: units"):
            units = schedule.target_units(schedule.schedule_named("monthly-bulletins"))
        covered = "every unit" if only is None else f"{only}'s tree"
        say(f"units to cover: {len(units)} ({covered})")

        # ---- 1. the scheduled run, killed mid-way
        worker = start_worker(url, "proof-1", log)
        time.sleep(8)
        created = fan_out_now(at_for(period))
        say(f"fan_out enqueued {len(created)} runs; worker pid {worker.pid}")
        victim: dict | None = None

        def building() -> bool:
            nonlocal victim
            victim = running_run(period, kill_after)
            return victim is not None

        wait_until(building, "a bulletin being built")
        horses = children(worker.pid)
        for pid in horses + [worker.pid]:
            os.kill(pid, signal.SIGKILL)
        worker.wait()
        killed_at = time.monotonic()
        say(f"SIGKILL worker {worker.pid} and horse {horses} while run {victim['id']} "
            f"(unit {victim['unit_id']}) was building; runs: {dict(states(period))}; "
            f"documents: {len(documents(period))}")
        with system_scope("proof: abandoned"):
            run = db.session.get(JobRun, victim["id"])
            say(f"run {run.id}: status {run.status}, abandoned() = {queue.abandoned(run)}, "
                f"retryable() = {queue.retryable(run)} (the retry button on /jobs)")
        say(f"catch_up() right after the kill enqueues {len(catch_up(at_for(period)))} runs "
            "(every unit is queued or running)")

        # ---- 2. a worker again: the rest
        worker = start_worker(url, "proof-2", log)
        wait_until(lambda: states(period)["queued"] == 0, "the queue to drain")
        say(f"worker {worker.pid} started again and drained the queue: runs "
            f"{dict(states(period))}; documents: {len(documents(period))}")
        say(f"catch_up() now enqueues {len(catch_up(at_for(period)))} runs "
            f"(the killed run is still 'running' in the database)")
        # RQ's clean-up, as the worker runs it at its start and every 10 minutes, once
        # the killed job's heartbeat has expired.
        time.sleep(max(0.0, HEARTBEAT_TTL + 5 - (time.monotonic() - killed_at)))
        from redis import Redis
        from rq import Queue
        from rq.registry import clean_registries

        for name in ("pdf", "default"):
            clean_registries(Queue(name, connection=Redis.from_url(REDIS_URL)))
        db.session.remove()
        with system_scope("proof: after clean-up"):
            run = db.session.get(JobRun, victim["id"])
            say(f"after RQ's registry clean-up: run {run.id} is {run.status}: "
                f"{run.message!r}")
        again = catch_up(at_for(period))
        say(f"catch_up() (the scheduler's start / hourly) enqueues {len(again)} run(s): {again}")
        wait_until(lambda: states(period)["queued"] + states(period)["running"] == 0,
                   "the caught-up run")
        first = documents(period)
        per_unit = Counter(r["unit_id"] for r in runs(period))
        say(f"runs: {dict(states(period))}; documents {len(first)} for {len(units)} units; "
            f"every unit has one: {sorted(first) == sorted(units)}; units with more than one "
            f"run: {sorted(u for u, n in per_unit.items() if n > 1)}")

        # ---- 3. fire again: nothing changes
        t0 = time.perf_counter()
        rerun = fan_out_now(at_for(period))
        wait_until(lambda: states(period)["queued"] + states(period)["running"] == 0,
                   "the second firing")
        second = documents(period)
        say(f"second firing: {len(rerun)} runs in {time.perf_counter() - t0:.1f} s; "
            f"documents {len(second)}; identical rows, hashes and built_at: {first == second}")
        say(f"catch_up() after that enqueues {len(catch_up(at_for(period)))} runs")
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=120)
    say(f"load average {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--only", help="one unit's tree (code) instead of every unit")
    parser.add_argument("--kill-after", type=int, default=3,
                        help="kill once this many bulletins are built")
    args = parser.parse_args()
    prove(args.database_url, args.period, args.only, args.kill_after)


if __name__ == "__main__":
    main()
