"""Runs of ``bench.scope_bench`` side by side (scoped medians, in ms), e.g. before and
after an experiment of ``bench.experiments``:

    python -m bench.compare bench/out/scope-postgresql.json \\
        bench/out/scope-postgresql-jit-off.json --names "as migrated,jit off" \\
        [--only b,c,f] [--write docs/PERFORMANCE.md --key KEY]

Rows are matched on (section, user, what); section 1f contributes its app-role
figures. Only rows present in every run are shown; the last column is the last
run over the first.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.report import table


def _rows(run: dict) -> dict[tuple[str, str, str], float]:
    out = {(r["scenario"], r["user"], r["what"]): r["scoped"]["median_ms"]
           for r in run["results"]}
    out.update({("f", r["user"], f"{r['what']}, raw SQL as the app role"):
                r["by_role"]["app"]["median_ms"] for r in run.get("rls", [])})
    return out


def render(runs: list[dict], names: list[str], sections: str = "") -> str:
    measured = [_rows(run) for run in runs]
    first = measured[0]
    keys = [k for k in first if all(k in m for m in measured[1:])
            and (not sections or k[0] in sections)]
    rows = []
    for key in keys:
        section, user, what = key
        values = [m[key] for m in measured]
        rows.append((section, user.replace("1@", "@"), what, *(f"{v:,.1f}" for v in values),
                     f"{values[-1] / values[0]:.3f}×" if values[0] else ""))
    return table(("§", "user", "what", *(f"{n} ms" for n in names), "last/first"), rows,
                 "lll" + "r" * (len(names) + 1))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n")[0])
    p.add_argument("runs", type=Path, nargs="+", help="scope-*.json files, oldest first")
    p.add_argument("--names", help="column names, comma-separated (default: file names)")
    p.add_argument("--only", default="", help="sections to show, e.g. 'bcf'")
    p.add_argument("--write", type=Path)
    p.add_argument("--key", default="compare")
    args = p.parse_args(argv)
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in args.runs]
    names = args.names.split(",") if args.names else [path.stem for path in args.runs]
    if len(names) != len(runs):
        raise SystemExit("--names: one name per run")
    text = render(runs, names, args.only)
    print(text)
    if args.write:
        from bench.report import replace_block

        replace_block(args.write, args.key, text)


if __name__ == "__main__":
    main()
