"""The problem ledger (台账): one entry per (source, source_ref); the rectifying unit
reads and answers, the issuer reads and verifies, higher units read down the tree,
nobody reads sideways or up; states, ageing and overdue; audit; export; the cost
of a page; the hand-over of quality-review findings."""
from __future__ import annotations

import io
import json
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from procuracy.extensions import db
from procuracy.oversight import ledger
from procuracy.oversight.ledger_models import LedgerEntry
from procuracy.tenants.audit import AuditEntry
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope


def unit_id(code: str) -> int:
    with system_scope("test: unit id"):
        return db.session.scalars(select(Unit.id).where(Unit.code == code)).one()


def record(as_user, issuer: str = "casemanager1@440100", unit: str = "440105",
           ref: str = "hit-1", **fields) -> str:
    """An entry issued by ``issuer``'s unit to ``unit``; its public id."""
    with as_user(issuer) as user:
        entry = ledger.record_problem(
            unit_id=unit_id(unit), issuing_unit_id=user.unit_id, source=fields.pop(
                "source", "monitoring"), source_ref=ref,
            problem=fields.pop("problem", "审查起诉期限届满前未提请延长"),
            severity=fields.pop("severity", "major"), actor=user, **fields)
        db.session.commit()
        return entry.public_id


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


def ids(client, headers, **query) -> list[str]:
    r = client.get("/api/v1/ledger", headers=headers, query_string={"page_size": 100, **query})
    assert r.status_code == 200, r.get_json()
    return [e["id"] for e in r.get_json()]


# ---------------------------------------------------------------- recording
def test_record_problem_is_idempotent_on_source_and_reference(as_user):
    first = record(as_user, ref="notice-7")
    again = record(as_user, ref="notice-7", problem="另一段描述")
    assert again == first
    with system_scope("test: count"):
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.source_ref == "notice-7")) == 1
        entry = db.session.scalars(select(LedgerEntry).filter_by(public_id=first)).one()
        assert entry.problem == "审查起诉期限届满前未提请延长"  # the first one stands
        assert (entry.issuing_unit_id, entry.rectifying_unit_id) == (
            unit_id("440100"), unit_id("440105"))


def test_the_unique_key_is_in_the_database(as_user):
    record(as_user, ref="dup")
    with system_scope("test: a second row behind the service's back"):
        db.session.add(LedgerEntry(unit_id=unit_id("440100"), reviewed_unit_id=unit_id("440106"),
                                   source="monitoring", source_ref="dup", problem="x",
                                   severity="normal"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_unit_issues_only_down_its_tree_and_in_its_own_name(as_user):
    with as_user("casemanager1@440106") as user, pytest.raises(ledger.LedgerRejected) as exc:
        ledger.record_problem(unit_id=unit_id("440105"), issuing_unit_id=user.unit_id,
                              source="monitoring", source_ref="sideways", problem="x",
                              severity="normal", actor=user)
    assert exc.value.field == "unit"
    with as_user("casemanager1@440105") as user, pytest.raises(ledger.LedgerRejected):
        ledger.record_problem(unit_id=unit_id("440100"), issuing_unit_id=user.unit_id,
                              source="inspection", source_ref="up", problem="x",
                              severity="normal", actor=user)
    with as_user("casemanager1@440105") as user, pytest.raises(PermissionError):
        ledger.record_problem(unit_id=unit_id("440105"), issuing_unit_id=unit_id("440100"),
                              source="monitoring", source_ref="forged", problem="x",
                              severity="normal", actor=user)
    with as_user("casemanager1@440100") as user, pytest.raises(ledger.LedgerRejected) as exc:
        ledger.record_problem(unit_id=unit_id("440105"), issuing_unit_id=user.unit_id,
                              source="rumour", source_ref="r", problem="x", severity="normal",
                              actor=user)
    assert exc.value.field == "source"


# ---------------------------------------------------------------- who sees what
def test_the_rectifier_the_issuer_and_the_tree_above_read_it_nobody_sideways_or_up(
        as_user, client, token_for):
    entry = record(as_user)
    for reader in ("chief1@440105", "casemanager1@440100", "inspector1@440000"):
        r = client.get(f"/api/v1/ledger/{entry}", headers=token_for(reader))
        assert r.status_code == 200, (reader, r.get_json())
        assert entry in ids(client, token_for(reader))
    assert client.get(f"/api/v1/ledger/{entry}",
                      headers=token_for("chief1@440105")).get_json()["issuer"] == "440100"
    for outsider in ("chief1@440106", "casemanager1@440300", "chief1@450000"):
        assert client.get(f"/api/v1/ledger/{entry}",
                          headers=token_for(outsider)).status_code == 404
        assert entry not in ids(client, token_for(outsider))
    # Haizhu's own issue to itself is not read by Guangzhou's sibling units either.
    own = record(as_user, issuer="casemanager1@440105", ref="self-1")
    assert own in ids(client, token_for("casemanager1@440100"))
    assert own not in ids(client, token_for("casemanager1@440106"))
    # Entries issued by a higher unit to another unit are not read upwards-sideways.
    tianhe = record(as_user, unit="440106", ref="th-1")
    assert tianhe not in ids(client, token_for("chief1@440105"))


def test_side_filters_mine_and_issued(as_user, client, token_for):
    to_haizhu = record(as_user, ref="a")
    by_haizhu = record(as_user, issuer="casemanager1@440105", ref="b")
    gz = token_for("casemanager1@440100")
    assert ids(client, gz, side="issued") == [to_haizhu]
    hz = token_for("casemanager1@440105")
    assert set(ids(client, hz, side="mine")) == {to_haizhu, by_haizhu}
    assert ids(client, hz, side="issued") == [by_haizhu]


# ---------------------------------------------------------------- answer and verify
def test_answer_verify_reopen_and_close(as_user, client, token_for):
    entry = record(as_user)
    haizhu, tianhe = token_for("chief1@440105"), token_for("chief1@440106")
    issuer = token_for("casemanager1@440100")
    url = f"/api/v1/ledger/{entry}"

    assert client.post(f"{url}/answer", json={"text": "已整改"}, headers=tianhe).status_code == 404
    assert client.post(f"{url}/answer", json={"text": "已整改"},
                       headers=token_for("prosecutor1@440105")).status_code == 403
    assert client.post(f"{url}/answer", json={"text": ""}, headers=haizhu).status_code == 422
    assert client.post(f"{url}/verify", json={"outcome": "accept"},
                       headers=issuer).status_code == 422  # nothing answered yet

    r = client.post(f"{url}/answer", json={"text": "已补办延长手续", "evidence": "延长审查期限决定书"},
                    headers=haizhu)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["state"] == "answered"
    assert [e["kind"] for e in r.get_json()["history"]] == ["answer"]
    # The rectifying unit does not verify its own answer; nor does the province, which
    # did not issue it (it reads it, read-only).
    assert client.post(f"{url}/verify", json={"outcome": "accept"},
                       headers=haizhu).status_code == 403
    assert client.post(f"{url}/verify", json={"outcome": "accept"},
                       headers=token_for("inspector1@440000")).status_code == 403

    assert client.post(f"{url}/verify", json={"outcome": "reopen"},
                       headers=issuer).status_code == 422  # a reopen needs its reason
    r = client.post(f"{url}/verify", json={"outcome": "reopen", "reason": "证据不足"},
                    headers=issuer)
    assert r.status_code == 200 and r.get_json()["state"] == "reopened"
    assert client.get(url, headers=haizhu).get_json()["state"] == "reopened"

    client.post(f"{url}/answer", json={"text": "补充了决定书"}, headers=haizhu)
    r = client.post(f"{url}/verify", json={"outcome": "accept"}, headers=issuer)
    body = r.get_json()
    assert r.status_code == 200 and body["state"] == "closed" and body["closed_at"]
    assert [e["kind"] for e in body["history"]] == ["answer", "reopen", "answer", "accept"]
    assert client.post(f"{url}/answer", json={"text": "再答"}, headers=haizhu).status_code == 422
    # A closed entry can be reopened.
    r = client.post(f"{url}/verify", json={"outcome": "reopen", "reason": "复查发现仍未整改"},
                    headers=issuer)
    assert r.get_json()["state"] == "reopened" and r.get_json()["closed_at"] is None


def test_state_filter_is_computed_in_sql(as_user, client, token_for):
    a, b = record(as_user, ref="s1"), record(as_user, ref="s2")
    client.post(f"/api/v1/ledger/{a}/answer", json={"text": "已整改"},
                headers=token_for("chief1@440105"))
    gz = token_for("casemanager1@440100")
    assert ids(client, gz, state="answered") == [a]
    assert ids(client, gz, state="open") == [b]
    assert client.get("/api/v1/ledger", headers=gz,
                      query_string={"state": "lost"}).status_code == 422


def test_every_state_change_is_on_the_audit_trail(as_user, client, token_for):
    entry = record(as_user)
    client.post(f"/api/v1/ledger/{entry}/answer", json={"text": "已整改"},
                headers=token_for("chief1@440105"))
    client.post(f"/api/v1/ledger/{entry}/verify", json={"outcome": "accept"},
                headers=token_for("casemanager1@440100"))
    with system_scope("test: audit"):
        rows = db.session.execute(select(AuditEntry.object_type, AuditEntry.action,
                                         AuditEntry.unit_id, AuditEntry.detail)
                                  .where(AuditEntry.object_type.like("Ledger%"))).all()
    kinds = [(t, a) for t, a, _, _ in rows]
    assert ("LedgerEntry", "create") in kinds and ("LedgerAnswer", "create") in kinds
    assert ("LedgerVerification", "create") in kinds
    closed = [d for t, a, _, d in rows if (t, a) == ("LedgerEntry", "update")]
    assert any(d.get("status") == "closed" for d in closed)
    answers = [u for t, a, u, _ in rows if (t, a) == ("LedgerAnswer", "create")]
    assert answers == [unit_id("440105")]  # on the rectifying unit's own chain


# ---------------------------------------------------------------- ageing and overdue
def test_overdue_and_ageing_are_computed_not_stored(as_user, client, token_for):
    late = record(as_user, ref="late", deadline=date.today() - timedelta(days=3))
    on_time = record(as_user, ref="on-time", deadline=date.today() + timedelta(days=30))
    with system_scope("test: backdate"):
        entry = db.session.scalars(select(LedgerEntry).filter_by(public_id=late)).one()
        entry.created_at = entry.created_at - timedelta(days=10)
        db.session.commit()
    gz = token_for("casemanager1@440100")
    assert ids(client, gz, overdue="true") == [late]
    assert on_time in ids(client, gz, overdue="false")
    body = client.get(f"/api/v1/ledger/{late}", headers=gz).get_json()
    assert body["overdue"] is True and body["ageing_days"] in (10, 11)
    assert "overdue" not in LedgerEntry.__table__.columns
    # Once closed it is no longer overdue.
    client.post(f"/api/v1/ledger/{late}/answer", json={"text": "已整改"},
                headers=token_for("chief1@440105"))
    client.post(f"/api/v1/ledger/{late}/verify", json={"outcome": "accept"}, headers=gz)
    assert client.get(f"/api/v1/ledger/{late}", headers=gz).get_json()["overdue"] is False
    assert ids(client, gz, overdue="true") == []


def test_ageing_stops_when_closed():
    from datetime import UTC, datetime

    entry = LedgerEntry(created_at=datetime(2026, 3, 1, 4, tzinfo=UTC), status="closed",
                        closed_at=datetime(2026, 3, 11, 4, tzinfo=UTC),
                        deadline=date(2026, 3, 5))
    assert ledger.ageing_days(entry, on=date(2026, 6, 1)) == 10
    assert not ledger.is_overdue(entry, on=date(2026, 6, 1))
    entry.status, entry.closed_at = "open", None
    assert ledger.ageing_days(entry, on=date(2026, 3, 4)) == 3
    assert not ledger.is_overdue(entry, on=date(2026, 3, 5))
    assert ledger.is_overdue(entry, on=date(2026, 3, 6))


# ---------------------------------------------------------------- export and cost
def test_export_opens_in_excel_with_the_filters(as_user, client, token_for):
    record(as_user, ref="x1", problem="超期羁押风险")
    record(as_user, ref="x2", severity="serious", problem="文书缺失")
    r = client.get("/api/v1/ledger/export.xlsx", headers=token_for("chief1@440105"),
                   query_string={"severity": "serious"})
    assert r.status_code == 200 and r.data[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "整改单位", "单位代码")
    assert len(rows) == 2 and "文书缺失" in rows[1] and "严重" in rows[1]
    assert client.get("/api/v1/ledger/export.xlsx",
                      headers=token_for("chief1@440106")).status_code == 200


def test_the_list_costs_the_same_statements_whatever_its_size(as_user, client, token_for):
    for n in range(30):
        record(as_user, ref=f"cost-{n}", handler_id=None)
    headers = token_for("inspector1@440000")
    client.get("/api/v1/ledger", headers=headers)  # the first request opens a savepoint early
    costs = {}
    for size in (1, 5, 30):
        with counting_statements() as seen:
            r = client.get("/api/v1/ledger", headers=headers, query_string={"page_size": size})
        assert r.status_code == 200 and len(r.get_json()) == size
        assert json.loads(r.headers["X-Pagination"])["total"] == 30
        costs[size] = len(seen)
    assert costs[1] == costs[5] == costs[30], costs


# ---------------------------------------------------------------- review findings
@pytest.fixture
def finding(make_case):
    """A finding of Guangzhou's review about a Haizhu case."""
    from procuracy.appraisal.review_models import Finding
    from procuracy.cases.models import new_public_id

    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with system_scope("test: a finding"):
        row = Finding(unit_id=unit_id("440100"), public_id=new_public_id(), case_id=case_id,
                      reviewed_unit_id=unit_id("440105"), description="【证据】E3 未随案移送",
                      severity="major", points=4.0, rectify_by=date(2026, 12, 31),
                      status="open", ledger_ref="")
        db.session.add(row)
        db.session.commit()
        return row.public_id


def test_a_review_finding_is_handed_over_once(client, token_for, finding):
    gz = token_for("casemanager1@440100")
    assert client.post("/api/v1/ledger/handover", json={"finding": finding},
                       headers=token_for("chief1@440105")).status_code == 403
    r = client.post("/api/v1/ledger/handover", json={"finding": finding}, headers=gz)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert (body["source"], body["source_ref"], body["unit"], body["issuer"]) == (
        "review", finding, "440105", "440100")
    assert body["severity"] == "major" and body["deadline"] == "2026-12-31"
    assert "未随案移送" in body["problem"] and body["case_number"]
    again = client.post("/api/v1/ledger/handover", json={"finding": finding}, headers=gz)
    assert again.get_json()["id"] == body["id"]
    r = client.get(f"/api/v1/review/findings/{finding}", headers=gz)
    if r.status_code == 200:  # the review API's own view of it
        assert r.get_json()["status"] == "handed_over"
        assert r.get_json()["ledger_ref"] == body["id"]
    assert body["id"] in ids(client, token_for("chief1@440105"), source="review")
    assert client.post("/api/v1/ledger/handover", json={"finding": "nope"},
                       headers=gz).status_code == 404
