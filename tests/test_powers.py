"""Power lists: the template, inheritance and overrides, may_decide, versions."""
from datetime import date

import pytest
from sqlalchemy import select

from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants import power_editing as editing
from procuracy.tenants import powers
from procuracy.tenants.power_models import PowerItem
from procuracy.tenants.units import by_code

APPROVE_ARREST = "批准逮捕"  # XJ-006 prosecutor (not major) / XJ-007 chief (major)
FIXED = "XJ-014"  # 公安机关要求复议的复议决定（不捕）: chief, not overridable


def _case(case_id):
    return db.session.get(Case, case_id)


def test_a_district_inherits_the_province_template_with_its_own_changes(as_user):
    with as_user("prosecutor1@440105"):
        effective = powers.effective_list(by_code("440105"))
    origins = {i.origin for i in effective.items}
    assert origins == {"template", "override", "local"}
    assert effective.versions == {"440000": 1, "440105": 1}
    assert len(effective.items) == 319  # 318 template items + 1 local


def test_a_sibling_without_changes_gets_the_template_as_is(as_user):
    with as_user("prosecutor1@440106"):
        effective = powers.effective_list(by_code("440106"))
    assert {i.origin for i in effective.items} == {"template"}
    assert len(effective.items) == 318


def test_the_summary_counts_what_prosecutors_decide(as_user):
    with as_user("chief1@440106"):
        summary = powers.summary(powers.effective_list(by_code("440106")).items)
    assert summary["total"] == 318
    assert summary["by_decider"]["prosecutor"] == 198
    assert summary["prosecutor_share"] == pytest.approx(198 / 318, abs=0.001)


def test_the_handler_decides_what_the_list_gives_prosecutors(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("prosecutor1@440105") as me:
        verdict = powers.may_decide(me, APPROVE_ARREST, _case(case_id))
    assert verdict.allowed
    assert verdict.item.code == "XJ-006"
    assert verdict.versions == {"440000": 1, "440105": 1}


def test_a_prosecutor_may_not_decide_on_a_colleagues_case(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor2@440105")
    with as_user("chief1@440105"):
        case = _case(case_id)
    with as_user("prosecutor1@440105") as me:
        assert _case(case_id) is None  # not even visible to them
        verdict = powers.may_decide(me, APPROVE_ARREST, case)
    assert not verdict.allowed  # who handles decides


def test_a_major_case_goes_up_to_the_chief(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105", major=True)
    with as_user("prosecutor1@440105") as me:
        verdict = powers.may_decide(me, APPROVE_ARREST, _case(case_id))
    assert not verdict.allowed
    assert (verdict.item.code, verdict.decider_role) == ("XJ-007", "chief")
    with as_user("chief1@440105") as chief:
        assert powers.may_decide(chief, APPROVE_ARREST, _case(case_id)).allowed


def test_committee_matters_are_decided_by_no_single_person(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("chief1@440105") as chief:
        verdict = powers.may_decide(chief, "报请核准追诉", _case(case_id))
    assert not verdict.allowed and verdict.decider_role == "committee"


def test_a_matter_not_on_the_list_is_refused(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("chief1@440105") as chief:
        verdict = powers.may_decide(chief, "任意事项", _case(case_id))
    assert not verdict.allowed and verdict.item is None


def test_nobody_decides_for_another_unit(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("chief1@440100") as city_chief:
        verdict = powers.may_decide(city_chief, APPROVE_ARREST, _case(case_id))
    assert not verdict.allowed


def test_the_version_in_force_on_the_day_governs(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("admin1@440000") as admin:
        draft = editing.start_draft(admin, by_code("440000"), date(2026, 7, 1))
        editing.set_item(admin, draft, code="XJ-006", decider_role="department_head")
        editing.publish(admin, draft)
    with as_user("prosecutor1@440105") as me:
        before = powers.may_decide(me, APPROVE_ARREST, _case(case_id), on=date(2026, 6, 30))
        after = powers.may_decide(me, APPROVE_ARREST, _case(case_id), on=date(2026, 7, 1))
    assert before.allowed and before.versions["440000"] == 1
    assert not after.allowed and after.versions["440000"] == 2
    assert after.decider_role == "department_head"


def test_a_unit_may_override_only_what_the_province_allows(as_user):
    with as_user("admin1@440106") as admin:
        draft = editing.start_draft(admin, by_code("440106"), date(2026, 8, 1))
        editing.set_item(admin, draft, code="XJ-006", decider_role="department_head")
        with pytest.raises(powers.PowerListError, match="fixed by the province"):
            editing.set_item(admin, draft, code=FIXED, decider_role="prosecutor")
        editing.publish(admin, draft)
        effective = {i.code: i for i in powers.effective_list(by_code("440106"),
                                                              date(2026, 8, 1)).items}
    assert effective["XJ-006"].origin == "override"
    assert effective["XJ-006"].template_role == "prosecutor"
    assert effective[FIXED].decider_role == "chief"


def test_a_local_item_needs_a_template_category(as_user):
    with as_user("admin1@440106") as admin:
        draft = editing.start_draft(admin, by_code("440106"), date(2026, 8, 1))
        with pytest.raises(powers.PowerListError, match="categories"):
            editing.set_item(admin, draft, code="TH-001", decider_role="prosecutor",
                             matter="本院事项", category="不存在的业务")
        item = editing.set_item(admin, draft, code="TH-001", decider_role="prosecutor",
                                matter="本院事项", category="刑事检察")
        assert (item.matter, item.category) == ("本院事项", "刑事检察")


def test_only_the_units_administrator_or_chief_edits_its_list(as_user):
    with as_user("prosecutor1@440106") as someone, pytest.raises(PermissionError):
        editing.start_draft(someone, by_code("440106"), date(2026, 8, 1))
    with as_user("chief1@440100") as city_chief, pytest.raises(PermissionError):
        editing.start_draft(city_chief, by_code("440106"), date(2026, 8, 1))  # reads, not writes


def test_a_published_version_never_changes(as_user):
    with as_user("admin1@440105") as admin:
        published = powers.versions(by_code("440105"))[0]
        with pytest.raises(powers.PowerListError, match="never changes"):
            editing.set_item(admin, published, code="XJ-006", decider_role="chief")


def test_comparing_two_versions_lists_what_changed(as_user):
    with as_user("admin1@440105") as admin:
        unit = by_code("440105")
        draft = editing.start_draft(admin, unit, date(2026, 9, 1))
        editing.set_item(admin, draft, code="HZ-001", decider_role="department_head",
                         matter="检察官联席会议召集", category="刑事检察")
        editing.remove_item(admin, draft, code=draft_codes(draft)[0])
        editing.publish(admin, draft)
        v1, v2 = sorted(powers.versions(unit), key=lambda v: v.version)
        diff = powers.compare(powers.items_of_version(v1), powers.items_of_version(v2))
    assert [c["code"] for c in diff["changed"]] == ["HZ-001"]
    assert diff["changed"][0]["changes"]["decider_role"] == ("prosecutor", "department_head")
    assert len(diff["removed"]) == 1 and diff["added"] == []


def draft_codes(draft):
    return [c for c in db.session.scalars(
        select(PowerItem.code).where(PowerItem.list_id == draft.id).order_by(PowerItem.code))
        if c != "HZ-001"]


def test_the_api_shows_the_effective_list_and_its_summary(client, token_for):
    body = client.get("/api/v1/units/440105/powers",
                      headers=token_for("prosecutor1@440105")).get_json()
    assert body["summary"]["total"] == 319
    assert body["versions"] == {"440000": 1, "440105": 1}


def test_a_district_cannot_read_its_parents_own_list_versions(client, token_for):
    r = client.get("/api/v1/units/440100/powers", headers=token_for("chief1@440105"))
    assert r.status_code == 404


def test_no_path_changes_a_published_version(as_user):
    from procuracy.tenants.power_models import PublishedVersionChanged

    with as_user("admin1@440105"):
        published = powers.versions(by_code("440105"))[0]
        item = db.session.scalars(
            select(PowerItem).where(PowerItem.list_id == published.id)).first()
        item.decider_role = "chief"
        with pytest.raises(PublishedVersionChanged):
            db.session.flush()
        db.session.rollback()
        published = powers.versions(by_code("440105"))[0]
        published.note = "rewritten"
        with pytest.raises(PublishedVersionChanged):
            db.session.flush()
        db.session.rollback()
