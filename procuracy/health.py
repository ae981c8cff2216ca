"""``GET /healthz``: the state of the database and the queue, as JSON."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from procuracy.extensions import db, limiter

bp = Blueprint("health", __name__)


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        return f"error: {type(exc).__name__}"
    finally:
        db.session.rollback()


def _queue() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "in-process"
    try:
        from redis import Redis

        Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"


@bp.get("/healthz")
@limiter.exempt
def healthz():
    body = {"database": _database(), "queue": _queue()}
    healthy = body["database"] == "ok" and not body["queue"].startswith("error")
    body["status"] = "ok" if healthy else "degraded"
    return jsonify(body), 200 if healthy else 503
