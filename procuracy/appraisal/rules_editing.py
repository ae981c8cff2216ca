"""Drafting, saving and publishing a unit's rule set, within the province's template.

A draft copies the unit's latest published version (or, the first time, the
template in force above it) and remembers the template in ``based_on_id``. Every
save is checked (``rules_checks``) before anything is written; publishing checks
again and freezes the version. Published versions never change: besides the
services' refusals, the ORM refuses any flush that would change, add to or delete
from a published rule set, and ORM bulk statements on rule sets are refused
outright (they would bypass that guard).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import event, func, inspect, select

from procuracy.appraisal.rule_models import Aspect, Indicator, RuleSet
from procuracy.appraisal.rules import (
    RULE_EDITORS,
    RuleSetError,
    RuleSetInvalid,
    content_of,
    effective_rule_set,
    load_content,
    with_content,
)
from procuracy.appraisal.rules_checks import problems
from procuracy.cases.calendar import china_today
from procuracy.cases.models import new_public_id
from procuracy.extensions import db
from procuracy.orm import Session, utcnow
from procuracy.tenants.models import Unit

EDITABLE = ("name", "note", "effective_from", "grading", "aspects", "indicators")
ASPECT_FIELDS = ("name", "weight", "core", "seq")
INDICATOR_FIELDS = ("name", "aspect_code", "kind", "params", "points_per_unit", "max_points",
                    "normalise", "seq")


class PublishedRuleSetChanged(RuleSetError):
    """Something tried to change a published rule-set version."""


def require_editor(user, unit_id: int) -> None:
    if user.unit_id != unit_id or not user.has_role(*RULE_EDITORS):
        raise PermissionError("only the unit's chief or case managers edit its evaluation rules")


def draft_of(unit_id: int, audience: str, period_kind: str) -> RuleSet | None:
    return db.session.scalars(select(RuleSet).where(
        RuleSet.unit_id == unit_id, RuleSet.audience == audience,
        RuleSet.period_kind == period_kind, RuleSet.status == "draft")).first()


def next_version(unit_id: int, audience: str, period_kind: str) -> int:
    current = db.session.scalar(select(func.max(RuleSet.version)).where(
        RuleSet.unit_id == unit_id, RuleSet.audience == audience,
        RuleSet.period_kind == period_kind))
    return (current or 0) + 1


def _latest_own(unit_id: int, audience: str, period_kind: str) -> RuleSet | None:
    return db.session.scalars(with_content(select(RuleSet).where(
        RuleSet.unit_id == unit_id, RuleSet.audience == audience,
        RuleSet.period_kind == period_kind, RuleSet.status == "published")
        .order_by(RuleSet.version.desc()))).first()


def create_draft(user, unit: Unit, audience: str, period_kind: str = "month",
                 effective_from: date | None = None, name: str = "", note: str = "") -> RuleSet:
    """A new draft for ``unit``: a copy of its latest published version, else of the
    template in force above it; the province may also start from nothing."""
    require_editor(user, unit.id)
    if draft_of(unit.id, audience, period_kind) is not None:
        raise RuleSetError("this unit already has a draft for that audience and period; "
                           "publish or discard it first")
    template = None
    if unit.parent_id is not None:
        parent = db.session.get(Unit, unit.parent_id)
        template = effective_rule_set(parent, audience, period_kind, date.max)
        if template is None:
            raise RuleSetError(f"no published template for {audience} ({period_kind}) above "
                               "this unit")
    source = _latest_own(unit.id, audience, period_kind) or template
    content = content_of(source) if source is not None else {
        "grading": {}, "allowances": {}, "aspects": [], "indicators": []}
    draft = RuleSet(
        unit_id=unit.id, public_id=new_public_id(), audience=audience, period_kind=period_kind,
        name=name or (source.name if source else f"{unit.name} {audience}"),
        version=next_version(unit.id, audience, period_kind), status="draft",
        based_on_id=template.id if template else None,
        effective_from=effective_from or china_today(), grading=content["grading"],
        allowances=template.allowances if template else content["allowances"], note=note)
    draft.aspects = [Aspect(unit_id=unit.id, **a) for a in content["aspects"]]
    draft.indicators = [Indicator(unit_id=unit.id, **i) for i in content["indicators"]]
    db.session.add(draft)
    db.session.commit()
    return load_content(draft.id)


def save(user, rs: RuleSet, changes: dict) -> RuleSet:
    """Change a draft (any of ``EDITABLE``; the province's template also its
    ``allowances``); aspects and indicators are given whole and matched by code.
    Refused with every problem listed if the result would not be valid."""
    require_editor(user, rs.unit_id)
    if rs.status != "draft":
        raise PublishedRuleSetChanged(f"version {rs.version} is published and never changes; "
                                      "start a new draft")
    allowed = EDITABLE + (("allowances",) if rs.based_on_id is None else ())
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise RuleSetError(f"cannot change {', '.join(unknown)} here", field=unknown[0])
    content = {**content_of(rs), **{k: v for k, v in changes.items()
                                    if k not in ("name", "note", "effective_from")}}
    errors = problems(rs, content)
    if errors:
        raise RuleSetInvalid(errors)
    for key in ("name", "note", "effective_from", "grading", "allowances"):
        if key in changes:
            setattr(rs, key, changes[key])
    if "aspects" in changes:
        _replace(rs, rs.aspects, changes["aspects"], Aspect, ASPECT_FIELDS)
    if "indicators" in changes:
        _replace(rs, rs.indicators, changes["indicators"], Indicator, INDICATOR_FIELDS)
    db.session.commit()
    return load_content(rs.id)


def _replace(rs: RuleSet, current: list, wanted: list[dict], cls: type, fields: tuple) -> None:
    """Update rows by code, add new codes, delete codes no longer wanted."""
    by_code = {row.code: row for row in current}
    for seq, spec in enumerate(wanted, start=1):
        row = by_code.pop(spec["code"], None)
        if row is None:
            row = cls(unit_id=rs.unit_id, rule_set_id=rs.id, code=spec["code"])
            current.append(row)
        for f in fields:
            value = spec.get(f, seq if f == "seq" else None)
            if value is None and f not in ("max_points",):
                continue
            setattr(row, f, value)
    for row in by_code.values():
        current.remove(row)


def publish(user, rs: RuleSet) -> RuleSet:
    """Check once more and publish: from now on this version never changes."""
    require_editor(user, rs.unit_id)
    if rs.status != "draft":
        raise RuleSetError("already published")
    errors = problems(rs)
    if errors:
        raise RuleSetInvalid(errors)
    last = db.session.scalars(select(RuleSet).where(
        RuleSet.unit_id == rs.unit_id, RuleSet.audience == rs.audience,
        RuleSet.period_kind == rs.period_kind, RuleSet.status == "published")
        .order_by(RuleSet.version.desc())).first()
    if last is not None and rs.effective_from < last.effective_from:
        raise RuleSetError(f"effective_from must not precede version {last.version}'s "
                           f"({last.effective_from})", field="effective_from")
    rs.status, rs.published_at, rs.published_by_id = "published", utcnow(), user.id
    db.session.commit()
    return load_content(rs.id)


def discard(user, rs: RuleSet) -> None:
    require_editor(user, rs.unit_id)
    if rs.status != "draft":
        raise PublishedRuleSetChanged("a published version is never deleted")
    db.session.delete(rs)
    db.session.commit()


# ---------------------------------------------------------------- the ORM guard
def _was_published(rs: RuleSet) -> bool:
    history = inspect(rs).attrs.status.history
    return "published" in (history.deleted or ()) or (
        not history.has_changes() and rs.status == "published")


@event.listens_for(RuleSet, "before_update")
@event.listens_for(RuleSet, "before_delete")
def _published_rule_sets_never_change(_mapper, _connection, rs: RuleSet) -> None:
    if _was_published(rs):
        raise PublishedRuleSetChanged(f"rule set version {rs.version} is published")


@event.listens_for(Aspect, "before_insert")
@event.listens_for(Aspect, "before_update")
@event.listens_for(Aspect, "before_delete")
@event.listens_for(Indicator, "before_insert")
@event.listens_for(Indicator, "before_update")
@event.listens_for(Indicator, "before_delete")
def _content_of_published_rule_sets_never_changes(_mapper, connection, row) -> None:
    table = RuleSet.__table__
    status = connection.execute(
        table.select().with_only_columns(table.c.status).where(table.c.id == row.rule_set_id)
    ).scalar()
    if status == "published":
        raise PublishedRuleSetChanged(
            f"rule set {row.rule_set_id} is published; start a new draft")


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_writes_to_rule_sets(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if any(m.class_ in (RuleSet, Aspect, Indicator) for m in state.all_mappers):
        raise PublishedRuleSetChanged(
            "bulk statements on rule sets are refused: change them through the unit of work "
            "(rules_editing), which keeps published versions unchanged")
