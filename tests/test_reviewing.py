"""Reviewing: the work list, the form (blind reviews masked), pass/fail item by item,
the grade, the second reviewer and the dispute for the lower grades, the findings
and how their discovery is recorded."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from procuracy.appraisal import reviewing
from procuracy.appraisal.review_models import Finding, Review
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.scope import OutOfScope, system_scope
from tests.test_review_plans import REVIEWERS, haizhu_cases, started_plan

FIRST, SECOND = REVIEWERS


@pytest.fixture
def plan_id(as_user, make_case) -> str:
    haizhu_cases(make_case, n=8)
    return started_plan(as_user, sample_mode="count", sample_value=4)


def mine(as_user, username: str) -> list[dict]:
    with as_user(username) as user:
        return reviewing.my_reviews(user)


def review_as(as_user, username: str, failures: dict[str, str], index: int = 0) -> str:
    """``username`` fails ``failures`` ({code: note}), passes the rest and submits."""
    public_id = mine(as_user, username)[index]["id"]
    with as_user(username) as user:
        review = reviewing.get_review(public_id)
        reviewing.record_results(review, user, [
            {"item_code": code, "passed": False, "note": note} for code, note in failures.items()],
            pass_rest=True)
        reviewing.submit(review, user)
    return public_id


def state(public_id: str) -> Review:
    with system_scope("test: the review as stored"):
        return db.session.scalars(select(Review).where(Review.public_id == public_id)).one()


def findings_of(public_id: str) -> list[Finding]:
    with system_scope("test: findings of a review"):
        review = db.session.scalars(select(Review).where(Review.public_id == public_id)).one()
        return list(db.session.scalars(select(Finding).where(Finding.review_id == review.id)
                                       .order_by(Finding.points)))


# ---------------------------------------------------------------- the work list and the form
def test_the_work_list_holds_my_reviews_only(as_user, plan_id):
    first, second = mine(as_user, FIRST), mine(as_user, SECOND)
    assert len(first) == 3 and len(second) == 3  # 4 random + 2 must-review, round-robin
    assert not {r["id"] for r in first} & {r["id"] for r in second}
    assert all(r["my_turn"] and r["round"] == 1 and r["number"] for r in first)
    assert mine(as_user, "prosecutor3@440106") == []


def test_the_form_lists_the_checklist_by_section_with_the_case(as_user, plan_id):
    public_id = mine(as_user, FIRST)[0]["id"]
    with as_user(FIRST) as user:
        form = reviewing.review_form(reviewing.get_review(public_id), user)
    assert form["progress"] == {"round": 1, "answered": 0, "total": 68, "failed": 0,
                                "points_lost": 0}
    assert len(form["sections"]) == 10
    assert form["case"]["unit"] == "广州市海珠区人民检察院" and form["case"]["handler"]
    assert form["case"]["number"] and form["case"]["id"]


def test_a_blind_review_masks_unit_case_number_and_handler(as_user, make_case):
    haizhu_cases(make_case, n=4)
    started_plan(as_user, sample_mode="count", sample_value=2, blind=True)
    listed = mine(as_user, FIRST)
    assert all(r["number"] == reviewing.MASK and r["case"] is None for r in listed)
    with as_user(FIRST) as user:
        form = reviewing.review_form(reviewing.get_review(listed[0]["id"]), user)
    case = form["case"]
    assert (case["unit"], case["number"], case["handler"], case["id"]) == (
        reviewing.MASK, reviewing.MASK, reviewing.MASK, None)
    # the substance stays: the title and the outcome field (empty for some sampled cases)
    assert case["title"] and reviewing.MASK not in (case["title"], case["outcome"])
    assert "outcome" in case


# ---------------------------------------------------------------- recording
def test_a_failed_item_needs_a_note_and_unknown_items_are_refused(as_user, plan_id):
    public_id = mine(as_user, FIRST)[0]["id"]
    with as_user(FIRST) as user:
        review = reviewing.get_review(public_id)
        with pytest.raises(reviewing.ReviewRejected) as refused:
            reviewing.record_results(review, user, [
                {"item_code": "SR-01", "passed": False, "note": " "},
                {"item_code": "ZZ-99", "passed": True}])
        assert refused.value.field == "results" and len(refused.value.errors["results"]) == 2
        with pytest.raises(reviewing.ReviewRejected, match="68 items are not answered"):
            reviewing.submit(review, user)


def test_only_the_assigned_reviewer_records(as_user, plan_id):
    public_id = mine(as_user, FIRST)[0]["id"]
    with as_user(SECOND) as other, pytest.raises(PermissionError):
        reviewing.record_results(reviewing.get_review(public_id), other,
                                 [{"item_code": "SR-01", "passed": True}])


def test_results_are_saved_as_the_reviewer_goes(as_user, plan_id):
    public_id = mine(as_user, FIRST)[0]["id"]
    with as_user(FIRST) as user:
        review = reviewing.get_review(public_id)
        reviewing.record_results(review, user, [{"item_code": "SR-01", "passed": True}])
        progress = reviewing.record_results(review, user, [
            {"item_code": "SR-01", "passed": False, "note": "漏认定一起盗窃事实"},
            {"item_code": "WS-01", "passed": True}])
    assert progress == {"round": 1, "answered": 2, "total": 68, "failed": 1, "points_lost": 8}
    assert state(public_id).status == "in_progress"


# ---------------------------------------------------------------- grading and findings
def test_a_clean_review_is_excellent_and_final_with_no_findings(as_user, plan_id):
    public_id = review_as(as_user, FIRST, {})
    review = state(public_id)
    assert (review.status, review.final_grade, review.points_lost) == ("final", "优质", 0)
    assert findings_of(public_id) == []


def test_an_acceptable_review_is_final_and_each_failure_is_an_open_finding(as_user, plan_id):
    public_id = review_as(as_user, FIRST, {"WS-02": "审查报告未分析辩护意见", "AK-03": "案卡滞后"})
    review = state(public_id)
    assert (review.status, review.grade, review.final_grade) == ("final", "合格", "合格")
    assert review.points_lost == 7 and review.second_reviewer_id is None
    found = findings_of(public_id)
    assert [(f.points, f.severity, f.discovery, f.status, f.ledger_ref) for f in found] == [
        (3, "normal", "missed", "open", ""), (4, "normal", "missed", "open", "")]
    due = utcnow().date() + timedelta(days=30)
    assert all(abs((f.rectify_by - due).days) <= 1 for f in found)
    assert all(f.reviewed_unit_id == review.reviewed_unit_id and f.handler_id == review.handler_id
               for f in found)
    assert "审查报告未分析辩护意见" in found[1].description


def test_a_lower_grade_goes_to_a_second_reviewer_and_agreement_makes_it_final(as_user, plan_id):
    public_id = review_as(as_user, FIRST, {"CX-02": "未讯问犯罪嫌疑人即作出决定"})
    review = state(public_id)
    assert (review.status, review.grade) == ("second_review", "基本合格")
    queued = [r for r in mine(as_user, SECOND) if r["id"] == public_id]
    assert queued and queued[0]["round"] == 2 and queued[0]["my_turn"]
    with as_user(SECOND) as second:
        form = reviewing.review_form(reviewing.get_review(public_id), second)
        assert all(i["result"] is None for s in form["sections"] for i in s["items"])
        reviewing.second_review(reviewing.get_review(public_id), second,
                                [{"item_code": "CX-04", "passed": False, "note": "退查提纲不具体"}],
                                pass_rest=True)
    review = state(public_id)
    assert (review.status, review.second_grade, review.final_grade) == ("final", "基本合格",
                                                                         "基本合格")
    # the first reviewer's findings stand when the two agree on the grade
    assert [f.description.split(" ")[0] for f in findings_of(public_id)] == ["【程序规范】CX-02"]


def test_different_grades_are_disputed_and_the_issuer_decides(as_user, plan_id):
    public_id = review_as(as_user, FIRST, {"SR-01": "事实认定错误"})
    with as_user(SECOND) as second:
        reviewing.second_review(reviewing.get_review(public_id), second,
                                [{"item_code": "CX-02", "passed": False, "note": "程序瑕疵"}],
                                pass_rest=True)
    review = state(public_id)
    assert (review.status, review.grade, review.second_grade) == ("disputed", "不合格", "基本合格")
    with as_user("casemanager1@440106") as reviewing_cm, pytest.raises(PermissionError):
        reviewing.resolve(reviewing.get_review(public_id), reviewing_cm, "基本合格")
    with as_user("casemanager1@440100") as issuer:
        with pytest.raises(reviewing.ReviewRejected) as refused:
            reviewing.resolve(reviewing.get_review(public_id), issuer, "合格")
        assert refused.value.field == "adopt_round"
        reviewing.resolve(reviewing.get_review(public_id), issuer, "基本合格", note="以复核意见为准")
    review = state(public_id)
    assert (review.status, review.final_grade, review.points_lost) == ("final", "基本合格", 4)
    assert [f.points for f in findings_of(public_id)] == [4]  # the second round's finding


def test_recording_after_the_review_period_is_refused(as_user, plan_id, monkeypatch):
    public_id = mine(as_user, FIRST)[0]["id"]
    later = utcnow() + timedelta(days=31)
    monkeypatch.setattr(reviewing, "utcnow", lambda: later)
    with as_user(FIRST) as user, pytest.raises(reviewing.ReviewRejected, match="over"):
        reviewing.record_results(reviewing.get_review(public_id), user,
                                 [{"item_code": "SR-01", "passed": True}])


# ---------------------------------------------------------------- who reads what was found
def test_the_reviewed_unit_reads_a_final_review_but_not_one_under_way(as_user, plan_id):
    done = review_as(as_user, FIRST, {"WS-02": "文书不规范"})
    pending = mine(as_user, SECOND)[0]["id"]
    with as_user("chief1@440105") as chief:
        assert reviewing.review_form(reviewing.get_review(done), chief)["final_grade"] == "合格"
        with pytest.raises(OutOfScope):
            reviewing.review_form(reviewing.get_review(pending), chief)


def test_discovery_is_recorded_by_the_reviewing_units_case_manager(as_user, plan_id):
    public_id = review_as(as_user, FIRST, {"WS-02": "文书不规范"})
    finding_id = findings_of(public_id)[0].public_id
    with as_user("chief1@440105") as reviewed_chief, pytest.raises(PermissionError):
        reviewing.mark_discovery(reviewing.review_findings.get_finding(finding_id),
                                 reviewed_chief, "self_fixed")
    with as_user("casemanager1@440106") as cm:
        finding = reviewing.review_findings.get_finding(finding_id)
        with pytest.raises(reviewing.review_findings.FindingRejected):
            reviewing.mark_discovery(finding, cm, "lucky")
        assert reviewing.mark_discovery(finding, cm, "self_analysed").discovery == "self_analysed"


def test_the_handover_payload_carries_what_the_ledger_needs(as_user, plan_id):
    public_id = review_as(as_user, FIRST, {"WS-02": "文书不规范"})
    with as_user("casemanager1@440106"):
        finding = reviewing.review_findings.get_finding(findings_of(public_id)[0].public_id)
        payload = reviewing.handover_payload(finding)
    assert payload["unit"] == "440105" and payload["reported_by_unit"] == "440106"
    assert payload["case_number"] and payload["handler"].endswith("@440105")
    assert payload["item"]["code"] == "WS-02" and payload["points"] == 4
    assert payload["discovery"] == "missed" and payload["deduction_factor"] == 1.0
    assert date.fromisoformat(payload["rectify_by"]) > utcnow().date()
    assert payload["review"] == public_id and payload["plan"]
