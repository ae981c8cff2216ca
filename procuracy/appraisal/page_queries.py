"""Reads the appraisal pages need besides the services' own, each one statement
whatever the number of rows (no query per person or per item): per-aspect points of
a ranking, department names, the objections on a person's items, the context of a
list of objections. Every read goes through the session and so through the scope.
"""
from __future__ import annotations

from sqlalchemy import func, select

from procuracy.appraisal.rule_models import RuleSet
from procuracy.appraisal.score_models import Objection, ScoreItem, ScoreRun
from procuracy.extensions import db
from procuracy.tenants.models import Department, User


def aspect_points(run: ScoreRun) -> dict[str, dict[str, float]]:
    """username -> aspect code -> points, for every person of the run."""
    rows = db.session.execute(
        select(User.username, ScoreItem.aspect_code, func.sum(ScoreItem.points))
        .join(User, User.id == ScoreItem.user_id).where(ScoreItem.run_id == run.id)
        .group_by(User.username, ScoreItem.aspect_code)).all()
    out: dict[str, dict[str, float]] = {}
    for username, aspect, points in rows:
        out.setdefault(username, {})[aspect] = round(float(points or 0), 2)
    return out


def department_names(unit_id: int) -> dict[int, str]:
    return dict(db.session.execute(
        select(Department.id, Department.name).where(Department.unit_id == unit_id)).all())


def objections_on(item_ids: list[int]) -> dict[int, list[Objection]]:
    """item id -> its objections, oldest first."""
    if not item_ids:
        return {}
    out: dict[int, list[Objection]] = {}
    for o in db.session.scalars(select(Objection).where(Objection.item_id.in_(item_ids))
                                .order_by(Objection.raised_at, Objection.id)):
        out.setdefault(o.item_id, []).append(o)
    return out


def objection_rows(found: list[Objection]) -> list[dict]:
    """Each objection with its item, run and people (three statements in all)."""
    items = {i.id: i for i in db.session.scalars(select(ScoreItem).where(
        ScoreItem.id.in_({o.item_id for o in found})))} if found else {}
    runs = {r.id: r for r in db.session.scalars(select(ScoreRun).where(
        ScoreRun.id.in_({i.run_id for i in items.values()})))} if items else {}
    people_ids = {o.raised_by_id for o in found} | {o.answered_by_id for o in found} | {
        i.user_id for i in items.values()}
    people_ids.discard(None)
    people = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_(people_ids)))} if people_ids else {}
    rows = []
    for o in found:
        item = items.get(o.item_id)
        run = runs.get(item.run_id) if item else None
        rows.append({"objection": o, "item": item, "run": run,
                     "person": people.get(item.user_id) if item else None,
                     "raised_by": people.get(o.raised_by_id),
                     "answered_by": people.get(o.answered_by_id)})
    return rows


def rule_sets_by_id(ids: set[int]) -> dict[int, RuleSet]:
    if not ids:
        return {}
    return {rs.id: rs for rs in db.session.scalars(select(RuleSet).where(RuleSet.id.in_(ids)))}
