"""A Haizhu prosecutor's day, in Chromium: signs in, finds the case newly assigned to
them on "my cases", sees its statutory clock, uploads a document, records a decision
within their power and requests one beyond it; the chief approves it from the
inbox (on a tablet), and the prosecutor sees it decided."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.sync_api")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.browsing import TABLET  # noqa: E402

PROSECUTOR, CHIEF = "prosecutor1@440105", "chief1@440105"
WITHIN = "提起公诉"  # XJ-035: the handling prosecutor decides it on an ordinary case
BEYOND = "撤回起诉"  # XJ-062: the chief decides it
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_a_prosecutor_handles_a_new_case_and_the_chief_approves(journey, demo):
    case = demo.world["new_case"]
    page = journey.sign_in(PROSECUTOR)

    # My cases: the new case, with its clock
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的案件").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的案件")
    listed = page.locator("table.cases")
    link = listed.get_by_role("link", name=case["number"])
    row = listed.get_by_role("row").filter(has=page.get_by_role("link", name=case["number"]))
    expect(row).to_contain_text("剩余")
    journey.shot(page, "my-cases", link)
    link.click()

    # The case: its card and the running clock
    expect(page.get_by_role("heading", level=1)).to_contain_text("陈某某")
    clocks = page.locator("#clocks")
    expect(clocks.get_by_role("heading")).to_have_text("办案期限")
    expect(clocks.get_by_role("row")).to_have_count(2)  # the header and one running clock
    expect(clocks.get_by_role("row").nth(1)).to_contain_text(re.compile(r"剩余 \d+ 天"))
    journey.shot(page, "case", page.get_by_role("button", name="提交"))

    # A document
    documents = page.locator("#documents")
    documents.get_by_label("文书类型").fill("起诉意见书")
    documents.get_by_label("文件").set_input_files(
        files=[{"name": "起诉意见书.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    documents.get_by_role("button", name="上传").click()
    expect(page.get_by_role("status")).to_contain_text("文书已添加到本案")
    expect(page.locator("#documents").get_by_role("link", name="起诉意见书.pdf")).to_be_visible()

    # A decision within power, then one beyond it
    decisions = page.locator("#decisions")
    decisions.get_by_label("事项").select_option(WITHIN)
    decisions.get_by_label("决定内容").fill("犯罪事实清楚，证据确实充分，依法提起公诉。")
    decisions.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("权限内")
    decisions = page.locator("#decisions")
    decisions.get_by_label("事项").select_option(BEYOND)
    decisions.get_by_label("决定内容").fill("被害人谅解并退赔，拟撤回起诉。")
    decisions.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("超出您的权限")
    expect(page.locator("#decisions")).to_contain_text("待 检察长 审批")
    journey.shot(page, "decisions-recorded", page.locator("#decisions .decision").last)

    # The chief, on a tablet: the request in the inbox, approved
    chief = journey.sign_in(CHIEF, viewport=TABLET)
    chief.get_by_role("navigation", name="主导航").get_by_role("link", name="待审批").click()
    expect(chief.get_by_role("heading", level=1)).to_have_text("审批事项")
    request = chief.locator(".inbox-item").filter(has_text=case["number"]).filter(
        has_text=BEYOND)
    expect(request).to_contain_text("被害人谅解并退赔")
    approve = request.get_by_role("button", name="批准")
    journey.shot(chief, "inbox", approve)
    request.get_by_label("备注").fill("同意。")
    approve.click()
    expect(chief.get_by_role("status")).to_be_visible()
    expect(chief.locator(".inbox-item").filter(has_text=case["number"])).to_have_count(0)

    # Back with the prosecutor: decided by the chief
    page.reload()
    decided = page.locator("#decisions .decision").filter(has_text=BEYOND)
    expect(decided).to_contain_text("同意。")
    expect(decided).not_to_contain_text("待 检察长 审批")
    journey.shot(page, "approved")
