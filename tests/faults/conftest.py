"""Fault tests (``make faults``): they restart the machine's PostgreSQL and Redis and kill
workers, so they run only with ``FAULTS=1`` and when both servers answer.

The servers: PostgreSQL at ``FAULTS_PG_ADMIN_URL`` (else what scripts/pg_admin_url.sh
finds on localhost:5432), a local Debian cluster the tests may restart; Redis at
``FAULTS_REDIS_URL`` (default ``redis://localhost:6379/7``; a restart empties every
database of that server). Each test makes a throw-away database of its own with the
demo province (``bench/load/world.py``, as ``make load`` does) and puts the servers
back in service when it ends, passed or failed.

These tests need no test world: the suite's autouse fixtures (an app on the test
database, one rolled-back transaction per test) are replaced by ones that do nothing.
"""
from __future__ import annotations

import os

import pytest

from tests.faults.services import Postgres, Redis

REDIS_URL = os.environ.get("FAULTS_REDIS_URL", "redis://localhost:6379/7")


def _admin_url() -> str:
    from bench.load.world import admin_url

    return os.environ.get("FAULTS_PG_ADMIN_URL") or admin_url()


def why_not() -> str | None:
    """Why the fault tests cannot run here, or None."""
    if os.environ.get("FAULTS") != "1":
        return "fault tests restart machine services: run them with FAULTS=1 (make faults)"
    admin = _admin_url()
    if not admin:
        return "no PostgreSQL answers (set FAULTS_PG_ADMIN_URL)"
    if Postgres.serving(admin) is None:
        return f"no local PostgreSQL cluster to restart behind {admin}"
    if not Redis(REDIS_URL).ready():
        return f"no Redis answers at {REDIS_URL}"
    return None


def pytest_collection_modifyitems(config, items):
    reason = None
    for item in items:
        if "tests/faults/" in item.nodeid:
            reason = reason or why_not() or "runs"
            if reason != "runs":
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def transaction():
    """(Replaces the suite's: these tests use databases of their own.)"""
    yield


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """(Replaces the suite's.)"""


@pytest.fixture(scope="session")
def admin_url() -> str:
    return _admin_url()


@pytest.fixture
def postgres(admin_url):
    """The cluster behind the admin URL; running again after the test."""
    server = Postgres.serving(admin_url)
    try:
        yield server
    finally:
        server.ensure_running()


@pytest.fixture
def redis_server():
    """The Redis server of ``FAULTS_REDIS_URL``, its settings remembered; running again
    after the test (with the same settings), and this test's database emptied."""
    server = Redis(REDIS_URL)
    server.remember()
    server.client().flushdb()
    try:
        yield server
    finally:
        server.ensure_running()
        server.client().flushdb()
