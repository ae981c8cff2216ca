"""Scenario 3's baselines: the rotation engine without the database, and the
draws' statements written again with psycopg alone (``bench.assignments``).
"""
from __future__ import annotations

import time


# ---------------------------------------------------------------- (b) the engine alone
def pure(cases, members, rules: dict, kind_weights: dict[str, float]) -> list[float]:
    """The selection logic over in-memory members: weight, pool, pick, load update."""
    from procuracy.cases import assignment as engine
    from procuracy.cases.assigning import credit
    from procuracy.cases.rotation_groups import as_pool

    samples = []
    for _pid, suspects, kind in cases:
        t0 = time.perf_counter()
        weight = engine.case_weight(rules, suspects, kind, kind_weights.get(kind) or 1.0)
        chosen = engine.pick(as_pool(members), engine.new_seed())
        credit(members, chosen, weight)
        samples.append(time.perf_counter() - t0)
    return samples


def pure_inputs(draws) -> tuple:
    """The group's members (detached copies at load 0), rules and kinds' weights."""
    import sqlalchemy as sa

    from procuracy.cases.assignment_models import RotationGroup, RotationMember
    from procuracy.cases.catalogue_models import CaseKind
    from procuracy.tenants.scope import system_scope

    session = draws.db.session
    with system_scope("bench: pure inputs"):
        group = session.get(RotationGroup, draws.group_id)
        rules = group.active_rules.rules if hasattr(group, "active_rules") else None
        if rules is None:
            from procuracy.cases.assignment_models import RotationRuleVersion
            rules = session.get(RotationRuleVersion, group.active_rules_id).rules
        members = [RotationMember(user_id=m.user_id, load=0.0, cases=0, share_num=m.share_num,
                                  share_den=m.share_den, status=m.status)
                   for m in session.scalars(sa.select(RotationMember).where(
                       RotationMember.group_id == group.id).order_by(RotationMember.user_id))]
        weights = dict(session.execute(sa.select(CaseKind.code, CaseKind.weight)).all())
    session.close()
    return members, rules, weights


# ---------------------------------------------------------------- (c) raw SQL
SET_CONFIG = ("SELECT set_config('procuracy.all', %(all)s, true),"
              " set_config('procuracy.units', %(units)s, true),"
              " set_config('procuracy.ancestors', %(anc)s, true),"
              " set_config('procuracy.cases', %(cases)s, true),"
              " set_config('procuracy.write_units', %(write)s, true),"
              " set_config('procuracy.user', %(user)s, true)")


def raw_replay(app_dsn: str, scope, statements: list[list]) -> tuple[list[float], int]:
    """Each draw's statements but the audit trail's, with psycopg as the app role, one
    committed transaction per draw; (times, statements per draw)."""
    import psycopg

    values = {"all": "off", "units": ",".join(map(str, sorted(scope.unit_readers))),
              "anc": ",".join(map(str, sorted(scope.ancestors))),
              "cases": ",".join(map(str, sorted(scope.granted_cases))),
              "write": ",".join(map(str, sorted(scope.write_units))),
              "user": str(scope.user_id or "")}
    samples = []
    per_draw = 0
    with psycopg.connect(app_dsn) as conn:
        for sql in statements:
            kept = [(s, p) for s, p in sql if "audit_" not in s and "set_config(" not in s]
            per_draw = len(kept) + 1
            t0 = time.perf_counter()
            with conn.cursor() as cur:
                cur.execute(SET_CONFIG, values)
                for s, p in kept:
                    if isinstance(p, (list, tuple)) and p and isinstance(p[0], dict):
                        cur.executemany(s, p)
                    else:
                        cur.execute(s, p)
            conn.commit()
            samples.append(time.perf_counter() - t0)
    return samples, per_draw
