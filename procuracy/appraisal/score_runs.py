"""The score workflow after computing: who reads which run, the ranking, a person's
score with its trace, the sandbox comparison, publication, objections and answers.

Reading (on top of the scope, which already limits everything to the reader's unit
and, for supervisors, the units below): the unit's chief, deputies and case
managers and the supervisors of higher units read every run and every trace; the
other people of the unit read published official runs (the ranking) and their
own trace only. Writes go through the ORM and so reach the audit trail.
"""
from __future__ import annotations

from sqlalchemy import select

from procuracy.appraisal.review_models import Review
from procuracy.appraisal.rule_models import RuleSet, ScoreEvent
from procuracy.appraisal.rules import effective_rule_set, parse_period, period_containing
from procuracy.appraisal.score_models import Objection, Score, ScoreItem, ScoreRun, ScoreSource
from procuracy.appraisal.scoring import ScoringError, compute, require_runner
from procuracy.cases.calendar import china_today
from procuracy.cases.models import Case, new_public_id
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Unit, User
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import OutOfScope, current_scope, get_or_404

UNIT_READERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER})


def reads_everything_of(user, unit_id: int) -> bool:
    """The unit's chief, deputies, case managers; supervisors of higher units; the system."""
    scope = current_scope(db.session)
    if scope is not None and scope.everything:
        return True
    if user is None or scope is None:
        return False
    if user.unit_id == unit_id and user.has_role(*UNIT_READERS):
        return True
    return unit_id in scope.supervised


def run_for(reader, public_id: str) -> ScoreRun:
    run = get_or_404(db.session, ScoreRun, public_id=public_id)
    if not reads_everything_of(reader, run.unit_id) and not _public(run):
        raise OutOfScope(f"ScoreRun {public_id}")
    return run


def _public(run: ScoreRun) -> bool:
    return run.kind == "official" and run.status == "published"


def runs(reader, unit: Unit, period: str | None = None, kind: str | None = None):
    query = select(ScoreRun).where(ScoreRun.unit_id == unit.id)
    if period:
        query = query.where(ScoreRun.period == period)
    if kind:
        query = query.where(ScoreRun.kind == kind)
    if not reads_everything_of(reader, unit.id):
        query = query.where(ScoreRun.kind == "official", ScoreRun.status == "published")
    return db.session.scalars(query.order_by(ScoreRun.period.desc(), ScoreRun.id.desc())).all()


def rule_set_of(run: ScoreRun) -> RuleSet | None:
    return db.session.get(RuleSet, run.rule_set_id)


def ranking(run: ScoreRun) -> list[dict]:
    rows = db.session.execute(
        select(Score, User.username, User.full_name).join(User, User.id == Score.user_id)
        .where(Score.run_id == run.id).order_by(Score.rank, User.username)).all()
    return [{"rank": s.rank, "username": name, "full_name": full, "total": s.total,
             "grade": s.grade, "department_id": s.department_id} for s, name, full in rows]


def person_score(reader, run: ScoreRun, username: str) -> dict:
    """One person's total and items, each item with its sources (cases by public id,
    events, reviews): the trace of every point."""
    person = get_or_404(db.session, User, username=username, unit_id=run.unit_id)
    if reader is not None and reader.id != person.id and \
            not reads_everything_of(reader, run.unit_id):
        raise OutOfScope(f"score of {username}")
    score = db.session.scalars(select(Score).where(Score.run_id == run.id,
                                                   Score.user_id == person.id)).first()
    if score is None:
        raise OutOfScope(f"{username} has no score in this run")
    items = db.session.scalars(select(ScoreItem).where(
        ScoreItem.run_id == run.id, ScoreItem.user_id == person.id).order_by(ScoreItem.id)).all()
    sources = db.session.scalars(select(ScoreSource).where(
        ScoreSource.item_id.in_([i.id for i in items])).order_by(ScoreSource.id)).all()
    cases = _public_ids(Case, {s.case_id for s in sources})
    events = _public_ids(ScoreEvent, {s.event_id for s in sources})
    reviews = _public_ids(Review, {s.review_id for s in sources})
    by_item: dict[int, list] = {}
    for s in sources:
        by_item.setdefault(s.item_id, []).append({
            "case": cases.get(s.case_id), "event": events.get(s.event_id),
            "review": reviews.get(s.review_id), "contribution": s.contribution})
    return {"run": run.public_id, "period": run.period, "username": person.username,
            "full_name": person.full_name, "total": score.total, "rank": score.rank,
            "grade": score.grade,
            "items": [{"id": i.id, "aspect": i.aspect_code, "indicator": i.indicator_code,
                       "name": (i.detail or {}).get("name", ""), "raw_value": i.raw_value,
                       "points": i.points, "detail": i.detail or {},
                       "sources": by_item.get(i.id, [])} for i in items]}


def _public_ids(cls, ids: set) -> dict:
    ids.discard(None)
    if not ids:
        return {}
    return dict(db.session.execute(select(cls.id, cls.public_id).where(cls.id.in_(ids))).all())


# ---------------------------------------------------------------- compare
def _standing(score: Score | None) -> dict | None:
    return None if score is None else {"total": score.total, "rank": score.rank,
                                       "grade": score.grade}


def compare(run_a: ScoreRun, run_b: ScoreRun) -> dict:
    """Per person: total, rank and grade in ``run_a`` and ``run_b`` and the indicator
    deltas that explain the move, biggest first. Three queries."""
    scores = db.session.scalars(select(Score).where(Score.run_id.in_([run_a.id, run_b.id])))
    by_run: dict[int, dict[int, Score]] = {run_a.id: {}, run_b.id: {}}
    for s in scores:
        by_run[s.run_id][s.user_id] = s
    points: dict[tuple[int, int, str], float] = {}
    names: dict[str, tuple[str, str]] = {}
    for item in db.session.scalars(select(ScoreItem).where(
            ScoreItem.run_id.in_([run_a.id, run_b.id]))):
        points[(item.run_id, item.user_id, item.indicator_code)] = item.points
        names.setdefault(item.indicator_code, ((item.detail or {}).get("name", ""),
                                               item.aspect_code))
    user_ids = set(by_run[run_a.id]) | set(by_run[run_b.id])
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    people, moves = [], {"up": 0, "down": 0, "same": 0, "new": 0, "gone": 0}
    for uid in user_ids:
        a, b = by_run[run_a.id].get(uid), by_run[run_b.id].get(uid)
        deltas = []
        for code, (name, aspect) in names.items():
            before = points.get((run_a.id, uid, code), 0.0)
            after = points.get((run_b.id, uid, code), 0.0)
            if abs(after - before) > 1e-9:
                deltas.append({"indicator": code, "name": name, "aspect": aspect,
                               "before": before, "after": after,
                               "delta": round(after - before, 4)})
        deltas.sort(key=lambda d: (-abs(d["delta"]), d["indicator"]))
        move = "new" if a is None else "gone" if b is None else \
            "up" if b.rank < a.rank else "down" if b.rank > a.rank else "same"
        moves[move] += 1
        user = users.get(uid)
        people.append({
            "username": user.username if user else str(uid),
            "full_name": user.full_name if user else "",
            "before": _standing(a), "after": _standing(b), "move": move,
            "rank_change": (a.rank - b.rank) if a and b else None,
            "total_change": round(b.total - a.total, 4) if a and b else None,
            "grade_changed": bool(a and b and a.grade != b.grade), "deltas": deltas,
            "explanation": "; ".join(f"{d['indicator']} {d['name']} {d['delta']:+g}"
                                     for d in deltas[:5]) or "no indicator changed"})
    people.sort(key=lambda p: ((p["after"] or p["before"])["rank"], p["username"]))
    return {"from_run": run_a.public_id, "to_run": run_b.public_id, "summary": moves,
            "people": people}


def sandbox(actor, unit: Unit, rule_set: RuleSet, period: str | None = None) -> dict:
    """Compute ``rule_set`` (typically a draft) against ``period`` (by default the last
    full period) and compare with the official result of that period: the published
    run if there is one, else the latest computed one, else a sandbox run of the
    rule set in force."""
    require_runner(actor, unit.id)
    if period is None:
        period = period_containing(china_today(), rule_set.period_kind).previous().text
    run = compute(unit, rule_set, period, "sandbox", actor)
    baseline = db.session.scalars(
        select(ScoreRun).join(RuleSet, RuleSet.id == ScoreRun.rule_set_id)
        .where(ScoreRun.unit_id == unit.id, ScoreRun.period == run.period,
               ScoreRun.kind == "official", RuleSet.audience == rule_set.audience)
        .order_by((ScoreRun.status == "published").desc(), ScoreRun.id.desc())).first()
    if baseline is None:
        in_force = effective_rule_set(unit, rule_set.audience, rule_set.period_kind,
                                      parse_period(run.period).start)
        if in_force is not None and in_force.id != rule_set.id:
            baseline = compute(unit, in_force, run.period, "sandbox", actor)
    return {"run": run, "baseline": baseline,
            "comparison": compare(baseline, run) if baseline is not None else None}


# ---------------------------------------------------------------- publishing
def publish(run: ScoreRun, actor) -> ScoreRun:
    """Publish an official run: the ranking is then read by the whole unit."""
    require_runner(actor, run.unit_id)
    if run.kind != "official":
        raise ScoringError("a sandbox run is never published; compute the official scores")
    if run.status == "published":
        raise ScoringError("already published")
    audience = rule_set_of(run).audience
    other = db.session.scalars(
        select(ScoreRun).join(RuleSet, RuleSet.id == ScoreRun.rule_set_id)
        .where(ScoreRun.unit_id == run.unit_id, ScoreRun.period == run.period,
               ScoreRun.kind == "official", ScoreRun.status == "published",
               RuleSet.audience == audience)).first()
    if other is not None:
        raise ScoringError(f"{run.period}'s {audience} scores are already published "
                           f"({other.public_id})")
    run.status, run.published_at = "published", utcnow()
    db.session.commit()
    return run


# ---------------------------------------------------------------- objections
def item_for(reader, item_id: int) -> ScoreItem:
    item = get_or_404(db.session, ScoreItem, id=item_id)
    if reader is not None and reader.id != item.user_id and \
            not reads_everything_of(reader, item.unit_id):
        raise OutOfScope(f"ScoreItem {item_id}")
    return item


def objection(actor, item: ScoreItem, text: str) -> Objection:
    """The person raises an objection to one item of their published score."""
    if actor.id != item.user_id:
        raise PermissionError("only the person scored objects to an item of their score")
    run = db.session.get(ScoreRun, item.run_id)
    if run is None or not _public(run):
        raise ScoringError("objections are raised on published scores", "item")
    if not (text or "").strip():
        raise ScoringError("say what is wrong", "text")
    open_one = db.session.scalars(select(Objection).where(
        Objection.item_id == item.id, Objection.raised_by_id == actor.id,
        Objection.status == "open")).first()
    if open_one is not None:
        raise ScoringError("this item already has your open objection", "item")
    obj = Objection(unit_id=item.unit_id, public_id=new_public_id(), item_id=item.id,
                    raised_by_id=actor.id, raised_at=utcnow(), text=text.strip(),
                    status="open")
    db.session.add(obj)
    db.session.commit()
    return obj


def answer(actor, obj: Objection, text: str) -> Objection:
    """The unit's case manager or chief answers an objection (once)."""
    require_runner(actor, obj.unit_id)
    if obj.status != "open":
        raise ScoringError("already answered", "objection")
    if not (text or "").strip():
        raise ScoringError("an answer needs text", "text")
    obj.status, obj.answer = "answered", text.strip()
    obj.answered_by_id, obj.answered_at = actor.id, utcnow()
    db.session.commit()
    return obj


def objections(reader, unit: Unit, status: str | None = None) -> list[Objection]:
    query = select(Objection).where(Objection.unit_id == unit.id)
    if status:
        query = query.where(Objection.status == status)
    if not reads_everything_of(reader, unit.id):
        query = query.where(Objection.raised_by_id == reader.id)
    return db.session.scalars(query.order_by(Objection.raised_at.desc(), Objection.id)).all()

