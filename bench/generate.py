"""Build a bench database: the demo province (``seed_demo``) and N cases over its districts.

    python -m bench.generate --database-url postgresql://postgres@localhost/procuracy_bench \\
        --cases 1000000 --fresh
    python -m bench.generate --database-url sqlite:///bench/out/bench-200k.db --cases 200000 --fresh

The schema comes from the migrations (run as the owner role on PostgreSQL, then
the app role's grants, as production does); the province is seeded through the
app as the app role; the cases are bulk-loaded (see ``bench.loaders``) and the
tables analyzed. A database that already holds cases is refused: use --fresh.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import sqlalchemy as sa

from bench.casegen import CASE_COLUMNS, PARTICIPANT_COLUMNS, CaseFactory, load_staff
from bench.common import PASSWORD, create_pg_database, is_superuser, make_app, migrate, target_for
from bench.loaders import CopyLoader, InsertLoader, shape
from bench.report import machine, replace_block, save_json, server_version, table


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    p.add_argument("--database-url", required=True,
                   help="postgresql://SUPERUSER@HOST/NAME or sqlite:///PATH")
    p.add_argument("--cases", type=int, default=1_000_000)
    p.add_argument("--fresh", action="store_true", help="drop the database (or file) first")
    p.add_argument("--migrate-only", action="store_true",
                   help="bring an existing bench database to the migrations' head (grants"
                        " included) and analyze it; no data")
    p.add_argument("--batch", type=int, default=20_000, help="cases per batch")
    p.add_argument("--method", choices=("auto", "copy", "insert"), default="auto",
                   help="auto: COPY on PostgreSQL as a superuser, else Core insert()")
    p.add_argument("--fk-checks", action="store_true",
                   help="COPY: keep the foreign-key triggers on while loading")
    p.add_argument("--keep-indexes", action="store_true",
                   help="COPY: maintain the secondary indexes while loading")
    p.add_argument("--password", default=PASSWORD, help="password of every demo account")
    p.add_argument("--seed", type=int, default=20261123)
    p.add_argument("--write", type=Path, help="put the figures in this Markdown file")
    return p.parse_args(argv)


def prepare(target, fresh: bool) -> None:
    if target.postgres:
        create_pg_database(target, fresh)
    elif fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(target.name + suffix).unlink(missing_ok=True)
    if not target.postgres:
        Path(target.name).parent.mkdir(parents=True, exist_ok=True)
    migrate(target)


def seed(password: str) -> dict:
    """The demo province through the app's own seeding, unless it is there already."""
    from procuracy.cases.models import Case
    from procuracy.extensions import db
    from procuracy.tenants.models import Unit
    from procuracy.tenants.scope import system_scope
    from procuracy.tenants.seed import seed_demo

    with system_scope("bench: what is there"):
        units = db.session.scalar(sa.select(sa.func.count(Unit.id)))
        cases = db.session.scalar(sa.select(sa.func.count(Case.id)))
    db.session.rollback()
    if cases:
        raise SystemExit(f"the database already holds {cases:,} cases; use --fresh")
    if units:
        return {"seeded": False}
    return {"seeded": True, **seed_demo(password, cases=0)}


def load_cases(args, target, loader) -> dict:
    from procuracy.extensions import db
    from procuracy.tenants.scope import system_scope

    with system_scope("bench: staff"):
        staff = load_staff(db.session)
    db.session.rollback()
    factory = CaseFactory(staff, args.cases, first_id=1, seed=args.seed)
    done = parts = 0
    gen_s = 0.0
    t0 = time.perf_counter()
    batches = factory.batches(args.batch)
    while True:
        g = time.perf_counter()
        batch = next(batches, None)
        gen_s += time.perf_counter() - g
        if batch is None:
            break
        loader.load(batch)
        done += len(batch.cases)
        parts += len(batch.participants)
        el = time.perf_counter() - t0
        print(f"  cases {done:>9,}/{args.cases:,}  {done / el:>8,.0f} cases/s  "
              f"{(done + parts) / el:>9,.0f} rows/s  {el:6.1f}s", flush=True)
    load_s = time.perf_counter() - t0
    return {"cases": done, "participants": parts, "units_with_cases": len(staff),
            "load_s": load_s, "generate_s": gen_s, "rows_per_s": (done + parts) / load_s}


def analyze(target) -> None:
    engine = sa.create_engine(target.admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def sizes(target) -> dict:
    """Row counts and, on PostgreSQL, the size of each table with its indexes."""
    engine = sa.create_engine(target.admin_url)
    out = {}
    try:
        with engine.connect() as conn:
            for name in ("units", "users", "power_items", "cases", "case_participants"):
                rows = conn.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar()
                size = None
                if target.postgres:
                    size = conn.exec_driver_sql(
                        f"SELECT pg_size_pretty(pg_total_relation_size('{name}'))").scalar()
                out[name] = {"rows": rows, "size": size}
    finally:
        engine.dispose()
    return out


def render(result: dict) -> str:
    t = result["timings"]
    rows = [(k.removesuffix("_s"), f"{v:.1f} s") for k, v in t.items()
            if not (k == "indexes_s" and result["method"] == "insert")]
    sz = [(name, f"{v['rows']:,}", v["size"] or "") for name, v in result["sizes"].items()]
    file_mb = Path(result["file"]).stat().st_size / 2**20 if result.get("file") else None
    loaded = result["load"]["cases"] + result["load"]["participants"]
    return (
        f"`python -m bench.generate --database-url {result['url']} --cases {result['cases']}"
        f" --fresh` on {result['server']} ({result['method']}"
        f"{', foreign-key triggers off, secondary indexes rebuilt after' if result['method'] == 'copy' else ''})"
        f": {result['load']['cases']:,} cases and {result['load']['participants']:,}"
        f" participants ({loaded:,} rows) in {t['load_s']:.1f} s of loading,"
        f" {result['load']['rows_per_s']:,.0f} rows/s; {t['total_s']:.0f} s in all"
        f"{f'; the file is {file_mb:,.0f} MiB' if file_mb else ''}.\n\n"
        + table(("step", "time"), rows, "lr") + "\n\n"
        + table(("table", "rows", "size with indexes"), sz, "lrr")
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    target = target_for(args.database_url)
    t_all = time.perf_counter()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    print(f"schema through the migrations on {target.dialect} ({target.name})", flush=True)
    prepare(target, args.fresh)
    timings["migrate_s"] = time.perf_counter() - t
    if args.migrate_only:
        analyze(target)
        print(f"migrated and analyzed in {time.perf_counter() - t:.1f}s")
        return

    method = args.method
    if method == "auto":
        method = "copy" if target.postgres and is_superuser(target) else "insert"
    if method == "copy" and not target.postgres:
        raise SystemExit("COPY is PostgreSQL's")
    app = make_app(target.app_url)
    with app.app_context():
        from procuracy.extensions import db

        t = time.perf_counter()
        seeded = seed(args.password)
        timings["seed_s"] = time.perf_counter() - t
        print(f"demo province: {seeded} in {timings['seed_s']:.1f}s", flush=True)
        shapes = (shape(db.engine, "cases", CASE_COLUMNS, method == "copy"),
                  shape(db.engine, "case_participants", PARTICIPANT_COLUMNS, method == "copy"))
        if method == "copy":
            loader = CopyLoader(target.libpq("admin"), shapes, fk_checks=args.fk_checks,
                                defer_indexes=not args.keep_indexes)
        else:
            loader = InsertLoader(shapes, target.libpq("admin") if target.postgres else None)
        print(f"loading {args.cases:,} cases by {method}, batches of {args.batch:,}", flush=True)
        load = load_cases(args, target, loader)
        timings["load_s"] = load["load_s"]
        finish = loader.finish()
        timings.update(finish)
        db.session.remove()
        db.engine.dispose()
    timings["total_s"] = time.perf_counter() - t_all
    result = {"url": args.database_url, "cases": args.cases, "method": method,
              "server": server_version(target), "machine": machine(), "seed": seeded,
              "load": load, "timings": timings, "sizes": sizes(target),
              "file": None if target.postgres else target.name}
    path = save_json(f"generate-{target.dialect}-{Path(target.name).stem}", result)
    print(f"done in {timings['total_s']:.1f}s: {load['rows_per_s']:,.0f} rows/s while loading;"
          f" results in {path}", flush=True)
    if args.write:
        replace_block(args.write, f"generate:{target.dialect}", render(result))


if __name__ == "__main__":
    main()
