"""What every way of assigning a case shares: locking the case, who decides
(the unit's power list through ``approvals``), the case's weight, setting the
handler, moving load, and the random draw itself (seed, pool and weight stored,
so ``assignment.replay`` re-derives the choice).
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from procuracy.cases import assignment as engine
from procuracy.cases.approvals import may_decide_for_unit
from procuracy.cases.assignment_models import (
    AssignmentDraw,
    RotationGroup,
    RotationMember,
    RotationRuleVersion,
)
from procuracy.cases.catalogue_models import CaseKind
from procuracy.cases.models import Case, CaseParticipant, new_public_id
from procuracy.cases.rotation_groups import RotationError, as_pool, locked_members
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Unit, User
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import OutOfScope

RANDOM_MATTER = "随机分案"  # AG-004
DESIGNATE_MATTER = "指定分案"  # AG-005
LEADER_MATTER = "指定院领导办理案件"  # AG-006: designating the chief or a deputy
LEADERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF})
LOOK_UP = object()  # "not read yet" (None is a value: nothing found)


def flags(case: Case) -> dict:
    return {"major": case.major, "detained": case.detained, "juvenile": case.juvenile}


def key(obj) -> int:
    """The primary key, without refreshing an object a commit expired."""
    identity = sa.inspect(obj).identity
    return identity[0] if identity else obj.id


def lock_case(case: Case) -> Case:
    """Re-read the case with a row lock: two assignments of one case serialise."""
    return lock_for_draw(case)[0]


def lock_for_draw(case: Case) -> tuple[Case, float | None, bool]:
    """One statement: the case, re-read and row-locked, its kind's weight and
    whether a designation of it awaits approval."""
    pending = select(AssignmentDraw.id).where(
        AssignmentDraw.case_id == Case.id, AssignmentDraw.status == "pending").exists()
    row = db.session.execute(
        select(Case, CaseKind.weight, pending)
        .outerjoin(CaseKind, CaseKind.id == Case.kind_id)
        .where(Case.id == key(case)).with_for_update(of=Case)
        .execution_options(populate_existing=True)).first()
    if row is None:
        raise OutOfScope("the case is not visible")
    return row[0], row[1], bool(row[2])


def group_with_rules(group: RotationGroup) -> tuple[RotationGroup, RotationRuleVersion | None]:
    """One statement: the group, re-read, and the rules version in force."""
    row = db.session.execute(
        select(RotationGroup, RotationRuleVersion)
        .outerjoin(RotationRuleVersion, RotationRuleVersion.id == RotationGroup.active_rules_id)
        .where(RotationGroup.id == key(group)).options(lazyload(RotationGroup.members))
        .execution_options(populate_existing=True)).first()
    if row is None:
        raise OutOfScope("the group is not visible")
    return row[0], row[1]


def same_unit(actor: User, case: Case) -> None:
    if actor.unit_id != case.unit_id:
        raise PermissionError("only the case's own unit assigns it")


def matter_for(user: User) -> str:
    return LEADER_MATTER if user.role_names & LEADERS else DESIGNATE_MATTER


def unit_verdict(actor: User, matter: str, case: Case, department_id: int | None):
    unit = db.session.get(Unit, case.unit_id)
    return may_decide_for_unit(actor, matter, unit, department_id=department_id,
                               flags=flags(case))


def pending_designation(case: Case) -> AssignmentDraw | None:
    return db.session.scalars(select(AssignmentDraw).where(
        AssignmentDraw.case_id == case.id, AssignmentDraw.status == "pending")).first()


def case_weight(rules: dict, case: Case, kind_weight=LOOK_UP) -> float:
    """The case's weight under ``rules``; the kind's own weight when the rules
    give no factor for it (``kind_weight`` if already read, else one query)."""
    default = 1.0
    if case.kind_code in rules.get("kind_weights", {}):
        pass
    elif kind_weight is not LOOK_UP and (kind_weight is not None or case.kind_id is not None):
        default = kind_weight or 1.0
    else:
        query = select(CaseKind.weight)
        if case.kind_id is not None:
            query = query.where(CaseKind.id == case.kind_id)
        else:
            query = query.where(CaseKind.code == case.kind_code).order_by(
                (CaseKind.unit_id == case.unit_id).desc(), CaseKind.id)
        default = db.session.scalars(query.limit(1)).first() or 1.0
    return engine.case_weight(rules, case.suspects_count, case.kind_code, default)


def set_handler(case: Case, user_id: int, department_id: int | None, part=LOOK_UP) -> None:
    """Make ``user_id`` the handler (a participant with role "handler"); ``part``
    is their participant row if already looked up (None: they have none)."""
    case.handler_id = user_id
    if department_id is not None:
        case.department_id = department_id
    if part is LOOK_UP:
        part = db.session.get(CaseParticipant, (case.id, user_id))
    if part is None:
        db.session.add(CaseParticipant(unit_id=case.unit_id, case_id=case.id, user_id=user_id,
                                       role="handler", since=utcnow()))
    else:
        part.role, part.since = "handler", utcnow()


def department_for(group: RotationGroup | None, user_id: int) -> int | None:
    if group is not None and group.department_id is not None:
        return group.department_id
    user = db.session.get(User, user_id)
    return user.department_id if user else None


def credit(members: list[RotationMember], user_id: int, weight: float, cases: int = 1) -> None:
    for m in members:
        if m.user_id == user_id:
            m.load = round(max(m.load + weight, 0.0), engine.PLACES)
            m.cases = max(m.cases + cases, 0)


def random_draw(case: Case, group: RotationGroup, actor: User, mode: str, reason: str = "",
                exclude: frozenset[int] = frozenset(), previous_id: int | None = None,
                kind_weight=LOOK_UP) -> AssignmentDraw:
    """Draw from ``group`` (case already locked): store seed, pool and weight."""
    group, rules = group_with_rules(group)
    if group.unit_id != case.unit_id:
        raise RotationError("the group belongs to another unit")
    if group.kind_codes and case.kind_code not in group.kind_codes:
        raise RotationError(f"the group does not take cases of kind {case.kind_code!r}")
    if rules is None:
        raise RotationError("the group has no approved rules yet")
    members = locked_members(group)
    weight = case_weight(rules.rules, case, kind_weight)
    candidates = [dict(c, eligible=c["eligible"] and c["user_id"] not in exclude)
                  for c in as_pool(members)]
    seed = engine.new_seed()
    try:
        chosen = engine.pick(candidates, seed)
    except engine.NoCandidate as exc:
        raise RotationError(str(exc)) from None
    # read what is needed before writing: the draw then flushes once, at commit
    part = db.session.get(CaseParticipant, (case.id, chosen))
    department = department_for(group, chosen)
    credit(members, chosen, weight)
    draw = AssignmentDraw(public_id=new_public_id(), unit_id=case.unit_id, case_id=case.id,
                          group_id=group.id, rules_id=rules.id, mode=mode, seed=seed,
                          weight=weight, candidates=candidates, chosen_id=chosen,
                          previous_id=previous_id, reason=reason, status="done",
                          requested_by_id=actor.id, approved_by_id=None)
    db.session.add(draw)
    case.weight = weight
    set_handler(case, chosen, department, part)
    return draw


