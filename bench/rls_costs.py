"""What row-level security alone costs (PostgreSQL), and the plans behind the figures.

The same raw SQL, with the same ``set_config`` first, sent as:
- the superuser (``postgres``): RLS does not apply at all, the no-RLS reference;
- the owner: the tables are ``FORCE ROW LEVEL SECURITY``, so it is filtered like the app;
- the app role with the user's settings (production);
- the app role with ``procuracy.all = on`` (what ``system_scope`` hands to RLS).

Queries: the scoped page of cases and the by-public-id lookup exactly as the ORM
sent them (scenario 1c, 1b), and a count of the cases of the units the user may
read (``WHERE unit_id = ANY(...)``: what a statistics page will do).
"""
from __future__ import annotations

from dataclasses import dataclass

from bench.common import Target
from bench.rawsql import Replayer
from bench.scope_scenarios import PAGE, ScopeBench
from bench.timing import Stats, measure_together

ROLES = ("admin", "owner", "app", "app_all")
COUNT_SQL = "SELECT count(*) FROM cases WHERE unit_id = ANY(%(units)s::int[])"


@dataclass
class RlsRow:
    user: str
    what: str
    by_role: dict[str, Stats]
    rows: dict[str, int | None]


def _system(setting: tuple[str, dict]) -> tuple[str, dict]:
    sql, params = setting
    return sql, {**params, "all": "on", "units": "", "anc": "", "cases": "", "write": "",
                 "user": ""}


def queries(bench: ScopeBench, user: str) -> dict[str, list]:
    """{label: statements}, each starting with the user's set_config."""
    page = bench.captured[(user, f"{PAGE} cases by received_on desc")]
    lookup = next(v for (u, what), v in bench.captured.items()
                  if u == user and what.startswith("get_or_404(public_id), in scope"))
    setting = page[0]
    count = (COUNT_SQL, {"units": sorted(bench.scopes[user].unit_readers)})
    return {"page of cases (1c SQL)": page, "lookup by public_id (1b SQL)": lookup,
            "count(*) of readable units' cases": [setting, count]}


def measure_rls(bench: ScopeBench, target: Target, users: tuple[str, ...]) -> list[RlsRow]:
    replayers = {"admin": Replayer(target, "admin"), "owner": Replayer(target, "owner"),
                 "app": bench.raw}
    out = []
    try:
        for user in users:
            for what, statements in queries(bench, user).items():
                runs = {
                    "admin": (replayers["admin"], statements),
                    "owner": (replayers["owner"], statements),
                    "app": (replayers["app"], statements),
                    "app_all": (replayers["app"], [_system(statements[0]), *statements[1:]]),
                }
                if what.startswith("count"):
                    del runs["owner"]  # as slow as the app role (FORCE RLS), shown on the others
                measured = measure_together([r.call(s) for r, s in runs.values()],
                                            bench.repeat, bench.warmup, bench.budget)
                stats = dict(zip(runs, measured, strict=True))
                out.append(RlsRow(user, what, stats, {k: v.rows for k, v in stats.items()}))
                print(f"  f {user:22} {what:36} " + " ".join(
                    f"{k}={v.median_ms:.3f}" for k, v in stats.items()), flush=True)
    finally:
        replayers["admin"].close()
        replayers["owner"].close()
    return out


def plans(bench: ScopeBench, target: Target, users: tuple[str, ...]) -> str:
    """EXPLAIN ANALYZE as the app role (and, on PostgreSQL, as the superuser)."""
    who = ("app", "admin") if target.postgres else ("app",)
    replayers = {w: bench.raw if w == "app" else Replayer(target, w) for w in who}
    parts = []
    try:
        for user in users:
            todo = queries(bench, user) if target.postgres else {
                "page of cases (1c SQL)": bench.captured[(user, f"{PAGE} cases by received_on desc")]}
            for what, statements in todo.items():
                for w, r in replayers.items():
                    parts.append(f"===== {user}: {what}, as {w}\n"
                                 f"{statements[-1][0]}\n-- params: {statements[-1][1]}\n"
                                 f"{r.explain(statements)}\n")
    finally:
        for w, r in replayers.items():
            if w != "app":
                r.close()
    return "\n".join(parts)
