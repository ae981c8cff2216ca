"""Jobs in process (no REDIS_URL): recording, scope, failure and retry, idempotent
reports, the schedule and its catch-up, the API and the /jobs page.

Each test runs in conftest's rolled-back transaction. The same jobs through a real RQ
worker and Redis are in test_jobs_worker.py.
"""
from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from jobs import registry
from jobs.registry import JobKind
from jobs.schedule import LOCAL, SCHEDULES, catch_up, last_firing, period_before, period_label
from procuracy import queue
from procuracy.extensions import db
from procuracy.oversight.job_models import FAILED, FINISHED, JobRun, ReportDocument
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import NoScope, current_scope, system_scope
from tests.conftest import PASSWORD


@pytest.fixture
def store(app, tmp_path, monkeypatch):
    """Report files go to a folder of the test's own."""
    monkeypatch.setitem(app.config, "REPORT_STORE", str(tmp_path / "reports"))
    return tmp_path / "reports"


def unit_id(code: str) -> int:
    with system_scope("test: unit id"):
        return db.session.scalars(select(Unit.id).where(Unit.code == code)).one()


def documents(unit: int, kind: str, period: str) -> list[ReportDocument]:
    with system_scope("test: documents"):
        return list(db.session.scalars(select(ReportDocument).filter_by(
            unit_id=unit, kind=kind, period=period)))


# Job functions for these tests (registered per test with ``kind``).
SEEN: dict = {}


def probe(job) -> None:
    scope = current_scope(db.session)
    SEEN.update(reason=scope.reason, everything=scope.everything, params=job.params,
                period=job.period, unit_id=job.unit_id)


def flaky(job) -> None:
    if SEEN.get("fail"):
        raise RuntimeError("数据库暂时不可用")


def fake_bulletin(job) -> int:
    """A bulletin without the rendering: just the document row."""
    doc = ReportDocument(unit_id=job.unit_id, kind=job.kind, period=job.period,
                         data_hash="0" * 64, sha256="0" * 64, built_by_job_id=job.job_run_id)
    db.session.add(doc)
    db.session.commit()
    return doc.id


@pytest.fixture
def kind(monkeypatch):
    def register(name: str, function: str, **options) -> str:
        monkeypatch.setitem(registry.KINDS, name, JobKind(function, **options))
        return name
    SEEN.clear()
    return register


# ---------------------------------------------------------------- in process
def test_in_process_run_is_recorded_finished_with_who_asked(as_user):
    with as_user("prosecutor1@440105") as user:
        run = queue.enqueue("noop", params={"steps": 2}, requested_by=user,
                            unit_id=user.unit_id, period="2026-10")
        assert (run.status, run.progress, run.attempts) == (FINISHED, 100, 1)
        assert run.requested_by_id == user.id and run.unit_id == user.unit_id
        assert run.started_at <= run.finished_at and run.error == ""
        assert run.queue == "default" and run.rq_job_id is None


def test_job_acts_for_all_units_under_a_named_system_scope(as_user, kind):
    name = kind("probe", "tests.test_jobs.probe")
    with as_user("prosecutor1@440105") as user:
        before = current_scope(db.session)
        run = queue.enqueue(name, params={"x": 1}, requested_by=user, unit_id=user.unit_id,
                            period="2026-W44")
        assert current_scope(db.session) == before  # the user's scope is back
        assert SEEN["everything"]
        assert SEEN["reason"] == f"job probe {run.id} for user {user.id}"
        assert (SEEN["params"], SEEN["period"], SEEN["unit_id"]) == ({"x": 1}, "2026-W44",
                                                                     user.unit_id)


def test_job_runs_are_unit_owned_and_fail_closed_without_a_scope(app):
    from procuracy.tenants.scope import set_scope

    set_scope(db.session, None)
    with pytest.raises(NoScope):
        db.session.scalars(select(JobRun)).all()


def test_a_forked_work_horse_drops_the_pool_it_inherited_without_closing_it(app, monkeypatch):
    from jobs import runner

    calls = []
    monkeypatch.setattr(runner, "_app", app)
    monkeypatch.setattr(runner, "_app_pid", os.getpid())
    monkeypatch.setattr(type(db.engine), "dispose", lambda self, close=True: calls.append(close))
    assert runner.get_app() is app and calls == []  # same process: nothing to do
    monkeypatch.setattr(runner, "_app_pid", -1)  # as if this process were a fork
    assert runner.get_app() is app and calls == [False]
    assert runner._app_pid == os.getpid()


def test_failing_job_is_marked_failed_with_its_error_and_can_be_retried(as_user, kind):
    name = kind("flaky", "tests.test_jobs.flaky")
    SEEN["fail"] = True
    with as_user("prosecutor1@440105") as user:
        run = queue.enqueue(name, requested_by=user, unit_id=user.unit_id)
        assert run.status == FAILED and run.finished_at is not None
        assert "RuntimeError: 数据库暂时不可用" in run.error and "Traceback" in run.error
        assert run.message == "RuntimeError: 数据库暂时不可用"
        assert queue.retryable(run)
        SEEN["fail"] = False
        queue.retry(run)
        assert (run.status, run.attempts, run.error) == (FINISHED, 2, "")
        with pytest.raises(queue.NotRetryable):
            queue.retry(run)


def test_demo_noop_fails_when_asked(as_user):
    with as_user("prosecutor1@440105") as user:
        run = queue.enqueue("noop", params={"fail": "故意失败"}, requested_by=user,
                            unit_id=user.unit_id)
    assert run.status == FAILED and "DemoFailure: 故意失败" in run.error


def test_unknown_kind_is_refused_before_anything_is_written(as_user):
    with as_user("prosecutor1@440105") as user, pytest.raises(registry.UnknownJobKind):
        queue.enqueue("no_such_job", requested_by=user, unit_id=user.unit_id)


# ---------------------------------------------------------------- idempotency
def test_same_unit_and_period_twice_leaves_one_document(as_user, store, make_case):
    haizhu = unit_id("440105")
    with as_user("prosecutor1@440105") as user:
        first = queue.enqueue("sample_report", requested_by=user, unit_id=haizhu, period="2026-03")
        second = queue.enqueue("sample_report", requested_by=user, unit_id=haizhu,
                               period="2026-03")
        assert first.status == second.status == FINISHED, (first.error, second.error)
        [doc] = documents(haizhu, "sample_report", "2026-03")
        assert first.result_document_id == second.result_document_id == doc.id
        assert doc.built_by_job_id == first.id  # same data: reused, not rebuilt
    assert doc.pages >= 1 and doc.size == len((store / doc.sha256[:2] / f"{doc.sha256}.pdf")
                                             .read_bytes())
    old_hash, old_sha = doc.data_hash, doc.sha256

    make_case("440105", handler="prosecutor1@440105")  # received 2026-03-01: new data
    with as_user("prosecutor1@440105") as user:
        third = queue.enqueue("sample_report", requested_by=user, unit_id=haizhu, period="2026-03")
        [doc] = documents(haizhu, "sample_report", "2026-03")
        assert third.result_document_id == doc.id and doc.built_by_job_id == third.id
    assert doc.data_hash != old_hash and doc.sha256 != old_sha  # replaced in the same row


def test_the_idempotency_key_is_unique_in_the_database(app):
    haizhu = unit_id("440105")
    with system_scope("test: duplicate document"):
        key = dict(unit_id=haizhu, kind="monthly_bulletin", period="2026-01", variant="")
        db.session.add(ReportDocument(**key, data_hash="a" * 64, sha256="b" * 64))
        db.session.flush()
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(ReportDocument(**key, data_hash="c" * 64, sha256="d" * 64))
            db.session.flush()


# ---------------------------------------------------------------- schedule
def test_schedule_is_data_in_shanghai_time():
    crons = {s.name: (s.cron, s.kind) for s in SCHEDULES}
    assert crons == {
        "daily-monitoring-sweep": ("0 1 * * *", "monitoring_sweep"),
        "weekly-summary": ("0 2 * * 1", "weekly_summary"),
        "monthly-bulletins": ("0 3 1 * *", "monthly_bulletin"),
    }
    assert all(s.kind in registry.KINDS for s in SCHEDULES)
    assert registry.get("monthly_bulletin").queue == "pdf"


def test_periods_are_the_ones_that_just_ended():
    at = datetime(2026, 11, 2, 1, 0, tzinfo=LOCAL)  # a Monday
    assert period_before("day", at) == "2026-11-01"
    assert period_before("week", at) == "2026-W44"
    assert period_before("month", at) == "2026-10"
    assert period_label("2026-10") == "2026年10月"
    assert period_label("2026-W44") == "2026年第44周"
    monthly = SCHEDULES[2]
    # 03:00 on the 1st in Shanghai is 19:00 UTC the day before
    assert last_firing(monthly, datetime(2026, 10, 31, 19, 0, tzinfo=UTC)) == datetime(
        2026, 11, 1, 3, 0, tzinfo=LOCAL)
    assert last_firing(monthly, datetime(2026, 11, 1, 3, 0, tzinfo=LOCAL)) == datetime(
        2026, 11, 1, 3, 0, tzinfo=LOCAL)
    assert last_firing(monthly, datetime(2026, 11, 1, 2, 59, tzinfo=LOCAL)) == datetime(
        2026, 10, 1, 3, 0, tzinfo=LOCAL)


def test_catch_up_enqueues_each_missing_bulletin_once(app, kind):
    kind("monthly_bulletin", "tests.test_jobs.fake_bulletin", queue="pdf", report=True)
    with system_scope("test: units"):
        units = db.session.scalar(select(func.count(Unit.id)))
    after = datetime(2026, 11, 1, 4, 0, tzinfo=LOCAL)
    created = catch_up(after)
    assert len(created) == units
    with system_scope("test: runs"):
        runs = list(db.session.scalars(select(JobRun).where(JobRun.id.in_(created))))
    assert {(r.kind, r.period, r.status, r.requested_by_id) for r in runs} == {
        ("monthly_bulletin", "2026-10", FINISHED, None)}
    assert catch_up(after) == []  # nothing missing any more
    # Before this month's 03:00 firing, the last due one was October's (September's period).
    assert len(catch_up(datetime(2026, 11, 1, 2, 0, tzinfo=LOCAL))) == units


def test_cron_config_registers_the_schedule_and_the_catch_up_in_shanghai_time(monkeypatch):
    import importlib
    import sys
    import time

    from rq import cron

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        sys.modules.pop("jobs.cron_config", None)
        importlib.import_module("jobs.cron_config")
        assert os.environ["TZ"] == "Asia/Shanghai"
        registered = [cron.CronJob(**data) for data in cron._job_data_registry]
        found = [(j.name, j.cron, j.interval, j.func_name, j.args, j.queue_name,
                  j.next_enqueue_time.astimezone(LOCAL).strftime("%H:%M") if j.cron else None)
                 for j in registered]
    finally:
        cron._job_data_registry.clear()
        sys.modules.pop("jobs.cron_config", None)
        monkeypatch.undo()
        time.tzset()
    assert found == [
        ("daily-monitoring-sweep", "0 1 * * *", None, "jobs.schedule.fire",
         ("daily-monitoring-sweep",), "default", "01:00"),
        ("weekly-summary", "0 2 * * 1", None, "jobs.schedule.fire", ("weekly-summary",),
         "default", "02:00"),
        ("monthly-bulletins", "0 3 1 * *", None, "jobs.schedule.fire", ("monthly-bulletins",),
         "default", "03:00"),
        ("catch-up", None, 3600, "jobs.schedule.run_catch_up", (), "default", None),
    ]


# ---------------------------------------------------------------- API and page
def test_user_asks_for_a_report_follows_it_and_downloads_it_watermarked(
        client, token_for, store, tmp_path):
    import re
    import shutil
    import subprocess

    me = token_for("prosecutor1@440105")
    r = client.post("/api/v1/jobs", json={"kind": "sample_report", "period": "2026-03"},
                    headers=me)
    assert r.status_code == 202, r.get_json()
    job = r.get_json()
    assert (job["status"], job["progress"], job["requested_by"], job["unit"]) == (
        FINISHED, 100, "prosecutor1@440105", "440105")
    assert job["document"]["pages"] >= 1 and not job["retryable"]
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=me).get_json()["progress"] == 100
    assert job["id"] in [j["id"] for j in client.get("/api/v1/jobs", headers=me).get_json()]
    # Another district, and a colleague who did not ask and does not read the whole unit: 404.
    for other in ("prosecutor1@440106", "prosecutor2@440105"):
        assert client.get(f"/api/v1/jobs/{job['id']}", headers=token_for(other)).status_code == 404
    assert client.get(f"/api/v1/jobs/{job['id']}",
                      headers=token_for("chief1@440105")).status_code == 200

    r = client.get(f"/api/v1/jobs/{job['id']}/pdf", headers=me)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "no-store" and r.data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        (tmp_path / "copy.pdf").write_bytes(r.data)
        text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "copy.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "prosecutor1@440105）下载于" in re.sub(r"\s", "", text)


def test_users_may_request_only_report_kinds(client, token_for):
    r = client.post("/api/v1/jobs", json={"kind": "noop", "period": "2026-03"},
                    headers=token_for("prosecutor1@440105"))
    assert r.status_code == 403
    r = client.post("/api/v1/jobs", json={"kind": "sample_report", "period": "March"},
                    headers=token_for("prosecutor1@440105"))
    assert r.status_code == 422


def test_a_failed_job_is_retried_by_the_requester_or_a_case_manager_of_the_unit(
        client, token_for, as_user, kind):
    name = kind("flaky", "tests.test_jobs.flaky")
    SEEN["fail"] = True
    with as_user("prosecutor1@440105") as user:
        job_id = queue.enqueue(name, requested_by=user, unit_id=user.unit_id).public_id
    SEEN["fail"] = False
    chief = token_for("chief1@440105")  # sees it, may not retry it
    listed = client.get("/api/v1/jobs?status=failed", headers=chief).get_json()
    [failed] = [j for j in listed if j["id"] == job_id]
    assert "数据库暂时不可用" in failed["error"] and not failed["retryable"]
    assert client.post(f"/api/v1/jobs/{job_id}/retry", headers=chief).status_code == 403
    manager = token_for("casemanager1@440105")
    r = client.post(f"/api/v1/jobs/{job_id}/retry", headers=manager)
    assert r.status_code == 202 and r.get_json()["status"] == FINISHED
    assert r.get_json()["attempts"] == 2
    assert client.post(f"/api/v1/jobs/{job_id}/retry", headers=manager).status_code == 409


@pytest.fixture
def fresh_g(app):
    """One request, one ``g`` (the test's app context outlives requests; see test_pages)."""
    from flask import g, request_started

    def clear(sender, **extra):
        g.__dict__.clear()

    request_started.connect(clear, app)
    yield
    request_started.disconnect(clear, app)


def test_jobs_page_shows_failed_jobs_with_their_error_and_a_retry_button(
        client, as_user, kind, fresh_g, store):
    import re

    name = kind("flaky", "tests.test_jobs.flaky")
    SEEN["fail"] = True
    with as_user("prosecutor1@440105") as user:
        job_id = queue.enqueue(name, requested_by=user, unit_id=user.unit_id).public_id
    SEEN["fail"] = False
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    login = client.get("/login").get_data(as_text=True)
    r = client.post("/login", data={"username": "prosecutor1@440105", "password": PASSWORD,
                                    "csrf_token": token.search(login).group(1)})
    assert r.status_code == 302
    body = client.get("/jobs").get_data(as_text=True)
    assert "数据库暂时不可用" in body and f"/jobs/{job_id}/retry" in body
    forms = re.findall(r"<form[^>]*>.*?</form>", body, re.S)
    assert all('name="csrf_token"' in f for f in forms if 'method="post"' in f)
    assert client.post(f"/jobs/{job_id}/retry").status_code == 400  # no CSRF token
    r = client.post(f"/jobs/{job_id}/retry", data={"csrf_token": token.search(body).group(1)})
    assert r.status_code == 302
    with as_user("prosecutor1@440105"):
        assert queue_run(job_id).status == FINISHED
    # Asking for the sample report from the page (in process: built at once).
    r = client.post("/jobs/sample-report", data={"period": "2026-03",
                                                 "csrf_token": token.search(body).group(1)})
    assert r.status_code == 302
    body = client.get("/jobs").get_data(as_text=True)
    [pdf_link] = re.findall(r'href="(/jobs/[^"]+/pdf)"', body)
    r = client.get(pdf_link)
    assert r.status_code == 200 and r.mimetype == "application/pdf"


def queue_run(public_id: str) -> JobRun:
    return db.session.scalars(select(JobRun).where(JobRun.public_id == public_id)).one()
