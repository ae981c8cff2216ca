"""Fixtures of the browser journeys: the demo served on localhost (one per run, built
as ``make demo`` builds it, in a folder of its own), Debian's Chromium driven by
Playwright (headless; never a browser downloaded by ``playwright install``), and a
``journey`` whose people each sign in in their own browser context and whose pages
fail the test on any console error, page error or 5xx.

Without Chromium (``scripts/ensure_chromium.sh`` installs it where it can) or without
Playwright, every journey is skipped with the reason. The journeys use their own
SQLite database whatever ``TEST_DATABASE_URL`` says, so they run once, apart from the
suite's SQLite and PostgreSQL passes (``pytest --ignore=tests/e2e``).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


# The suite's per-test fixtures (tests/conftest.py) open the suite's own database;
# the journeys talk to a server over HTTP instead, so these do nothing here.
@pytest.fixture(autouse=True)
def transaction():
    yield None


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    return None


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM}: the browser journeys need Debian's chromium "
                    "(run scripts/ensure_chromium.sh as root, or apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[test]')")
    from tests.e2e.browsing import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):  # this run's screenshots only
        old.unlink()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def demo(browser, tmp_path_factory):
    """The demo served on a free localhost port; ``demo.world`` names what the
    journeys start from (tests/e2e/world.py)."""
    from tests.e2e import demo_server

    folder = tmp_path_factory.mktemp("e2e-demo")
    server = demo_server.start(folder, demo_server.build(folder))
    try:
        yield server
    finally:
        demo_server.stop(server)


@pytest.fixture
def journey(browser, demo, request):
    from tests.e2e.browsing import Journey

    walk = Journey(browser, demo, request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_"))
    try:
        yield walk
    finally:
        walk.close()
    walk.check()
