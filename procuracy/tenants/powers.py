"""Power-list rules: the effective list of a unit on a date, ``may_decide``,
drafts and publication, comparison of versions, the delegation summary.

The effective list is the province's template overlaid, level by level, with
each lower unit's overrides and local items, each level taken at the version in
force on the date. Three queries whatever the depth of the tree.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Unit, UnitClosure
from procuracy.tenants.power_models import PowerItem, PowerList
from procuracy.tenants.roles import DECIDERS, DECISION_RANK, Role

EDITORS = frozenset({Role.UNIT_ADMIN, Role.CHIEF})
CONDITIONS = ("", "major", "not_major", "detained", "not_detained", "juvenile")
RANK = {name: i for i, name in enumerate(DECIDERS)}


class PowerListError(ValueError):
    """A change to a power list that the rules refuse (answers 422)."""


@dataclass(frozen=True)
class EffectiveItem:
    code: str
    category: str
    matter: str
    decider_role: str
    condition: str
    overridable: bool
    note: str
    origin: str  # template | override | local
    source_unit: str  # code of the unit whose list set it
    template_role: str | None = None


@dataclass
class EffectiveList:
    unit: Unit
    on: date
    items: list[EffectiveItem]
    versions: dict[str, int] = field(default_factory=dict)  # unit code -> version in force

    def for_matter(self, matter: str) -> list[EffectiveItem]:
        return [i for i in self.items if matter in (i.matter, i.code)]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    item: EffectiveItem | None
    decider_role: str | None
    versions: dict
    reason: str = ""


# ---------------------------------------------------------------- reading
def _path(unit: Unit) -> list[Unit]:
    """The unit's ancestors, root first, the unit last."""
    rows = db.session.execute(
        select(Unit, UnitClosure.distance)
        .join(UnitClosure, UnitClosure.ancestor_id == Unit.id)
        .where(UnitClosure.descendant_id == unit.id)
        .order_by(UnitClosure.distance.desc())
    ).all()
    return [u for u, _ in rows] or [unit]


def lists_in_force(unit_ids: list[int], on: date) -> dict[int, PowerList]:
    rows = db.session.scalars(
        select(PowerList)
        .where(PowerList.unit_id.in_(unit_ids), PowerList.status == "published",
               PowerList.effective_from <= on)
        .order_by(PowerList.unit_id, PowerList.version)
    ).all()
    return {pl.unit_id: pl for pl in rows}  # the last (highest) version wins


def effective_list(unit: Unit, on: date | None = None) -> EffectiveList:
    on = on or utcnow().date()
    path = _path(unit)
    in_force = lists_in_force([u.id for u in path], on)
    lists = [in_force[u.id] for u in path if u.id in in_force]
    items_by_list: dict[int, list[PowerItem]] = {pl.id: [] for pl in lists}
    if lists:
        for item in db.session.scalars(
            select(PowerItem).where(PowerItem.list_id.in_(list(items_by_list)))
        ):
            items_by_list[item.list_id].append(item)
    codes = {u.id: u.code for u in path}
    merged: dict[str, EffectiveItem] = {}
    for depth, pl in enumerate(lists):
        for it in items_by_list[pl.id]:
            base = merged.get(it.code)
            if depth == 0 or base is None:
                origin = "template" if depth == 0 else "local"
                merged[it.code] = _effective(it, origin, codes[pl.unit_id], None)
            elif base.overridable:
                merged[it.code] = _effective(it, "override", codes[pl.unit_id],
                                             base.template_role or base.decider_role,
                                             overridable=True)
    items = sorted(merged.values(), key=lambda i: i.code)
    return EffectiveList(unit, on, items, {codes[pl.unit_id]: pl.version for pl in lists})


def _effective(it: PowerItem, origin: str, source: str, template_role: str | None,
               overridable: bool | None = None) -> EffectiveItem:
    return EffectiveItem(it.code, it.category, it.matter, it.decider_role, it.condition,
                         it.overridable if overridable is None else overridable, it.note,
                         origin, source, template_role)


def condition_applies(condition: str, case) -> bool:
    if not condition:
        return True
    if condition.startswith("not_"):
        return not bool(getattr(case, condition[4:], False))
    return bool(getattr(case, condition, False))


# ---------------------------------------------------------------- deciding
def decider_for(effective: EffectiveList, matter: str, case) -> EffectiveItem | None:
    """The item that governs ``matter`` for ``case``; where several conditions
    match, the one reserved to the highest decider wins (the stricter rule)."""
    matching = [i for i in effective.for_matter(matter) if condition_applies(i.condition, case)]
    return max(matching, key=lambda i: RANK[i.decider_role], default=None)


def holds_power(user, decider_role: str, case) -> bool:
    """Whether ``user`` may act as ``decider_role`` on ``case`` in its unit."""
    if user.unit_id != case.unit_id or decider_role == "committee":
        return False
    roles = user.role_names
    if decider_role == "prosecutor":
        handles = case.handler_id == user.id and (Role.PROSECUTOR in roles or user.holds_quota)
        if handles:
            return True
    rank = DECISION_RANK.get(Role(decider_role), 99)
    if Role.CHIEF in roles:
        return True
    if Role.DEPUTY_CHIEF in roles and rank <= DECISION_RANK[Role.DEPUTY_CHIEF]:
        return True
    return (Role.DEPARTMENT_HEAD in roles and rank <= DECISION_RANK[Role.DEPARTMENT_HEAD]
            and user.department_id is not None and user.department_id == case.department_id)


def may_decide(user, matter: str, case, on: date | None = None) -> Verdict:
    """Yes, or no with the item and the role that does decide, under the list in
    force in the case's unit on ``on`` (today by default)."""
    unit = db.session.get(Unit, case.unit_id)
    if unit is None:
        return Verdict(False, None, None, {}, "the case's unit is not visible")
    effective = effective_list(unit, on)
    item = decider_for(effective, matter, case)
    if item is None:
        return Verdict(False, None, None, effective.versions,
                       f"'{matter}' is not on the power list in force")
    allowed = holds_power(user, item.decider_role, case)
    reason = "" if allowed else f"decided by {item.decider_role} ({item.code})"
    return Verdict(allowed, item, item.decider_role, effective.versions, reason)


# ---------------------------------------------------------------- summaries
def summary(items: list[EffectiveItem]) -> dict:
    by_role = Counter(i.decider_role for i in items)
    total = len(items)
    return {
        "total": total,
        "by_decider": {r: by_role.get(r, 0) for r in DECIDERS},
        "prosecutor_share": round(by_role.get("prosecutor", 0) / total, 3) if total else 0.0,
        "by_origin": dict(Counter(i.origin for i in items)),
        "by_category": dict(Counter(i.category for i in items)),
    }


def compare(old: list[EffectiveItem], new: list[EffectiveItem]) -> dict:
    a = {i.code: i for i in old}
    b = {i.code: i for i in new}
    changed = []
    for code in sorted(a.keys() & b.keys()):
        diff = {f: (getattr(a[code], f), getattr(b[code], f))
                for f in ("matter", "decider_role", "condition", "overridable", "category")
                if getattr(a[code], f) != getattr(b[code], f)}
        if diff:
            changed.append({"code": code, "matter": b[code].matter, "changes": diff})
    return {
        "added": [b[c] for c in sorted(b.keys() - a.keys())],
        "removed": [a[c] for c in sorted(a.keys() - b.keys())],
        "changed": changed,
    }


def items_of_version(power_list: PowerList) -> list[EffectiveItem]:
    rows = db.session.scalars(select(PowerItem).where(PowerItem.list_id == power_list.id))
    unit_code = db.session.get(Unit, power_list.unit_id).code
    return sorted((_effective(i, "list", unit_code, None) for i in rows), key=lambda i: i.code)


def versions(unit: Unit) -> list[PowerList]:
    return list(db.session.scalars(
        select(PowerList).where(PowerList.unit_id == unit.id).order_by(PowerList.version.desc())
    ))


def next_version(unit_id: int) -> int:
    current = db.session.scalar(
        select(func.max(PowerList.version)).where(PowerList.unit_id == unit_id)
    )
    return (current or 0) + 1
