"""The appraisal API end to end: rule sets (draft, checks, sandbox, publish), score
runs (compute, publish, ranking, trace, compare), objections, score events, hand-
entered scores and the performance file; 422 for bad input, 404 out of scope, 403
for a role that may not."""
from datetime import date

import pytest
from sqlalchemy import select

from procuracy.extensions import db
from procuracy.tenants.audit import AuditEntry
from procuracy.tenants.scope import system_scope
from procuracy.tenants.units import by_code

API = "/api/v1/appraisal"
MANAGER, ME, COLLEAGUE = "casemanager1@440105", "prosecutor1@440105", "prosecutor2@440105"


@pytest.fixture
def march(make_case):
    for _ in range(3):
        make_case("440105", handler=ME, status="closed", closed_on=date(2026, 3, 12), weight=1.5)
    make_case("440105", handler=COLLEAGUE, status="closed", closed_on=date(2026, 3, 20))


@pytest.fixture
def published_run(client, token_for, march):
    r = client.post(f"{API}/runs", json={"period": "2026-03"}, headers=token_for(MANAGER))
    assert r.status_code == 201, r.get_json()
    run = r.get_json()
    r = client.post(f"{API}/runs/{run['id']}/publish", headers=token_for(MANAGER))
    assert r.status_code == 200 and r.get_json()["status"] == "published"
    return run


# ---------------------------------------------------------------- rule sets
def test_rule_sets_in_force_and_listed(client, token_for):
    r = client.get(f"{API}/rule-sets/effective?period=2026-03", headers=token_for(ME))
    assert r.status_code == 200
    body = r.get_json()
    assert (body["unit"], body["version"], body["status"]) == ("440105", 1, "published")
    assert {a["code"]: a["weight"] for a in body["aspects"]}["QTY"] == 35
    listed = client.get(f"{API}/rule-sets?audience=prosecutor", headers=token_for(ME)).get_json()
    assert {(rs["unit"], rs["status"]) for rs in listed} == {("440000", "published"),
                                                            ("440105", "published")}
    r = client.get(f"{API}/rule-sets/effective?period=2026-03&unit=440106",
                   headers=token_for(ME))
    assert r.status_code == 404  # Tianhe is not Haizhu's to read
    r = client.get(f"{API}/rule-sets/effective?period=2026-13", headers=token_for(ME))
    assert r.status_code == 422 and "period" in r.get_json()["errors"]["query"]


def test_draft_check_sandbox_and_publish_over_the_api(client, token_for, march):
    official = client.post(f"{API}/runs", json={"period": "2026-03"},
                           headers=token_for(MANAGER)).get_json()
    assert client.post(f"{API}/rule-sets", json={"audience": "prosecutor"},
                       headers=token_for(ME)).status_code == 403
    r = client.post(f"{API}/rule-sets", json={"audience": "prosecutor",
                                              "effective_from": "2026-04-01"},
                    headers=token_for(MANAGER))
    assert r.status_code == 201, r.get_json()
    draft = r.get_json()
    assert (draft["status"], draft["version"]) == ("draft", 2)

    aspects = [{**a, "weight": a["weight"] - 5 if a["code"] == "QTY" else a["weight"]}
               for a in draft["aspects"]]
    r = client.patch(f"{API}/rule-sets/{draft['id']}", json={"aspects": aspects},
                     headers=token_for(MANAGER))
    assert r.status_code == 422
    assert any("add up to 95" in e for e in r.get_json()["errors"]["rule_set"])
    r = client.patch(f"{API}/rule-sets/{draft['id']}", json={"aspects": [{"code": "QTY"}]},
                     headers=token_for(MANAGER))
    assert r.status_code == 422 and "aspects" in r.get_json()["errors"]["json"]
    r = client.patch(f"{API}/rule-sets/{draft['id']}", json={"colour": "red"},
                     headers=token_for(MANAGER))
    assert r.status_code == 422

    indicators = [{**i, "points_per_unit": 3.0, "max_points": 8} if i["code"] == "Q01" else i
                  for i in draft["indicators"]]
    r = client.patch(f"{API}/rule-sets/{draft['id']}", json={"indicators": indicators},
                     headers=token_for(MANAGER))
    assert r.status_code == 200, r.get_json()
    check = client.post(f"{API}/rule-sets/{draft['id']}/validate", headers=token_for(MANAGER))
    assert check.get_json() == {"valid": True, "errors": []}

    r = client.post(f"{API}/rule-sets/{draft['id']}/sandbox", json={"period": "2026-03"},
                    headers=token_for(MANAGER))
    assert r.status_code == 200, r.get_json()
    box = r.get_json()
    assert box["run"]["kind"] == "sandbox" and box["baseline"]["id"] == official["id"]
    people = {p["username"]: p for p in box["comparison"]["people"]}
    q01 = next(d for d in people[ME]["deltas"] if d["indicator"] == "Q01")
    assert q01["delta"] > 0 and "Q01" in people[ME]["explanation"]

    r = client.post(f"{API}/rule-sets/{draft['id']}/publish", headers=token_for(MANAGER))
    assert r.status_code == 200 and r.get_json()["status"] == "published"
    r = client.patch(f"{API}/rule-sets/{draft['id']}", json={"name": "改"},
                     headers=token_for(MANAGER))
    assert r.status_code == 422  # a published version never changes
    assert client.delete(f"{API}/rule-sets/{draft['id']}",
                         headers=token_for(MANAGER)).status_code == 422
    assert client.get(f"{API}/rule-sets/{draft['id']}",
                      headers=token_for("chief1@440106")).status_code == 404


# ---------------------------------------------------------------- runs
def test_compute_publish_rank_and_trace(client, token_for, published_run):
    run = published_run
    assert run["statements"] > 0 and run["rule_set_version"] == 1 and run["unit"] == "440105"
    ranking = client.get(f"{API}/runs/{run['id']}/ranking", headers=token_for(COLLEAGUE))
    assert ranking.status_code == 200
    ranks = [row["rank"] for row in ranking.get_json()]
    assert ranks == sorted(ranks) and len(ranks) == 8
    r = client.get(f"{API}/runs/{run['id']}/scores/{ME}", headers=token_for(ME))
    assert r.status_code == 200
    trace = r.get_json()
    q01 = next(i for i in trace["items"] if i["indicator"] == "Q01")
    assert q01["raw_value"] == 3 and len(q01["sources"]) == 3
    assert all(s["case"] for s in q01["sources"])
    assert q01["points"] == pytest.approx(sum(s["contribution"] for s in q01["sources"]),
                                          abs=1e-3)
    assert client.get(f"{API}/runs/{run['id']}/scores/{ME}",
                      headers=token_for(COLLEAGUE)).status_code == 404
    assert client.get(f"{API}/runs/{run['id']}/scores/{ME}",
                      headers=token_for("casemanager1@440100")).status_code == 200
    assert client.get(f"{API}/runs/{run['id']}",
                      headers=token_for("prosecutor1@440106")).status_code == 404
    again = client.post(f"{API}/runs/{run['id']}/publish", headers=token_for(MANAGER))
    assert again.status_code == 422
    r = client.post(f"{API}/runs", json={"period": "2026-03"}, headers=token_for(MANAGER))
    assert r.status_code == 422  # published results never change


def test_runs_refuse_bad_input_and_roles(client, token_for, march):
    assert client.post(f"{API}/runs", json={"period": "2026-03"},
                       headers=token_for(ME)).status_code == 403
    r = client.post(f"{API}/runs", json={"period": "2026-13"}, headers=token_for(MANAGER))
    assert r.status_code == 422 and "period" in r.get_json()["errors"]["json"]
    r = client.post(f"{API}/runs", json={"period": "2025-03"}, headers=token_for(MANAGER))
    assert r.status_code == 422  # no rule set in force before 2026
    computed = client.post(f"{API}/runs", json={"period": "2026-03"},
                           headers=token_for(MANAGER)).get_json()
    assert client.get(f"{API}/runs/{computed['id']}/ranking",
                      headers=token_for(ME)).status_code == 404  # not published yet
    assert client.post(f"{API}/runs/{computed['id']}/publish",
                       headers=token_for(ME)).status_code == 404  # nor visible
    assert client.post(f"{API}/runs/{computed['id']}/publish",
                       headers=token_for("deputy1@440105")).status_code == 403
    listed = client.get(f"{API}/runs", headers=token_for(ME)).get_json()
    assert listed == []
    assert len(client.get(f"{API}/runs", headers=token_for(MANAGER)).get_json()) == 1


def test_compare_two_runs(client, token_for, published_run, make_case):
    make_case("440105", handler=COLLEAGUE, status="closed", closed_on=date(2026, 3, 21))
    r = client.post(f"{API}/runs", json={"period": "2026-02"}, headers=token_for(MANAGER))
    feb = r.get_json()
    r = client.get(f"{API}/runs/{feb['id']}/compare/{published_run['id']}",
                   headers=token_for(MANAGER))
    assert r.status_code == 200
    body = r.get_json()
    assert sum(body["summary"].values()) == len(body["people"]) == 8


# ---------------------------------------------------------------- objections
def test_objection_raised_answered_and_logged(client, token_for, published_run):
    trace = client.get(f"{API}/runs/{published_run['id']}/scores/{ME}",
                       headers=token_for(ME)).get_json()
    item = next(i for i in trace["items"] if i["indicator"] == "Q01")["id"]
    assert client.post(f"{API}/items/{item}/objections", json={"text": "不对"},
                       headers=token_for(COLLEAGUE)).status_code == 404
    assert client.post(f"{API}/items/{item}/objections", json={"text": ""},
                       headers=token_for(ME)).status_code == 422
    r = client.post(f"{API}/items/{item}/objections", json={"text": "漏算一件已结案件"},
                    headers=token_for(ME))
    assert r.status_code == 201
    objection = r.get_json()
    assert (objection["status"], objection["raised_by"]) == ("open", ME)
    assert client.post(f"{API}/objections/{objection['id']}/answer", json={"text": "自答"},
                       headers=token_for(ME)).status_code == 403
    r = client.post(f"{API}/objections/{objection['id']}/answer",
                    json={"text": "经核实，该案已计入"}, headers=token_for(MANAGER))
    assert r.status_code == 200 and r.get_json()["answered_by"] == MANAGER
    mine = client.get(f"{API}/objections", headers=token_for(ME)).get_json()
    assert [o["id"] for o in mine] == [objection["id"]]
    assert client.get(f"{API}/objections", headers=token_for(COLLEAGUE)).get_json() == []
    with system_scope("test: audit"):
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.unit_id == by_code("440105").id,
            AuditEntry.object_type == "Objection")).all()
    assert actions == ["create", "update"]


# ---------------------------------------------------------------- events, manual scores
def test_score_events_and_manual_scores(client, token_for):
    event = {"username": ME, "type": "award", "points": 2, "occurred_on": "2026-03-03",
             "note": "表彰"}
    assert client.post(f"{API}/events", json=event, headers=token_for(ME)).status_code == 403
    r = client.post(f"{API}/events", json=event, headers=token_for(MANAGER))
    assert r.status_code == 201 and r.get_json()["username"] == ME
    r = client.post(f"{API}/events", json={**event, "points": -2}, headers=token_for(MANAGER))
    assert r.status_code == 422 and "points" in r.get_json()["errors"]
    r = client.post(f"{API}/events", json={**event, "type": "birthday"},
                    headers=token_for(MANAGER))
    assert r.status_code == 422
    r = client.post(f"{API}/events", json={**event, "username": "prosecutor1@440106"},
                    headers=token_for(MANAGER))
    assert r.status_code == 404
    r = client.post(f"{API}/events", json={**event, "case": "nosuchcase"},
                    headers=token_for(MANAGER))
    assert r.status_code == 422 and "case" in r.get_json()["errors"]
    mine = client.get(f"{API}/events?from=2026-03-01&to=2026-03-31",
                      headers=token_for(ME)).get_json()
    assert mine and {e["username"] for e in mine} == {ME}

    manual = {"username": ME, "period": "2026-04", "indicator_code": "W01", "value": 88}
    r = client.post(f"{API}/manual-scores", json=manual, headers=token_for(MANAGER))
    assert r.status_code == 201 and r.get_json()["value"] == 88
    r = client.post(f"{API}/manual-scores", json={**manual, "value": 91},
                    headers=token_for(MANAGER))
    assert r.status_code == 201 and r.get_json()["value"] == 91  # corrected, one row
    rows = client.get(f"{API}/manual-scores?period=2026-04&username={ME}",
                      headers=token_for(MANAGER))
    assert [m["value"] for m in rows.get_json() if m["indicator_code"] == "W01"] == [91]
    r = client.post(f"{API}/manual-scores", json={**manual, "indicator_code": "Q01"},
                    headers=token_for(MANAGER))
    assert r.status_code == 422 and "indicator_code" in r.get_json()["errors"]


# ---------------------------------------------------------------- performance file
def test_performance_file_over_the_api(client, token_for, published_run):
    url = f"{API}/performance/{ME}?from=2026-01&to=2026-06"
    r = client.get(url, headers=token_for(ME))
    assert r.status_code == 200
    body = r.get_json()
    assert body["cases"]["closed"] == 3 and body["cases"]["weight"] >= 4.5
    assert [s["run"] for s in body["scores"]] == [published_run["id"]]
    assert all(e["case"] for e in body["cases"]["entries"])
    assert client.get(url, headers=token_for(COLLEAGUE)).status_code == 404
    assert client.get(url, headers=token_for("prosecutor1@440106")).status_code == 404
    assert client.get(url, headers=token_for("casemanager1@440105")).status_code == 200
    assert client.get(url, headers=token_for("casemanager1@440100")).status_code == 200
    r = client.get(f"{API}/performance/{ME}?from=2026-xx&to=2026-06", headers=token_for(ME))
    assert r.status_code == 422
    r = client.get(f"{API}/performance/{ME}?from=2026-06&to=2026-01", headers=token_for(ME))
    assert r.status_code == 422
    with system_scope("test: access log"):
        reads = db.session.scalars(select(AuditEntry).where(
            AuditEntry.unit_id == by_code("440105").id, AuditEntry.action == "read",
            AuditEntry.right == "supervision")).all()
    assert any(f"performance/{ME}" in (e.detail or {}).get("where", "") for e in reads)


def test_a_draft_saved_back_as_read_is_accepted(client, token_for):
    headers = token_for("chief1@440105")
    draft = client.post(f"{API}/rule-sets", json={"audience": "prosecutor",
                                                  "effective_from": "2026-05-01"},
                        headers=headers).get_json()
    body = {k: draft[k] for k in ("name", "note", "grading", "aspects", "indicators")}
    r = client.patch(f"{API}/rule-sets/{draft['id']}", json=body, headers=headers)
    assert r.status_code == 200, r.get_json()
    r = client.patch(f"{API}/rule-sets/{draft['id']}", json={"allowances": {}}, headers=headers)
    assert r.status_code == 422 and "allowances" in r.get_json()["errors"]
    bad = [{**i, "params": {"numerator": ["Q01"], "denominator": {}}} if i["kind"] == "ratio"
           else i for i in draft["indicators"]]
    r = client.patch(f"{API}/rule-sets/{draft['id']}", json={"indicators": bad}, headers=headers)
    assert r.status_code == 422
    assert client.delete(f"{API}/rule-sets/{draft['id']}", headers=headers).status_code == 204
    assert client.get(f"{API}/rule-sets/{draft['id']}", headers=headers).status_code == 404
