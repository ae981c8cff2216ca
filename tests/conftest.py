"""Fixtures: the app on a throw-away database (SQLite, or PostgreSQL when
TEST_DATABASE_URL names a server), a small seeded world, one rolled-back
transaction per test, and signed-in clients per role.

The world (tests/data/world_units.csv) is Guangdong 440000 with Guangzhou
440100 (Haizhu 440105, Tianhe 440106) and Shenzhen 440300 (Nanshan 440305), and
Guangxi 450000 with Nanning 450100 (Qingxiu 450103); every unit has the demo
accounts ROLE1@CODE with password PASSWORD, and each district two cases per
prosecutor.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from procuracy import create_app
from procuracy.config import test_overrides
from procuracy.extensions import db
from tests import pg

PASSWORD = "Test-pass-2026"
WORLD = Path(__file__).parent / "data" / "world_units.csv"
MIGRATIONS = str(Path(__file__).parents[1] / "migrations")


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if os.environ.get('TEST_DATABASE_URL') else 'SQLite'}"


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """(application URL, owner URL, dialect) of a fresh, migrated database."""
    admin = os.environ.get("TEST_DATABASE_URL")
    if not admin:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        yield url, url, "sqlite"
        return
    name, owner_url, app_url = pg.create(admin)
    try:
        yield app_url, owner_url, "postgresql"
    finally:
        pg.drop(admin, name)


@pytest.fixture(scope="session")
def app(database):
    app_url, owner_url, dialect = database
    owner_app = create_app(test_overrides(owner_url))
    with owner_app.app_context():
        upgrade(directory=MIGRATIONS)
        if dialect == "postgresql":
            from procuracy.rls import grant_statements

            with db.engine.begin() as conn:
                for statement in grant_statements(pg.APP):
                    conn.exec_driver_sql(statement)
        db.engine.dispose()
    app = create_app(test_overrides(app_url))
    app.config["DIALECT"] = dialect
    # Tests hold an app context, which Flask reuses for test-client requests; in
    # production every request gets a fresh one, so give each request a fresh ``g``.
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
    with app.app_context():
        from procuracy.tenants.seed import seed_demo

        seed_demo(PASSWORD, cases=0, units_file=WORLD)
        _seed_world_cases()
        db.session.remove()
    return app


def _fresh_g() -> None:
    from flask import g

    for name in list(vars(g)):
        delattr(g, name)


def _seed_world_cases() -> None:
    """Two cases per district prosecutor; an assistant on the first of each pair."""
    import random

    from procuracy.tenants.demo_cases import seed_cases
    from procuracy.tenants.scope import system_scope

    with system_scope("test world"):
        seed_cases(12, random.Random(7))
        db.session.commit()


@pytest.fixture(autouse=True)
def transaction(app):
    """Each test runs inside one outer transaction that is rolled back."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        db.session.remove()
        db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield connection
        finally:
            db.session.remove()
            db.session.configure(bind=None, join_transaction_mode="conditional_savepoint")
            outer.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    """Throttling counts live in memory for the whole run; each test starts afresh."""
    from procuracy.extensions import limiter

    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token_for(client):
    """``token_for("prosecutor1@440105")`` -> headers with a bearer token."""
    cache: dict[str, dict] = {}

    def issue(username: str) -> dict:
        if username not in cache:
            r = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
            assert r.status_code == 201, r.get_json()
            cache[username] = {"Authorization": f"Bearer {r.get_json()['token']}"}
        return cache[username]

    return issue


@pytest.fixture
def as_user(app):
    """Run service code as a user: ``with as_user("chief1@440105") as user: ...``."""
    from contextlib import contextmanager

    from procuracy.tenants.audit import set_actor
    from procuracy.tenants.models import User
    from procuracy.tenants.scope import acting_as, scope_for_user, system_scope

    @contextmanager
    def act(username: str):
        with system_scope("test: load user"):
            user = db.session.scalars(select(User).where(User.username == username)).one()
        set_actor(db.session, user)
        with acting_as(db.session, scope_for_user(db.session, user)):
            yield user

    return act


@pytest.fixture
def make_case(app):
    """``make_case("440105", handler="prosecutor1@440105", assistants=[...], major=True)``
    -> the new case's (id, public_id), written as the system inside the test transaction."""
    from datetime import date

    from procuracy.cases.models import Case, CaseParticipant
    from procuracy.tenants.models import Unit, User
    from procuracy.tenants.scope import system_scope

    counter = iter(range(1, 10_000))

    def make(unit_code: str, handler: str | None = None, assistants: tuple = (), **fields):
        with system_scope("test: make a case"):
            unit = db.session.scalars(select(Unit).where(Unit.code == unit_code)).one()
            people = {u.username: u for u in db.session.scalars(
                select(User).where(User.username.in_([handler, *assistants])))}
            lead = people.get(handler)
            values = dict(number=f"{unit.abbr}检测〔2026〕{next(counter)}号", title="测试案件",
                          kind_code="审查起诉", received_on=date(2026, 3, 1),
                          handler_id=lead.id if lead else None,
                          department_id=lead.department_id if lead else None)
            case = Case(unit_id=unit.id, **{**values, **fields})
            if lead:
                case.participants.append(
                    CaseParticipant(unit_id=unit.id, user_id=lead.id, role="handler"))
            for name in assistants:
                case.participants.append(
                    CaseParticipant(unit_id=unit.id, user_id=people[name].id, role="assistant"))
            db.session.add(case)
            db.session.commit()
            return case.id, case.public_id

    return make
