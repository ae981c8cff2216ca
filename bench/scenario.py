"""What the scenario benchmarks after scenario 1 share: their arguments, the run's
header (date, machine, load average before and after) and the results table with
the statements per call beside the times.

A scenario module builds ``Result`` rows (``bench.scope_scenarios``: the call,
its baselines, the statements it sent) and hands them to ``results_table``;
``Run`` keeps the run's metadata and writes its block of docs/PERFORMANCE.md.
"""
from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import PASSWORD, target_for
from bench.report import machine, replace_block, save_json, server_version, table
from bench.timing import Stats, ratio


def arguments(prog: str, doc: str, repeat: int = 20) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    p.add_argument("--database-url", required=True,
                   help="postgresql://SUPERUSER@HOST/NAME (a database from bench.generate)")
    p.add_argument("--repeat", type=int, default=repeat, help="timed repetitions per measurement")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--budget", type=float, default=8.0,
                   help="seconds one measurement may take before it stops early (min. 3 runs)")
    p.add_argument("--password", default=PASSWORD)
    p.add_argument("--write", type=Path, help="put the tables in this Markdown file")
    return p


@dataclass
class Run:
    """One run of a scenario: its command line, target, timing and load average."""

    key: str  # the document block: bench:KEY
    command: str
    args: argparse.Namespace
    started: float = field(default_factory=time.perf_counter)
    load_before: float = field(default_factory=lambda: os.getloadavg()[0])

    def __post_init__(self) -> None:
        self.target = target_for(self.args.database_url)

    def meta(self) -> dict:
        m = machine()
        return {"date": time.strftime("%Y-%m-%d"), "command": self.command,
                "server": server_version(self.target), "machine": m,
                "seconds": time.perf_counter() - self.started, "load_before": self.load_before,
                "load_after": os.getloadavg()[0], "repeat": self.args.repeat,
                "budget": self.args.budget}

    def header(self, meta: dict) -> str:
        m = meta["machine"]
        return (f"Run {meta['date']} on {meta['server']}, {m['nproc']} cores (shared),"
                f" {m['memory_gib']} GiB, {m['cpu']}, Python {m['python']}: `{meta['command']}`."
                f" Times in milliseconds, median / p95 of {meta['repeat']} runs (n=... where a"
                f" slow one stopped after {meta['budget']:.0f} s); {meta['seconds']:.0f} s in"
                f" all; load average {meta['load_before']:.1f} before,"
                f" {meta['load_after']:.1f} after.")

    def finish(self, text: str, data: dict) -> str:
        """Save the JSON, write the block (with ``--write``), return the block's text."""
        meta = self.meta()
        block = self.header(meta) + "\n\n" + text
        save_json(self.key.replace(":", "-"), {"meta": meta, **data})
        if self.args.write:
            replace_block(self.args.write, self.key, block)
        return block


def cell(s: Stats | None, repeat: int) -> str:
    if s is None:
        return ""
    early = f" (n={s.n})" if s.n < repeat else ""
    return f"{s.median_ms:,.1f} / {s.p95_ms:,.1f}{early}"


def times(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}×"


def short(user: str) -> str:
    return user.split("1@")[0] + "@" + user.split("@")[1] if "1@" in user else user


def results_table(results, repeat: int, total_label: str = "matching") -> str:
    """user, what, rows (and total), statements, ms of the call and its baselines, ratios."""
    return table(
        ("user", "what", f"rows ({total_label})", "statements", "scoped ms (median / p95)",
         "unscoped ms", "raw SQL ms", "scoped/unscoped", "scoped/raw"),
        [(short(r.user), r.what,
          f"{r.scoped.rows}" + (f" ({r.extra['total']:,})" if "total" in r.extra else "")
          + (f"; unscoped {r.unscoped.rows}" if r.unscoped and r.unscoped.rows != r.scoped.rows
             else ""),
          r.statements, cell(r.scoped, repeat), cell(r.unscoped, repeat),
          cell(r.raw, repeat), times(ratio(r.scoped, r.unscoped)), times(ratio(r.scoped, r.raw)))
         for r in results], "llrrrrrrr")


def as_json(results) -> list[dict]:
    return [{"scenario": r.scenario, "user": r.user, "what": r.what,
             "statements": r.statements, "scoped": r.scoped.as_dict(),
             "unscoped": r.unscoped and r.unscoped.as_dict(),
             "raw": r.raw and r.raw.as_dict(),
             "extra": {k: v for k, v in r.extra.items() if k != "sql"}} for r in results]
