"""Evaluation rules as data: the rule set in force, drafts within the template,
checks on save, publication, and published versions that never change."""
from datetime import date

import pytest
from sqlalchemy import select, update

from procuracy.appraisal import rules, rules_editing
from procuracy.appraisal.rule_models import Aspect, Indicator, RuleSet
from procuracy.appraisal.rules import RuleSetError, RuleSetInvalid, content_of, parse_period
from procuracy.appraisal.rules_checks import check, problems
from procuracy.appraisal.rules_editing import PublishedRuleSetChanged
from procuracy.extensions import db
from procuracy.tenants.units import by_code


def _aspects(rs, **weights):
    out = []
    for a in content_of(rs)["aspects"]:
        out.append({**a, "weight": weights.get(a["code"], a["weight"])})
    return out


def _draft(user, code="440105", audience="prosecutor"):
    return rules_editing.create_draft(user, by_code(code), audience, "month",
                                      effective_from=date(2026, 4, 1))


def _reload(rs):
    return rules.rule_set_by_public_id(rs.public_id)


# ---------------------------------------------------------------- periods
def test_periods_are_months_quarters_and_years():
    march = parse_period("2026-03")
    assert (march.kind, march.start, march.end) == ("month", date(2026, 3, 1), date(2026, 3, 31))
    q1 = parse_period("2026-Q1")
    assert (q1.start, q1.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert parse_period("2026").end == date(2026, 12, 31)
    assert march.previous().text == "2026-02" and parse_period("2026-01").previous().text == "2025-12"
    for bad in ("2026-13", "2026-Q5", "March", ""):
        with pytest.raises(ValueError):
            parse_period(bad)


# ---------------------------------------------------------------- in force
def test_haizhu_uses_its_own_version_and_tianhe_the_province_template(as_user):
    with as_user("prosecutor1@440105"):
        haizhu = rules.effective_rule_set(by_code("440105"), "prosecutor", "month",
                                          date(2026, 3, 1))
        assert haizhu.unit_id == by_code("440105").id
        assert {a.code: a.weight for a in haizhu.aspects}["QTY"] == 35
        assert "HZ01" in {i.code for i in haizhu.indicators}
        template = db.session.get(RuleSet, haizhu.based_on_id)
        assert template.unit_id == by_code("440000").id and template.status == "published"
    with as_user("prosecutor1@440106"):
        tianhe = rules.effective_rule_set(by_code("440106"), "prosecutor", "month",
                                          date(2026, 3, 1))
        assert tianhe.unit_id == by_code("440000").id
        assert {a.code: a.weight for a in tianhe.aspects}["QTY"] == 30
        assert rules.effective_rule_set(by_code("440106"), "prosecutor", "month",
                                        date(2025, 12, 1)) is None  # not yet in force
        for audience in ("assistant", "clerk"):
            assert rules.effective_rule_set(by_code("440106"), audience, "month") is not None


def test_the_demo_template_is_modelled_on_haizhu(as_user):
    with as_user("chief1@440106"):
        template = rules.effective_rule_set(by_code("440106"), "prosecutor")
    aspects = {a.name: a.weight for a in template.aspects}
    assert aspects == {"数量": 30, "质量": 30, "司法技能": 15, "外部评价": 10, "职业操守": 10,
                       "学习调研": 5}
    assert sum(a.weight for a in template.aspects if a.core) == 75
    assert 12 <= len(template.indicators) <= 20
    assert {i.kind for i in template.indicators} == {
        "case_count", "weighted_cases", "review_grade", "event_points", "manual", "ratio"}
    assert any(i.normalise for i in template.indicators)
    assert template.grading["method"] == "quota"
    assert template.grading["grades"][0] == {"name": "优秀", "max_share": 0.15, "min": 60}
    assert [g["name"] for g in template.grading["grades"]] == ["优秀", "称职", "基本称职", "不称职"]


# ---------------------------------------------------------------- checks
def test_weights_must_add_up_to_100_and_core_must_reach_70(as_user):
    with as_user("chief1@440106") as chief:
        draft = _reload(_draft(chief, "440106"))
        with pytest.raises(RuleSetInvalid) as exc:
            rules_editing.save(chief, draft, {"aspects": _aspects(draft, QTY=25)})
        assert any("add up to 95" in e for e in exc.value.errors)
        with pytest.raises(RuleSetInvalid) as exc:  # 100 in all, but core 65 < 70
            rules_editing.save(chief, draft, {"aspects": _aspects(
                draft, QTY=25, QLT=25, SKL=15, EXT=15, ETH=15, STU=5)})
        assert any("less than the required 70%" in e for e in exc.value.errors)
        saved = rules_editing.save(chief, draft, {"aspects": _aspects(
            draft, QTY=35, QLT=30, SKL=10, EXT=10, ETH=10, STU=5)})
        assert {a.code: a.weight for a in saved.aspects}["QTY"] == 35


def test_every_indicator_source_must_exist(as_user):
    with as_user("chief1@440106") as chief:
        draft = _reload(_draft(chief, "440106"))
        base = content_of(draft)["indicators"]

        def refused(changed: dict, words: str):
            inds = [dict(i) for i in base] + [{"code": "X1", "aspect_code": "QTY",
                                                "name": "新指标", "points_per_unit": 1.0,
                                                "max_points": 2, "normalise": False, **changed}]
            with pytest.raises(RuleSetInvalid) as exc:
                rules_editing.save(chief, draft, {"indicators": inds})
            assert any(words in e for e in exc.value.errors), exc.value.errors

        refused({"kind": "case_count", "params": {"kinds": ["no_such_kind"]}}, "no case kind")
        refused({"kind": "event_points", "params": {"types": ["birthday"]}}, "no event type")
        refused({"kind": "review_grade", "params": {"points": {"极好": 3}}}, "grades must be")
        refused({"kind": "ratio", "params": {"numerator": "Q01", "denominator": "NOPE"}},
                "denominator 'NOPE' is not an indicator")
        refused({"kind": "case_count", "aspect_code": "NOPE", "params": {}}, "aspect 'NOPE'")
        refused({"kind": "telepathy", "params": {}}, "kind must be one of")


def test_adjustments_only_where_the_template_allows(as_user):
    with as_user("chief1@440106") as chief:
        draft = _reload(_draft(chief, "440106"))
        inds = content_of(draft)["indicators"]
        changed = [{**i, "points_per_unit": 5.0} if i["code"] == "Z02" else i for i in inds]
        with pytest.raises(RuleSetInvalid) as exc:  # Z02 (flaws) is not adjustable
            rules_editing.save(chief, draft, {"indicators": changed})
        assert any("Z02" in e and "does not allow" in e for e in exc.value.errors)
        with pytest.raises(RuleSetInvalid):  # a template indicator may not be dropped
            rules_editing.save(chief, draft, {"indicators": inds[1:]})
        with pytest.raises(RuleSetInvalid) as exc:  # weights move by at most 10
            rules_editing.save(chief, draft, {"aspects": _aspects(
                draft, QTY=45, QLT=30, SKL=10, EXT=5, ETH=5, STU=5)})
        assert any("at most 10" in e for e in exc.value.errors)
        grading = {**draft.grading, "grades": draft.grading["grades"][1:]}
        with pytest.raises(RuleSetInvalid):
            rules_editing.save(chief, draft, {"grading": grading})
        allowed = [{**i, "max_points": 10} if i["code"] == "Q01" else i for i in inds]
        saved = rules_editing.save(chief, draft, {"indicators": allowed})
        assert {i.code: i.max_points for i in saved.indicators}["Q01"] == 10


def test_the_demo_haizhu_version_passes_the_checks_against_the_template(as_user):
    with as_user("chief1@440105"):
        haizhu = rules.effective_rule_set(by_code("440105"), "prosecutor")
        assert problems(haizhu) == []
        template = rules.load_content(haizhu.based_on_id)
        assert check(content_of(haizhu), content_of(template), {}) != []  # kinds unknown


# ---------------------------------------------------------------- roles, drafts
def test_only_the_chief_or_case_managers_edit_rules(as_user):
    with as_user("prosecutor1@440105") as prosecutor:
        with pytest.raises(PermissionError):
            _draft(prosecutor)
    with as_user("casemanager1@440100") as city:
        with pytest.raises(PermissionError):  # a higher unit does not edit Haizhu's
            rules_editing.create_draft(city, by_code("440105"), "prosecutor")


def test_one_draft_at_a_time_copied_from_the_units_latest_version(as_user):
    with as_user("casemanager1@440105") as manager:
        draft = _reload(_draft(manager))
        assert draft.status == "draft" and draft.version == 2
        assert "HZ01" in {i.code for i in draft.indicators}  # Haizhu's own, not the template
        assert db.session.get(RuleSet, draft.based_on_id).unit_id == by_code("440000").id
        with pytest.raises(RuleSetError):
            _draft(manager)


# ---------------------------------------------------------------- publishing
def test_publish_gives_a_version_that_never_changes_by_any_path(as_user):
    with as_user("chief1@440105") as chief:
        draft = _reload(_draft(chief))
        aspects = _aspects(draft, QTY=30, SKL=15)
        rules_editing.save(chief, draft, {"aspects": aspects})
        published = rules_editing.publish(chief, _reload(draft))
        assert (published.status, published.version) == ("published", 2)
        assert published.published_by_id == chief.id

        rs = _reload(published)
        with pytest.raises(PublishedRuleSetChanged):  # the service
            rules_editing.save(chief, rs, {"name": "改"})
        with pytest.raises(RuleSetError):
            rules_editing.publish(chief, rs)
        with pytest.raises(PublishedRuleSetChanged):  # discarding
            rules_editing.discard(chief, rs)

        rs.name = "直接改"  # the ORM, the rule set itself
        with pytest.raises(PublishedRuleSetChanged):
            db.session.flush()
        db.session.rollback()
        rs = _reload(published)
        rs.aspects[0].weight = 99  # the ORM, its aspects
        with pytest.raises(PublishedRuleSetChanged):
            db.session.flush()
        db.session.rollback()
        rs = _reload(published)
        rs.indicators.append(Indicator(unit_id=rs.unit_id, code="NEW", aspect_code="QTY",
                                       name="新", kind="manual", params={"max": 1}))
        with pytest.raises(PublishedRuleSetChanged):
            db.session.flush()
        db.session.rollback()
        rs = _reload(published)
        db.session.delete(rs.indicators[0])
        with pytest.raises(PublishedRuleSetChanged):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(PublishedRuleSetChanged):  # bulk statements
            db.session.execute(update(Aspect).where(Aspect.rule_set_id == published.id)
                               .values(weight=1))
        db.session.rollback()
        rs = _reload(published)
        assert {a.code: a.weight for a in rs.aspects}["QTY"] == 30
        assert len(rs.indicators) == 18


def test_publishing_checks_again_and_keeps_effective_dates_in_order(as_user):
    with as_user("chief1@440105") as chief:
        draft = _reload(_draft(chief))
        draft.effective_from = date(2025, 6, 1)
        db.session.commit()
        with pytest.raises(RuleSetError) as exc:
            rules_editing.publish(chief, _reload(draft))
        assert exc.value.field == "effective_from"


def test_a_lower_unit_cannot_write_the_province_template(as_user):
    from procuracy.tenants.scope import WriteOutOfScope

    with as_user("chief1@440105"):
        template = db.session.scalars(select(RuleSet).where(
            RuleSet.unit_id == by_code("440000").id, RuleSet.audience == "prosecutor")).one()
        template.note = "改模板"
        with pytest.raises(WriteOutOfScope):
            db.session.flush()
        db.session.rollback()


def test_the_province_drafts_a_new_template_version(as_user):
    with as_user("chief1@440000") as chief:
        draft = _reload(rules_editing.create_draft(chief, by_code("440000"), "clerk", "month",
                                                   effective_from=date(2026, 7, 1)))
        assert draft.based_on_id is None and draft.version == 2
        allowances = {**draft.allowances, "core_min": 80}
        with pytest.raises(RuleSetInvalid) as exc:  # core is 75 < the new 80
            rules_editing.save(chief, draft, {"allowances": allowances})
        assert any("required 80%" in e for e in exc.value.errors)
        rules_editing.save(chief, draft, {"allowances": {**allowances, "core_min": 75}})
        assert rules_editing.publish(chief, _reload(draft)).status == "published"
