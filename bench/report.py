"""Putting results on paper: the machine, Markdown tables, generated blocks of a document.

A benchmark owns the text between ``<!-- bench:KEY -->`` and ``<!-- /bench:KEY -->``
in docs/PERFORMANCE.md and rewrites only that; the prose around it is written by
hand and survives reruns. A key not yet in the document is appended at its end.
"""
from __future__ import annotations

import json
import os
import platform
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bench.common import OUT, Target


def machine() -> dict:
    """nproc, memory, CPU model, Python and SQLite versions."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "memory_gib": round(mem_gib, 1), "cpu": cpu,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}


def server_version(target: Target) -> str:
    if not target.postgres:
        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(target.libpq("admin")) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]


def table(headers: Sequence[str], rows: Sequence[Sequence], align: str = "") -> str:
    """A Markdown table; ``align`` is one letter per column (l or r), default left."""
    align = align or "l" * len(headers)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def replace_block(path: Path, key: str, text: str) -> None:
    """Rewrite the generated block ``key`` of ``path`` (append it if absent)."""
    begin, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    doc = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(doc):
        doc = pattern.sub(lambda _m: block, doc, count=1)
    else:
        doc = doc.rstrip() + ("\n\n" if doc else "") + block + "\n"
    path.write_text(doc, encoding="utf-8")


def save_json(name: str, data: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), "utf-8")
    return path
