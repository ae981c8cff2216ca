# ruff: noqa: F811  (tests take the fixtures imported from the core matrix as arguments)
"""The oversight rows of the isolation matrix (tests/isolation_matrix_oversight.py): the
ledger, inspections and process monitoring, run row by row against the API in a world of
their own. ``oversight_world`` builds, for T = 440105 and T = 440100 (U the unit above
T), what the matrix's docstring names, through the services as the people who would do
it: T's overdue case and its alert, U's ledger entry to T (answered), U's review finding
in T's case, U's inspection of T with a finding, U's notice about T's case (answered)
and T's own adjustment of a monitoring rule."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from procuracy.appraisal.review_models import Finding
from procuracy.cases.calendar import china_today
from procuracy.cases.models import CaseClock, new_public_id
from procuracy.extensions import db
from procuracy.oversight import inspections, ledger, monitoring_notices, monitoring_rules
from procuracy.oversight.monitoring_models import MonitoringAlert
from procuracy.oversight.monitoring_seed import seed_monitoring
from procuracy.oversight.monitoring_sweep import sweep_unit
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope
from tests.isolation_matrix import Row
from tests.isolation_matrix_oversight import ROWS
from tests.test_isolation_matrix import ON_POSTGRES, _acting, _check, _text, bearer  # noqa: F401

ABOVE = {"440105": "440100", "440100": "440000"}
# The rule T tightens for itself, and the change (within the province's limits).
RULE = {"440105": ("long_unclosed", {"params": {"days": 90}}),
        "440100": ("due_soon.arrest_review", {"params": {"days": 4}, "severity": "major"})}


@dataclass(frozen=True)
class Resources:
    """T's oversight resources (public ids unless said otherwise)."""

    code: str
    case: str
    entry: str
    entry_ref: str  # the entry's source reference (in the export's cells)
    finding: str  # U's review finding in T's case
    inspection: str
    alert: str
    notice: str
    rule_code: str
    rule_change: dict


def _unit(code: str) -> Unit:
    return db.session.scalars(select(Unit).where(Unit.code == code)).one()


def _build(code: str, make_case, today: date) -> Resources:
    above = ABOVE[code]
    case_id, case = make_case(code, handler=f"prosecutor1@{code}", kind_code="arrest_review",
                              stage_code="review@detained", detained=True)
    with system_scope("test: the oversight matrix world"):
        unit, upper = _unit(code), _unit(above)
        db.session.add(CaseClock(unit_id=unit.id, case_id=case_id, name="review",
                                 stage_code="review@detained", started_on=today - timedelta(8),
                                 limit_value=7, limit_unit="days", due_on=today - timedelta(1)))
        db.session.flush()
        sweep_unit(unit.id, today)
        alert = db.session.scalars(select(MonitoringAlert).where(
            MonitoringAlert.case_id == case_id, MonitoringAlert.rule_code == "overdue")).one()
        finding = Finding(unit_id=upper.id, public_id=new_public_id(), case_id=case_id,
                          reviewed_unit_id=unit.id, description="【证据】矩阵：E3 未随案移送",
                          severity="major", points=4.0, rectify_by=today + timedelta(30),
                          status="open", ledger_ref="")
        db.session.add(finding)
        db.session.commit()
        alert_id, finding_id = alert.public_id, finding.public_id
    ref = f"matrix-ledger-{code}"
    with _acting(f"casemanager1@{above}") as issuer:
        entry = ledger.record_problem(
            unit_id=unit.id, issuing_unit_id=issuer.unit_id, source="monitoring",
            source_ref=ref, problem="矩阵：审查逮捕超期", severity="major", case_id=case_id)
        db.session.commit()
        entry_id = entry.public_id
        notice = monitoring_notices.issue(issuer, case, "矩阵：审查逮捕超期，请说明",
                                          deadline=today + timedelta(5), severity="major")
        notice_id = notice.public_id
    with _acting(f"chief1@{code}") as chief:
        ledger.answer(ledger.get_entry(entry_id), chief, text="已整改", evidence="整改报告")
        db.session.commit()
    with _acting(f"prosecutor1@{code}") as handler:
        monitoring_notices.answer(handler, monitoring_notices.get_notice(handler, notice_id),
                                  "已报请审批")
    with _acting(f"inspector1@{above}") as inspector:
        planned = inspections.plan(inspector, title="矩阵专项督察", topic="case_quality",
                                   units=[code], period_from=date(2026, 10, 1),
                                   period_to=date(2026, 10, 31))
        inspections.add_finding(planned, inspector, unit=code, problem="矩阵：案卡填录不全",
                                severity="normal")
        inspection_id = planned.public_id
    rule_code, change = RULE[code]
    with _acting(f"casemanager1@{code}") as manager:
        monitoring_rules.adjust(manager, rule_code, change)
        db.session.commit()
    return Resources(code, case, entry_id, ref, finding_id, inspection_id, alert_id,
                     notice_id, rule_code, change)


@pytest.fixture
def oversight_world(app, tmp_path, monkeypatch, make_case) -> dict:
    monkeypatch.setitem(app.config, "REPORT_STORE", str(tmp_path / "reports"))
    with system_scope("test: the province's monitoring rules"):
        seed_monitoring()
        db.session.commit()
    today = china_today()
    # The city's first: its rule adjustment is then in force when the district sweeps.
    return {"targets": {code: _build(code, make_case, today) for code in ("440100", "440105")}}


# ---------------------------------------------------------------- running a row
def _url(row: Row, t: Resources) -> str:
    names = {"code": t.code, "entry_id": t.entry, "inspection_id": t.inspection,
             "alert_id": t.alert, "notice_id": t.notice, "rule_code": t.rule_code}
    url = row.path
    for name, value in names.items():
        url = url.replace("{" + name + "}", value)
    return url


BODIES = {
    ("POST", "/api/v1/ledger/handover"): lambda t: {"finding": t.finding},
    ("POST", "/api/v1/ledger/{entry_id}/answer"): lambda t: {
        "text": "矩阵：已补办延长手续", "evidence": "延长审查期限决定书"},
    ("POST", "/api/v1/ledger/{entry_id}/verify"): lambda t: {
        "outcome": "reopen", "reason": "矩阵：证据不足"},
    ("POST", "/api/v1/inspections"): lambda t: {
        "title": "矩阵督察", "topic": "process", "units": [t.code],
        "period_from": "2026-10-01", "period_to": "2026-10-31"},
    ("POST", "/api/v1/inspections/{inspection_id}/findings"): lambda t: {
        "unit": t.code, "problem": "矩阵：卷宗归档不及时", "severity": "normal"},
    ("POST", "/api/v1/inspections/{inspection_id}/close"): lambda t: {"conclusion": "矩阵：督察结束"},
    ("PUT", "/api/v1/monitoring/rules/{rule_code}"): lambda t: t.rule_change,
    ("POST", "/api/v1/monitoring/notices"): lambda t: {
        "case": t.case, "problem": "矩阵：请说明超期原因", "severity": "major",
        "deadline": (china_today() + timedelta(5)).isoformat()},
    ("POST", "/api/v1/monitoring/notices/{notice_id}/answer"): lambda t: {"text": "矩阵：已整改"},
    ("POST", "/api/v1/monitoring/notices/{notice_id}/close"): lambda t: {"note": "矩阵：答复属实"},
    ("POST", "/api/v1/monitoring/notices/{notice_id}/escalate"): lambda t: {
        "reason": "矩阵：答复未说明超期原因"},
    ("POST", "/api/v1/monitoring/sweeps"): lambda t: {"unit": t.code},
}


def _request(row: Row, client, bearer, t: Resources):
    headers = bearer(row.username) if row.username else {}
    body = BODIES.get((row.method, row.endpoint))
    return client.open(_url(row, t), method=row.method, headers=headers,
                       json=body(t) if body else None)


def _ids(items) -> list[str]:
    return [x["id"] for x in items]


def _own_rules(t: Resources, rules: list[dict]) -> list[dict]:
    """Rules in force by T's adjustment (its own, or inherited from it)."""
    return [r for r in rules if r.get("origin") != "province" and r.get("origin_unit") == t.code]


# What the answer shows of T, by operation: (is T's in it, how many rows it has).
PROBES = {
    ("GET", "/api/v1/ledger"): lambda b, t: (t.entry in _ids(b), len(b)),
    ("GET", "/api/v1/inspections"): lambda b, t: (t.inspection in _ids(b), len(b)),
    ("GET", "/api/v1/monitoring/rules"): lambda b, t: (bool(_own_rules(t, b)), len(b)),
    ("GET", "/api/v1/monitoring/alerts"): lambda b, t: (t.alert in _ids(b), len(b)),
    ("GET", "/api/v1/monitoring/alerts/inbox"): lambda b, t: (
        t.alert in _ids(b["alerts"]) or t.notice in _ids(b["notices"]),
        len(b["alerts"]) + len(b["notices"])),
    ("GET", "/api/v1/monitoring/notices"): lambda b, t: (t.notice in _ids(b), len(b)),
    # writes: the answer is about T
    ("POST", "/api/v1/ledger/handover"): lambda b, t: (b["unit"] == t.code, 1),
    ("POST", "/api/v1/ledger/{entry_id}/answer"): lambda b, t: (b["unit"] == t.code, 1),
    ("POST", "/api/v1/ledger/{entry_id}/verify"): lambda b, t: (b["unit"] == t.code, 1),
    ("POST", "/api/v1/inspections"): lambda b, t: (t.code in b["units"], 1),
    ("POST", "/api/v1/inspections/{inspection_id}/findings"): lambda b, t: (
        t.code in [f["unit"] for f in b["findings"]], 1),
    ("PUT", "/api/v1/monitoring/rules/{rule_code}"): lambda b, t: (bool(_own_rules(t, [b])), 1),
    ("DELETE", "/api/v1/monitoring/rules/{rule_code}"): lambda b, t: (
        bool(_own_rules(t, [b])), 1),
    ("POST", "/api/v1/monitoring/notices"): lambda b, t: (b["unit"] == t.code, 1),
    ("POST", "/api/v1/monitoring/notices/{notice_id}/answer"): lambda b, t: (
        b["unit"] == t.code, 1),
    ("POST", "/api/v1/monitoring/notices/{notice_id}/close"): lambda b, t: (
        b["unit"] == t.code and b["state"] == "closed", 1),
    ("POST", "/api/v1/monitoring/notices/{notice_id}/escalate"): lambda b, t: (
        b["unit"] == t.code and b["state"] == "escalated", 1),
    ("POST", "/api/v1/monitoring/sweeps"): lambda b, t: (b["unit"] == t.code, 1),
}


def _probe(row: Row, response, t: Resources) -> tuple[bool, int]:
    if row.endpoint == "/api/v1/ledger/export.xlsx":
        return t.entry_ref in _text(response), -1
    return PROBES[row.method, row.endpoint](response.get_json(), t)


# Rows the application gets wrong today: (method, path, relation, viewer) ->
# (the bug, whether only PostgreSQL has it). Each runs as its own strict xfail, so
# fixing the bug turns it into a failure: then delete it here.
KNOWN_BUGS: dict[tuple, tuple[str, bool]] = {}


def _key(row: Row) -> tuple:
    return row.method, row.path, row.relation, row.viewer


def _bug(row: Row) -> str | None:
    reason, postgres_only = KNOWN_BUGS.get(_key(row), (None, False))
    return reason if reason and (ON_POSTGRES or not postgres_only) else None


def _run(row: Row, client, bearer, oversight_world) -> str | None:
    return _check(row, client, bearer, oversight_world, request=_request, probe=_probe)


def _operations() -> list[tuple[str, str]]:
    return list(dict.fromkeys((r.method, r.endpoint) for r in ROWS))


def test_every_known_oversight_bug_names_a_matrix_row():
    assert set(KNOWN_BUGS) <= {_key(r) for r in ROWS}


def test_every_probed_operation_has_a_probe():
    probed = {(r.method, r.endpoint) for r in ROWS if r.shows}
    assert probed <= set(PROBES) | {("GET", "/api/v1/ledger/export.xlsx")}


@pytest.mark.parametrize("operation", [pytest.param(op, id=" ".join(op)) for op in _operations()])
def test_every_viewer_gets_what_the_oversight_matrix_expects(operation, client, bearer,
                                                             oversight_world):
    """All rows of one operation in one world, in the order written."""
    rows = [r for r in ROWS if (r.method, r.endpoint) == operation and not _bug(r)]
    assert rows
    failures = [problem for row in rows
                if (problem := _run(row, client, bearer, oversight_world))]
    assert not failures, f"{len(failures)} of {len(rows)} rows fail:\n" + "\n".join(failures)


_BUGGY_ROWS = [pytest.param(r, id=r.id, marks=pytest.mark.xfail(strict=True, reason=_bug(r)))
               for r in ROWS if _bug(r)]


@pytest.mark.skipif(not _BUGGY_ROWS, reason="no oversight matrix row is a known bug here")
@pytest.mark.parametrize("row", _BUGGY_ROWS or [None])
def test_oversight_matrix_row_the_application_gets_wrong_today(row, client, bearer,
                                                                oversight_world):
    problem = _run(row, client, bearer, oversight_world)
    assert problem is None, problem
