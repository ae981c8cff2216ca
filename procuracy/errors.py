"""Error answers: JSON under /api, pages elsewhere. Out of scope is 404, never 403."""
from __future__ import annotations

import sqlalchemy.exc
from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, NotFound

from procuracy.extensions import api, db
from procuracy.tenants.scope import OutOfScope, WriteOutOfScope


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _answer(code: int, message: str):
    db.session.rollback()
    if _wants_json():
        return make_response(jsonify({"code": code, "status": message}), code)
    return make_response(render_template("errors.html", code=code, message=message), code)


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

    @app.errorhandler(PermissionError)
    def _not_allowed(exc):
        # The object is visible, but this role may not do that to it.
        return _answer(403, str(exc) or "not allowed")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if _wants_json():
            db.session.rollback()
            return api.handle_http_exception(exc)  # {"code", "status", "errors"/"message"}
        response = _answer(exc.code or 500, exc.description or exc.name)
        if exc.code == 429:
            response.headers.setdefault("Retry-After", "60")
        return response
