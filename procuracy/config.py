"""Configuration, read from the environment once when the app is created.

``Config.from_env()`` is the only place that reads ``os.environ``. Production
(``APP_ENV=production``) refuses to start without a real ``SECRET_KEY``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

INSECURE_KEYS = {"", "dev", "change-me", "secret", "dev-not-for-production"}
# Message catalogues, relative to the package: the shared one and one per area.
TRANSLATION_DIRECTORIES = ("translations", "cases/translations", "appraisal/translations",
                           "appraisal/review_translations", "oversight/translations",
                           "oversight/monitoring_translations",
                           "oversight/dashboard_translations")
DEFAULT_SQLITE = "sqlite:///" + str(Path("instance").absolute() / "procuracy.db")


class ConfigError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


@dataclass
class Settings:
    """The handful of values that come from the environment."""

    env: str
    database_url: str
    redis_url: str | None
    secret_key: str
    trusted_proxies: int = 0  # reverse proxies in front (nginx: 1); see procuracy/security.py
    # Folders shared by every web and worker process (default: under instance/).
    report_store: str | None = None  # built PDFs
    document_store: str | None = None  # uploaded case documents


def read_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    return Settings(
        env=env.get("APP_ENV", "development"),
        database_url=env.get("DATABASE_URL") or DEFAULT_SQLITE,
        redis_url=env.get("REDIS_URL") or None,
        secret_key=env.get("SECRET_KEY", ""),
        trusted_proxies=_count(env.get("TRUSTED_PROXIES", "0"), "TRUSTED_PROXIES"),
        report_store=env.get("REPORT_STORE") or None,
        document_store=env.get("DOCUMENT_STORE") or None,
    )


def _count(value: str, name: str) -> int:
    try:
        number = int(value or 0)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ConfigError(f"{name} must not be negative")
    return number


def normalise_db_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def build_config(settings: Settings) -> dict:
    """Turn settings into Flask config keys; refuse unsafe production settings."""
    production = settings.env == "production"
    if production and (settings.secret_key in INSECURE_KEYS or len(settings.secret_key) < 32):
        raise ConfigError(
            "APP_ENV=production needs SECRET_KEY: a random value of at least 32 characters"
        )
    uri = normalise_db_url(settings.database_url)
    return {
        "APP_ENV": settings.env,
        "SECRET_KEY": settings.secret_key or "dev-not-for-production",
        "SQLALCHEMY_DATABASE_URI": uri,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(uri),
        "REDIS_URL": settings.redis_url,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "TRUSTED_PROXIES": settings.trusted_proxies,
        "REPORT_STORE": settings.report_store,
        "DOCUMENT_STORE": settings.document_store,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=10),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        # One catalogue per area (relative to the package), merged by Flask-Babel, so
        # each area's pages keep their own messages.po.
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(TRANSLATION_DIRECTORIES),
        "LANGUAGES": ["zh_CN", "en"],
        "API_TITLE": "Procuracy API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "RATELIMIT_STORAGE_URI": settings.redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ADDRESS": "30 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute",
        "TOKEN_LIFETIME": timedelta(hours=12),
        # argon2id parameters (memory-hard); tests lower them for speed.
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 64 * 1024,
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
        "SCOPE_AUDIT_READS": True,
    }


def engine_options(uri: str) -> dict:
    if uri.startswith("sqlite"):
        return {"connect_args": {"timeout": 15, "check_same_thread": False}}
    return {"pool_pre_ping": True}


def test_overrides(database_url: str) -> dict:
    """Settings for the test suite: fast hashing, no CSRF noise in API tests."""
    uri = normalise_db_url(database_url)
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(uri),
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8 * 1024,
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
        "REDIS_URL": None,
    }
