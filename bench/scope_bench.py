"""Scenario 1: what ``tenants/scope.py`` costs, beside its baselines, in one run.

    python -m bench.scope_bench --database-url postgresql://postgres@localhost/procuracy_bench \\
        [--repeat 200] [--write docs/PERFORMANCE.md]

Run on a database built by ``bench.generate``. The app runs as ``procuracy_app``
on PostgreSQL (RLS on, as production). Sections: (a) the unit list, (b) the
access check, (c) a page of 50 cases, (d) building the scope, (e) SQL statements
per API request, (f) RLS alone (PostgreSQL). Figures go to
bench/out/scope-DIALECT.json, EXPLAIN output to bench/out/plans-DIALECT.txt.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import sqlalchemy as sa

from bench.common import OUT, PASSWORD, make_app, target_for
from bench.report import machine, replace_block, save_json, server_version, table
from bench.rls_costs import measure_rls, plans
from bench.scope_scenarios import USERS, Result, ScopeBench, api_requests
from bench.timing import Stats, ratio

TITLES = {
    "a": "1a. The unit list (`visible_units()`)",
    "b": "1b. The access check: one case by public_id / by id",
    "c": "1c. A page of 50 cases, newest first",
    "d": "1d. Building the scope, per request",
    "e": "1e. SQL statements per API request (Flask test client, bearer token)",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.scope_bench",
                                description=__doc__.split("\n")[0])
    p.add_argument("--database-url", required=True,
                   help="postgresql://SUPERUSER@HOST/NAME or sqlite:///PATH (from bench.generate)")
    p.add_argument("--repeat", type=int, default=200, help="timed repetitions per measurement")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--users", default=",".join(USERS))
    p.add_argument("--only", default="abcdef", help="sections to run, e.g. 'cf'")
    p.add_argument("--password", default=PASSWORD)
    p.add_argument("--budget", type=float, default=10.0,
                   help="seconds one measurement may take before it stops early (min. 5 runs)")
    p.add_argument("--label", default="",
                   help="name this run (e.g. an experiment): scope-DIALECT-LABEL.json")
    p.add_argument("--write", type=Path, help="put the tables in this Markdown file")
    return p.parse_args(argv)


# ---------------------------------------------------------------- rendering
REPEAT = {"n": 0}  # the run's --repeat, to flag measurements that stopped early


def cell(s: Stats | None) -> str:
    if s is None:
        return ""
    early = f" (n={s.n})" if s.n < REPEAT["n"] else ""
    return f"{s.median_ms:.3f} / {s.p95_ms:.3f}{early}"


def times(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}×"


def short(user: str) -> str:
    return user.split("1@")[0] + "@" + user.split("@")[1]


def section_table(results: list[Result], scenario: str) -> str:
    rows = [r for r in results if r.scenario == scenario]
    if scenario == "e":
        return table(
            ("user", "request", "status", "statements", "of which", "median / p95 ms"),
            [(short(r.user) if "@" in r.user else r.user, f"`{r.what}`", r.extra["status"],
              r.statements, ", ".join(f"{k} ×{v}" for k, v in r.extra["kinds"].items()),
              cell(r.scoped)) for r in rows], "llrrlr")
    if scenario == "d":
        return table(
            ("user", "what", "statements", "ORM median / p95 ms", "raw replay median / p95 ms",
             "ORM/raw"),
            [(short(r.user), r.what, r.statements, cell(r.scoped), cell(r.raw),
              times(ratio(r.scoped, r.raw))) for r in rows], "llrrrr")
    return table(
        ("user", "what", "rows", "scoped ms (median / p95)", "unscoped ms", "raw SQL ms",
         "scoped/unscoped", "scoped/raw"),
        [(short(r.user), r.what, r.scoped.rows, cell(r.scoped), cell(r.unscoped), cell(r.raw),
          times(ratio(r.scoped, r.unscoped)), times(ratio(r.scoped, r.raw))) for r in rows],
        "llrrrrrr")


def rls_table(rows) -> str:
    return table(
        ("user", "query", "rows (app)", "superuser, no RLS", "owner (FORCE RLS)",
         "app role, user scope", "app role, `procuracy.all=on`", "app/superuser"),
        [(short(r.user), r.what, r.rows["app"], cell(r.by_role["admin"]),
          cell(r.by_role.get("owner")) or "(as app)", cell(r.by_role["app"]),
          cell(r.by_role["app_all"]),
          times(ratio(r.by_role["app"], r.by_role["admin"]))) for r in rows], "llrrrrrr")


def render(meta: dict, results: list[Result], rls_rows) -> str:
    m = meta["machine"]
    out = [
        f"Run {meta['date']} on {meta['server']}, {m['nproc']} cores, {m['memory_gib']} GiB,"
        f" {m['cpu']}, Python {m['python']}: `python -m bench.scope_bench --database-url"
        f" {meta['url']} --repeat {meta['repeat']}`. Data: {meta['cases']:,} cases,"
        f" {meta['participants']:,} participants, {meta['users']:,} users, {meta['units']}"
        f" units. Times in milliseconds, median / p95 of {meta['repeat']} runs"
        f" (n=... where a slow one stopped after {meta['budget']:.0f} s);"
        f" {meta['seconds']:.0f} s in all; load average {meta['load_before']:.1f} before,"
        f" {meta['load_after']:.1f} after (the machine is shared).",
    ]
    for key, title in TITLES.items():
        if any(r.scenario == key for r in results):
            out += ["", f"**{title}**", "", section_table(results, key)]
    if rls_rows:
        out += ["", "**1f. Row-level security alone: the same raw SQL as each role**", "",
                rls_table(rls_rows)]
    return "\n".join(out)


# ---------------------------------------------------------------- running
def data_sizes(target) -> dict:
    """Row counts, read as the admin (no RLS) or from the SQLite file."""
    engine = sa.create_engine(target.admin_url)
    try:
        with engine.connect() as conn:
            return {name: conn.exec_driver_sql(f"SELECT count(*) FROM {tbl}").scalar()
                    for name, tbl in (("cases", "cases"), ("participants", "case_participants"),
                                      ("users", "users"), ("units", "units"))}
    finally:
        engine.dispose()


def run(args) -> dict:
    from procuracy.extensions import db

    target = target_for(args.database_url)
    REPEAT["n"] = args.repeat
    suffix = f"-{args.label}" if args.label else ""
    load_before = os.getloadavg()[0]
    users = tuple(u.strip() for u in args.users.split(",") if u.strip())
    app = make_app(target.app_url)
    t0 = time.perf_counter()
    sizes = data_sizes(target)
    rls_rows = []
    with app.app_context():
        bench = ScopeBench(target, args.repeat, args.warmup, args.budget)
        bench.prepare(users)
        steps = {"a": bench.unit_list, "b": bench.access_check, "c": bench.case_page,
                 "d": bench.scope_building}
        for key, step in steps.items():
            if key in args.only or (key in "bc" and "f" in args.only):
                for user in users:
                    step(user)
        if "c" in args.only or "f" in args.only:
            plan_text = plans(bench, target, users)
            (OUT / f"plans-{target.dialect}{suffix}.txt").write_text(plan_text, "utf-8")
        if "f" in args.only and target.postgres:
            rls_rows = measure_rls(bench, target, users)
        bench.raw.close()
        db.session.remove()
    results = [r for r in bench.results if r.scenario in args.only]
    if "e" in args.only:
        results += api_requests(app, target, users, args.password, args.repeat,
                                budget=args.budget)
    with app.app_context():
        db.engine.dispose()
    meta = {"date": time.strftime("%Y-%m-%d"), "url": args.database_url, "repeat": args.repeat,
            "budget": args.budget, "label": args.label, "server": server_version(target),
            "machine": machine(), "seconds": time.perf_counter() - t0,
            "load_before": load_before, "load_after": os.getloadavg()[0], **sizes}
    save_json(f"scope-{target.dialect}{suffix}", {
        "meta": meta,
        "results": [{**r.__dict__, "scoped": r.scoped.as_dict(),
                     "unscoped": r.unscoped and r.unscoped.as_dict(),
                     "raw": r.raw and r.raw.as_dict()} for r in results],
        "rls": [{"user": r.user, "what": r.what,
                 "by_role": {k: v.as_dict() for k, v in r.by_role.items()}} for r in rls_rows],
    })
    text = render(meta, results, rls_rows)
    if args.write:
        replace_block(args.write, f"scope:{target.dialect}{suffix.replace('-', ':', 1)}", text)
    return {"meta": meta, "text": text}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    out = run(args)
    print()
    print(out["text"])


if __name__ == "__main__":
    main()
