"""The case pages: my cases with their clocks, the unit's list with its filters,
pages and Excel export, one case (read-only across units, 404 outside the scope),
documents, decisions within and beyond one's power, the decision inbox and the
rotation board; Chinese by default, CSRF on every form, no statement per row.
"""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from procuracy.cases.calendar import china_today
from procuracy.cases.decision_models import Decision
from procuracy.cases.models import Case, CaseClock, CaseDocument
from procuracy.extensions import db
from procuracy.tenants.scope import system_scope
from tests.conftest import PASSWORD
from tests.test_case_list import TAG, counting_statements, make, numbers
from tests.test_pages import csrf, fresh_request_globals, page, sign_in  # noqa: F401

PROSECUTE = "提起公诉"  # the handler decides it on an ordinary case (XJ-035)
EXTEND = "延长审查起诉期限"  # the department head decides it (XJ-034)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def signed_in(app):
    """``signed_in("prosecutor1@440105")`` -> a test client with that user's session."""

    def make_client(username: str):
        return sign_in(app.test_client(), username, PASSWORD)

    return make_client


@pytest.fixture
def store(app, tmp_path):
    app.config["DOCUMENT_STORE"] = str(tmp_path / "documents")
    yield tmp_path / "documents"
    app.config.pop("DOCUMENT_STORE", None)


def _post(client, url: str, data: dict, token_from: str, **kwargs):
    return client.post(url, data={**data, "csrf_token": csrf(client, token_from)}, **kwargs)


def _clock(case_id: int, due_in: int, name: str = "review") -> None:
    with system_scope("test: a running clock"):
        case = db.session.get(Case, case_id)
        today = china_today()
        db.session.add(CaseClock(unit_id=case.unit_id, case_id=case_id, name=name,
                                 stage_code="review", started_on=today - timedelta(days=20),
                                 limit_value=30, limit_unit="days", warn_days=3,
                                 due_on=today + timedelta(days=due_in)))
        db.session.commit()


def _decisions(case_id: int) -> list[Decision]:
    with system_scope("test: read the decisions"):
        return db.session.scalars(select(Decision).where(Decision.case_id == case_id)
                                  .order_by(Decision.id)).all()


# ---------------------------------------------------------------- who sees which page
def test_each_page_renders_in_chinese_for_the_people_it_serves(signed_in, make_case):
    _, public_id = make_case("440105", handler="prosecutor1@440105")
    prosecutor = signed_in("prosecutor1@440105")
    for url, heading in (("/cases/mine", "<h1>我的案件"), ("/cases", "<h1>案件"),
                         (f"/cases/{public_id}", "<h2>案件卡片"), ("/rotation", "<h1>轮案")):
        r = prosecutor.get(url)
        assert r.status_code == 200, url
        body = page(r)
        assert '<html lang="zh-CN">' in body and heading in body, url
        assert "Time limits" not in body and "Export to Excel" not in body
    assert 'href="/decisions/inbox"' not in page(prosecutor.get("/cases"))  # decides nothing
    head = signed_in("depthead1@440105")
    body = page(head.get("/decisions/inbox"))
    assert "<h1>审批事项" in body and 'href="/decisions/inbox"' in body


def test_the_pages_are_in_english_on_request(signed_in, make_case):
    _, public_id = make_case("440105", handler="prosecutor1@440105")
    body = page(signed_in("prosecutor1@440105").get(f"/cases/{public_id}?lang=en"))
    assert '<html lang="en">' in body and "Case card" in body and "Time limits" in body


def test_the_pages_need_sign_in(client):
    for url in ("/cases", "/cases/mine", "/rotation", "/decisions/inbox"):
        r = client.get(url)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login"), url


def test_a_tianhe_user_gets_404_on_a_haizhu_case(signed_in, make_case, store):
    case_id, public_id = make_case("440105", handler="prosecutor1@440105")
    tianhe = signed_in("chief1@440106")
    assert tianhe.get(f"/cases/{public_id}").status_code == 404
    r = _post(tianhe, f"/cases/{public_id}/decisions", {"matter": PROSECUTE}, "/cases")
    assert r.status_code == 404 and _decisions(case_id) == []
    assert tianhe.get("/cases/no-such-case").status_code == 404


def test_a_guangzhou_case_manager_reads_haizhus_case_read_only(signed_in, make_case, store):
    case_id, public_id = make_case("440105", handler="prosecutor1@440105")
    city = signed_in("casemanager1@440100")
    r = city.get(f"/cases/{public_id}")
    body = page(r)
    assert r.status_code == 200 and "广州市海珠区人民检察院" in body
    assert "只读" in body
    assert "<form" not in body.split("</header>")[1]  # no form below the top bar
    r = _post(city, f"/cases/{public_id}/decisions", {"matter": PROSECUTE}, "/cases")
    assert r.status_code == 403 and _decisions(case_id) == []
    r = _post(city, f"/cases/{public_id}/documents",
              {"doc_type": "起诉书", "file": (io.BytesIO(PDF), "a.pdf")}, "/cases",
              content_type="multipart/form-data")
    assert r.status_code == 403
    with system_scope("test: no document"):
        assert db.session.scalar(select(func.count(CaseDocument.id))
                                 .where(CaseDocument.case_id == case_id)) == 0


# ---------------------------------------------------------------- my cases and clocks
def test_my_cases_show_due_dates_days_left_and_badges(signed_in, make_case):
    soon, _ = make_case("440105", handler="prosecutor1@440105")
    late, _ = make_case("440105", handler="prosecutor1@440105")
    make_case("440105", handler="prosecutor2@440105")
    _clock(soon, 2)
    _clock(late, -4)
    body = page(signed_in("prosecutor1@440105").get("/cases/mine", query_string={"q": "检测"}))
    due = (china_today() + timedelta(days=2)).isoformat()
    assert f"届满 {due}" in body and "剩余 2 天" in body and "即将到期" in body
    assert "超期 4 天" in body and "已超期" in body
    assert len(_numbers_on(body)) == 2


# ---------------------------------------------------------------- the list
@pytest.fixture
def listed_cases():
    return {
        1: make("440105", 1, handler="prosecutor1@440105"),
        2: make("440105", 2, handler="prosecutor2@440105", major=True),
        3: make("440105", 3, handler="prosecutor1@440105", status="closed",
                closed_on=date(2026, 3, 20)),
        4: make("440106", 4, handler="prosecutor1@440106"),
    }


def _numbers_on(body: str) -> list[str]:
    return re.findall(r'<td class="nowrap"><a href="/cases/[A-Za-z0-9_-]+">([^<]+)</a>', body)


@pytest.mark.parametrize("query, expected", [
    ({}, [3, 2, 1]),
    ({"status": "closed"}, [3]),
    ({"major": "true"}, [2]),
    ({"major": "false", "status": "open"}, [1]),
    ({"handler": "prosecutor1@440105"}, [3, 1]),
    ({"received_from": "2026-03-02", "received_to": "2026-03-02"}, [2]),
    ({"unit": "440106"}, []),  # the district's own manager reads no sibling
])
def test_filters_narrow_the_list(signed_in, listed_cases, query, expected):
    body = page(signed_in("casemanager1@440105").get("/cases", query_string={"q": TAG, **query}))
    assert _numbers_on(body) == numbers(*expected)
    assert f"共 {len(expected)} 件" in body


def test_the_city_picks_a_district_among_the_units_it_reads(signed_in, listed_cases):
    city = signed_in("casemanager1@440100")
    body = page(city.get("/cases", query_string={"q": TAG, "unit": "440106"}))
    assert _numbers_on(body) == numbers(4, abbr="穗天")
    assert '<option value="440105"' in body and '<option value="440300"' not in body


def test_bad_filters_are_named_and_list_nothing(signed_in, listed_cases):
    r = signed_in("casemanager1@440105").get("/cases", query_string={"status": "lost"})
    assert r.status_code == 422 and _numbers_on(page(r)) == []
    assert "筛选条件有误" in page(r)


def test_the_export_holds_the_filtered_rows(signed_in, listed_cases):
    city = signed_in("casemanager1@440100")
    body = page(city.get("/cases", query_string={"q": TAG, "status": "open"}))
    link = re.search(r'href="(/cases/export\.xlsx\?[^"]+)"', body).group(1).replace("&amp;", "&")
    r = city.get(link)
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "案件编号"
    assert sorted(r[0] for r in rows[1:]) == sorted(numbers(2, 1) + numbers(4, abbr="穗天"))


def test_an_export_too_large_is_refused_with_a_message(signed_in, listed_cases, monkeypatch):
    from procuracy.cases import case_export, views_list

    monkeypatch.setattr(views_list, "export_cases",
                        lambda conditions: case_export.export_cases(conditions, limit=2))
    client = signed_in("casemanager1@440105")
    r = client.get("/cases/export.xlsx", query_string={"q": TAG})
    assert r.status_code == 302 and r.headers["Location"].startswith("/cases?")
    body = page(client.get(r.headers["Location"]))
    assert "共 3 件" in body and "单次导出最多 2 件" in body


def test_the_list_page_costs_the_same_statements_whatever_its_rows(signed_in, listed_cases):
    for n in range(5, 65):
        make("440105", n, received_on=date(2026, 1, 1) + timedelta(days=n),
             handler="prosecutor4@440105", assistant="assistant2@440105")
    city = signed_in("casemanager1@440100")  # reads down: the access log is written too
    city.get("/cases")
    costs = {}
    for query, rows in (({"q": f"{TAG}受〔2026〕1号"}, 1), ({"q": TAG, "status": "closed"}, 1),
                        ({"q": TAG}, 50)):
        with counting_statements() as seen:
            body = page(city.get("/cases", query_string={**query, "unit": "440105"}))
        assert len(_numbers_on(body)) == rows
        costs[rows] = len(seen)
    assert costs[1] == costs[50], costs


# ---------------------------------------------------------------- decisions
def test_a_decision_within_power_is_taken_and_one_beyond_goes_to_the_deciders_inbox(
        signed_in, make_case):
    case_id, public_id = make_case("440105", handler="prosecutor1@440105")
    prosecutor = signed_in("prosecutor1@440105")
    url = f"/cases/{public_id}"
    form = page(prosecutor.get(url))
    assert "提起公诉 — 由您决定" in form and "延长审查起诉期限 — 请示：部门负责人决定" in form

    r = _post(prosecutor, f"{url}/decisions", {"matter": PROSECUTE, "content": "依法提起公诉"}, url)
    assert r.status_code == 303
    body = page(prosecutor.get(url))
    assert "已在您的权限内决定" in body
    r = _post(prosecutor, f"{url}/decisions", {"matter": EXTEND, "content": "案情复杂"}, url)
    body = page(prosecutor.get(r.headers["Location"]))
    assert "超出您的权限" in body and "待 部门负责人 审批" in body
    decided, requested = _decisions(case_id)
    assert (decided.status, decided.decided_role) == ("decided", "prosecutor")
    assert (requested.status, requested.awaiting_role) == ("pending", "department_head")

    assert "案情复杂" not in page(signed_in("chief1@440106").get("/decisions/inbox"))
    head = signed_in("depthead1@440105")
    inbox = page(head.get("/decisions/inbox"))
    assert EXTEND in inbox and "案情复杂" in inbox and f'href="/cases/{public_id}"' in inbox
    r = _post(head, f"/decisions/{requested.public_id}/act",
              {"action": "approve", "note": "同意延长"}, "/decisions/inbox")
    assert r.status_code == 303
    assert "已批准" in page(head.get("/decisions/inbox"))
    db.session.expire_all()
    approved = _decisions(case_id)[1]
    assert (approved.status, approved.decided_role) == ("decided", "department_head")
    assert "案情复杂" not in page(head.get("/decisions/inbox"))
    detail = page(prosecutor.get(url))
    assert "批准" in detail and "同意延长" in detail


def test_an_inbox_action_without_power_or_content_is_refused(signed_in, make_case):
    case_id, public_id = make_case("440105", handler="prosecutor1@440105", major=True)
    prosecutor = signed_in("prosecutor1@440105")
    _post(prosecutor, f"/cases/{public_id}/decisions", {"matter": "批准逮捕"}, "/cases")
    (request,) = _decisions(case_id)
    assert request.awaiting_role == "chief"
    head = signed_in("depthead1@440105")
    r = _post(head, f"/decisions/{request.public_id}/act", {"action": "approve"},
              "/decisions/inbox")
    assert r.status_code == 403 and "您无权" in page(r)
    chief = signed_in("chief1@440105")
    r = _post(chief, f"/decisions/{request.public_id}/act", {"action": "change"},
              "/decisions/inbox")
    assert r.status_code == 422 and "请填写新的决定内容" in page(r)
    r = chief.post(f"/decisions/{request.public_id}/act", data={"action": "approve"})
    assert r.status_code == 400  # no CSRF token
    db.session.expire_all()
    assert _decisions(case_id)[0].status == "pending"
    r = _post(chief, f"/decisions/{request.public_id}/act",
              {"action": "change", "content": "批准逮捕，注意羁押必要性"}, "/decisions/inbox")
    assert r.status_code == 303
    db.session.expire_all()
    assert _decisions(case_id)[0].content == "批准逮捕，注意羁押必要性"


# ---------------------------------------------------------------- documents
def test_upload_rejects_a_disguised_file_and_accepts_a_real_one(signed_in, make_case, store):
    case_id, public_id = make_case("440105", handler="prosecutor1@440105")
    prosecutor = signed_in("prosecutor1@440105")
    url = f"/cases/{public_id}"
    r = _post(prosecutor, f"{url}/documents",
              {"doc_type": "起诉书", "file": (io.BytesIO(PNG), "起诉书.pdf")}, url,
              content_type="multipart/form-data")
    assert r.status_code == 422 and "文件内容不是 PDF" in page(r)
    with system_scope("test: nothing stored"):
        assert db.session.scalar(select(func.count(CaseDocument.id))
                                 .where(CaseDocument.case_id == case_id)) == 0
    assert not any(store.rglob("*")) if store.exists() else True

    r = _post(prosecutor, f"{url}/documents",
              {"doc_type": "起诉书", "file": (io.BytesIO(PDF), "起诉书.pdf")}, url,
              content_type="multipart/form-data")
    assert r.status_code == 303
    body = page(prosecutor.get(url))
    link = re.search(r'href="(/documents/[^"]+/download)">起诉书\.pdf', body).group(1)
    assert prosecutor.get(link).data == PDF
    assert signed_in("chief1@440106").get(link).status_code == 404


# ---------------------------------------------------------------- rotation
def test_the_rotation_board_shows_shares_loads_and_who_is_next(signed_in, make_case):
    from procuracy.cases import rotation

    body = page(signed_in("casemanager1@440105").get("/rotation"))
    assert "刑事检察轮案组" in body and "1/3" in body and "1/2" in body
    assert "下一位" in body and "并列" in body  # nobody has a case yet: all tied

    case_id, public_id = make_case("440105")
    with system_scope("test: a draw"):
        group = rotation.groups_of_unit()[0]
        manager = db.session.scalars(select(rotation.User).where(
            rotation.User.username == "casemanager1@440105")).one()
        draw = rotation.draw(db.session.get(Case, case_id), group, manager)
        draw_id = draw.public_id
    client = signed_in("casemanager1@440105")
    detail = page(client.get(f"/cases/{public_id}"))
    assert f'href="/assignments/{draw_id}"' in detail
    replay = page(client.get(f"/assignments/{draw_id}"))
    assert "复现一致" in replay and "候选人" in replay
    data = client.get(f"/assignments/{draw_id}?format=json").get_json()
    assert data["replay"]["reproduced"] is True and data["seed"]
    assert signed_in("chief1@440106").get(f"/assignments/{draw_id}").status_code == 404

