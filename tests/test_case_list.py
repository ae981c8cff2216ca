"""The case list, my cases, one case and its timeline, and the Excel export:
what each reader sees, the filters, and a page's constant cost in statements."""
from __future__ import annotations

import io
import json
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from procuracy.cases.models import Case, CaseParticipant
from procuracy.extensions import db
from procuracy.tenants.models import Unit, User
from procuracy.tenants.scope import system_scope
from tests.test_intake import PROSECUTION, kinds, register  # noqa: F401  (kinds: a fixture)

TAG = "列测"  # in every number made here, so ``q=列测`` finds exactly these cases


def make(unit_code: str, n: int, *, handler: str | None = None, assistant: str | None = None,
         **fields) -> str:
    """A case written as the system; its public id."""
    with system_scope("test: a case for the list"):
        unit = db.session.scalars(select(Unit).where(Unit.code == unit_code)).one()
        people = {u.username: u for u in db.session.scalars(
            select(User).where(User.username.in_([handler, assistant])))}
        lead = people.get(handler)
        values = {"title": f"列表测试案{n}", "kind_code": PROSECUTION, **fields}
        if "received_on" not in values:
            values["received_on"] = date(2026, 3, n)
        case = Case(unit_id=unit.id, number=f"{unit.abbr}检{TAG}受〔2026〕{n}号",
                    handler_id=lead.id if lead else None,
                    department_id=lead.department_id if lead else None, **values)
        for name, role in ((handler, "handler"), (assistant, "assistant")):
            if name:
                case.participants.append(CaseParticipant(
                    unit_id=unit.id, user_id=people[name].id, role=role))
        db.session.add(case)
        db.session.commit()
        return case.public_id


@pytest.fixture
def haizhu_cases():
    """Five Haizhu cases, received 1–5 March, and one in Tianhe."""
    ids = {
        1: make("440105", 1, handler="prosecutor1@440105", assistant="assistant1@440105"),
        2: make("440105", 2, handler="prosecutor2@440105", major=True, detained=True),
        3: make("440105", 3, handler="prosecutor1@440105", status="closed",
                closed_on=date(2026, 3, 20), juvenile=True),
        4: make("440105", 4, designated=True, kind_code="审查逮捕"),
        5: make("440105", 5, handler="prosecutor3@440105", title="张三盗窃案"),
    }
    ids["tianhe"] = make("440106", 6, handler="prosecutor1@440106")
    return ids


def listed(client, headers, path="/api/v1/cases", **query) -> tuple[list[str], int]:
    response = client.get(path, headers=headers, query_string={"page_size": 100, **query})
    assert response.status_code == 200, response.get_json()
    total = json.loads(response.headers["X-Pagination"])["total"]
    return [c["number"] for c in response.get_json()], total


def numbers(*ns, abbr="穗海") -> list[str]:
    return [f"{abbr}检{TAG}受〔2026〕{n}号" for n in ns]


@contextmanager
def counting_statements():
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


# ---------------------------------------------------------------- who sees what
def test_tianhe_gets_404_on_a_haizhu_case_and_an_empty_list(client, token_for, haizhu_cases):
    tianhe = token_for("casemanager1@440106")
    assert client.get(f"/api/v1/cases/{haizhu_cases[1]}", headers=tianhe).status_code == 404
    assert client.get(f"/api/v1/cases/{haizhu_cases[1]}/timeline",
                      headers=tianhe).status_code == 404
    assert listed(client, tianhe, unit="440105") == ([], 0)


def test_guangzhou_case_manager_lists_haizhus_cases(client, token_for, haizhu_cases):
    city = token_for("casemanager1@440100")
    assert listed(client, city, unit="440105", q=TAG) == (numbers(5, 4, 3, 2, 1), 5)
    with system_scope("test: count Haizhu"):
        everything = db.session.scalar(select(func.count(Case.id)).join(Unit).where(
            Unit.code == "440105"))
    assert listed(client, city, unit="440105")[1] == everything
    assert listed(client, city, unit="440106", q=TAG)[0] == numbers(6, abbr="穗天")


def test_a_prosecutor_lists_only_the_cases_they_work_on(client, token_for, haizhu_cases):
    prosecutor = token_for("prosecutor1@440105")
    assert listed(client, prosecutor, q=TAG)[0] == numbers(3, 1)
    assert listed(client, token_for("assistant1@440105"), q=TAG)[0] == numbers(1)


def test_my_cases_are_those_i_handle_or_assist_on(client, token_for, haizhu_cases):
    chief = token_for("chief1@440105")
    assert listed(client, chief, q=TAG)[1] == 5  # the chief reads the whole unit ...
    assert listed(client, chief, "/api/v1/cases/mine", q=TAG) == ([], 0)  # ... handles none
    assistant = token_for("assistant1@440105")
    assert listed(client, assistant, "/api/v1/cases/mine", q=TAG)[0] == numbers(1)


# ---------------------------------------------------------------- filters
@pytest.mark.parametrize("query, expected", [
    ({}, [5, 4, 3, 2, 1]),
    ({"status": "closed"}, [3]),
    ({"kind": "审查逮捕"}, [4]),
    ({"handler": "prosecutor1@440105"}, [3, 1]),
    ({"handler": "nobody@440105"}, []),
    ({"received_from": "2026-03-02", "received_to": "2026-03-04"}, [4, 3, 2]),
    ({"major": "true"}, [2]),
    ({"detained": "true"}, [2]),
    ({"juvenile": "true"}, [3]),
    ({"designated": "true"}, [4]),
    ({"designated": "false", "major": "false"}, [5, 3, 1]),
    ({"q": "张三"}, [5]),
    ({"q": f"{TAG}受〔2026〕4号"}, [4]),
    ({"unit": "999999"}, []),
])
def test_filters(client, token_for, haizhu_cases, query, expected):
    search = {"q": TAG, **query} if "q" not in query else query
    found, total = listed(client, token_for("casemanager1@440105"), **search)
    assert found == numbers(*expected) and total == len(expected)


def test_like_wildcards_in_the_search_are_literal(client, token_for, haizhu_cases):
    assert listed(client, token_for("casemanager1@440105"), q="%")[1] == 0


@pytest.mark.parametrize("query, field", [
    ({"status": "lost"}, "status"),
    ({"received_from": "2026-13-01"}, "received_from"),
    ({"received_from": "2026-03-05", "received_to": "2026-03-01"}, "received_from"),
    ({"major": "perhaps"}, "major"),
])
def test_bad_filters_answer_422(client, token_for, query, field):
    response = client.get("/api/v1/cases", headers=token_for("casemanager1@440105"),
                          query_string=query)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["query"]


def test_pages_are_newest_first_and_sized(client, token_for, haizhu_cases):
    headers = token_for("casemanager1@440105")
    response = client.get("/api/v1/cases", headers=headers,
                          query_string={"q": TAG, "page": 2, "page_size": 2})
    assert [c["number"] for c in response.get_json()] == numbers(3, 2)
    assert json.loads(response.headers["X-Pagination"])["total_pages"] == 3


# ---------------------------------------------------------------- the cost of a page
def test_a_page_costs_the_same_statements_whatever_its_size(client, token_for, haizhu_cases):
    """The benchmark lists 50 of 1,000,000 cases: no statement per row (no N+1)."""
    for n in range(7, 67):
        make("440105", n, received_on=date(2026, 1, 1) + timedelta(days=n),
             handler="prosecutor4@440105", assistant="assistant2@440105")
    headers = token_for("casemanager1@440100")  # reads down: the access log is written too
    client.get("/api/v1/cases", headers=headers)  # the first request opens a savepoint early
    costs = {}
    for size in (1, 5, 50):
        with counting_statements() as seen:
            response = client.get("/api/v1/cases", headers=headers,
                                  query_string={"unit": "440105", "page_size": size})
        assert response.status_code == 200 and len(response.get_json()) == size
        costs[size] = len(seen)
    assert costs[1] == costs[5] == costs[50], costs


def test_the_list_itself_is_a_count_and_one_page_query(as_user, haizhu_cases):
    from procuracy.cases import services

    with as_user("casemanager1@440105"):
        conditions = services.case_filters(q=TAG)
        with counting_statements() as seen:
            rows, total = services.page(conditions, 0, 50)
    assert total == 5 and len(rows) == 5
    assert len(seen) == 2, seen
    assert rows[0]["unit_code"] == "440105" and rows[0]["handler"] == "prosecutor3@440105"


# ---------------------------------------------------------------- one case
def test_case_detail_has_unit_kind_handler_and_participants(client, token_for, haizhu_cases):
    detail = client.get(f"/api/v1/cases/{haizhu_cases[1]}",
                        headers=token_for("prosecutor1@440105")).get_json()
    assert detail["id"] == haizhu_cases[1] and detail["unit"] == "440105"
    assert detail["unit_name"] == "广州市海珠区人民检察院"
    assert detail["handler"] == "prosecutor1@440105" and detail["handler_name"]
    assert [(p["username"], p["role"]) for p in detail["participants"]] == [
        ("prosecutor1@440105", "handler"), ("assistant1@440105", "assistant")]
    assert detail["department"] == "刑事检察部" and detail["organisation"] is None


def test_timeline_shows_the_registration_step_first(client, token_for, kinds):  # noqa: F811
    from procuracy.cases.timeline import add_step

    headers = token_for("casemanager1@440105")
    case = register(client, headers).get_json()
    with system_scope("test: a later step"):
        row = db.session.scalars(select(Case).where(Case.public_id == case["id"])).one()
        add_step(row, "assigned", None, summary="随机分案")
        db.session.commit()
    steps = client.get(f"/api/v1/cases/{case['id']}/timeline", headers=headers).get_json()
    assert (steps[0]["kind"], steps[-1]["kind"]) == ("registered", "assigned")
    assert steps[0]["actor"] == "casemanager1@440105" and steps[0]["actor_name"]
    assert steps[-1]["actor"] is None


def test_unknown_case_answers_404(client, token_for):
    headers = token_for("casemanager1@440105")
    assert client.get("/api/v1/cases/no-such-case", headers=headers).status_code == 404
    assert client.get("/api/v1/cases/no-such-case/timeline", headers=headers).status_code == 404


# ---------------------------------------------------------------- export
def test_export_is_an_xlsx_of_the_filtered_rows(client, token_for, haizhu_cases):
    response = client.get("/api/v1/cases/export.xlsx", headers=token_for("casemanager1@440100"),
                          query_string={"unit": "440105", "q": TAG, "status": "open"})
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("案件编号", "案件名称", "承办单位")
    assert [r[0] for r in rows[1:]] == numbers(5, 4, 2, 1)
    assert rows[1][2] == "广州市海珠区人民检察院" and rows[1][1] == "张三盗窃案"


def test_an_export_too_large_is_refused_with_the_count(as_user, haizhu_cases):
    from procuracy.cases import services
    from procuracy.cases.case_export import ExportTooLarge, export_cases

    with as_user("casemanager1@440105"):
        with pytest.raises(ExportTooLarge, match="match 5 cases"):
            export_cases(services.case_filters(q=TAG), limit=4)
        _, written = export_cases(services.case_filters(q=TAG), limit=5)
    assert written == 5


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path, method in (("/api/v1/cases", "post"), ("/api/v1/cases", "get"),
                         ("/api/v1/cases/mine", "get"), ("/api/v1/cases/{case_id}", "get"),
                         ("/api/v1/cases/{case_id}/timeline", "get"),
                         ("/api/v1/cases/export.xlsx", "get"),
                         ("/api/v1/cases/import", "post"),
                         ("/api/v1/organisations", "get"), ("/api/v1/organisations", "post")):
        assert method in paths.get(path, {}), (path, method)
