"""Scenario 3 (issue 3): 10,000 cases drawn through the rotation engine in one group.

    python -m bench.assignments --database-url postgresql://postgres@localhost/procuracy_bench \\
        [--draws 10000] [--write docs/PERFORMANCE.md]

Set-up (as the superuser): ``--draws`` new open cases without a handler in 海珠
440105 (numbers ``BENCH-DRAW-n``; any earlier ones and their draws, steps and
participants are deleted first, and the group's loads set back to 0). Then:

(a) request-shaped draws, one case after the other, as ``casemanager1@440105``:
the scope set, the case read by public id (``get_or_404``), the group read, then
``rotation.draw`` (which commits); time per draw (whole and ``draw()`` alone) and
statements per draw, over all the draws;
(b) baseline: the pure selection logic (``assignment.case_weight``, ``pick`` and
the load update) over the same pools, without the database;
(c) baseline: the rows the draws wrote (case handler, draw, participant, step,
members' loads), written again with psycopg alone as the app role after a reset,
one transaction per draw (same RLS, no SQLAlchemy);
(d) ``replay.replay_month`` of the month that holds the draws, and the pure replay.
Draws run one after the other, so (a), (b) and (c) do not take turns: the load
average is noted before and after each.
"""
from __future__ import annotations

import os
import statistics
import time

from bench.assignment_baselines import pure, pure_inputs, raw_replay
from bench.common import make_app
from bench.report import table
from bench.scenario import Run, arguments
from bench.timing import Recorder, Stats, measure, summarize

UNIT = "440105"
ACTOR = "casemanager1@440105"
PREFIX = "BENCH-DRAW-"


def stats(samples: list[float]) -> Stats:
    s = sorted(samples)
    p95 = s[max(0, int(0.95 * len(s) + 0.999999) - 1)]
    return Stats(len(s), statistics.median(s) * 1e3, p95 * 1e3, s[0] * 1e3)


# ---------------------------------------------------------------- set-up, as the superuser
def reset(admin_dsn: str, draws: int | None) -> None:
    """Delete the bench's draw cases (and what hangs on them), zero the group's loads;
    with ``draws``, insert that many fresh open cases without a handler."""
    import psycopg

    with psycopg.connect(admin_dsn) as conn:
        unit = conn.execute("SELECT id FROM units WHERE code = %s", (UNIT,)).fetchone()[0]
        ids = "SELECT id FROM cases WHERE number LIKE %s"
        referencing = conn.execute(
            "SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"
            " AND confrelid = 'cases'::regclass").fetchall()
        for (name,) in referencing:
            conn.execute(f"DELETE FROM {name} WHERE case_id IN ({ids})", (PREFIX + "%",))
        conn.execute(f"DELETE FROM cases WHERE id IN ({ids})", (PREFIX + "%",))
        conn.execute("UPDATE rotation_members SET load = 0, cases = 0 WHERE unit_id = %s", (unit,))
        if draws:
            department = conn.execute("SELECT id FROM departments WHERE unit_id = %s AND"
                                      " kind = 'criminal'", (unit,)).fetchone()[0]
            conn.execute("""
                INSERT INTO cases (public_id, number, title, kind_code, kind_id, department_id,
                    received_on, status, suspects_count, major, detained, juvenile, unit_id,
                    created_at, updated_at)
                SELECT substr(md5('bench-draw-' || n), 1, 16), %(prefix)s || n,
                       '轮案测试案' || n, k.code, k.id, %(dep)s,
                       date '2026-11-01' + (n * 22 / %(n)s), 'open', 1 + (n * 7 %% 5),
                       n %% 10 = 0, n %% 3 = 0, n %% 20 = 0, %(unit)s, now(), now()
                FROM generate_series(1, %(n)s) AS n
                JOIN case_kinds k ON k.code = CASE WHEN n %% 2 = 0 THEN 'prosecution_review'
                                                   ELSE 'arrest_review' END
                                 AND k.id = (SELECT min(id) FROM case_kinds WHERE code = k.code)""",
                         {"prefix": PREFIX, "dep": department, "n": draws, "unit": unit})
        conn.commit()
        with psycopg.connect(admin_dsn, autocommit=True) as c2:
            for name in ("cases", "case_participants", "assignment_draws", "case_steps",
                         "rotation_members"):
                c2.execute(f"ANALYZE {name}")


def undo_draws(admin_dsn: str) -> None:
    """The bench cases back to unassigned (no draw, step, participant, nor anything else
    a draw wrote about them, e.g. the monitoring hook's alerts; loads 0)."""
    import psycopg

    with psycopg.connect(admin_dsn) as conn:
        ids = "SELECT id FROM cases WHERE number LIKE %s"
        referencing = conn.execute(
            "SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"
            " AND confrelid = 'cases'::regclass").fetchall()
        for (name,) in referencing:
            conn.execute(f"DELETE FROM {name} WHERE case_id IN ({ids})", (PREFIX + "%",))
        conn.execute("UPDATE cases SET handler_id = NULL, weight = 1.0 WHERE number LIKE %s",
                     (PREFIX + "%",))
        conn.execute("UPDATE rotation_members SET load = 0, cases = 0 WHERE unit_id ="
                     " (SELECT id FROM units WHERE code = %s)", (UNIT,))


# ---------------------------------------------------------------- (a) through the app
class Draws:
    """Runs inside an app context as ``ACTOR``; keeps per-draw timings and statements."""

    def __init__(self) -> None:
        import sqlalchemy as sa

        from bench.common import load_user
        from procuracy.cases.assignment_models import RotationGroup
        from procuracy.cases.models import Case
        from procuracy.extensions import db
        from procuracy.tenants.scope import scope_for_user, system_scope

        self.db = db
        user = load_user(ACTOR)
        self.actor_id = user.id
        self.scope = scope_for_user(db.session, user)
        with system_scope("bench: the draw cases"):
            self.cases = db.session.execute(
                sa.select(Case.public_id, Case.suspects_count, Case.kind_code)
                .where(Case.number.like(PREFIX + "%")).order_by(Case.id)).all()
            self.group_id = db.session.scalars(sa.select(RotationGroup.id).where(
                RotationGroup.unit_id == user.unit_id)).one()
        db.session.close()
        self.whole: list[float] = []
        self.draw_only: list[float] = []
        self.counts: list[int] = []
        self.draw_counts: list[int] = []
        self.sql: list[list] = []  # the statements each draw() sent, for the raw replay

    def one(self, public_id: str) -> None:
        from procuracy.cases import rotation
        from procuracy.cases.assignment_models import RotationGroup
        from procuracy.cases.models import Case
        from procuracy.tenants.models import User
        from procuracy.tenants.scope import READS_KEY, get_or_404, set_scope

        session = self.db.session
        with Recorder(self.db.engine) as rec:
            t0 = time.perf_counter()
            set_scope(session, self.scope)
            actor = session.get(User, self.actor_id)
            actor.role_names  # noqa: B018  (a request has its user's roles loaded)
            case = get_or_404(session, Case, public_id=public_id)
            group = session.get(RotationGroup, self.group_id)
            before = rec.count
            t1 = time.perf_counter()
            rotation.draw(case, group, actor)
            t2 = time.perf_counter()
            session.info.pop(READS_KEY, None)
            session.close()
        self.whole.append(time.perf_counter() - t0)
        self.draw_only.append(t2 - t1)
        self.counts.append(rec.count)
        self.draw_counts.append(rec.count - before)
        self.sql.append(rec.statements[before:])
        self.last = list(rec.statements)

    def kinds(self, whole: bool = False) -> dict[str, int]:
        out: dict[str, int] = {}
        for s, _ in (self.last if whole else self.sql[-1]):
            out[summarize(s)] = out.get(summarize(s), 0) + 1
        return out


# ---------------------------------------------------------------- (d) a month's replay
def month_replay(repeat: int, budget: float) -> tuple[Stats, int, Stats, int]:
    """``replay_month`` of this month (the draws' month): time, statements; and the
    pure re-derivation of the same draws."""
    import sqlalchemy as sa

    from procuracy.cases import assignment as engine
    from procuracy.cases.assignment_models import AssignmentDraw
    from procuracy.cases.calendar import china_today
    from procuracy.cases.replay import replay_month
    from procuracy.extensions import db
    from procuracy.tenants.scope import system_scope

    month = china_today().strftime("%Y-%m")
    holder: dict = {}

    def call():
        with system_scope("bench: replay a month"):
            report = replay_month(UNIT, month)
        db.session.close()
        holder["lines"] = len(report.lines)
        holder["mismatch"] = report.mismatch
        return len(report.lines)

    with Recorder(db.engine) as rec:
        call()
    app_stats = measure(call, repeat, 1, budget)
    with system_scope("bench: draws for the pure replay"):
        rows = [(d.candidates, d.seed, d.chosen_id) for d in db.session.scalars(
            sa.select(AssignmentDraw).where(AssignmentDraw.seed != ""))]
    db.session.close()
    pure_stats = measure(lambda: sum(engine.replay(c, s, k).reproduced for c, s, k in rows),
                         repeat, 1, budget)
    if holder.get("mismatch") is not None:
        print(f"  replay mismatch: {holder['mismatch']}")
    return app_stats, rec.count, pure_stats, holder["lines"]


def render(n: int, parts: dict) -> str:
    from bench.scenario import cell

    d, p, r = parts["draws"], parts["pure"], parts["raw"]
    rows = [
        ("request-shaped draw (scope, user, case by public id, group, `draw()`)",
         cell(d["whole"], n), f"{d['whole_total']:.1f} s", d["statements"], "1.00×"),
        ("`rotation.draw()` alone", cell(d["draw"], n), f"{d['draw_total']:.1f} s",
         d["draw_statements"], f"{d['draw'].median_ms / d['whole'].median_ms:.2f}×"),
        ("baseline: the engine alone (weight, pool, pick, load), no database",
         f"{p['stats'].median_ms:.4f} / {p['stats'].p95_ms:.4f}", f"{p['total']:.2f} s", 0,
         f"{p['stats'].median_ms / d['whole'].median_ms:.5f}×"),
        ("baseline: the same statements but the audit trail's, psycopg, app role",
         cell(r["stats"], n), f"{r['total']:.1f} s", r["statements"],
         f"{r['stats'].median_ms / d['whole'].median_ms:.2f}×"),
    ]
    m = parts["month"]
    return "\n\n".join([
        f"**3a–c. {n:,} draws, one after the other, in 海珠's criminal rotation group"
        f" ({parts['members']} members)** (load average: ORM draws {parts['load']['draws']},"
        f" raw {parts['load']['raw']})",
        table(("what", "per draw ms (median / p95)", f"all {n:,}", "statements per draw",
               "÷ request-shaped"), rows, "lrrrr"),
        f"Statements of one `draw()`: {', '.join(f'{k} ×{v}' for k, v in d['kinds'].items())};"
        f" of the request-shaped draw: {', '.join(f'{k} ×{v}' for k, v in d['request_kinds'].items())}."
        f" Statements per draw over the {n:,} draws: min {d['min_statements']}, max"
        f" {d['max_statements']} (request-shaped); `draw()` alone min"
        f" {d['min_draw_statements']}, max {d['max_draw_statements']}. Per-draw median of"
        f" the first 1,000 draws {d['first'].median_ms:.1f} ms, of the last 1,000"
        f" {d['last'].median_ms:.1f} ms.",
        f"**3d. Replaying the month (`replay.replay_month('{UNIT}', this month)`,"
        f" {m['lines']:,} draws)**",
        table(("what", "ms (median / p95)", "statements", "per draw"), [
            ("`replay_month` (as the system)", cell(m["app"], 3), m["statements"],
             f"{m['app'].median_ms / max(m['lines'], 1):.3f} ms"),
            ("baseline: `assignment.replay` of the same draws, in memory", cell(m["pure"], 3),
             0, f"{m['pure'].median_ms / max(m['lines'], 1):.4f} ms"),
        ], "lrrr"),
    ])


def main(argv: list[str] | None = None) -> None:
    p = arguments("python -m bench.assignments", __doc__, repeat=3)
    p.add_argument("--draws", type=int, default=10_000)
    args = p.parse_args(argv)
    run = Run("assignments:postgresql", "python -m bench.assignments --database-url"
              f" {args.database_url} --draws {args.draws}", args)
    admin = run.target.libpq("admin")
    reset(admin, args.draws)
    app = make_app(run.target.app_url)
    load = {}
    with app.app_context():
        draws = Draws()
        members, rules, weights = pure_inputs(draws)
        load_before = os.getloadavg()[0]
        for i, (public_id, _s, _k) in enumerate(draws.cases, 1):
            draws.one(public_id)
            if i % 500 == 0:
                print(f"  {i:>6,} draws  median {statistics.median(draws.whole) * 1e3:7.1f} ms"
                      f"  {draws.counts[-1]} statements", flush=True)
        load["draws"] = f"{load_before:.1f} → {os.getloadavg()[0]:.1f}"
        month = month_replay(args.repeat, args.budget)
        pure_samples = pure(draws.cases, members, rules, weights)
        undo_draws(admin)
        load_before = os.getloadavg()[0]
        raw_samples, raw_count = raw_replay(run.target.libpq("app"), draws.scope, draws.sql)
        load["raw"] = f"{load_before:.1f} → {os.getloadavg()[0]:.1f}"
        kinds, request_kinds = draws.kinds(), draws.kinds(whole=True)
        draws.db.session.remove()
        draws.db.engine.dispose()
    n = len(draws.whole)
    parts = {
        "members": len(members), "load": load,
        "draws": {"whole": stats(draws.whole), "draw": stats(draws.draw_only),
                  "whole_total": sum(draws.whole), "draw_total": sum(draws.draw_only),
                  "statements": statistics.median(draws.counts),
                  "draw_statements": statistics.median(draws.draw_counts),
                  "min_statements": min(draws.counts), "max_statements": max(draws.counts),
                  "min_draw_statements": min(draws.draw_counts),
                  "max_draw_statements": max(draws.draw_counts), "kinds": kinds,
                  "request_kinds": request_kinds,
                  "first": stats(draws.whole[:1000]), "last": stats(draws.whole[-1000:])},
        "pure": {"stats": stats(pure_samples), "total": sum(pure_samples)},
        "raw": {"stats": stats(raw_samples), "total": sum(raw_samples),
                "statements": raw_count},
        "month": {"app": month[0], "statements": month[1], "pure": month[2],
                  "lines": month[3]},
    }
    text = render(n, parts)
    print(run.finish(text, {"parts": parts}))


if __name__ == "__main__":
    main()
