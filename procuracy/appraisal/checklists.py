"""Review checklists (评查表): the province publishes them as data; grading follows.

A checklist is a draft until published; a published checklist never changes (a new
version is a new draft). Items carry a section, a code, the text, the points a
failure costs and ``failure_grade``: the best grade a case can still get when that
item fails ("" = the item costs points only).

``grades`` is the scale, best first: ``[{"name": "优质", "min_points": 95}, ...]``;
``min_points`` is the lowest score out of 100 (the points kept, scaled to 100) for
the grade, and the last grade takes 0. The grade of a review is the worse of the
grade its score reaches and the worst grade any failed item implies, so both the
modern scale (优质/合格/基本合格/不合格) and the older one (优质/合格/瑕疵/不合格) are
data. The two lowest grades of a scale call for a second reviewer.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import func, select

from procuracy.appraisal.review_models import Checklist, ChecklistItem
from procuracy.cases.catalogue_models import LINES
from procuracy.extensions import db
from procuracy.tenants.models import Level, Unit
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import get_or_404, system_scope

PUBLISHERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER})
MAX_ITEMS = 500
GRADE_KEYS = frozenset({"name", "min_points"})
ITEM_KEYS = frozenset({"section", "code", "text", "points", "failure_grade"})


class ChecklistError(ValueError):
    """A checklist the rules refuse; ``errors`` maps field to messages (answers 422)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


# ---------------------------------------------------------------- validation
def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def validate_grades(grades: object) -> list[dict]:
    """The scale, checked: names unique, thresholds falling, the last one 0."""
    if not isinstance(grades, list) or not 2 <= len(grades) <= 8:
        raise ChecklistError({"grades": ["must list 2 to 8 grades, best first"]})
    problems, out = [], []
    for i, g in enumerate(grades):
        if not isinstance(g, dict) or set(g) - GRADE_KEYS or not {"name", "min_points"} <= set(g):
            problems.append(f"grade {i + 1}: give exactly name and min_points")
            continue
        name, low = g["name"], g["min_points"]
        if not isinstance(name, str) or not 0 < len(name.strip()) <= 16:
            problems.append(f"grade {i + 1}: the name is 1 to 16 characters")
        elif not _number(low) or not 0 <= low <= 100:
            problems.append(f"{name}: min_points is a score from 0 to 100")
        else:
            out.append({"name": name.strip(), "min_points": float(low)})
    if not problems:
        names = [g["name"] for g in out]
        if len(set(names)) != len(names):
            problems.append("a grade name is given twice")
        lows = [g["min_points"] for g in out]
        if any(a <= b for a, b in zip(lows, lows[1:], strict=False)):
            problems.append("min_points must fall from the best grade to the worst")
        if lows[-1] != 0:
            problems.append("the worst grade takes every score (min_points 0)")
    if problems:
        raise ChecklistError({"grades": problems})
    return out


def validate_items(items: object, grade_names: list[str]) -> list[dict]:
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise ChecklistError({"items": [f"must list 1 to {MAX_ITEMS} items"]})
    problems, out, codes = [], [], set()
    for i, it in enumerate(items, 1):
        if not isinstance(it, dict) or set(it) - ITEM_KEYS or \
                not {"section", "code", "text", "points"} <= set(it):
            problems.append(f"item {i}: give section, code, text, points (and failure_grade)")
            continue
        code, section, text = it["code"], it["section"], it["text"]
        fail = it.get("failure_grade", "")
        if not isinstance(code, str) or not 0 < len(code.strip()) <= 16:
            problems.append(f"item {i}: the code is 1 to 16 characters")
        elif code.strip() in codes:
            problems.append(f"item {i}: code {code} is used twice")
        elif not isinstance(section, str) or not 0 < len(section.strip()) <= 60:
            problems.append(f"{code}: the section is 1 to 60 characters")
        elif not isinstance(text, str) or not 0 < len(text.strip()) <= 2000:
            problems.append(f"{code}: the text is 1 to 2000 characters")
        elif not _number(it["points"]) or not 0 < it["points"] <= 100:
            problems.append(f"{code}: points are above 0 and at most 100")
        elif fail not in ("", *grade_names):
            problems.append(f"{code}: failure_grade {fail!r} is not on the scale")
        else:
            codes.add(code.strip())
            out.append({"seq": i, "section": section.strip(), "code": code.strip(),
                        "text": text.strip(), "points": float(it["points"]),
                        "failure_grade": fail})
    if problems:
        raise ChecklistError({"items": problems})
    return out


# ---------------------------------------------------------------- writing
def _check_publisher(actor) -> None:
    if not actor.has_role(*PUBLISHERS) or actor.unit.level != Level.PROVINCE:
        raise PermissionError("checklists are published by the province's chief, deputy "
                              "chief or case managers")


def create_checklist(actor, *, name: str, line: str, grades: list, items: list) -> Checklist:
    """A draft in the actor's (provincial) unit, at the next version of ``name``."""
    _check_publisher(actor)
    if not isinstance(name, str) or not 0 < len(name.strip()) <= 120:
        raise ChecklistError({"name": ["1 to 120 characters"]})
    if line not in LINES:
        raise ChecklistError({"line": [f"one of {', '.join(LINES)}"]})
    scale = validate_grades(grades)
    rows = validate_items(items, [g["name"] for g in scale])
    version = (db.session.scalar(select(func.max(Checklist.version)).where(
        Checklist.unit_id == actor.unit_id, Checklist.name == name.strip())) or 0) + 1
    checklist = Checklist(unit_id=actor.unit_id, name=name.strip(), version=version,
                          status="draft", line=line, grades=scale,
                          total_points=sum(r["points"] for r in rows))
    checklist.items = [ChecklistItem(unit_id=actor.unit_id, **r) for r in rows]
    db.session.add(checklist)
    db.session.commit()
    return checklist


def publish(checklist: Checklist, actor) -> Checklist:
    """Make a draft the version in force; from then on it never changes."""
    _check_publisher(actor)
    if checklist.status != "draft":
        raise ChecklistError({"status": ["only a draft is published; a published checklist "
                                         "never changes (make a new version)"]})
    checklist.status = "published"
    checklist.total_points = sum(i.points for i in items_of(checklist))
    db.session.commit()
    return checklist


def new_version(checklist: Checklist, actor) -> Checklist:
    """A draft copy of a published checklist, to be edited and published in its turn."""
    rows = [{k: getattr(i, k) for k in ITEM_KEYS} for i in items_of(checklist)]
    return create_checklist(actor, name=checklist.name, line=checklist.line,
                            grades=checklist.grades, items=rows)


# ---------------------------------------------------------------- reading
def visible_checklists(line: str | None = None) -> list[Checklist]:
    """Published checklists of the units above, and my unit's own (drafts too)."""
    query = select(Checklist).order_by(Checklist.line, Checklist.name, Checklist.version)
    if line:
        query = query.where(Checklist.line == line)
    return list(db.session.scalars(query))


def get_checklist(checklist_id: int) -> Checklist:
    return get_or_404(db.session, Checklist, id=checklist_id)


def items_of(checklist: Checklist) -> list[ChecklistItem]:
    return list(db.session.scalars(select(ChecklistItem).where(
        ChecklistItem.checklist_id == checklist.id).order_by(ChecklistItem.seq)))


def sections(items: list[ChecklistItem]) -> list[dict]:
    """Items grouped by section, in checklist order, with each section's points."""
    out: dict[str, dict] = {}
    for item in items:
        sec = out.setdefault(item.section, {"section": item.section, "points": 0.0,
                                            "items": []})
        sec["points"] += item.points
        sec["items"].append(item)
    return list(out.values())


# ---------------------------------------------------------------- grading
@dataclass(frozen=True)
class Grading:
    grade: str
    points_lost: float
    score: float  # out of 100
    by_score: str  # the grade the score alone reaches
    capped_by: list[str]  # codes of the failed items that pulled the grade down


def grade_for(grades: list[dict], total_points: float, failed: list) -> Grading:
    """The grade of a review whose failed items are ``failed`` (ChecklistItems)."""
    names = [g["name"] for g in grades]
    lost = round(sum(i.points for i in failed), 4)
    score = round(100.0 * (total_points - lost) / total_points, 2) if total_points else 0.0
    by_score = next((g["name"] for g in grades if score >= g["min_points"]), names[-1])
    caps = {i.code: names.index(i.failure_grade) for i in failed if i.failure_grade in names}
    rank = max([names.index(by_score), *caps.values()])
    capped = [code for code, cap in caps.items() if cap == rank > names.index(by_score)]
    return Grading(names[rank], lost, score, by_score, sorted(capped))


def lower_grades(grades: list[dict]) -> tuple[str, ...]:
    """The two lowest grades: a review graded so gets a second reviewer."""
    return tuple(g["name"] for g in grades[-2:])


def severity_for(grades: list[dict], failure_grade: str) -> str:
    """A finding's severity from the grade its item's failure implies."""
    names = [g["name"] for g in grades]
    if failure_grade == names[-1]:
        return "serious"
    if failure_grade in names[-2:-1]:
        return "major"
    return "normal"


# ---------------------------------------------------------------- the demo
def demo_checklist() -> dict:
    """The demo criminal-prosecution checklist: 68 items, 288 points (Sichuan's size)."""
    path = resources.files("procuracy.appraisal").joinpath("data", "checklist_criminal.json")
    return json.loads(path.read_text(encoding="utf-8"))


def seed_review_demo() -> int:
    """Publish the demo checklist for every province (as the system, when seeding)."""
    data = demo_checklist()
    with system_scope("seeding the demo review checklists"):
        provinces = db.session.scalars(select(Unit).where(Unit.level == Level.PROVINCE)).all()
        scale = validate_grades(data["grades"])
        rows = validate_items(data["items"], [g["name"] for g in scale])
        for unit in provinces:
            checklist = Checklist(unit_id=unit.id, name=data["name"], version=1,
                                  status="published", line=data["line"], grades=scale,
                                  total_points=sum(r["points"] for r in rows))
            checklist.items = [ChecklistItem(unit_id=unit.id, **r) for r in rows]
            db.session.add(checklist)
        db.session.flush()
    return len(provinces)
