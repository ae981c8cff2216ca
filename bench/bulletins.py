"""Benchmark of the monthly bulletin (issue 5): what a bulletin costs and what a
scheduled run of them costs.

``split``: one bulletin built as the job builds it, timed in its three steps, taking
turns: ``gather`` (the figures, SQL as the app role under ``system_scope``), the HTML
(``context_for`` + ``render_html``) and WeasyPrint's render of that same HTML alone
(``html_to_pdf``, the baseline). ``--wide`` gives the bulletin a row for every unit of
the tree (not only the direct children), which makes the province's about 20 pages.

``fan-out``: the "monthly-bulletins" schedule's ``fan_out`` through a real Redis (a db
of its own, flushed first) with N ``rq worker -w jobs.runner.Worker`` processes: wall
time, each run's time from ``JobRun``, and peak memory (``VmHWM``) of the workers and
of every work horse, polled from /proc. ``--only CODE`` limits the targets to one
unit's tree (``jobs.schedule.target_units`` patched in this process only).

    python -m bench.bulletins --database-url postgresql://postgres@localhost/procuracy_bench \\
        split --unit 440000 --wide
    python -m bench.bulletins --database-url ... fan-out --workers 2 --only 440100
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench.common import OUT, ROOT, make_app, target_for
from bench.timing import Recorder, summarize

KIND = "monthly_bulletin"
SCHEDULE = "monthly-bulletins"
REDIS_URL = "redis://localhost:6379/5"  # a db of its own: flushed before every run
STORE = OUT / "bulletin-store"  # REPORT_STORE of the app and of the workers
RQ = str(ROOT / ".venv" / "bin" / "rq")


def subsetter() -> str:
    """Which library WeasyPrint subsets fonts with: HarfBuzz when libharfbuzz-subset
    can be loaded (e.g. through LD_LIBRARY_PATH), fontTools otherwise."""
    from weasyprint.text.ffi import harfbuzz_subset

    return "harfbuzz" if harfbuzz_subset is not None else "fonttools"


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def bench_app(url: str, redis: bool = False):
    """The app on the bench database as ``procuracy_app``, with this bench's store."""
    app = make_app(target_for(url).app_url)
    app.config["REPORT_STORE"] = str(STORE)
    if redis:
        app.config["REDIS_URL"] = REDIS_URL
    return app


def unit_id(code: str) -> int:
    from procuracy.extensions import db
    from procuracy.tenants.models import Unit

    return db.session.scalars(sa.select(Unit.id).where(Unit.code == code)).one()


# ---------------------------------------------------------------- 1. one bulletin, split
@contextmanager
def every_unit_a_row():
    """``bulletin_data.tree`` giving every unit of the tree a row of its own."""
    from procuracy.extensions import db
    from procuracy.oversight import bulletin_data
    from procuracy.tenants.models import Unit, UnitClosure

    original = bulletin_data.tree

    def wide(unit_id_: int):
        unit, _rows, _ = original(unit_id_)
        units = db.session.scalars(
            sa.select(Unit).join(UnitClosure, UnitClosure.descendant_id == Unit.id)
            .where(UnitClosure.ancestor_id == unit_id_).order_by(Unit.code)).all()
        return (unit, [{"id": u.id, "code": u.code, "name": u.name} for u in units],
                {u.id: u.id for u in units})

    bulletin_data.tree = wide
    try:
        yield
    finally:
        bulletin_data.tree = original


def split(url: str, code: str, period: str, wide: bool, repeat: int) -> dict:
    from jobs.bulletins import context_for
    from procuracy.extensions import db
    from procuracy.oversight.bulletin_data import gather
    from procuracy.reports.pdf import html_to_pdf, render_html
    from procuracy.tenants.scope import system_scope

    app = bench_app(url)
    times: dict[str, list[float]] = {"gather": [], "html": [], "pdf": []}
    out: dict = {"unit": code, "period": period, "wide": wide, "load_before": load()}
    with app.app_context(), (every_unit_a_row() if wide else _nothing()):
        with system_scope("bench: bulletin"):
            uid = unit_id(code)
        for i in range(repeat + 1):  # the first round warms up (fonts, caches)
            db.session.remove()
            with Recorder(db.engine) as rec, system_scope("bench: bulletin"):
                t0 = time.perf_counter()
                data = gather(uid, period)
                t1 = time.perf_counter()
            html = render_html("bulletin.html", context_for(data))
            t2 = time.perf_counter()
            rendered = html_to_pdf(html)
            t3 = time.perf_counter()
            if i:
                for name, took in zip(times, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                    times[name].append(took * 1e3)
            print(f"  round {i}: gather {t1 - t0:.2f} s, html {t2 - t1:.2f} s, "
                  f"pdf {t3 - t2:.2f} s, {rendered.pages} pages", file=sys.stderr)
        out.update(rows=len(data["rows"]), pages=rendered.pages, html_kb=len(html) // 1024,
                   statements=len(rec.statements),
                   statement_kinds=Counter(summarize(s) for s, _ in rec.statements))
    out.update({f"{k}_ms": sorted(v) for k, v in times.items()}, load_after=load())
    med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    out["median_ms"] = med
    out["total_ms"] = sum(med.values())
    out["overhead_over_weasyprint"] = (med["gather"] + med["html"]) / med["pdf"]
    out["total_over_weasyprint"] = out["total_ms"] / med["pdf"]
    return out


@contextmanager
def _nothing():
    yield


# ---------------------------------------------------------------- 2. the scheduled run
def worker_env(url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=target_for(url).app_url, REDIS_URL=REDIS_URL,
               REPORT_STORE=str(STORE), PYTHONPATH=str(ROOT))
    env.pop("JOBS_IN_PROCESS", None)
    return env


def start_worker(url: str, name: str, log: Path) -> subprocess.Popen:
    """``rq worker -w jobs.runner.Worker default pdf`` as the README starts it."""
    return subprocess.Popen(
        [RQ, "worker", "-w", "jobs.runner.Worker", "--url", REDIS_URL, "-n", name,
         "default", "pdf"], cwd=ROOT, env=worker_env(url), stdout=log.open("ab"),
        stderr=subprocess.STDOUT)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemoryWatch:
    """Peak VmHWM of each worker and of every work horse it forked, polled."""

    def __init__(self, workers: list[subprocess.Popen]):
        self.workers = workers
        self.worker_peak: dict[int, int] = {}
        self.horse_peak: dict[int, int] = {}

    def poll(self) -> None:
        for w in self.workers:
            self.worker_peak[w.pid] = max(self.worker_peak.get(w.pid, 0), vm_hwm_kb(w.pid))
            for horse in children(w.pid):
                self.horse_peak[horse] = max(self.horse_peak.get(horse, 0), vm_hwm_kb(horse))


def reset(url: str, period: str) -> None:
    """Forget this period's bulletins and runs (as the superuser) and flush Redis db 5."""
    from redis import Redis

    engine = sa.create_engine(target_for(url).admin_url)
    with engine.begin() as conn:
        args = {"k": KIND, "p": period}
        conn.execute(sa.text("UPDATE job_runs SET result_document_id = NULL "
                             "WHERE kind = :k AND period = :p"), args)
        conn.execute(sa.text("DELETE FROM report_documents WHERE kind = :k AND period = :p"),
                     args)
        conn.execute(sa.text("DELETE FROM job_runs WHERE kind = :k AND period = :p"), args)
    engine.dispose()
    Redis.from_url(REDIS_URL).flushdb()


@contextmanager
def targets_only(code: str | None):
    """``jobs.schedule.target_units`` limited to ``code``'s tree (None: every unit)."""
    from jobs import schedule
    from procuracy.extensions import db
    from procuracy.tenants.models import Unit, UnitClosure

    if code is None:
        yield
        return
    original = schedule.target_units

    def subset(sched):
        ids = set(db.session.scalars(
            sa.select(UnitClosure.descendant_id).join(Unit, Unit.id == UnitClosure.ancestor_id)
            .where(Unit.code == code)))
        return [i for i in original(sched) if i in ids]

    schedule.target_units = subset
    try:
        yield
    finally:
        schedule.target_units = original


def runs(period: str) -> list[dict]:
    """This period's bulletin runs, as the database has them."""
    from procuracy.extensions import db
    from procuracy.oversight.job_models import JobRun
    from procuracy.tenants.scope import system_scope

    db.session.remove()
    with system_scope("bench: watch runs"):
        rows = db.session.scalars(sa.select(JobRun).where(
            JobRun.kind == KIND, JobRun.period == period).order_by(JobRun.id)).all()
        return [{"id": r.id, "unit_id": r.unit_id, "status": r.status, "attempts": r.attempts,
                 "started_at": r.started_at, "finished_at": r.finished_at} for r in rows]


def fan_out_now(period_end: datetime) -> list[int]:
    from jobs.schedule import fan_out, schedule_named

    return fan_out(schedule_named(SCHEDULE), period_end)


def at_for(period: str) -> datetime:
    """A moment in the month after ``period``: fan_out builds ``period``'s bulletins."""
    year, month = (int(p) for p in period.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime(year, month, 1, 3, 0, tzinfo=UTC)


def fan_out_run(url: str, period: str, workers: int, only: str | None) -> dict:
    app = bench_app(url, redis=True)
    reset(url, period)
    log = OUT / "bulletin-workers.log"
    procs = [start_worker(url, f"bench-bulletin-{i}", log) for i in range(workers)]
    watch = MemoryWatch(procs)
    out: dict = {"workers": workers, "only": only, "period": period, "load_before": load()}
    try:
        time.sleep(8)  # the workers import the app and WeasyPrint before they listen
        with app.app_context(), targets_only(only):
            t0 = time.perf_counter()
            created = fan_out_now(at_for(period))
            while True:
                watch.poll()
                states = Counter(r["status"] for r in runs(period))
                if states["queued"] + states["running"] == 0:
                    break
                time.sleep(0.2)
            wall = time.perf_counter() - t0
            done = runs(period)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)
    each = sorted((r["finished_at"] - r["started_at"]).total_seconds() for r in done
                  if r["started_at"] and r["finished_at"])
    out.update(units=len(created), statuses=dict(Counter(r["status"] for r in done)),
               wall_s=round(wall, 1), per_bulletin_wall_s=round(wall / max(1, len(created)), 2),
               run_s_median=round(each[len(each) // 2], 2), run_s_min=round(each[0], 2),
               run_s_max=round(each[-1], 2),
               worker_peak_mib=round(max(watch.worker_peak.values()) / 1024, 1),
               horse_peak_mib=round(max(watch.horse_peak.values() or [0]) / 1024, 1),
               horses_seen=len(watch.horse_peak), load_after=load())
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--period", default="2026-10")
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("split")
    one.add_argument("--unit", default="440000")
    one.add_argument("--wide", action="store_true")
    one.add_argument("--repeat", type=int, default=3)
    many = sub.add_parser("fan-out")
    many.add_argument("--workers", type=int, default=1)
    many.add_argument("--only", help="one unit's tree (code) instead of every unit")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    tag = f"-{subsetter()}"
    if args.command == "split":
        result = {"subsetter": subsetter(),
                  **split(args.database_url, args.unit, args.period, args.wide, args.repeat)}
        name = f"bulletin-split-{args.unit}{'-wide' if args.wide else ''}{tag}.json"
    else:
        result = {"subsetter": subsetter(),
                  **fan_out_run(args.database_url, args.period, args.workers, args.only)}
        name = f"bulletin-fan-out-{args.workers}w-{args.only or 'all'}{tag}.json"
    (OUT / name).write_text(json.dumps(result, indent=2, default=str, ensure_ascii=False))
    print(json.dumps(result, indent=2, default=str, ensure_ascii=False))


if __name__ == "__main__":
    main()
