"""What every benchmark needs: the database it runs on, the app on top, acting as a user.

A PostgreSQL benchmark URL names an admin account (a superuser, e.g. ``postgres``)
and the bench database (``postgresql://postgres@localhost:5432/procuracy_bench``).
As in production and in tests/pg.py, the database belongs to ``procuracy_owner``,
which runs the migrations, and the app connects as ``procuracy_app``, which owns
nothing and cannot bypass row-level security. The admin account is used only to
create the database, to bulk-load (COPY, which a table under forced RLS accepts
from a superuser only) and as the no-RLS reference in the scope benchmark.
A SQLite URL is used for everything.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"  # git-ignored: SQLite databases, JSON results, plans
MIGRATIONS = str(ROOT / "migrations")
PASSWORD = "Bench-pass-2026"  # every demo account of a bench database
OWNER = "procuracy_owner"  # the same role names as tests/pg.py and production
APP = "procuracy_app"


@dataclass(frozen=True)
class Target:
    """One bench database and the URLs of the roles that use it."""

    url: str  # as given on the command line
    dialect: str  # "postgresql" or "sqlite"
    admin_url: str  # superuser (PostgreSQL) or the file itself (SQLite)
    owner_url: str
    app_url: str
    name: str  # database name or file path

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"

    def libpq(self, which: str = "app") -> str:
        """A URL for psycopg itself (no SQLAlchemy driver suffix)."""
        url = make_url(getattr(self, f"{which}_url"))
        return url.set(drivername="postgresql").render_as_string(hide_password=False)


def target_for(url: str) -> Target:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database:
            raise SystemExit("a SQLite bench database needs a file: sqlite:///bench/out/NAME.db")
        # Flask-SQLAlchemy reads a relative SQLite path from the instance folder: make it
        # absolute, relative to where the command runs.
        path = str(Path(parsed.database).resolve())
        absolute = parsed.set(database=path).render_as_string(hide_password=False)
        return Target(url, "sqlite", absolute, absolute, absolute, path)
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit(f"unsupported database: {parsed.get_backend_name()}")
    if not parsed.database or parsed.database == "postgres":
        raise SystemExit("name the bench database in the URL: postgresql://postgres@host/NAME")
    admin = parsed.set(drivername="postgresql+psycopg")
    base = admin.set(password=None)

    def render(u) -> str:
        return u.render_as_string(hide_password=False)

    return Target(url, "postgresql", render(admin), render(base.set(username=OWNER)),
                  render(base.set(username=APP)), parsed.database)


# ---------------------------------------------------------------- PostgreSQL set-up
def _ensure_role(conn: sa.Connection, name: str) -> None:
    """As tests/pg.py: a login role that is neither superuser nor exempt from RLS."""
    exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    if not exists.first():
        conn.exec_driver_sql(f'CREATE ROLE "{name}" LOGIN NOSUPERUSER NOBYPASSRLS')


def create_pg_database(target: Target, fresh: bool) -> bool:
    """Create the bench database owned by the owner role; True if it was created."""
    server = make_url(target.admin_url).set(database="postgres")
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            _ensure_role(conn, OWNER)
            _ensure_role(conn, APP)
            if fresh:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": target.name}).first()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{target.name}" OWNER "{OWNER}"')
            return not exists
    finally:
        engine.dispose()


def is_superuser(target: Target) -> bool:
    engine = sa.create_engine(target.admin_url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT rolsuper FROM pg_roles "
                                        "WHERE rolname = current_user").scalar() is True
    finally:
        engine.dispose()


# ---------------------------------------------------------------- the app
def app_config(url: str) -> dict:
    """The production configuration (argon2 cost included) on the bench database."""
    from procuracy.config import engine_options, normalise_db_url

    uri = normalise_db_url(url)
    return {
        "SQLALCHEMY_DATABASE_URI": uri,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(uri),
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
        "REDIS_URL": None,
    }


def make_app(url: str):
    from procuracy import create_app

    return create_app(app_config(url))


def migrate(target: Target) -> None:
    """Migrations as the owner; on PostgreSQL, then the app role's grants."""
    from flask_migrate import upgrade

    from procuracy.extensions import db
    from procuracy.rls import grant_statements

    owner_app = make_app(target.owner_url)
    with owner_app.app_context():
        upgrade(directory=MIGRATIONS)
        if target.postgres:
            with db.engine.begin() as conn:
                for statement in grant_statements(APP):
                    conn.exec_driver_sql(statement)
        db.engine.dispose()


# ---------------------------------------------------------------- acting as a user
def load_user(username: str):
    """The user row (with roles, unit and department loaded), read as the system."""
    from procuracy.extensions import db
    from procuracy.tenants.models import User
    from procuracy.tenants.scope import system_scope

    with system_scope("bench: load user"):
        return db.session.scalars(sa.select(User).where(User.username == username)).one()


@contextmanager
def as_user(username: str) -> Iterator:
    """As tests/conftest.py ``as_user``: the scope and audit actor of ``username``."""
    from procuracy.extensions import db
    from procuracy.tenants.audit import set_actor
    from procuracy.tenants.scope import acting_as, scope_for_user

    user = load_user(username)
    set_actor(db.session, user)
    with acting_as(db.session, scope_for_user(db.session, user)):
        yield user
