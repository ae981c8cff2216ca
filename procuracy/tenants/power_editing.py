"""Drafting and publishing a unit's power list, within the province's template."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Unit
from procuracy.tenants.power_models import PowerItem, PowerList
from procuracy.tenants.powers import (
    CONDITIONS,
    EDITORS,
    PowerListError,
    effective_list,
    lists_in_force,
    next_version,
)
from procuracy.tenants.roles import DECIDERS


def _require_editor(user, unit: Unit) -> None:
    if user.unit_id != unit.id or not user.has_role(*EDITORS):
        raise PermissionError("only the unit's administrator or chief edits its power list")


def draft_of(unit: Unit) -> PowerList | None:
    return db.session.scalars(
        select(PowerList).where(PowerList.unit_id == unit.id, PowerList.status == "draft")
    ).first()


def start_draft(user, unit: Unit, effective_from: date, note: str = "") -> PowerList:
    """A new draft version, starting from the unit's latest published one."""
    _require_editor(user, unit)
    if draft_of(unit) is not None:
        raise PowerListError("this unit already has a draft; publish or discard it first")
    base = lists_in_force([unit.id], date.max).get(unit.id)
    draft = PowerList(unit_id=unit.id, version=next_version(unit.id),
                      effective_from=effective_from, status="draft", note=note)
    db.session.add(draft)
    db.session.flush()
    if base is not None:
        for it in db.session.scalars(select(PowerItem).where(PowerItem.list_id == base.id)):
            db.session.add(PowerItem(
                unit_id=unit.id, list_id=draft.id, code=it.code, category=it.category, matter=it.matter,
                decider_role=it.decider_role, condition=it.condition,
                overridable=it.overridable, note=it.note))
    db.session.commit()
    return draft


def _inherited(unit: Unit) -> dict:
    """The effective items this unit inherits from above (its own list left out)."""
    if unit.parent_id is None:
        return {}
    parent = db.session.get(Unit, unit.parent_id)
    return {i.code: i for i in effective_list(parent, date.max).items}


def set_item(user, draft: PowerList, *, code: str, decider_role: str, matter: str = "",
             category: str = "", condition: str = "", overridable: bool = True,
             note: str = "") -> PowerItem:
    unit = db.session.get(Unit, draft.unit_id)
    _require_editor(user, unit)
    if draft.published:
        raise PowerListError("a published version never changes; start a new draft")
    if decider_role not in DECIDERS:
        raise PowerListError(f"decider_role must be one of {', '.join(DECIDERS)}")
    if condition not in CONDITIONS:
        raise PowerListError(f"condition must be one of {', '.join(c or '(none)' for c in CONDITIONS)}")
    inherited = _inherited(unit)
    base = inherited.get(code)
    item = db.session.scalars(
        select(PowerItem).where(PowerItem.list_id == draft.id, PowerItem.code == code)
    ).first()
    if base is None and item is not None:  # changing an item of this unit's own list
        matter, category = matter or item.matter, category or item.category
    if base is not None:
        if not base.overridable:
            raise PowerListError(
                f"{code} ({base.matter}) is fixed by the province's template: "
                f"it is decided by {base.decider_role} and may not be changed here")
        matter, category, condition = base.matter, base.category, base.condition
    elif inherited:
        known = {i.category for i in inherited.values()}
        if category not in known or not matter:
            raise PowerListError(
                "a local item needs a matter and one of the template's categories")
    elif not matter or not category:
        raise PowerListError("an item needs a matter and a category")
    if item is None:
        item = PowerItem(unit_id=draft.unit_id, list_id=draft.id, code=code)
        db.session.add(item)
    item.matter, item.category, item.condition = matter, category, condition
    item.decider_role, item.note = decider_role, note
    item.overridable = overridable if base is None else True
    db.session.commit()
    return item


def remove_item(user, draft: PowerList, code: str) -> None:
    unit = db.session.get(Unit, draft.unit_id)
    _require_editor(user, unit)
    if draft.published:
        raise PowerListError("a published version never changes; start a new draft")
    item = db.session.scalars(
        select(PowerItem).where(PowerItem.list_id == draft.id, PowerItem.code == code)
    ).first()
    if item is None:
        raise PowerListError(f"{code} is not in this draft")
    db.session.delete(item)
    db.session.commit()


def publish(user, draft: PowerList) -> PowerList:
    unit = db.session.get(Unit, draft.unit_id)
    _require_editor(user, unit)
    if draft.published:
        raise PowerListError("already published")
    last = lists_in_force([unit.id], date.max).get(unit.id)
    if last is not None and draft.effective_from < last.effective_from:
        raise PowerListError(
            f"effective_from must not precede version {last.version}'s ({last.effective_from})")
    draft.status = "published"
    draft.published_at = utcnow()
    draft.published_by_id = user.id
    db.session.commit()
    return draft
