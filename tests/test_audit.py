"""The audit trail: every write and every cross-unit read, append-only, hash-chained."""
import pytest
import sqlalchemy.exc
from sqlalchemy import select, text

from procuracy.extensions import db
from procuracy.tenants.audit import AuditEntry, verify_chain
from procuracy.tenants.models import Unit, User
from procuracy.tenants.scope import system_scope


def _unit_id(code):
    with system_scope("test"):
        return db.session.scalars(select(Unit.id).where(Unit.code == code)).one()


def _entries(unit_code, **where):
    with system_scope("test: read the trail"):
        q = select(AuditEntry).where(AuditEntry.unit_id == _unit_id(unit_code))
        for key, value in where.items():
            q = q.where(getattr(AuditEntry, key) == value)
        return db.session.scalars(q.order_by(AuditEntry.seq)).all()


def test_a_write_is_recorded_with_its_actor_and_changed_fields(as_user):
    with as_user("admin1@440105") as admin:
        user = db.session.scalars(select(User).where(User.username == "clerk1@440105")).one()
        user.full_name = "李新名"
        db.session.commit()
        actor_id = admin.id
    entry = _entries("440105", action="update", object_type="User")[-1]
    assert entry.actor_id == actor_id
    assert entry.detail == {"full_name": "李新名"}


def test_secrets_are_not_copied_into_the_trail(as_user):
    with as_user("admin1@440105"):
        user = db.session.scalars(select(User).where(User.username == "clerk1@440105")).one()
        user.password_hash = "$argon2id$changed"
        user.full_name = "改名"
        db.session.commit()
    entry = _entries("440105", action="update", object_type="User")[-1]
    assert "password_hash" not in entry.detail


def test_every_chain_verifies_after_writes(as_user):
    with as_user("admin1@440105"):
        user = db.session.scalars(select(User).where(User.username == "clerk2@440105")).one()
        user.full_name = "再改"
        db.session.commit()
    with system_scope("test: verify"):
        assert verify_chain(db.session, _unit_id("440105")) is None


def test_the_trail_is_append_only(app):
    entry = _entries("440105")[0]
    with system_scope("test: try to rewrite history"):
        with pytest.raises(sqlalchemy.exc.DBAPIError):
            db.session.connection().exec_driver_sql(
                f"UPDATE audit_entries SET action = 'x' WHERE id = {entry.id}")
    db.session.rollback()
    with system_scope("test"), pytest.raises(sqlalchemy.exc.DBAPIError):
        db.session.connection().exec_driver_sql(f"DELETE FROM audit_entries WHERE id = {entry.id}")
    db.session.rollback()


def test_verification_names_the_first_tampered_entry(app):
    if app.config["DIALECT"] != "sqlite":
        pytest.skip("on PostgreSQL the application role cannot even disable the trigger")
    entries = _entries("440105")
    victim = entries[len(entries) // 2]
    with system_scope("test: tamper"):
        conn = db.session.connection()
        conn.execute(text("DROP TRIGGER audit_entries_no_update"))
        conn.execute(text("UPDATE audit_entries SET actor_name = 'someone else' WHERE id = :i"),
                     {"i": victim.id})
        problem = verify_chain(db.session, _unit_id("440105"))
    assert problem is not None
    assert (problem.seq, problem.entry_id) == (victim.seq, victim.id)
    assert "hash" in problem.reason


def test_verify_command_reports_intact_chains(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--unit", "440105"])
    assert result.exit_code == 0, result.output
    assert "1 chains intact" in result.output


def test_a_provincial_read_of_a_district_lands_in_the_districts_access_log(client, token_for):
    inspector = token_for("inspector1@440000")
    assert client.get("/api/v1/units/440105/users", headers=inspector).status_code == 200
    log = client.get("/api/v1/units/440105/access-log", headers=token_for("chief1@440105"))
    assert log.status_code == 200
    reads = [e for e in log.get_json() if e["actor_unit_code"] == "440000"]
    assert reads and reads[0]["right"] == "supervision"
    assert "inspector1@440000" in reads[0]["actor_name"]
    assert reads[0]["where"] == "GET /api/v1/units/440105/users"


def test_reading_the_own_unit_is_not_logged_as_a_cross_unit_read(client, token_for):
    before = len(_entries("440105", action="read"))
    client.get("/api/v1/units/440105/users", headers=token_for("chief1@440105"))
    assert len(_entries("440105", action="read")) == before


def test_a_prosecutor_cannot_list_who_read_the_unit(client, token_for):
    r = client.get("/api/v1/units/440105/access-log", headers=token_for("prosecutor1@440105"))
    assert r.status_code == 404


def test_a_sibling_cannot_list_another_units_access_log(client, token_for):
    r = client.get("/api/v1/units/440105/access-log", headers=token_for("chief1@440106"))
    assert r.status_code == 404
