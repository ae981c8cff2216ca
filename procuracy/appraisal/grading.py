"""From raw values to points, totals, ranks and grades (pure Python, no SQL).

- An indicator's points are ``raw × points_per_unit``; with ``normalise`` they are
  ``max_points × raw / the best raw in the person's department`` (the department's
  best gets ``max_points``); either is held to ``[-max_points, max_points]``.
- An aspect's weight is the most it gives (weights add up to 100, so the total is
  out of 100): when a person's points in an aspect exceed its weight, their positive
  items there are scaled down to fit, and the scaling is noted in the item's detail.
- Each source's contribution is its share of the item's points, so an item's points
  are the sum of its sources' contributions (manual items have no sources; their
  ManualScore is named in the detail).
- Ranks: by total, equal totals share a rank (1, 2, 2, 4). Order for display and
  quotas: total, then core-aspect points, then user name: the same data give the same
  order every time.
- Grades: ``thresholds`` gives each person the first grade whose ``min`` they reach;
  ``quota`` does the same but a grade with ``max_share`` takes at most
  ``floor(max_share × people)``; when equal totals straddle that limit none of them
  gets the grade (so the share is never exceeded and equal totals get equal grades).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from procuracy.appraisal.indicators import Result, Source

PLACES = 4


@dataclass
class Person:
    id: int
    username: str
    full_name: str
    department_id: int | None


@dataclass
class Item:
    user_id: int
    aspect_code: str
    indicator_code: str
    raw: float
    points: float
    sources: list[tuple[Source, float]]  # (source, contribution)
    detail: dict = field(default_factory=dict)


@dataclass
class Standing:
    user_id: int
    total: float
    core: float
    rank: int = 0
    grade: str = ""


def indicator_items(ind, people: list[Person], result: Result) -> list[Item]:
    ppu, top = float(ind.points_per_unit), ind.max_points
    raws = {p.id: result.raw.get(p.id, 0.0) for p in people}
    best: dict[int | None, float] = {}
    if ind.normalise:
        for p in people:
            best[p.department_id] = max(best.get(p.department_id, 0.0), raws[p.id])
    items = []
    for p in people:
        raw = raws[p.id]
        detail = dict(result.detail.get(p.id, {}))
        if ind.normalise:
            dept_best = best[p.department_id]
            points = top * max(raw, 0.0) / dept_best if dept_best > 0 else 0.0
            detail["department_best"] = dept_best
        else:
            points = raw * ppu
        if top is not None and abs(points) > top:
            detail["capped_at"] = top
            points = math.copysign(top, points)
        sources = result.sources.get(p.id, [])
        weight = sum(s.raw for s in sources)
        factor = points / weight if weight else ppu
        items.append(Item(p.id, ind.aspect_code, ind.code, raw, points,
                          [(s, s.raw * factor) for s in sources], detail))
    return items


def cap_aspects(items: list[Item], weights: dict[str, float]) -> None:
    """Scale a person's positive items in an aspect down to the aspect's weight."""
    groups: dict[tuple[int, str], list[Item]] = {}
    for item in items:
        groups.setdefault((item.user_id, item.aspect_code), []).append(item)
    for (_, aspect), group in groups.items():
        plus = sum(i.points for i in group if i.points > 0)
        minus = sum(i.points for i in group if i.points < 0)
        limit = weights[aspect]
        if plus <= 0 or plus + minus <= limit:
            continue
        factor = (limit - minus) / plus
        for item in group:
            if item.points > 0:
                item.detail["aspect_cap"] = {"weight": limit, "before": round(item.points, PLACES)}
                item.points *= factor
                item.sources = [(s, c * factor) for s, c in item.sources]


def finish(items: list[Item]) -> None:
    """Round once, at the end: points to 4 places, contributions to 6."""
    for item in items:
        item.points = round(item.points, PLACES)
        item.raw = round(item.raw, 6)
        item.sources = [(s, round(c, 6)) for s, c in item.sources]


def standings(people: list[Person], items: list[Item], core: set[str],
              grading: dict) -> list[Standing]:
    totals = {p.id: 0.0 for p in people}
    cores = {p.id: 0.0 for p in people}
    for item in items:
        totals[item.user_id] += item.points
        if item.aspect_code in core:
            cores[item.user_id] += item.points
    names = {p.id: p.username for p in people}
    ordered = sorted((Standing(p.id, round(totals[p.id], PLACES), round(cores[p.id], PLACES))
                      for p in people), key=lambda s: (-s.total, -s.core, names[s.user_id]))
    for i, s in enumerate(ordered):
        s.rank = ordered[i - 1].rank if i and ordered[i - 1].total == s.total else i + 1
    grade(ordered, grading)
    return ordered


def grade(ordered: list[Standing], grading: dict) -> None:
    grades = grading.get("grades") or []
    if not grades:
        return
    quota = grading.get("method") == "quota"
    left = list(ordered)
    n = len(ordered)
    for g in grades:
        least = g.get("min")
        eligible = [s for s in left if least is None or s.total >= least - 1e-9]
        share = g.get("max_share") if quota else None
        if share:
            cap = math.floor(share * n + 1e-9)
            taken = eligible[:cap]
            if len(eligible) > cap and taken and eligible[cap].total == taken[-1].total:
                tied = taken[-1].total
                taken = [s for s in taken if s.total != tied]
            eligible = taken
        for s in eligible:
            s.grade = g["name"]
        chosen = {s.user_id for s in eligible}
        left = [s for s in left if s.user_id not in chosen]
    for s in left:
        s.grade = grades[-1]["name"]
