"""Haizhu's unit administrator edits the power list, in Chromium on a tablet: starts a
draft, gives an item the provincial template lets units adjust to the department
heads, is refused when trying to adjust an item the template fixes (nothing is
saved), publishes, and the list in force from then shows the adjustment beside the fixed item
unchanged."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

pytest.importorskip("playwright.sync_api")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.browsing import TABLET  # noqa: E402

ADMIN = "admin1@440105"
ADJUSTABLE = "XJ-002"  # 讯问犯罪嫌疑人（审查逮捕）: the prosecutor's, adjustable below
FIXED = "XJ-014"  # 公安机关要求复议的复议决定（不捕）: the chief's, fixed by the province


def test_an_administrator_adjusts_the_power_list_within_the_template(journey):
    admin = journey.sign_in(ADMIN, viewport=TABLET)
    admin.get_by_role("navigation", name="主导航").get_by_role("link", name="权力清单").click()
    admin.get_by_role("link", name="编辑权力清单").click()

    # A draft, in force in two days
    effective = date.today() + timedelta(days=2)  # in the future in Beijing too
    admin.get_by_label("生效日期").fill(effective.isoformat())
    admin.get_by_label("备注").fill("部分审查逮捕事项交由部门负责人决定")
    admin.get_by_role("button", name="新建草稿").click()
    expect(admin.get_by_role("status")).to_have_text("已新建草稿。")
    save = admin.get_by_role("button", name="保存到草稿")
    journey.shot(admin, "draft", save, admin.get_by_role("button", name="发布第 2 版"))

    # Within the template: an adjustable item goes to the department heads
    admin.get_by_label("事项编码").fill(ADJUSTABLE)
    admin.get_by_label("决定主体").select_option("department_head")
    save.click()
    expect(admin.get_by_role("status")).to_have_text(f"{ADJUSTABLE} 已保存到草稿。")
    own = admin.get_by_role("row").filter(has=admin.get_by_role("link", name=ADJUSTABLE))
    expect(own).to_contain_text("部门负责人")

    # Beyond it: the item the province fixes is refused, and nothing is saved
    admin.get_by_label("事项编码").fill(FIXED)
    admin.get_by_label("决定主体").select_option("prosecutor")
    with journey.refusal_expected():
        admin.get_by_role("button", name="保存到草稿").click()
        refusal = admin.get_by_role("alert")
        expect(refusal).to_contain_text("未保存")
        expect(refusal).to_contain_text(FIXED)
        expect(refusal).to_contain_text("省院")
        journey.shot(admin, "refused", refusal)
    expect(admin.get_by_role("link", name=FIXED)).to_have_count(0)

    # Published: from its day, the adjustment and the fixed item side by side
    admin.get_by_role("button", name="发布第 2 版").click()
    expect(admin.get_by_role("status")).to_be_visible()
    admin.get_by_role("link", name="权力清单", exact=True).first.click()
    admin.goto(f"{admin.url.split('?')[0]}?on={effective.isoformat()}")
    adjusted = admin.get_by_role("row").filter(has_text=ADJUSTABLE)
    expect(adjusted).to_contain_text("部门负责人")
    fixed = admin.get_by_role("row").filter(has_text=FIXED)
    expect(fixed).to_contain_text("检察长")
    journey.shot(admin, "in-force", adjusted.get_by_role("cell").first)
