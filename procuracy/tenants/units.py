"""The unit tree: adding units (keeping the closure table), reading it."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select

from procuracy.extensions import db
from procuracy.tenants.models import Level, Unit, UnitClosure

LEVEL_ORDER = {Level.PROVINCE: 0, Level.CITY: 1, Level.BRANCH: 1, Level.DISTRICT: 2}
ALLOWED_PARENT = {
    Level.PROVINCE: (None,),
    Level.CITY: (Level.PROVINCE,),
    Level.BRANCH: (Level.PROVINCE, Level.CITY),
    Level.DISTRICT: (Level.CITY, Level.BRANCH),
}


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    abbr: str
    level: str
    parent_code: str


def add_unit(row: UnitRow, parent: Unit | None) -> Unit:
    """Insert a unit and its closure rows (itself at distance 0, then each ancestor)."""
    unit = Unit(code=row.code, name=row.name, abbr=row.abbr, level=row.level,
                parent_id=parent.id if parent else None,
                depth=(parent.depth + 1) if parent else 0)
    db.session.add(unit)
    db.session.flush()
    rows = [{"ancestor_id": unit.id, "descendant_id": unit.id, "distance": 0}]
    if parent is not None:
        for ancestor_id, distance in db.session.execute(
            select(UnitClosure.ancestor_id, UnitClosure.distance)
            .where(UnitClosure.descendant_id == parent.id)
        ):
            rows.append({"ancestor_id": ancestor_id, "descendant_id": unit.id,
                         "distance": distance + 1})
    db.session.execute(insert(UnitClosure), rows)
    return unit


def descendants_ids(unit_id: int, include_self: bool = True) -> list[int]:
    q = select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)
    if not include_self:
        q = q.where(UnitClosure.distance > 0)
    return list(db.session.scalars(q))


def ancestors(unit: Unit) -> list[Unit]:
    """Root first, the unit itself excluded."""
    return list(db.session.scalars(
        select(Unit).join(UnitClosure, UnitClosure.ancestor_id == Unit.id)
        .where(UnitClosure.descendant_id == unit.id, UnitClosure.distance > 0)
        .order_by(UnitClosure.distance.desc())
    ))


def children(unit: Unit) -> list[Unit]:
    return list(db.session.scalars(
        select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.code)
    ))


def by_code(code: str) -> Unit | None:
    return db.session.scalars(select(Unit).where(Unit.code == code)).first()


def all_rows() -> list[UnitRow]:
    """Every visible unit as export rows, parents before children."""
    units = db.session.scalars(select(Unit).order_by(Unit.depth, Unit.code)).all()
    codes = {u.id: u.code for u in units}
    return [UnitRow(u.code, u.name, u.abbr, u.level, codes.get(u.parent_id, ""))
            for u in units]
