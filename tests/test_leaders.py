"""Leaders' own case handling: handled only with their own decisive steps,
possibly nominal (挂名) otherwise; shares per leader and unit; read down the tree."""
from datetime import date

import pytest
from sqlalchemy import event, select

from procuracy.cases import leaders
from procuracy.cases.models import Case
from procuracy.cases.timeline import add_step
from procuracy.extensions import db
from procuracy.tenants.models import User
from procuracy.tenants.scope import system_scope
from procuracy.tenants.units import by_code

MARCH = date(2026, 3, 1)


def _row(report, username):
    return next(r for r in report["leaders"] if r["user"] == username)


def _report(as_user, reader, unit="440105"):
    with as_user(reader) as me:
        return leaders.own_cases_report(me, by_code(unit), MARCH)


def test_a_chief_named_without_decisive_steps_is_flagged_nominal(as_user, make_case):
    make_case("440105", handler="chief1@440105")
    row = _row(_report(as_user, "chief1@440105"), "chief1@440105")
    assert (row["cases"], row["handled"], row["nominal"]) == (1, 0, 1)
    assert row["case_list"][0]["nominal"] is True


def test_a_signed_step_by_the_chief_counts_as_handled(as_user, make_case):
    case_id, _ = make_case("440105", handler="chief1@440105")
    other, _ = make_case("440105", handler="chief1@440105")
    with as_user("chief1@440105") as chief:
        add_step(db.session.get(Case, case_id), "signed", chief.id, "签发起诉书")
        # A step somebody else performed on the chief's case does not count.
        assistant = db.session.scalar(select(User.id).where(User.username == "assistant1@440105"))
        add_step(db.session.get(Case, other), "reviewed", assistant, "助理审查")
        db.session.commit()
    row = _row(_report(as_user, "chief1@440105"), "chief1@440105")
    assert (row["cases"], row["handled"], row["nominal"]) == (2, 1, 1)
    handled = {c["handled"] for c in row["case_list"]}
    assert handled == {True, False}


def test_shares_of_major_cases_and_cases_outside_the_definition(as_user, make_case):
    make_case("440105", handler="deputy1@440105", major=True)  # major by its flag
    make_case("440105", handler="deputy1@440105", suspects_count=3)  # by the criminal rule
    make_case("440105", handler="deputy1@440105")  # an easy one
    april, _ = make_case("440105", handler="deputy1@440105")
    with system_scope("test: move a case to April"):
        db.session.get(Case, april).received_on = date(2026, 4, 2)
        db.session.commit()
    report = _report(as_user, "casemanager1@440105")
    row = _row(report, "deputy1@440105")
    assert (row["cases"], row["major"], row["outside_definition"]) == (3, 2, 1)
    assert row["major_share"] == round(2 / 3, 3)
    assert [c["major_by_rule"] for c in row["case_list"]] == [True, True, False]
    unit = next(u for u in report["units"] if u["unit"] == "440105")
    assert unit["cases"] >= 2 and unit["leaders"] == 3  # chief, deputy, department head
    assert report["month"] == "2026-03"


def test_the_province_reads_the_report_down_the_tree(as_user, make_case):
    make_case("440105", handler="chief1@440105")
    report = _report(as_user, "inspector1@440000", unit="440000")
    codes = [u["unit"] for u in report["units"]]
    assert {"440000", "440100", "440105", "440106", "440300", "440305"} <= set(codes)
    assert "450000" not in codes
    assert _row(report, "chief1@440105")["nominal"] == 1
    city = _report(as_user, "chief1@440100", unit="440100")
    assert {u["unit"] for u in city["units"]} == {"440100", "440105", "440106"}


def test_who_may_read_it(as_user):
    from procuracy.tenants.scope import OutOfScope

    with pytest.raises(PermissionError):
        _report(as_user, "prosecutor1@440105")
    with pytest.raises(OutOfScope):
        _report(as_user, "chief1@440105", unit="440100")  # nobody reads up
    with as_user("chief1@440105"):
        assert by_code("440106") is None  # nor sideways: not even the unit


def test_the_number_of_queries_does_not_grow_with_the_tree(as_user, make_case):
    make_case("440105", handler="chief1@440105")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    counts = []
    for reader, unit in (("chief1@440105", "440105"), ("inspector1@440000", "440000")):
        with as_user(reader) as me:
            target = by_code(unit)
            engine = db.session.get_bind()
            statements.clear()
            event.listen(engine, "before_cursor_execute", count)
            try:
                leaders.own_cases_report(me, target, MARCH)
            finally:
                event.remove(engine, "before_cursor_execute", count)
            counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] >= 5, counts


def test_api_report(client, token_for, make_case):
    make_case("440105", handler="chief1@440105")
    r = client.get("/api/v1/leaders/own-cases?unit=440105&month=2026-03",
                   headers=token_for("chief1@440105"))
    assert r.status_code == 200, r.get_json()
    assert _row(r.get_json(), "chief1@440105")["nominal"] == 1
    assert client.get("/api/v1/leaders/own-cases?month=2026-13",
                      headers=token_for("chief1@440105")).status_code == 422
    assert client.get("/api/v1/leaders/own-cases",
                      headers=token_for("chief1@440105")).status_code == 422
    assert client.get("/api/v1/leaders/own-cases?unit=440105&month=2026-03",
                      headers=token_for("chief1@440106")).status_code == 404
    assert client.get("/api/v1/leaders/own-cases?unit=440105&month=2026-03",
                      headers=token_for("prosecutor1@440105")).status_code == 403
    r = client.get("/api/v1/leaders/own-cases?unit=440000&month=2026-03",
                   headers=token_for("inspector1@440000"))
    assert r.status_code == 200 and len(r.get_json()["units"]) >= 6
