"""Process monitoring when a case changes (流程监控: "rules run in the daily sweep and
when a case changes; each hit is an alert on the case and in the handler's inbox").

A registration, an upload, a decision or a moved clock reconciles the case's alerts
when its transaction commits, without waiting for the sweep; the alerts belong to the
case's unit whoever made the change; a failing monitoring never loses the change; the
cost is a fixed number of statements. The case page shows its open alerts, and "my
cases" the alerts on mine.
"""
from __future__ import annotations

import io
import logging
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from procuracy.cases import decisions
from procuracy.cases.calendar import calendar_for, china_today
from procuracy.cases.catalogue import set_calendar_day
from procuracy.cases.models import Case, CaseClock, CaseDocument, CaseStep
from procuracy.extensions import db
from procuracy.oversight import monitoring_hook, monitoring_sweep
from procuracy.oversight.monitoring_models import MonitoringAlert
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import current_scope, system_scope
from tests.test_monitoring import counting_statements
from tests.test_pages import page, sign_in

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
REQUIRED = ["起诉意见书", "案卷材料", "证据"]  # the prosecution review stage's documents
HZ, TH = "440105", "440106"  # Haizhu and its sibling Tianhe, districts of Guangzhou


@pytest.fixture
def store(app, tmp_path):
    saved = app.config.get("DOCUMENT_STORE")
    app.config["DOCUMENT_STORE"] = str(tmp_path)
    yield tmp_path
    if saved is None:
        app.config.pop("DOCUMENT_STORE", None)
    else:
        app.config["DOCUMENT_STORE"] = saved


def unit_id(code: str) -> int:
    with system_scope("test: unit id"):
        return db.session.scalars(select(Unit.id).where(Unit.code == code)).one()


def alerts_of(case_id: int, status: str = "open") -> dict[str, MonitoringAlert]:
    with system_scope("test: the case's alerts"):
        return {a.rule_code: a for a in db.session.scalars(select(MonitoringAlert).where(
            MonitoringAlert.case_id == case_id, MonitoringAlert.status == status))}


def case_id_of(public_id: str) -> int:
    with system_scope("test: case id"):
        return db.session.scalars(select(Case.id).where(Case.public_id == public_id)).one()


def register(client, headers, **over) -> dict:
    body = {"kind": "prosecution_review", "source_agency": "广州市公安局海珠区分局",
            "received_on": (china_today() - timedelta(days=10)).isoformat(),
            "suspects": ["张三"], "charges": ["盗窃罪"], "detained": False, **over}
    r = client.post("/api/v1/cases", json=body, headers=headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def upload(client, headers, case: str, doc_type: str):
    return client.post(f"/api/v1/cases/{case}/documents", headers=headers,
                       data={"doc_type": doc_type, "file": (io.BytesIO(PDF), f"{doc_type}.pdf")},
                       content_type="multipart/form-data")


def prosecution_case(make_case, handler: str = f"prosecutor1@{HZ}", **fields):
    """A Haizhu case in the prosecution review stage, received long ago, its alerts not
    yet evaluated (made directly, as the system): (id, public id)."""
    values = {"kind_code": "prosecution_review", "stage_code": "review",
              "received_on": china_today() - timedelta(days=20), "suspects": ["张三"],
              "charges": ["盗窃罪"], **fields}
    return make_case(HZ, handler=handler, **values)


def add_clock(case_id: int, due_on, name: str = "review") -> None:
    with system_scope("test: a running clock"):
        db.session.add(CaseClock(unit_id=unit_id(HZ), case_id=case_id, name=name,
                                 stage_code="review", started_on=due_on - timedelta(days=30),
                                 limit_value=1, limit_unit="months", due_on=due_on))
        db.session.commit()


# ---------------------------------------------------------------- at once, no sweep
def test_a_case_registered_without_its_documents_is_alerted_at_once(client, token_for):
    me = token_for(f"casemanager1@{HZ}")
    case = register(client, me)
    assert case["stage"] == "review"
    alert = alerts_of(case_id_of(case["id"]))["missing_document"]
    assert alert.unit_id == unit_id(HZ) and alert.detail["missing"] == REQUIRED
    assert (alert.severity, alert.step) == ("normal", "reminder")


def test_uploading_the_missing_documents_closes_the_alert(client, token_for, store):
    me = token_for(f"casemanager1@{HZ}")
    case = register(client, me)
    case_id = case_id_of(case["id"])
    assert upload(client, me, case["id"], REQUIRED[0]).status_code == 201
    still = alerts_of(case_id)["missing_document"]
    assert still.detail["missing"] == REQUIRED[1:]  # the same alert, brought up to date
    for doc_type in REQUIRED[1:]:
        assert upload(client, me, case["id"], doc_type).status_code == 201
    assert "missing_document" not in alerts_of(case_id)
    assert alerts_of(case_id, "closed")["missing_document"].id == still.id


def test_decisions_recorded_sent_up_and_approved_run_the_rules(as_user, make_case):
    ordinary, _ = prosecution_case(make_case)
    with as_user(f"prosecutor1@{HZ}") as me:
        decisions.record_decision(me, db.session.get(Case, ordinary), "提起公诉", "依法提起公诉")
    assert set(alerts_of(ordinary)) == {"missing_document"}

    major, _ = prosecution_case(make_case, major=True)
    with as_user(f"prosecutor1@{HZ}") as me:
        request = decisions.record_decision(me, db.session.get(Case, major), "提起公诉", "拟起诉")
        request_id = request.id
    assert request.status == "pending" and set(alerts_of(major)) == {"missing_document"}
    with system_scope("test: documents arrive without a step on the case"):
        handler = db.session.get(Case, major).handler_id
        for doc_type in REQUIRED:
            db.session.add(CaseDocument(unit_id=unit_id(HZ), case_id=major, doc_type=doc_type,
                                        filename="x.pdf", content_type="application/pdf",
                                        size=1, sha256="0" * 64, storage_key="x",
                                        uploaded_by_id=handler))
        db.session.commit()
    assert "missing_document" in alerts_of(major)  # nothing changed on the case itself
    with as_user(f"deputy1@{HZ}") as deputy:
        from procuracy.cases.decision_models import Decision

        decisions.approve(deputy, db.session.get(Decision, request_id), "同意")
    assert "missing_document" not in alerts_of(major)


def test_a_closed_case_s_alerts_close_with_its_next_change(as_user, make_case):
    case_id, _ = prosecution_case(make_case)
    with as_user(f"prosecutor1@{HZ}") as me:
        decisions.record_decision(me, db.session.get(Case, case_id), "提起公诉", "依法提起公诉")
    assert alerts_of(case_id)
    with as_user(f"prosecutor1@{HZ}") as me:
        case = db.session.get(Case, case_id)
        case.status, case.closed_on = "closed", china_today()
        from procuracy.cases.timeline import add_step

        add_step(case, "closed", me.id, "结案")
        db.session.commit()
    assert alerts_of(case_id) == {}


# ---------------------------------------------------------------- whose scope
def _working_clock_due_outside_the_window(case_id: int) -> tuple[int, date, date]:
    """A ten-working-day clock on the case due on the first working day past the
    three-day warning window: its id, due date, and a weekend day inside its period."""
    with system_scope("test: the calendar"):
        calendar = calendar_for(unit_id(HZ))
    today = china_today()
    due = calendar.first_working_day_from(today + timedelta(days=4))
    start, counted = due, 0
    while counted < 10:
        start -= timedelta(days=1)
        counted += calendar.is_working_day(start)
    weekend = next(start + timedelta(days=i) for i in range(1, (due - start).days)
                   if not calendar.is_working_day(start + timedelta(days=i))
                   and (start + timedelta(days=i)).weekday() >= 5)
    with system_scope("test: a working-day clock"):
        clock = CaseClock(unit_id=unit_id(HZ), case_id=case_id, name="handling",
                          stage_code="review", started_on=start, limit_value=10,
                          limit_unit="working_days", due_on=due, in_custody=False)
        db.session.add(clock)
        db.session.commit()
        return clock.id, due, weekend


def test_a_provincial_calendar_change_alerts_the_district_case_in_its_own_unit(
        as_user, make_case):
    """The province's administrator makes a Saturday a working day: the district
    case's clock falls due a day sooner, inside the warning window. The administrator
    can neither read nor write Haizhu's cases, yet the change saves and the alert is
    Haizhu's."""
    case_id, _ = make_case(HZ, handler=f"prosecutor1@{HZ}", kind_code="custody_necessity",
                           stage_code="review", received_on=china_today() - timedelta(days=5))
    clock_id, due_before, weekend = _working_clock_due_outside_the_window(case_id)
    with system_scope("test: the sweep"):
        monitoring_sweep.evaluate_cases({case_id})
        db.session.commit()
    assert "due_soon.other" not in alerts_of(case_id)
    with as_user("admin1@440000") as admin:
        assert current_scope(db.session).write_units == {admin.unit_id}
        set_calendar_day(admin, weekend, "workday", "调休上班")
    with system_scope("test: the clock"):
        moved = db.session.get(CaseClock, clock_id)
        assert moved.due_on < due_before
    alert = alerts_of(case_id)["due_soon.other"]
    assert alert.unit_id == unit_id(HZ) and alert.due_on == moved.due_on


# ---------------------------------------------------------------- failure
def test_a_failing_monitoring_keeps_the_change_and_says_so(client, token_for, store, make_case,
                                                           monkeypatch, caplog):
    case_id, public_id = prosecution_case(make_case)

    def broken(*args, **kwargs):
        db.session.execute(text("SELECT * FROM no_such_table"))  # aborts a PG transaction

    monkeypatch.setattr(monitoring_sweep, "find_hits", broken)
    # (alembic's logging set-up, run by the migrations, disables loggers made before it)
    monkeypatch.setattr(logging.getLogger(monitoring_hook.__name__), "disabled", False)
    with caplog.at_level(logging.ERROR, logger=monitoring_hook.__name__):
        r = upload(client, token_for(f"prosecutor1@{HZ}"), public_id, REQUIRED[0])
    assert r.status_code == 201, r.get_json()
    db.session.rollback()  # whatever the session still held: the upload was committed
    with system_scope("test: what was kept"):
        assert db.session.scalar(select(func.count(CaseDocument.id))
                                 .where(CaseDocument.case_id == case_id)) == 1
        assert db.session.scalar(select(CaseStep.kind).where(CaseStep.case_id == case_id)) \
            == "document_added"
    assert alerts_of(case_id) == {}  # monitoring was undone; the nightly sweep catches up
    assert "monitoring of changed cases" in caplog.text


def test_a_rolled_back_change_monitors_nothing(as_user, make_case):
    case_id, _ = prosecution_case(make_case)
    with as_user(f"prosecutor1@{HZ}") as me:
        from procuracy.cases.timeline import add_step

        add_step(db.session.get(Case, case_id), "reviewed", me.id, "阅卷")
        db.session.rollback()
        db.session.commit()
    assert alerts_of(case_id) == {}


# ---------------------------------------------------------------- cost
def _cost(case_ids: set[int]) -> int:
    db.session.expunge_all()  # nothing cached from before: every read is counted
    db.session.connection()  # and the transaction begun outside the count
    with counting_statements() as seen:
        assert monitoring_hook.evaluate_now(db.session, case_ids)
    db.session.commit()
    return len(seen)


def test_monitoring_one_changed_case_costs_the_same_whatever_its_alerts(make_case):
    one, _ = prosecution_case(make_case)  # a document missing, nothing else
    many, _ = prosecution_case(make_case, designated=True,
                               received_on=china_today() - timedelta(days=400))
    add_clock(many, china_today() - timedelta(days=2))
    add_clock(many, china_today() + timedelta(days=1), name="supplementary")
    first = (_cost({one}), _cost({many}))  # the alerts open
    assert len(alerts_of(one)) == 1 and len(alerts_of(many)) >= 5
    again = (_cost({one}), _cost({many}))  # the alerts hold
    assert first[0] == first[1] and again[0] == again[1]
    assert max(first) <= 30, first


def test_many_changed_cases_of_a_unit_cost_one_sweep_of_it(make_case):
    few = [prosecution_case(make_case)[0] for _ in range(monitoring_sweep.PER_CASE_UP_TO + 1)]
    cost_of_few = _cost(set(few))
    many = [prosecution_case(make_case)[0] for _ in range(3 * monitoring_sweep.PER_CASE_UP_TO)]
    assert _cost(set(many)) == cost_of_few
    assert all("missing_document" in alerts_of(c) for c in few + many)


# ---------------------------------------------------------------- pages
def test_the_case_page_shows_its_open_alerts(app, client, token_for, store):
    case = register(client, token_for(f"casemanager1@{HZ}"))
    reader = sign_in(app.test_client(), f"casemanager1@{HZ}")
    html = page(reader.get(f"/cases/{case['id']}"))
    section = html[html.index('id="alerts"'):html.index('id="clocks"')]
    assert "必备文书缺失" in section and "缺少起诉意见书、案卷材料、证据" in section
    assert ">一般<" in section and "提醒" in section  # its severity, and the step it leads to
    link = re.search(r'href="(/monitoring/alerts\?[^"]+)"', section).group(1)
    alerts_page = reader.get(link.replace("&amp;", "&"))
    assert alerts_page.status_code == 200 and "缺少起诉意见书、案卷材料、证据" in page(alerts_page)


def test_a_sibling_district_gets_404_on_the_case(app, client, token_for):
    case = register(client, token_for(f"casemanager1@{HZ}"))
    r = sign_in(app.test_client(), f"casemanager1@{TH}").get(f"/cases/{case['id']}")
    assert r.status_code == 404


def test_the_case_page_reads_alerts_in_one_statement_whatever_their_number(app, make_case):
    case_id, public_id = prosecution_case(make_case, received_on=china_today())
    add_clock(case_id, china_today() + timedelta(days=20))
    reader = sign_in(app.test_client(), f"casemanager1@{HZ}")
    with system_scope("test: evaluate"):
        monitoring_sweep.evaluate_cases({case_id})
        db.session.commit()
    reader.get(f"/cases/{public_id}")  # warm caches
    with counting_statements() as seen:
        assert reader.get(f"/cases/{public_id}").status_code == 200
    few, few_alerts = len(seen), len(alerts_of(case_id))
    with system_scope("test: more alerts"):
        case = db.session.get(Case, case_id)
        case.designated, case.received_on = True, china_today() - timedelta(days=400)
        db.session.commit()
        monitoring_sweep.evaluate_cases({case_id})
        db.session.commit()
    assert len(alerts_of(case_id)) >= few_alerts + 2
    reader.get(f"/cases/{public_id}")  # the reader reloaded after the commits above
    with counting_statements() as seen:
        assert reader.get(f"/cases/{public_id}").status_code == 200
    assert len(seen) == few


def test_my_cases_lists_the_alerts_on_my_cases(app, client, token_for, store, make_case):
    case_id, public_id = prosecution_case(make_case)
    assert upload(client, token_for(f"prosecutor1@{HZ}"), public_id, REQUIRED[0]).status_code \
        == 201
    inbox = client.get("/api/v1/monitoring/alerts/inbox",
                       headers=token_for(f"prosecutor1@{HZ}")).get_json()
    assert public_id in {a["case"] for a in inbox["alerts"]}
    html = page(sign_in(app.test_client(), f"prosecutor1@{HZ}").get("/cases/mine"))
    panel = html[html.index('id="my-alerts"'):]
    assert "缺少案卷材料、证据" in panel and public_id in panel
    other = page(sign_in(app.test_client(), f"prosecutor2@{HZ}").get("/cases/mine"))
    assert public_id not in other
