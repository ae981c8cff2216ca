"""While the database is unreachable (a restart, a failover) a request answers 503 with
Retry-After, not 500: asking again shortly works (tests/faults restarts PostgreSQL under
load). A statement the database refused is still a server error."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.exc import OperationalError, PendingRollbackError


def _answer(app, error: Exception, path: str):
    with app.test_request_context(path):
        return app.handle_user_exception(error)


@pytest.mark.parametrize("path", ["/cases", "/api/v1/me"])
def test_an_unreachable_database_answers_503_with_retry_after(app, path):
    refused = psycopg.OperationalError("connection failed: Connection refused")
    response = _answer(app, OperationalError("SELECT 1", {}, refused), path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


def test_a_database_shutting_down_answers_503(app):
    shutdown = psycopg.errors.AdminShutdown("terminating connection due to administrator command")
    response = _answer(app, OperationalError("SELECT 1", {}, shutdown), "/cases")
    assert response.status_code == 503


def test_a_refused_statement_is_not_mistaken_for_an_outage(app):
    deadlock = psycopg.errors.DeadlockDetected("deadlock detected")
    with pytest.raises(OperationalError):
        _answer(app, OperationalError("UPDATE cases", {}, deadlock), "/cases")


def _refused() -> OperationalError:
    return OperationalError("SELECT 1", {}, psycopg.OperationalError(
        "connection failed: Connection refused"))


def test_a_later_statement_noticing_the_outage_answers_503(app):
    pending = PendingRollbackError("Can't reconnect until invalid transaction is rolled back")
    pending.__context__ = _refused()  # raised while handling the lost connection
    assert _answer(app, pending, "/cases").status_code == 503


def test_a_statement_on_a_connection_invalidated_earlier_answers_503(app):
    """The lost connection was met (and logged) by code that carried on."""
    pending = PendingRollbackError("Can't reconnect until invalid transaction is rolled "
                                   "back.  Please rollback() fully before proceeding")
    assert _answer(app, pending, "/cases").status_code == 503


def test_a_pending_rollback_after_another_error_stays_a_server_error(app):
    with pytest.raises(PendingRollbackError):
        _answer(app, PendingRollbackError("after an IntegrityError"), "/cases")


def test_the_503_page_needs_no_database(app, monkeypatch):
    def layout_reads_the_database(*_args, **_kwargs):
        raise _refused()

    monkeypatch.setattr("procuracy.errors.render_template", layout_reads_the_database)
    response = _answer(app, _refused(), "/cases")
    assert response.status_code == 503 and b"unavailable" in response.get_data()


def test_a_connection_cut_mid_request_does_not_fail_the_teardown(app, monkeypatch):
    """Closing a session whose connection the server terminated cannot roll back: the
    session is invalidated instead, and the answer already made stands."""
    from procuracy.database import _discard_session
    from procuracy.extensions import db

    def cut(*_args, **_kwargs):
        raise OperationalError("ROLLBACK", {}, psycopg.errors.AdminShutdown(
            "terminating connection due to administrator command"))

    invalidated = []
    with app.app_context(), monkeypatch.context() as patch:
        session = db.session()
        patch.setattr(db.session, "remove", cut)
        patch.setattr(session, "invalidate", lambda: invalidated.append(True))
        _discard_session()
    assert invalidated == [True]
