"""Who may decide a matter that belongs to a unit rather than to one case's
handler (轮案规则调整, 随机分案, 指定分案 before the case has a handler).

Same list, same rule as ``powers.may_decide``: the unit's effective power list
names the deciding role (``decider_for``) and ``holds_power`` says who acts in
that role. There is no handler, so a matter the list gives to prosecutors is
held by any prosecutor of the unit (or any quota holder); a department head
holds department-level matters only for ``department_id``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from procuracy.tenants import powers
from procuracy.tenants.roles import Role


@dataclass(frozen=True)
class UnitMatter:
    """A case-like subject for ``decider_for``/``holds_power``: no handler, and
    only the flags the caller gives (conditions such as "major" then apply)."""

    unit_id: int
    department_id: int | None = None
    handler_id: None = None
    major: bool = False
    detained: bool = False
    juvenile: bool = False


def may_decide_for_unit(user, matter: str, unit, on: date | None = None, *,
                        department_id: int | None = None,
                        flags: dict | None = None) -> powers.Verdict:
    """Yes, or no with the item and the role that does decide ``matter`` in ``unit``."""
    effective = powers.effective_list(unit, on)
    subject = UnitMatter(unit.id, department_id, **(flags or {}))
    item = powers.decider_for(effective, matter, subject)
    if item is None:
        return powers.Verdict(False, None, None, effective.versions,
                              f"'{matter}' is not on the power list in force")
    allowed = holds_unit_power(user, item.decider_role, subject)
    reason = "" if allowed else f"decided by {item.decider_role} ({item.code})"
    return powers.Verdict(allowed, item, item.decider_role, effective.versions, reason)


def holds_unit_power(user, decider_role: str, subject: UnitMatter) -> bool:
    if user.unit_id != subject.unit_id or not user.active:
        return False
    if decider_role == "prosecutor" and (Role.PROSECUTOR in user.role_names or user.holds_quota):
        return True
    return powers.holds_power(user, decider_role, subject)
