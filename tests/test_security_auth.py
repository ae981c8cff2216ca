"""Security hardening of sign-in (docs/SECURITY.md): throttling (in Redis when
``REDIS_URL`` is set), password rules, locked accounts, bearer-token expiry and
revocation, upload limits.

Headers, CSRF and cookies are in tests/test_security.py.
"""
from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from procuracy.config import build_config, read_settings
from procuracy.extensions import db, limiter
from procuracy.orm import utcnow
from procuracy.tenants import auth
from procuracy.tenants.models import ApiToken, User
from procuracy.tenants.scope import system_scope
from tests.conftest import PASSWORD
from tests.test_security import csrf_token, sign_in

TOKEN = "/api/v1/auth/token"
REDIS = "redis://localhost:6379/0"


def fail_sign_in(client, username: str) -> int:
    return client.post("/login", data={"username": username, "password": "Wrong-pass-1",
                                       "csrf_token": csrf_token(client)}).status_code


def _user(username: str) -> User:
    with system_scope("test: read the account"):
        return db.session.scalars(select(User).where(User.username == username)).one()


# ---------------------------------------------------------------- throttling
def test_the_limiter_keeps_its_counts_in_redis_when_redis_is_configured():
    assert build_config(read_settings({"REDIS_URL": REDIS}))["RATELIMIT_STORAGE_URI"] == REDIS
    assert build_config(read_settings({}))["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.fixture
def redis_limiter(app, monkeypatch):
    """The app's limiter on the Redis storage ``build_config`` picks for ``REDIS_URL``
    (the test app itself runs with memory storage); puts it back afterwards."""
    redis = pytest.importorskip("redis")
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    uri = build_config(read_settings({"REDIS_URL": REDIS}))["RATELIMIT_STORAGE_URI"]
    connection = redis.Redis.from_url(uri)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {uri}")
    storage = storage_from_string(uri)
    # Flask-Limiter keeps its storage on the (shared) extension object.
    monkeypatch.setattr(limiter, "_storage", storage)
    monkeypatch.setattr(limiter, "_limiter", FixedWindowRateLimiter(storage))
    probe = f"security-probe-{uuid.uuid4().hex}"
    yield connection, probe
    for key in connection.scan_iter(f"*{probe}*"):
        connection.delete(key)


def test_failed_sign_ins_are_counted_in_redis_and_throttled(client, redis_limiter):
    connection, probe = redis_limiter
    username = f"{probe}@440105"
    assert [fail_sign_in(client, username) for _ in range(5)] == [401] * 5
    assert fail_sign_in(client, username) == 429
    keys = [key.decode() for key in connection.scan_iter(f"*{probe}*")]
    assert keys and all("page-account" in key for key in keys)


def test_failed_sign_ins_from_one_address_are_throttled_across_accounts(app, client,
                                                                         monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "3 per minute")
    names = ["prosecutor1@440105", "chief1@440106", "clerk1@440305", "nobody@440105"]
    assert [fail_sign_in(client, name) for name in names] == [401, 401, 401, 429]
    r = client.post(TOKEN, json={"username": "chief1@440105", "password": "Wrong-pass-1"})
    assert r.status_code in (401, 429)  # the API's token endpoint has its own counter
    assert [client.post(TOKEN, json={"username": n, "password": "x"}).status_code
            for n in names[:3]][-1] == 429


# ---------------------------------------------------------------- password rules
@pytest.mark.parametrize(("password", "reason"), [
    ("Short-1!", f"at least {auth.MIN_PASSWORD_LENGTH} characters"),
    ("clerk1-Password-77", "must not contain the user name"),
    ("CLERK1!2026abc", "must not contain the user name"),
    ("abcdefghijkl", "mix letters with digits or symbols"),
    ("P@ssw0rd2026!", "too common"),
    ("Admin@123456", "too common"),
    ("woaini1314", "too common"),
    ("1qaz2wsx3edc", "too common"),
    ("Qwerty-2026!!", "too common"),
])
def test_weak_passwords_are_refused_with_their_reason(password, reason):
    with pytest.raises(auth.PasswordRejected, match=reason):
        auth.check_password_rules(password, "clerk1@440105")


@pytest.mark.parametrize("password", ["Test-pass-2026", "x9!Fk2#pLq", "海珠-检察-2026-夏"])
def test_reasonable_passwords_pass(password):
    auth.check_password_rules(password, "clerk1@440105")


def test_the_password_page_explains_a_common_password_in_chinese(client):
    sign_in(client, "clerk1@440105")
    r = client.post("/account/password", data={
        "current": PASSWORD, "new": "P@ssw0rd2026!", "repeat": "P@ssw0rd2026!",
        "csrf_token": csrf_token(client, "/account/password")})
    assert r.status_code == 422
    assert "过于常见" in r.get_data(as_text=True)


# ---------------------------------------------------------------- locked accounts
def test_an_account_locks_after_repeated_failures_and_says_nothing_about_it(client):
    for _ in range(auth.LOCK_AFTER_FAILURES):
        assert auth.authenticate("deputy1@440105", "Wrong-pass-1") is None
    assert _user("deputy1@440105").locked_until is not None
    # The right password now fails too, in the same words as a wrong one.
    r = client.post("/login", data={"username": "deputy1@440105", "password": PASSWORD,
                                    "csrf_token": csrf_token(client)})
    assert r.status_code == 401 and "用户名或密码错误" in r.get_data(as_text=True)
    assert client.post(TOKEN, json={"username": "deputy1@440105",
                                    "password": PASSWORD}).status_code == 401


def test_a_locked_account_opens_again_when_the_lock_expires(app):
    for _ in range(auth.LOCK_AFTER_FAILURES):
        auth.authenticate("deputy1@440106", "Wrong-pass-1")
    assert auth.authenticate("deputy1@440106", PASSWORD) is None
    with system_scope("test: let the lock run out"):
        db.session.execute(update(User).where(User.username == "deputy1@440106")
                           .values(locked_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert auth.authenticate("deputy1@440106", PASSWORD) is not None
    assert _user("deputy1@440106").failed_logins == 0


def test_a_success_resets_the_failure_count(app):
    for _ in range(auth.LOCK_AFTER_FAILURES - 1):
        auth.authenticate("assistant1@440105", "Wrong-pass-1")
    assert auth.authenticate("assistant1@440105", PASSWORD) is not None
    auth.authenticate("assistant1@440105", "Wrong-pass-1")
    assert auth.authenticate("assistant1@440105", PASSWORD) is not None  # not locked


def _lock(username: str) -> None:
    for _ in range(auth.LOCK_AFTER_FAILURES):
        auth.authenticate(username, "Wrong-pass-1")
    assert auth.is_locked(_user(username))


def test_the_units_administrator_sees_the_lock_and_lifts_it(app, client):
    from procuracy.tenants.audit import AuditEntry

    _lock("deputy1@440105")
    sign_in(client, "admin1@440105")
    body = client.get("/units/440105/users").get_data(as_text=True)
    assert "已锁定" in body and "/units/440105/users/deputy1@440105/unlock" in body
    r = client.post("/units/440105/users/deputy1@440105/unlock",
                    data={"csrf_token": csrf_token(client, "/units/440105/users")})
    assert r.status_code == 303
    assert not auth.is_locked(_user("deputy1@440105"))
    assert auth.authenticate("deputy1@440105", PASSWORD) is not None
    with system_scope("test: read the trail"):
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "User", AuditEntry.action == "update",
            AuditEntry.actor_name != "").order_by(AuditEntry.id.desc())).first()
    assert entry.detail == {"locked_until": None}
    assert entry.actor_id == _user("admin1@440105").id


@pytest.mark.parametrize(("who", "status"), [
    ("chief1@440105", 403),  # same unit, not its administrator
    ("admin1@440106", 404),  # another district's administrator cannot see the account
    ("admin1@440100", 404),  # nor the city's
])
def test_only_the_units_own_administrator_may_unlock(client, who, status):
    _lock("deputy1@440105")
    sign_in(client, who)
    r = client.post("/units/440105/users/deputy1@440105/unlock",
                    data={"csrf_token": csrf_token(client, "/")})
    assert r.status_code == status
    assert auth.is_locked(_user("deputy1@440105"))
    if status == 403:
        assert "/unlock" not in client.get("/units/440105/users").get_data(as_text=True)


# ---------------------------------------------------------------- bearer tokens
def test_tokens_are_stored_only_as_digests_and_expire_after_their_lifetime(app, client):
    r = client.post(TOKEN, json={"username": "chief1@440105", "password": PASSWORD})
    raw = r.get_json()["token"]
    with system_scope("test: read the tokens"):
        record = db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
    assert record.token_hash != raw and raw not in record.token_hash and len(raw) >= 40
    lifetime = record.expires_at - record.created_at
    assert abs(lifetime - app.config["TOKEN_LIFETIME"]) < timedelta(minutes=1)
    assert app.config["TOKEN_LIFETIME"] <= timedelta(hours=12)


def test_revoking_one_token_leaves_the_others_working(client):
    def token():
        r = client.post(TOKEN, json={"username": "chief1@440105", "password": PASSWORD})
        return {"Authorization": f"Bearer {r.get_json()['token']}"}

    first, second = token(), token()
    assert client.delete(TOKEN, headers=first).status_code == 204
    assert client.get("/api/v1/me", headers=first).status_code == 401
    assert client.delete(TOKEN, headers=first).status_code == 401  # already revoked
    assert client.get("/api/v1/me", headers=second).status_code == 200


def test_a_disabled_accounts_tokens_stop_working(client, token_for):
    headers = token_for("clerk1@440106")
    with system_scope("test: disable the account"):
        db.session.execute(update(User).where(User.username == "clerk1@440106")
                           .values(active=False))
        db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_role_taken_away_counts_from_the_next_request(client, token_for):
    """Nothing about permissions is kept in the token or the session: the scope is
    built from the database on every request."""
    from procuracy.tenants.models import UserRole

    headers = token_for("chief1@440105")
    assert client.get("/api/v1/units/440105/access-log", headers=headers).status_code == 200
    with system_scope("test: take the chief role away"):
        db.session.execute(delete(UserRole).where(
            UserRole.user_id == _user("chief1@440105").id, UserRole.role == "chief"))
        db.session.commit()
    assert client.get("/api/v1/units/440105/access-log", headers=headers).status_code == 404


def test_a_token_in_the_query_string_or_cookie_is_not_accepted(client, token_for):
    raw = token_for("chief1@440105")["Authorization"].split()[1]
    assert client.get(f"/api/v1/me?access_token={raw}").status_code == 401
    client.set_cookie("token", raw)
    assert client.get("/api/v1/me").status_code == 401


# ---------------------------------------------------------------- uploads
def test_a_request_over_the_size_limit_answers_413_with_a_clear_message(app, client,
                                                                        token_for,
                                                                        monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    body = {"doc_type": "起诉书", "file": (io.BytesIO(b"%PDF-1.7\n" + b"0" * 8192), "a.pdf")}
    r = client.post("/api/v1/cases/x/documents", headers=token_for("prosecutor1@440105"),
                    data=body, content_type="multipart/form-data")
    assert r.status_code == 413
    assert r.get_json()["message"] == "the request is larger than the limit of 4096 bytes"
    sign_in(client, "prosecutor1@440105")
    r = client.post("/cases/x/documents", data={
        "doc_type": "起诉书", "csrf_token": csrf_token(client, "/"),
        "file": (io.BytesIO(b"%PDF-1.7\n" + b"0" * 8192), "a.pdf")},
        content_type="multipart/form-data")
    assert r.status_code == 413
    assert "提交的内容过大：每次最多 4 KB。" in r.get_data(as_text=True)
