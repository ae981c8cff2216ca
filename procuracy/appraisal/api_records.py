"""The appraisal API's records, on the ``appraisal`` blueprint: objections to score
items and their answers, score events, hand-entered scores, the performance file."""
from __future__ import annotations

from flask import g

from procuracy.appraisal import performance_file as files
from procuracy.appraisal import score_inputs, score_runs
from procuracy.appraisal.api import bp, refusals, unit_of
from procuracy.appraisal.record_schemas import (
    EventIn,
    EventOut,
    EventQuery,
    ManualIn,
    ManualOut,
    ManualQuery,
    ObjectionOut,
    ObjectionQuery,
    PerformanceOut,
    PerformanceQuery,
    TextIn,
)
from procuracy.appraisal.score_models import Objection
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.models import User
from procuracy.tenants.principal import require_user
from procuracy.tenants.scope import get_or_404


def _name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user.username if user else str(user_id)


def _person(username: str) -> User:
    return get_or_404(db.session, User, username=username)


def objection_out(o: Objection) -> dict:
    return {"public_id": o.public_id, "item_id": o.item_id, "raised_by": _name(o.raised_by_id),
            "raised_at": o.raised_at, "text": o.text, "status": o.status, "answer": o.answer,
            "answered_by": _name(o.answered_by_id), "answered_at": o.answered_at}


def event_out(e) -> dict:
    case = db.session.get(Case, e.case_id) if e.case_id else None
    return {"public_id": e.public_id, "username": _name(e.user_id), "type": e.type,
            "points": e.points, "occurred_on": e.occurred_on,
            "case": case.public_id if case else None, "source": e.source, "note": e.note}


def manual_out(m) -> dict:
    return {"username": _name(m.user_id), "period": m.period,
            "indicator_code": m.indicator_code, "value": m.value,
            "entered_by": _name(m.entered_by_id), "note": m.note}


# ---------------------------------------------------------------- objections
@bp.route("/items/<int:item_id>/objections", methods=["POST"])
@bp.arguments(TextIn)
@bp.response(201, ObjectionOut)
@require_user
@refusals
def raise_objection(body, item_id):
    """Object to an item of my published score."""
    item = score_runs.item_for(g.user, item_id)
    return objection_out(score_runs.objection(g.user, item, body["text"]))


@bp.route("/objections")
@bp.arguments(ObjectionQuery, location="query")
@bp.response(200, ObjectionOut(many=True))
@require_user
def list_objections(args):
    """A unit's objections (case management and leaders), or mine."""
    unit = unit_of(args.get("unit"))
    return [objection_out(o) for o in score_runs.objections(g.user, unit, args.get("status"))]


@bp.route("/objections/<string:objection_id>/answer", methods=["POST"])
@bp.arguments(TextIn)
@bp.response(200, ObjectionOut)
@require_user
@refusals
def answer_objection(body, objection_id):
    """Answer an objection (the unit's case managers or chief)."""
    obj = get_or_404(db.session, Objection, public_id=objection_id)
    return objection_out(score_runs.answer(g.user, obj, body["text"]))


# ---------------------------------------------------------------- performance file
@bp.route("/performance/<string:username>")
@bp.arguments(PerformanceQuery, location="query")
@bp.response(200, PerformanceOut)
@require_user
@refusals
def performance(args, username):
    """A prosecutor's performance file: cases, decisions, reviews, findings, events and
    scores of the periods, each entry with its source's id."""
    return files.performance_file(files.person(username), args["period_from"],
                                  args["period_to"])


# ---------------------------------------------------------------- events, manual scores
@bp.route("/events", methods=["POST"])
@bp.arguments(EventIn)
@bp.response(201, EventOut)
@require_user
@refusals
def record_event(body):
    """Record an award, a flaw, an overdue step … for a person of my unit."""
    return event_out(score_inputs.record_event(
        g.user, _person(body["username"]), body["type"], body["points"], body["occurred_on"],
        body["case"], body["note"]))


@bp.route("/events")
@bp.arguments(EventQuery, location="query")
@bp.response(200, EventOut(many=True))
@require_user
def list_events(args):
    unit = unit_of(args.get("unit"))
    person = _person(args["username"]) if args.get("username") else None
    return [event_out(e) for e in score_inputs.events(
        g.user, unit, person, args.get("date_from"), args.get("date_to"))]


@bp.route("/manual-scores", methods=["POST"])
@bp.arguments(ManualIn)
@bp.response(201, ManualOut)
@require_user
@refusals
def enter_manual_score(body):
    """Enter (or correct) a hand-entered value: external evaluation, people's supervisors."""
    return manual_out(score_inputs.set_manual(
        g.user, _person(body["username"]), body["period"], body["indicator_code"],
        body["value"], body["note"]))


@bp.route("/manual-scores")
@bp.arguments(ManualQuery, location="query")
@bp.response(200, ManualOut(many=True))
@require_user
def list_manual_scores(args):
    unit = unit_of(args.get("unit"))
    person = _person(args["username"]) if args.get("username") else None
    return [manual_out(m) for m in score_inputs.manual_scores(
        g.user, unit, args.get("period"), person)]

