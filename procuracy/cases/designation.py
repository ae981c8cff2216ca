"""Designated assignment (指定分案), the exception to rotation: a reason, and the
approval of whoever the unit's power list names (指定分案 AG-005, the department
head; 指定院领导办理案件 AG-006, the chief, when the designee is a leader). A
designated case is marked ``designated`` and its draw has mode "designated".
Reassignment (conflict of interest, absence): a reason, the previous handler
kept on the draw, the load moved with the case. Services commit.
"""
from __future__ import annotations

from sqlalchemy import select

from procuracy.cases.assigning import (
    DESIGNATE_MATTER,
    case_weight,
    credit,
    lock_case,
    matter_for,
    pending_designation,
    random_draw,
    same_unit,
    set_handler,
    unit_verdict,
)
from procuracy.cases.assignment_models import AssignmentDraw, RotationGroup
from procuracy.cases.models import Case, CaseParticipant, new_public_id
from procuracy.cases.rotation_groups import RotationError, active_rules, can_handle, locked_members
from procuracy.cases.timeline import add_step
from procuracy.extensions import db
from procuracy.tenants.models import User
from procuracy.tenants.roles import Role


# ---------------------------------------------------------------- designation
def designate(case: Case, user: User, reason: str, actor: User,
              group: RotationGroup | None = None) -> AssignmentDraw:
    """Designate ``user`` as the handler. Done at once when the actor may decide
    指定分案 (指定院领导办理案件 for the chief or a deputy) and is not designating
    themselves (only the chief, with nobody above in the unit, may); otherwise
    pending until someone who may approves. With ``group``,
    the case counts in the member's load there."""
    same_unit(actor, case)
    if not (reason or "").strip():
        raise RotationError("a designation needs a reason")
    if user.unit_id != case.unit_id or not can_handle(user):
        raise RotationError(f"{user.username} is not an active prosecutor of the case's unit")
    case = lock_case(case)
    if case.handler_id is not None:
        raise RotationError("the case already has a handler; reassign it instead")
    if pending_designation(case) is not None:
        raise RotationError("a designation of this case already awaits approval")
    weight, rules_id = case.weight, None
    if group is not None:
        if group.unit_id != case.unit_id or user.id not in {m.user_id for m in group.members}:
            raise RotationError(f"{user.username} is not in the group")
        rules = active_rules(group)
        if rules is not None:
            weight, rules_id = case_weight(rules.rules, case), rules.id
    if case.department_id is None:  # routed to a department, whose head decides
        case.department_id = user.department_id or actor.department_id
    result = AssignmentDraw(public_id=new_public_id(), unit_id=case.unit_id, case_id=case.id,
                            group_id=group.id if group else None, rules_id=rules_id,
                            mode="designated", seed="", weight=weight, candidates=[],
                            chosen_id=user.id, reason=reason.strip(), status="pending",
                            requested_by_id=actor.id)
    db.session.add(result)
    verdict = unit_verdict(actor, matter_for(user), case, case.department_id)
    if verdict.allowed and (actor.id != user.id or Role.CHIEF in actor.role_names):
        _complete(result, case, actor)
    else:
        add_step(case, "assignment_requested", actor.id, f"申请指定分案：{reason.strip()}",
                 {"mode": "designated", "draw": result.public_id, "handler": user.id,
                  "awaiting": verdict.decider_role or ""})
    db.session.commit()
    return result


def _complete(result: AssignmentDraw, case: Case, approver: User) -> None:
    result.status, result.approved_by_id = "done", approver.id
    case.designated = True
    if result.group_id is not None:
        group = db.session.get(RotationGroup, result.group_id)
        credit(locked_members(group), result.chosen_id, result.weight)
    set_handler(case, result.chosen_id, None)
    add_step(case, "assigned", approver.id, f"指定分案：{result.reason}",
             {"mode": "designated", "draw": result.public_id, "handler": result.chosen_id,
              "requested_by": result.requested_by_id, "approved_by": approver.id})


def _pending_designation(result: AssignmentDraw, approver: User) -> tuple[Case, User]:
    if result.mode != "designated" or result.status != "pending":
        raise RotationError(f"this assignment is {result.mode}, {result.status}: "
                            "nothing to decide")
    case = db.session.get(Case, result.case_id)
    same_unit(approver, case)  # first: on PostgreSQL another unit's row cannot be locked
    case = lock_case(case)
    chosen = db.session.get(User, result.chosen_id)
    verdict = unit_verdict(approver, matter_for(chosen), case, case.department_id)
    if not verdict.allowed:
        raise PermissionError(f"approving this designation is {verdict.reason}")
    if approver.id == result.chosen_id and Role.CHIEF not in approver.role_names:
        raise PermissionError("nobody approves a designation to themselves")
    return case, chosen


def approve_designation(result: AssignmentDraw, approver: User) -> AssignmentDraw:
    case, _ = _pending_designation(result, approver)
    if case.handler_id is not None:
        raise RotationError("the case was assigned meanwhile; reassign it instead")
    _complete(result, case, approver)
    db.session.commit()
    return result


def refuse_designation(result: AssignmentDraw, approver: User, note: str = "") -> AssignmentDraw:
    case, _ = _pending_designation(result, approver)
    result.status, result.approved_by_id = "refused", approver.id
    add_step(case, "designation_refused", approver.id, f"不同意指定分案：{note}".rstrip("："),
             {"mode": "designated", "draw": result.public_id, "note": note})
    db.session.commit()
    return result


# ---------------------------------------------------------------- reassignment
def _last_group_draw(case: Case) -> AssignmentDraw | None:
    return db.session.scalars(select(AssignmentDraw).where(
        AssignmentDraw.case_id == case.id, AssignmentDraw.status == "done",
        AssignmentDraw.group_id.is_not(None))
        .order_by(AssignmentDraw.at.desc(), AssignmentDraw.id.desc()).limit(1)).first()


def reassign(case: Case, reason: str, actor: User, new_user: User | None = None,
             group: RotationGroup | None = None) -> AssignmentDraw:
    """Give the case another handler (conflict of interest, absence): a named
    one, or drawn from ``group`` without the current handler. Whoever may decide
    指定分案 does it; the draw keeps the previous handler; the load moves with
    the case; the previous handler stops working on it."""
    same_unit(actor, case)
    if not (reason or "").strip():
        raise RotationError("a reassignment needs a reason")
    if (new_user is None) == (group is None):
        raise RotationError("name either the new handler or the group to draw from")
    case = lock_case(case)
    previous = case.handler_id
    if previous is None:
        raise RotationError("the case has no handler yet; assign it instead")
    matter = matter_for(new_user) if new_user is not None else DESIGNATE_MATTER
    verdict = unit_verdict(actor, matter, case, case.department_id)
    if not verdict.allowed:
        raise PermissionError(f"reassigning a case is {verdict.reason}")
    if new_user is not None and (new_user.id == previous or new_user.unit_id != case.unit_id
                                 or not can_handle(new_user)):
        raise RotationError(f"{new_user.username} cannot take over this case")
    before = _last_group_draw(case)
    if before is not None:
        old_group = db.session.get(RotationGroup, before.group_id)
        old_members = locked_members(old_group)
        credit(old_members, previous, -before.weight, -1)
        db.session.flush()  # the draw below re-reads the members
    reason = reason.strip()
    if group is not None:
        result = random_draw(case, group, actor, "reassigned", reason, frozenset({previous}),
                             previous)
    else:
        weight = before.weight if before is not None else case.weight
        if before is not None:
            credit(old_members, new_user.id, weight)
        result = AssignmentDraw(public_id=new_public_id(), unit_id=case.unit_id,
                                case_id=case.id, group_id=before.group_id if before else None,
                                rules_id=before.rules_id if before else None, mode="reassigned",
                                seed="", weight=weight, candidates=[], chosen_id=new_user.id,
                                previous_id=previous, reason=reason, status="done",
                                requested_by_id=actor.id)
        db.session.add(result)
        set_handler(case, new_user.id, None)
    result.approved_by_id = actor.id
    gone = db.session.get(CaseParticipant, (case.id, previous))
    if gone is not None:
        db.session.delete(gone)
    add_step(case, "reassigned", actor.id, f"改变承办人：{reason}",
             {"mode": "reassigned", "draw": result.public_id, "from": previous,
              "to": result.chosen_id, "reason": reason})
    db.session.commit()
    return result
