"""Throughput of the web tier against the number of gunicorn processes (docs/SCALING.md).

    python -m bench.web_workers --database-url postgresql://postgres@localhost/procuracy_bench_20000 \\
        [--workers 1,2,4] [--concurrency 8] [--seconds 20] [--user prosecutor1@440105]

For each count: gunicorn started with ``deploy/gunicorn.conf.py`` as the app role
(``APP_ENV=production``) on a spare port, a bearer token for the user, then ApacheBench
(``ab``, C concurrent clients for S seconds) on each read-heavy request; requests per
second, median and p95 latency, failures. Taken in turns over two rounds so that the
counts see the same machine load; the load average is printed with each figure.

On a shared machine throughput says more about the neighbours than about the app, so
each run also counts the CPU time spent per request, read from /proc (as root, with
PostgreSQL on this machine): gunicorn's processes, and the PostgreSQL backends of the
app role in the bench database. Cores ÷ CPU per request is what free cores would serve.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.common import APP, PASSWORD, ROOT, target_for

REQUESTS = ("/api/v1/cases", "/api/v1/units/440105")


def start(app_url: str, workers: int, port: int) -> subprocess.Popen:
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "DATABASE_URL": app_url, "BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": str(workers)}
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py",
                             "--access-logfile", "/dev/null", "wsgi:app"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise SystemExit("gunicorn did not answer")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def token(port: int, user: str, password: str) -> str:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/auth/token",
                                 data=json.dumps({"username": user, "password": password}).encode(),
                                 headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=30))["token"]


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(select) -> dict[int, float]:
    """utime + stime of every process whose /proc stat fields pass ``select``."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
        if select(int(stat.parent.name), fields):
            found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / TICK
    return found


def backend_pids(admin_dsn: str, database: str, role: str) -> set[int]:
    import psycopg

    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        return {r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND usename = %s",
            (database, role))}


def cpu_snapshot(session: int, admin_dsn: str, database: str, role: str) -> dict:
    pg = backend_pids(admin_dsn, database, role)
    return {"web": cpu_seconds(lambda pid, f: int(f[3]) == session),  # field 6: session id
            "db": cpu_seconds(lambda pid, f: pid in pg)}


def cpu_delta(before: dict, after: dict) -> dict[str, float]:
    return {k: sum(v - before[k].get(pid, 0.0) for pid, v in after[k].items()) for k in after}


def ab(url: str, tok: str, concurrency: int, seconds: int) -> dict:
    out = subprocess.run(["ab", "-q", "-k", "-t", str(seconds), "-n", "1000000", "-c",
                          str(concurrency), "-H", f"Authorization: Bearer {tok}", url],
                         capture_output=True, text=True, check=True).stdout

    def grab(pattern: str) -> float:
        m = re.search(pattern, out, re.M)
        return float(m.group(1)) if m else float("nan")

    return {"rps": grab(r"^Requests per second:\s+([\d.]+)"),
            "completed": int(grab(r"^Complete requests:\s+(\d+)")),
            "failed": int(grab(r"^Failed requests:\s+(\d+)")),
            "non2xx": int(grab(r"^Non-2xx responses:\s+(\d+)") if "Non-2xx" in out else 0),
            "p50_ms": grab(r"^\s+50%\s+(\d+)"), "p95_ms": grab(r"^\s+95%\s+(\d+)"),
            "load": round(os.getloadavg()[0], 1)}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--database-url", required=True)
    p.add_argument("--workers", default="1,2,4")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--user", default="prosecutor1@440105")
    p.add_argument("--password", default=PASSWORD)
    p.add_argument("--port", type=int, default=8097)
    args = p.parse_args(argv)
    target = target_for(args.database_url)
    app_url = target.app_url
    counts = [int(n) for n in args.workers.split(",")]
    results: dict = {path: {n: [] for n in counts} for path in REQUESTS}
    for rnd in range(args.rounds):
        for n in counts:
            proc = start(app_url, n, args.port)
            try:
                tok = token(args.port, args.user, args.password)
                for path in REQUESTS:
                    snap = (proc.pid, target.libpq("admin"), target.name, APP)
                    before = cpu_snapshot(*snap)
                    r = ab(f"http://127.0.0.1:{args.port}{path}", tok, args.concurrency, args.seconds)
                    used = cpu_delta(before, cpu_snapshot(*snap))
                    r.update({f"{k}_cpu_ms": 1e3 * v / max(r["completed"], 1)
                              for k, v in used.items()})
                    results[path][n].append(r)
                    print(f"round {rnd} workers {n} {path}: {r}", flush=True)
            finally:
                stop(proc)
    out = Path(ROOT / "bench/out/web-workers.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "results": results}, indent=2))
    print("\n| request | gunicorn processes | requests/s (each round) | median / p95 ms "
          "| failed | × 1 process | CPU ms per request: web + database | load average |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path in REQUESTS:
        base = sum(r["rps"] for r in results[path][counts[0]]) / args.rounds
        for n in counts:
            rs = results[path][n]
            rps = sum(r["rps"] for r in rs) / len(rs)
            each = ", ".join(f"{r['rps']:.1f}" for r in rs)
            lat = "; ".join(f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f}" for r in rs)
            failed = sum(r["failed"] + r["non2xx"] for r in rs)
            loads = ", ".join(str(r["load"]) for r in rs)
            web = sum(r["web_cpu_ms"] for r in rs) / len(rs)
            dbc = sum(r["db_cpu_ms"] for r in rs) / len(rs)
            print(f"| `GET {path}` | {n} | {rps:.1f} ({each}) | {lat} | {failed}"
                  f" | {rps / base:.2f}× | {web:.0f} + {dbc:.0f} | {loads} |")


if __name__ == "__main__":
    main()
