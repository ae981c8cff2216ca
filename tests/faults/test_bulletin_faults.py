"""The monthly bulletin run survives a killed worker and a restarted Redis: afterwards
every unit has its bulletin exactly once and no run is left queued or running.

The recovery is the scheduler's: ``jobs.schedule.catch_up`` (when it starts and every
hour) closes the runs no live worker will finish (``jobs.recovery``) and enqueues what
is missing; the test calls it where the scheduler would.
"""
from __future__ import annotations

import time

import pytest

from bench.load.world import create_database, drop_database
from tests.faults.bulletin_run import BulletinRun, kill_hard, say
from tests.faults.conftest import REDIS_URL
from tests.faults.services import wait_for


@pytest.fixture(scope="module")
def database(admin_url):
    """One seeded database for both tests (each starts the period afresh)."""
    made = create_database(admin_url, cases=200)
    try:
        yield made
    finally:
        drop_database(made)


@pytest.fixture
def bulletin_run(database, redis_server, tmp_path):
    run = BulletinRun(database, REDIS_URL, tmp_path / "reports", tmp_path / "workers.log")
    run.reset()
    app = run.make_app()
    context = app.app_context()
    context.push()
    try:
        yield run
    finally:
        run.stop_workers()
        from procuracy.extensions import db

        db.session.remove()
        db.engine.dispose()
        context.pop()


def assert_every_bulletin_once(run: BulletinRun) -> None:
    units = run.units()
    documents = run.documents()
    states = run.states()
    say(f"runs {dict(states)}; documents for {len(documents)} of {len(units)} units")
    assert sorted(documents) == sorted(units), "a unit without its bulletin"
    assert set(documents.values()) == {1}, "a unit with two bulletins"
    assert not states["queued"] and not states["running"]
    assert run.catch_up() == [], "catch-up still finds something missing"


def test_a_killed_worker_loses_no_bulletin(bulletin_run):
    run = bulletin_run
    worker = run.start_worker("fault-kill-1")
    created = run.fire()
    assert len(created) == len(run.units())
    victim = {}
    wait_for(lambda: victim.update(run.building(after=2) or {}) or victim,
             "a bulletin being built", 240)
    horses = kill_hard(worker)
    say(f"SIGKILL worker {worker.pid} and horse {horses} while run {victim['id']} was "
        f"building; runs {dict(run.states())}")

    run.start_worker("fault-kill-2")  # systemd (or the operator) starts a worker again
    again = run.catch_up()
    say(f"catch-up enqueued {again}")
    assert len(again) == 1, "the killed run is enqueued again, and only it"
    killed = next(r for r in run.runs() if r["id"] == victim["id"])
    assert killed["status"] == "failed" and killed["message"].startswith("abandoned")
    run.settle()
    assert_every_bulletin_once(run)


def test_a_redis_restart_loses_no_bulletin(bulletin_run, redis_server):
    run = bulletin_run
    worker = run.start_worker("fault-redis-1")
    created = run.fire()
    assert len(created) == len(run.units())
    wait_for(lambda: run.building(after=2), "a bulletin being built", 240)
    away = redis_server.restart()
    say(f"Redis restarted ({away:.1f} s away, every key lost) with runs {dict(run.states())}")

    # The worker either reconnects or exits; the process manager starts one if it exited.
    try:
        wait_for(lambda: worker.poll() is not None, "the worker to exit", 15)
        say(f"worker exited ({worker.returncode}): starting another")
        run.start_worker("fault-redis-2")
    except TimeoutError:
        say("the worker is still running")
    enqueued = recover(run)
    say(f"catch-up enqueued {enqueued} runs in all; the first worker "
        f"{'is still running' if worker.poll() is None else 'had exited'}")
    assert enqueued, "the runs lost with the queue are enqueued again"
    assert_every_bulletin_once(run)


def recover(run: BulletinRun, every: float = 10, timeout: float = 300) -> int:
    """The scheduler's catch-up (at its start, then hourly: here every ``every`` s) until
    nothing is queued or running; how many runs it enqueued."""
    enqueued, deadline = 0, time.monotonic() + timeout
    while True:
        new = run.catch_up()
        enqueued += len(new)
        if new:
            say(f"catch-up enqueued {len(new)}; runs {dict(run.states())}")
        try:
            run.settle(timeout=every)
            return enqueued
        except TimeoutError:
            if time.monotonic() > deadline:
                raise
