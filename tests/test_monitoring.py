"""Process monitoring (流程监控), from the law's numbers: the arrest review of a detained
suspect runs seven days and warns two days before, the prosecution review warns five;
a stage's required documents; a unit may tighten the province's rules, not loosen
them; the sweep is idempotent and set-based; notices go down the tree, are answered
by the handler, closed by the issuer, escalated when unanswered; siblings see nothing.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from procuracy.cases.calendar import china_today
from procuracy.cases.models import Case, CaseClock, CaseDocument
from procuracy.extensions import db
from procuracy.oversight.monitoring_models import MonitoringAlert, MonitoringNotice
from procuracy.oversight.monitoring_seed import seed_monitoring
from procuracy.oversight.monitoring_sweep import evaluate_case, sweep_unit
from procuracy.tenants.models import Unit, User
from procuracy.tenants.scope import system_scope

TODAY = date(2026, 11, 23)
API = "/api/v1/monitoring"


@pytest.fixture(autouse=True)
def rules(app):
    """The province's demo rules (the demo seed publishes them too)."""
    with system_scope("test: monitoring rules"):
        seed_monitoring()
        db.session.commit()


def unit_id(code: str) -> int:
    with system_scope("test: unit id"):
        return db.session.scalars(select(Unit.id).where(Unit.code == code)).one()


def user_id(username: str) -> int:
    with system_scope("test: user id"):
        return db.session.scalars(select(User.id).where(User.username == username)).one()


@pytest.fixture
def review_case(make_case):
    """A case of ``kind`` at ``stage`` in Haizhu, handled by prosecutor1, whose
    statutory clock falls due on ``due_on``: (case id, public id)."""

    def make(due_on: date, kind: str = "arrest_review", stage: str = "review@detained",
             unit: str = "440105", handler: str = "prosecutor1@440105", **fields):
        case_id, public_id = make_case(unit, handler=handler, kind_code=kind, stage_code=stage,
                                       detained=True, **fields)
        with system_scope("test: a running clock"):
            db.session.add(CaseClock(unit_id=unit_id(unit), case_id=case_id, name="review",
                                     stage_code=stage, started_on=due_on - timedelta(days=7),
                                     limit_value=7, limit_unit="days", due_on=due_on))
            db.session.commit()
        return case_id, public_id

    return make


def alerts_of(case_id: int, status: str = "open") -> dict[str, MonitoringAlert]:
    with system_scope("test: alerts"):
        return {a.rule_code: a for a in db.session.scalars(select(MonitoringAlert).where(
            MonitoringAlert.case_id == case_id, MonitoringAlert.status == status))}


def sweep(code: str = "440105", today: date = TODAY):
    with system_scope("test: the daily sweep"):
        result = sweep_unit(unit_id(code), today)
        db.session.commit()
    return result


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


# ---------------------------------------------------------------- statutory clocks
def test_an_arrest_review_two_days_before_its_limit_raises_a_due_soon_alert(review_case):
    two_days, three_days = review_case(TODAY + timedelta(days=2)), review_case(
        TODAY + timedelta(days=3))
    sweep()
    alert = alerts_of(two_days[0])["due_soon.arrest_review"]
    assert alert.severity == "normal" and alert.step == "reminder"
    assert alert.due_on == TODAY + timedelta(days=2)
    assert alert.handler_id == user_id("prosecutor1@440105")
    assert "due_soon.arrest_review" not in alerts_of(three_days[0])


def test_past_its_limit_the_arrest_review_is_overdue_and_the_warning_closes(review_case):
    case_id, _ = review_case(TODAY + timedelta(days=2))
    sweep()
    assert "overdue" not in alerts_of(case_id)
    sweep(today=TODAY + timedelta(days=3))
    overdue = alerts_of(case_id)["overdue"]
    assert overdue.severity == "major" and overdue.step == "notice"
    assert "due_soon.arrest_review" not in alerts_of(case_id)
    assert "due_soon.arrest_review" in alerts_of(case_id, "closed")


def test_a_prosecution_review_warns_five_days_before_its_limit(review_case):
    five = review_case(TODAY + timedelta(days=5), kind="prosecution_review", stage="review")
    six = review_case(TODAY + timedelta(days=6), kind="prosecution_review", stage="review")
    sweep()
    assert "due_soon.prosecution_review" in alerts_of(five[0])
    assert "due_soon.prosecution_review" not in alerts_of(six[0])
    assert "due_soon.arrest_review" not in alerts_of(five[0])


def test_a_stopped_clock_raises_nothing(review_case):
    case_id, _ = review_case(TODAY + timedelta(days=1))
    with system_scope("test: the decision is taken"):
        clock = db.session.scalars(select(CaseClock).where(CaseClock.case_id == case_id)).one()
        clock.stopped_on = TODAY - timedelta(days=1)
        db.session.commit()
    sweep()
    assert not {"due_soon.arrest_review", "overdue"} & set(alerts_of(case_id))


# ---------------------------------------------------------------- what a stage requires
def add_document(case_id: int, doc_type: str) -> None:
    with system_scope("test: a document"):
        case = db.session.get(Case, case_id)
        db.session.add(CaseDocument(unit_id=case.unit_id, case_id=case_id, doc_type=doc_type,
                                    filename="x.pdf", content_type="application/pdf", size=1,
                                    sha256="0" * 64, storage_key="x",
                                    uploaded_by_id=case.handler_id))
        db.session.commit()


def test_a_missing_required_document_at_a_stage_raises_its_alert(review_case, as_user):
    # 审查逮捕 of a detained suspect requires 提请批准逮捕书, 案卷材料 and 证据.
    case_id, _ = review_case(TODAY + timedelta(days=4))
    add_document(case_id, "提请批准逮捕书")
    add_document(case_id, "案卷材料")
    sweep()
    alert = alerts_of(case_id)["missing_document"]
    assert alert.detail["missing"] == ["证据"] and "证据" in alert.message
    assert alert.subject == "stage:review@detained"
    add_document(case_id, "证据")
    with as_user("prosecutor1@440105"):  # the cases code calls this after a change
        still_open = {a.rule_code for a in evaluate_case(case_id, TODAY)}
    assert "missing_document" not in still_open
    assert "missing_document" in alerts_of(case_id, "closed")


def test_missing_case_card_fields_are_named(review_case):
    case_id, _ = review_case(TODAY + timedelta(days=4), suspects=[{"name": "张某"}])
    sweep()
    assert alerts_of(case_id)["missing_field"].detail["missing"] == ["charges"]


def test_a_leader_handling_a_case_outside_the_lines_definition_is_flagged(review_case):
    with system_scope("test: the department head holds a quota"):
        db.session.get(User, user_id("depthead1@440105")).holds_quota = True
        db.session.commit()
    plain, _ = review_case(TODAY + timedelta(days=9), handler="depthead1@440105")
    major, _ = review_case(TODAY + timedelta(days=9), handler="depthead1@440105",
                           charges=["故意杀人罪"])
    sweep()
    assert "leader_case" in alerts_of(plain)
    assert "leader_case" not in alerts_of(major)  # the criminal line's rule: a homicide


# ---------------------------------------------------------------- adjusting the rules
def rule(client, headers, code: str, unit: str | None = None) -> dict:
    response = client.get(f"{API}/rules", headers=headers,
                          query_string={"unit": unit} if unit else {})
    assert response.status_code == 200, response.get_json()
    return next(r for r in response.get_json() if r["code"] == code)


def test_a_unit_tightens_a_warning_and_it_is_applied(client, token_for, review_case):
    manager = token_for("casemanager1@440105")
    response = client.put(f"{API}/rules/due_soon.arrest_review", headers=manager,
                          json={"params": {"days": 4}, "severity": "major"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["params"]["days"] == 4
    assert response.get_json()["origin"] == "own"
    assert rule(client, token_for("casemanager1@440106"), "due_soon.arrest_review")[
        "params"]["days"] == 2  # Tianhe keeps the province's
    case_id, _ = review_case(TODAY + timedelta(days=4))
    sweep()
    assert alerts_of(case_id)["due_soon.arrest_review"].severity == "major"


@pytest.mark.parametrize("change", [
    {"params": {"days": 1}},  # warn later than the province allows
    {"params": {"days": 9}},  # beyond the province's upper bound
    {"params": {"kinds": 3}},  # not a parameter units may change
    {"severity": "minor"},  # milder than the province's
    {"step": "reminder", "severity": "normal"},  # overdue leads to a notice
    {"enabled": False},  # overdue may not be switched off
])
def test_a_loosening_beyond_the_provinces_limits_is_refused_and_nothing_changes(
        client, token_for, change):
    manager = token_for("casemanager1@440105")
    code = "overdue" if "enabled" in change or "step" in change else "due_soon.arrest_review"
    before = rule(client, manager, code)
    response = client.put(f"{API}/rules/{code}", headers=manager, json=change)
    assert response.status_code == 422, response.get_json()
    assert rule(client, manager, code) == before and before["origin"] == "province"


def test_only_the_chief_or_case_managers_adjust_and_the_province_cannot(client, token_for):
    body = {"params": {"days": 3}}
    assert client.put(f"{API}/rules/due_soon.arrest_review", json=body,
                      headers=token_for("prosecutor1@440105")).status_code == 403
    assert client.put(f"{API}/rules/due_soon.arrest_review", json=body,
                      headers=token_for("casemanager1@440000")).status_code == 403
    assert client.put(f"{API}/rules/no.such.rule", json=body,
                      headers=token_for("casemanager1@440105")).status_code == 404


def test_a_citys_adjustment_reaches_its_districts_and_a_reset_restores_it(client, token_for):
    city = token_for("casemanager1@440100")
    assert client.put(f"{API}/rules/long_unclosed", headers=city,
                      json={"params": {"days": 90}}).status_code == 200
    inherited = rule(client, token_for("prosecutor1@440105"), "long_unclosed")
    assert inherited["params"]["days"] == 90 and inherited["origin"] == "inherited"
    assert inherited["origin_unit"] == "440100"
    response = client.delete(f"{API}/rules/long_unclosed", headers=city)
    assert response.status_code == 200 and response.get_json()["origin"] == "province"


# ---------------------------------------------------------------- the sweep
def test_the_sweep_is_idempotent(review_case):
    case_id, _ = review_case(TODAY + timedelta(days=1))
    first = sweep()
    open_ids = {a.id for a in alerts_of(case_id).values()}
    second = sweep()
    assert open_ids and {a.id for a in alerts_of(case_id).values()} == open_ids
    assert second.opened == 0 and second.closed == 0 and second.kept == first.opened + first.kept


def test_a_sweep_that_loses_the_race_to_open_an_alert_skips_it_and_does_not_fail(
        review_case, monkeypatch):
    # The alert was opened (by the evaluation after a case change) after this sweep read
    # the open alerts: the sweep's insert meets the unique index and must skip the row.
    from procuracy.oversight import monitoring_sweep

    case_id, _ = review_case(TODAY + timedelta(days=1))
    sweep()
    opened = {a.id for a in alerts_of(case_id).values()}
    real = monitoring_sweep.select

    def stale_read(*args):  # the sweep's read of the open alerts sees none of them
        query = real(*args)
        if args == (MonitoringAlert,):
            return query.where(MonitoringAlert.id < 0)
        return query
    monkeypatch.setattr(monitoring_sweep, "select", stale_read)
    sweep()
    monkeypatch.undo()
    assert opened and {a.id for a in alerts_of(case_id).values()} == opened


def test_the_sweep_costs_the_same_statements_whatever_the_number_of_cases(review_case):
    def measured(count: int, due: date) -> tuple[int, int]:
        for _ in range(count):
            review_case(due)
        with system_scope("test: the daily sweep"), counting_statements() as seen:
            result = sweep_unit(unit_id("440105"), TODAY)
        db.session.commit()
        return len(seen), result.opened

    few, opened_few = measured(2, TODAY + timedelta(days=1))
    many, opened_many = measured(12, TODAY + timedelta(days=2))
    assert opened_many > opened_few > 0
    assert many == few


def test_the_scheduled_job_sweeps_the_provinces_tree(review_case):
    from procuracy import queue

    case_id, _ = review_case(TODAY - timedelta(days=1))
    with system_scope("test: the scheduler"):
        run = queue.enqueue("monitoring_sweep", unit_id=unit_id("440000"),
                            period=(TODAY - timedelta(days=1)).isoformat(),
                            params={"today": TODAY.isoformat()})
        assert run.status == "finished", run.error
    assert "overdue" in alerts_of(case_id)


# ---------------------------------------------------------------- notices
def issue(client, token_for, public_id: str, deadline: date, who="casemanager1@440100"):
    return client.post(f"{API}/notices", headers=token_for(who), json={
        "case": public_id, "problem": "审查逮捕案件超期，请说明原因并整改",
        "severity": "major", "deadline": deadline.isoformat()})


def test_a_city_case_manager_issues_a_notice_to_haizhu_the_handler_answers_it_closes(
        client, token_for, review_case):
    today = china_today()
    case_id, public_id = review_case(today + timedelta(days=1))
    response = issue(client, token_for, public_id, today + timedelta(days=5))
    assert response.status_code == 201, response.get_json()
    notice = response.get_json()
    assert notice["number"].startswith(f"穗检案监〔{today.year}〕") and notice["number"].endswith("号")
    assert (notice["issuing_unit"], notice["unit"], notice["state"]) == ("440100", "440105", "open")
    second = issue(client, token_for, public_id, today + timedelta(days=5)).get_json()
    n = int(notice["number"].split("〕")[1][:-1])
    assert second["number"] == f"穗检案监〔{today.year}〕{n + 1}号"

    handler = token_for("prosecutor1@440105")
    inbox = client.get(f"{API}/alerts/inbox", headers=handler).get_json()
    assert notice["id"] in [x["id"] for x in inbox["notices"]]
    assert client.post(f"{API}/notices/{notice['id']}/answer", headers=token_for(
        "prosecutor2@440105"), json={"text": "不是我的案件"}).status_code in (403, 404)
    response = client.post(f"{API}/notices/{notice['id']}/answer", headers=handler,
                           json={"text": "已补充证据并报请审批，今日作出决定"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["state"] == "answered"
    assert response.get_json()["answers"][0]["late"] is False

    manager = token_for("casemanager1@440100")
    assert client.post(f"{API}/notices/{notice['id']}/close", headers=token_for(
        "casemanager1@440105"), json={}).status_code == 403  # not the issuing unit
    response = client.post(f"{API}/notices/{notice['id']}/close", headers=manager,
                           json={"note": "答复属实"})
    assert response.status_code == 200 and response.get_json()["state"] == "closed"
    assert client.post(f"{API}/notices/{notice['id']}/close", headers=manager,
                       json={}).status_code == 409

    from procuracy.oversight.ledger_models import LedgerEntry

    with system_scope("test: the problem ledger"):
        entry = db.session.scalars(select(LedgerEntry).where(
            LedgerEntry.source == "monitoring",
            LedgerEntry.source_ref == notice["number"])).one()
        assert (entry.unit_id, entry.reviewed_unit_id, entry.case_id) == (
            unit_id("440100"), unit_id("440105"), case_id)


def test_a_notice_cannot_be_closed_before_it_is_answered(client, token_for, review_case):
    _, public_id = review_case(china_today() + timedelta(days=1))
    notice = issue(client, token_for, public_id, china_today() + timedelta(days=3)).get_json()
    assert client.post(f"{API}/notices/{notice['id']}/close", json={},
                       headers=token_for("casemanager1@440100")).status_code == 409


def test_an_unanswered_notice_past_its_deadline_is_escalated_to_the_chief(
        client, token_for, review_case):
    from procuracy import queue

    today = china_today()
    _, public_id = review_case(today + timedelta(days=1))
    notice = issue(client, token_for, public_id, today + timedelta(days=2)).get_json()
    with system_scope("test: the scheduler, three days later"):
        run = queue.enqueue("monitoring_sweep", unit_id=unit_id("440000"),
                            params={"today": (today + timedelta(days=3)).isoformat()})
        assert run.status == "finished", run.error
    seen = client.get(f"{API}/notices/{notice['id']}",
                      headers=token_for("casemanager1@440100")).get_json()
    assert seen["state"] == "escalated" and seen["escalated_to"].endswith("(chief1@440105)")
    chief = token_for("chief1@440105")
    inbox = client.get(f"{API}/alerts/inbox", headers=chief).get_json()
    assert notice["id"] in [x["id"] for x in inbox["notices"]]
    response = client.post(f"{API}/notices/{notice['id']}/answer", headers=chief,
                           json={"text": "已责成承办人整改"})
    assert response.status_code == 201
    assert response.get_json()["answers"][0]["by"].endswith("(chief1@440105)")


def test_an_issuer_escalates_an_answer_it_finds_wanting(client, token_for, review_case):
    _, public_id = review_case(china_today() + timedelta(days=1))
    notice = issue(client, token_for, public_id, china_today() + timedelta(days=3)).get_json()
    url = f"{API}/notices/{notice['id']}/escalate"
    assert client.post(url, json={"reason": ""},
                       headers=token_for("casemanager1@440100")).status_code == 422
    response = client.post(url, json={"reason": "答复未说明超期原因"},
                           headers=token_for("casemanager1@440100"))
    assert response.status_code == 200 and response.get_json()["state"] == "escalated"


def test_only_case_managers_issue_and_only_about_their_tree(client, token_for, review_case):
    _, public_id = review_case(china_today() + timedelta(days=1))
    deadline = china_today() + timedelta(days=3)
    assert issue(client, token_for, public_id, deadline,
                 who="prosecutor1@440100").status_code in (403, 404)
    assert issue(client, token_for, public_id, deadline,
                 who="casemanager1@440106").status_code == 404
    assert issue(client, token_for, public_id, china_today(),
                 who="casemanager1@440100").status_code == 422  # no time to answer


# ---------------------------------------------------------------- who sees what
def test_tianhe_sees_nothing_of_haizhus_alerts_or_notices(client, token_for, review_case):
    case_id, public_id = review_case(china_today() - timedelta(days=1))
    sweep(today=china_today())
    alert_id = alerts_of(case_id)["overdue"].public_id
    notice = issue(client, token_for, public_id, china_today() + timedelta(days=5)).get_json()
    city = token_for("casemanager1@440100")
    assert alert_id in [a["id"] for a in client.get(
        f"{API}/alerts", headers=city, query_string={"unit": "440105"}).get_json()]

    tianhe = token_for("casemanager1@440106")
    assert client.get(f"{API}/alerts/{alert_id}", headers=tianhe).status_code == 404
    assert client.get(f"{API}/notices/{notice['id']}", headers=tianhe).status_code == 404
    listed = client.get(f"{API}/alerts", headers=tianhe, query_string={"status": "all"})
    assert alert_id not in [a["id"] for a in listed.get_json()]
    assert notice["id"] not in [n["id"] for n in client.get(
        f"{API}/notices", headers=tianhe).get_json()]
    assert client.get(f"{API}/alerts", headers=tianhe,
                      query_string={"unit": "440105"}).status_code == 404
    assert client.get(f"{API}/rules", headers=tianhe,
                      query_string={"unit": "440105"}).status_code == 404
    assert client.post(f"{API}/sweeps", headers=tianhe,
                       json={"unit": "440105"}).status_code == 404
    assert client.post(f"{API}/notices/{notice['id']}/answer", headers=token_for(
        "prosecutor1@440106"), json={"text": "x"}).status_code == 404


def test_a_city_case_manager_runs_monitoring_over_a_district_on_demand(
        client, token_for, review_case):
    case_id, _ = review_case(china_today() - timedelta(days=2))
    response = client.post(f"{API}/sweeps", headers=token_for("casemanager1@440100"),
                           json={"unit": "440105"})
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["status"] == "finished"
    assert "overdue" in alerts_of(case_id)
    assert client.post(f"{API}/sweeps", headers=token_for("prosecutor1@440105"),
                       json={}).status_code == 403


def test_the_handlers_inbox_holds_their_cases_alerts_only(client, token_for, review_case):
    mine, _ = review_case(china_today() + timedelta(days=1))
    other, _ = review_case(china_today() + timedelta(days=1), handler="prosecutor2@440105")
    sweep(today=china_today())
    inbox = client.get(f"{API}/alerts/inbox", headers=token_for("prosecutor1@440105")).get_json()
    ids = {a["id"] for a in inbox["alerts"]}
    assert {a.public_id for a in alerts_of(mine).values()} <= ids
    assert not {a.public_id for a in alerts_of(other).values()} & ids
    with system_scope("test: notices count"):
        assert db.session.scalars(select(MonitoringNotice.id)).first() is None


# ---------------------------------------------------------------- pages
def test_the_handler_sees_the_alerts_on_their_cases_in_chinese(app, review_case):
    from tests.test_pages import page, sign_in

    case_id, _ = review_case(china_today() - timedelta(days=1))
    sweep(today=china_today())
    with system_scope("test: the case number"):
        number = db.session.get(Case, case_id).number
    client = sign_in(app.test_client(), "prosecutor1@440105")
    html = page(client.get("/monitoring/alerts"))
    assert "流程监控" in html and number in html and "超期" in html and "较重" in html
    assert "发出通知书" not in html  # a handler issues no notices


def test_the_rules_page_shows_each_rules_origin(app, client, token_for):
    from tests.test_pages import page, sign_in

    assert client.put(f"{API}/rules/due_soon.arrest_review", headers=token_for(
        "casemanager1@440105"), json={"params": {"days": 3}}).status_code == 200
    html = page(sign_in(app.test_client(), "casemanager1@440105").get("/monitoring/rules"))
    assert "本院调整" in html and "省院" in html and "审查逮捕期限临近届满预警" in html


def test_a_loosening_on_the_rules_page_is_refused_and_nothing_changes(app, client, token_for):
    from tests.test_pages import post, sign_in

    browser = sign_in(app.test_client(), "casemanager1@440105")
    response = post(browser, "/monitoring/rules/due_soon.arrest_review",
                    {"param_days": "1", "severity": "normal", "step": "reminder"},
                    token_from="/monitoring/rules")
    assert response.status_code == 422
    assert "outside the province" in response.get_data(as_text=True)
    assert rule(client, token_for("casemanager1@440105"), "due_soon.arrest_review")[
        "origin"] == "province"


def test_a_notice_is_issued_answered_and_closed_on_the_pages(app, review_case):
    from tests.test_pages import page, post, sign_in

    _, public_id = review_case(china_today() - timedelta(days=1))
    manager = sign_in(app.test_client(), "casemanager1@440100")
    response = post(manager, "/monitoring/notices", {
        "case": public_id, "problem": "超期未结，请说明", "severity": "major",
        "deadline": (china_today() + timedelta(days=5)).isoformat()},
        token_from="/monitoring/notices")
    assert response.status_code == 302, page(response)
    url = response.headers["Location"]
    assert "穗检案监〔" in page(manager.get(url))

    handler = sign_in(app.test_client(), "prosecutor1@440105")
    assert "答复通知书" in page(handler.get(url))
    assert post(handler, f"{url}/answer", {"text": "已作出决定"}, token_from=url).status_code == 302
    assert post(manager, f"{url}/close", {"note": "属实"}, token_from=url).status_code == 302
    assert "已办结" in page(manager.get(url))
    tianhe = sign_in(app.test_client(), "casemanager1@440106")
    assert tianhe.get(url).status_code == 404


def test_the_unit_alerts_page_costs_the_same_statements_whatever_its_length(app, review_case):
    from tests.test_pages import sign_in

    browser = sign_in(app.test_client(), "casemanager1@440100")

    def cost(count: int) -> int:
        for _ in range(count):
            review_case(TODAY - timedelta(days=1))
        sweep()
        with counting_statements() as seen:
            response = browser.get("/monitoring/alerts?view=unit&unit=440105")
        assert response.status_code == 200
        return len(seen)

    assert cost(1) == cost(8)
    html = browser.get("/monitoring/alerts?view=unit&unit=440105").get_data(as_text=True)
    assert "发出通知书" in html  # a case manager issues a notice from an alert
