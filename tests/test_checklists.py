"""Checklists: the province's data (68 items, 288 points for the demo), published
and then never changed, and the grade that follows from the failed items."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from procuracy.appraisal import checklists
from procuracy.appraisal.review_models import Checklist
from procuracy.extensions import db
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope
from tests.test_review_plans import checklist_id

MODERN = [{"name": "优质", "min_points": 95}, {"name": "合格", "min_points": 85},
          {"name": "基本合格", "min_points": 70}, {"name": "不合格", "min_points": 0}]
OLDER = [{"name": "优质", "min_points": 95}, {"name": "合格", "min_points": 80},
         {"name": "瑕疵", "min_points": 60}, {"name": "不合格", "min_points": 0}]


def item(code: str, points: float, failure_grade: str = "") -> SimpleNamespace:
    return SimpleNamespace(code=code, points=points, failure_grade=failure_grade)


# ---------------------------------------------------------------- the demo data
def test_the_demo_checklist_has_68_items_worth_288_points():
    data = checklists.demo_checklist()
    assert len(data["items"]) == 68
    assert sum(i["points"] for i in data["items"]) == 288
    assert len({i["code"] for i in data["items"]}) == 68
    assert {"事实认定", "证据审查", "法律适用", "程序规范", "文书制作", "案卡填录", "办案效果"} <= \
        {i["section"] for i in data["items"]}
    assert [g["name"] for g in data["grades"]] == ["优质", "合格", "基本合格", "不合格"]


def test_every_province_has_the_checklist_published():
    with system_scope("test"):
        rows = db.session.execute(select(Unit.code, Checklist).join(
            Unit, Unit.id == Checklist.unit_id)).all()
        published = {code: c for code, c in rows if c.status == "published"}
        assert set(published) == {"440000", "450000"}
        for checklist in published.values():
            assert checklist.total_points == 288
            assert len(checklists.items_of(checklist)) == 68


def test_a_district_reads_the_province_checklist_by_section(client, token_for):
    headers = token_for("prosecutor1@440106")
    listed = client.get("/api/v1/review/checklists", headers=headers).get_json()
    assert [(c["unit"], c["item_count"], c["total_points"]) for c in listed] == \
        [("440000", 68, 288.0)]
    detail = client.get(f"/api/v1/review/checklists/{listed[0]['id']}", headers=headers)
    body = detail.get_json()
    assert detail.status_code == 200
    assert sum(len(s["items"]) for s in body["sections"]) == 68
    assert sum(s["points"] for s in body["sections"]) == 288
    assert body["sections"][0]["section"] == "事实认定"


def test_another_provinces_checklist_is_not_found(client, token_for):
    response = client.get(f"/api/v1/review/checklists/{checklist_id('450000')}",
                          headers=token_for("prosecutor1@440106"))
    assert response.status_code == 404


# ---------------------------------------------------------------- grading
@pytest.mark.parametrize("failed, grade, lost", [
    ([], "优质", 0),
    ([item("AK-03", 3)], "优质", 3),  # costs points only: 98.96 of 100
    ([item("WS-02", 4, "合格")], "合格", 4),  # the item caps the grade
    ([item("CX-02", 4, "基本合格")], "基本合格", 4),
    ([item("SR-01", 8, "不合格")], "不合格", 8),
])
def test_the_grade_follows_the_worst_failure(failed, grade, lost):
    result = checklists.grade_for(MODERN, 288, failed)
    assert (result.grade, result.points_lost) == (grade, lost)


@pytest.mark.parametrize("lost, score, grade", [
    (14, 95.14, "优质"), (15, 94.79, "合格"), (43, 85.07, "合格"), (45, 84.38, "基本合格"),
    (86, 70.14, "基本合格"), (87, 69.79, "不合格"),
])
def test_points_lost_alone_set_the_grade_on_the_scale_out_of_100(lost, score, grade):
    result = checklists.grade_for(MODERN, 288, [item(f"X{i}", 1) for i in range(lost)])
    assert (result.score, result.by_score, result.grade) == (score, grade, grade)


def test_the_capping_items_are_named():
    result = checklists.grade_for(MODERN, 288, [item("SR-01", 8, "不合格"), item("WS-02", 4, "合格"),
                                                item("FL-01", 8, "不合格")])
    assert result.grade == "不合格" and result.capped_by == ["FL-01", "SR-01"]


def test_the_older_flaw_scale_is_just_data():
    scale = checklists.validate_grades(OLDER)
    assert checklists.lower_grades(scale) == ("瑕疵", "不合格")
    assert checklists.grade_for(scale, 100, [item("A", 25)]).grade == "瑕疵"
    assert checklists.severity_for(scale, "瑕疵") == "major"
    assert checklists.severity_for(scale, "不合格") == "serious"
    assert checklists.severity_for(scale, "") == "normal"


@pytest.mark.parametrize("grades, message", [
    ([{"name": "优", "min_points": 90}], "2 to 8"),
    ([{"name": "优", "min_points": 50}, {"name": "差", "min_points": 60}], "fall"),
    ([{"name": "优", "min_points": 90}, {"name": "差", "min_points": 10}], "min_points 0"),
    ([{"name": "优", "min_points": 90}, {"name": "优", "min_points": 0}], "twice"),
    ([{"name": "优", "min_points": 90, "colour": 1}, {"name": "差", "min_points": 0}], "exactly"),
])
def test_a_bad_scale_is_refused(grades, message):
    with pytest.raises(checklists.ChecklistError, match=message):
        checklists.validate_grades(grades)


def test_bad_items_are_refused():
    with pytest.raises(checklists.ChecklistError, match="used twice"):
        checklists.validate_items([{"section": "甲", "code": "A", "text": "t", "points": 1},
                                   {"section": "甲", "code": "A", "text": "t", "points": 1}],
                                  ["优", "差"])
    with pytest.raises(checklists.ChecklistError, match="not on the scale"):
        checklists.validate_items([{"section": "甲", "code": "A", "text": "t", "points": 1,
                                    "failure_grade": "瑕疵"}], ["优", "差"])


# ---------------------------------------------------------------- publishing
def test_a_published_checklist_never_changes_and_a_new_version_is_a_draft(as_user):
    data = checklists.demo_checklist()
    with as_user("casemanager1@440000") as cm:
        draft = checklists.create_checklist(cm, name="公益诉讼案件质量评查表", line="public_interest",
                                            grades=data["grades"], items=data["items"][:10])
        assert (draft.status, draft.version) == ("draft", 1)
        checklists.publish(draft, cm)
        assert draft.status == "published"
        with pytest.raises(checklists.ChecklistError, match="never changes"):
            checklists.publish(draft, cm)
        again = checklists.new_version(draft, cm)
        assert (again.status, again.version) == ("draft", 2)
        assert [i.code for i in checklists.items_of(again)] == \
            [i.code for i in checklists.items_of(draft)]


def test_only_the_province_publishes_checklists(as_user):
    data = checklists.demo_checklist()
    with as_user("casemanager1@440100") as cm, pytest.raises(PermissionError):
        checklists.create_checklist(cm, name="市院评查表", line="criminal",
                                    grades=data["grades"], items=data["items"])
