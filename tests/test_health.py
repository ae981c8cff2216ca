"""``GET /healthz``, what nginx, a load balancer or monitoring asks (docs/DEPLOY.md):
200 when the database and the queue answer, 503 when either does not, no sign-in."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError

from procuracy.extensions import db


def test_healthz_answers_200_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["database"] == "error: OperationalError"


def test_healthz_answers_503_when_redis_does_not(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["queue"].startswith("error: ")


def test_healthz_checks_the_queue_when_redis_is_configured(app, client, monkeypatch):
    pinged = []

    class FakeRedis:
        @classmethod
        def from_url(cls, url, **kwargs):
            pinged.append((url, kwargs.get("socket_connect_timeout")))
            return cls()

        def ping(self):
            return True

    monkeypatch.setitem(app.config, "REDIS_URL", "redis://redis.internal:6379/0")
    monkeypatch.setattr("redis.Redis", FakeRedis)
    body = client.get("/healthz").get_json()
    assert body == {"database": "ok", "queue": "ok", "status": "ok"}
    assert pinged == [("redis://redis.internal:6379/0", 1)]  # a short timeout: never hangs

