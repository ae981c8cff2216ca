"""Scenario 4 (issue 4): a period's scores, per unit and for the whole province.

    python -m bench.scoring --database-url postgresql://postgres@localhost/procuracy_bench \\
        [--period 2026-10] [--repeat 5] [--write docs/PERFORMANCE.md]

(a) ``appraisal.scoring.compute`` of one month for a unit's prosecutors under the
province's published template (``demo_rules``: 17 indicators) and, for 海珠,
under its own version (18), as the unit's case manager (an official run, which
replaces the previous unpublished one); baselines, taking turns with it: the
raw replay of the SELECTs ``compute`` sent (same SQL, same RLS, psycopg alone)
and one hand-written aggregate of the case indicators (``FILTER`` clauses, one
pass) as the app role. Statements: ``ScoreRun.statements`` (what ``compute``
counts itself) and everything the call sent, for units of different sizes, to
check that the count does not grow with the number of people.
(b) The whole province: ``compute`` for every unit of 广东 with prosecutors, as a
job would run it (the system scope), once; baseline: the same hand-written
aggregate over the province's cases, as the app role under the system scope
(RLS with ``procuracy.all = on``) and as the superuser (no RLS).
"""
from __future__ import annotations

import os
import time

import sqlalchemy as sa

from bench.common import make_app
from bench.rawsql import Replayer
from bench.report import table
from bench.scenario import Run, arguments, cell, times
from bench.timing import Recorder, Stats, measure, measure_together, ratio

UNITS = ("440105", "441825", "440106", "445224")  # 海珠; the busiest, a small, the quietest
PROVINCE_TEMPLATE = "粤员额检察官月度考评模板"
HAIZHU_RULES = "海珠区院员额检察官月度考评办法"
ASSISTANT_TEMPLATE = "粤检察官助理月度考评模板"
AGGREGATE = """
SELECT c.handler_id,
       count(*) FILTER (WHERE c.closed_on BETWEEN %(start)s AND %(end)s),
       sum(c.weight) FILTER (WHERE c.closed_on BETWEEN %(start)s AND %(end)s),
       count(*) FILTER (WHERE c.received_on BETWEEN %(start)s AND %(end)s),
       count(*) FILTER (WHERE c.closed_on BETWEEN %(start)s AND %(end)s
                          AND c.kind_code = ANY(%(prosecution)s)),
       array_agg(c.id ORDER BY c.id)
FROM cases c
WHERE c.unit_id = ANY(%(units)s)
  AND (c.closed_on BETWEEN %(start)s AND %(end)s OR c.received_on BETWEEN %(start)s AND %(end)s)
  AND c.handler_id IN (
      SELECT u.id FROM users u WHERE u.unit_id = ANY(%(units)s) AND u.active
        AND (u.holds_quota OR u.id IN (SELECT r.user_id FROM user_roles r
                                       WHERE r.role = 'prosecutor')))
GROUP BY c.handler_id"""
SYSTEM_CONFIG = "SELECT set_config('procuracy.all', 'on', true)"


def scored(session, run_id: int) -> int:
    """The people a run scored (the bench's own statement, left out of the counts)."""
    from procuracy.appraisal.score_models import Score

    return session.scalar(sa.select(sa.func.count(Score.id)).where(Score.run_id == run_id))


class Scoring:
    """Inside an app context on the bench database, as the app role."""

    def __init__(self, target, args) -> None:
        from procuracy.appraisal.rule_models import RuleSet
        from procuracy.appraisal.rules import parse_period
        from procuracy.extensions import db
        from procuracy.tenants.scope import system_scope

        self.db, self.target, self.args = db, target, args
        self.period = parse_period(args.period)
        with system_scope("bench: rule sets"):
            self.rule_sets = {rs.name: rs.id for rs in db.session.scalars(sa.select(RuleSet))}
            self.prosecution = sorted({"prosecution_review", "审查起诉"})
        db.session.close()
        self.raw = Replayer(target, "app")

    def params(self, unit_ids: list[int]) -> dict:
        return {"start": self.period.start, "end": self.period.end, "units": unit_ids,
                "prosecution": self.prosecution}

    def compute_call(self, code: str, rule_set: str):
        """A request-shaped compute as ``casemanager1@code``: (call, unit id)."""
        from bench.common import load_user
        from procuracy.appraisal.rule_models import RuleSet
        from procuracy.appraisal.scoring import compute
        from procuracy.tenants.models import Unit, User
        from procuracy.tenants.scope import READS_KEY, scope_for_user, set_scope

        session = self.db.session
        user = load_user(f"casemanager1@{code}")
        scope, user_id, unit_id = scope_for_user(session, user), user.id, user.unit_id
        session.close()
        holder: dict = {}

        def call():
            set_scope(session, scope)
            actor = session.get(User, user_id)
            run = compute(session.get(Unit, unit_id), session.get(RuleSet, self.rule_sets[rule_set]),
                          self.args.period, "official", actor)
            holder["statements"] = run.statements
            holder["people"] = scored(session, run.id)
            session.info.pop(READS_KEY, None)
            session.close()
            set_scope(session, None)
            return holder["people"]

        return call, holder, unit_id

    def per_unit(self, code: str, rule_set: str) -> dict:
        call, holder, unit_id = self.compute_call(code, rule_set)
        with Recorder(self.db.engine) as rec:
            call()
        reads = [(s, p) for s, p in rec.statements
                 if s.lstrip().upper().startswith("SELECT") and "count(scores.id)" not in s]
        aggregate = [(SYSTEM_CONFIG, None), (AGGREGATE, self.params([unit_id]))]
        stats = measure_together([call, self.raw.call(reads), self.raw.call(aggregate)],
                                 self.args.repeat, 1, self.args.budget)
        sent = rec.count - 1  # less the bench's own count of the scores
        print(f"  a {code} {rule_set[:6]} {stats[0].median_ms:9.1f} ms  people={holder['people']}"
              f"  compute counted {holder['statements']}, sent {sent}", flush=True)
        return {"unit": code, "rule_set": rule_set, "people": holder["people"],
                "counted": holder["statements"], "sent": sent, "reads": len(reads),
                "app": stats[0], "replay": stats[1], "aggregate": stats[2]}

    def province(self) -> dict:
        """Every 广东 unit with prosecutors, as the system: one pass, timed per unit."""
        from procuracy.appraisal.rule_models import RuleSet
        from procuracy.appraisal.scoring import audience_people, compute
        from procuracy.tenants.models import Unit
        from procuracy.tenants.scope import system_scope

        session = self.db.session
        with system_scope("bench: units"):
            units = [(u.id, u.code) for u in session.scalars(
                sa.select(Unit).where(Unit.code.like("44%")).order_by(Unit.code))]
            units = [(i, c) for i, c in units if audience_people(i, "prosecutor")[0]]
        session.close()
        rs_id = self.rule_sets[PROVINCE_TEMPLATE]
        load_before = os.getloadavg()[0]
        counted, people, per_unit = [], 0, []
        with Recorder(self.db.engine) as rec:
            t0 = time.perf_counter()
            for unit_id, code in units:
                t = time.perf_counter()
                with system_scope(f"bench: the province's scores ({code})"):
                    run = compute(session.get(Unit, unit_id), session.get(RuleSet, rs_id),
                                  self.args.period, "official", None)
                    counted.append(run.statements)
                    people += scored(session, run.id)
                session.close()
                per_unit.append(time.perf_counter() - t)
            total = time.perf_counter() - t0
        sent = rec.count - len(units)
        load_after = os.getloadavg()[0]
        ids = [i for i, _ in units]
        aggregate = [(SYSTEM_CONFIG, None), (AGGREGATE, self.params(ids))]
        admin = Replayer(self.target, "admin")
        try:
            app_agg, admin_agg = measure_together(
                [self.raw.call(aggregate), admin.call([(AGGREGATE, self.params(ids))])],
                self.args.repeat, 1, self.args.budget)
        finally:
            admin.close()
        per_unit.sort()
        print(f"  b province: {len(units)} units, {people} people, {total:.1f} s,"
              f" {sent} statements", flush=True)
        return {"units": len(units), "people": people, "total_s": total, "sent": sent,
                "counted": sum(counted), "counted_min": min(counted),
                "counted_max": max(counted), "unit_median_ms": per_unit[len(per_unit) // 2] * 1e3,
                "unit_max_ms": per_unit[-1] * 1e3, "load": (load_before, load_after),
                "aggregate_app": app_agg, "aggregate_admin": admin_agg}


def render(units: list[dict], prov: dict, repeat: int) -> str:
    rows = [(r["unit"], r["rule_set"], r["people"], r["counted"], r["sent"], cell(r["app"], repeat),
             cell(r["replay"], repeat), cell(r["aggregate"], repeat),
             times(ratio(r["app"], r["replay"])), times(ratio(r["app"], r["aggregate"])))
            for r in units]
    agg_app: Stats = prov["aggregate_app"]
    return "\n\n".join([
        "**4a. One unit's month (`scoring.compute`, official run, as the unit's case manager)**",
        table(("unit", "rule set", "people", "statements (compute's count)",
               "statements sent", "compute ms (median / p95)", "raw replay of its SELECTs ms",
               "one raw aggregate ms", "compute/replay", "compute/aggregate"), rows,
              "llrrrrrrrr"),
        f"**4b. The whole province: {prov['units']} units of 广东, {prov['people']:,} people,"
        f" one pass as the system** (load average {prov['load'][0]:.1f} →"
        f" {prov['load'][1]:.1f})",
        table(("what", "time", "statements"), [
            ("`compute` for every unit, one after the other",
             f"{prov['total_s']:.1f} s (per unit: median {prov['unit_median_ms']:.0f} ms,"
             f" max {prov['unit_max_ms']:.0f} ms)",
             f"{prov['sent']:,} sent; compute's count {prov['counted']:,}"
             f" ({prov['counted_min']}–{prov['counted_max']} per unit)"),
            ("baseline: one raw aggregate over the province, app role, `procuracy.all = on`",
             f"{cell(agg_app, repeat)} ms", 2),
            ("baseline: the same aggregate as the superuser (no RLS)",
             f"{cell(prov['aggregate_admin'], repeat)} ms", 1),
        ], "lrr"),
        f"Province pass ÷ raw aggregate (app role): {prov['total_s'] * 1e3 / agg_app.median_ms:.0f}×.",
    ])


def main(argv: list[str] | None = None) -> None:
    p = arguments("python -m bench.scoring", __doc__, repeat=5)
    p.add_argument("--period", default="2026-10")
    p.add_argument("--units", default=",".join(UNITS))
    p.add_argument("--no-province", action="store_true")
    args = p.parse_args(argv)
    run = Run("scoring:postgresql", f"python -m bench.scoring --database-url"
              f" {args.database_url} --period {args.period} --repeat {args.repeat}", args)
    app = make_app(run.target.app_url)
    with app.app_context():
        bench = Scoring(run.target, args)
        results = [bench.per_unit(code, PROVINCE_TEMPLATE) for code in args.units.split(",")]
        results.append(bench.per_unit("440105", HAIZHU_RULES))
        results.append(bench.per_unit("440105", ASSISTANT_TEMPLATE))
        prov = None if args.no_province else bench.province()
        bench.raw.close()
        bench.db.session.remove()
        bench.db.engine.dispose()
    if prov is None:
        text = render(results, {"units": 0, "people": 0, "total_s": 0, "sent": 0, "counted": 0,
                                "counted_min": 0, "counted_max": 0, "unit_median_ms": 0,
                                "unit_max_ms": 0, "load": (0, 0),
                                "aggregate_app": measure(lambda: 0, 1, 0),
                                "aggregate_admin": measure(lambda: 0, 1, 0)}, args.repeat)
    else:
        text = render(results, prov, args.repeat)
    as_dict = [{k: (v.as_dict() if isinstance(v, Stats) else v) for k, v in r.items()}
               for r in results]
    prov_dict = prov and {k: (v.as_dict() if isinstance(v, Stats) else v) for k, v in prov.items()}
    print(run.finish(text, {"units": as_dict, "province": prov_dict}))


if __name__ == "__main__":
    main()
