"""Scenario 5 (issue 4): drawing a quality-review sample over a city's closed cases.

    python -m bench.sampling --database-url postgresql://postgres@localhost/procuracy_bench \\
        [--repeat 10] [--write docs/PERFORMANCE.md]

Set-up (as the superuser, idempotent): about 1.3 % of 广州's closed cases get a
must-review outcome (不起诉 every 97th case id, 撤回起诉 every 389th, 无罪 every
997th; the generator leaves ``outcome`` empty), and the bench's earlier plans
(named ``BENCH ...``) and their samples are deleted.

As ``casemanager1@440100``, for a plan over 440100 and its descendants, closed
in 2025 and in 2021–2025, 10 % at random plus every must-review case:
``review_plans.draw_sample`` (the population, the draw, the samples inserted,
committed; a fresh draft plan per run, created untimed) and ``replay_sample``;
baselines, taking turns with it: the same draw under the system scope, the raw
replay of its two population SELECTs, and raw SQL that draws and stores in one
statement (``INSERT ... SELECT ... ORDER BY random() LIMIT n`` plus the must-review
rows), and ``TABLESAMPLE SYSTEM (10)`` / ``BERNOULLI (10)`` with the same filters
(which sample the table before filtering, so they return about 10 % of the
population, not an exact count); the raw statements run as the app role under
the case manager's scope and are rolled back.
"""
from __future__ import annotations

from datetime import date

from bench.common import make_app
from bench.rawsql import Replayer
from bench.report import table
from bench.scenario import Run, arguments, cell, times
from bench.timing import Recorder, ratio, summarize

ACTOR = "casemanager1@440100"
CITY = "440100"
NAME = "BENCH 评查抽样"
OUTCOMES = (("not_prosecuted", 97), ("prosecution_withdrawn", 389), ("acquitted", 997))
PLANS = {"closed in 2025": (date(2025, 1, 1), date(2025, 12, 31)),
         "closed in 2021–2025": (date(2021, 1, 1), date(2025, 12, 31))}
WHERE = """c.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = %(city)s)
  AND c.status = 'closed' AND c.closed_on BETWEEN %(start)s AND %(end)s"""
MUST = "('acquitted','prosecution_withdrawn','not_prosecuted','protest_withdrawn','state_compensation')"


def prepare(admin_dsn: str) -> None:
    import psycopg

    with psycopg.connect(admin_dsn) as conn:
        plans = "SELECT id FROM review_plans WHERE name LIKE 'BENCH %%'"
        conn.execute(f"DELETE FROM review_samples WHERE plan_id IN ({plans})")
        conn.execute(f"DELETE FROM review_plans WHERE id IN ({plans})")
        for outcome, every in OUTCOMES:
            conn.execute("""UPDATE cases c SET outcome = %s WHERE c.id %% %s = 0
                AND c.status = 'closed' AND c.outcome = '' AND c.unit_id IN (
                SELECT descendant_id FROM unit_closure WHERE ancestor_id =
                (SELECT id FROM units WHERE code = %s))""", (outcome, every, CITY))
        conn.commit()
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute("ANALYZE cases")


class Sampling:
    def __init__(self, target, args) -> None:
        from bench.common import load_user
        from procuracy.extensions import db
        from procuracy.tenants.scope import scope_for_user

        self.db, self.args = db, args
        user = load_user(ACTOR)
        self.user_id, self.city = user.id, user.unit_id
        self.scope = scope_for_user(db.session, user)
        db.session.close()
        self.raw = Replayer(target, "app")
        self.checklist = 1  # the province's published checklist

    def _plan(self, start: date, end: date):
        from procuracy.appraisal import review_plans
        from procuracy.tenants.models import User
        from procuracy.tenants.scope import set_scope

        session = self.db.session
        set_scope(session, self.scope)
        actor = session.get(User, self.user_id)
        plan = review_plans.create_plan(
            actor, name=f"{NAME} {start:%Y}–{end:%Y}", checklist_id=self.checklist,
            units=[CITY], with_descendants=True, date_from=start, date_to=end,
            sample_mode="rate", sample_value=0.1)
        plan_id = plan.id
        session.close()
        return plan_id

    def draw(self, plan_id: int, scope=None) -> int:
        """A request-shaped draw of a draft plan: scope, user, plan, ``draw_sample``."""
        from procuracy.appraisal import review_plans
        from procuracy.appraisal.review_models import ReviewPlan
        from procuracy.tenants.models import User
        from procuracy.tenants.scope import READS_KEY, set_scope

        session = self.db.session
        set_scope(session, scope or self.scope)
        actor = session.get(User, self.user_id)
        samples = review_plans.draw_sample(session.get(ReviewPlan, plan_id), actor)
        session.info.pop(READS_KEY, None)
        session.close()
        set_scope(session, None)
        return len(samples)

    def replay_call(self, plan_id: int):
        from procuracy.appraisal import review_plans
        from procuracy.appraisal.review_models import ReviewPlan
        from procuracy.tenants.scope import READS_KEY, set_scope

        session = self.db.session

        def call():
            set_scope(session, self.scope)
            out = review_plans.replay_sample(session.get(ReviewPlan, plan_id))
            session.info.pop(READS_KEY, None)
            session.close()
            set_scope(session, None)
            return len(out["drawn"])

        return call


def raw_statements(city: int, start: date, end: date, plan_id: int, count: int) -> dict:
    """Hand-written draws of the same population (raw SQL, rolled back)."""
    params = {"city": city, "start": start, "end": end, "plan": plan_id, "n": count}
    insert = f"""
        WITH pool AS (SELECT c.id, c.unit_id FROM cases c WHERE {WHERE}
                        AND c.outcome NOT IN {MUST} ORDER BY random() LIMIT %(n)s),
             musts AS (SELECT c.id, c.unit_id, c.outcome FROM cases c WHERE {WHERE}
                        AND c.outcome IN {MUST})
        INSERT INTO review_samples (plan_id, case_id, reviewed_unit_id, reason, rank, unit_id)
        SELECT %(plan)s, id, unit_id, 'random', row_number() OVER (), %(city)s FROM pool
        UNION ALL
        SELECT %(plan)s, id, unit_id, outcome, %(n)s + row_number() OVER (ORDER BY id), %(city)s
        FROM musts"""
    sample = f"SELECT c.id, c.unit_id FROM cases c TABLESAMPLE {{}} (10) WHERE {WHERE}" \
             f" AND c.outcome NOT IN {MUST}"
    return {"INSERT … SELECT … ORDER BY random() LIMIT n, + must-review": [(insert, params)],
            "SELECT … TABLESAMPLE SYSTEM (10)": [(sample.format("SYSTEM"), params)],
            "SELECT … TABLESAMPLE BERNOULLI (10)": [(sample.format("BERNOULLI"), params)]}


def stats_of(samples: list[float]):
    from bench.assignments import stats

    return stats(samples)


def measure_plan(bench: Sampling, label: str, start: date, end: date) -> list[dict]:
    """The draw (scoped, unscoped), its population replayed, the raw draws: in turns."""
    import time

    from bench.scope_scenarios import SYSTEM

    session = bench.db.session
    plan_id = bench._plan(start, end)
    with Recorder(bench.db.engine) as rec:
        drawn = bench.draw(plan_id)
    population = [(s, p) for s, p in rec.statements
                  if "set_config(" in s or ("FROM cases" in s and "ORDER BY cases.id" in s)]
    kinds: dict[str, int] = {}
    for s, _ in rec.statements:
        kinds[summarize(s)] = kinds.get(summarize(s), 0) + 1
    replay = bench.replay_call(plan_id)
    with Recorder(bench.db.engine) as rec2:
        replay()
    raws = raw_statements(bench.city, start, end, bench._plan(start, end), drawn)
    # the raw INSERT must run under the case manager's scope (set_config first)
    setcfg = [x for x in population if "set_config(" in x[0]]
    calls = {"draw_sample": None, "draw_sample, system scope": None,
             "replay_sample": replay,
             "raw replay of its population SELECTs": bench.raw.call(population)}
    calls.update({k: bench.raw.call(setcfg + v) for k, v in raws.items()})
    samples: dict[str, list[float]] = {k: [] for k in calls}
    rows: dict[str, int] = {}
    for i in range(bench.args.repeat + 1):
        plans = [bench._plan(start, end), bench._plan(start, end)]
        for k, call in calls.items():
            t0 = time.perf_counter()
            if k == "draw_sample":
                n = bench.draw(plans[0])
            elif k.startswith("draw_sample,"):
                n = bench.draw(plans[1], SYSTEM)
            else:
                n = call()
            if i:  # the first round warms up
                samples[k].append(time.perf_counter() - t0)
            rows[k] = n
        session.close()
    out = []
    base = stats_of(samples["draw_sample"])
    for k, times_ in samples.items():
        st = stats_of(times_)
        out.append({"plan": label, "what": k, "rows": rows[k], "stats": st,
                    "ratio": ratio(base, st),
                    "statements": rec.count if k == "draw_sample" else
                    rec2.count if k == "replay_sample" else
                    len(population) if k.startswith("raw replay") else
                    None if k.startswith("draw_sample,") else 2})
    out[0]["kinds"] = kinds
    print(f"  {label}: drew {drawn}, {rec.count} statements,"
          f" {base.median_ms:.1f} ms", flush=True)
    return out


def render(results: list[dict], repeat: int) -> str:
    rows = [(r["plan"], r["what"], f"{r['rows']:,}", "" if r["statements"] is None
             else r["statements"], cell(r["stats"], repeat),
             "1.00×" if r["what"] == "draw_sample" else times(r["ratio"]))
            for r in results]
    kinds = [r for r in results if "kinds" in r]
    notes = [f"Statements of `draw_sample` ({r['plan']}):"
             f" {', '.join(f'{k} ×{v}' for k, v in r['kinds'].items())}." for r in kinds]
    return "\n\n".join([
        f"**5. `review_plans.draw_sample` as `{ACTOR}` over 440100 and its descendants"
        " (10 % + must-review)**",
        table(("plan", "what", "rows", "statements", "ms (median / p95)",
               "draw_sample ÷ this"), rows, "llrrrr"), *notes])


def main(argv: list[str] | None = None) -> None:
    args = arguments("python -m bench.sampling", __doc__, repeat=10).parse_args(argv)
    run = Run("sampling:postgresql", "python -m bench.sampling --database-url"
              f" {args.database_url} --repeat {args.repeat}", args)
    prepare(run.target.libpq("admin"))
    app = make_app(run.target.app_url)
    results = []
    with app.app_context():
        bench = Sampling(run.target, args)
        for label, (start, end) in PLANS.items():
            results += measure_plan(bench, label, start, end)
        bench.raw.close()
        bench.db.session.remove()
        bench.db.engine.dispose()
    prepare(run.target.libpq("admin"))  # drop the bench's plans again
    text = render(results, args.repeat)
    print(run.finish(text, {"results": [{**r, "stats": r["stats"].as_dict()} for r in results]}))


if __name__ == "__main__":
    main()
