"""Engine set-up: SQLite pragmas, the full model registry, the scope hooks."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from procuracy.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite's own transaction handling never emits BEGIN for SQLAlchemy's
    # begin(), which breaks SAVEPOINT: take it over (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def import_models() -> None:
    """Every model module, so the scope knows every unit-owned table."""
    import procuracy.appraisal.review_models  # noqa: F401
    import procuracy.appraisal.rule_models  # noqa: F401
    import procuracy.appraisal.score_models  # noqa: F401
    import procuracy.cases.assignment_models  # noqa: F401
    import procuracy.cases.catalogue_models  # noqa: F401
    import procuracy.cases.decision_models  # noqa: F401
    import procuracy.cases.models  # noqa: F401
    import procuracy.oversight.job_models  # noqa: F401
    import procuracy.oversight.ledger_models  # noqa: F401
    import procuracy.oversight.monitoring_models  # noqa: F401
    import procuracy.tenants.audit  # noqa: F401
    import procuracy.tenants.crossreview  # noqa: F401
    import procuracy.tenants.models  # noqa: F401
    import procuracy.tenants.power_models  # noqa: F401


def _discard_session(_exc: BaseException | None = None) -> None:
    """End the request's session; when the database cut the connection mid-request (a
    restart), closing it cannot roll back: invalidate it instead, so the answer already
    made is not turned into a 500 and the pool reconnects. (Runs before
    Flask-SQLAlchemy's own ``remove``, which then finds nothing left to do.)"""
    try:
        db.session.remove()
    except SQLAlchemyError:
        try:
            db.session.registry().invalidate()
        except SQLAlchemyError:
            pass
        db.session.registry.clear()


def configure(app: Flask) -> None:
    app.teardown_appcontext(_discard_session)
    import_models()
    from procuracy.tenants import scope

    scope.install()
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(
            engine, "connect", _sqlite_pragmas
        ):
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
