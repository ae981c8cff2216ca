"""A working morning in the demo province, for Locust (``make load`` runs it headless).

Three kinds of people, each with an account of their own (``bench/load/accounts.py``),
signed in before the load starts (the driver signs them in through the sign-in page and
hands over the cookies in ``LOAD_SESSIONS_FILE``; without it each signs in itself, with
password ``LOAD_PASSWORD``):

- district users (prosecutors of Guangzhou's districts): list their cases and the
  unit's, open a case, and upload a document to one of their unit's cases, which also
  records a step on the case's timeline: the write this test counts;
- case managers of the cities: the supervisors' dashboard, their districts' dashboards,
  the unit's case list;
- inspectors (the province's and the cities'): drill down the dashboard from their unit
  to a city to a district and open a case there read-only (a read on the access log).

Every upload is named ``load-<LOAD_RUN_ID>-<user>-<n>.pdf``; the names of those the app
acknowledged (303 back to the case) are written to ``LOAD_WRITES_FILE`` when the test
stops, for ``bench/load/run.py`` to find in the database.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

from bench.load.accounts import PEOPLE

PASSWORD = os.environ.get("LOAD_PASSWORD", "Load-pass-2026!")
RUN_ID = os.environ.get("LOAD_RUN_ID", "manual")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/([A-Za-z0-9_-]{16})"')
CHILD_LINK = re.compile(r'<td><a href="/dashboard/([0-9A-Z]+)\?period=')  # a row of the table
PDF = b"%PDF-1.4\n%% load test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOC_TYPES = ("工作记录", "询问笔录", "审查报告", "证据材料")

ACKNOWLEDGED: list[str] = []  # the names of the uploads answered 303
SESSIONS: dict[str, dict] = {}


@events.test_start.add_listener
def _read_sessions(**_kwargs) -> None:
    path = os.environ.get("LOAD_SESSIONS_FILE")
    if path:
        with open(path, encoding="utf-8") as fh:
            SESSIONS.update(json.load(fh))


@events.test_stop.add_listener
def _write_acknowledged(**_kwargs) -> None:
    path = os.environ.get("LOAD_WRITES_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({"run_id": RUN_ID, "acknowledged": ACKNOWLEDGED}, fh)


class Person(HttpUser):
    """Someone signed in through the page; ``accounts`` are taken in turn."""

    abstract = True
    wait_time = between(0.5, 2.5)
    accounts: tuple[str, ...] = ()
    _turn: itertools.count

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._turn = itertools.count()

    def on_start(self) -> None:
        turn = next(self._turn)
        self.account = self.accounts[turn % len(self.accounts)]
        self.number = f"{type(self).__name__[0].lower()}{turn}"
        self.token = ""
        if self.account in SESSIONS:
            self.client.cookies.update(SESSIONS[self.account])
            self.page("/", "home")
        else:
            self.sign_in()

    def sign_in(self) -> None:
        page = self.client.get("/login", name="sign-in page")
        token = CSRF.search(page.text)
        with self.client.post("/login", name="sign in", catch_response=True, data={
                "csrf_token": token.group(1) if token else "", "username": self.account,
                "password": PASSWORD}) as response:
            if response.status_code != 200 or "/login" in response.url:
                response.failure(f"{self.account}: sign-in answered {response.status_code}")
                return
            self.remember_token(response.text)

    def remember_token(self, html: str) -> None:
        found = CSRF.search(html)
        if found:
            self.token = found.group(1)

    def page(self, path: str, name: str, expect: str = "") -> str:
        """GET a page that must answer 200 (and hold ``expect``); its HTML."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path}: {response.status_code}")
                return ""
            if expect and expect not in response.text:
                response.failure(f"{path}: no {expect!r} in the page")
                return ""
            self.remember_token(response.text)
            return response.text


class DistrictUser(Person):
    """A prosecutor of one of Guangzhou's districts, working on the unit's cases."""

    weight, accounts = PEOPLE["DistrictUser"]

    def on_start(self) -> None:
        super().on_start()
        self.cases: list[str] = []
        self.uploads = 0
        self.unit_cases()

    @task(3)
    def my_cases(self) -> None:
        html = self.page("/cases/mine", "my cases")
        self.cases = list(dict.fromkeys(CASE_LINK.findall(html))) or self.cases

    @task(2)
    def unit_cases(self) -> None:
        html = self.page("/cases", "unit case list")
        found = list(dict.fromkeys(CASE_LINK.findall(html)))
        if found:
            self.cases = found

    @task(4)
    def open_case(self) -> None:
        if self.cases:
            self.page(f"/cases/{random.choice(self.cases)}", "open a case")

    @task(2)
    def upload_document(self) -> None:
        """Upload a small PDF to one of the unit's cases (a timeline step too)."""
        if not self.cases or not self.token:
            return
        case = random.choice(self.cases)
        self.uploads += 1
        name = f"load-{RUN_ID}-{self.number}-{self.uploads}.pdf"
        with self.client.post(
                f"/cases/{case}/documents", name="upload a document", catch_response=True,
                allow_redirects=False,
                data={"csrf_token": self.token, "doc_type": random.choice(DOC_TYPES)},
                files={"file": (name, PDF, "application/pdf")}) as response:
            if response.status_code != 303 or f"/cases/{case}" not in response.headers.get(
                    "Location", ""):
                response.failure(f"upload to {case}: {response.status_code}")
                return
            ACKNOWLEDGED.append(name)


class CaseManager(Person):
    """A city's case manager on the supervisors' dashboard and the case list."""

    weight, accounts = PEOPLE["CaseManager"]

    @task(3)
    def dashboard(self) -> None:
        html = self.page("/dashboard", "dashboard")
        self.children = CHILD_LINK.findall(html)

    @task(2)
    def district_dashboard(self) -> None:
        if getattr(self, "children", None):
            self.page(f"/dashboard/{random.choice(self.children)}", "dashboard of a unit")

    @task(1)
    def case_list(self) -> None:
        self.page("/cases", "unit case list")


class Inspector(Person):
    """An inspector drilling down: their unit, a city, a district, one case there."""

    weight, accounts = PEOPLE["Inspector"]

    @task
    def drill_down(self) -> None:
        html = self.page("/dashboard", "dashboard")
        for _level in range(3):  # province -> city -> district, as far as the tree goes
            below = CHILD_LINK.findall(html)
            if not below:
                break
            html = self.page(f"/dashboard/{random.choice(below)}", "dashboard of a unit")
        cases = CASE_LINK.findall(html)
        if cases:
            self.page(f"/cases/{random.choice(cases)}", "open a case of a unit below")
