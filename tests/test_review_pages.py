"""The case quality review pages, as a browser uses them: Guangzhou's case manager
plans a review of Haizhu's closed cases (10% at random plus the must-review ones),
draws it and starts it as a cross-review by Tianhe; Tianhe's reviewer finds the
review in the work list, fails an item, submits and sees the grade; a lower grade
goes to the second reviewer and, when they disagree, Guangzhou decides. A blind
review hides the unit and handler; a Haizhu case outside the sample stays 404; the
statistics draw a chart and export to Excel; the work list and the statistics cost
the same number of statements whatever the number of rows.

CSRF protection is on: every POST carries the token of a rendered form.
"""
from __future__ import annotations

import io
import math
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from procuracy.appraisal.review_forms import MASK
from procuracy.appraisal.review_models import MUST_REVIEW, Review, ReviewPlan
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import User
from procuracy.tenants.scope import system_scope
from tests.test_pages import csrf, fresh_request_globals, page, sign_in  # noqa: F401
from tests.test_review_plans import (
    DATE_FROM,
    DATE_TO,
    REVIEWERS,
    checklist_id,
    haizhu_cases,
    population_size,
)

ISSUER = "casemanager1@440100"
REVIEWER, SECOND = REVIEWERS
REVIEW_LINK = re.compile(r'href="/review/reviews/([^"]+)"')
ITEM = re.compile(r'name="r-([^"]+)" value="pass"')


@pytest.fixture
def browser(app):
    """``browser("casemanager1@440100")``: a signed-in client of its own."""
    def open_as(username: str):
        return sign_in(app.test_client(), username)

    return open_as


@pytest.fixture
def cases(make_case) -> dict:
    return haizhu_cases(make_case, n=28)


def plan_form(**over) -> dict:
    today = utcnow().date()
    return {"name": "2026年度海珠区院交叉评查", "checklist": str(checklist_id()),
            "type": "regular", "units": ["440105"], "date_from": DATE_FROM.isoformat(),
            "date_to": DATE_TO.isoformat(), "sample_mode": "rate", "sample_value": "10",
            "must_review": list(MUST_REVIEW), "reviewing": "440106",
            "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat(),
            **over}


def post(client, url: str, data: dict, token_from: str):
    return client.post(url, data={**data, "csrf_token": csrf(client, token_from)})


def create_plan(client, **over) -> str:
    r = post(client, "/review/plans", plan_form(**over), "/review/plans")
    assert r.status_code == 302, page(r)
    return r.headers["Location"].rsplit("/", 1)[1]


def start_plan(client, plan_id: str, reviewers=REVIEWERS) -> None:
    url = f"/review/plans/{plan_id}"
    r = post(client, f"{url}/draw", {}, url)
    assert r.status_code == 302, page(r)
    r = post(client, f"{url}/start", {"reviewers": list(reviewers)}, url)
    assert r.status_code == 302, page(r)


def my_review_ids(client) -> list[str]:
    return REVIEW_LINK.findall(page(client.get("/review/mine")))


def answers(body: str, *failures: tuple[str, str]) -> dict:
    """Every item of the form passed, except ``failures`` (code, note)."""
    data = {f"r-{code}": "pass" for code in ITEM.findall(body)}
    for code, note in failures:
        data[f"r-{code}"], data[f"n-{code}"] = "fail", note
    return data


def review_through_page(client, review_id: str, *failures: tuple[str, str]):
    url = f"/review/reviews/{review_id}"
    body = page(client.get(url))
    return post(client, url, {**answers(body, *failures), "action": "submit"}, url)


def stored(model, **where):
    with system_scope("test: read what the pages stored"):
        return db.session.scalars(select(model).filter_by(**where)).one()


@pytest.fixture
def counting():
    """``with counting() as seen``: the SQL statements sent meanwhile."""
    from contextlib import contextmanager

    @contextmanager
    def count():
        seen: list[str] = []

        def listener(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            yield seen
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)

    return count


# ---------------------------------------------------------------- the journey
def test_a_cross_review_from_plan_to_grade_through_the_pages(browser, cases):
    manager = browser(ISSUER)
    body = page(manager.get("/review/plans"))
    assert "评查计划" in body and "案件评查" in body  # Chinese by default, the nav link
    plan_id = create_plan(manager)
    plan = stored(ReviewPlan, public_id=plan_id)
    assert (plan.type, plan.sample_mode, plan.sample_value, plan.status) == (
        "regular", "rate", 0.1, "draft")
    assert set(plan.must_review) == set(MUST_REVIEW) and plan.reviewing_unit_id is not None

    # the draw: seed, population, the random part and the must-review cases
    start_plan(manager, plan_id)
    plan = stored(ReviewPlan, public_id=plan_id)
    body = page(manager.get(f"/review/plans/{plan_id}"))
    assert plan.seed and plan.seed in body
    assert f"{population_size()} 件" in body
    with system_scope("test: case numbers"):
        numbers = dict(db.session.execute(select(Case.public_id, Case.number)).all())
    assert numbers[cases["acquitted"]] in body and numbers[cases["not_prosecuted"]] in body
    assert f'href="/cases/{cases["acquitted"]}"' in body
    replay = manager.get(f"/review/plans/{plan_id}/replay").get_json()
    assert replay["reproduced"] is True
    assert replay["random"] == math.ceil(0.1 * population_size()) and replay["must_review"] == 2
    assert plan.status == "reviewing" and plan.order_id is not None

    # Tianhe's reviewer: the work list, the form (68 items by section), a failed item
    reviewer = browser(REVIEWER)
    mine = my_review_ids(reviewer)
    assert mine and len(mine) + len(my_review_ids(browser(SECOND))) == len(replay["drawn"])
    form = page(reviewer.get(f"/review/reviews/{mine[0]}"))
    assert len(ITEM.findall(form)) == 68
    assert "事实认定" in form and "证据审查" in form and "288" in form
    assert "广州市海珠区人民检察院" in form  # not blind: the unit is named

    # a failed item without a note is refused and nothing is saved
    url = f"/review/reviews/{mine[0]}"
    refused = post(reviewer, url, {**answers(form, ("WS-02", "")), "action": "submit"}, url)
    assert refused.status_code == 422
    assert "WS-02：不符合项须填写存在的问题" in page(refused)
    assert stored(Review, public_id=mine[0]).status == "assigned"

    done = review_through_page(reviewer, mine[0], ("WS-02", "审查报告未回应辩护意见"))
    assert done.status_code == 302
    final = page(reviewer.get(url))
    assert "最终等级" in final and "合格" in final
    review = stored(Review, public_id=mine[0])
    assert (review.status, review.final_grade, review.points_lost) == ("final", "合格", 4.0)
    assert "合格" in page(reviewer.get("/review/mine"))

    # a lower grade: the second reviewer disagrees, Guangzhou's case manager decides
    flawed = review_through_page(reviewer, mine[1], ("SR-01", "漏认定一起犯罪事实"))
    assert flawed.status_code == 302
    assert stored(Review, public_id=mine[1]).status == "second_review"
    second = browser(SECOND)
    assert mine[1] in my_review_ids(second)
    second_form = page(second.get(f"/review/reviews/{mine[1]}"))
    assert "漏认定一起犯罪事实" not in second_form  # each reviewer on their own
    review_through_page(second, mine[1], ("CX-02", "未依法讯问"))
    assert stored(Review, public_id=mine[1]).status == "disputed"
    url = f"/review/reviews/{mine[1]}"
    assert "决定" in page(manager.get(url))
    decided = post(manager, f"{url}/resolve", {"grade": "基本合格"}, url)
    assert decided.status_code == 302, page(decided)
    assert stored(Review, public_id=mine[1]).final_grade == "基本合格"

    # findings about Haizhu, with the discovery status and the ledger's data
    findings = page(browser("chief1@440105").get("/review/findings?unit=440105"))
    assert "审查报告未回应辩护意见" in findings and "未依法讯问" in findings
    tianhe = browser("casemanager1@440106")
    assert tianhe.get("/review/findings?unit=440105").status_code == 404
    made = "/review/findings?unit=440106&side=reviewing"  # the findings Tianhe made
    finding_id = re.search(r'/review/findings/([^/"]+)/discovery', page(tianhe.get(made))).group(1)
    marked = post(tianhe, f"/review/findings/{finding_id}/discovery",
                  {"discovery": "self_fixed", "unit": "440106", "side": "reviewing"}, made)
    assert marked.status_code == 302
    assert "自查发现并已整改" in page(tianhe.get(made))
    handover = tianhe.get(f"/review/findings/{finding_id}/handover?format=json").get_json()
    assert (handover["unit"], handover["discovery"], handover["deduction_factor"]) == (
        "440105", "self_fixed", 0.0)


def test_the_reviewer_reads_no_haizhu_case_outside_the_sample(browser, cases, token_for):
    manager = browser(ISSUER)
    plan_id = create_plan(manager, sample_mode="count", sample_value="3")
    start_plan(manager, plan_id)
    sampled = manager.get(f"/review/plans/{plan_id}/replay").get_json()["drawn"]
    outside = next(c for c in cases["plain"] if c not in sampled)
    reviewer = browser(REVIEWER)
    assert reviewer.get(f"/cases/{outside}").status_code == 404
    headers = token_for(REVIEWER)
    assert reviewer.get(f"/api/v1/cases/{outside}", headers=headers).status_code == 404
    assert reviewer.get(f"/api/v1/cases/{sampled[0]}", headers=headers).status_code == 200
    # nor the plan, which stays Guangzhou's
    assert reviewer.get(f"/review/plans/{plan_id}").status_code == 404


def test_a_blind_review_hides_the_unit_and_the_handler(browser, cases):
    manager = browser(ISSUER)
    plan_id = create_plan(manager, name="盲评测试", blind="true", sample_mode="count",
                          sample_value="2")
    assert stored(ReviewPlan, public_id=plan_id).blind is True
    start_plan(manager, plan_id)
    with system_scope("test: the handlers' names"):
        handlers = list(db.session.scalars(select(User.full_name).where(
            User.username.like("prosecutor%@440105"))))
        sampled = db.session.execute(select(Case.number, Case.public_id).join(
            Review, Review.case_id == Case.id)).all()
    numbers, case_ids = [n for n, _ in sampled], [c for _, c in sampled]
    reviewer = browser(REVIEWER)
    work = page(reviewer.get("/review/mine"))
    ids = REVIEW_LINK.findall(work)
    assert ids and MASK in work
    for review_id in ids:
        form = page(reviewer.get(f"/review/reviews/{review_id}"))
        assert MASK in form and "盲评" in form
        assert "海珠" not in form, form[form.index("海珠") - 300:form.index("海珠") + 100]
        assert not [n for n in handlers if n in form]
        assert not [n for n in numbers + case_ids if n in form + work]
    # the issuer sees who and what is reviewed
    assert any(n in page(manager.get(f"/review/plans/{plan_id}")) for n in numbers)


def test_bad_plan_input_answers_422_and_creates_nothing(browser, cases):
    manager = browser(ISSUER)
    for over, words in (({"sample_value": "250"}, "不超过 100%"),
                        ({"units": ["440305"]}, "不是本院或本院下级单位：440305"),
                        ({"date_from": "not a date"}, "日期无效"), ({"name": ""}, "请填写 1 至 120 个字符"),
                        ({"reviewing": "440105"}, "单位不能对自身进行交叉评查")):
        r = post(manager, "/review/plans", plan_form(**over), "/review/plans")
        assert r.status_code == 422, over
        assert words in page(r)
    with system_scope("test"):
        assert db.session.scalars(select(ReviewPlan)).all() == []
    # a prosecutor plans nothing
    prosecutor = browser("prosecutor1@440100")
    r = post(prosecutor, "/review/plans", plan_form(), "/review/mine")
    assert r.status_code == 403


def test_statistics_chart_drill_down_and_excel_export(browser, cases, token_for, client):
    manager = browser(ISSUER)
    plan_id = create_plan(manager, sample_mode="count", sample_value="2")
    start_plan(manager, plan_id)
    finish_all(client, token_for, ("WS-02", "文书不规范"))
    body = page(manager.get("/review/stats/440100"))
    assert "<svg" in body and "广州市海珠区人民检察院" in body
    assert 'href="/review/stats/440105' in body  # drill down
    assert "WS-02" in body  # the item failed most often
    assert "<svg" in page(manager.get("/review/stats/440105"))  # a district: its grades
    for split in ("line", "department", "prosecutor"):
        assert manager.get(f"/review/stats/440100?by={split}").status_code == 200
    assert manager.get("/review/stats/440100?by=nonsense").status_code == 422
    assert browser(REVIEWER).get("/review/stats/440105").status_code == 404

    export = manager.get("/review/stats/440100/export.xlsx")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.data))
    detail = book.worksheets[-1]
    rows = list(detail.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4  # 2 drawn + 2 must-review, all final
    assert {r[9] for r in rows} == {"合格"} and {r[10] for r in rows} == {4}
    summary = book.worksheets[0]
    assert summary.cell(2, 3).value == 4  # reviews in the whole subtree


def finish_all(client, token_for, *failures) -> int:
    """Every review assigned to the two reviewers, submitted through the API."""
    done = 0
    for who in REVIEWERS:
        headers = token_for(who)
        for item in client.get("/api/v1/review/reviews/mine?status=assigned",
                               headers=headers).get_json():
            body = {"results": [{"item_code": c, "passed": False, "note": n}
                                for c, n in failures], "pass_rest": True}
            url = f"/api/v1/review/reviews/{item['id']}"
            assert client.post(f"{url}/results", json=body, headers=headers).status_code == 200
            assert client.post(f"{url}/submit", headers=headers).status_code == 200
            done += 1
    return done


# ---------------------------------------------------------------- the cost of a page
def test_work_list_and_statistics_cost_the_same_statements_whatever_the_rows(
        browser, cases, token_for, client, counting):
    manager = browser(ISSUER)
    reviewer = browser(REVIEWER)
    costs: dict[str, list[int]] = {"mine": [], "stats": []}
    reviewed = []
    for count in ("1", "8"):
        start_plan(manager, create_plan(manager, sample_mode="count", sample_value=count))
        reviewed.append(finish_all(client, token_for, ("WS-02", "文书不规范")))
        for name, who, url in (("mine", reviewer, "/review/mine"),
                               ("stats", manager, "/review/stats/440100")):
            who.get(url)  # warm: the first request opens a savepoint early
            with counting() as seen:
                assert who.get(url).status_code == 200
            costs[name].append(len(seen))
    assert reviewed[1] > reviewed[0] + 2
    assert costs["mine"][0] == costs["mine"][1], costs
    assert costs["stats"][0] == costs["stats"][1], costs


def test_bad_input_on_the_review_pages_is_a_4xx(browser, cases):
    manager = browser(ISSUER)
    plan_id = create_plan(manager, sample_mode="count", sample_value="2")
    start_plan(manager, plan_id)
    for url in ("/review/mine?status=lost", "/review/findings?unit=44x", "/review/plans/%00x",
                "/review/stats/440100?date_from=2026-02-30", "/review/stats/999999",
                f"/review/plans/{'x' * 100}", "/review/reviews/nope",
                "/review/findings/nope/handover", "/review/stats/440100/export.xlsx?by=x"):
        assert manager.get(url).status_code in (404, 422), url
    reviewer = browser(REVIEWER)
    review_id = my_review_ids(reviewer)[0]
    url = f"/review/reviews/{review_id}"
    for data in ({"r-SR-01": "maybe", "action": "submit"}, {"action": "explode"},
                 {"r-SR-01": "fail", "n-SR-01": "x" * 3000},
                 {"r-SR-01": "fail", "n-SR-01": "\x00"}):
        assert post(reviewer, url, data, url).status_code == 422, data
    assert stored(Review, public_id=review_id).status == "assigned"  # nothing recorded
    r = post(manager, f"{url}/resolve", {"grade": "优质", "adopt_round": "x"}, url)
    assert r.status_code == 422


def test_the_pages_speak_english_on_request(browser, cases):
    manager = browser(ISSUER)
    manager.get("/lang/en")
    body = page(manager.get("/review/plans"))
    assert "Plan a review" in body and "Case quality review" in body
