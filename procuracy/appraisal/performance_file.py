"""The performance file (业绩档案 / 司法档案): one per prosecutor, assembled from
the records themselves, each entry naming the row it came from.

It holds, for a range of periods: the cases handled (count, weight, days from
receipt to closing), the decisions taken, quality-review grades and findings,
awards and deductions (score events), and the published period scores.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from sqlalchemy import and_, or_, select

from procuracy.appraisal.review_models import Finding, Review
from procuracy.appraisal.rule_models import ScoreEvent
from procuracy.appraisal.rules import PeriodError, parse_period
from procuracy.appraisal.score_models import Score, ScoreRun
from procuracy.cases.calendar import CHINA
from procuracy.cases.decision_models import Decision
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.models import User
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import NoScope, OutOfScope, current_scope, get_or_404

# Who reads a file besides its prosecutor: in the prosecutor's own unit, the chief,
# the deputies and case management (which keeps the files).
FILE_KEEPERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER})


def person(username: str) -> User:
    """The file's prosecutor, if the reader may see them at all (else 404)."""
    return get_or_404(db.session, User, username=username)


def may_read(subject: User) -> bool:
    """The role rule on top of the scope. The scope already lets anybody of the unit
    (and supervisors above) see the *person*; the *file* is narrower: the prosecutor
    reads their own; the unit's chief, deputies and case managers read any in the unit;
    supervisors of higher units (chief, deputies, case managers, inspectors there) read
    any below them; colleagues, department heads and others do not."""
    scope = current_scope(db.session)
    if scope is None:
        raise NoScope("performance file read with no scope set")
    if scope.everything or scope.user_id == subject.id:
        return True
    if scope.unit_id == subject.unit_id and scope.roles & FILE_KEEPERS:
        return True
    return subject.unit_id in scope.supervised


def performance_file(user: User, period_from: str, period_to: str) -> dict:
    """The file of ``user`` from the start of ``period_from`` to the end of ``period_to``
    (2026-01, 2026-Q1 or 2026); raises OutOfScope (404) for a reader who may not read it."""
    if not may_read(user):
        raise OutOfScope(f"performance file of {user.username}")
    start, end = parse_period(period_from).start, parse_period(period_to).end
    if end < start:
        raise PeriodError("the range ends before it starts")
    since = datetime.combine(start, time.min, tzinfo=CHINA)  # days turn in China
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=CHINA)
    return {
        "username": user.username, "full_name": user.full_name, "from": period_from,
        "to": period_to, "cases": _cases(user, start, end),
        "decisions": _decisions(user, since, until), "reviews": _reviews(user, since, until),
        "findings": _findings(user, since, until), "events": _events(user, start, end),
        "scores": _scores(user, start, end),
    }


def _cases(user: User, start, end) -> dict:
    rows = db.session.scalars(select(Case).where(
        Case.handler_id == user.id,
        or_(Case.received_on.between(start, end), Case.closed_on.between(start, end)))
        .order_by(Case.received_on, Case.id)).all()
    entries = []
    for c in rows:
        days = (c.closed_on - c.received_on).days if c.closed_on else None
        entries.append({"case": c.public_id, "number": c.number, "title": c.title,
                        "kind": c.kind_code, "status": c.status, "weight": c.weight,
                        "received_on": c.received_on, "closed_on": c.closed_on, "days": days})
    closed = [e for e in entries if e["closed_on"] and start <= e["closed_on"] <= end]
    taken = [e["days"] for e in closed]
    return {"count": len(entries), "closed": len(closed),
            "weight": round(sum(e["weight"] for e in entries), 3),
            "closed_weight": round(sum(e["weight"] for e in closed), 3),
            "average_days": round(sum(taken) / len(taken), 1) if taken else None,
            "entries": entries}


def _decisions(user: User, since, until) -> dict:
    rows = db.session.execute(
        select(Decision, Case.public_id).join(Case, Case.id == Decision.case_id)
        .where(Decision.decided_by_id == user.id, Decision.decided_at >= since,
               Decision.decided_at < until)
        .order_by(Decision.decided_at, Decision.id)).all()
    return {"count": len(rows), "entries": [
        {"decision": d.public_id, "case": case, "matter": d.matter, "item_code": d.item_code,
         "decided_role": d.decided_role, "decided_at": d.decided_at} for d, case in rows]}


def _reviews(user: User, since, until) -> dict:
    rows = db.session.execute(
        select(Review, Case.public_id).outerjoin(Case, Case.id == Review.case_id)
        .where(Review.handler_id == user.id, Review.final_grade != "",
               Review.finalised_at >= since, Review.finalised_at < until)
        .order_by(Review.finalised_at, Review.id)).all()
    return {"by_grade": dict(Counter(r.final_grade for r, _ in rows)), "entries": [
        {"review": r.public_id, "case": case, "grade": r.final_grade,
         "points_lost": r.points_lost, "finalised_at": r.finalised_at} for r, case in rows]}


def _findings(user: User, since, until) -> dict:
    rows = db.session.execute(
        select(Finding, Case.public_id).outerjoin(Case, Case.id == Finding.case_id)
        .where(Finding.handler_id == user.id, Finding.created_at >= since,
               Finding.created_at < until)
        .order_by(Finding.created_at, Finding.id)).all()
    return {"count": len(rows), "points": round(sum(f.points for f, _ in rows), 3), "entries": [
        {"finding": f.public_id, "case": case, "description": f.description,
         "severity": f.severity, "points": f.points, "discovery": f.discovery,
         "status": f.status, "created_at": f.created_at} for f, case in rows]}


def _events(user: User, start, end) -> dict:
    rows = db.session.execute(
        select(ScoreEvent, Case.public_id).outerjoin(Case, Case.id == ScoreEvent.case_id)
        .where(ScoreEvent.user_id == user.id, ScoreEvent.occurred_on.between(start, end))
        .order_by(ScoreEvent.occurred_on, ScoreEvent.id)).all()
    return {"added": round(sum(e.points for e, _ in rows if e.points > 0), 3),
            "deducted": round(sum(e.points for e, _ in rows if e.points < 0), 3),
            "entries": [{"event": e.public_id, "case": case, "type": e.type,
                         "points": e.points, "occurred_on": e.occurred_on, "note": e.note}
                        for e, case in rows]}


def _scores(user: User, start, end) -> list[dict]:
    rows = db.session.execute(
        select(Score, ScoreRun).join(ScoreRun, ScoreRun.id == Score.run_id)
        .where(Score.user_id == user.id, and_(ScoreRun.kind == "official",
                                              ScoreRun.status == "published"))
        .order_by(ScoreRun.period, ScoreRun.id)).all()
    out = []
    for score, run in rows:
        period = parse_period(run.period)
        if start <= period.start and period.end <= end:
            out.append({"run": run.public_id, "period": run.period, "total": score.total,
                        "rank": score.rank, "grade": score.grade})
    return out
