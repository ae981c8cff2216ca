"""Process monitoring API under /api/v1/monitoring: the rules in force for a unit and
my unit's adjustments, alerts (a unit's, my inbox), monitoring notices (issue, read,
answer, close, escalate) and a sweep on demand.

Handlers are thin: a schema parses, a service acts, a schema answers. A refusal of
the content is 422 naming the field, of the role 403, of the state 409, anything
out of scope 404.
"""
from __future__ import annotations

from functools import wraps

from flask import g
from flask_smorest import Blueprint, abort

from procuracy.extensions import db
from procuracy.oversight import monitoring_notices as notices
from procuracy.oversight import monitoring_queries as queries
from procuracy.oversight import monitoring_rules as rules
from procuracy.oversight import monitoring_sweep as sweeps
from procuracy.oversight.monitoring_schemas import (
    MonitoringAlertOut,
    MonitoringAlertQuery,
    MonitoringInboxOut,
    MonitoringNoticeIn,
    MonitoringNoticeOut,
    MonitoringNoticeQuery,
    MonitoringRuleAdjustIn,
    MonitoringRuleOut,
    MonitoringRuleQuery,
    MonitoringSweepIn,
    MonitoringSweepOut,
    NoticeAnswerIn,
    NoticeCloseIn,
    NoticeEscalateIn,
)
from procuracy.tenants.models import Unit
from procuracy.tenants.principal import require_user
from procuracy.tenants.scope import OutOfScope
from procuracy.tenants.services import readable_unit

bp = Blueprint("monitoring", __name__, url_prefix="/api/v1/monitoring",
               description="Process monitoring (流程监控): rules, alerts, monitoring notices "
                           "(流程监控通知书), sweeps")


def refusals(view):
    """Content refusals → 422 with the fields; state conflicts → 409."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except (rules.RuleRefused, notices.NoticeRefused) as exc:
            db.session.rollback()
            abort(422, message=str(exc), errors={"json": exc.errors})
        except notices.NoticeConflict as exc:
            db.session.rollback()
            abort(409, message=str(exc))

    return wrapper


def _key(value: str) -> str:
    """A path id no row can have is simply not found (and never reaches the database)."""
    if len(value) > 40 or not all(c.isalnum() or c in "-_." for c in value) or not value.isascii():
        raise OutOfScope("no such id")
    return value


def _rules_out(unit_id: int) -> list[dict]:
    found = rules.effective_rules(unit_id)
    codes = rules.unit_codes(r.origin_unit_id for r in found)
    return [rules.rule_out(r, codes) for r in found]


# ---------------------------------------------------------------- rules
@bp.route("/rules")
@bp.arguments(MonitoringRuleQuery, location="query")
@bp.response(200, MonitoringRuleOut(many=True))
@require_user
def list_rules(args):
    """The rules in force for a unit (default mine), each with its origin."""
    unit_id = readable_unit(args["unit"]).id if args.get("unit") else g.user.unit_id
    return _rules_out(unit_id)


def _one_rule(code: str) -> dict:
    found = rules.rule_for(g.user.unit_id, code)
    return rules.rule_out(found, rules.unit_codes([found.origin_unit_id]))


@bp.route("/rules/<string:rule_code>", methods=["PUT"])
@bp.arguments(MonitoringRuleAdjustIn)
@bp.response(200, MonitoringRuleOut)
@bp.alt_response(403, description="not the unit's chief or case manager; or the province")
@bp.alt_response(422, description="beyond what the province allows")
@require_user
@refusals
def adjust_rule(body, rule_code):
    """Adjust a rule for my unit, within the province's limits."""
    try:
        rules.adjust(g.user, _key(rule_code), body)
    except LookupError:
        raise OutOfScope(f"rule {rule_code}") from None
    return _one_rule(rule_code)


@bp.route("/rules/<string:rule_code>", methods=["DELETE"])
@bp.response(200, MonitoringRuleOut)
@bp.alt_response(403, description="not the unit's chief or case manager")
@require_user
def reset_rule(rule_code):
    """Drop my unit's adjustment: the inherited rule applies again."""
    try:
        rules.reset(g.user, _key(rule_code))
    except LookupError:
        raise OutOfScope(f"rule {rule_code}") from None
    return _one_rule(rule_code)


# ---------------------------------------------------------------- alerts
@bp.route("/alerts")
@bp.arguments(MonitoringAlertQuery, location="query")
@bp.response(200, MonitoringAlertOut(many=True))
@require_user
def list_alerts(args):
    """Alerts on the cases I may read (newest first, at most 200), with filters."""
    return queries.describe_alerts(queries.list_alerts(g.user, **args))


@bp.route("/alerts/inbox")
@bp.response(200, MonitoringInboxOut)
@require_user
def inbox():
    """My cases' open alerts and the notices I am to answer."""
    return queries.inbox(g.user)


@bp.route("/alerts/<string:alert_id>")
@bp.response(200, MonitoringAlertOut)
@require_user
def get_alert(alert_id):
    """One alert; 404 when its case is not mine to read."""
    return queries.describe_alerts([queries.get_alert(_key(alert_id))])[0]


# ---------------------------------------------------------------- notices
def _notice_out(notice) -> dict:
    return queries.describe_notices(g.user, [notice])[0]


@bp.route("/notices")
@bp.arguments(MonitoringNoticeQuery, location="query")
@bp.response(200, MonitoringNoticeOut(many=True))
@require_user
def list_notices(args):
    """Notices issued by or addressed to the units I read (newest first, at most 200)."""
    return queries.describe_notices(g.user, queries.list_notices(g.user, **args))


@bp.route("/notices", methods=["POST"])
@bp.arguments(MonitoringNoticeIn)
@bp.response(201, MonitoringNoticeOut)
@bp.alt_response(403, description="not a case manager (or chief)")
@require_user
@refusals
def issue_notice(body):
    """Issue a numbered notice about a case of my unit or of a unit below it; it goes
    on the problem ledger."""
    notice = notices.issue(g.user, body["case"], body["problem"], deadline=body.get("deadline"),
                           severity=body["severity"], alert_public_id=body.get("alert"))
    return _notice_out(notice)


@bp.route("/notices/<string:notice_id>")
@bp.response(200, MonitoringNoticeOut)
@require_user
def get_notice(notice_id):
    """One notice with its answers."""
    return _notice_out(notices.get_notice(g.user, _key(notice_id)))


@bp.route("/notices/<string:notice_id>/answer", methods=["POST"])
@bp.arguments(NoticeAnswerIn)
@bp.response(201, MonitoringNoticeOut)
@bp.alt_response(403, description="not the handler (or, escalated, the chief)")
@bp.alt_response(409, description="the notice is closed")
@require_user
@refusals
def answer_notice(body, notice_id):
    """The handler's answer: what was done."""
    notice = notices.get_notice(g.user, _key(notice_id))
    notices.answer(g.user, notice, body["text"])
    return _notice_out(notice)


@bp.route("/notices/<string:notice_id>/close", methods=["POST"])
@bp.arguments(NoticeCloseIn)
@bp.response(200, MonitoringNoticeOut)
@bp.alt_response(403, description="not the issuing unit's case manager")
@bp.alt_response(409, description="closed already, or not answered yet")
@require_user
@refusals
def close_notice(body, notice_id):
    """The issuing unit accepts the answer."""
    notice = notices.get_notice(g.user, _key(notice_id))
    return _notice_out(notices.close(g.user, notice, body.get("note", "")))


@bp.route("/notices/<string:notice_id>/escalate", methods=["POST"])
@bp.arguments(NoticeEscalateIn)
@bp.response(200, MonitoringNoticeOut)
@bp.alt_response(403, description="not the issuing unit's case manager")
@bp.alt_response(409, description="not open")
@require_user
@refusals
def escalate_notice(body, notice_id):
    """The issuing unit escalates the notice to the chief of the case's unit."""
    notice = notices.get_notice(g.user, _key(notice_id))
    return _notice_out(notices.escalate(g.user, notice, body["reason"]))


# ---------------------------------------------------------------- sweeps
@bp.route("/sweeps", methods=["POST"])
@bp.arguments(MonitoringSweepIn)
@bp.response(202, MonitoringSweepOut)
@bp.alt_response(403, description="not a case manager (or chief)")
@require_user
def run_sweep(body):
    """Run the monitoring rules over a unit's tree now (mine, or one below mine)."""
    unit = readable_unit(body["unit"]) if body.get("unit") else db.session.get(
        Unit, g.user.unit_id)
    run = sweeps.request_sweep(g.user, unit)
    return {"job": run.public_id, "unit": unit.code, "status": run.status,
            "message": run.message}
