"""The load test, end to end (``make load``): a throw-away PostgreSQL database with the
demo province (the app role under row-level security), the app under gunicorn on
loopback, Locust headless for a bounded time (``bench/load/locustfile.py``), then the
figures and the check that no write was lost.

    python -m bench.load.run [--users 40] [--spawn-rate 4] [--time 60] [--cases 3000]
        [--workers 2*cores] [--admin-url postgresql://postgres@localhost:5432/postgres]
        [--keep | --database NAME]

It prints throughput, latency percentiles (p50/p95/p99) per request and overall, the
errors Locust saw and the tracebacks gunicorn logged, and compares the uploads Locust
saw acknowledged (303) with the documents and timeline steps the database holds for
this run's marker. It exits 1 on any error or lost write. The database is dropped at
the end (``--keep`` keeps it); the figures are in ``bench/out/load/``.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from bench.load.accounts import needed, sign_in_all
from bench.load.world import (
    BIN,
    OUT,
    PASSWORD,
    ROOT,
    Server,
    admin_url,
    create_database,
    drop_database,
    existing_database,
    free_port,
)

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PERCENTILES = ("50%", "95%", "99%")


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_locust(host: str, run_id: str, users: int, spawn_rate: float, seconds: int,
               prefix: Path, writes: Path, sessions: Path) -> None:
    env = dict(os.environ, LOAD_RUN_ID=run_id, LOAD_WRITES_FILE=str(writes),
               LOAD_PASSWORD=PASSWORD, LOAD_SESSIONS_FILE=str(sessions),
               PYTHONPATH=str(ROOT))
    subprocess.run(
        [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", host,
         "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s",
         "--stop-timeout", "20", "--csv", str(prefix), "--only-summary",
         "--exit-code-on-error", "0", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, check=True, timeout=seconds + 180)


def read_stats(prefix: Path) -> dict:
    """Per request name and overall: requests, failures, req/s, p50/p95/p99 (ms)."""
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {
                "method": row["Type"], "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2),
                **{f"p{p[:-1]}_ms": _ms(row[p]) for p in PERCENTILES},
            }
    failures = []
    with open(f"{prefix}_failures.csv", encoding="utf-8") as fh:
        failures = [{"method": r["Method"], "name": r["Name"], "error": r["Error"],
                     "occurrences": int(r["Occurrences"])} for r in csv.DictReader(fh)]
    return {"requests": rows, "failures": failures}


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def server_errors(log: Path, since: int) -> list[str]:
    """The tracebacks' last lines gunicorn logged after byte ``since``."""
    text = log.read_bytes()[since:].decode("utf-8", "replace").splitlines()
    found = []
    for i, line in enumerate(text):
        if line.startswith("Traceback"):
            tail = next((t for t in text[i + 1:] if t and not t.startswith((" ", "Traceback"))),
                        "?")
            found.append(tail)
        elif "[CRITICAL]" in line or "WORKER TIMEOUT" in line:
            found.append(line)
    return found


def written(database, run_id: str) -> dict:
    """This run's uploads as the database has them: documents and timeline steps."""
    import psycopg

    marker = f"load-{run_id}-%"
    with psycopg.connect(database.libpq("admin")) as conn:
        documents = [r[0] for r in conn.execute(
            "SELECT filename FROM case_documents WHERE filename LIKE %s", (marker,))]
        steps = conn.execute(
            "SELECT count(*) FROM case_steps WHERE kind = 'document_added' "
            "AND summary LIKE %s", (f"%{marker}",)).fetchone()[0]
    return {"documents": documents, "steps": steps}


def check_writes(acknowledged: list[str], stored: dict) -> dict:
    docs = stored["documents"]
    return {
        "acknowledged": len(acknowledged), "documents": len(docs), "steps": stored["steps"],
        "lost": sorted(set(acknowledged) - set(docs)),
        "duplicated": sorted({d for d in docs if docs.count(d) > 1}),
        "unacknowledged_but_stored": sorted(set(docs) - set(acknowledged)),
    }


def report(result: dict) -> str:
    """The figures as the Markdown table docs/PERFORMANCE.md keeps."""
    lines = ["| request | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    rows = result["stats"]["requests"]
    for name, r in sorted(rows.items(), key=lambda kv: (kv[0] == "Aggregated", kv[0])):
        label = "**all**" if name == "Aggregated" else f"{r['method']} {name}"
        lines.append(f"| {label} | {r['requests']} | {r['failures']} | {r['rps']} | "
                     f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} |")
    w = result["writes"]
    lines.append("")
    lines.append(f"Writes: {w['acknowledged']} uploads acknowledged, {w['documents']} documents "
                 f"and {w['steps']} timeline steps in the database; lost {len(w['lost'])}, "
                 f"duplicated {len(w['duplicated'])}, stored but not acknowledged "
                 f"{len(w['unacknowledged_but_stored'])}. Server tracebacks: "
                 f"{len(result['server_errors'])}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--time", type=int, default=60, help="seconds of load")
    parser.add_argument("--cases", type=int, default=3000, help="demo cases to seed")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="gunicorn workers (default: 2 per core)")
    parser.add_argument("--admin-url", default=None, help="a PostgreSQL admin URL")
    parser.add_argument("--redis-url", default="redis://localhost:6379/6",
                        help="the sign-in limiter's storage ('' for none)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--database", help="reuse a database kept by --keep (not dropped)")
    args = parser.parse_args(argv)

    admin = args.admin_url or admin_url()
    if not admin:
        print("no PostgreSQL answers on localhost (set LOAD_ADMIN_URL)", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    run_id = time.strftime("%Y%m%d%H%M%S") + secrets.token_hex(2)
    prefix, writes = OUT / f"locust-{run_id}", OUT / f"writes-{run_id}.json"
    sessions = OUT / f"sessions-{run_id}.json"
    t0 = time.monotonic()
    if args.database:
        database, args.keep = existing_database(admin, args.database), True
    else:
        database = create_database(admin, args.cases)
        say(f"database {database.name}: migrated, seeded ({args.cases} cases) in "
            f"{time.monotonic() - t0:.0f} s")
    server = Server(database.app_url, free_port(), args.workers, args.redis_url or None)
    try:
        since = server.log.stat().st_size if server.log.exists() else 0
        server.start()
        say(f"gunicorn: {args.workers} workers on {server.url}; load average {load_average()}")
        accounts = needed(args.users)
        t1 = time.monotonic()
        sessions.write_text(json.dumps(sign_in_all(server.url, accounts, PASSWORD)))
        signed_in = time.monotonic() - t1
        say(f"signed {len(accounts)} people in through the page in {signed_in:.0f} s "
            f"({signed_in / len(accounts):.2f} s each, two at a time: argon2id)")
        run_locust(server.url, run_id, args.users, args.spawn_rate, args.time, prefix, writes,
                   sessions)
        load_after = load_average()
        stats = read_stats(prefix)
        acknowledged = json.loads(writes.read_text())["acknowledged"]
        result = {
            "run_id": run_id, "users": args.users, "spawn_rate": args.spawn_rate,
            "seconds": args.time, "workers": args.workers, "cases": args.cases,
            "cores": os.cpu_count(), "load_after": load_after, "stats": stats,
            "sign_in_s_each": round(signed_in / len(accounts), 2),
            "server_errors": server_errors(server.log, since),
            "writes": check_writes(acknowledged, written(database, run_id)),
        }
    finally:
        server.stop()
        sessions.unlink(missing_ok=True)
        if args.keep:
            say(f"kept database {database.name}")
        else:
            drop_database(database)
    (OUT / f"load-{run_id}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(report(result))
    for failure in stats["failures"]:
        print(f"  failure: {failure['method']} {failure['name']}: {failure['error']} "
              f"x{failure['occurrences']}")
    for error in result["server_errors"][:20]:
        print(f"  server: {error}")
    w = result["writes"]
    bad = (stats["requests"]["Aggregated"]["failures"] or result["server_errors"]
           or not w["acknowledged"] or w["lost"] or w["duplicated"]
           or w["steps"] != w["documents"])
    say(f"{'FAILED' if bad else 'passed'}: load average after {load_after}; "
        f"figures in {OUT / f'load-{run_id}.json'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
