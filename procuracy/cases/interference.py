"""Records of interference in cases (干预司法活动记录).

Anyone signed in records that somebody, inside or outside the procuratorate,
inquired about or tried to influence a case: who, when, how, what was said.
A record is written in the recorder's unit, on a case of that unit they can
read or on none. There is no edit or delete path here, and the table refuses
UPDATE and DELETE in the database too. Who reads them is the scope's rule: the
recorder, the unit's chief and the higher units' inspectors. Nothing is written
on the case's timeline, which the handler reads.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from procuracy.cases.decision_models import InterferenceRecord
from procuracy.cases.decisions import DecisionRejected
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Unit, User

CHANNELS = ("in_person", "phone", "letter", "message", "other")


def record(actor: User, *, person: str, occurred_at: datetime, channel: str, content: str,
           person_position: str = "", inside: bool = False,
           case: Case | None = None) -> InterferenceRecord:
    if case is not None and case.unit_id != actor.unit_id:
        raise PermissionError("record it in the case's own unit")
    if channel not in CHANNELS:
        raise DecisionRejected("channel", f"one of {', '.join(CHANNELS)}")
    if occurred_at.tzinfo is None:
        raise DecisionRejected("occurred_at", "give a time zone")
    if occurred_at > utcnow():
        raise DecisionRejected("occurred_at", "cannot be in the future")
    row = InterferenceRecord(unit_id=actor.unit_id, case_id=case.id if case else None,
                             recorded_by_id=actor.id, person=person,
                             person_position=person_position, inside=inside,
                             occurred_at=occurred_at, channel=channel, content=content)
    db.session.add(row)
    db.session.commit()
    return row


def visible(case: Case | None = None, unit: Unit | None = None,
            limit: int = 500) -> list[InterferenceRecord]:
    """The records the reader may see (the scope decides), newest first."""
    query = select(InterferenceRecord)
    if case is not None:
        query = query.where(InterferenceRecord.case_id == case.id)
    if unit is not None:
        query = query.where(InterferenceRecord.unit_id == unit.id)
    return list(db.session.scalars(
        query.order_by(InterferenceRecord.recorded_at.desc(), InterferenceRecord.id.desc())
        .limit(limit)))


def records_out(rows: list[InterferenceRecord]) -> list[dict]:
    if not rows:
        return []
    case_ids = {r.case_id for r in rows} - {None}
    cases = dict(db.session.execute(select(Case.id, Case.public_id)
                                    .where(Case.id.in_(case_ids))).all())
    names = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_({r.recorded_by_id for r in rows}))).all())
    units = dict(db.session.execute(select(Unit.id, Unit.code).where(
        Unit.id.in_({r.unit_id for r in rows}))).all())
    return [{"id": r.public_id, "unit": units.get(r.unit_id),
             "case": cases.get(r.case_id) if r.case_id else None,
             "recorded_by": names.get(r.recorded_by_id), "recorded_at": r.recorded_at,
             "person": r.person, "person_position": r.person_position, "inside": r.inside,
             "occurred_at": r.occurred_at, "channel": r.channel, "content": r.content}
            for r in rows]
