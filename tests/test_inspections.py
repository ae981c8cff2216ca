"""Inspections (督察): the issue's journey. A provincial inspector plans an inspection
of Guangzhou's districts, records findings (each lands on the district's ledger),
gets the PDF report with an embedded CJK font; Haizhu answers its finding, Tianhe
sees nothing of Haizhu's, the inspector verifies and the entry closes. And the
refusals: who plans, who records, which units, what input."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from procuracy.extensions import db
from procuracy.oversight.ledger_models import LedgerEntry
from procuracy.tenants.scope import system_scope

PLAN = {"title": "广州市基层院领导干部办案专项督察", "topic": "leaders_cases", "units": ["440100"],
        "with_descendants": True, "period_from": "2026-10-01", "period_to": "2026-10-31",
        "team": ["deputy1@440000"]}


@pytest.fixture
def store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_STORE", str(tmp_path / "reports"))
    return tmp_path / "reports"


def plan(client, token_for, **changes) -> dict:
    r = client.post("/api/v1/inspections", json={**PLAN, **changes},
                    headers=token_for("inspector1@440000"))
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def finding(client, headers, inspection: str, **body):
    return client.post(f"/api/v1/inspections/{inspection}/findings", headers=headers,
                       json={"unit": "440105", "problem": "院领导直接办理案件数量未达要求",
                             "severity": "major", **body})


def test_the_inspection_journey(client, token_for, store, make_case, tmp_path):
    inspector = token_for("inspector1@440000")
    inspection = plan(client, token_for)
    assert inspection["units"] == ["440100", "440105", "440106"]
    assert sorted(inspection["team"]) == ["deputy1@440000", "inspector1@440000"]
    pid = inspection["id"]

    _, case = make_case("440105", handler="chief1@440105")
    due = (date.today() + timedelta(days=30)).isoformat()
    r = finding(client, inspector, pid, case=case, responsible="chief1@440105", deadline=due)
    assert r.status_code == 201, r.get_json()
    r = finding(client, token_for("deputy1@440000"), pid, unit="440106",
                problem="检察长列席审委会记录不全", severity="normal")
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert [(f["seq"], f["unit"]) for f in body["findings"]] == [(1, "440105"), (2, "440106")]
    haizhu_entry = body["findings"][0]["entry"]
    assert haizhu_entry["source"] == "inspection" and haizhu_entry["issuer"] == "440000"
    assert haizhu_entry["responsible"] == "chief1@440105" and haizhu_entry["case"] == case
    entry_id = haizhu_entry["id"]

    # Haizhu sees the finding on its ledger; Tianhe sees nothing of Haizhu's.
    haizhu, tianhe = token_for("chief1@440105"), token_for("chief1@440106")
    mine = client.get("/api/v1/ledger", headers=haizhu, query_string={"side": "mine"}).get_json()
    assert [e["id"] for e in mine] == [entry_id]
    assert mine[0]["can_answer"] is True
    assert client.get(f"/api/v1/ledger/{entry_id}", headers=tianhe).status_code == 404
    assert entry_id not in [e["id"] for e in
                            client.get("/api/v1/ledger", headers=tianhe).get_json()]
    assert client.get(f"/api/v1/inspections/{pid}", headers=haizhu).status_code == 404

    # Haizhu answers; the inspector verifies; the entry closes.
    r = client.post(f"/api/v1/ledger/{entry_id}/answer", headers=haizhu,
                    json={"text": "院领导已按要求直接办理案件", "evidence": "办案清单"})
    assert r.status_code == 201 and r.get_json()["state"] == "answered"
    r = client.post(f"/api/v1/ledger/{entry_id}/verify", headers=inspector,
                    json={"outcome": "accept"})
    assert r.status_code == 200 and r.get_json()["state"] == "closed"

    # Closing with the conclusion, then the report: a PDF set in an embedded CJK font.
    r = client.post(f"/api/v1/inspections/{pid}/close", headers=inspector,
                    json={"conclusion": "总体较好，两个问题限期整改。"})
    assert r.status_code == 200 and r.get_json()["status"] == "closed"
    assert finding(client, inspector, pid).status_code == 422  # closed: no more findings
    r = client.post(f"/api/v1/inspections/{pid}/report", headers=inspector)
    assert r.status_code == 202, r.get_json()
    job = r.get_json()
    assert (job["kind"], job["status"]) == ("inspection_report", "finished"), job
    assert job["document"]["pages"] >= 2
    # The stored document (the download re-renders it with a watermark: tests/test_jobs.py).
    from procuracy.oversight.job_models import ReportDocument
    from procuracy.reports.store import read_pdf

    with system_scope("test: the stored report"):
        document = db.session.scalars(select(ReportDocument).filter_by(
            public_id=job["document"]["id"])).one()
        data = read_pdf(document.sha256)
    assert data.startswith(b"%PDF") and document.variant == pid
    if shutil.which("pdffonts"):
        path = tmp_path / "inspection.pdf"
        path.write_bytes(data)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout
        cjk = [line for line in fonts.splitlines()[2:]
               if "CJK" in line or "Han" in line or "WenQuanYi" in line]
        assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts
        text = re.sub(r"\s", "", subprocess.run(["pdftotext", "-raw", str(path), "-"],
                                                 capture_output=True, text=True,
                                                 check=True).stdout)
        for words in ("督察报告", "院领导直接办理案件数量未达要求", "已销号", "签名",
                      entry_id):
            assert words in text, words

    # A second request over the same data keeps the one document.
    again = client.post(f"/api/v1/inspections/{pid}/report", headers=inspector).get_json()
    assert again["document"]["id"] == job["document"]["id"]


def test_the_report_job_builds_only_its_own_units_inspection(client, token_for, store):
    pid = plan(client, token_for)["id"]
    r = client.post("/api/v1/jobs", headers=token_for("chief1@440105"),
                    json={"kind": "inspection_report", "period": "2026-10"})
    assert r.status_code == 202 and r.get_json()["status"] == "failed"  # no inspection named
    from procuracy import queue
    from procuracy.tenants.models import User
    from procuracy.tenants.scope import acting_as, scope_for_user

    with system_scope("test: user"):
        user = db.session.scalars(select(User).filter_by(username="chief1@440105")).one()
    with acting_as(db.session, scope_for_user(db.session, user)):
        run = queue.enqueue("inspection_report", params={"inspection": pid}, requested_by=user,
                            unit_id=user.unit_id, period="2026-10")
        assert run.status == "failed" and "NotThisUnitsInspection" in run.error


def test_who_plans_and_what_they_may_target(client, token_for):
    assert client.post("/api/v1/inspections", json=PLAN,
                       headers=token_for("prosecutor1@440000")).status_code == 403
    # Not sideways, not up, not outside the province.
    for units in (["440000"], ["450103"]):
        r = client.post("/api/v1/inspections", json={**PLAN, "units": units},
                        headers=token_for("inspector1@440000"))
        assert r.status_code == 422 and "units" in r.get_json()["errors"]["json"]
    r = client.post("/api/v1/inspections", json={**PLAN, "units": ["440106"]},
                    headers=token_for("chief1@440105"))
    assert r.status_code == 422
    r = client.post("/api/v1/inspections", json={**PLAN, "team": ["inspector1@440100"]},
                    headers=token_for("inspector1@440000"))
    assert r.status_code == 422 and "team" in r.get_json()["errors"]["json"]
    r = client.post("/api/v1/inspections", json={**PLAN, "period_to": "2026-09-01"},
                    headers=token_for("inspector1@440000"))
    assert r.status_code == 422
    r = client.post("/api/v1/inspections", json={**PLAN, "topic": "gossip"},
                    headers=token_for("inspector1@440000"))
    assert r.status_code == 422


def test_findings_only_by_the_team_for_its_targets(client, token_for, make_case):
    pid = plan(client, token_for, units=["440105"], with_descendants=False)["id"]
    inspector = token_for("inspector1@440000")
    assert finding(client, token_for("prosecutor1@440000"), pid).status_code == 403
    assert finding(client, token_for("casemanager1@440100"), pid).status_code == 404
    assert finding(client, inspector, pid, unit="440106").status_code == 422
    _, tianhe_case = make_case("440106", handler="prosecutor1@440106")
    r = finding(client, inspector, pid, case=tianhe_case)
    assert r.status_code == 422 and "case" in r.get_json()["errors"]["json"]
    assert finding(client, inspector, pid, responsible="chief1@440106").status_code == 422
    assert finding(client, inspector, pid, problem="").status_code == 422
    with system_scope("test: nothing was written"):
        assert not db.session.scalars(select(LedgerEntry).where(
            LedgerEntry.source == "inspection")).first()
    assert finding(client, inspector, pid).status_code == 201


def test_inspections_are_read_by_the_planning_unit_and_above_only(client, token_for):
    pid = plan(client, token_for)["id"]
    assert client.get(f"/api/v1/inspections/{pid}",
                      headers=token_for("deputy1@440000")).status_code == 200
    listed = client.get("/api/v1/inspections", headers=token_for("inspector1@440000")).get_json()
    assert pid in [i["id"] for i in listed]
    for outsider in ("casemanager1@440100", "chief1@450000"):
        assert client.get(f"/api/v1/inspections/{pid}",
                          headers=token_for(outsider)).status_code == 404
        assert pid not in [i["id"] for i in client.get(
            "/api/v1/inspections", headers=token_for(outsider)).get_json()]
    # Only the planner (or the chief, a deputy) closes it.
    assert client.post(f"/api/v1/inspections/{pid}/close", json={"conclusion": "好"},
                       headers=token_for("prosecutor1@440000")).status_code == 403
    assert client.post(f"/api/v1/inspections/{pid}/close", json={"conclusion": ""},
                       headers=token_for("inspector1@440000")).status_code == 422


# ---------------------------------------------------------------- pages
def test_pages_plan_record_answer_and_verify(app, make_case):
    from tests.test_pages import csrf, page, sign_in

    inspector = sign_in(app.test_client(), "inspector1@440000")
    r = inspector.get("/inspections")
    assert r.status_code == 200 and "督察" in page(r) and 'name="csrf_token"' in page(r)
    r = inspector.post("/inspections", data={
        "csrf_token": csrf(inspector, "/inspections"), "title": "海珠区院专项督察",
        "topic": "leaders_cases", "units": ["440105"], "period_from": "2026-10-01",
        "period_to": "2026-10-31", "team": ""})
    assert r.status_code == 302, page(r)
    detail = r.headers["Location"]
    r = inspector.post(f"{detail}/findings", data={
        "csrf_token": csrf(inspector, detail), "unit": "440105", "severity": "major",
        "problem": "领导干部办案记录不全", "deadline": "2026-01-31"})
    assert r.status_code == 302
    body = page(inspector.get(detail))
    assert "领导干部办案记录不全" in body and "逾期" in body  # the deadline has passed

    haizhu = sign_in(app.test_client(), "chief1@440105")
    body = page(haizhu.get("/ledger"))
    assert "领导干部办案记录不全" in body and "逾期" in body and "导出" in body
    entry_url = re.search(r'href="(/ledger/(?!export)[^"/?]+)"', body).group(1)
    assert "提交反馈" in page(haizhu.get(entry_url))  # the answer form
    r = haizhu.post(f"{entry_url}/answer", data={"csrf_token": csrf(haizhu, entry_url),
                                                  "text": "已补全办案记录"})
    assert r.status_code == 302
    assert "已反馈" in page(haizhu.get(entry_url))
    export = haizhu.get("/ledger/export.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"

    tianhe = sign_in(app.test_client(), "chief1@440106")
    assert tianhe.get(entry_url).status_code == 404
    assert "领导干部办案记录不全" not in page(tianhe.get("/ledger"))

    r = inspector.post(f"{entry_url}/verify", data={"csrf_token": csrf(inspector, entry_url),
                                                     "outcome": "accept"})
    assert r.status_code == 302
    assert "已销号" in page(inspector.get(entry_url))
