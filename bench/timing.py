"""Timing repeated calls, and watching what SQL they send.

``measure_together`` runs calls a few times to warm up, then ``repeat`` times each,
taking turns (or until a time budget is spent), under ``time.perf_counter``, and
keeps the median and the 95th percentile (nearest rank) of each.
``Recorder`` counts and keeps every statement an engine sends
(``before_cursor_execute``), executemany counting once.
"""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

MIN_RUNS = 3  # a measurement that overruns its time budget still runs this often


@dataclass(frozen=True)
class Stats:
    n: int
    median_ms: float
    p95_ms: float
    min_ms: float
    rows: int | None = None  # what the call returned, when it says

    def as_dict(self) -> dict:
        return {"n": self.n, "median_ms": self.median_ms, "p95_ms": self.p95_ms,
                "min_ms": self.min_ms, "rows": self.rows}


def measure(call: Callable[[], int | None], repeat: int, warmup: int = 5,
            budget_s: float = 20.0) -> Stats:
    """Time ``call``: see ``measure_together``."""
    return measure_together([call], repeat, warmup, budget_s)[0]


def measure_together(calls: Sequence[Callable[[], int | None]], repeat: int, warmup: int = 5,
                     budget_s: float = 20.0) -> list[Stats]:
    """Time each of ``calls`` up to ``repeat`` times, taking turns (a, b, c, a, b, c ...)
    so that a measurement and its baselines see the same load on a shared machine.

    A call may return a row count (kept from its last run). Slow calls stop early
    once ``budget_s`` is spent (at least MIN_RUNS rounds; one warm-up round when a
    round takes over a second); ``Stats.n`` says how many ran.
    """
    rows: list[int | None] = [None] * len(calls)
    for i in range(warmup):
        t0 = time.perf_counter()
        for k, call in enumerate(calls):
            rows[k] = call()
        if i == 0 and time.perf_counter() - t0 > 1.0:
            break
    samples: list[list[float]] = [[] for _ in calls]
    spent = 0.0
    while len(samples[0]) < repeat and (spent < budget_s or len(samples[0]) < MIN_RUNS):
        for k, call in enumerate(calls):
            t0 = time.perf_counter()
            rows[k] = call()
            took = time.perf_counter() - t0
            samples[k].append(took)
            spent += took
    out = []
    for k, times in enumerate(samples):
        times.sort()
        p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)]
        out.append(Stats(len(times), statistics.median(times) * 1e3, p95 * 1e3,
                         times[0] * 1e3, rows[k]))
    return out


def ratio(a: Stats | None, b: Stats | None) -> float | None:
    if a is None or b is None or not b.median_ms:
        return None
    return a.median_ms / b.median_ms


@dataclass
class Recorder:
    """``with Recorder(engine) as rec: ...`` then ``rec.count``, ``rec.statements``."""

    engine: sa.Engine
    statements: list[tuple[str, object]] = field(default_factory=list)

    def _listen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append((statement, parameters))

    def __enter__(self) -> Recorder:
        self.statements.clear()
        sa.event.listen(self.engine, "before_cursor_execute", self._listen)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._listen)

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


def summarize(statement: str) -> str:
    """A statement in a few words: ``set_config``, ``SELECT cases``, ``INSERT audit_entries``."""
    text = " ".join(statement.split())
    if "set_config(" in text:
        return "set_config (scope to RLS)"
    verb = text.split(" ", 1)[0].upper()
    if verb == "SELECT" and " FROM " in text.upper():
        after = text[text.upper().index(" FROM ") + 6:].split()
        return f"SELECT {after[0] if after else '?'}"
    if verb in ("INSERT", "UPDATE", "DELETE"):
        words = text.split()
        name = words[2] if verb in ("INSERT", "DELETE") and len(words) > 2 else words[1]
        return f"{verb} {name}"
    return text[:40]
