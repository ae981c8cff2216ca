"""A cross-review, in Chromium: Guangzhou's case manager plans a review of Haizhu's
cases closed last November, with Tianhe as the reviewing unit, draws the sample and
starts it with a Tianhe prosecutor as the reviewer; the reviewer grades the case
(one item fails); the grade appears in the performance file of the Haizhu prosecutor
who handled it."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

pytest.importorskip("playwright.sync_api")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.browsing import TABLET  # noqa: E402

MANAGER, HANDLER = "casemanager1@440100", "prosecutor1@440105"
REVIEWER, SECOND = "prosecutor1@440106", "prosecutor2@440106"  # the sampled case goes to the first
PLAN = "海珠区院2025年11月办结案件交叉评查"
FLAW = "审查报告未回应辩护人提出的量刑意见"


def test_a_cross_review_grade_reaches_the_handlers_performance_file(journey, demo):
    # Guangzhou's case manager: the plan
    manager = journey.sign_in(MANAGER)
    manager.get_by_role("navigation", name="主导航").get_by_role("link", name="案件评查").click()
    manager.get_by_role("link", name="评查计划", exact=True).click()
    plan = manager.locator("form").filter(has=manager.get_by_label("评查单位", exact=True))
    plan.get_by_label("名称").fill(PLAN)
    plan.get_by_role("group", name="被评查单位").get_by_label(re.compile("440105")).check()
    plan.get_by_label("办结日期自").fill("2025-11-01")
    plan.get_by_label("办结日期至").fill("2025-11-30")
    plan.get_by_label("抽样方式").select_option("count")
    plan.get_by_label("比例（%）或件数").fill("1")
    plan.get_by_label("评查单位", exact=True).select_option("440106")
    today = date.today()
    plan.get_by_label("评查开始日期").fill(today.isoformat())
    plan.get_by_label("评查截止日期").fill((today + timedelta(days=30)).isoformat())
    create = plan.get_by_role("button", name="创建评查计划")
    journey.shot(manager, "plan-form", create)
    create.click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(PLAN)

    # Drawn and started, Tianhe's prosecutor reviewing
    manager.get_by_role("button", name="抽取样本").click()
    sampled = manager.locator("main table").filter(has_text="穗海检").get_by_role("link")
    expect(sampled).to_have_count(1)
    number = sampled.inner_text()
    case_id = sampled.get_attribute("href").rsplit("/", 1)[-1]
    reviewers = manager.get_by_role("group", name="评查人员")
    for who in (REVIEWER, SECOND):  # two: a lower grade goes to a second reviewer
        reviewers.get_by_label(re.compile(rf"\s{re.escape(who)}$")).check()
    start = manager.get_by_role("button", name="启动评查")
    journey.shot(manager, "plan-drawn", start)
    start.click()
    expect(manager.get_by_role("status")).to_contain_text("评查已启动")
    expect(manager.get_by_role("button", name="启动评查")).to_have_count(0)

    # Tianhe's reviewer, on a tablet: the case in the work list, graded
    reviewer = journey.sign_in(REVIEWER, viewport=TABLET)
    reviewer.get_by_role("navigation", name="主导航").get_by_role("link", name="案件评查").click()
    row = reviewer.get_by_role("row").filter(has_text=number)
    journey.shot(reviewer, "my-reviews", row.get_by_role("link", name="评查"))
    row.get_by_role("link", name="评查").click()
    expect(reviewer.locator("main")).to_contain_text("广州市海珠区人民检察院")
    item = reviewer.get_by_role("radiogroup", name="WS-02")
    item.get_by_label("不符合").check()
    reviewer.get_by_label("WS-02 的说明").fill(FLAW)
    reviewer.get_by_role("button", name="保存，其余项均为符合").click()
    submit = reviewer.get_by_role("button", name="提交")
    journey.shot(reviewer, "review-form", submit)
    submit.click()
    summary = reviewer.get_by_role("complementary", name="汇总")
    expect(summary).to_contain_text("最终等级")
    expect(summary).to_contain_text("合格")
    journey.shot(reviewer, "review-final")

    # The Haizhu prosecutor's performance file: the grade, on the case
    handler = journey.sign_in(HANDLER)
    handler.get_by_role("navigation", name="主导航").get_by_role("link", name="业绩档案").click()
    reviews = handler.locator("section").filter(
        has=handler.get_by_role("heading", name="质量评查与发现的问题"))
    on_the_case = reviews.get_by_role("row").filter(has=handler.get_by_role("link", name=case_id))
    expect(on_the_case.filter(has_text="合格")).to_have_count(1)  # the review's grade
    expect(on_the_case.filter(has_text=FLAW)).to_have_count(1)  # and its finding
    journey.shot(handler, "performance-file", on_the_case.first.get_by_role("link"))
