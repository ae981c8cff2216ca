"""A Haizhu (440105) case read from above lands in Haizhu's access log.

Guangzhou's (440100) and Guangdong's (440000) case managers and inspectors read a
Haizhu case through the API (the case, its timeline) and through the list; each read
is an entry of Haizhu's access log naming the reader, their unit, the right (
supervision) and the case, as the service gives it and as GET
/api/v1/units/440105/access-log shows it to Haizhu's chief. Haizhu's own people
reading their unit's case leave no entry; Tianhe (440106) gets 404 and leaves none.

tests/test_audit.py proves the same for a unit's people (GET /units/{code}/users) and
who may read the log; this file is about cases.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from procuracy.extensions import db
from procuracy.tenants import services
from procuracy.tenants.audit import AuditEntry
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope

HAIZHU = "440105"
READERS = ["casemanager1@440100", "inspector1@440100", "casemanager1@440000",
           "inspector1@440000"]


@pytest.fixture
def haizhu_case(make_case) -> tuple[int, str]:
    """(id, public id) of a Haizhu case handled by prosecutor1@440105."""
    return make_case(HAIZHU, handler="prosecutor1@440105", assistants=("assistant1@440105",))


def _reads(public_id: str) -> dict[str, tuple[str, dict]]:
    """How each way of reading asks for the case: (request path, query string)."""
    return {
        "case": (f"/api/v1/cases/{public_id}", {}),
        "timeline": (f"/api/v1/cases/{public_id}/timeline", {}),
        "list": ("/api/v1/cases", {"unit": HAIZHU, "page_size": 100}),
    }


def _last_seq() -> int:
    with system_scope("test: the head of Haizhu's chain"):
        unit_id = db.session.scalars(select(Unit.id).where(Unit.code == HAIZHU)).one()
        return db.session.scalar(select(func.coalesce(func.max(AuditEntry.seq), 0))
                                 .where(AuditEntry.unit_id == unit_id)) or 0


def _log_through_the_service(as_user, after: int) -> list[AuditEntry]:
    """Haizhu's access log as its chief reads it through the service, newer than ``after``."""
    with as_user(f"chief1@{HAIZHU}") as chief:
        query, _count = services.access_log(chief, HAIZHU)
        entries = db.session.scalars(query.where(AuditEntry.seq > after)).all()
        return [e for e in entries if e.seq > after]


def _log_through_the_api(client, token_for, after: int) -> list[dict]:
    response = client.get(f"/api/v1/units/{HAIZHU}/access-log",
                          headers=token_for(f"chief1@{HAIZHU}"),
                          query_string={"page_size": 100})
    assert response.status_code == 200, response.get_json()
    return [e for e in response.get_json() if e["seq"] > after]


@pytest.mark.parametrize("way", ["case", "timeline", "list"])
@pytest.mark.parametrize("reader", READERS)
def test_a_supervisors_read_of_a_haizhu_case_names_reader_unit_and_case(
        client, token_for, as_user, haizhu_case, reader, way):
    case_id, public_id = haizhu_case
    path, query = _reads(public_id)[way]
    before = _last_seq()
    response = client.get(path, headers=token_for(reader), query_string=query)
    assert response.status_code == 200, response.get_json()
    if way == "list":
        assert public_id in {c["id"] for c in response.get_json()}
    reader_unit = reader.split("@")[1]

    [entry] = [e for e in _log_through_the_service(as_user, before)
               if e.object_type == "Case"]
    assert (entry.action, entry.actor_unit_code, entry.right) == ("read", reader_unit,
                                                                  "supervision")
    assert f"({reader})" in entry.actor_name
    assert case_id in entry.detail["ids"]
    assert entry.detail["where"] == f"GET {path}"

    [shown] = [e for e in _log_through_the_api(client, token_for, before)
               if e["object_type"] == "Case"]
    assert (shown["actor_unit_code"], shown["right"], shown["where"]) == (
        reader_unit, "supervision", f"GET {path}")
    assert f"({reader})" in shown["actor_name"]
    if way != "list":  # one case read: the entry names it
        assert shown["object_id"] == str(case_id) and shown["count"] == 1
    else:
        assert shown["count"] == entry.detail["count"] >= 1


@pytest.mark.parametrize("reader", ["prosecutor1@440105", "chief1@440105",
                                    "casemanager1@440105"])
def test_haizhus_own_reads_of_its_case_are_not_in_its_access_log(
        client, token_for, as_user, haizhu_case, reader):
    _case_id, public_id = haizhu_case
    before = _last_seq()
    for path, query in _reads(public_id).values():
        response = client.get(path, headers=token_for(reader), query_string=query)
        assert response.status_code == 200, response.get_json()
    assert public_id in {c["id"] for c in response.get_json()}, "the list holds the case"
    assert _log_through_the_service(as_user, before) == []
    assert _log_through_the_api(client, token_for, before) == []


@pytest.mark.parametrize("reader", ["chief1@440106", "casemanager1@440106",
                                    "prosecutor1@440106"])
def test_tianhe_gets_404_and_nothing_is_logged_as_read(
        client, token_for, haizhu_case, reader):
    _case_id, public_id = haizhu_case
    before = _last_seq()
    paths = _reads(public_id)
    for way in ("case", "timeline"):
        response = client.get(paths[way][0], headers=token_for(reader))
        assert response.status_code == 404, response.get_json()
    path, query = paths["list"]
    listed = client.get(path, headers=token_for(reader), query_string=query)
    assert listed.status_code == 200 and listed.get_json() == []
    assert _last_seq() == before, "not a read, nor anything else, in Haizhu's chain"
    assert _log_through_the_api(client, token_for, before) == []
