"""Configuration comes from the environment, once; production needs a real secret."""
import pytest

from procuracy.config import ConfigError, build_config, read_settings


def test_production_refuses_to_start_without_a_real_secret_key():
    with pytest.raises(ConfigError):
        build_config(read_settings({"APP_ENV": "production", "SECRET_KEY": "dev"}))
    with pytest.raises(ConfigError):
        build_config(read_settings({"APP_ENV": "production"}))


def test_production_with_a_random_key_starts_with_secure_cookies():
    cfg = build_config(read_settings({"APP_ENV": "production", "SECRET_KEY": "k" * 40}))
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["SESSION_COOKIE_HTTPONLY"]


def test_the_shared_stores_come_from_the_environment_or_default_under_instance():
    cfg = build_config(read_settings({"REPORT_STORE": "/srv/reports",
                                      "DOCUMENT_STORE": "/srv/documents"}))
    assert (cfg["REPORT_STORE"], cfg["DOCUMENT_STORE"]) == ("/srv/reports", "/srv/documents")
    unset = build_config(read_settings({}))
    assert unset["REPORT_STORE"] is None and unset["DOCUMENT_STORE"] is None


def test_postgres_urls_use_psycopg3():
    cfg = build_config(read_settings({"DATABASE_URL": "postgresql://u@h/db"}))
    assert cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(app):
    if app.config["DIALECT"] != "sqlite":
        pytest.skip("SQLite only")
    from procuracy.extensions import db

    conn = db.session.connection()
    assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
