"""Rotation groups (轮案组), their members and their versioned rules.

A group belongs to a unit and a line of business. Its unit administrator, its
chief or the head of its department create it; they and the case managers (who
run assignment day to day) change its members. Rules change only by a proposed
version approved by whoever the unit's power list names for 轮案规则调整
(AG-029, the chief): every version is kept with who proposed and who decided.
Services commit their own transaction.
"""
from __future__ import annotations

from sqlalchemy import func, select

from procuracy.cases import assignment as engine
from procuracy.cases.approvals import may_decide_for_unit
from procuracy.cases.assignment_models import RotationGroup, RotationMember, RotationRuleVersion
from procuracy.cases.catalogue_models import LINES
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Department, Unit, User
from procuracy.tenants.roles import Role

RULES_MATTER = "轮案规则调整"
CREATORS = frozenset({Role.UNIT_ADMIN, Role.CHIEF})
MANAGERS = frozenset({Role.UNIT_ADMIN, Role.CHIEF, Role.CASE_MANAGER})
MAX_DEN = 12


class RotationError(ValueError):
    """A change the rotation rules refuse; the message says why (answers 422)."""


# ---------------------------------------------------------------- who may
def _department_head_of(actor: User, department_id: int | None) -> bool:
    return (Role.DEPARTMENT_HEAD in actor.role_names and department_id is not None
            and actor.department_id == department_id)


def may_manage(actor: User, group: RotationGroup) -> bool:
    return actor.unit_id == group.unit_id and (
        bool(actor.role_names & MANAGERS) or _department_head_of(actor, group.department_id))


def _require_manager(actor: User, group: RotationGroup) -> None:
    if not may_manage(actor, group):
        raise PermissionError("only the unit administrator, the chief, case managers or the "
                              "head of the group's department change a rotation group")


def can_handle(user: User) -> bool:
    """Who may be a case's handler: an active prosecutor or quota holder."""
    return user.active and (Role.PROSECUTOR in user.role_names or user.holds_quota)


def user_in_unit(username: str, unit_id: int) -> User:
    user = db.session.scalars(
        select(User).where(User.username == username, User.unit_id == unit_id)).first()
    if user is None:
        raise RotationError(f"no user {username!r} in this unit")
    return user


def _check_share(share_num: int, share_den: int) -> None:
    if not (1 <= share_num <= share_den <= MAX_DEN):
        raise RotationError(f"a share is m/n with 1 <= m <= n <= {MAX_DEN}")


# ---------------------------------------------------------------- groups
def create_group(actor: User, *, name: str, line: str, department_id: int | None = None,
                 kind_codes: list[str] | None = None, rules: dict | None = None,
                 members: list[dict] | None = None) -> RotationGroup:
    """A new group of the actor's unit; ``rules`` become version 1 (approved at
    once if the actor decides rule changes, else proposed); ``members``:
    [{"user": username, "share_num", "share_den"}]."""
    if Role.DEPARTMENT_HEAD in actor.role_names and department_id is None:
        department_id = actor.department_id
    if not (actor.role_names & CREATORS or _department_head_of(actor, department_id)):
        raise PermissionError("only the unit administrator, the chief or the head of the "
                              "group's department create a rotation group")
    if line not in LINES:
        raise RotationError(f"unknown line of business {line!r}")
    if department_id is not None and db.session.scalar(select(Department.id).where(
            Department.id == department_id, Department.unit_id == actor.unit_id)) is None:
        raise RotationError("no such department in this unit")
    if db.session.scalar(select(RotationGroup.id).where(
            RotationGroup.unit_id == actor.unit_id, RotationGroup.name == name)) is not None:
        raise RotationError(f"the unit already has a group named {name!r}")
    group = RotationGroup(unit_id=actor.unit_id, name=name, line=line,
                          department_id=department_id, kind_codes=list(kind_codes or []))
    db.session.add(group)
    db.session.flush()
    for entry in members or []:
        _add(group, user_in_unit(entry["user"], actor.unit_id),
             entry.get("share_num", 1), entry.get("share_den", 1), [])
    if rules is not None:
        _propose(group, rules, actor, "")
    db.session.commit()
    return group


def groups_of_unit() -> list[RotationGroup]:
    """The groups the reader's scope shows: those of their own unit."""
    return list(db.session.scalars(select(RotationGroup).order_by(RotationGroup.name)))


# ---------------------------------------------------------------- members
def locked_members(group: RotationGroup) -> list[RotationMember]:
    """The group's members, freshly read and row-locked (FOR UPDATE) until commit:
    two draws in one group never pick from the same loads."""
    return list(db.session.scalars(
        select(RotationMember).where(RotationMember.group_id == group.id)
        .order_by(RotationMember.user_id).with_for_update()
        .execution_options(populate_existing=True)))


def as_pool(members: list[RotationMember]) -> list[dict]:
    return engine.pool([engine.candidate(m.user_id, m.load, m.share_num, m.share_den, m.status)
                        for m in members])


def _add(group: RotationGroup, user: User, share_num: int, share_den: int,
         members: list[RotationMember]) -> RotationMember:
    _check_share(share_num, share_den)
    if not can_handle(user):
        raise RotationError(f"{user.username} is not an active prosecutor")
    if any(m.user_id == user.id for m in members) or user.id in {m.user_id for m in group.members}:
        raise RotationError(f"{user.username} is already in the group")
    floor = engine.floor_normalised(as_pool(members))
    member = RotationMember(unit_id=group.unit_id, group_id=group.id, user_id=user.id,
                            share_num=share_num, share_den=share_den, status="active",
                            load=engine.load_on_joining(share_num, share_den, floor), cases=0)
    group.members.append(member)
    return member


def add_member(group: RotationGroup, user: User, actor: User, share_num: int = 1,
               share_den: int = 1) -> RotationMember:
    """A newcomer joins level with the lowest active member (no backlog, no credit)."""
    _require_manager(actor, group)
    if user.unit_id != group.unit_id:
        raise RotationError(f"{user.username} is not in the group's unit")
    member = _add(group, user, share_num, share_den, locked_members(group))
    db.session.commit()
    return member


def _member(members: list[RotationMember], user: User) -> RotationMember:
    found = next((m for m in members if m.user_id == user.id), None)
    if found is None:
        raise RotationError(f"{user.username} is not in the group")
    return found


def remove_member(group: RotationGroup, user: User, actor: User) -> None:
    _require_manager(actor, group)
    member = _member(locked_members(group), user)
    group.members.remove(member)
    db.session.commit()


def set_share(group: RotationGroup, user: User, share_num: int, share_den: int,
              actor: User) -> RotationMember:
    """A new share keeps the member's place in the rotation: the load is rescaled
    so the normalised load is unchanged."""
    _require_manager(actor, group)
    _check_share(share_num, share_den)
    member = _member(locked_members(group), user)
    position = engine.normalise(member.load, member.share_num, member.share_den)
    member.load = round(position * share_num / share_den, engine.PLACES)
    member.share_num, member.share_den = share_num, share_den
    db.session.commit()
    return member


def set_status(group: RotationGroup, user: User, status: str, actor: User) -> RotationMember:
    """absent: skipped, nothing made up on return; away (changed handling unit):
    skipped, the cases missed are owed on return; active: takes part again."""
    _require_manager(actor, group)
    if status not in engine.STATUSES:
        raise RotationError(f"status must be one of {', '.join(engine.STATUSES)}")
    members = locked_members(group)
    member = _member(members, user)
    if status == "active" and member.status != "active":
        floor = engine.floor_normalised(as_pool(members), excluding=member.user_id)
        member.load = engine.load_on_return(member.load, member.share_num, member.share_den,
                                            member.status, floor)
    member.status = status
    db.session.commit()
    return member


# ---------------------------------------------------------------- rules
def _lock_group(group: RotationGroup) -> RotationGroup:
    return db.session.scalars(select(RotationGroup).where(RotationGroup.id == group.id)
                              .with_for_update()).one()


def may_decide_rules(actor: User, group: RotationGroup):
    unit = db.session.get(Unit, group.unit_id)
    return may_decide_for_unit(actor, RULES_MATTER, unit, department_id=group.department_id)


def _propose(group: RotationGroup, rules: dict, actor: User, reason: str) -> RotationRuleVersion:
    checked = engine.validate_rules(rules)
    pending = db.session.scalar(select(RotationRuleVersion.version).where(
        RotationRuleVersion.group_id == group.id, RotationRuleVersion.status == "proposed"))
    if pending is not None:
        raise RotationError(f"version {pending} is still awaiting a decision")
    last = db.session.scalar(select(func.max(RotationRuleVersion.version))
                             .where(RotationRuleVersion.group_id == group.id))
    version = RotationRuleVersion(unit_id=group.unit_id, group_id=group.id,
                                  version=(last or 0) + 1, rules=checked, status="proposed",
                                  proposed_by_id=actor.id, reason=reason)
    db.session.add(version)
    db.session.flush()
    if may_decide_rules(actor, group).allowed:
        _decide(group, version, actor, True, reason)
    return version


def propose_rules(group: RotationGroup, rules: dict, actor: User,
                  reason: str = "") -> RotationRuleVersion:
    """A new version of the rules: in force once approved (at once when the
    proposer is the one who decides)."""
    if not (may_manage(actor, group) or may_decide_rules(actor, group).allowed):
        raise PermissionError("you may not propose rules for this group")
    version = _propose(_lock_group(group), rules, actor, reason)
    db.session.commit()
    return version


def _decide(group: RotationGroup, version: RotationRuleVersion, actor: User, approve: bool,
            reason: str) -> None:
    version.status = "approved" if approve else "rejected"
    version.decided_by_id, version.decided_at = actor.id, utcnow()
    if reason and reason != version.reason:  # the proposal's reason is kept
        label = "批准" if approve else "驳回"
        version.reason = f"{version.reason}\n{label}：{reason}".strip()
    if approve:
        if group.active_rules_id is not None:
            current = db.session.get(RotationRuleVersion, group.active_rules_id)
            if current is not None:
                current.status = "superseded"
        group.active_rules_id = version.id


def decide_rules(version: RotationRuleVersion, actor: User, approve: bool,
                 reason: str = "") -> RotationRuleVersion:
    """Approve (the version comes into force, the one before is superseded) or reject."""
    group = db.session.get(RotationGroup, version.group_id)
    if actor.unit_id != group.unit_id:  # first: on PostgreSQL it could not be locked
        raise PermissionError("a group's rules are decided in its own unit")
    group = _lock_group(group)
    verdict = may_decide_rules(actor, group)
    if not verdict.allowed:
        raise PermissionError(f"changing the rotation rules is {verdict.reason}")
    if version.status != "proposed":
        raise RotationError(f"version {version.version} is already {version.status}")
    _decide(group, version, actor, approve, reason)
    db.session.commit()
    return version


def rule_versions(group: RotationGroup) -> list[RotationRuleVersion]:
    return list(db.session.scalars(select(RotationRuleVersion).where(
        RotationRuleVersion.group_id == group.id).order_by(RotationRuleVersion.version.desc())))


def active_rules(group: RotationGroup) -> RotationRuleVersion | None:
    if group.active_rules_id is None:
        return None
    return db.session.get(RotationRuleVersion, group.active_rules_id)
