"""The supervisors' dashboard (/dashboard): a city's case manager sees its districts
and drills into one to its problem cases; the province's inspector sees the province;
a sibling's or an ancestor's dashboard is 404, a prosecutor's is 403; the figures
per row are the tree's; the charts are inline SVG; the page costs the same SQL
statements at the province and at a city; it is in Chinese by default.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from procuracy.cases.calendar import china_today
from procuracy.extensions import db
from tests.test_pages import fresh_limits, fresh_request_globals, page, sign_in  # noqa: F401

PERIOD = "2024-01"  # a month the seeded world has no cases in


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


def row(body: str, code: str) -> list[str]:
    """The cells of the table row that links to ``code``'s dashboard."""
    match = re.search(rf'<tr>\s*<td[^>]*><a href="/dashboard/{code}[^"]*">.*?</tr>', body, re.S)
    assert match, f"no row for {code}"
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(0), re.S)]


@pytest.fixture
def problem_case(make_case):
    """A Haizhu case with an overdue running clock and an open monitoring alert."""
    from procuracy.cases.models import Case, CaseClock
    from procuracy.oversight.monitoring_models import MonitoringAlert
    from procuracy.tenants.scope import system_scope

    case_id, public_id = make_case("440105", handler="prosecutor1@440105",
                                   title="逾期测试案件")
    today = china_today()
    with system_scope("test: a problem case"):
        case = db.session.get(Case, case_id)
        db.session.add(CaseClock(unit_id=case.unit_id, case_id=case_id, name="review",
                                 started_on=today - timedelta(days=40), limit_value=30,
                                 limit_unit="day", due_on=today - timedelta(days=10)))
        db.session.add(MonitoringAlert(unit_id=case.unit_id, case_id=case_id, rule_code="t",
                                       rule_kind="overdue", severity="major", step="reminder"))
        db.session.commit()
    return public_id


def test_a_citys_case_manager_sees_a_row_per_district_linking_down(client):
    sign_in(client, "casemanager1@440100")
    r = client.get("/dashboard")
    body = page(r)
    assert r.status_code == 200
    assert "广州市海珠区人民检察院" in body and "广州市天河区人民检察院" in body
    assert 'href="/dashboard/440105?period=' in body and 'href="/dashboard/440106?period=' in body


def test_the_rows_count_the_tree_of_each_district_in_the_month(client, make_case):
    make_case("440106", received_on=date(2024, 1, 5))
    make_case("440106", received_on=date(2024, 1, 20), status="closed",
              closed_on=date(2024, 1, 25))
    make_case("440106", received_on=date(2024, 2, 1))  # next month: not counted
    sign_in(client, "casemanager1@440100")
    body = page(client.get(f"/dashboard?period={PERIOD}"))
    assert row(body, "440106")[1:3] == ["2", "1"]  # received, closed
    assert row(body, "440105")[1:3] == ["0", "0"]


def test_a_citys_own_cases_are_a_row_of_their_own_and_count_in_the_totals(client, make_case):
    make_case("440100", received_on=date(2024, 1, 8))  # handled by the city itself
    make_case("440105", received_on=date(2024, 1, 9))
    sign_in(client, "casemanager1@440100")
    body = page(client.get(f"/dashboard?period={PERIOD}"))
    own = re.search(r'<tr id="own-row">.*?</tr>', body, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", own, re.S)]
    assert cells[0] == "广州市人民检察院（本院）" and cells[1] == "1"
    assert row(body, "440105")[1] == "1"


def test_drilling_into_a_district_lists_its_problem_cases(client, problem_case):
    sign_in(client, "casemanager1@440100")
    r = client.get("/dashboard/440105")
    body = page(r)
    assert r.status_code == 200
    assert 'id="problem-cases"' in body
    assert f'href="/cases/{problem_case}"' in body and "逾期测试案件" in body
    # The breadcrumb leads back up to the city.
    assert 'href="/dashboard/440100?period=' in body


def test_a_district_without_problems_says_so(client):
    sign_in(client, "chief1@440106")
    body = page(client.get(f"/dashboard?period={PERIOD}"))
    assert 'id="problem-cases"' in body and 'href="/cases/' not in body.split('id="problem-cases"')[1]


def test_the_provinces_inspector_sees_the_province(client):
    sign_in(client, "inspector1@440000")
    body = page(client.get("/dashboard"))
    assert "广东省人民检察院" in body
    assert 'href="/dashboard/440100?period=' in body and 'href="/dashboard/440300?period=' in body
    r = client.get("/dashboard/440105")
    assert r.status_code == 200


def test_a_siblings_dashboard_is_not_found(client):
    sign_in(client, "chief1@440106")
    assert client.get("/dashboard/440105").status_code == 404


def test_an_ancestors_dashboard_is_not_found(client):
    sign_in(client, "casemanager1@440100")
    assert client.get("/dashboard/440000").status_code == 404
    assert client.get("/dashboard/999999").status_code == 404


def test_a_prosecutor_does_not_supervise_and_is_refused(client):
    sign_in(client, "prosecutor1@440105")
    assert client.get("/dashboard").status_code == 403
    assert 'href="/dashboard"' not in page(client.get("/"))


def test_supervisors_find_it_in_the_navigation(client):
    sign_in(client, "casemanager1@440100")
    body = page(client.get("/"))
    assert 'href="/dashboard"' in body and "工作台" in body


def test_a_bad_month_is_a_clear_400(client):
    sign_in(client, "casemanager1@440100")
    for bad in ("2026-13", "march", "2026-3", "0000-01"):
        assert client.get(f"/dashboard?period={bad}").status_code == 400


def test_the_charts_are_inline_svg_from_the_shared_renderer(client, make_case):
    make_case("440105", received_on=date(2024, 1, 5))
    sign_in(client, "casemanager1@440100")
    body = page(client.get(f"/dashboard?period={PERIOD}"))
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert "<title>受理 广州市海珠区人民检察院: 1</title>" in body


def test_chinese_by_default_english_on_request(client):
    sign_in(client, "casemanager1@440100")
    body = page(client.get("/dashboard"))
    assert '<html lang="zh-CN">' in body and "工作台" in body
    assert "逾期" in body
    english = page(client.get("/dashboard?lang=en"))
    assert "Dashboard" in english and "Overdue clocks" in english and "工作台" not in english


def test_the_province_and_a_city_cost_the_same_statements(client, make_case):
    for code in ("440105", "440106", "440305"):
        make_case(code, received_on=date(2024, 1, 5))
    sign_in(client, "inspector1@440000")
    client.get(f"/dashboard?period={PERIOD}")  # warm: the user, the scope
    with counting_statements() as province:
        assert client.get(f"/dashboard/440000?period={PERIOD}").status_code == 200
    with counting_statements() as city:
        assert client.get(f"/dashboard/440100?period={PERIOD}").status_code == 200
    with counting_statements() as smaller_city:  # one district instead of two
        assert client.get(f"/dashboard/440300?period={PERIOD}").status_code == 200
    assert province and len(province) == len(city) == len(smaller_city), (
        len(province), len(city), len(smaller_city))


def test_the_figures_follow_the_readers_scope(app, as_user, make_case):
    """Gathered under a district chief's scope, a sibling's cases do not count."""
    from procuracy.oversight import dashboard_data
    from procuracy.tenants.models import Unit

    make_case("440105", received_on=date(2024, 1, 5))
    with as_user("chief1@440106"):
        city = db.session.scalars(select(Unit).where(Unit.code == "440100")).one()
        data = dashboard_data.gather(city.id, PERIOD, china_today())
    assert data["totals"]["received"] == 0
    with as_user("casemanager1@440100"):
        data = dashboard_data.gather(city.id, PERIOD, china_today())
    assert data["totals"]["received"] == 1
