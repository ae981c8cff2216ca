"""Quality-review statistics and the unit-level review score.

Statistics count finalised reviews about a unit's cases (its whole subtree), per
grade, with the average points lost and the items failed most often; by unit they
drill down the tree (the unit, then each child's subtree), and they also split by
line of business, department and prosecutor. Every figure is read through the
reader's scope: a unit reads what was found about its cases, higher units read down.

The unit-level score follows Shandong's rule: base minus each finding's points
times its factor (found and fixed by the unit itself 0, analysed but not fixed
0.5, missed 1.0), with every finding listed.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, literal, or_, select

from procuracy.appraisal.review_findings import DISCOVERY
from procuracy.appraisal.review_models import Checklist, ChecklistItem, Finding, Review, ReviewPlan
from procuracy.cases.catalogue_models import CaseKind
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.models import Department, Unit, UnitClosure, User
from procuracy.tenants.scope import OutOfScope, current_scope, system_scope
from procuracy.tenants.services import readable_unit

DIMENSIONS = ("line", "department", "prosecutor")
DIMENSION_LABELS = {"line": "业务条线", "department": "部门", "prosecutor": "检察官"}
UNCLASSIFIED = "unclassified"


def _period(column, date_from: date | None, date_to: date | None) -> list:
    out = []
    if date_from:
        out.append(column >= datetime.combine(date_from, time.min))
    if date_to:
        out.append(column < datetime.combine(date_to + timedelta(days=1), time.min))
    return out


def _subtree(unit_id: int):
    return select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)


def grade_names() -> list[str]:
    """The grades of the scales in use, best first (several scales: in order met)."""
    names: list[str] = []
    for grades in db.session.scalars(select(Checklist.grades).where(
            Checklist.status == "published")):
        names += [g["name"] for g in grades if g["name"] not in names]
    return names


def _bucket(rows, names: list[str]) -> dict:
    """{key: {"reviews", "grades", "points_lost", "average_points_lost"}} from
    (key, grade, count, points) rows."""
    out: dict = defaultdict(lambda: {"reviews": 0, "grades": dict.fromkeys(names, 0),
                                     "points_lost": 0.0})
    for key, grade, count, points in rows:
        entry = out[key]
        entry["reviews"] += count
        entry["grades"][grade] = entry["grades"].get(grade, 0) + count
        entry["points_lost"] += float(points or 0)
    for entry in out.values():
        entry["points_lost"] = round(entry["points_lost"], 2)
        entry["average_points_lost"] = round(entry["points_lost"] / entry["reviews"], 2)
    return out


def _empty(names: list[str]) -> dict:
    return {"reviews": 0, "grades": dict.fromkeys(names, 0), "points_lost": 0.0,
            "average_points_lost": None}


def _chart(kind: str, labels: list[str], series: dict, title: str) -> str | None:
    """SVG from the shared renderer, when it is there (else the numbers only)."""
    try:
        from procuracy.reports import charts
    except ImportError:
        return None
    draw = charts.stacked_bar_chart if kind == "stacked" else charts.bar_chart
    return draw(labels, series, title=title, unit="件") if labels else None


def top_failed(unit_id: int, date_from: date | None, date_to: date | None,
               limit: int = 10) -> list[dict]:
    """The checklist items failed most often in the unit's subtree (from findings)."""
    rows = db.session.execute(
        select(ChecklistItem.code, ChecklistItem.section, ChecklistItem.text,
               func.count(Finding.id), func.sum(Finding.points))
        .join(ChecklistItem, ChecklistItem.id == Finding.item_id)
        .where(Finding.reviewed_unit_id.in_(_subtree(unit_id)),
               *_period(Finding.created_at, date_from, date_to))
        .group_by(ChecklistItem.code, ChecklistItem.section, ChecklistItem.text)
        .order_by(func.count(Finding.id).desc(), ChecklistItem.code).limit(limit)).all()
    return [{"item": code, "section": section, "text": text, "count": count,
             "points": round(float(points or 0), 2)}
            for code, section, text, count, points in rows]


def by_unit(code: str, date_from: date | None = None, date_to: date | None = None) -> dict:
    """The unit's figures and each child's (its subtree), to drill down the tree."""
    unit = readable_unit(code)
    scope = current_scope(db.session)
    kids = [k for k in db.session.scalars(select(Unit).where(Unit.parent_id == unit.id)
                                          .order_by(Unit.code)) if scope.can_read_unit(k.id)]
    names = grade_names()
    rows = db.session.execute(
        select(UnitClosure.ancestor_id, Review.final_grade, func.count(Review.id),
               func.sum(Review.points_lost))
        .join(UnitClosure, UnitClosure.descendant_id == Review.reviewed_unit_id)
        .where(UnitClosure.ancestor_id.in_([unit.id, *[k.id for k in kids]]),
               Review.status == "final", *_period(Review.finalised_at, date_from, date_to))
        .group_by(UnitClosure.ancestor_id, Review.final_grade)).all()
    figures = _bucket(rows, names)
    has_kids = set(db.session.scalars(select(Unit.parent_id).where(
        Unit.parent_id.in_([k.id for k in kids]))))
    children = [{"code": k.code, "name": k.name, "level": k.level, "drill": k.id in has_kids,
                 **figures.get(k.id, _empty(names))} for k in kids]
    return {
        "unit": {"code": unit.code, "name": unit.name, "level": unit.level},
        "grades": names, "total": figures.get(unit.id, _empty(names)), "children": children,
        "top_failed": top_failed(unit.id, date_from, date_to),
        "chart": _chart("stacked", [c["name"] for c in children],
                        {g: [c["grades"].get(g, 0) for c in children] for g in names},
                        f"{unit.name} 案件质量评查等级分布"),
    }


def by_dimension(code: str, dimension: str, date_from: date | None = None,
                 date_to: date | None = None) -> dict:
    """The unit's subtree split by line of business, department or prosecutor."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"one of {', '.join(DIMENSIONS)}")
    unit = readable_unit(code)
    names = grade_names()
    query = select(Review.final_grade, func.count(Review.id), func.sum(Review.points_lost))
    if dimension == "line":
        # The kind from the catalogue: by id, or (cases imported without one) by code or name.
        by_code = or_(CaseKind.code == Case.kind_code, CaseKind.name == Case.kind_code)
        key = label = func.coalesce(CaseKind.line, literal(UNCLASSIFIED))
        query = query.outerjoin(Case, Case.id == Review.case_id).outerjoin(CaseKind, or_(
            CaseKind.id == Case.kind_id, and_(Case.kind_id.is_(None), by_code)))
    elif dimension == "department":
        key, label = Department.id, Department.name
        query = query.outerjoin(Case, Case.id == Review.case_id).outerjoin(
            Department, Department.id == Case.department_id)
    else:
        key, label = User.username, User.full_name
        query = query.outerjoin(User, User.id == Review.handler_id)
    rows = db.session.execute(
        query.add_columns(key.label("k"), label.label("l"))
        .where(Review.reviewed_unit_id.in_(_subtree(unit.id)), Review.status == "final",
               *_period(Review.finalised_at, date_from, date_to))
        .group_by(key, label, Review.final_grade)).all()
    labels = {}
    grouped = []
    for grade, count, points, k, lab in rows:
        labels[k] = lab
        grouped.append((k, grade, count, points))
    figures = _bucket(grouped, names)
    out = sorted(({"key": str(k) if k is not None else None,
                   "label": labels[k] if labels[k] is not None else UNCLASSIFIED, **v}
                  for k, v in figures.items()), key=lambda r: (-r["reviews"], r["label"]))
    return {"unit": {"code": unit.code, "name": unit.name, "level": unit.level},
            "dimension": dimension, "grades": names, "rows": out,
            "chart": _chart("stacked", [r["label"] for r in out],
                            {g: [r["grades"].get(g, 0) for r in out] for g in names},
                            f"{unit.name} 评查等级（按{DIMENSION_LABELS[dimension]}）")}


def unit_review_score(unit: Unit, plan: str | None = None, date_from: date | None = None,
                      date_to: date | None = None, base: float = 100.0) -> dict:
    """Shandong's rule over the findings about ``unit``'s own cases, with the detail."""
    conditions = [Finding.reviewed_unit_id == unit.id,
                  *_period(Finding.created_at, date_from, date_to)]
    if plan:
        # The plan is named by its public id; it may belong to a unit above the reader,
        # so only its id is looked up here: the findings are still read through the scope.
        with system_scope("resolve the review plan a unit score is restricted to"):
            plan_id = db.session.scalar(select(ReviewPlan.id).where(ReviewPlan.public_id == plan))
        if plan_id is None:
            raise OutOfScope(f"review plan {plan}")
        conditions.append(Finding.review_id.in_(select(Review.id).where(Review.plan_id == plan_id)))
    rows = db.session.execute(
        select(Finding, ChecklistItem.code, Case.number)
        .outerjoin(ChecklistItem, ChecklistItem.id == Finding.item_id)
        .outerjoin(Case, Case.id == Finding.case_id)
        .where(*conditions).order_by(Finding.created_at, Finding.id)).all()
    detail, totals = [], {k: {"count": 0, "points": 0.0, "deducted": 0.0} for k in DISCOVERY}
    for f, item, number in rows:
        factor = DISCOVERY.get(f.discovery, 1.0)
        deducted = round(f.points * factor, 4)
        bucket = totals.setdefault(f.discovery, {"count": 0, "points": 0.0, "deducted": 0.0})
        bucket["count"] += 1
        bucket["points"] += f.points
        bucket["deducted"] += deducted
        detail.append({"finding": f.public_id, "item": item, "case_number": number,
                       "points": f.points, "discovery": f.discovery, "factor": factor,
                       "deducted": deducted})
    deducted = round(sum(d["deducted"] for d in detail), 4)
    return {"unit": {"code": unit.code, "name": unit.name}, "plan": plan, "base": base,
            "deducted": deducted, "score": round(max(base - deducted, 0.0), 4),
            "rule": {"self_fixed": 0.0, "self_analysed": 0.5, "missed": 1.0},
            "by_discovery": totals, "findings": detail}
