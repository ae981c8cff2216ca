"""Evaluation rules as data: periods, the rule set in force for a unit, and the
checks a rule set must pass when it is saved and when it is published.

A rule set is handled here as plain *content* (a dict of audience, period kind,
aspects, indicators, grading, allowances), so a draft can be checked before any
row is written. The province's rule set is the template; a lower unit's rule set
is a full copy of it (``based_on_id``) with the adjustments the template's
``allowances`` permit:

    {"core_min": 70,            # core aspects together weigh at least this (percent)
     "aspect_weights": true,    # aspect weights may change (still adding up to 100)
     "max_weight_change": 5,    # ... by at most this many points each (optional)
     "indicators": ["CODE", ...] or "*",  # indicators whose parameters may change
     "add_indicators": false,   # local indicators may be added
     "remove_indicators": false,
     "grading": false}          # the grading may change

Aspects (codes, names, core flags) always follow the template.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from procuracy.appraisal.rule_models import RuleSet
from procuracy.cases.calendar import china_today
from procuracy.extensions import db
from procuracy.tenants.models import Unit, UnitClosure
from procuracy.tenants.roles import Role

# Who drafts and publishes a unit's rules, and who computes and publishes scores.
RULE_EDITORS = frozenset({Role.CHIEF, Role.CASE_MANAGER})
REVIEW_GRADES = ("优质", "合格", "瑕疵", "不合格")
# type: (label, sign of its points)
EVENT_TYPES = {
    "award": ("表彰奖励", 1), "commendation": ("通报表扬", 1), "model_case": ("精品案例", 1),
    "research": ("调研成果", 1), "training": ("培训学习", 1),
    "flaw": ("办案瑕疵", -1), "overdue": ("超期办案", -1), "complaint": ("有效投诉", -1),
    "monitoring_notice": ("流程监控通知", -1), "misconduct": ("违反职业操守", -1),
}
CASE_ROLES = ("handler", "assistant", "clerk", "participant")
CASE_DATES = ("closed", "received")
GRADING_METHODS = ("thresholds", "quota")
CHANGEABLE = ("kind", "aspect_code", "params", "points_per_unit", "max_points", "normalise")


class RuleSetError(ValueError):
    """A change to a rule set that the rules refuse (answers 422)."""

    def __init__(self, message: str, errors: list[str] | None = None, field: str = "rule_set"):
        super().__init__(message)
        self.errors = errors or [message]
        self.field = field


class RuleSetInvalid(RuleSetError):
    """The rule set does not pass the checks; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]):
        super().__init__("the rule set is not valid: " + "; ".join(errors), errors)


class PeriodError(ValueError):
    """Not a period: 2026-03, 2026-Q1 or 2026."""


# ---------------------------------------------------------------- periods
@dataclass(frozen=True)
class Period:
    text: str
    kind: str  # month | quarter | year
    start: date
    end: date  # inclusive

    def previous(self) -> Period:
        return period_containing(self.start - timedelta(days=1), self.kind)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_period(text: str) -> Period:
    text = (text or "").strip()
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"{text!r}: no month {month}")
        return Period(text, "month", date(year, month, 1),
                      date(year, month, calendar.monthrange(year, month)[1]))
    if m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        last = 3 * q
        return Period(text, "quarter", date(year, last - 2, 1),
                      date(year, last, calendar.monthrange(year, last)[1]))
    if m := _YEAR.match(text):
        year = int(m[1])
        return Period(text, "year", date(year, 1, 1), date(year, 12, 31))
    raise PeriodError(f"{text!r} is not a period: use 2026-03, 2026-Q1 or 2026")


def period_containing(day: date, kind: str) -> Period:
    if kind == "month":
        return parse_period(f"{day.year}-{day.month:02d}")
    if kind == "quarter":
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return parse_period(str(day.year))


# ---------------------------------------------------------------- reading
def path_ids(unit: Unit) -> list[int]:
    """The unit's ancestors' ids, root first, the unit's own last."""
    rows = db.session.execute(
        select(UnitClosure.ancestor_id, UnitClosure.distance)
        .where(UnitClosure.descendant_id == unit.id).order_by(UnitClosure.distance.desc())
    ).all()
    return [a for a, _ in rows] or [unit.id]


def with_content(query):
    return query.options(selectinload(RuleSet.aspects), selectinload(RuleSet.indicators))


def effective_rule_set(unit: Unit, audience: str, period_kind: str = "month",
                       on: date | None = None) -> RuleSet | None:
    """The rule set in force for ``unit`` on ``on``: the unit's own latest published
    version whose ``effective_from`` has come, else the nearest higher unit's (in the
    end the province's template). Aspects and indicators are loaded."""
    on = on or china_today()
    path = path_ids(unit)
    found = db.session.scalars(with_content(
        select(RuleSet).where(RuleSet.unit_id.in_(path), RuleSet.audience == audience,
                              RuleSet.period_kind == period_kind,
                              RuleSet.status == "published", RuleSet.effective_from <= on)
    )).all()
    depth = {uid: i for i, uid in enumerate(path)}
    return max(found, key=lambda rs: (depth[rs.unit_id], rs.version), default=None)


def rule_set_by_public_id(public_id: str) -> RuleSet | None:
    return db.session.scalars(with_content(
        select(RuleSet).where(RuleSet.public_id == public_id))).first()


def load_content(rule_set_id: int) -> RuleSet | None:
    return db.session.scalars(with_content(select(RuleSet).where(RuleSet.id == rule_set_id))).first()


def content_of(rs: RuleSet) -> dict:
    """A rule set as plain content (what the checks and the editing work on)."""
    return {
        "audience": rs.audience, "period_kind": rs.period_kind, "grading": rs.grading or {},
        "allowances": rs.allowances or {},
        "aspects": [{"code": a.code, "name": a.name, "weight": a.weight, "core": a.core,
                     "seq": a.seq} for a in rs.aspects],
        "indicators": [{"code": i.code, "name": i.name, "aspect_code": i.aspect_code,
                        "kind": i.kind, "params": i.params or {},
                        "points_per_unit": i.points_per_unit, "max_points": i.max_points,
                        "normalise": i.normalise, "seq": i.seq} for i in rs.indicators],
    }


def known_case_kinds(unit_id: int) -> dict[str, set[str]]:
    """Case kinds published to the unit: each code and each name -> {code, name}
    (cases carry the kind's code, the foundation's demo cases its name)."""
    from procuracy.cases.catalogue_models import CaseKind

    ancestors = select(UnitClosure.ancestor_id).where(UnitClosure.descendant_id == unit_id)
    out: dict[str, set[str]] = {}
    for code, name in db.session.execute(
            select(CaseKind.code, CaseKind.name).where(CaseKind.unit_id.in_(ancestors))):
        out.setdefault(code, set()).update({code, name})
        out.setdefault(name, set()).update({code, name})
    return out
