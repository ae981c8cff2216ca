"""Cases API, flow: a case's statutory clocks and their extension, the catalogue of
kinds and stages, the working-day calendar (read by all, edited by the province).

Handlers are thin: parse with a schema, call a service, dump with a schema. A
rule the law refuses answers 422; a person who may not answers 403; what is not
visible answers 404.
"""
from __future__ import annotations

from flask import g
from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from procuracy.cases import catalogue, clocks
from procuracy.cases.calendar import china_today
from procuracy.cases.flow_schemas import (
    CalendarDayIn,
    CalendarDayOut,
    CalendarQuery,
    ClockOut,
    ClocksQuery,
    DayPath,
    ExtensionIn,
    KindOut,
)
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.principal import require_user
from procuracy.tenants.scope import get_or_404

bp = Blueprint("cases_flow", __name__, url_prefix="/api/v1",
               description="Cases: flow, statutory clocks, catalogue and calendar")


def _day(value: str):
    try:
        return DayPath().load({"day": value})["day"]
    except ValidationError as exc:
        abort(422, errors={"path": exc.messages})


@bp.route("/cases/<string:case_id>/clocks")
@bp.arguments(ClocksQuery, location="query")
@bp.response(200, ClockOut(many=True))
@require_user
def case_clocks(args, case_id):
    """The case's clocks with due date, days left and state (as of ``on``, default today)."""
    case = get_or_404(db.session, Case, public_id=case_id)
    today = args.get("on") or china_today()
    return [clocks.clock_out(c, today) for c in clocks.clocks_of(case)]


@bp.route("/cases/<string:case_id>/clocks/<string:name>/extension", methods=["POST"])
@bp.arguments(ExtensionIn)
@bp.response(200, ClockOut)
@bp.alt_response(403, description="neither the handler nor the decider the power list names")
@bp.alt_response(422, description="the limit may not be extended (again, or any more)")
@require_user
def extend(body, case_id, name):
    """Extend a clock by its stage's statutory allowance, with a reason."""
    case = get_or_404(db.session, Case, public_id=case_id)
    clock = clocks.find_clock(case, name)
    if clock is None:
        abort(404, message=f"no {name} clock on this case")
    try:
        clocks.extend_clock(clock, g.user, body["reason"])
    except clocks.ClockError as exc:
        db.session.rollback()
        abort(422, message=str(exc))
    return clocks.clock_out(clock)


@bp.route("/catalogue/kinds")
@bp.response(200, KindOut(many=True))
@require_user
def kinds():
    """The kinds of case (with stages and statutory limits) my unit works under."""
    return catalogue.catalogue_out(g.user.unit)


@bp.route("/calendar")
@bp.arguments(CalendarQuery, location="query")
@bp.response(200, CalendarDayOut(many=True))
@require_user
def calendar(args):
    """Public holidays and make-up working days of a year, as my province publishes them."""
    year = args.get("year") or china_today().year
    return [{"day": row.day, "kind": row.kind, "name": row.name, "unit": code}
            for row, code in catalogue.calendar_days(g.user.unit, year)]


@bp.route("/calendar/<string:day>", methods=["PUT"])
@bp.arguments(CalendarDayIn)
@bp.response(200, CalendarDayOut)
@bp.alt_response(403, description="only the province's administrator or chief")
@require_user
def put_day(body, day):
    """Make a day a holiday or a make-up working day; running clocks follow."""
    row = catalogue.set_calendar_day(g.user, _day(day), body["kind"], body["name"])
    return {"day": row.day, "kind": row.kind, "name": row.name, "unit": g.user.unit.code}


@bp.route("/calendar/<string:day>", methods=["DELETE"])
@bp.response(204)
@bp.alt_response(403, description="only the province's administrator or chief")
@require_user
def delete_day(day):
    """Drop a day from the province's calendar; running clocks follow."""
    if not catalogue.remove_calendar_day(g.user, _day(day)):
        abort(404, message="the calendar does not name that day")
