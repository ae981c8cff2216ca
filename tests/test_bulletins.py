"""Monthly bulletins (通报): the figures of a unit's tree beside last month's, set-based;
the PDF in an embedded CJK font with the hash of its data printed; one bulletin per
unit and month however often it is built; the inbox of the chief and case managers."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from procuracy import queue
from procuracy.extensions import db
from procuracy.oversight.bulletin_data import gather
from procuracy.oversight.job_models import FINISHED, ReportDocument
from procuracy.reports import store
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope
from tests.pdfcheck import assert_embeds_cjk_font, flat_text, needs_poppler
from tests.test_case_list import counting_statements

PERIOD = "2019-05"  # a month the test world has no cases in


@pytest.fixture
def report_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_STORE", str(tmp_path / "reports"))
    return tmp_path / "reports"


def unit_id(code: str) -> int:
    with system_scope("test: unit id"):
        return db.session.scalars(select(Unit.id).where(Unit.code == code)).one()


@pytest.fixture
def may_cases(make_case):
    """海珠: 3 received in May 2019 (1 closed in May), 2 in April; 天河: 1 in May."""
    for day in (3, 10, 20):
        make_case("440105", "prosecutor1@440105", received_on=date(2019, 5, day))
    make_case("440105", "prosecutor2@440105", received_on=date(2019, 4, 2),
              closed_on=date(2019, 5, 28), status="closed")
    make_case("440105", "prosecutor2@440105", received_on=date(2019, 4, 9))
    make_case("440106", "prosecutor1@440106", received_on=date(2019, 5, 6))


def figures(code: str) -> dict:
    with system_scope("test: bulletin figures"):
        return gather(unit_id(code), PERIOD)


def test_a_districts_bulletin_counts_its_own_cases_beside_last_month(may_cases):
    data = figures("440105")
    assert [r["code"] for r in data["rows"]] == ["440105"]
    this, last = data["cases"]["this"], data["cases"]["last"]
    assert (this["received"], this["closed"], last["received"]) == (3, 1, 2)
    assert data["cases"]["this"]["by_kind"] == [["审查起诉", 3, 1]]


def test_a_citys_bulletin_covers_its_districts_row_by_row(may_cases):
    data = figures("440100")
    rows = {r["code"]: str(r["id"]) for r in data["rows"]}
    assert {"440105", "440106"} <= set(rows)
    by_row = data["cases"]["this"]["received_by_row"]
    assert (by_row[rows["440105"]], by_row[rows["440106"]]) == (3, 1)
    assert data["cases"]["this"]["received"] == 4


def test_the_provinces_bulletin_costs_the_statements_a_districts_does(may_cases):
    figures("440105")  # warm the mapper caches
    with counting_statements() as district:
        figures("440105")
    with counting_statements() as province:
        figures("440000")
    assert len(province) <= len(district) + 1, province  # the province has child rows


def test_the_hash_changes_with_the_data(may_cases, make_case):
    before = figures("440105")["hash"]
    assert figures("440105")["hash"] == before
    make_case("440105", "prosecutor1@440105", received_on=date(2019, 5, 30))
    assert figures("440105")["hash"] != before


def build(code: str) -> int:
    """The id of the document the job built."""
    with system_scope("test: build a bulletin"):
        run = queue.enqueue("monthly_bulletin", unit_id=unit_id(code), period=PERIOD)
        db.session.refresh(run)
        assert run.status == FINISHED, run.error
        return run.result_document_id


def test_building_a_bulletin_twice_leaves_one(may_cases, report_store):
    first, second = build("440105"), build("440105")
    assert first == second
    with system_scope("test: documents"):
        assert len(db.session.scalars(select(ReportDocument).filter_by(
            unit_id=unit_id("440105"), kind="monthly_bulletin", period=PERIOD)).all()) == 1


@needs_poppler
def test_the_bulletin_pdf_embeds_a_cjk_font_and_prints_its_data_hash(may_cases, report_store,
                                                                       tmp_path):
    document_id = build("440100")
    with system_scope("test: read the bulletin"):
        document = db.session.get(ReportDocument, document_id)
        path = tmp_path / "bulletin.pdf"
        path.write_bytes(store.read_pdf(document.sha256))
        digest = figures("440100")["hash"]
    assert_embeds_cjk_font(path)
    text = flat_text(path)
    assert "广州" in text and "案件管理工作通报" in text and "海珠" in text
    assert digest in text
    assert document.data_hash == digest  # the archive's hash is the one the PDF prints


# ---------------------------------------------------------------- the inbox
@pytest.fixture
def haizhu_bulletin(may_cases, report_store) -> str:
    """The public id of Haizhu's May 2019 bulletin."""
    document_id = build("440105")
    with system_scope("test: bulletin id"):
        return db.session.get(ReportDocument, document_id).public_id


def inbox_ids(client, headers) -> list[str]:
    response = client.get("/api/v1/bulletins", headers=headers, query_string={"period": PERIOD})
    assert response.status_code == 200, response.get_json()
    return [b["id"] for b in response.get_json()]


def test_a_bulletin_is_delivered_to_its_units_readers_and_read_down_not_sideways(
        client, token_for, haizhu_bulletin):
    assert inbox_ids(client, token_for("chief1@440105")) == [haizhu_bulletin]
    assert inbox_ids(client, token_for("casemanager1@440105")) == [haizhu_bulletin]
    assert haizhu_bulletin in inbox_ids(client, token_for("casemanager1@440100"))
    assert haizhu_bulletin in inbox_ids(client, token_for("inspector1@440000"))
    assert inbox_ids(client, token_for("chief1@440106")) == []
    assert inbox_ids(client, token_for("chief1@450103")) == []


def test_only_leaders_case_managers_and_inspectors_read_bulletins(client, token_for,
                                                                 haizhu_bulletin):
    response = client.get("/api/v1/bulletins", headers=token_for("prosecutor1@440105"))
    assert response.status_code == 403


def test_the_pdf_is_watermarked_for_its_reader_and_hidden_from_siblings(
        client, token_for, haizhu_bulletin):
    url = f"/api/v1/bulletins/{haizhu_bulletin}/pdf"
    response = client.get(url, headers=token_for("chief1@440105"))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get(url, headers=token_for("chief1@440106")).status_code == 404


def test_a_city_builds_a_districts_bulletin_on_demand_a_sibling_cannot(client, token_for,
                                                                      may_cases, report_store):
    body = {"unit": "440105", "period": PERIOD}
    response = client.post("/api/v1/bulletins", json=body, headers=token_for("casemanager1@440100"))
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["status"] == "finished" and response.get_json()["document"]
    refused = client.post("/api/v1/bulletins", json=body, headers=token_for("casemanager1@440106"))
    assert refused.status_code == 404
    bad = client.post("/api/v1/bulletins", json={"unit": "440105", "period": "2019-13"},
                      headers=token_for("casemanager1@440100"))
    assert bad.status_code == 422


def test_the_bulletins_page_lists_the_inbox_in_chinese(client, haizhu_bulletin):
    from tests.test_pages import page, sign_in

    sign_in(client, "chief1@440105")
    body = page(client.get("/bulletins"))
    assert "通报" in body and "海珠" in body and f"/bulletins/{haizhu_bulletin}.pdf" in body
