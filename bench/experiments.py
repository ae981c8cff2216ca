"""Try a fix by hand on a bench database (PostgreSQL), measure, put it back.

    python -m bench.experiments --database-url URL apply cp-user-case rls-initplan
    python -m bench.experiments --database-url URL revert      # every experiment, all at once
    python -m bench.experiments --database-url URL status

Experiments (none touches the migrations or the models: the lead decides):

- ``jit-off``: ``jit = off`` for the app and owner roles in this database (new
  connections): a short OLTP query whose cost estimate is inflated must not pay for
  JIT compilation;
- ``cp-user-case``: an index on case_participants (user_id, case_id), so "the cases
  I work on" is an index-only scan;
- ``rls-initplan``: every policy reads its settings once per query, not once per row:
  ``procuracy_ids(...)`` and ``procuracy_all()`` wrapped in ``(SELECT ...)``;
- ``rls-via-case-exists``: tables read through their case check it row by row
  (``EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id)``) instead of
  ``case_id IN (SELECT id FROM cases)``, which hashes every readable case;
- ``rls-via-case-unit``: the same tables use their own ``unit_id`` (always the case's
  unit) and the granted case ids, with no subquery at all.

The first ``apply`` saves every policy as the migrations made it to
bench/out/policies-DBNAME.json; ``revert`` restores them, drops the indexes and
resets the role settings.
"""
from __future__ import annotations

import argparse
import json
import re

from bench.common import APP, OUT, OWNER, target_for

INDEXES = {"cp-user-case": ("bench_cp_user_case",
                            "CREATE INDEX bench_cp_user_case ON case_participants (user_id, case_id)")}
POLICY_EXPERIMENTS = ("rls-initplan", "rls-via-case-exists", "rls-via-case-unit")
SETTINGS = {"jit-off": ("jit", "off")}
VIA_CASE = re.compile(r"\(case_id IN \(\s*SELECT cases\.id\s+FROM cases\)\)")


def _policies(conn) -> list[dict]:
    rows = conn.execute("SELECT tablename, policyname, qual, with_check FROM pg_policies"
                        " WHERE schemaname = 'public' ORDER BY tablename, policyname").fetchall()
    return [dict(zip(("table", "name", "qual", "check"), r, strict=True)) for r in rows]


def _saved(dbname: str):
    return OUT / f"policies-{dbname}.json"


def _initplan(expr: str) -> str:
    # The cast keeps ``= ANY ((SELECT ...))`` an array expression, not ANY (subquery).
    expr = re.sub(r"(?<!SELECT )procuracy_ids\('([a-z_.]+)'::text\)",
                  r"(SELECT procuracy_ids('\1'))::bigint[]", expr)
    return re.sub(r"(?<!SELECT )procuracy_all\(\)", "(SELECT procuracy_all())", expr)


def _rewrite(name: str, table: str, expr: str | None) -> str | None:
    if expr is None:
        return None
    if name == "rls-initplan":
        return _initplan(expr)
    if name == "rls-via-case-exists":
        return VIA_CASE.sub(f"(EXISTS (SELECT 1 FROM cases c WHERE c.id = {table}.case_id))",
                            expr)
    if name == "rls-via-case-unit":
        return VIA_CASE.sub("((unit_id = ANY (procuracy_ids('procuracy.units'::text))) OR "
                            "(case_id = ANY (procuracy_ids('procuracy.cases'::text))))", expr)
    raise ValueError(name)


def apply(conn, dbname: str, names: list[str]) -> None:
    path = _saved(dbname)
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_policies(conn), indent=1), encoding="utf-8")
    # Policy rewrites go in a fixed order: the initplan wrapping last, over the others.
    for name in sorted(names, key=lambda n: n == "rls-initplan"):
        if name in INDEXES:
            conn.execute(INDEXES[name][1])
        elif name in SETTINGS:
            setting, value = SETTINGS[name]
            for role in (APP, OWNER):
                conn.execute(f'ALTER ROLE "{role}" IN DATABASE "{dbname}" SET {setting} = {value}')
        elif name in POLICY_EXPERIMENTS:
            for p in _policies(conn):
                qual = _rewrite(name, p["table"], p["qual"])
                check = _rewrite(name, p["table"], p["check"])
                if qual != p["qual"] or check != p["check"]:
                    clauses = (f" USING ({qual})" if qual else "") + \
                              (f" WITH CHECK ({check})" if check else "")
                    conn.execute(f'ALTER POLICY "{p["name"]}" ON "{p["table"]}"{clauses}')
        else:
            raise SystemExit(f"unknown experiment {name}")
        print(f"applied {name}")
    conn.execute("ANALYZE case_participants")


def revert(conn, dbname: str) -> None:
    for setting, _ in SETTINGS.values():
        for role in (APP, OWNER):
            conn.execute(f'ALTER ROLE "{role}" IN DATABASE "{dbname}" RESET {setting}')
    for index, _ in INDEXES.values():
        conn.execute(f'DROP INDEX IF EXISTS "{index}"')
    path = _saved(dbname)
    if path.exists():
        for p in json.loads(path.read_text(encoding="utf-8")):
            clauses = (f" USING ({p['qual']})" if p["qual"] else "") + \
                      (f" WITH CHECK ({p['check']})" if p["check"] else "")
            conn.execute(f'ALTER POLICY "{p["name"]}" ON "{p["table"]}"{clauses}')
        path.unlink()
    print("reverted: policies as migrated, no bench indexes, role settings reset")


def status(conn, dbname: str) -> None:
    saved = {(p["table"], p["name"]): p for p in json.loads(_saved(dbname).read_text())} \
        if _saved(dbname).exists() else {}
    settings = conn.execute("SELECT r.rolname, s.setconfig FROM pg_db_role_setting s"
                            " JOIN pg_roles r ON r.oid = s.setrole"
                            " JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = %s",
                            [dbname]).fetchall()
    print(f"role settings: {settings or 'none'}")
    for index, _ in INDEXES.values():
        there = conn.execute("SELECT 1 FROM pg_class WHERE relname = %s", [index]).fetchone()
        print(f"index {index}: {'present' if there else 'absent'}")
    changed = [p for p in _policies(conn) if (p["table"], p["name"]) in saved
               and saved[(p["table"], p["name"])]["qual"] != p["qual"]]
    print(f"{len(changed)} policies differ from the migrations'")
    for p in changed[:5]:
        print(f"  {p['table']}.{p['name']}: {p['qual']}")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.experiments",
                                description=__doc__.split("\n")[0])
    p.add_argument("--database-url", required=True)
    p.add_argument("action", choices=("apply", "revert", "status"))
    p.add_argument("names", nargs="*",
                   help=", ".join([*SETTINGS, *INDEXES, *POLICY_EXPERIMENTS]))
    args = p.parse_args(argv)
    target = target_for(args.database_url)
    if not target.postgres:
        raise SystemExit("the experiments are PostgreSQL's (indexes could be tried on SQLite"
                         " with the sqlite3 shell)")
    import psycopg

    with psycopg.connect(target.libpq("admin"), autocommit=True) as conn:
        {"apply": lambda: apply(conn, target.name, args.names),
         "revert": lambda: revert(conn, target.name),
         "status": lambda: status(conn, target.name)}[args.action]()


if __name__ == "__main__":
    main()
