"""Read receipts of bulletins (已阅): opening a bulletin leaves one receipt per reader,
owned by the reader's unit; the unit and the units above it see who has read it, a
sibling sees neither the bulletin nor the receipts; the inbox puts what the reader has
not read first, in a number of statements that does not grow with the bulletins."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from procuracy.extensions import db
from procuracy.oversight.job_models import FINISHED, JobRun, ReadReceipt, ReportDocument
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope
from tests.test_case_list import counting_statements

PERIOD = "2019-05"


@pytest.fixture
def bulletin(app, tmp_path, monkeypatch):
    """``bulletin("440105", "2019-05")`` -> the public id of a small bulletin of that unit
    (one page through the report base template: rendering it is not what is tested)."""
    from procuracy.reports.store import build_document

    monkeypatch.setitem(app.config, "REPORT_STORE", str(tmp_path / "reports"))

    def make(code: str, period: str = PERIOD) -> str:
        with system_scope("test: a bulletin"):
            unit = db.session.scalars(select(Unit).where(Unit.code == code)).one()
            document_id = build_document(
                unit_id=unit.id, kind="monthly_bulletin", period=period, template="base.html",
                context={"title": f"{unit.name}案件管理工作通报", "unit_name": unit.name,
                         "period_label": period})
            return db.session.get(ReportDocument, document_id).public_id
    return make


def receipts_of(public_id: str) -> list[tuple[str, str]]:
    """(reader, reader's unit code) of every receipt of the bulletin, as the system sees."""
    from procuracy.tenants.models import User

    with system_scope("test: receipts"):
        return list(db.session.execute(
            select(User.username, Unit.code)
            .join(ReadReceipt, ReadReceipt.user_id == User.id)
            .join(Unit, Unit.id == ReadReceipt.unit_id)
            .join(ReportDocument, ReportDocument.id == ReadReceipt.document_id)
            .where(ReportDocument.public_id == public_id).order_by(ReadReceipt.id)).all())


def read(client, headers, public_id: str) -> None:
    response = client.get(f"/api/v1/bulletins/{public_id}/pdf", headers=headers)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def readers(client, headers, public_id: str) -> list[str]:
    response = client.get(f"/api/v1/bulletins/{public_id}/receipts", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [r["user"] for r in response.get_json()]


def test_reading_a_bulletin_twice_leaves_one_receipt_in_the_readers_unit(client, token_for,
                                                                        bulletin):
    haizhu = bulletin("440105")
    chief = token_for("chief1@440105")
    read(client, chief, haizhu)
    [first] = client.get(f"/api/v1/bulletins/{haizhu}/receipts", headers=chief).get_json()
    read(client, chief, haizhu)
    assert receipts_of(haizhu) == [("chief1@440105", "440105")]
    [again] = client.get(f"/api/v1/bulletins/{haizhu}/receipts", headers=chief).get_json()
    assert again == first and first["unit"] == "440105"  # the first reading's time stands


def test_the_districts_chief_sees_it_read_by_its_case_manager(client, token_for, bulletin):
    haizhu = bulletin("440105")
    chief, manager = token_for("chief1@440105"), token_for("casemanager1@440105")
    assert readers(client, chief, haizhu) == []
    read(client, manager, haizhu)
    assert readers(client, chief, haizhu) == ["casemanager1@440105"]
    [row] = client.get("/api/v1/bulletins", headers=chief).get_json()
    assert (row["id"], row["readers"], row["read_at"]) == (haizhu, 1, None)  # chief: unread
    [row] = client.get("/api/v1/bulletins", headers=manager).get_json()
    assert row["read_at"] is not None


def test_the_city_sees_who_in_its_district_read_it_and_the_district_does_not_see_the_city(
        client, token_for, bulletin):
    haizhu = bulletin("440105")
    read(client, token_for("casemanager1@440105"), haizhu)
    city = token_for("casemanager1@440100")
    assert readers(client, city, haizhu) == ["casemanager1@440105"]
    read(client, city, haizhu)  # the city's own reading is the city's receipt
    assert receipts_of(haizhu) == [("casemanager1@440105", "440105"),
                                   ("casemanager1@440100", "440100")]
    assert readers(client, city, haizhu) == ["casemanager1@440105", "casemanager1@440100"]
    assert readers(client, token_for("inspector1@440000"), haizhu) == [
        "casemanager1@440105", "casemanager1@440100"]  # the province reads its whole tree
    assert readers(client, token_for("chief1@440105"), haizhu) == [
        "casemanager1@440105"]  # nobody reads up


def test_a_sibling_gets_404_on_the_bulletin_and_sees_no_receipts(client, token_for, bulletin,
                                                                  as_user):
    haizhu = bulletin("440105")
    read(client, token_for("chief1@440105"), haizhu)
    tianhe = token_for("chief1@440106")
    assert client.get(f"/api/v1/bulletins/{haizhu}/pdf", headers=tianhe).status_code == 404
    assert client.get(f"/api/v1/bulletins/{haizhu}/receipts", headers=tianhe).status_code == 404
    assert receipts_of(haizhu) == [("chief1@440105", "440105")]  # the 404 read nothing
    with as_user("chief1@440106"):
        assert db.session.scalar(select(func.count(ReadReceipt.id))) == 0


def test_prosecutors_neither_read_bulletins_nor_see_who_did(client, token_for, bulletin):
    haizhu = bulletin("440105")
    me = token_for("prosecutor1@440105")
    assert client.get(f"/api/v1/bulletins/{haizhu}/pdf", headers=me).status_code == 403
    assert client.get(f"/api/v1/bulletins/{haizhu}/receipts", headers=me).status_code == 403
    assert receipts_of(haizhu) == []


def test_the_inbox_puts_unread_bulletins_first(client, token_for, bulletin):
    april, may = bulletin("440105", "2019-04"), bulletin("440105", "2019-05")
    chief = token_for("chief1@440105")
    assert [b["id"] for b in client.get("/api/v1/bulletins", headers=chief).get_json()] == [
        may, april]  # both unread: newest first
    read(client, chief, may)
    inbox = client.get("/api/v1/bulletins", headers=chief).get_json()
    assert [(b["id"], b["read_at"] is None) for b in inbox] == [(april, True), (may, False)]


def test_the_bulletins_page_marks_unread_and_lists_who_read(client, token_for, bulletin):
    from tests.test_pages import page, sign_in

    april, may = bulletin("440105", "2019-04"), bulletin("440105", "2019-05")
    read(client, token_for("casemanager1@440105"), may)
    sign_in(client, "chief1@440105")
    body = page(client.get("/bulletins"))
    assert body.count("未读") == 2 and "已阅人员" in body and "1 人已阅" in body
    assert "casemanager1@440105" in body and "尚无人阅读" in body
    response = client.get(f"/bulletins/{april}.pdf")  # the page's download is a reading too
    assert response.status_code == 200
    assert receipts_of(april) == [("chief1@440105", "440105")]
    body = page(client.get("/bulletins"))
    assert body.count("未读") == 1 and body.index(may) < body.index(april)  # unread first


def test_a_bulletin_opened_from_its_report_job_is_read_too(as_user, bulletin):
    from procuracy.oversight import jobs_service

    haizhu = bulletin("440105")
    with system_scope("test: the bulletin's run"):
        document = db.session.scalars(select(ReportDocument).filter_by(public_id=haizhu)).one()
        run = JobRun(kind="monthly_bulletin", unit_id=document.unit_id, period=PERIOD,
                     status=FINISHED, result_document_id=document.id)
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    with as_user("casemanager1@440105") as user:
        data, _name = jobs_service.download(user, db.session.get(JobRun, run_id))
    assert data.startswith(b"%PDF")
    assert receipts_of(haizhu) == [("casemanager1@440105", "440105")]


def test_the_inbox_costs_the_same_statements_however_many_bulletins_and_readers(
        client, token_for, bulletin):
    chief = token_for("chief1@440105")
    first = bulletin("440105", "2019-01")
    read(client, chief, first)

    def inbox_statements() -> int:
        client.get("/api/v1/bulletins", headers=chief)  # warm the caches
        with counting_statements() as seen:
            assert client.get("/api/v1/bulletins", headers=chief).status_code == 200
        return len(seen)

    one = inbox_statements()
    for month in ("2019-02", "2019-03", "2019-04"):
        public_id = bulletin("440105", month)
        for who in ("chief1@440105", "casemanager1@440105"):
            read(client, token_for(who), public_id)
    assert len(client.get("/api/v1/bulletins", headers=chief).get_json()) == 4
    assert inbox_statements() == one
