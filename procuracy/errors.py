"""Error answers: JSON under /api, pages elsewhere. Out of scope is 404, never 403."""
from __future__ import annotations

from http import HTTPStatus

import sqlalchemy.exc
from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge

from procuracy.extensions import api, db
from procuracy.tenants.scope import OutOfScope, WriteOutOfScope


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _answer(code: int, message: str):
    db.session.rollback()
    if _wants_json():
        # The shape flask-smorest gives its own errors: the status's name and a message.
        return make_response(jsonify({"code": code, "status": HTTPStatus(code).phrase,
                                      "message": message}), code)
    return make_response(render_template("errors.html", code=code, message=message), code)


def _unreachable(exc: sqlalchemy.exc.OperationalError) -> bool:
    """PostgreSQL could not be reached or cut the session: a connection error with no
    SQLSTATE (refused, reset), class 08 (connection exception) or 57P (shut down, not
    accepting connections yet). Not a statement the database refused."""
    state = getattr(exc.orig, "sqlstate", False)  # psycopg's errors carry one; sqlite3's not
    return state is None or (isinstance(state, str) and state.startswith(("08", "57P")))


def _outage(exc: BaseException) -> bool:
    """``exc``, or an error it arose from, is the database being out of reach; or a
    statement after one met a connection SQLAlchemy had invalidated for it."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, sqlalchemy.exc.OperationalError) and (
                exc.connection_invalidated or _unreachable(exc)):
            return True
        if isinstance(exc, sqlalchemy.exc.PendingRollbackError) and str(exc).startswith(
                "Can't reconnect until invalid transaction is rolled back"):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


UNAVAILABLE = "the database is unavailable for a moment: try again"


def _unavailable():
    """503 with Retry-After; the page without anything that needs the database."""
    try:
        response = _answer(503, UNAVAILABLE)
    except sqlalchemy.exc.SQLAlchemyError:  # the error page's layout reads the database
        try:
            db.session.rollback()
        except sqlalchemy.exc.SQLAlchemyError:
            pass
        response = make_response(f"<!doctype html><title>503</title><p>{UNAVAILABLE}</p>",
                                 503)
    response.headers["Retry-After"] = "5"
    return response


def register(app: Flask) -> None:
    @app.errorhandler(OutOfScope)
    def _out_of_scope(_exc):
        return _answer(404, NotFound.description)

    @app.errorhandler(WriteOutOfScope)
    def _read_only(_exc):
        return _answer(403, "read-only: you may write only in your own unit")

    @app.errorhandler(UnicodeError)
    @app.errorhandler(OverflowError)
    @app.errorhandler(sqlalchemy.exc.StatementError)
    def _unusable_input(exc):
        # A lone surrogate, a NUL byte, a number or date beyond what the database
        # holds: the input is bad, not the server. Other database errors stay 500s.
        cause = getattr(exc, "orig", exc)
        unusable = (UnicodeError, OverflowError)
        if not (isinstance(exc, (sqlalchemy.exc.DataError, *unusable))
                or isinstance(cause, unusable)):
            raise exc
        return _answer(422, "the input holds characters or values that cannot be stored")

    @app.errorhandler(sqlalchemy.exc.OperationalError)
    @app.errorhandler(sqlalchemy.exc.PendingRollbackError)
    def _database_unavailable(exc):
        # The database cannot be reached or dropped the connection (a restart, a
        # failover), perhaps noticed by a later statement of the same request: the
        # transaction was rolled back, and the pool's pre-ping replaces the broken
        # connections, so asking again shortly works (tests/faults).
        if not _outage(exc):
            if isinstance(exc, sqlalchemy.exc.OperationalError):
                return _unusable_input(exc)
            raise exc
        return _unavailable()

    @app.errorhandler(PermissionError)
    def _not_allowed(exc):
        # The object is visible, but this role may not do that to it.
        return _answer(403, str(exc) or "not allowed")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if _wants_json():
            db.session.rollback()
            if isinstance(exc, RequestEntityTooLarge) and not getattr(exc, "data", None):
                limit = current_app.config.get("MAX_CONTENT_LENGTH")
                exc.data = {"message": f"the request is larger than the limit of {limit} bytes"}
            return api.handle_http_exception(exc)  # {"code", "status", "errors"/"message"}
        response = _answer(exc.code or 500, exc.description or exc.name)
        if exc.code == 429:
            response.headers.setdefault("Retry-After", "60")
        return response
