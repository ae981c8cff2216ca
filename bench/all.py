"""Every benchmark of the earlier issues in one command, figures as ratios to their baselines.

    python -m bench.all [--scale small|full] [--cases N] [--database-url URL] [--only scope,...]
    make bench [BENCH_SCALE=small] [BENCH_CASES=N] [BENCH_URL=URL] [BENCH_ONLY=...]

The bench database (PostgreSQL; ``procuracy_bench`` for 1,000,000 cases, the one
docs/PERFORMANCE.md was measured on, ``procuracy_bench_N`` for another size) is reused
when it holds cases and only brought to the migrations' head; otherwise
``bench.generate`` builds it (73 s for a million cases on an idle machine). Then each
scenario runs in a child process, one after the other (they must not share the two
cores), with the repetitions of its scale:

- ``scope``: scenario 1, who sees what (``bench.scope_bench``);
- ``case-listing``: scenario 2, the case list and its export;
- ``assignments``: scenario 3, draws by rotation (adds BENCH-DRAW cases to 440105);
- ``scoring``: scenario 4, a period's scores;
- ``sampling``: scenario 5, a review sample (sets some outcomes);
- ``bulletin``: one bulletin, gathering and HTML against WeasyPrint alone.

Each child writes its JSON into ``bench/out/all-DBNAME/`` (never over the figures of
another run in ``bench/out/``) and its Markdown to ``.../SCENARIO.md``; this runner then
prints, per table, the rows' names and their ratio columns (the cells ending in ×),
and writes the lot to ``bench/out/all-DBNAME/summary.md``. Nothing is written to
docs/PERFORMANCE.md: the recorded million-case figures there are kept by hand.
"""
from __future__ import annotations

import argparse
import os
import re
import runpy
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import OUT, ROOT

FULL = 1_000_000


@dataclass(frozen=True)
class Scenario:
    name: str
    module: str
    full: tuple[str, ...]  # the arguments docs/PERFORMANCE.md was measured with
    small: tuple[str, ...]  # a quick run


SCENARIOS = (
    Scenario("scope", "bench.scope_bench", ("--repeat", "100"), ("--repeat", "5", "--warmup", "1")),
    Scenario("case-listing", "bench.case_listing", ("--repeat", "20"),
             ("--repeat", "3", "--warmup", "1")),
    Scenario("assignments", "bench.assignments", ("--draws", "10000"),
             ("--draws", "100", "--repeat", "3", "--warmup", "1")),
    Scenario("scoring", "bench.scoring", ("--period", "2026-10", "--repeat", "5"),
             ("--period", "2026-10", "--repeat", "2", "--warmup", "1")),
    Scenario("sampling", "bench.sampling", ("--repeat", "5"), ("--repeat", "2", "--warmup", "1")),
    Scenario("bulletin", "bench.bulletins", ("split", "--unit", "440000", "--repeat", "2"),
             ("split", "--unit", "440105", "--repeat", "1")),
)
NAMES = tuple(s.name for s in SCENARIOS)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.all", description=__doc__.split("\n")[0])
    p.add_argument("--scale", choices=("small", "full"),
                   default=os.environ.get("BENCH_SCALE") or "full",
                   help="small: 20,000 cases and few repetitions; full: as recorded")
    p.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES") or 0),
                   help="cases in the bench database (default: 20,000 small, 1,000,000 full)")
    p.add_argument("--database-url", default=os.environ.get("BENCH_URL") or "",
                   help="postgresql://SUPERUSER@HOST/NAME (default: a local server, "
                        "procuracy_bench or procuracy_bench_N)")
    p.add_argument("--only", default=os.environ.get("BENCH_ONLY") or ",".join(NAMES),
                   help=f"comma-separated, of: {', '.join(NAMES)}")
    p.add_argument("--regenerate", action="store_true", help="build the database afresh")
    p.add_argument("--summary-only", action="store_true",
                   help="run nothing: summarise the last run's outputs again")
    args = p.parse_args(argv)
    args.cases = args.cases or (20_000 if args.scale == "small" else FULL)
    wanted = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(wanted) - set(NAMES)
    if unknown:
        p.error(f"unknown scenario(s) {sorted(unknown)}; known: {', '.join(NAMES)}")
    args.only = wanted
    if not args.database_url:
        admin = subprocess.run([str(ROOT / "scripts" / "pg_admin_url.sh")], capture_output=True,
                               text=True, check=False).stdout.strip()
        if not admin:
            p.error("no PostgreSQL answers on localhost: give --database-url (BENCH_URL)")
        name = "procuracy_bench" if args.cases == FULL else f"procuracy_bench_{args.cases}"
        args.database_url = admin.rsplit("/", 1)[0] + "/" + name
    return args


# ---------------------------------------------------------------- the database
def existing_cases(url: str) -> int | None:
    """Cases in the bench database (as the superuser), None when it does not exist."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    target = make_url(url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(target.set(database="postgres"))
    try:
        with engine.connect() as conn:
            if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                               {"n": target.database}):
                return None
    finally:
        engine.dispose()
    engine = sa.create_engine(target)
    try:
        with engine.connect() as conn:
            if not conn.scalar(sa.text("SELECT to_regclass('public.cases') IS NOT NULL")):
                return 0
            return conn.scalar(sa.text("SELECT count(*) FROM cases"))
    finally:
        engine.dispose()


def ensure_database(args) -> int:
    cases = None if args.regenerate else existing_cases(args.database_url)
    base = [sys.executable, "-m", "bench.generate", "--database-url", args.database_url]
    if cases:
        print(f"reusing {args.database_url}: {cases:,} cases; migrations to head", flush=True)
        run(base + ["--migrate-only"])
        if abs(cases - args.cases) > args.cases // 10:
            print(f"  note: it holds {cases:,} cases, not {args.cases:,} "
                  "(--regenerate to build it again)", flush=True)
        return cases
    print(f"building {args.database_url} with {args.cases:,} cases", flush=True)
    run(base + ["--cases", str(args.cases), "--fresh"])
    return args.cases


def run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, cwd=ROOT, check=False)
    if done.returncode:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}")


# ---------------------------------------------------------------- the scenarios
def run_scenario(s: Scenario, args, out_dir: Path) -> tuple[int, str]:
    """The scenario in a child process writing under ``out_dir``: (exit code, its stdout)."""
    extra = s.small if args.scale == "small" else s.full
    argv = ["--database-url", args.database_url, *extra]  # bulletins: sub-command after it
    log = out_dir / f"{s.name}.md"
    cmd = [sys.executable, "-m", "bench.all", "--child", str(out_dir), s.module, *argv]
    print(f"\n== {s.name}: python -m {s.module} {' '.join(argv)}", flush=True)
    t0 = time.perf_counter()
    with log.open("w", encoding="utf-8") as fh:
        code = subprocess.run(cmd, cwd=ROOT, stdout=fh, check=False).returncode
    status = f"FAILED (exit {code}), " if code else ""
    print(f"   {status}{time.perf_counter() - t0:.0f} s; output in {log.relative_to(ROOT)}",
          flush=True)
    return code, log.read_text("utf-8")


def child(out_dir: str, module: str, argv: list[str]) -> None:
    """Run ``module`` as ``__main__`` with its results going to ``out_dir``."""
    import bench.common
    import bench.report

    # The module runs afresh as __main__, so its own ``from bench.common import OUT``
    # reads the patched value; bench.report was imported already and is patched too.
    bench.common.OUT = bench.report.OUT = Path(out_dir)
    sys.argv = [module, *argv]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


# ---------------------------------------------------------------- ratios
RATIO = re.compile(r"^[\d,.]+×$")
NOTE = re.compile(r"^[^|].*÷.*[\d.]+×\.?$")  # a ratio said in a sentence, e.g. 4b's


def ratio_tables(markdown: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of every Markdown table that has ratio columns (cells
    ending in ×): the first two columns name the row, then the first column of
    milliseconds (the measurement), then the ratio columns."""
    found, title, lines = [], "", markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("**"):
            title = line.strip("*").split("**")[0]
        if line.startswith("|") and i + 1 < len(lines) and set(lines[i + 1].strip()) <= set("|-: "):
            header = [c.strip() for c in line.strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            cols = [j for j in range(len(header))
                    if sum(1 for r in rows if j < len(r) and RATIO.match(r[j])) * 2 >= len(rows)
                    and any(j < len(r) and RATIO.match(r[j]) for r in rows)]
            if cols:
                timed = [j for j in range(2, len(header)) if " ms" in f" {header[j]}"][:1]
                keep = [0, 1] + timed + [j for j in cols if j > 1]
                found.append((title, [header[j] for j in keep],
                              [[r[j] if j < len(r) else "" for j in keep] for r in rows]))
            continue
        i += 1
    return found


def bulletin_ratios(out_dir: Path) -> list[tuple[str, list[str], list[list[str]]]]:
    import json

    rows = []
    for path in sorted(out_dir.glob("bulletin-split-*.json")):
        d = json.loads(path.read_text("utf-8"))
        med = d["median_ms"]
        rows.append([d["unit"], f"{d['pages']} pages, {d['subsetter']}",
                     f"{med['gather']:,.0f} + {med['html']:,.0f} / {med['pdf']:,.0f}",
                     f"{d['overhead_over_weasyprint']:.3f}×"])
    header = ["unit", "bulletin", "gather + HTML / WeasyPrint ms", "(gather + HTML) / WeasyPrint"]
    return [("Bulletin: gathering and HTML against WeasyPrint alone", header, rows)] if rows else []


def as_markdown(title: str, header: list[str], rows: list[list[str]]) -> str:
    out = [f"**{title}**", "", "| " + " | ".join(header) + " |",
           "| " + " | ".join(["---", "---"] + ["---:"] * (len(header) - 2)) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2], argv[3:])
        return
    args = parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M")
    load_before = os.getloadavg()[0]
    cases = existing_cases(args.database_url) if args.summary_only else ensure_database(args)
    out_dir = OUT / f"all-{args.database_url.rsplit('/', 1)[1]}"
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = [f"# make bench, {started}: {args.scale} scale, {cases or 0:,} cases "
             f"({args.database_url}); load average {load_before:.1f} before"]
    failed: list[str] = []
    for s in SCENARIOS:
        if s.name not in args.only:
            continue
        if args.summary_only:
            log = out_dir / f"{s.name}.md"
            code, text = 0, log.read_text("utf-8") if log.exists() else ""
        else:
            code, text = run_scenario(s, args, out_dir)
        if code:  # the others still run; the command fails at the end
            failed.append(s.name)
            parts.append(f"## {s.name}\n\nFAILED (exit {code}): the error is above, the"
                         f" output in {s.name}.md")
            continue
        tables = bulletin_ratios(out_dir) if s.name == "bulletin" else ratio_tables(text)
        notes = [line for line in text.splitlines() if NOTE.match(line)]
        parts.append(f"## {s.name}\n\n" + "\n\n".join([as_markdown(*t) for t in tables]
                                                         + notes))
    parts.append(f"Load average {os.getloadavg()[0]:.1f} after. Full tables: "
                 f"{out_dir.relative_to(ROOT)}/*.md; raw figures: *.json beside them.")
    summary = "\n\n".join(parts) + "\n"
    (out_dir / "summary.md").write_text(summary, "utf-8")
    print("\n" + summary)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
