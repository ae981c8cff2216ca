"""The catalogue the province publishes: its kinds and stages carry the law's
numbers, reach the province's own tree only, pick the right alternative node for
a case, and say which cases are major under the province's rules."""
from datetime import date

import pytest
from sqlalchemy import select

from procuracy.cases import catalogue
from procuracy.cases import catalogue_data as data
from procuracy.cases.catalogue_models import LINES, CaseKind, MajorRule
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.scope import system_scope
from procuracy.tenants.units import by_code


def _stages(as_user, kind_code, user="prosecutor1@440105") -> dict:
    with as_user(user):
        kind = catalogue.kind_by_code(kind_code, by_code(user.split("@")[1]).id)
        return {s.code: (s.limit_value, s.limit_unit, s.extension_value, s.extension_unit,
                         s.max_extensions) for s in catalogue.stages_of(kind)}


# ---------------------------------------------------------------- the law's numbers
def test_arrest_review_is_seven_days_when_detained_and_fifteen_extendable_to_twenty_when_not(
        as_user):
    stages = _stages(as_user, "arrest_review")
    assert stages["review@detained"] == (7, "days", None, "days", 0)
    assert stages["review@not_detained"] == (15, "days", 5, "days", 1)


def test_custody_after_arrest_is_two_months_extendable_by_one(as_user):
    assert _stages(as_user, "arrest_review")["custody"] == (2, "months", 1, "months", 1)


def test_prosecution_review_is_one_month_plus_fifteen_days_and_ten_days_for_a_plea(as_user):
    stages = _stages(as_user, "prosecution_review")
    assert stages["review"] == (1, "months", 15, "days", 1)
    assert stages["review@plea"] == (10, "days", 5, "days", 1)


def test_supplementary_investigation_is_one_month_and_resets_the_review_clock(as_user):
    with as_user("prosecutor1@440105"):
        kind = catalogue.kind_by_code("prosecution_review")
        stage = catalogue.stage_by_code(kind, "supplementary")
        assert (stage.limit_value, stage.limit_unit, stage.max_extensions) == (1, "months", 0)
        assert stage.resets == ["review"]
        assert "第一百七十五条" in stage.legal_basis


def test_a_protest_is_ten_days_against_a_judgment_and_five_against_a_ruling(as_user):
    stages = _stages(as_user, "criminal_protest")
    assert stages["review"][:2] == (10, "days")
    assert stages["review@ruling"][:2] == (5, "days")


def test_complaint_replies_count_working_days(as_user):
    assert _stages(as_user, "criminal_appeal")["reply"][:2] == (7, "working_days")
    assert _stages(as_user, "custody_necessity")["review"] == (
        10, "working_days", 5, "working_days", 1)


def test_the_shipped_catalogue_is_a_realistic_subset_and_every_stage_cites_its_basis():
    content = data.load_catalogue()
    kinds = [k for c in content["categories"] for k in c["kinds"]]
    assert 4 <= len(content["categories"]) <= 6
    assert 15 <= len(kinds) <= 25
    assert {k["number_abbr"] for k in kinds} >= {"刑捕", "刑诉", "刑抗", "刑申"}
    for kind in kinds:
        assert kind["stages"], kind["code"]
        assert all(s["legal_basis"] for s in kind["stages"]), kind["code"]
    assert {r["line"] for r in content["major_rules"]} <= set(LINES)


def test_the_catalogue_checker_names_what_is_wrong():
    bad_unit = {"categories": [{"code": "X", "line": "criminal", "kinds": [
        {"code": "k", "line": "criminal", "number_abbr": "刑",
         "stages": [{"seq": 1, "code": "s", "clock": "c", "limit_value": 3,
                     "limit_unit": "weeks"}]}]}]}
    with pytest.raises(data.CatalogueError, match="kind k stage s"):
        data.check_catalogue(bad_unit)
    too_long = {"categories": [{"code": "X", "line": "criminal", "kinds": [
        {"code": "k" * 25, "line": "criminal", "number_abbr": "刑", "stages": []}]}]}
    with pytest.raises(data.CatalogueError, match="code longer than 24"):
        data.check_catalogue(too_long)
    with pytest.raises(data.CatalogueError):
        data.check_rule({"field": "suspects_count", "more_than": 3})
    with pytest.raises(data.CatalogueError):
        data.check_rule({"any": []})


# ---------------------------------------------------------------- who sees which catalogue
def test_a_district_works_under_its_province_kinds(as_user):
    with as_user("prosecutor1@440105"):
        kinds = catalogue.kinds_for(by_code("440105"))
        assert {k.unit_id for k in kinds} == {by_code("440000").id}
        assert all(k.stages for k in kinds)
    assert len(kinds) == len([k for c in data.load_catalogue()["categories"] for k in c["kinds"]])


def test_the_other_province_catalogue_is_not_visible(as_user):
    with as_user("prosecutor1@440105"):
        seen = {k.unit_id for k in db.session.scalars(select(CaseKind))}
        assert seen == {by_code("440000").id}
    with as_user("prosecutor1@450103"):
        theirs = catalogue.kind_by_code("arrest_review")
        assert theirs.unit_id == by_code("450000").id


def test_seeding_again_adds_nothing():
    with system_scope("test: reseed"):
        counts = catalogue.seed_catalogue(by_code("440000"))
    assert set(counts.values()) == {0}


# ---------------------------------------------------------------- the case's node and kind
def _case(as_user, make_case, **fields):
    case_id, _ = make_case("440105", handler="prosecutor1@440105", **fields)
    return case_id


def test_the_entry_node_follows_custody_and_plea(as_user, make_case):
    held = _case(as_user, make_case, detained=True)
    free = _case(as_user, make_case, detained=False)
    plea = _case(as_user, make_case, card={"plea": True})
    with as_user("prosecutor1@440105"):
        arrest = catalogue.kind_by_code("arrest_review")
        prosecution = catalogue.kind_by_code("prosecution_review")
        get = db.session.get
        assert catalogue.entry_stage(arrest, get(Case, held)).code == "review@detained"
        assert catalogue.entry_stage(arrest, get(Case, free)).code == "review@not_detained"
        assert catalogue.entry_stage(prosecution, get(Case, plea)).code == "review@plea"
        assert catalogue.entry_stage(prosecution, get(Case, free)).code == "review"
        assert catalogue.entry_stage(prosecution, get(Case, free), seq=2).code == "supplementary"


def test_a_case_carrying_the_kind_name_finds_its_kind(as_user, make_case):
    case_id = _case(as_user, make_case)  # the fixture's kind_code is "审查起诉"
    with as_user("prosecutor1@440105"):
        assert catalogue.kind_for_case(db.session.get(Case, case_id)).code == "prosecution_review"


# ---------------------------------------------------------------- major cases
@pytest.mark.parametrize("fields, major", [
    ({"suspects_count": 1, "charges": ["盗窃罪"]}, False),
    ({"suspects_count": 3, "charges": ["盗窃罪"]}, True),
    ({"suspects_count": 1, "charges": ["故意杀人罪"]}, True),
    ({"suspects_count": 1, "charges": [{"name": "贩卖毒品罪"}]}, True),
    ({"suspects_count": 1, "major": True}, True),
])
def test_a_criminal_case_is_major_by_the_province_rule(as_user, make_case, fields, major):
    case_id = _case(as_user, make_case, **fields)
    with as_user("prosecutor1@440105"):
        assert catalogue.is_major(db.session.get(Case, case_id), "criminal") is major


def test_public_interest_is_major_by_the_loss_on_the_case_card(as_user, make_case):
    big = _case(as_user, make_case, card={"loss_amount": 2_000_000})
    small = _case(as_user, make_case, card={"loss_amount": 5_000})
    odd = _case(as_user, make_case, card={"loss_amount": "很多"})
    with as_user("prosecutor1@440105"):
        get = db.session.get
        assert catalogue.is_major(get(Case, big), "public_interest")
        assert not catalogue.is_major(get(Case, small), "public_interest")
        assert not catalogue.is_major(get(Case, odd), "public_interest")


def test_rules_combine_with_all_and_not():
    case = Case(suspects_count=2, charges=["诈骗罪"], card={"amount": 500_000}, major=False)
    rule = {"all": [{"field": "amount", "gte": 100_000, "lte": 1_000_000},
                    {"not": {"flag": "major"}}, {"charge_in": ["诈骗罪"]}]}
    data.check_rule(rule)
    assert data.evaluate(rule, case)
    assert not data.evaluate({"field": "suspects_count", "eq": 3}, case)
    assert not data.evaluate({"field": "missing", "gte": 1}, case)


def test_without_a_rule_the_case_flag_decides(as_user, make_case):
    case_id = _case(as_user, make_case, major=True)
    with system_scope("test: drop the rule"):
        for rule in db.session.scalars(select(MajorRule).where(MajorRule.line == "execution")):
            db.session.delete(rule)
        db.session.flush()
    with as_user("prosecutor1@440105"):
        assert catalogue.is_major(db.session.get(Case, case_id), "execution")


# ---------------------------------------------------------------- the API
def test_the_kinds_api_lists_my_province_kinds_with_stages(client, token_for):
    r = client.get("/api/v1/catalogue/kinds", headers=token_for("prosecutor1@440105"))
    assert r.status_code == 200
    kinds = {k["code"]: k for k in r.get_json()}
    arrest = kinds["arrest_review"]
    assert (arrest["name"], arrest["number_abbr"], arrest["category_name"]) == (
        "审查逮捕", "刑捕", "刑事检察")
    review = next(s for s in arrest["stages"] if s["code"] == "review@detained")
    assert (review["limit_value"], review["limit_unit"], review["clock"]) == (7, "days", "review")
    assert "第九十一条" in review["legal_basis"]


def test_the_kinds_api_needs_a_token(client):
    assert client.get("/api/v1/catalogue/kinds").status_code == 401


def test_the_province_publishes_from_the_day_it_is_seeded():
    # The calendar shipped with the catalogue covers the two years the notices cover.
    years = {row["day"].year for row in data.load_holidays()}
    assert years == {2025, 2026}
    assert date(2026, 10, 10) in {r["day"] for r in data.load_holidays() if r["kind"] == "workday"}
