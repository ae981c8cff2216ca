"""The known ways around an ORM tenant filter, each of which must fail closed."""
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm.exc import ObjectDeletedError

from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.models import User
from procuracy.tenants.scope import (
    NoScope,
    UnscopedQuery,
    WriteOutOfScope,
    current_scope,
    set_scope,
    system_scope,
)


def _pg(app):
    if app.config["DIALECT"] != "postgresql":
        pytest.skip("row-level security exists on PostgreSQL only")


def test_object_already_in_the_session_is_not_returned_out_of_scope(as_user, make_case):
    tianhe, _ = make_case("440106", handler="prosecutor1@440106")
    with system_scope("test: warm the identity map"):
        assert db.session.get(Case, tianhe) is not None  # now in the identity map
    with as_user("prosecutor1@440105"):
        assert db.session.get(Case, tianhe) is None


def test_expired_object_cannot_be_refreshed_out_of_scope(as_user, make_case):
    tianhe, _ = make_case("440106", handler="prosecutor1@440106")
    with system_scope("test: load"):
        case = db.session.get(Case, tianhe)
    db.session.expire(case)
    with as_user("prosecutor1@440105"), pytest.raises(ObjectDeletedError):
        _ = case.title


def test_text_sql_over_unit_owned_tables_is_refused_under_a_user_scope(as_user):
    with as_user("chief1@440105"), pytest.raises(UnscopedQuery):
        db.session.execute(text("SELECT id, unit_id FROM cases")).all()


def test_core_select_of_a_unit_owned_table_is_refused_under_a_user_scope(as_user):
    with as_user("chief1@440105"), pytest.raises(UnscopedQuery):
        db.session.execute(select(Case.__table__)).all()


def test_a_query_with_no_scope_at_all_fails_closed(app):
    set_scope(db.session, None)
    assert current_scope(db.session) is None
    with pytest.raises(NoScope):
        db.session.scalars(select(Case)).all()
    with pytest.raises(NoScope):
        db.session.execute(text("SELECT * FROM users")).all()
    with pytest.raises(NoScope):
        db.session.execute(select(User.__table__)).all()


def test_a_background_job_without_a_user_fails_closed(app):
    """A job that forgets to say system_scope() gets an error, not every unit's rows."""
    def forgetful_job():
        with app.app_context():
            db.session.remove()
            return db.session.scalars(select(Case)).all()

    with pytest.raises(NoScope):
        forgetful_job()


def test_system_scope_sees_every_unit_and_says_why(app):
    with system_scope("test: a job over all units") as scope:
        units = set(db.session.scalars(select(Case.unit_id).distinct()))
    assert scope.reason == "test: a job over all units"
    assert len(units) > 1


def test_writing_outside_the_own_unit_is_refused(as_user, make_case):
    haizhu, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("inspector1@440000"):
        case = db.session.get(Case, haizhu)
        assert case is not None  # the province reads it ...
        case.title = "篡改"
        with pytest.raises(WriteOutOfScope):  # ... but may not write it
            db.session.flush()
    db.session.rollback()


def test_raw_sql_on_the_applications_connection_returns_only_in_scope_rows(app, as_user,
                                                                          make_case):
    _pg(app)
    make_case("440105", handler="prosecutor1@440105")
    make_case("440106", handler="prosecutor1@440106")
    with as_user("chief1@440105"):
        units = {r[0] for r in db.session.connection().exec_driver_sql(
            "SELECT DISTINCT u.code FROM cases c JOIN units u ON u.id = c.unit_id")}
    assert units == {"440105"}


def test_raw_sql_with_no_scope_set_sees_no_rows(app, make_case):
    _pg(app)
    make_case("440105", handler="prosecutor1@440105")
    set_scope(db.session, None)
    count = db.session.connection().exec_driver_sql("SELECT count(*) FROM cases").scalar()
    assert count == 0


def test_row_level_security_refuses_a_write_into_another_unit(app, as_user):
    _pg(app)
    import sqlalchemy.exc

    with as_user("inspector1@440000"):
        conn = db.session.connection()
        updated = conn.exec_driver_sql(
            "UPDATE users SET full_name = 'x' WHERE username = 'prosecutor1@440105' "
            "RETURNING id").all()
        assert updated == []  # the row is outside the write policy: nothing changes
        haizhu = conn.exec_driver_sql("SELECT id FROM units WHERE code = '440105'").scalar()
        with pytest.raises(sqlalchemy.exc.ProgrammingError, match="row-level security"):
            conn.exec_driver_sql(
                f"INSERT INTO departments (unit_id, name, kind) VALUES ({haizhu}, 'x', 'x')")
    db.session.rollback()


def test_the_application_role_cannot_bypass_row_level_security(app):
    _pg(app)
    row = db.session.connection().exec_driver_sql(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user").one()
    assert tuple(row) == (False, False)
    owner = db.session.connection().exec_driver_sql(
        "SELECT tableowner FROM pg_tables WHERE tablename = 'cases'").scalar()
    assert owner != db.session.connection().exec_driver_sql("SELECT current_user").scalar()
