"""Read services for units, people and the access log, shared by pages and API.

Every function takes what the scope lets it see; a unit whose data the
principal may not read is ``OutOfScope`` (404), never 403.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import func, select

from procuracy.extensions import db
from procuracy.tenants import units as tree
from procuracy.tenants.audit import AuditEntry
from procuracy.tenants.models import Unit, User
from procuracy.tenants.roles import ACCESS_LOG_READERS, SUPERVISORS
from procuracy.tenants.scope import OutOfScope, current_scope


def readable_unit(code: str) -> Unit:
    """The unit ``code`` if the principal may read its data, else OutOfScope."""
    unit = tree.by_code(code)
    scope = current_scope(db.session)
    if unit is None or scope is None or not scope.can_read_unit(unit.id):
        raise OutOfScope(f"unit {code}")
    return unit


def visible_units(level: str | None = None, parent: str | None = None) -> list[Unit]:
    scope = current_scope(db.session)
    query = select(Unit).order_by(Unit.depth, Unit.code)
    if not scope.everything:
        query = query.where(Unit.id.in_(sorted(scope.unit_readers)))
    if level:
        query = query.where(Unit.level == level)
    if parent:
        query = query.join(Unit.parent.of_type(aliased := db.aliased(Unit))).where(
            aliased.code == parent)
    return list(db.session.scalars(query))


def unit_detail(code: str) -> dict:
    unit = readable_unit(code)
    scope = current_scope(db.session)
    kids = [c for c in tree.children(unit) if scope.can_read_unit(c.id)]
    users = db.session.scalar(select(func.count(User.id)).where(User.unit_id == unit.id))
    parent = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    return {**unit_out(unit, parent), "ancestors": tree.ancestors(unit), "children": kids,
            "users_count": users}


def unit_out(unit: Unit, parent: Unit | None) -> dict:
    return {"code": unit.code, "name": unit.name, "abbr": unit.abbr, "level": unit.level,
            "depth": unit.depth, "parent_code": parent.code if parent else None}


def units_out(units: list[Unit]) -> list[dict]:
    parents = {u.id: u for u in units}
    missing = {u.parent_id for u in units if u.parent_id and u.parent_id not in parents}
    if missing:
        parents.update({u.id: u for u in db.session.scalars(
            select(Unit).where(Unit.id.in_(missing)))})
    return [unit_out(u, parents.get(u.parent_id)) for u in units]


def users_of(code: str) -> list[User]:
    unit = readable_unit(code)
    return list(db.session.scalars(
        select(User).where(User.unit_id == unit.id).order_by(User.username)))


def user_out(user: User) -> dict:
    return {"username": user.username, "full_name": user.full_name,
            "department": user.department.name if user.department else None,
            "roles": sorted(user.role_names), "holds_quota": user.holds_quota,
            "active": user.active}


def me(user: User) -> dict:
    scope = current_scope(db.session)
    return {**user_out(user), "unit": user.unit,
            "readable_units": len(scope.unit_readers) if scope else 0}


def may_read_access_log(user: User, unit: Unit) -> bool:
    if user.unit_id == unit.id:
        return user.has_role(*ACCESS_LOG_READERS)
    return user.has_role(*SUPERVISORS)  # a higher unit reading down (already in scope)


def access_log(user: User, code: str, since: date | None = None):
    """Who read this unit's data: (page query newest first, count query)."""
    unit = readable_unit(code)
    if not may_read_access_log(user, unit):
        raise OutOfScope(f"access log of {code}")
    conditions = [AuditEntry.unit_id == unit.id, AuditEntry.action == "read"]
    if since:
        conditions.append(AuditEntry.at >= datetime.combine(since, time.min))
    query = select(AuditEntry).where(*conditions).order_by(AuditEntry.seq.desc())
    return query, select(func.count(AuditEntry.id)).where(*conditions)


def access_out(entry: AuditEntry) -> dict:
    detail = entry.detail or {}
    return {"seq": entry.seq, "at": entry.at, "actor_name": entry.actor_name,
            "actor_unit_code": entry.actor_unit_code, "object_type": entry.object_type,
            "object_id": entry.object_id, "right": entry.right,
            "count": detail.get("count", 1), "where": detail.get("where", "")}
