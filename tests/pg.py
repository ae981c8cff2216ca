"""A throw-away PostgreSQL database for one test run, with the roles production uses:
an owner that runs the migrations and an application role under row-level security."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.engine import make_url

OWNER = "procuracy_owner"
APP = "procuracy_app"
ROLES_LOCK = 7_240_105  # an advisory lock key: setting up the roles


def _ensure_role(conn, name: str) -> None:
    exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    if not exists:
        conn.exec_driver_sql(f'CREATE ROLE "{name}" LOGIN NOSUPERUSER NOBYPASSRLS')


def create(admin_url: str) -> tuple[str, str, str]:
    """(database name, owner URL, application URL) of a fresh database."""
    url = make_url(admin_url).set(drivername="postgresql+psycopg")
    name = f"procuracy_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        # Several runs (pytest-xdist workers) may set the shared roles up at once: one at a
        # time, or PostgreSQL answers "tuple concurrently updated" to the second ALTER ROLE.
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({ROLES_LOCK})")
        try:
            _ensure_role(conn, OWNER)
            _ensure_role(conn, APP)
            from procuracy.rls import role_settings

            for statement in role_settings(APP):
                conn.exec_driver_sql(statement)
        finally:
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({ROLES_LOCK})")
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" OWNER "{OWNER}"')
        # A throw-away database: a commit need not wait for the disk.
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    engine.dispose()
    base = url.set(database=name, password=None)
    return (name, base.set(username=OWNER).render_as_string(hide_password=False),
            base.set(username=APP).render_as_string(hide_password=False))


def drop(admin_url: str, name: str) -> None:
    url = make_url(admin_url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()
