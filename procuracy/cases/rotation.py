"""Assigning cases (分案): by rotation (随机分案, the rule), by designation
(指定分案, the exception) and by reassignment; and the rotation board.

``draw`` takes a constant number of statements whatever the group's history:
four reads (the case, locked, with its kind's weight and any pending
designation; the group with its rules in force; the members, locked ``FOR
UPDATE`` so two draws in one group never pick from the same loads; the chosen
member's participant row), then one flush of the writes.
Services commit their own transaction.

This module is the one to import: groups, members and rules
(``rotation_groups``) and designation and reassignment (``designation``) are
re-exported here.
"""
from __future__ import annotations

from sqlalchemy import select

from procuracy.cases import assignment as engine
from procuracy.cases.assigning import (
    RANDOM_MATTER,
    lock_for_draw,
    random_draw,
    same_unit,
    unit_verdict,
)
from procuracy.cases.assignment_models import AssignmentDraw, RotationGroup, RotationRuleVersion
from procuracy.cases.designation import (  # noqa: F401  (re-exported)
    approve_designation,
    designate,
    reassign,
    refuse_designation,
)
from procuracy.cases.models import Case
from procuracy.cases.rotation_groups import (  # noqa: F401  (re-exported)
    RotationError,
    active_rules,
    add_member,
    as_pool,
    can_handle,
    create_group,
    decide_rules,
    groups_of_unit,
    locked_members,
    may_manage,
    propose_rules,
    remove_member,
    rule_versions,
    set_share,
    set_status,
    user_in_unit,
)
from procuracy.cases.timeline import add_step
from procuracy.extensions import db
from procuracy.tenants.models import User
from procuracy.tenants.roles import Role


# ---------------------------------------------------------------- random
def may_draw(actor: User, case: Case) -> bool:
    """Case managers run the rotation; so does whoever holds 随机分案 (AG-004)."""
    if actor.unit_id != case.unit_id:
        return False
    return Role.CASE_MANAGER in actor.role_names or \
        unit_verdict(actor, RANDOM_MATTER, case, case.department_id).allowed


def draw(case: Case, group: RotationGroup, actor: User) -> AssignmentDraw:
    """Assign ``case`` by rotation in ``group``: the eligible member with the lowest
    normalised load, ties broken by a fresh seed stored on the draw."""
    case, kind_weight, pending = lock_for_draw(case)
    same_unit(actor, case)
    if not may_draw(actor, case):
        raise PermissionError("random assignment is run by case management")
    if case.handler_id is not None:
        raise RotationError("the case already has a handler; reassign it instead")
    if pending:
        raise RotationError("a designation of this case awaits approval")
    result = random_draw(case, group, actor, "random", kind_weight=kind_weight)
    add_step(case, "assigned", actor.id, f"随机分案（{group.name}）",
             {"mode": "random", "draw": result.public_id, "group": result.group_id,
              "handler": result.chosen_id, "weight": result.weight})
    db.session.commit()
    return result


# ---------------------------------------------------------------- reading
def _names(ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _version_out(v: RotationRuleVersion | None, names: dict[int, User]) -> dict | None:
    if v is None:
        return None
    who = {i: names[i].username for i in (v.proposed_by_id, v.decided_by_id) if i in names}
    return {"version": v.version, "status": v.status, "rules": v.rules, "reason": v.reason,
            "proposed_by": who.get(v.proposed_by_id), "proposed_at": v.proposed_at,
            "decided_by": who.get(v.decided_by_id), "decided_at": v.decided_at}


def versions_out(versions: list[RotationRuleVersion]) -> list[dict]:
    names = _names([i for v in versions for i in (v.proposed_by_id, v.decided_by_id)])
    return [_version_out(v, names) for v in versions]


def rotation_board(group: RotationGroup) -> dict:
    """Members with their shares, status, loads (raw and normalised) and cases,
    and who is next: the eligible members tied at the lowest normalised load."""
    members = sorted(group.members, key=lambda m: m.user_id)
    pool = as_pool(members)
    tied = engine.lowest(pool)
    versions = rule_versions(group)
    names = _names([m.user_id for m in members]
                   + [i for v in versions for i in (v.proposed_by_id, v.decided_by_id)])
    active = next((v for v in versions if v.id == group.active_rules_id), None)
    pending = next((v for v in versions if v.status == "proposed"), None)
    return {
        "id": group.id, "name": group.name, "line": group.line,
        "department_id": group.department_id, "kind_codes": group.kind_codes,
        "rules": _version_out(active, names), "pending_rules": _version_out(pending, names),
        "members": [{
            "user": names[c["user_id"]].username if c["user_id"] in names else None,
            "full_name": names[c["user_id"]].full_name if c["user_id"] in names else "",
            "share": f"{c['share_num']}/{c['share_den']}", "share_num": c["share_num"],
            "share_den": c["share_den"], "status": c["status"], "eligible": c["eligible"],
            "load": c["load"], "normalised": c["normalised"], "cases": m.cases,
            "next": c["user_id"] in tied,
        } for c, m in zip(pool, members, strict=True)],
        "next": [names[i].username for i in tied if i in names],
        "tied": len(tied) > 1,
    }


def group_out(group: RotationGroup) -> dict:
    return {"id": group.id, "name": group.name, "line": group.line,
            "department_id": group.department_id, "kind_codes": group.kind_codes,
            "members": len(group.members), "rules_in_force": group.active_rules_id is not None}


def draw_out(result: AssignmentDraw) -> dict:
    """A draw as the API shows it: users by user name, the case by public id."""
    ids = [result.chosen_id, result.previous_id, result.requested_by_id, result.approved_by_id,
           *(c["user_id"] for c in result.candidates)]
    names = {i: u.username for i, u in _names(ids).items()}
    case_public = db.session.scalar(select(Case.public_id).where(Case.id == result.case_id))
    version = db.session.scalar(select(RotationRuleVersion.version).where(
        RotationRuleVersion.id == result.rules_id)) if result.rules_id else None
    return {
        "id": result.public_id, "case": case_public, "mode": result.mode,
        "status": result.status, "group": result.group_id, "rules_version": version,
        "seed": result.seed, "weight": result.weight,
        "candidates": [dict(c, user=names.get(c["user_id"])) for c in result.candidates],
        "chosen": names.get(result.chosen_id), "previous": names.get(result.previous_id),
        "reason": result.reason, "requested_by": names.get(result.requested_by_id),
        "approved_by": names.get(result.approved_by_id), "at": result.at,
    }


def case_draws(case: Case) -> list[AssignmentDraw]:
    """Every assignment of a case, oldest first."""
    return list(db.session.scalars(select(AssignmentDraw).where(
        AssignmentDraw.case_id == case.id).order_by(AssignmentDraw.at, AssignmentDraw.id)))

