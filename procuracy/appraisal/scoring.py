"""Computing a period's scores for a unit under a rule set: set-based, reproducible,
stored with the rule-set version, every point traced to its cases, events, reviews.

``compute`` runs a fixed number of statements per indicator (one aggregate over all
the audience's people and one for the sources; see ``indicators``), turns raw values
into points, totals, ranks and grades in Python (``grading``), and bulk-inserts the
scores, items and sources. It counts the SQL statements it takes with a
``before_cursor_execute`` listener and stores the count in ``ScoreRun.statements``.

The audience's people are the unit's active users holding the audience's role;
for prosecutors, leaders holding a quota (chief, deputies, department heads) too.
Computing the same period again replaces an unpublished run; a published one never
changes. The rest of the workflow (compare, publish, objections) is in ``score_runs``
and re-exported here.
"""
from __future__ import annotations

from sqlalchemy import delete, event, insert, or_, select

from procuracy.appraisal.grading import (
    Person,
    cap_aspects,
    finish,
    indicator_items,
    standings,
)
from procuracy.appraisal.indicators import KINDS, Context
from procuracy.appraisal.rule_models import RuleSet
from procuracy.appraisal.rules import (
    PeriodError,
    known_case_kinds,
    load_content,
    parse_period,
    path_ids,
)
from procuracy.appraisal.score_models import Objection, Score, ScoreItem, ScoreRun, ScoreSource
from procuracy.cases.models import new_public_id
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Unit, User, UserRole
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import WriteOutOfScope, current_scope

# Who computes and publishes a unit's scores and answers objections.
RUNNERS = frozenset({Role.CHIEF, Role.CASE_MANAGER})
RUN_KINDS = ("official", "sandbox")


class ScoringError(ValueError):
    """A computation or step of the score workflow that the rules refuse (422)."""

    def __init__(self, message: str, field: str = "run"):
        super().__init__(message)
        self.field = field


def require_runner(actor, unit_id: int) -> None:
    """The unit's chief or case managers; ``actor=None`` is code running as the system."""
    if actor is None:
        scope = current_scope(db.session)
        if scope is None or not scope.everything:
            raise PermissionError("computing without a user needs system_scope()")
        return
    if actor.unit_id != unit_id or not actor.has_role(*RUNNERS):
        raise PermissionError("only the unit's chief or case managers compute and publish "
                              "its scores")


class StatementCounter:
    """Counts the statements sent on the session's connection while it is open."""

    def __init__(self, session) -> None:
        self.connection = session.connection()
        self.count = 0

    def _count(self, *_args) -> None:
        self.count += 1

    def __enter__(self) -> StatementCounter:
        event.listen(self.connection, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.connection, "before_cursor_execute", self._count)


def audience_people(unit_id: int, audience: str):
    """(people, a SELECT of their ids) of the unit's audience; one query."""
    holders = select(UserRole.user_id).where(UserRole.role == audience)
    member = User.id.in_(holders)
    if audience == "prosecutor":
        member = or_(member, User.holds_quota.is_(True))
    where = (User.unit_id == unit_id, User.active.is_(True), member)
    rows = db.session.execute(select(User.id, User.username, User.full_name,
                                     User.department_id).where(*where).order_by(User.id))
    return [Person(*row) for row in rows], select(User.id).where(*where)


def _check(unit: Unit, rs: RuleSet, period: str, kind: str):
    if kind not in RUN_KINDS:
        raise ScoringError(f"kind must be one of {', '.join(RUN_KINDS)}", "kind")
    try:
        p = parse_period(period)
    except PeriodError as exc:
        raise ScoringError(str(exc), "period") from None
    if rs.period_kind != p.kind:
        raise ScoringError(f"the rule set is for {rs.period_kind}s, {period} is a {p.kind}",
                           "period")
    if rs.unit_id not in path_ids(unit):
        raise ScoringError("the rule set is neither this unit's nor a higher unit's", "rule_set")
    if kind == "official" and rs.status != "published":
        raise ScoringError("official scores need a published rule set; try a sandbox run",
                           "rule_set")
    scope = current_scope(db.session)
    if scope is None or not scope.can_write_unit(unit.id):
        raise WriteOutOfScope(f"scores are written only in one's own unit ({unit.code})")
    return p


def _drop_previous(unit: Unit, rs: RuleSet, period: str, kind: str) -> None:
    old = db.session.scalars(select(ScoreRun).where(
        ScoreRun.unit_id == unit.id, ScoreRun.rule_set_id == rs.id, ScoreRun.period == period,
        ScoreRun.kind == kind)).first()
    if old is None:
        return
    if old.status == "published":
        raise ScoringError(f"the scores of {period} under this rule set are published and "
                           "never change", "period")
    items = select(ScoreItem.id).where(ScoreItem.run_id == old.id)
    for statement in (delete(Objection).where(Objection.item_id.in_(items)),
                      delete(ScoreSource).where(ScoreSource.item_id.in_(items)),
                      delete(ScoreItem).where(ScoreItem.run_id == old.id),
                      delete(Score).where(Score.run_id == old.id)):
        db.session.execute(statement, execution_options={"synchronize_session": False})
    db.session.delete(old)
    db.session.flush()


def compute(unit: Unit, rule_set: RuleSet, period: str, kind: str = "official",
            actor=None) -> ScoreRun:
    """Compute ``period``'s scores of ``unit``'s audience under ``rule_set``."""
    require_runner(actor, unit.id)
    rs = load_content(rule_set.id)
    if rs is None:
        raise ScoringError("the rule set is not visible", "rule_set")
    p = _check(unit, rs, period, kind)
    _drop_previous(unit, rs, p.text, kind)
    with StatementCounter(db.session) as counter:
        people, people_ids = audience_people(unit.id, rs.audience)
        ctx = Context(unit.id, p, people_ids, known_case_kinds(unit.id))
        for ind in sorted(rs.indicators, key=lambda i: (i.kind == "ratio", i.seq, i.code)):
            ctx.results[ind.code] = KINDS[ind.kind](ctx, ind)
        items = []
        for ind in rs.indicators:
            for item in indicator_items(ind, people, ctx.results[ind.code]):
                item.detail.update(name=ind.name, kind=ind.kind)
                items.append(item)
        cap_aspects(items, {a.code: a.weight for a in rs.aspects})
        finish(items)
        table = standings(people, items, {a.code for a in rs.aspects if a.core}, rs.grading)
        run = ScoreRun(unit_id=unit.id, public_id=new_public_id(), rule_set_id=rs.id,
                       period=p.text, kind=kind, status="computed", computed_at=utcnow(),
                       computed_by_id=actor.id if actor else None)
        db.session.add(run)
        db.session.flush()
        _store(run, people, table, items)
    run.statements = counter.count
    db.session.commit()
    return run


def _store(run: ScoreRun, people: list[Person], table, items) -> None:
    """Bulk inserts: the scores, the items (their ids come back with their key, so no
    row-by-row insert is needed to match them), the sources. ``render_nulls`` keeps
    rows with and without NULLs in one statement."""
    nulls = {"render_nulls": True}
    departments = {p.id: p.department_id for p in people}
    if table:
        db.session.execute(insert(Score), [
            {"unit_id": run.unit_id, "run_id": run.id, "user_id": s.user_id,
             "department_id": departments[s.user_id], "total": s.total, "grade": s.grade,
             "rank": s.rank} for s in table], execution_options=nulls)
    if not items:
        return
    returned = db.session.execute(
        insert(ScoreItem).returning(ScoreItem.id, ScoreItem.user_id, ScoreItem.indicator_code),
        [{"unit_id": run.unit_id, "run_id": run.id, "user_id": i.user_id,
          "aspect_code": i.aspect_code, "indicator_code": i.indicator_code,
          "raw_value": i.raw, "points": i.points, "detail": i.detail} for i in items],
        execution_options=nulls).all()
    ids = {(user_id, code): item_id for item_id, user_id, code in returned}
    sources = [{"unit_id": run.unit_id, "item_id": ids[(item.user_id, item.indicator_code)],
                "case_id": s.case_id, "event_id": s.event_id, "review_id": s.review_id,
                "contribution": c} for item in items for s, c in item.sources]
    if sources:
        db.session.execute(insert(ScoreSource), sources, execution_options=nulls)


WORKFLOW = ("answer", "compare", "objection", "publish", "sandbox")


def __getattr__(name: str):
    """``compare``, ``publish``, ``sandbox``, ``objection``, ``answer`` live in
    ``score_runs`` (which imports this module); they are offered here as well."""
    if name in WORKFLOW:
        from procuracy.appraisal import score_runs

        return getattr(score_runs, name)
    raise AttributeError(name)
