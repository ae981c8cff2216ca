"""Who is asking: resolve the principal of each request and install its scope.

Web pages sign in with a session cookie (flask-login); the API takes only bearer
tokens, which is why the API blueprint is exempt from CSRF.
"""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, g, request
from flask_login import current_user

from procuracy.extensions import db, login_manager
from procuracy.tenants.audit import flush_reads, set_actor
from procuracy.tenants.auth import user_for_session, user_for_token
from procuracy.tenants.scope import ANONYMOUS, scope_for_user, set_scope


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _resolve_user():
    if request.path.startswith("/api/"):
        token = bearer_token()
        return user_for_token(token) if token else None
    return current_user._get_current_object() if current_user.is_authenticated else None


def establish_scope() -> None:
    user = _resolve_user()
    if user is None:
        g.user = None
        set_scope(db.session, ANONYMOUS)
        return
    become(user)


def become(user) -> None:
    """From here on this request acts as ``user`` (after sign-in, too)."""
    g.user = user
    set_actor(db.session, user)
    set_scope(db.session, scope_for_user(db.session, user))


def record_reads(response):
    if getattr(g, "user", None) is not None and response.status_code < 500:
        flush_reads(db.session, where=f"{request.method} {request.path}")
    return response


def require_user(view):
    """401 for the API when no valid bearer token came with the request."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if getattr(g, "user", None) is None:
            abort(401, description="a valid bearer token is required")
        return view(*args, **kwargs)

    return wrapper


def register(app: Flask) -> None:
    login_manager.user_loader(user_for_session)
    login_manager.login_view = "tenants.login"
    login_manager.session_protection = "strong"
    app.before_request(establish_scope)
    app.after_request(record_reads)
