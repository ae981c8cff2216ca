"""The figures of the weekly summary (周汇总): for the ISO week that ended, what a case
manager needs at a glance, for every unit of a province's tree.

The rhythm is daily monitoring, weekly summary, monthly bulletin (日监控、周汇总、月通报).
A unit's summary has a row for the unit's own work (本院) and, for a higher unit, one
row for each direct child's whole tree, with the totals of its tree; each figure
beside last week's:

- cases received and closed in the week; statutory clocks overdue and due within
  ``DUE_SOON_DAYS`` days at the week's end (``bulletin_data``'s sections);
- monitoring alerts raised, notices issued, answered in time and unanswered past
  their deadline (``monitoring_bulletin``);
- ledger problems new and closed in the week, open and overdue at its end
  (``ledger_bulletin``).

The sections are the bulletin's, run once over the whole province with each unit its
own row; every unit's rows and totals are then sums over the unit tree. So the whole
province costs a fixed number of statements (two for the tree, the sections' own),
whatever the number of units.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from procuracy.extensions import db
from procuracy.oversight import bulletin_data, ledger_bulletin, monitoring_bulletin
from procuracy.reports.store import data_hash

WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")

# metric -> (section, figure of that section's "<figure>_by_row")
METRICS = {
    "received": ("cases", "received"), "closed": ("cases", "closed"),
    "overdue": ("clocks", "overdue"), "due_soon": ("clocks", "due_soon"),
    "alerts": ("monitoring", "alerts"), "issued": ("monitoring", "issued"),
    "answered": ("monitoring", "answered"), "answered_late": ("monitoring", "answered_late"),
    "unanswered": ("monitoring", "unanswered"),
    "ledger_new": ("ledger", "new"), "ledger_closed": ("ledger", "closed"),
    "ledger_open": ("ledger", "open"), "ledger_overdue": ("ledger", "overdue"),
}


class BadWeek(ValueError):
    """Not an ISO week such as 2026-W44."""


def week_bounds(period: str) -> tuple:
    """(Monday, Sunday) of an ISO week ``YYYY-Www``; ``BadWeek`` if it is not one."""
    if not WEEK.match(period or ""):
        raise BadWeek(f"not an ISO week (e.g. 2026-W44): {period!r}")
    try:
        start, end = bulletin_data.period_bounds(period)
    except ValueError:
        raise BadWeek(f"{period[:4]} has no week {period[-2:]}") from None
    return start, end - timedelta(days=1)


def _subtree(root_id: int) -> tuple[list[dict], dict[int, list[int]]]:
    """(the units of ``root_id``'s tree, shallowest first; unit -> its tree's units)."""
    from procuracy.tenants.models import Unit, UnitClosure

    units = [{"id": i, "code": c, "name": n, "level": lv, "parent_id": p}
             for i, c, n, lv, p in db.session.execute(
                 select(Unit.id, Unit.code, Unit.name, Unit.level, Unit.parent_id)
                 .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
                 .where(UnitClosure.ancestor_id == root_id)
                 .order_by(Unit.depth, Unit.code))]
    below: dict[int, list[int]] = defaultdict(list)
    for ancestor, descendant in db.session.execute(
            select(UnitClosure.ancestor_id, UnitClosure.descendant_id)
            .where(UnitClosure.ancestor_id.in_([u["id"] for u in units]))):
        below[ancestor].append(descendant)
    return units, below


def _per_unit(root_id: int, unit_ids: list[int], period: str) -> dict[str, dict]:
    """{"this"|"last": {metric: {unit id: n}}}: each unit on its own row."""
    own = {u: u for u in unit_ids}
    sections = {"cases": bulletin_data.cases_section(own, period),
                "clocks": bulletin_data.clocks_section(own, period),
                "monitoring": monitoring_bulletin.bulletin_section(root_id, own, period),
                "ledger": ledger_bulletin.bulletin_section(root_id, own, period)}
    return {label: {metric: sections[section][label][f"{figure}_by_row"]
                    for metric, (section, figure) in METRICS.items()}
            for label in ("this", "last")}


def _sum(per_unit: dict[str, dict], units: list[int]) -> dict[str, dict[str, int]]:
    return {label: {metric: sum(by_unit.get(u, 0) for u in units)
                    for metric, by_unit in figures.items()}
            for label, figures in per_unit.items()}


def gather(root_id: int, period: str) -> list[dict]:
    """The summary of every unit of ``root_id``'s tree for the week ``period``, the
    root's first; each JSON-ready, with the hash of its data."""
    first, last = week_bounds(period)
    units, below = _subtree(root_id)
    per_unit = _per_unit(root_id, [u["id"] for u in units], period)
    children: dict[int, list[dict]] = defaultdict(list)
    for unit in units:
        children[unit["parent_id"]].append(unit)
    out = []
    for unit in units:
        rows = [{"id": unit["id"], "code": unit["code"], "name": unit["name"], "own": True,
                 **_sum(per_unit, [unit["id"]])}]
        rows += [{"id": c["id"], "code": c["code"], "name": c["name"], "own": False,
                  **_sum(per_unit, below[c["id"]])} for c in children[unit["id"]]]
        data = {
            "unit": {k: unit[k] for k in ("id", "code", "name", "level")},
            "period": period, "previous": bulletin_data.previous_period(period),
            "from": first.isoformat(), "to": last.isoformat(),
            "due_soon_days": bulletin_data.DUE_SOON_DAYS, "rows": rows,
            **_sum(per_unit, below[unit["id"]]),
        }
        data["hash"] = data_hash(data)
        out.append(data)
    return out
