"""Drawing a review sample: the population of a plan and the reproducible draw.

The population is the closed cases of the covered units (descendants included
when the plan says so) closed in the plan's date range and matching its filters,
ordered by case id, that are not must-review cases; the must-review cases (by
outcome) join the sample whatever the draw. Two statements, whatever the size.

The draw is a partial Fisher-Yates shuffle of the population driven only by
``random.Random(seed).random()``, whose sequence for a given seed Python keeps
across versions (``sample``, ``choice`` and ``randrange`` carry no such promise),
so a stored draw replays on a later interpreter, like the case assignment's.
"""
from __future__ import annotations

import math
import random

from sqlalchemy import or_, select

from procuracy.cases.catalogue_models import LINES, CaseKind
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.models import UnitClosure

FILTER_FLAGS = ("major", "detained", "juvenile")
FILTER_KEYS = frozenset({"kinds", "lines", *FILTER_FLAGS})


def validate_filters(filters: object) -> dict:
    """The case filters a plan may carry; raises ValueError naming the problem."""
    if not isinstance(filters, dict):
        raise ValueError("filters is an object")
    unknown = sorted(set(filters) - FILTER_KEYS)
    if unknown:
        raise ValueError(f"unknown filter {', '.join(unknown)} (use {', '.join(sorted(FILTER_KEYS))})")
    out: dict = {}
    kinds = filters.get("kinds")
    if kinds is not None:
        if not isinstance(kinds, list) or not all(isinstance(k, str) and 0 < len(k) <= 32
                                                  for k in kinds) or len(kinds) > 100:
            raise ValueError("kinds lists up to 100 kind codes")
        out["kinds"] = sorted(set(kinds))
    lines = filters.get("lines")
    if lines is not None:
        if not isinstance(lines, list) or not set(lines) <= set(LINES):
            raise ValueError(f"lines are among {', '.join(LINES)}")
        out["lines"] = sorted(set(lines))
    for flag in FILTER_FLAGS:
        if flag in filters:
            if not isinstance(filters[flag], bool):
                raise ValueError(f"{flag} is true or false")
            out[flag] = filters[flag]
    return out


def covered_unit_ids(plan) -> list[int]:
    """The units whose cases the plan covers (one statement with descendants)."""
    if not plan.with_descendants:
        return sorted(plan.unit_ids)
    return sorted(set(db.session.scalars(select(UnitClosure.descendant_id).where(
        UnitClosure.ancestor_id.in_(plan.unit_ids)))))


def _conditions(plan) -> list:
    units = (select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id.in_(plan.unit_ids))
             if plan.with_descendants else list(plan.unit_ids))
    conditions = [Case.unit_id.in_(units), Case.status == "closed",
                  Case.closed_on >= plan.date_from, Case.closed_on <= plan.date_to]
    filters = plan.filters or {}
    if filters.get("kinds"):
        conditions.append(Case.kind_code.in_(filters["kinds"]))
    if filters.get("lines"):
        of_line = CaseKind.line.in_(filters["lines"])
        conditions.append(or_(Case.kind_id.in_(select(CaseKind.id).where(of_line)),
                              Case.kind_code.in_(select(CaseKind.code).where(of_line)),
                              Case.kind_code.in_(select(CaseKind.name).where(of_line))))
    for flag in FILTER_FLAGS:
        if flag in filters:
            conditions.append(getattr(Case, flag).is_(filters[flag]))
    return conditions


def population(plan) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    """(the random part's population as (case id, unit id) by case id,
    the must-review cases as (case id, unit id, outcome) by case id)."""
    conditions = _conditions(plan)
    must = list(plan.must_review or [])
    pool = db.session.execute(
        select(Case.id, Case.unit_id).where(*conditions, Case.outcome.not_in(must))
        .order_by(Case.id)).all()
    musts = db.session.execute(
        select(Case.id, Case.unit_id, Case.outcome).where(*conditions, Case.outcome.in_(must))
        .order_by(Case.id)).all() if must else []
    return [tuple(r) for r in pool], [tuple(r) for r in musts]


def sample_size(mode: str, value: float, size: int) -> int:
    """N cases, or ceil(rate x population); never more than the population."""
    if mode == "count":
        return min(int(value), size)
    # round first: 0.1 * 30 is 3.0000000000000004 in binary, and its ceiling is not 4
    return min(math.ceil(round(value * size, 6)), size)


def draw_ids(ids: list[int], count: int, seed: str) -> list[int]:
    """``count`` of ``ids`` chosen with ``random.Random(seed)``, in the order drawn."""
    pool = sorted(ids)
    rng = random.Random(seed)
    n = len(pool)
    for i in range(min(count, n)):
        j = i + min(int(rng.random() * (n - i)), n - i - 1)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:count]
