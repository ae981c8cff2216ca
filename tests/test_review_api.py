"""The quality-review API end to end: Guangzhou orders Tianhe to cross-review a 10%
random sample of Haizhu's closed cases plus the must-review ones; Tianhe's
reviewers read exactly those cases while the review runs; the grades land in the
performance files and, with Shandong's deduction rule, in the unit-level score.
Then the statistics, and what the API refuses."""
from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from procuracy.tenants.scope import model as scope_model
from tests.test_review_plans import (
    DATE_FROM,
    DATE_TO,
    REVIEWERS,
    checklist_id,
    haizhu_cases,
    period,
    population_size,
)

API = "/api/v1/review"
ISSUER = "casemanager1@440100"


def plan_body(**over) -> dict:
    starts_at, ends_at = period()
    return {"name": "2026年度海珠区院交叉评查", "checklist": checklist_id(), "units": ["440105"],
            "date_from": DATE_FROM.isoformat(), "date_to": DATE_TO.isoformat(),
            "sample_mode": "rate", "sample_value": 0.1, "reviewing": "440106",
            "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), **over}


def results(*failures: tuple[str, str]) -> dict:
    return {"results": [{"item_code": c, "passed": False, "note": n} for c, n in failures],
            "pass_rest": True}


class Api:
    def __init__(self, client, token_for):
        self.client, self.token_for = client, token_for

    def __call__(self, method: str, path: str, who: str, expect: int = 200, **kw):
        url = path if path.startswith("/api/") else API + path
        response = self.client.open(url, method=method, headers=self.token_for(who), **kw)
        assert response.status_code == expect, (method, url, response.get_json())
        return response.get_json()


@pytest.fixture
def api(client, token_for) -> Api:
    return Api(client, token_for)


@pytest.fixture
def cases(make_case) -> dict:
    cases = haizhu_cases(make_case, n=28)
    cases["earlier"] = make_case("440105", handler="prosecutor1@440105", status="closed",
                                 closed_on=date(2026, 2, 20), outcome="prosecuted")[1]
    return cases


def start_cross_review(api, **over) -> tuple[str, list[dict]]:
    plan = api("POST", "/plans", ISSUER, 201, json=plan_body(**over))["id"]
    sample = api("POST", f"/plans/{plan}/draw", ISSUER, 201)
    started = api("POST", f"/plans/{plan}/start", ISSUER, json={"reviewers": REVIEWERS})
    assert started["status"] == "reviewing" and started["order"]
    return plan, sample


def review(api, who: str, review_id: str, *failures: tuple[str, str]) -> dict:
    api("POST", f"/reviews/{review_id}/results", who, json=results(*failures))
    return api("POST", f"/reviews/{review_id}/submit", who)


def handlers_of(public_ids) -> list[str]:
    """The usernames of the handlers of these cases."""
    from sqlalchemy import select

    from procuracy.cases.models import Case
    from procuracy.extensions import db
    from procuracy.tenants.models import User
    from procuracy.tenants.scope import system_scope

    with system_scope("test: handlers of the sampled cases"):
        return sorted(set(db.session.scalars(
            select(User.username).join(Case, Case.handler_id == User.id)
            .where(Case.public_id.in_(list(public_ids))))))


# ---------------------------------------------------------------- the scenario
def test_guangzhou_orders_tianhe_to_cross_review_a_tenth_of_haizhus_closed_cases(
        api, cases, monkeypatch):
    plan = api("POST", "/plans", ISSUER, 201, json=plan_body())
    assert (plan["issuer"], plan["units"], plan["reviewing"]) == ("440100", ["440105"], "440106")
    plan_id = plan["id"]

    # the sample: ceil(10%) of the population at random, plus every must-review case
    sample = api("POST", f"/plans/{plan_id}/draw", ISSUER, 201)
    randoms = [s for s in sample if s["reason"] == "random"]
    assert len(randoms) == math.ceil(0.1 * population_size())
    assert {s["case"]: s["reason"] for s in sample if s["reason"] != "random"} == {
        cases["acquitted"]: "acquitted", cases["not_prosecuted"]: "not_prosecuted"}
    sampled = [s["case"] for s in sample]
    assert not {cases["open"], cases["late"], cases["earlier"]} & set(sampled)

    # reproducible: replaying the stored seed gives the same cases in the same order
    replay = api("GET", f"/plans/{plan_id}/replay", ISSUER)
    assert replay["reproduced"] and replay["drawn"] == replay["recomputed"] == sampled
    assert api("GET", f"/plans/{plan_id}", ISSUER)["seed"] == replay["seed"]

    # start: the order lets Tianhe's reviewers read exactly the sampled cases
    started = api("POST", f"/plans/{plan_id}/start", ISSUER, json={"reviewers": REVIEWERS})
    order = api("GET", f"/api/v1/cross-review-orders/{started['order']}", ISSUER)
    assert sorted(order["cases"]) == sorted(sampled) and order["reviewers"] == REVIEWERS
    first, second = REVIEWERS
    for reviewer in REVIEWERS:
        listed = api("GET", "/api/v1/cases?unit=440105&page_size=100", reviewer)
        assert sorted(c["id"] for c in listed) == sorted(sampled)
        for outside in (cases["earlier"], cases["open"],
                        next(c for c in cases["plain"] if c not in sampled)):
            api("GET", f"/api/v1/cases/{outside}", reviewer, 404)
        api("GET", f"/plans/{plan_id}", reviewer, 404)  # the plan stays Guangzhou's
    api("GET", "/api/v1/units/440105", first, 404)  # nothing else of Haizhu
    api("GET", f"/api/v1/cases/{sampled[0]}", "prosecutor3@440106", 404)  # not a reviewer

    # reviewing: round-robin work lists, grades from the checklist
    mine1 = [r["id"] for r in api("GET", "/reviews/mine", first)]
    mine2 = [r["id"] for r in api("GET", "/reviews/mine", second)]
    assert len(mine1) + len(mine2) == len(sampled) and len(mine1) >= 3 and len(mine2) >= 2
    acceptable = review(api, first, mine1[0], ("WS-02", "审查报告未回应辩护意见"))
    assert (acceptable["status"], acceptable["final_grade"]) == ("final", "合格")
    # a lower grade: the second reviewer disagrees, Guangzhou's case manager decides
    flawed = review(api, first, mine1[1], ("SR-01", "漏认定一起犯罪事实"))
    assert (flawed["status"], flawed["grade"]) == ("second_review", "不合格")
    disputed = api("POST", f"/reviews/{mine1[1]}/second-review", second,
                   json=results(("CX-02", "未依法讯问")))
    assert (disputed["status"], disputed["second_grade"]) == ("disputed", "基本合格")
    api("POST", f"/reviews/{mine1[1]}/resolve", "casemanager1@440106", 403,
        json={"grade": "基本合格"})
    decided = api("POST", f"/reviews/{mine1[1]}/resolve", ISSUER, json={"grade": "基本合格"})
    assert (decided["status"], decided["final_grade"]) == ("final", "基本合格")
    # a lower grade both reviewers agree on
    basic = review(api, second, mine2[0], ("CX-02", "未依法讯问"), ("AK-03", "案卡滞后"))
    assert basic["status"] == "second_review"
    agreed = api("POST", f"/reviews/{mine2[0]}/second-review", first,
                 json=results(("CX-02", "同意")))
    assert (agreed["status"], agreed["final_grade"]) == ("final", "基本合格")
    for who, ids in ((first, mine1[2:]), (second, mine2[1:])):
        for review_id in ids:
            assert review(api, who, review_id)["final_grade"] == "优质"

    # findings about Haizhu: 4 points (WS-02), 4 (CX-02, round 2), 4 + 3 (CX-02, AK-03)
    found = api("GET", "/findings?unit=440105", "chief1@440105")
    assert sorted(f["points"] for f in found) == [3, 4, 4, 4]
    assert {f["status"] for f in found} == {"open"} and {f["reviewing"] for f in found} == {
        "440106"}
    by_item = sorted(found, key=lambda f: (f["item"], f["review"] != mine1[1]))
    # Shandong: found and fixed itself 0, analysed but not fixed half, missed full
    api("POST", f"/findings/{by_item[1]['id']}/discovery", "chief1@440105", 403,
        json={"discovery": "self_fixed"})
    api("POST", f"/findings/{by_item[1]['id']}/discovery", "casemanager1@440106",
        json={"discovery": "self_fixed"})  # CX-02 of the agreed review, 4 points
    api("POST", f"/findings/{by_item[3]['id']}/discovery", "casemanager1@440106",
        json={"discovery": "self_analysed"})  # WS-02, 4 points
    score = api("GET", f"/units/440105/score?plan={plan_id}", "chief1@440105")
    assert score["deducted"] == 0 * 4 + 0.5 * 4 + 1.0 * 4 + 1.0 * 3
    assert score["score"] == 100 - 9.0
    assert score["by_discovery"]["self_fixed"]["deducted"] == 0
    assert score["by_discovery"]["self_analysed"]["deducted"] == 2.0
    assert len(score["findings"]) == 4

    # the grades land in the handlers' performance files
    handled = {}
    for review_id in mine1 + mine2:
        form = api("GET", f"/reviews/{review_id}", ISSUER)
        handled.setdefault(form["case"]["id"], form["final_grade"])
    files: dict[str, str] = {}
    for who in handlers_of(handled):  # whoever handled a sampled case (a random draw)
        record = api("GET", f"/api/v1/appraisal/performance/{who}?from=2026&to=2026",
                     "casemanager1@440105")
        files.update({e["case"]: e["grade"] for e in record["reviews"]["entries"]})
    assert files == handled

    # when the period is over Tianhe's reviewers read none of Haizhu's cases
    after = api("GET", f"/plans/{plan_id}", ISSUER)["ends_at"]
    later = scope_model.utcnow() + timedelta(days=31)
    assert after < later.isoformat()
    monkeypatch.setattr(scope_model, "utcnow", lambda: later)
    for reviewer in REVIEWERS:
        assert api("GET", "/api/v1/cases?unit=440105", reviewer) == []
        api("GET", f"/api/v1/cases/{sampled[0]}", reviewer, 404)


# ---------------------------------------------------------------- statistics
def test_statistics_drill_from_the_province_to_the_prosecutor(api, cases):
    plan_id, sample = start_cross_review(api, sample_mode="count", sample_value=2)
    first, second = REVIEWERS
    for who in REVIEWERS:
        for item in api("GET", "/reviews/mine", who):
            review(api, who, item["id"], ("WS-02", "文书不规范"))
    province = api("GET", "/stats/units/440000", "inspector1@440000")
    guangzhou = next(c for c in province["children"] if c["code"] == "440100")
    assert guangzhou["reviews"] == len(sample) and guangzhou["drill"] is True
    assert guangzhou["grades"]["合格"] == len(sample)
    assert province["chart"].startswith("<svg")
    city = api("GET", "/stats/units/440100", ISSUER)
    haizhu = next(c for c in city["children"] if c["code"] == "440105")
    tianhe = next(c for c in city["children"] if c["code"] == "440106")
    assert (haizhu["reviews"], tianhe["reviews"], haizhu["average_points_lost"]) == (
        len(sample), 0, 4.0)
    assert city["top_failed"][0]["item"] == "WS-02"
    assert city["top_failed"][0]["count"] == len(sample)
    people = api("GET", "/stats/units/440105/by/prosecutor", "chief1@440105")
    assert sum(r["reviews"] for r in people["rows"]) == len(sample)
    assert all(r["key"].endswith("@440105") for r in people["rows"])
    lines = api("GET", "/stats/units/440105/by/line", "chief1@440105")
    assert [(r["key"], r["reviews"]) for r in lines["rows"]] == [("criminal", len(sample))]
    departments = api("GET", "/stats/units/440105/by/department", "chief1@440105")
    assert [r["label"] for r in departments["rows"]] == ["刑事检察部"]
    api("GET", "/stats/units/440100", "chief1@440105", 404)  # Haizhu does not read up
    api("GET", "/stats/units/440105/by/colour", "chief1@440105", 404)


# ---------------------------------------------------------------- refusals
def test_blind_cross_review_masks_names_in_the_work_list_and_form(api, cases):
    start_cross_review(api, sample_mode="count", sample_value=1, blind=True)
    listed = api("GET", "/reviews/mine", REVIEWERS[0])
    assert listed and all(r["case"] is None and r["number"] == "（盲评隐去）" for r in listed)
    form = api("GET", f"/reviews/{listed[0]['id']}", REVIEWERS[0])
    assert form["blind"] and form["case"]["unit"] == form["case"]["handler"] == "（盲评隐去）"


def test_reviewers_from_the_reviewed_unit_are_refused(api, cases):
    plan = api("POST", "/plans", ISSUER, 201, json=plan_body())["id"]
    api("POST", f"/plans/{plan}/draw", ISSUER, 201)
    refused = api("POST", f"/plans/{plan}/start", ISSUER, 422,
                  json={"reviewers": ["prosecutor1@440106", "prosecutor1@440105"]})
    assert "reviewed unit" in refused["errors"]["json"]["reviewers"][0]


def test_shenzhen_cannot_plan_a_review_of_guangzhous_districts(api):
    refused = api("POST", "/plans", "casemanager1@440300", 422,
                  json=plan_body(reviewing="440305"))
    assert "440105" in refused["errors"]["json"]["units"][0]


def test_a_prosecutor_may_not_plan_and_others_do_not_see_the_plan(api, cases):
    api("POST", "/plans", "prosecutor1@440100", 403, json=plan_body())
    plan = api("POST", "/plans", ISSUER, 201, json=plan_body())["id"]
    for outsider in ("casemanager1@440300", "chief1@440105", "prosecutor1@440106"):
        api("GET", f"/plans/{plan}", outsider, 404)
    assert plan not in [p["id"] for p in api("GET", "/plans", "casemanager1@440300")]
    assert plan in [p["id"] for p in api("GET", "/plans", "inspector1@440000")]


@pytest.mark.parametrize("over, field", [
    ({"units": []}, "units"), ({"units": ["4401"]}, "units"), ({"sample_value": "x"},
                                                               "sample_value"),
    ({"sample_value": 2}, "sample_value"), ({"type": "monthly"}, "type"),
    ({"date_from": "2026-02-30"}, "date_from"), ({"name": "a\x00b"}, "name"),
    ({"starts_at": "0001-01-01T00:00:00+01:00"}, "starts_at"), ({"colour": "red"}, "colour"),
    ({"filters": {"lines": ["space"]}}, "filters"),
])
def test_a_bad_plan_body_is_422_naming_the_field(api, over, field):
    refused = api("POST", "/plans", ISSUER, 422, json=plan_body(**over))
    assert field in refused["errors"]["json"]


def test_bad_results_are_422_and_unknown_ids_404(api, cases):
    start_cross_review(api, sample_mode="count", sample_value=1)
    review_id = api("GET", "/reviews/mine", REVIEWERS[0])[0]["id"]
    refused = api("POST", f"/reviews/{review_id}/results", REVIEWERS[0], 422,
                  json=results(("ZZ-01", "无此项")))
    assert "ZZ-01" in refused["errors"]["json"]["results"][0]
    api("POST", f"/reviews/{review_id}/submit", REVIEWERS[0], 422)
    api("POST", f"/reviews/{review_id}/results", REVIEWERS[0], 422, json={"results": "all"})
    api("POST", f"/reviews/{review_id}/resolve", ISSUER, 422, json={"grade": "优质"})
    for method, path in (("GET", "/plans/zz-missing"), ("GET", "/reviews/zz-missing"),
                         ("POST", "/plans/zz-missing/draw"), ("GET", "/checklists/987654"),
                         ("GET", "/findings/zz-missing/handover")):
        api(method, path, ISSUER, 404)
    api("GET", f"/reviews/{review_id}", "casemanager1@440300", 404)
    api("GET", f"/reviews/{review_id}", "chief1@440105", 404)  # under way: not yet Haizhu's


@pytest.mark.parametrize("path", ["/plans/%00", "/reviews/a%00b", "/findings/%00/handover",
                                  "/stats/units/%00", "/units/%00/score", "/plans/" + "9" * 300])
def test_an_impossible_path_id_is_not_found_on_every_database(api, path):
    api("GET", path, ISSUER, 404)
