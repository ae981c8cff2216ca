"""Scenario 1, what the scope costs: each measurement beside its baselines, in one run.

Every ORM measurement has the shape of a request's read: the scope is set, the
call runs in a fresh transaction (on PostgreSQL the scope's ``set_config`` goes
first, as in production) and the session is closed. Baselines:

- *unscoped*: the same SELECT through the ORM under the system scope (what
  ``system_scope()`` sets: no loader criteria; on PostgreSQL, RLS with
  ``procuracy.all = on``);
- *raw*: the statements the scoped call sent, replayed with the DB-API alone
  (``bench.rawsql``): the same SQL, the same RLS, no SQLAlchemy.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from bench.common import Target, load_user
from bench.rawsql import Replayer
from bench.timing import Recorder, Stats, measure, measure_together, summarize
from procuracy.tenants.scope import Scope

USERS = ("inspector1@440000", "casemanager1@440100", "prosecutor1@440105")
HOME = "440105"  # the district every user reads into (own unit of the prosecutor)
ELSEWHERE = {"inspector1@440000": "450103", "casemanager1@440100": "440305",
             "prosecutor1@440105": "440106"}  # a district outside each user's reach
PAGE = 50
SYSTEM = Scope(kind="system", reason="bench: unscoped baseline")  # what system_scope() sets
API_PATHS = ("/api/v1/units", f"/api/v1/units/{HOME}", f"/api/v1/units/{HOME}/users",
             f"/api/v1/units/{HOME}/powers", f"/api/v1/units/{HOME}/access-log")


@dataclass
class Result:
    scenario: str
    user: str
    what: str
    scoped: Stats
    unscoped: Stats | None = None
    raw: Stats | None = None
    statements: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class ScopeBench:
    """Runs inside an app context on the bench database, as the app role."""

    target: Target
    repeat: int
    warmup: int = 5
    budget: float = 10.0
    results: list[Result] = field(default_factory=list)
    captured: dict[tuple[str, str], list] = field(default_factory=dict)  # for RLS and plans
    scopes: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    # ------------------------------------------------------------ plumbing
    @property
    def session(self):
        from procuracy.extensions import db

        return db.session

    @property
    def engine(self) -> sa.Engine:
        from procuracy.extensions import db

        return db.engine

    def prepare(self, usernames: tuple[str, ...]) -> None:
        from procuracy.tenants.scope import scope_for_user

        self.raw = Replayer(self.target, "app")
        for name in usernames:
            user = load_user(name)
            self.users[name] = user
            self.scopes[name] = scope_for_user(self.session, user)
            self.session.close()

    def _request(self, fn: Callable[[], int | None], scope) -> Callable[[], int | None]:
        """``fn`` as a request's read: scope set (no SQL outside a transaction), fresh
        transaction, session closed."""
        from procuracy.tenants.scope import READS_KEY, set_scope

        def call():
            set_scope(self.session, scope)
            rows = fn()
            self.session.info.pop(READS_KEY, None)  # a request would write these to the audit
            self.session.close()
            return rows

        return call

    def capture(self, scope, fn: Callable[[], int | None]) -> list[tuple[str, object]]:
        """The statements one request-shaped call of ``fn`` sends under ``scope``."""
        self.session.close()
        with Recorder(self.engine) as rec:
            self._request(fn, scope)()
        return list(rec.statements)

    def triple(self, scenario: str, user: str, what: str, fn, base_fn=None,
               raw: bool = True) -> Result:
        """``fn`` under the user's scope, ``base_fn`` under the system scope, the raw replay
        of what ``fn`` sent: measured taking turns."""
        from procuracy.tenants.scope import set_scope

        scope = self.scopes[user]
        statements = self.capture(scope, fn)
        self.captured[(user, what)] = statements
        calls = [self._request(fn, scope)]
        if base_fn:
            calls.append(self._request(base_fn, SYSTEM))
        if raw:
            calls.append(self.raw.call(statements))
        try:
            stats = measure_together(calls, self.repeat, self.warmup, self.budget)
        finally:
            self.session.close()
            set_scope(self.session, None)
        scoped = stats.pop(0)
        unscoped = stats.pop(0) if base_fn else None
        replay = stats.pop(0) if raw else None
        result = Result(scenario, user, what, scoped, unscoped, replay, len(statements))
        self.results.append(result)
        print(f"  {scenario} {user:22} {what:42} {scoped.median_ms:8.3f} ms"
              f"  rows={scoped.rows}", flush=True)
        return result

    # ------------------------------------------------------------ (a) unit list
    def unit_list(self, user: str) -> None:
        from procuracy.tenants.models import Unit
        from procuracy.tenants.services import visible_units

        readers = sorted(self.scopes[user].unit_readers)

        def baseline():  # visible_units' own SELECT for this user, without the scope hooks
            query = sa.select(Unit).order_by(Unit.depth, Unit.code).where(Unit.id.in_(readers))
            return len(self.session.scalars(query).all())

        self.triple("a", user, "visible_units()", lambda: len(visible_units()), baseline)

    # ------------------------------------------------------------ (b) access check
    def pick_cases(self, user: str) -> list[tuple[str, int, str]]:
        """(label, id, public_id): cases in and out of ``user``'s scope, newest of each kind."""
        from procuracy.cases.models import Case, CaseParticipant
        from procuracy.tenants.models import Unit
        from procuracy.tenants.scope import system_scope

        me = self.users[user]
        mine = sa.select(CaseParticipant.case_id).where(CaseParticipant.user_id == me.id)

        def newest(*where) -> tuple[int, str]:
            return self.session.execute(
                sa.select(Case.id, Case.public_id).join(Unit, Unit.id == Case.unit_id)
                .where(*where).order_by(Case.id.desc()).limit(1)).one()

        picks = []
        with system_scope("bench: pick cases"):
            if me.unit.code == HOME:
                picks.append(("in scope (works on it)", *newest(Case.id.in_(mine))))
                picks.append(("out (same unit, not theirs)",
                              *newest(Unit.code == HOME, Case.id.not_in(mine))))
            else:
                picks.append((f"in scope ({HOME}, read down)", *newest(Unit.code == HOME)))
            picks.append((f"out ({ELSEWHERE[user]})", *newest(Unit.code == ELSEWHERE[user])))
        self.session.close()
        return picks

    def access_check(self, user: str) -> None:
        from procuracy.cases.models import Case
        from procuracy.tenants.scope import OutOfScope, get_or_404

        def by_public_id(pid: str):
            def call():
                try:
                    return 1 if get_or_404(self.session, Case, public_id=pid) else 0
                except OutOfScope:
                    return 0
            return call

        def by_get(case_id: int):
            return lambda: 1 if self.session.get(Case, case_id) is not None else 0

        for label, case_id, public_id in self.pick_cases(user):
            self.triple("b", user, f"get_or_404(public_id), {label}",
                        by_public_id(public_id), by_public_id(public_id))
            self.triple("b", user, f"session.get(Case, id), {label}",
                        by_get(case_id), by_get(case_id))
            self.identity_hit(user, label, case_id)

    def identity_hit(self, user: str, label: str, case_id: int) -> None:
        """``session.get`` of an object already in the identity map: a re-check SELECT."""
        from procuracy.cases.models import Case
        from procuracy.tenants.scope import set_scope, system_scope

        def hits(scope) -> Stats:
            self.session.close()
            with system_scope("bench: fill the identity map"):
                self.session.get(Case, case_id)
            set_scope(self.session, scope)
            try:
                return measure(lambda: 1 if self.session.get(Case, case_id) else 0,
                               self.repeat, self.warmup, self.budget)
            finally:
                self.session.close()
                set_scope(self.session, None)

        scoped = hits(self.scopes[user])
        base = hits(SYSTEM)
        self.results.append(Result("b", user, f"session.get, identity-map hit, {label}",
                                   scoped, base, None, 1))
        print(f"  b {user:22} identity-map hit {label:28} {scoped.median_ms:8.3f} ms"
              f"  rows={scoped.rows}", flush=True)

    # ------------------------------------------------------------ (c) a page of cases
    def case_page(self, user: str) -> None:
        from procuracy.cases.models import Case

        query = sa.select(Case).order_by(Case.received_on.desc()).limit(PAGE)

        def page():
            return len(self.session.scalars(query).all())

        self.triple("c", user, f"{PAGE} cases by received_on desc", page, page)

    # ------------------------------------------------------------ (d) building the scope
    def scope_building(self, user: str) -> None:
        from procuracy.tenants.scope import loader_options, scope_for_user

        me = self.users[user]

        def build():
            scope_for_user(self.session, me)
            return None

        def build_with_options():
            loader_options(scope_for_user(self.session, me))
            return None

        def transaction():  # checkout (pre-ping), BEGIN, set_config; closed by _request
            self.session.connection()
            return None

        self.triple("d", user, "scope_for_user()", build)
        self.triple("d", user, "scope_for_user() + loader_options()", build_with_options,
                    raw=False)
        self.triple("d", user, "a transaction: begin (+ set_config on PostgreSQL), rollback", transaction)


def api_requests(app, target: Target, users: tuple[str, ...], password: str,
                 repeat: int, warmup: int = 3, budget: float = 10.0) -> list[Result]:
    """(e) Through the Flask test client, outside any app context (as a server runs)."""
    from procuracy.extensions import db

    with app.app_context():
        engine = db.engine
    client = app.test_client()
    results = []

    def one(user: str, path: str, headers: dict) -> None:
        with Recorder(engine) as rec:
            status = client.get(path, headers=headers).status_code
        kinds = Counter(summarize(s) for s, _ in rec.statements)
        stats = measure(lambda: client.get(path, headers=headers).status_code, repeat, warmup,
                        budget)
        results.append(Result("e", user, f"GET {path}", stats, statements=rec.count,
                              extra={"status": status, "kinds": dict(kinds),
                                     "sql": [s for s, _ in rec.statements]}))
        print(f"  e {user:22} GET {path:36} {status} {rec.count:3} statements"
              f" {stats.median_ms:8.3f} ms", flush=True)

    one("(anonymous)", "/healthz", {})
    for user in users:
        r = client.post("/api/v1/auth/token", json={"username": user, "password": password})
        if r.status_code != 201:
            raise SystemExit(f"cannot sign in as {user}: {r.status_code} {r.get_json()}")
        headers = {"Authorization": f"Bearer {r.get_json()['token']}"}
        for path in API_PATHS:
            one(user, path, headers)
    return results
