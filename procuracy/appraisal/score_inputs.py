"""What scores are computed from besides cases and reviews: score events (an award,
a flaw, an overdue step: points added or deducted) and values entered by hand for a
period (external evaluation, people's supervisors). Recorded by the unit's chief or
case managers; read by them and the unit's leaders, and by each person for their own.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from procuracy.appraisal.rule_models import Indicator, ManualScore, RuleSet, ScoreEvent
from procuracy.appraisal.rules import EVENT_TYPES, PeriodError, parse_period, path_ids
from procuracy.appraisal.score_runs import reads_everything_of
from procuracy.appraisal.scoring import ScoringError, require_runner
from procuracy.cases.models import Case, new_public_id
from procuracy.extensions import db
from procuracy.tenants.models import Unit, User


def record_event(actor, person: User, type: str, points: float, occurred_on: date,
                 case_public_id: str | None = None, note: str = "") -> ScoreEvent:
    require_runner(actor, person.unit_id)
    if type not in EVENT_TYPES:
        raise ScoringError(f"no event type {type!r} (known: {', '.join(EVENT_TYPES)})", "type")
    label, sign = EVENT_TYPES[type]
    if not points or (points > 0) != (sign > 0):
        raise ScoringError(f"{label} ({type}) {'adds' if sign > 0 else 'deducts'} points: "
                           f"give a {'positive' if sign > 0 else 'negative'} number", "points")
    case_id = None
    if case_public_id:
        case = db.session.scalars(select(Case).where(Case.public_id == case_public_id,
                                                     Case.unit_id == person.unit_id)).first()
        if case is None:
            raise ScoringError(f"no case {case_public_id} in the person's unit", "case")
        case_id = case.id
    event = ScoreEvent(unit_id=person.unit_id, public_id=new_public_id(), user_id=person.id,
                       case_id=case_id, type=type, points=float(points),
                       occurred_on=occurred_on, source="manual", note=note,
                       recorded_by_id=actor.id)
    db.session.add(event)
    db.session.commit()
    return event


def manual_codes(unit: Unit, period_kind: str) -> set[str]:
    """Codes of the manual indicators in the rule sets this unit may use."""
    return set(db.session.scalars(
        select(Indicator.code).join(RuleSet, RuleSet.id == Indicator.rule_set_id)
        .where(RuleSet.unit_id.in_(path_ids(unit)), RuleSet.period_kind == period_kind,
               Indicator.kind == "manual")))


def set_manual(actor, person: User, period: str, indicator_code: str, value: float,
               note: str = "") -> ManualScore:
    """Enter (or correct) a person's hand-entered value of an indicator for a period."""
    require_runner(actor, person.unit_id)
    try:
        p = parse_period(period)
    except PeriodError as exc:
        raise ScoringError(str(exc), "period") from None
    unit = db.session.get(Unit, person.unit_id)
    if indicator_code not in manual_codes(unit, p.kind):
        raise ScoringError(f"{indicator_code} is not an indicator entered by hand in this "
                           f"unit's {p.kind}ly rules", "indicator_code")
    row = db.session.scalars(select(ManualScore).where(
        ManualScore.unit_id == person.unit_id, ManualScore.period == p.text,
        ManualScore.user_id == person.id, ManualScore.indicator_code == indicator_code)).first()
    if row is None:
        row = ManualScore(unit_id=person.unit_id, period=p.text, user_id=person.id,
                          indicator_code=indicator_code)
        db.session.add(row)
    row.value, row.entered_by_id, row.note = float(value), actor.id, note
    db.session.commit()
    return row


def _mine_unless_reader(reader, unit: Unit, query, column):
    if not reads_everything_of(reader, unit.id):
        query = query.where(column == reader.id)
    return query


def events(reader, unit: Unit, person: User | None = None, start: date | None = None,
           end: date | None = None) -> list[ScoreEvent]:
    query = select(ScoreEvent).where(ScoreEvent.unit_id == unit.id)
    if person is not None:
        query = query.where(ScoreEvent.user_id == person.id)
    if start:
        query = query.where(ScoreEvent.occurred_on >= start)
    if end:
        query = query.where(ScoreEvent.occurred_on <= end)
    query = _mine_unless_reader(reader, unit, query, ScoreEvent.user_id)
    return db.session.scalars(query.order_by(ScoreEvent.occurred_on, ScoreEvent.id)).all()


def manual_scores(reader, unit: Unit, period: str | None = None,
                  person: User | None = None) -> list[ManualScore]:
    query = select(ManualScore).where(ManualScore.unit_id == unit.id)
    if period:
        query = query.where(ManualScore.period == period)
    if person is not None:
        query = query.where(ManualScore.user_id == person.id)
    query = _mine_unless_reader(reader, unit, query, ManualScore.user_id)
    return db.session.scalars(query.order_by(ManualScore.period, ManualScore.user_id,
                                             ManualScore.indicator_code)).all()
