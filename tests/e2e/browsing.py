"""One journey's people in the browser. Each signs in with a browser context of their
own (their own cookies), in Chinese (``zh-CN``), at a laptop or a tablet viewport.

Whatever goes wrong on any of their pages is collected: console errors (a script
the Content-Security-Policy blocks, a resource that fails), uncaught page errors and
any 5xx answer. ``check()`` fails the test with them (it runs at every screenshot and
when the journey ends). ``shot(page, name, *controls)`` saves the page at the laptop
and at the tablet width into ``tests/e2e/screenshots/``, and at each width fails if the
page is wider than the screen or a named control is hidden or cut off.
"""
from __future__ import annotations

import re
from contextlib import contextmanager

from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.demo_server import PASSWORD, ROOT, DemoServer

LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
SHOTS = ROOT / "tests" / "e2e" / "screenshots"
REFUSED = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")


class Journey:
    def __init__(self, browser: Browser, server: DemoServer, name: str):
        self.browser, self.server, self.name = browser, server, name
        self.problems: list[str] = []
        self.contexts = []
        self.shots = 0
        self.refusals_expected = 0

    # ------------------------------------------------------------ people
    def sign_in(self, username: str, viewport: dict = LAPTOP) -> Page:
        """A new browser for ``username``, signed in through the sign-in page."""
        context = self.browser.new_context(
            base_url=self.server.url, viewport=viewport, locale="zh-CN",
            extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"}, accept_downloads=True)
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        self._watch(page, username)
        page.goto("/login")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("button", name="退出")).to_be_visible()
        return page

    def _watch(self, page: Page, who: str) -> None:
        def console(message) -> None:
            if message.type != "error":
                return
            if self.refusals_expected and REFUSED.search(message.text):
                return  # the 4xx page the step provokes on purpose
            self.problems.append(f"{who}: console error on {page.url}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.problems.append(
            f"{who}: page error on {page.url}: {error}"))
        page.on("response", lambda r: r.status >= 500 and self.problems.append(
            f"{who}: {r.status} from {r.request.method} {r.url}"))

    @contextmanager
    def refusal_expected(self):
        """A step whose answer is a 4xx page on purpose (a refused input)."""
        self.refusals_expected += 1
        try:
            yield
        finally:
            self.refusals_expected -= 1

    # ------------------------------------------------------------ checks
    def check(self) -> None:
        if self.problems:
            problems, self.problems = self.problems, []  # each is reported once
            raise AssertionError("the browser saw problems:\n" + "\n".join(problems)
                                 + "\n--- server log (tail) ---\n" + self.server.log_tail())

    def shot(self, page: Page, name: str, *controls: Locator) -> None:
        """Screenshots at both widths; the page fits each and ``controls`` show."""
        page.wait_for_load_state("load")
        self.check()
        self.shots += 1
        stem = f"{self.name}-{self.shots:02d}-{name}"
        original = page.viewport_size
        for label, size in (("laptop", LAPTOP), ("tablet", TABLET)):
            page.set_viewport_size(size)
            wider = page.evaluate("document.documentElement.scrollWidth"
                                  " - document.documentElement.clientWidth")
            assert wider <= 1, f"{stem}: the page is {wider}px wider than the {label} screen"
            for control in controls:
                _in_view(control, size["width"], f"{stem} ({label})")
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(SHOTS / f"{stem}-{label}.png"), full_page=True)
        page.set_viewport_size(original)
        self.check()

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts = []


def _in_view(control: Locator, width: int, where: str) -> None:
    expect(control).to_be_visible()
    control.scroll_into_view_if_needed()
    box = control.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (
        f"{where}: {control} is cut off: {box}")
