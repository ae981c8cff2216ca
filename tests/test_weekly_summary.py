"""The weekly summary (周汇总): the scheduled job builds, for the week that ended, one
summary per unit of the province's tree (one however often it runs), with the cases,
clocks, monitoring and ledger figures of the unit's own work and of its tree beside
last week's; a PDF in an embedded CJK font; delivered through the bulletins inbox.

Week 2019-W20 is 13-19 May 2019 (last week W19: 6-12 May), which the test world has
no data in:

  海珠   cases received 05-14 x2, 05-07; one received 05-01 closed 05-15;
         clocks due 05-17 (overdue at the week's end; due soon at last week's) and
         05-22 (due soon); notices issued 05-13 (answered 05-15, in time) and 05-14
         (deadline 05-17, unanswered); an alert 05-14; a ledger entry created 05-14,
         deadline 05-18 (new, open, overdue)
  天河   a case received 05-16; an alert 05-08; a ledger entry created 05-02 and
         accepted 05-16 (open at last week's end, closed this week)
  广州   (the city's own work) a case received 05-15
  南山   (Shenzhen's) a case received 05-14
"""
from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from jobs.schedule import LOCAL, fan_out, schedule_named
from procuracy import queue
from procuracy.cases.models import CaseClock
from procuracy.extensions import db
from procuracy.oversight.job_models import FAILED, FINISHED, JobRun, ReportDocument
from procuracy.oversight.ledger_models import ACCEPT
from procuracy.oversight.weekly_summary_data import gather
from procuracy.reports import store
from procuracy.tenants.models import Unit, UnitClosure
from procuracy.tenants.scope import system_scope
from tests.pdfcheck import assert_embeds_cjk_font, flat_text, needs_poppler
from tests.test_bulletin_sections import alert, entry, notice, unit_id
from tests.test_case_list import counting_statements

WEEK = "2019-W20"
KIND = "weekly_summary"


@pytest.fixture
def report_store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_STORE", str(tmp_path / "reports"))
    return tmp_path / "reports"


def clock(case_id: int, unit: str, started: date, due: date) -> None:
    with system_scope("test: a running clock"):
        db.session.add(CaseClock(unit_id=unit_id(unit), case_id=case_id, name="review",
                                 stage_code="review", started_on=started,
                                 limit_value=(due - started).days, limit_unit="days",
                                 due_on=due))
        db.session.commit()


@pytest.fixture
def week_20(make_case, as_user):
    """The data of the module's docstring."""
    d = date
    haizhu_case, haizhu = make_case("440105", "prosecutor1@440105", received_on=d(2019, 5, 14))
    make_case("440105", "prosecutor1@440105", received_on=d(2019, 5, 14))
    make_case("440105", "prosecutor2@440105", received_on=d(2019, 5, 7))
    make_case("440105", "prosecutor2@440105", received_on=d(2019, 5, 1),
              closed_on=d(2019, 5, 15), status="closed")
    tianhe_case, _ = make_case("440106", "prosecutor1@440106", received_on=d(2019, 5, 16))
    make_case("440100", received_on=d(2019, 5, 15))
    make_case("440305", "prosecutor1@440305", received_on=d(2019, 5, 14))
    clock(haizhu_case, "440105", d(2019, 5, 1), d(2019, 5, 17))
    clock(haizhu_case, "440105", d(2019, 5, 10), d(2019, 5, 22))
    notice(as_user, haizhu, d(2019, 5, 13), d(2019, 5, 16), d(2019, 5, 15))
    notice(as_user, haizhu, d(2019, 5, 14), d(2019, 5, 17))
    alert(haizhu_case, "440105", d(2019, 5, 14))
    alert(tianhe_case, "440106", d(2019, 5, 8))
    entry("440105", d(2019, 5, 14), d(2019, 5, 18))
    entry("440106", d(2019, 5, 2), d(2019, 6, 30), [(ACCEPT, d(2019, 5, 16))])


def summaries(code: str = "440000", period: str = WEEK) -> dict[str, dict]:
    with system_scope("test: weekly figures"):
        return {s["unit"]["code"]: s for s in gather(unit_id(code), period)}


FIGURES = ("received", "closed", "overdue", "due_soon", "alerts", "issued", "answered",
           "unanswered", "ledger_new", "ledger_closed", "ledger_open", "ledger_overdue")


def pick(figures: dict) -> tuple:
    return tuple(figures[name] for name in FIGURES)


# ---------------------------------------------------------------- the figures
def test_a_districts_summary_has_its_week_beside_last_week(week_20):
    haizhu = summaries()["440105"]
    assert (haizhu["from"], haizhu["to"], haizhu["previous"]) == ("2019-05-13", "2019-05-19",
                                                                  "2019-W19")
    assert [r["code"] for r in haizhu["rows"]] == ["440105"]
    assert pick(haizhu["this"]) == (2, 1, 1, 1, 1, 2, 1, 1, 1, 0, 1, 1)
    assert pick(haizhu["last"]) == (1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0)


def test_a_citys_summary_has_its_own_work_and_each_districts_tree(week_20):
    guangzhou = summaries()["440100"]
    rows = {r["code"]: r for r in guangzhou["rows"]}
    assert [r["code"] for r in guangzhou["rows"]] == ["440100", "440105", "440106"]
    assert rows["440100"]["own"] and rows["440100"]["this"]["received"] == 1
    assert pick(rows["440106"]["this"]) == (1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)
    assert (rows["440106"]["last"]["alerts"], rows["440106"]["last"]["ledger_open"]) == (1, 1)
    assert pick(guangzhou["this"]) == (4, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1)
    assert pick(guangzhou["last"]) == (1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0)


def test_the_provinces_summary_adds_up_its_cities(week_20):
    guangdong = summaries()["440000"]
    rows = {r["code"]: r for r in guangdong["rows"]}
    assert set(rows) == {"440000", "440100", "440300"}
    assert (rows["440100"]["this"]["received"], rows["440300"]["this"]["received"]) == (4, 1)
    assert guangdong["this"]["received"] == 5


def test_the_province_costs_the_statements_of_a_district(week_20):
    summaries("440105")  # warm the caches
    province, district = unit_id("440000"), unit_id("440105")
    with system_scope("test: cost"):
        with counting_statements() as one:
            gather(district, WEEK)
        with counting_statements() as all_of_them:
            gather(province, WEEK)
    assert len(all_of_them) == len(one), all_of_them


# ---------------------------------------------------------------- the job
def run_week(code: str = "440000", period: str = WEEK) -> SimpleNamespace:
    """Run the job in process; what became of the run."""
    with system_scope("test: the weekly summary job"):
        run = queue.enqueue(KIND, unit_id=unit_id(code), period=period)
        db.session.refresh(run)
        return SimpleNamespace(id=run.id, status=run.status, error=run.error,
                               result_document_id=run.result_document_id)


def documents(period: str = WEEK) -> list:
    """The week's summaries (rows of their columns, readable after the scope ends)."""
    d = ReportDocument
    with system_scope("test: weekly documents"):
        return list(db.session.execute(
            select(d.id, d.unit_id, d.title, d.data_hash, d.sha256, d.built_by_job_id)
            .where(d.kind == KIND, d.period == period)))


def tree_size(code: str) -> int:
    with system_scope("test: tree size"):
        return db.session.scalar(select(func.count()).select_from(UnitClosure).where(
            UnitClosure.ancestor_id == unit_id(code)))


def test_the_schedule_run_twice_leaves_one_summary_per_unit_of_each_province(week_20,
                                                                          report_store):
    monday = datetime(2019, 5, 20, 2, 0, tzinfo=LOCAL)  # for the week that ended: W20
    first = fan_out(schedule_named("weekly-summary"), monday)
    with system_scope("test: runs"):
        runs = {r.unit_id: (r.kind, r.period, r.status, r.result_document_id) for r in
                db.session.scalars(select(JobRun).where(JobRun.id.in_(first)))}
        provinces = set(db.session.scalars(select(Unit.id).where(Unit.parent_id.is_(None))))
    assert set(runs) == provinces and len(first) == len(provinces)
    assert {run[:3] for run in runs.values()} == {(KIND, WEEK, FINISHED)}
    built = {d.unit_id: d for d in documents()}
    assert len(built) == len(documents()) == tree_size("440000") + tree_size("450000")
    assert runs[unit_id("440000")][3] == built[unit_id("440000")].id  # the province's own

    second = fan_out(schedule_named("weekly-summary"), monday)
    assert len(second) == len(provinces) and not set(second) & set(first)
    again = documents()
    assert {d.unit_id: d.id for d in again} == {u: d.id for u, d in built.items()}
    assert {d.built_by_job_id for d in again} == set(first)  # same data: nothing rebuilt
    guangzhou = next(d for d in again if d.unit_id == unit_id("440100"))
    assert guangzhou.data_hash == summaries()["440100"]["hash"]  # as printed in the PDF
    assert guangzhou.title == "广州市人民检察院案件管理工作周汇总"


def test_a_change_in_the_week_rebuilds_only_the_summaries_it_touches(week_20, report_store,
                                                                    make_case):
    first = run_week("440100")
    before = {d.unit_id: d.data_hash for d in documents()}
    assert set(before) == {unit_id(c) for c in ("440100", "440105", "440106")}
    make_case("440106", "prosecutor1@440106", received_on=date(2019, 5, 17))
    second = run_week("440100")
    after = {d.unit_id: (d.data_hash, d.built_by_job_id) for d in documents()}
    changed = {u for u, (h, _b) in after.items() if h != before[u]}
    assert changed == {unit_id("440106"), unit_id("440100")}
    assert all(after[u][1] == (second.id if u in changed else first.id) for u in after)


def test_a_period_that_is_not_a_week_fails_the_run_and_says_why(report_store):
    run = run_week(period="2019-W60")
    assert run.status == FAILED and "ISO week" in run.error
    assert documents("2019-W60") == []


@needs_poppler
def test_the_summary_pdf_embeds_a_cjk_font_and_prints_its_figures(week_20, report_store,
                                                                 tmp_path):
    run_week("440100")
    [document] = [d for d in documents() if d.unit_id == unit_id("440100")]
    path = tmp_path / "weekly.pdf"
    with system_scope("test: read the summary"):
        path.write_bytes(store.read_pdf(document.sha256))
    assert_embeds_cjk_font(path)
    flat = flat_text(path)
    assert "案件管理工作周汇总" in flat and "2019年第20周" in flat and "海珠" in flat
    assert "受理案件4件（较上周+3）" in flat and "本院" in flat
    assert document.data_hash in flat


# ---------------------------------------------------------------- delivery
def inbox(client, headers, period: str = WEEK) -> list[dict]:
    response = client.get("/api/v1/bulletins", headers=headers, query_string={"period": period})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_summaries_reach_the_bulletin_readers_down_the_tree_not_sideways(
        client, token_for, week_20, report_store):
    run_week("440100")
    haizhu = [b for b in inbox(client, token_for("chief1@440105")) if b["unit"] == "440105"]
    assert [(b["kind"], b["period"]) for b in haizhu] == [(KIND, WEEK)]
    assert {b["unit"] for b in inbox(client, token_for("chief1@440105"))} == {"440105"}
    assert {b["unit"] for b in inbox(client, token_for("casemanager1@440100"))} == {
        "440100", "440105", "440106"}
    assert {b["unit"] for b in inbox(client, token_for("chief1@440106"))} == {"440106"}
    assert inbox(client, token_for("chief1@450103")) == []
    url = f"/api/v1/bulletins/{haizhu[0]['id']}/pdf"
    response = client.get(url, headers=token_for("chief1@440105"))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert f"weekly-summary-440105-{WEEK}.pdf" in response.headers["Content-Disposition"]
    assert client.get(url, headers=token_for("chief1@440106")).status_code == 404


def test_the_bulletins_page_names_a_weekly_summary_as_such(client, week_20, report_store):
    from tests.test_pages import page, sign_in

    run_week("440105")
    sign_in(client, "chief1@440105")
    body = page(client.get("/bulletins"))
    assert "周汇总" in body and "2019年第20周" in body

