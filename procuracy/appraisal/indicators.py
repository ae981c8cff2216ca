"""One function per indicator kind: each person's raw value and the rows it came from.

Every function is set-based: one aggregate query over all the audience's people
(``GROUP BY`` person) and one query for the sources (the case, event or review ids
per person), never a query per person. ``manual`` needs only the first; ``ratio``
divides two indicators already computed and needs none. Reads go through the ORM,
so the scope of whoever computes applies as everywhere else.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import Float, case, func, literal, select

from procuracy.appraisal.review_models import Review
from procuracy.appraisal.rule_models import Indicator, ManualScore, ScoreEvent
from procuracy.appraisal.rules import Period
from procuracy.cases.calendar import CHINA
from procuracy.cases.models import Case, CaseParticipant
from procuracy.extensions import db


@dataclass(frozen=True)
class Source:
    """A row that produced a raw value: ``raw`` is its share of the person's raw value."""

    raw: float
    case_id: int | None = None
    event_id: int | None = None
    review_id: int | None = None


@dataclass
class Result:
    raw: dict[int, float] = field(default_factory=dict)  # person -> raw value
    sources: dict[int, list[Source]] = field(default_factory=lambda: defaultdict(list))
    detail: dict[int, dict] = field(default_factory=dict)  # person -> extra trace


@dataclass
class Context:
    unit_id: int
    period: Period
    people: object  # a SELECT of the audience's user ids (a subquery, not a list)
    case_kinds: dict[str, set[str]]
    results: dict[str, Result] = field(default_factory=dict)  # by indicator code


def _aggregate(query) -> dict[int, float]:
    return {person: float(value or 0) for person, value in db.session.execute(query)}


# ---------------------------------------------------------------- cases
def _case_filter(ctx: Context, params: dict, columns: list):
    """``SELECT person, *columns`` over the cases an indicator counts, and the person column."""
    role = params.get("role", "handler")
    if role == "handler":
        person = Case.handler_id
        query = select(person, *columns)
    else:
        person = CaseParticipant.user_id
        query = select(person, *columns).select_from(Case).join(
            CaseParticipant, CaseParticipant.case_id == Case.id)
        if role != "participant":
            query = query.where(CaseParticipant.role == role)
    day = Case.closed_on if params.get("date", "closed") == "closed" else Case.received_on
    query = query.where(Case.unit_id == ctx.unit_id, person.in_(ctx.people),
                        day >= ctx.period.start, day <= ctx.period.end)
    kinds = params.get("kinds") or []
    if kinds:
        codes = sorted({c for k in kinds for c in ctx.case_kinds.get(k, {k})})
        query = query.where(Case.kind_code.in_(codes))
    return query, person


def _cases(ctx: Context, ind: Indicator, weighted: bool) -> Result:
    params = ind.params or {}
    total = func.sum(Case.weight) if weighted else func.count(Case.id)
    agg, person = _case_filter(ctx, params, [total])
    result = Result(raw=_aggregate(agg.group_by(person)))
    rows, _ = _case_filter(ctx, params, [Case.id, Case.weight])
    for user_id, case_id, weight in db.session.execute(rows.order_by(person, Case.id)):
        raw = float(weight or 0) if weighted else 1.0
        result.sources[user_id].append(Source(raw, case_id=case_id))
    return result


def case_count(ctx: Context, ind: Indicator) -> Result:
    """Cases closed (or received) in the period, by kind, as handler or participant."""
    return _cases(ctx, ind, weighted=False)


def weighted_cases(ctx: Context, ind: Indicator) -> Result:
    """The same cases, each counted with its weight."""
    return _cases(ctx, ind, weighted=True)


# ---------------------------------------------------------------- reviews
def review_grade(ctx: Context, ind: Indicator) -> Result:
    """Quality-review grades finalised in the period on the person's cases, as points."""
    points = (ind.params or {}).get("points") or {}
    if not points:
        return Result()
    value = case(*((Review.final_grade == g, literal(float(p), Float))
                   for g, p in points.items()), else_=literal(0.0, Float))
    start = datetime.combine(ctx.period.start, time.min, tzinfo=CHINA)  # days turn in China
    end = datetime.combine(ctx.period.end + timedelta(days=1), time.min, tzinfo=CHINA)
    where = (Review.reviewed_unit_id == ctx.unit_id, Review.handler_id.in_(ctx.people),
             Review.final_grade != "", Review.finalised_at >= start, Review.finalised_at < end)
    result = Result(raw=_aggregate(
        select(Review.handler_id, func.sum(value)).where(*where).group_by(Review.handler_id)))
    for user_id, review_id, case_id, raw in db.session.execute(
            select(Review.handler_id, Review.id, Review.case_id, value).where(*where)
            .order_by(Review.handler_id, Review.id)):
        result.sources[user_id].append(Source(float(raw or 0), case_id=case_id,
                                              review_id=review_id))
    return result


# ---------------------------------------------------------------- events
def event_points(ctx: Context, ind: Indicator) -> Result:
    """Points of the person's events of the given types in the period (awards +, flaws −)."""
    types = (ind.params or {}).get("types") or []
    where = (ScoreEvent.unit_id == ctx.unit_id, ScoreEvent.user_id.in_(ctx.people),
             ScoreEvent.type.in_(types), ScoreEvent.occurred_on >= ctx.period.start,
             ScoreEvent.occurred_on <= ctx.period.end)
    result = Result(raw=_aggregate(select(ScoreEvent.user_id, func.sum(ScoreEvent.points))
                                   .where(*where).group_by(ScoreEvent.user_id)))
    for user_id, event_id, case_id, points in db.session.execute(
            select(ScoreEvent.user_id, ScoreEvent.id, ScoreEvent.case_id, ScoreEvent.points)
            .where(*where).order_by(ScoreEvent.user_id, ScoreEvent.id)):
        result.sources[user_id].append(Source(float(points), case_id=case_id, event_id=event_id))
    return result


# ---------------------------------------------------------------- by hand
def manual(ctx: Context, ind: Indicator) -> Result:
    """A value entered by hand for the period (held to ``params.max``); its trace is the
    ManualScore row, named in the item's detail (sources point at cases, events, reviews)."""
    top = float((ind.params or {}).get("max", 100))
    result = Result()
    for user_id, score_id, value, entered_by in db.session.execute(
            select(ManualScore.user_id, ManualScore.id, ManualScore.value,
                   ManualScore.entered_by_id)
            .where(ManualScore.unit_id == ctx.unit_id, ManualScore.period == ctx.period.text,
                   ManualScore.indicator_code == ind.code, ManualScore.user_id.in_(ctx.people))):
        result.raw[user_id] = min(max(float(value), 0.0), top)
        result.detail[user_id] = {"manual_score_id": score_id, "entered": float(value),
                                  "entered_by_id": entered_by}
    return result


# ---------------------------------------------------------------- ratio
def ratio(ctx: Context, ind: Indicator) -> Result:
    """numerator / denominator of two counted indicators of the same rule set. The
    numerator's rows share the value; rows only in the denominator are listed at 0."""
    params = ind.params or {}
    num, den = ctx.results[params["numerator"]], ctx.results[params["denominator"]]
    result = Result()
    for person in set(num.raw) | set(den.raw):
        d = den.raw.get(person, 0.0)
        if d <= 0:
            continue
        result.raw[person] = num.raw.get(person, 0.0) / d
        seen = set()
        for s in num.sources.get(person, []):
            result.sources[person].append(Source(s.raw / d, s.case_id, s.event_id, s.review_id))
            seen.add((s.case_id, s.event_id, s.review_id))
        for s in den.sources.get(person, []):
            if (s.case_id, s.event_id, s.review_id) not in seen:
                result.sources[person].append(Source(0.0, s.case_id, s.event_id, s.review_id))
        result.detail[person] = {"numerator": num.raw.get(person, 0.0), "denominator": d}
    return result


KINDS = {"case_count": case_count, "weighted_cases": weighted_cases,
         "review_grade": review_grade, "event_points": event_points, "manual": manual,
         "ratio": ratio}
