"""PostgreSQL restarted under load: the app (gunicorn, not restarted) answers normally
again once the server is back, and every write it acknowledged is in the database.

District prosecutors, signed in through the page, keep listing their cases, opening one
and uploading a document (a timeline step too), each upload named with a marker; the
cluster is restarted (``pg_ctlcluster ... restart -m fast``) in the middle. Requests
during the outage may fail, with 503 and Retry-After (``procuracy/errors.py``) or a cut
connection, never 500; a write answered 303 is kept. The engine's ``pool_pre_ping`` throws away the
pooled connections the restart broke, so the requests after it succeed.
"""
from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass, field

import pytest
import requests

from bench.load.world import (
    PASSWORD,
    Server,
    create_database,
    drop_database,
    free_port,
    healthy,
)
from tests.faults.bulletin_run import say

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/([A-Za-z0-9_-]{16})"')
PDF = b"%PDF-1.4\n% fault test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PEOPLE = 4
BEFORE, AFTER, SETTLE = 10.0, 25.0, 3.0  # seconds of load before, after; grace after


@dataclass
class Outcome:
    at: float  # sent
    done: float  # answered (or failed)
    what: str
    ok: bool
    detail: str = ""


@dataclass
class Prosecutor:
    """One person working in a loop until ``stop`` is set."""

    base: str
    account: str
    marker: str
    outcomes: list[Outcome] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)
    token: str = ""
    cases: list[str] = field(default_factory=list)

    def sign_in(self) -> None:
        page = self.session.get(f"{self.base}/login", timeout=30)
        self.session.post(f"{self.base}/login", timeout=30, data={
            "csrf_token": CSRF.search(page.text).group(1), "username": self.account,
            "password": PASSWORD})
        home = self.session.get(f"{self.base}/cases/mine", timeout=30)
        assert home.status_code == 200, f"{self.account} could not sign in"
        self.token = CSRF.search(home.text).group(1)
        self.cases = list(dict.fromkeys(CASE_LINK.findall(home.text)))
        assert self.cases, f"{self.account} has no case to work on"

    def step(self, what: str, method: str, path: str, ok=None, **kwargs) -> None:
        """One request; a failure is a cut connection or an answer ``ok`` refuses."""
        at = time.monotonic()
        try:
            response = self.session.request(method, f"{self.base}{path}", timeout=30,
                                            **kwargs)
        except requests.RequestException as exc:
            self.outcomes.append(Outcome(at, time.monotonic(), what, False,
                                         type(exc).__name__))
            return
        good = ok(response) if ok else response.status_code == 200
        self.outcomes.append(Outcome(at, time.monotonic(), what, good,
                                     str(response.status_code)))

    def upload(self, case: str, name: str) -> None:
        def acknowledged(response) -> bool:
            done = response.status_code == 303 and f"/cases/{case}" in response.headers.get(
                "Location", "")
            if done:
                self.acknowledged.append(name)
            return done

        self.step("upload", "POST", f"/cases/{case}/documents", acknowledged,
                  allow_redirects=False, data={"csrf_token": self.token, "doc_type": "工作记录"},
                  files={"file": (name, PDF, "application/pdf")})

    def work(self, stop: threading.Event) -> None:
        n = 0
        who = self.account.replace("@", "-")
        while not stop.is_set():
            n += 1
            case = self.cases[n % len(self.cases)]
            self.step("my cases", "GET", "/cases/mine")
            self.step("open a case", "GET", f"/cases/{case}")
            self.upload(case, f"{self.marker}-{who}-{n}.pdf")
            time.sleep(0.2)


@pytest.fixture
def served(admin_url, tmp_path):
    database = create_database(admin_url, cases=200)
    server = Server(database.app_url, free_port(), workers=2, store=tmp_path / "documents",
                    log=tmp_path / "gunicorn.log")
    try:
        server.start()
        yield database, server
    finally:
        server.stop()
        drop_database(database)


def busiest_prosecutors(database, n: int) -> list[str]:
    """The ``n`` prosecutors handling the most cases (each works on their own)."""
    import psycopg

    with psycopg.connect(database.libpq("admin")) as conn:
        return [r[0] for r in conn.execute(
            "SELECT u.username FROM users u JOIN cases c ON c.handler_id = u.id "
            "WHERE u.username LIKE 'prosecutor%%' GROUP BY u.username "
            "ORDER BY count(*) DESC, u.username LIMIT %s", (n,))]


def stored(database, marker: str) -> list[str]:
    import psycopg

    with psycopg.connect(database.libpq("admin")) as conn:
        return [r[0] for r in conn.execute(
            "SELECT filename FROM case_documents WHERE filename LIKE %s", (f"{marker}-%",))]


def test_postgres_restart_under_load(served, postgres):
    database, server = served
    marker = f"fault-{secrets.token_hex(4)}"
    people = [Prosecutor(server.url, account, marker)
              for account in busiest_prosecutors(database, PEOPLE)]
    for person in people:
        person.sign_in()
    master = server.process.pid
    stop = threading.Event()
    threads = [threading.Thread(target=p.work, args=(stop,), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    time.sleep(BEFORE)
    restart_at = time.monotonic()
    took = postgres.restart()
    back_at = time.monotonic()
    say(f"PostgreSQL {postgres.version}/{postgres.cluster} restarted under load in {took:.1f} s")
    time.sleep(AFTER)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    outcomes = sorted((o for p in people for o in p.outcomes), key=lambda o: o.at)
    before = [o for o in outcomes if o.done < restart_at]
    during = [o for o in outcomes if o.done >= restart_at and o.at < back_at + SETTLE]
    after = [o for o in outcomes if o.at >= back_at + SETTLE]
    failed_during = [f"{o.what}: {o.detail}" for o in during if not o.ok]
    say(f"requests before {len(before)}, during the restart {len(during)} "
        f"({len(failed_during)} failed: {sorted(set(failed_during))}), after {len(after)}")
    assert before and [o for o in before if not o.ok] == [], "errors before the restart"
    assert [o.detail for o in during if not o.ok and o.detail[:1].isdigit() and
            o.detail != "503"] == [], "an outage answers 503 (Retry-After), not 500"
    assert len(after) >= 3 * len(people), "too few requests after the restart"
    assert [f"{o.what}: {o.detail}" for o in after if not o.ok] == [], \
        "the app did not answer normally after the restart"
    assert server.process.poll() is None and server.process.pid == master, \
        "gunicorn was restarted"
    assert healthy(server.url)

    acknowledged = [name for p in people for name in p.acknowledged]
    in_database = stored(database, marker)
    lost = sorted(set(acknowledged) - set(in_database))
    say(f"uploads acknowledged {len(acknowledged)}, in the database {len(in_database)}, "
        f"lost {len(lost)}, stored but not acknowledged "
        f"{len(set(in_database) - set(acknowledged))}")
    assert acknowledged and lost == [], "an acknowledged write was lost"
    assert len(in_database) == len(set(in_database))
