"""Passwords, sign-in and bearer tokens (services; the views and API call these)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update

from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.common_passwords import is_common
from procuracy.tenants.models import ApiToken, User
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import system_scope

MIN_PASSWORD_LENGTH = 10
LOCK_AFTER_FAILURES = 10
LOCK_FOR = timedelta(minutes=15)


class PasswordRejected(ValueError):
    """A new password does not meet the rules."""


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(f"at least {MIN_PASSWORD_LENGTH} characters")
    if username and username.split("@")[0].lower() in password.lower():
        raise PasswordRejected("must not contain the user name")
    if password.isdigit() or password.isalpha():
        raise PasswordRejected("mix letters with digits or symbols")
    if is_common(password):
        raise PasswordRejected("too common")


def _aware(dt: datetime | None) -> datetime | None:
    from datetime import UTC

    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


def authenticate(username: str, password: str) -> User | None:
    """The user if the password is right and the account usable; counts failures."""
    with system_scope("sign-in"):
        user = db.session.scalars(select(User).where(User.username == username)).first()
        if user is None:
            _hasher().hash(password)  # same cost whether or not the account exists
            return None
        locked = _aware(user.locked_until)
        if not user.active or (locked and locked > utcnow()):
            return None
        try:
            _hasher().verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            if user.failed_logins >= LOCK_AFTER_FAILURES:
                user.locked_until = utcnow() + LOCK_FOR
                user.failed_logins = 0
            db.session.commit()
            return None
        if _hasher().check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.last_login_at = utcnow()
        db.session.commit()
        db.session.refresh(user)  # loaded while the system scope still holds
        return user


def is_locked(user: User) -> bool:
    locked = _aware(user.locked_until)
    return locked is not None and locked > utcnow()


def unlock(actor: User, user: User) -> None:
    """A unit administrator lifts the lock on an account of their own unit (the
    change to ``locked_until`` is on the audit trail like every write)."""
    if actor.unit_id != user.unit_id or not actor.has_role(Role.UNIT_ADMIN):
        raise PermissionError("only the unit's administrator may unlock its accounts")
    user.locked_until = None
    user.failed_logins = 0
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password; ends the user's other sessions and revokes their tokens."""
    try:
        _hasher().verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise PasswordRejected("the current password is wrong") from None
    check_password_rules(new, user.username)
    user.password_hash = hash_password(new)
    user.auth_epoch += 1
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id,
        token_hash=_digest(raw),
        expires_at=utcnow() + current_app.config["TOKEN_LIFETIME"],
    )
    db.session.add(record)
    db.session.commit()
    return raw, record


def revoke_token(raw: str) -> bool:
    with system_scope("revoking a token"):
        record = db.session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(raw)))
        token = record.first()
        if token is None or token.revoked_at is not None:
            return False
        token.revoked_at = utcnow()
        db.session.commit()
        return True


def user_for_token(raw: str) -> User | None:
    with system_scope("bearer token"):
        row = db.session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == _digest(raw), ApiToken.revoked_at.is_(None))
        ).first()
        if row is None:
            return None
        token, user = row
        if _aware(token.expires_at) <= utcnow() or not user.active:
            return None
        return user


def user_for_session(session_id: str) -> User | None:
    """flask-login's loader: ``"<id>.<epoch>"``; a stale epoch ends the session."""
    try:
        user_id, epoch = (int(part) for part in session_id.split("."))
    except ValueError:
        return None
    with system_scope("session sign-in"):
        user = db.session.get(User, user_id)
    if user is None or user.auth_epoch != epoch or not user.active:
        return None
    return user
