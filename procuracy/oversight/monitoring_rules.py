"""Monitoring rules as data: the rules in force for a unit, and a unit's adjustments.

The province publishes each rule (code, kind, params, severity, step) with ``limits``:
what lower units may change and how far, e.g.

    {"days": {"min": 2, "max": 5},   # a numeric parameter, within these bounds
     "may_disable": false}           # whether a unit may switch the rule off

Everything else is the province's. A unit may always make a rule stricter in two
ways: raise its severity, or lead it to a written notice instead of a reminder; it
may never lower either below the province's. A unit's adjustment is its own row with
the rule's code; the rule in force for a unit is the nearest row on its path (its own,
else its parent's adjustment, else the province's).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from procuracy.extensions import db
from procuracy.oversight.monitoring_models import (
    RULE_KINDS,
    SEVERITIES,
    STEPS,
    MonitoringRule,
)
from procuracy.tenants.models import Unit, UnitClosure
from procuracy.tenants.roles import Role

RULE_EDITORS = frozenset({Role.CHIEF, Role.CASE_MANAGER})
# The parameters each kind reads (the rest of a rule's params are ignored).
PARAMS = {
    "due_soon": ("kinds", "exclude", "days"),
    "overdue": ("kinds", "exclude"),
    "missing_document": ("kinds", "exclude", "grace_days"),
    "missing_field": ("kinds", "exclude", "grace_days"),
    "long_unclosed": ("kinds", "exclude", "days"),
    "designated": (),
    "leader_case": (),
}
assert set(PARAMS) == set(RULE_KINDS)


class RuleRefused(ValueError):
    """An adjustment the province's limits do not allow (422); ``errors`` by field."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


@dataclass
class EffectiveRule:
    """A rule as it applies to one unit: the nearest row's values, the template's limits."""

    code: str
    kind: str
    name: str
    params: dict
    severity: str
    step: str
    enabled: bool
    limits: dict
    origin: str  # "province" (the template), "own" (the unit's adjustment), "inherited"
    origin_unit_id: int
    template_id: int
    row: MonitoringRule = field(repr=False)

    def param(self, name: str, default=None):
        return (self.params or {}).get(name, default)


def path_ids(unit_id: int) -> list[int]:
    """The unit's ancestors, root first, the unit itself last."""
    rows = db.session.execute(
        select(UnitClosure.ancestor_id).where(UnitClosure.descendant_id == unit_id)
        .order_by(UnitClosure.distance.desc())).scalars().all()
    return list(rows) or [unit_id]


def effective_rules(unit_id: int, *, enabled_only: bool = False) -> list[EffectiveRule]:
    """The rules in force for ``unit_id``, in the template's order (two queries)."""
    path = path_ids(unit_id)
    depth = {uid: i for i, uid in enumerate(path)}
    rows = db.session.scalars(
        select(MonitoringRule).where(MonitoringRule.unit_id.in_(path),
                                     MonitoringRule.status == "published")
        .order_by(MonitoringRule.id)).all()
    templates = {r.code: r for r in rows if r.based_on_id is None}
    nearest: dict[str, MonitoringRule] = {}
    for row in rows:
        if row.code not in templates:
            continue  # an adjustment of a rule the province has withdrawn
        best = nearest.get(row.code)
        if best is None or depth[row.unit_id] > depth[best.unit_id]:
            nearest[row.code] = row
    out = []
    for code, template in templates.items():
        row = nearest[code]
        origin = ("province" if row.id == template.id
                  else "own" if row.unit_id == unit_id else "inherited")
        rule = EffectiveRule(code, template.kind, template.name, dict(row.params or {}),
                             row.severity, row.step, row.enabled, dict(template.limits or {}),
                             origin, row.unit_id, template.id, row)
        if rule.enabled or not enabled_only:
            out.append(rule)
    return out


def rule_for(unit_id: int, code: str) -> EffectiveRule | None:
    return next((r for r in effective_rules(unit_id) if r.code == code), None)


# ---------------------------------------------------------------- adjusting
def check_adjustment(template: MonitoringRule, change: dict) -> dict[str, list[str]]:
    """What is wrong with ``change`` (params, severity, step, enabled) under the
    template's limits; empty when it may be made."""
    errors: dict[str, list[str]] = {}
    limits = template.limits or {}
    for name, value in (change.get("params") or {}).items():
        bound = limits.get(name)
        if not isinstance(bound, dict):
            errors.setdefault(f"params.{name}", []).append(
                "the province does not let units change this parameter")
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            errors.setdefault(f"params.{name}", []).append("a whole number is required")
            continue
        low, high = bound.get("min"), bound.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            errors.setdefault(f"params.{name}", []).append(
                f"{value} is outside the province's limits ({low}–{high})")
    severity = change.get("severity")
    if severity is not None:
        if severity not in SEVERITIES:
            errors.setdefault("severity", []).append(f"one of {', '.join(SEVERITIES)}")
        elif SEVERITIES.index(severity) < SEVERITIES.index(template.severity):
            errors.setdefault("severity", []).append(
                f"may not be milder than the province's ({template.severity})")
    step = change.get("step")
    if step is not None:
        if step not in STEPS:
            errors.setdefault("step", []).append(f"one of {', '.join(STEPS)}")
        elif STEPS.index(step) < STEPS.index(template.step):
            errors.setdefault("step", []).append(
                f"may not be milder than the province's ({template.step})")
    if change.get("enabled") is False and not limits.get("may_disable"):
        errors.setdefault("enabled", []).append("the province does not let units switch "
                                                "this rule off")
    return errors


def _require_editor(user) -> None:
    if not user.has_role(*RULE_EDITORS):
        raise PermissionError("only the unit's chief or case managers adjust its monitoring rules")


def adjust(user, code: str, change: dict) -> EffectiveRule:
    """Write (or change) ``user``'s unit's adjustment of rule ``code``. Commits.
    ``LookupError`` when no such rule reaches the unit; ``RuleRefused`` (nothing
    written) when the change goes beyond the province's limits."""
    _require_editor(user)
    current = rule_for(user.unit_id, code)
    if current is None:
        raise LookupError(f"no monitoring rule {code!r}")
    template = db.session.get(MonitoringRule, current.template_id)
    if template.unit_id == user.unit_id:
        raise PermissionError("the province changes its own rules by publishing them, "
                              "not by adjusting")
    errors = check_adjustment(template, change)
    if errors:
        raise RuleRefused(errors)
    own = current.row if current.origin == "own" else None
    if own is None:
        own = MonitoringRule(unit_id=user.unit_id, code=code, kind=template.kind,
                             name=template.name, params=dict(current.params),
                             severity=current.severity, step=current.step,
                             enabled=current.enabled, limits={}, based_on_id=template.id,
                             status="published")
        db.session.add(own)
    own.params = {**dict(own.params or {}), **(change.get("params") or {})}
    for name in ("severity", "step", "enabled", "note"):
        if change.get(name) is not None:
            setattr(own, name, change[name])
    own.updated_by_id = user.id
    db.session.commit()
    return rule_for(user.unit_id, code)


def reset(user, code: str) -> EffectiveRule:
    """Drop ``user``'s unit's adjustment of ``code``: the inherited rule applies again."""
    _require_editor(user)
    current = rule_for(user.unit_id, code)
    if current is None:
        raise LookupError(f"no monitoring rule {code!r}")
    if current.origin == "own":
        db.session.delete(current.row)
        db.session.commit()
    return rule_for(user.unit_id, code)


def unit_codes(ids) -> dict[int, str]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(ids))).all())


def rule_out(rule: EffectiveRule, codes: dict[int, str]) -> dict:
    return {"code": rule.code, "kind": rule.kind, "name": rule.name, "params": rule.params,
            "severity": rule.severity, "step": rule.step, "enabled": rule.enabled,
            "limits": rule.limits, "origin": rule.origin,
            "origin_unit": codes.get(rule.origin_unit_id, ""), "note": rule.row.note}
