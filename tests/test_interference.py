"""Records of interference (干预司法活动记录): anyone records, the record is final
(the database refuses UPDATE and DELETE), and it is read by the recorder, the
unit's chief and the higher units' inspectors only."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from procuracy.cases import interference
from procuracy.cases.decision_models import InterferenceRecord
from procuracy.cases.decisions import DecisionRejected
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.scope import system_scope

BODY = {"person": "某局副局长", "person_position": "区公安分局副局长", "inside": False,
        "occurred_at": "2026-03-05T10:00:00+08:00", "channel": "phone",
        "content": "打电话询问案件进展，希望从轻处理"}


def _record(client, headers, case=None, **extra):
    body = {**BODY, **({"case": case} if case else {}), **extra}
    return client.post("/api/v1/interference-records", headers=headers, json=body)


def _visible_ids(client, headers):
    r = client.get("/api/v1/interference-records", headers=headers)
    assert r.status_code == 200, r.get_json()
    return {row["id"] for row in r.get_json()}


def test_the_recorder_the_chief_and_higher_inspectors_read_it(client, token_for, make_case):
    _, case = make_case("440105", handler="prosecutor1@440105")
    r = _record(client, token_for("prosecutor1@440105"), case)
    assert r.status_code == 201, r.get_json()
    record = r.get_json()
    assert (record["case"], record["unit"], record["recorded_by"]) == (
        case, "440105", "prosecutor1@440105")
    for reader in ("prosecutor1@440105", "chief1@440105", "inspector1@440100",
                   "inspector1@440000"):
        assert record["id"] in _visible_ids(client, token_for(reader)), reader
    for other in ("prosecutor2@440105", "deputy1@440105", "depthead1@440105",
                  "casemanager1@440105", "chief1@440100", "chief1@440106",
                  "inspector1@440300", "inspector1@450000"):
        assert record["id"] not in _visible_ids(client, token_for(other)), other


def test_anyone_signed_in_records_with_or_without_a_case(client, token_for, make_case):
    assert _record(client, token_for("clerk1@440105")).status_code == 201
    _, case = make_case("440105", handler="prosecutor1@440105")
    # A case one cannot read is not there at all.
    assert _record(client, token_for("prosecutor1@440106"), case).status_code == 404
    # One a higher unit reads is recorded in the case's own unit, not from above.
    assert _record(client, token_for("inspector1@440100"), case).status_code == 403
    assert client.post("/api/v1/interference-records", json=BODY).status_code == 401


def test_bad_input_is_422(client, token_for):
    me = token_for("prosecutor1@440105")
    assert _record(client, me, channel="pigeon").status_code == 422
    assert _record(client, me, occurred_at="2026-03-05T10:00:00").status_code == 422  # naive
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    r = _record(client, me, occurred_at=future)
    assert r.status_code == 422 and "occurred_at" in r.get_json()["errors"]
    r = client.post("/api/v1/interference-records", headers=me, json={})
    assert {"person", "occurred_at", "channel", "content"} <= set(r.get_json()["errors"]["json"])


def test_there_is_no_edit_path(client, token_for):
    me = token_for("prosecutor1@440105")
    record = _record(client, me).get_json()["id"]
    for method in ("put", "patch", "delete"):
        r = getattr(client, method)("/api/v1/interference-records", headers=me, json=BODY)
        assert r.status_code == 405
        r = getattr(client, method)(f"/api/v1/interference-records/{record}", headers=me,
                                    json=BODY)
        assert r.status_code in (404, 405)


def test_the_database_refuses_updates_and_deletes(as_user):
    with as_user("prosecutor1@440105") as me:
        row = interference.record(me, person="某人", channel="in_person", content="当面说情",
                                  occurred_at=datetime(2026, 3, 1, tzinfo=UTC))
        record_id = row.id
    with system_scope("test: try to rewrite a record"):
        for statement in (
            sa.text("UPDATE interference_records SET content = 'nothing' WHERE id = :id"),
            sa.text("DELETE FROM interference_records WHERE id = :id"),
        ):
            with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
                db.session.execute(statement, {"id": record_id})
        with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
            db.session.get(InterferenceRecord, record_id).content = "改过了"
            db.session.flush()
        db.session.expire_all()
        assert db.session.get(InterferenceRecord, record_id).content == "当面说情"


def test_the_service_refuses_other_units_and_bad_times(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("chief1@440100") as city:
        case = db.session.get(Case, case_id)
        with pytest.raises(PermissionError):
            interference.record(city, person="x", channel="phone", content="x", case=case,
                                occurred_at=datetime(2026, 3, 1, tzinfo=UTC))
    with as_user("prosecutor1@440105") as me, pytest.raises(DecisionRejected):
        interference.record(me, person="x", channel="phone", content="x",
                            occurred_at=datetime(2026, 3, 1))
    with as_user("chief1@440105"):
        assert db.session.scalars(select(InterferenceRecord)).all() == []
