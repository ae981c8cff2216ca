"""Tokens, passwords and throttling."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants import auth
from procuracy.tenants.models import ApiToken, User
from procuracy.tenants.scope import system_scope
from tests.conftest import PASSWORD

TOKEN = "/api/v1/auth/token"


def test_a_token_is_issued_for_the_right_password(client):
    r = client.post(TOKEN, json={"username": "prosecutor1@440105", "password": PASSWORD})
    assert r.status_code == 201
    assert set(r.get_json()) == {"token", "expires_at"}


def test_a_wrong_password_answers_401(client):
    r = client.post(TOKEN, json={"username": "prosecutor1@440105", "password": "nope"})
    assert r.status_code == 401


def test_an_unknown_account_answers_like_a_wrong_password(client):
    r = client.post(TOKEN, json={"username": "nobody@440105", "password": "nope"})
    assert r.status_code == 401


def test_a_malformed_token_request_answers_422_with_field_errors(client):
    r = client.post(TOKEN, json={"username": 5})
    assert r.status_code == 422
    assert set(r.get_json()["errors"]["json"]) == {"username", "password"}


def test_the_api_refuses_requests_without_a_token(client):
    assert client.get("/api/v1/me").status_code == 401


def test_a_revoked_token_stops_working(client, token_for):
    headers = token_for("chief1@440105")
    assert client.delete(TOKEN, headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_an_expired_token_stops_working(client, token_for):
    headers = token_for("chief1@440105")
    with system_scope("test: age the tokens"):
        db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_passwords_are_hashed_with_argon2id(app):
    with system_scope("test"):
        user = db.session.scalars(select(User).where(User.username == "clerk1@440105")).one()
    assert user.password_hash.startswith("$argon2id$")


def test_changing_the_password_revokes_the_users_tokens(client, token_for, as_user):
    headers = token_for("clerk1@440105")
    with as_user("clerk1@440105") as user:
        auth.change_password(user, PASSWORD, "Neues-Passwort-9")
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    r = client.post(TOKEN, json={"username": "clerk1@440105", "password": "Neues-Passwort-9"})
    assert r.status_code == 201


def test_changing_the_password_ends_the_other_sessions(app, as_user):
    with as_user("clerk1@440105") as user:
        session_id = user.get_id()
        assert auth.user_for_session(session_id) is not None
        auth.change_password(user, PASSWORD, "Neues-Passwort-9")
    assert auth.user_for_session(session_id) is None


@pytest.mark.parametrize("weak", ["short1!", "onlyletterslong", "1234567890123",
                                  "clerk1-is-my-password"])
def test_weak_passwords_are_refused(as_user, weak):
    with as_user("clerk1@440105") as user, pytest.raises(auth.PasswordRejected):
        auth.change_password(user, PASSWORD, weak)


def test_repeated_failures_for_one_account_are_throttled(client):
    body = {"username": "chief1@440106", "password": "wrong"}
    codes = [client.post(TOKEN, json=body).status_code for _ in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429


def test_ten_failures_lock_the_account_for_a_while(app):
    for _ in range(auth.LOCK_AFTER_FAILURES):
        assert auth.authenticate("deputy1@440106", "wrong") is None
    assert auth.authenticate("deputy1@440106", PASSWORD) is None  # locked, even when right


def test_me_describes_the_signed_in_user(client, token_for):
    me = client.get("/api/v1/me", headers=token_for("inspector1@440000")).get_json()
    assert me["unit"]["code"] == "440000"
    assert me["roles"] == ["inspector"]
    assert me["readable_units"] == 6  # the province, two cities, three districts
