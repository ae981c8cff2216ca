"""Demo rotation: every district gets a criminal rotation group (刑事检察轮案组)
with its criminal prosecutors at a full share and its leaders who hold a quota
taking part in some rounds (the chief one in three, the deputy one in two),
under an approved first version of the rules (Haizhu's "big wheel": weight by
number of suspects). Written as the system (called from ``seed_demo``).
"""
from __future__ import annotations

from sqlalchemy import insert, select

from procuracy.cases.assignment import DEFAULT_RULES
from procuracy.cases.assignment_models import RotationGroup, RotationMember, RotationRuleVersion
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Department, Level, Unit, User, UserRole
from procuracy.tenants.roles import Role

GROUP_NAME = "刑事检察轮案组"
LEADER_SHARES = {Role.CHIEF: (1, 3), Role.DEPUTY_CHIEF: (1, 2)}


def seed_rotation(unit: Unit | None = None) -> int:
    """One group per district (or only ``unit``); returns the number of groups."""
    query = select(Unit).where(Unit.level == Level.DISTRICT).order_by(Unit.id)
    units = [unit] if unit is not None else db.session.scalars(query).all()
    created = 0
    for u in units:
        created += _seed_unit(u)
    return created


def _seed_unit(unit: Unit) -> int:
    criminal = db.session.scalar(select(Department.id).where(
        Department.unit_id == unit.id, Department.kind == "criminal"))
    rows = db.session.execute(
        select(User.id, User.department_id, User.holds_quota, UserRole.role)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.unit_id == unit.id, User.active.is_(True))).all()
    shares: dict[int, tuple[int, int]] = {}
    for user_id, department_id, quota, role in rows:
        if role in LEADER_SHARES and quota:
            shares[user_id] = LEADER_SHARES[Role(role)]
        elif role == Role.PROSECUTOR and department_id == criminal:
            shares.setdefault(user_id, (1, 1))
    chief = next((uid for uid, _, _, role in rows if role == Role.CHIEF), None)
    if criminal is None or not shares or chief is None:
        return 0
    group = RotationGroup(unit_id=unit.id, name=GROUP_NAME, line="criminal",
                          department_id=criminal, kind_codes=[])
    db.session.add(group)
    db.session.flush()
    now = utcnow()
    rules = RotationRuleVersion(unit_id=unit.id, group_id=group.id, version=1,
                                rules={**DEFAULT_RULES, "note": "按犯罪嫌疑人人数计权（大轮盘）"},
                                status="approved", proposed_by_id=chief, proposed_at=now,
                                decided_by_id=chief, decided_at=now, reason="初始轮案规则（演示）")
    db.session.add(rules)
    db.session.flush()
    group.active_rules_id = rules.id
    db.session.execute(insert(RotationMember), [
        {"unit_id": unit.id, "group_id": group.id, "user_id": uid, "share_num": num,
         "share_den": den, "status": "active", "load": 0.0, "cases": 0}
        for uid, (num, den) in sorted(shares.items())])
    return 1
