"""Scenario 2 (issue 3): the case list and its Excel export over 1,000,000 cases.

    python -m bench.case_listing --database-url postgresql://postgres@localhost/procuracy_bench \\
        [--repeat 20] [--write docs/PERFORMANCE.md]

(a) ``procuracy.cases.services.page`` (what ``GET /api/v1/cases`` calls: the count,
then a page of 50 newest first with unit, kind and handler joined) under five
filter sets, as a district prosecutor, a district case manager, a city case
manager and the provincial inspector; baselines: the same call under the system
scope (no loader criteria; RLS with ``procuracy.all = on``) and the raw replay
of the statements the scoped call sent (same SQL, same RLS, no SQLAlchemy).
(b) The same through the API (Flask test client, bearer token): statements per request.
(c) ``case_export.export_cases`` of a filtered set (the .xlsx bytes); baselines:
the export unscoped and the raw replay of its statements (the SQL alone).
"""
from __future__ import annotations

import time
from datetime import date

from bench.common import make_app
from bench.scenario import Run, arguments, as_json, results_table
from bench.scope_scenarios import Result, ScopeBench
from bench.timing import Recorder, measure, summarize

USERS = ("prosecutor1@440105", "casemanager1@440105", "casemanager1@440100",
         "inspector1@440000")
FILTERS = {  # label -> case_filters(**kwargs)
    "no filter": {},
    "unit 440105, open": {"unit": "440105", "status": "open"},
    "kind 审查起诉, received 2026-01..06": {
        "kind": "审查起诉", "received_from": date(2026, 1, 1), "received_to": date(2026, 6, 30)},
    "free text 盗窃": {"q": "盗窃"},
    "all: 440105, closed, 审查起诉, 2025, 盗窃": {
        "unit": "440105", "status": "closed", "kind": "审查起诉",
        "received_from": date(2025, 1, 1), "received_to": date(2025, 12, 31), "q": "盗窃"},
}
EXPORTS = {  # user -> (label, filters): a set each may export (at most 50,000 rows); a
    # unit is named so that the unscoped baseline exports the same set
    "prosecutor1@440105": ("440105, received 2025 (mine of them)", {
        "unit": "440105", "received_from": date(2025, 1, 1), "received_to": date(2025, 12, 31)}),
    "casemanager1@440105": ("440105, received 2025", {
        "unit": "440105", "received_from": date(2025, 1, 1), "received_to": date(2025, 12, 31)}),
    "casemanager1@440100": ("440105, received 2021–2025", {
        "unit": "440105", "received_from": date(2021, 1, 1), "received_to": date(2025, 12, 31)}),
    "inspector1@440000": ("440105, received 2021–2025", {
        "unit": "440105", "received_from": date(2021, 1, 1), "received_to": date(2025, 12, 31)}),
}
API_QUERIES = ("", "?unit=440105&status=closed&kind=审查起诉&received_from=2025-01-01"
                   "&received_to=2025-12-31&q=盗窃")
PAGE = 50


def listing(bench: ScopeBench, user: str) -> None:
    from procuracy.cases import services

    for label, kwargs in FILTERS.items():
        def call(kwargs=kwargs):
            rows, total = services.page(services.case_filters(**kwargs), 0, PAGE)
            return len(rows)

        result = bench.triple("a", user, label, call, call)
        result.extra["total"] = _total(bench, user, kwargs)


def _total(bench: ScopeBench, user: str, kwargs: dict) -> int:
    from procuracy.cases import services
    from procuracy.tenants.scope import set_scope

    set_scope(bench.session, bench.scopes[user])
    try:
        return services.count(services.case_filters(**kwargs))
    finally:
        bench.session.close()
        set_scope(bench.session, None)


def export(bench: ScopeBench, user: str) -> None:
    from procuracy.cases.case_export import export_cases
    from procuracy.cases.services import case_filters

    label, kwargs = EXPORTS[user]

    def call():
        data, written = export_cases(case_filters(**kwargs))
        return written

    bench.triple("c", user, f"export: {label}", call, call)


def api(app, users, password: str, repeat: int, budget: float) -> list[Result]:
    """``GET /api/v1/cases`` with and without filters: statements and time per request."""
    from procuracy.extensions import db

    with app.app_context():
        engine = db.engine
    client = app.test_client()
    out = []
    for user in users:
        r = client.post("/api/v1/auth/token", json={"username": user, "password": password})
        if r.status_code != 201:
            raise SystemExit(f"cannot sign in as {user}: {r.status_code}")
        headers = {"Authorization": f"Bearer {r.get_json()['token']}"}
        for query in API_QUERIES:
            path = f"/api/v1/cases{query}"
            with Recorder(engine) as rec:
                resp = client.get(path, headers=headers)
            kinds: dict[str, int] = {}
            for s, _ in rec.statements:
                kinds[summarize(s)] = kinds.get(summarize(s), 0) + 1
            stats = measure(lambda p=path, h=headers: len(client.get(p, headers=h).get_json()),
                            repeat, 2, budget)
            total = resp.headers.get("X-Pagination", "")
            out.append(Result("b", user, f"GET {path}", stats, statements=rec.count,
                              extra={"status": resp.status_code, "kinds": kinds,
                                     "pagination": total}))
            print(f"  b {user:22} {resp.status_code} {rec.count:3} statements"
                  f" {stats.median_ms:9.1f} ms  {path}", flush=True)
    return out


def api_table(results, repeat: int) -> str:
    from bench.report import table
    from bench.scenario import cell, short

    return table(("user", "request", "status", "statements", "of which", "median / p95 ms"),
                 [(short(r.user), f"`{r.what}`", r.extra["status"], r.statements,
                   ", ".join(f"{k} ×{v}" for k, v in r.extra["kinds"].items()),
                   cell(r.scoped, repeat)) for r in results], "llrrlr")


def main(argv: list[str] | None = None) -> None:
    p = arguments("python -m bench.case_listing", __doc__)
    p.add_argument("--only", default="abc", help="sections to run, e.g. 'c'")
    p.add_argument("--label", default="", help="name this run (its own block and JSON)")
    args = p.parse_args(argv)
    from procuracy.extensions import db

    label = f":{args.label}" if args.label else ""
    run = Run(f"case-listing:postgresql{label}", "python -m bench.case_listing --database-url"
              f" {args.database_url} --repeat {args.repeat}"
              f"{f' --only {args.only}' if args.only != 'abc' else ''}"
              f"{f' --label {args.label}' if args.label else ''}", args)
    app = make_app(run.target.app_url)
    with app.app_context():
        bench = ScopeBench(run.target, args.repeat, args.warmup, args.budget)
        bench.prepare(USERS)
        for user in USERS if "a" in args.only else ():
            listing(bench, user)
        for user in USERS if "c" in args.only else ():
            export(bench, user)
        bench.raw.close()
        db.session.remove()
    api_results = api(app, USERS, args.password, args.repeat, args.budget) \
        if "b" in args.only else []
    with app.app_context():
        db.engine.dispose()
    a = [r for r in bench.results if r.scenario == "a"]
    c = [r for r in bench.results if r.scenario == "c"]
    parts = []
    if a:
        parts += [f"**2a. A page of {PAGE} (`services.page`: count + page), by filter**",
                  results_table(a, args.repeat)]
    if api_results:
        parts += ["**2b. The API: `GET /api/v1/cases` (page of 50), statements per request**",
                  api_table(api_results, args.repeat)]
    if c:
        import openpyxl

        parts += ["**2c. The Excel export (`case_export.export_cases`) of a filtered set**"
                  f" (openpyxl {openpyxl.__version__}, lxml {'on' if openpyxl.LXML else 'off'})",
                  results_table(c, args.repeat, "written")]
    text = "\n\n".join(parts)
    print(run.finish(text, {"results": as_json(a + c + api_results),
                            "finished": time.strftime("%H:%M:%S")}))


if __name__ == "__main__":
    main()
