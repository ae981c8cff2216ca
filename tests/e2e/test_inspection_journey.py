"""A provincial inspection, in Chromium: Guangdong's inspector drills down the
dashboard from Guangdong to Guangzhou to Haizhu, opens one of Haizhu's problem cases
(read-only), plans an inspection of Haizhu, records a finding about that case and
downloads the inspection report (a PDF); Haizhu's chief then sees the inspector's read
in the access log and the finding on the ledger, answers it, and the inspector
verifies it and closes the entry."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

pytest.importorskip("playwright.sync_api")

from playwright.sync_api import expect  # noqa: E402

INSPECTOR, CHIEF = "inspector1@440000", "chief1@440105"
TITLE = "海珠区院案件办理专项督察"
PROBLEM = "超期未办结案件未及时报告，期限管理不到位"


def main_nav(page, name: str):
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()


def test_an_inspector_inspects_haizhu_and_haizhu_rectifies(journey):
    inspector = journey.sign_in(INSPECTOR)

    # The dashboard, drilled down: Guangdong › Guangzhou › Haizhu
    main_nav(inspector, "工作台")
    expect(inspector.get_by_role("heading", level=1)).to_contain_text("广东省人民检察院")
    journey.shot(inspector, "dashboard-province",
                 inspector.get_by_role("link", name="广州市人民检察院"))
    inspector.get_by_role("link", name="广州市人民检察院").click()
    expect(inspector.get_by_role("heading", level=1)).to_contain_text("广州市人民检察院")
    inspector.locator("#dashboard-rows").get_by_role("link", name="广州市海珠区人民检察院").click()
    heading = inspector.get_by_role("heading", level=1)
    expect(heading).to_contain_text("广州市海珠区人民检察院")
    crumbs = inspector.get_by_role("navigation", name="位置")
    expect(crumbs).to_contain_text("广东省人民检察院")
    expect(crumbs).to_contain_text("广州市人民检察院")
    problem_case = inspector.locator("#problem-cases").get_by_role("link").first
    journey.shot(inspector, "dashboard-haizhu", problem_case)

    # One of Haizhu's problem cases, read-only
    number = problem_case.inner_text()
    problem_case.click()
    expect(inspector.get_by_role("note")).to_contain_text("只读")
    expect(inspector.locator("main form")).to_have_count(0)
    case_id = inspector.url.rsplit("/", 1)[-1]
    journey.shot(inspector, "case-read-only")

    # An inspection of Haizhu, planned
    main_nav(inspector, "督察")
    plan = inspector.locator("form").filter(has=inspector.get_by_label("被督察单位"))
    plan.get_by_label("标题").fill(TITLE)
    plan.get_by_label("督察主题").select_option(label="办案流程")
    today = date.today()
    plan.get_by_label("期间自").fill((today - timedelta(days=90)).isoformat())
    plan.get_by_label("期间至").fill(today.isoformat())
    plan.get_by_label("被督察单位").select_option("440105")
    journey.shot(inspector, "plan", plan.get_by_role("button", name="建立计划"))
    plan.get_by_role("button", name="建立计划").click()
    expect(inspector.get_by_role("status")).to_have_text("督察计划已建立。")
    expect(inspector.get_by_role("heading", level=1)).to_have_text(TITLE)

    # A finding about the case, on Haizhu's ledger
    finding = inspector.locator("form").filter(has=inspector.get_by_label("整改期限"))
    finding.get_by_label("严重程度").select_option(label="较重")
    finding.get_by_label("整改期限").fill((today + timedelta(days=30)).isoformat())
    finding.get_by_label("案件（编号，可选）").fill(case_id)
    finding.get_by_label("责任人（用户名，可选）").fill(CHIEF)
    finding.get_by_label("问题").fill(PROBLEM)
    finding.get_by_role("button", name="登记").click()
    expect(inspector.get_by_role("status")).to_have_text("问题已登记到被督察单位的台账。")
    expect(inspector.get_by_role("link", name=PROBLEM)).to_be_visible()
    journey.shot(inspector, "inspection", inspector.get_by_role("button", name="生成 PDF 督察报告"))

    # The report: built in process, downloaded from the report jobs page
    inspector.get_by_role("button", name="生成 PDF 督察报告").click()
    expect(inspector.get_by_role("heading", level=1)).to_have_text("报告任务")
    download_link = inspector.get_by_role("link", name="PDF", exact=True).first
    journey.shot(inspector, "report-jobs", download_link)
    with inspector.expect_download() as pending:
        download_link.click()
    pdf = pending.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:], pdf[:40]
    assert len(pdf) > 5_000

    # Haizhu's chief: the read in the access log, the finding on the ledger, answered
    chief = journey.sign_in(CHIEF)
    main_nav(chief, "访问记录")
    read = chief.get_by_role("row").filter(has_text=f"GET /cases/{case_id}").first
    expect(read).to_contain_text("440000")  # the reader's unit, Guangdong
    journey.shot(chief, "access-log", read.get_by_role("cell").first)
    main_nav(chief, "问题台账")
    entry = chief.get_by_role("link", name=PROBLEM)
    journey.shot(chief, "ledger", entry)
    entry.click()
    expect(chief.locator("main")).to_contain_text(number)
    chief.get_by_label("整改情况").fill("已逐案清理超期案件，建立期限预警周报制度。")
    chief.get_by_role("button", name="提交反馈").click()
    expect(chief.locator("main")).to_contain_text("已反馈")
    journey.shot(chief, "answered")
    entry_url = chief.url

    # The inspector verifies: the entry is closed
    inspector.goto(entry_url)
    expect(inspector.locator("main")).to_contain_text("已逐案清理超期案件")
    accept = inspector.get_by_role("button", name="核查通过并销号")
    journey.shot(inspector, "verify", accept)
    accept.click()
    expect(inspector.locator("main p").filter(has=inspector.locator(".badge")).first).to_contain_text(
        re.compile("已销号"))
    journey.shot(inspector, "closed")
