"""The appraisal API under /api/v1/appraisal: rule sets (drafts, checks, publication),
score runs (official and sandbox, ranking, traces, comparison, publication); the
records (objections, score events, hand-entered scores, the performance file) are
in ``api_records`` on the same blueprint.

Handlers are thin: parse with a schema, fetch what the path names through the scope
(out of scope is 404), call a service, dump. A role refusal is a PermissionError
(403, app-wide); a refusal of the content is 422 with the field named.
"""
from __future__ import annotations

from functools import wraps

from flask import g
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from procuracy.appraisal import rules, rules_editing, score_runs, scoring
from procuracy.appraisal.rule_models import RuleSet
from procuracy.appraisal.rules import PeriodError, RuleSetError, parse_period
from procuracy.appraisal.rules_checks import problems
from procuracy.appraisal.schemas import (
    CheckOut,
    EffectiveQuery,
    PersonScoreOut,
    RankOut,
    RuleSetBrief,
    RuleSetCreate,
    RuleSetOut,
    RuleSetQuery,
    RuleSetUpdate,
    RunCompareOut,
    RunCreate,
    RunOut,
    RunQuery,
    SandboxIn,
    SandboxOut,
)
from procuracy.appraisal.scoring import ScoringError
from procuracy.extensions import db
from procuracy.tenants.models import Unit
from procuracy.tenants.principal import require_user
from procuracy.tenants.scope import OutOfScope
from procuracy.tenants.services import readable_unit

bp = Blueprint("appraisal", __name__, url_prefix="/api/v1/appraisal",
               description="Evaluation rules, scores with their trace, sandbox comparison, "
                           "objections, score events, performance files")


def refusals(view):
    """Content refusals of the services → 422 with the field named."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except (RuleSetError, ScoringError) as exc:
            db.session.rollback()
            errors = getattr(exc, "errors", None) or [str(exc)]
            abort(422, message=str(exc), errors={exc.field: errors})
        except PeriodError as exc:
            db.session.rollback()
            abort(422, message=str(exc), errors={"period": [str(exc)]})

    return wrapper


def unit_of(code: str | None) -> Unit:
    return readable_unit(code) if code else db.session.get(Unit, g.user.unit_id)


def _code(unit_id: int) -> str:
    unit = db.session.get(Unit, unit_id)
    return unit.code if unit else ""


def rule_set(public_id: str) -> RuleSet:
    rs = rules.rule_set_by_public_id(public_id)
    if rs is None:
        raise OutOfScope(f"RuleSet {public_id}")
    return rs


def rule_set_out(rs: RuleSet) -> dict:
    based_on = db.session.get(RuleSet, rs.based_on_id) if rs.based_on_id else None
    return {**rules.content_of(rs), "public_id": rs.public_id, "unit": _code(rs.unit_id),
            "name": rs.name, "version": rs.version, "status": rs.status,
            "based_on": based_on.public_id if based_on else None,
            "effective_from": rs.effective_from, "published_at": rs.published_at,
            "note": rs.note}


def run_out(run) -> dict | None:
    if run is None:
        return None
    rs = db.session.get(RuleSet, run.rule_set_id)
    return {"public_id": run.public_id, "unit": _code(run.unit_id),
            "rule_set": rs.public_id if rs else None, "rule_set_version": rs.version if rs else None,
            "audience": rs.audience if rs else None, "period": run.period, "kind": run.kind,
            "status": run.status, "computed_at": run.computed_at, "statements": run.statements,
            "published_at": run.published_at}


# ---------------------------------------------------------------- rule sets
@bp.route("/rule-sets")
@bp.arguments(RuleSetQuery, location="query")
@bp.response(200, RuleSetBrief(many=True))
@require_user
def list_rule_sets(args):
    """A unit's own rule sets (drafts too) and the published ones of the units above."""
    unit = unit_of(args.get("unit"))
    query = select(RuleSet).where(RuleSet.unit_id.in_(rules.path_ids(unit)))
    for key in ("audience", "status"):
        if args.get(key):
            query = query.where(getattr(RuleSet, key) == args[key])
    found = db.session.scalars(query.order_by(RuleSet.audience, RuleSet.unit_id,
                                              RuleSet.version)).all()
    return [{**{k: getattr(rs, k) for k in ("public_id", "name", "audience", "period_kind",
                                            "version", "status", "effective_from")},
             "unit": _code(rs.unit_id)} for rs in found]


@bp.route("/rule-sets", methods=["POST"])
@bp.arguments(RuleSetCreate)
@bp.response(201, RuleSetOut)
@require_user
@refusals
def create_rule_set(body):
    """Start a draft for my unit from its latest version or the template above it."""
    unit = db.session.get(Unit, g.user.unit_id)
    return rule_set_out(rules_editing.create_draft(
        g.user, unit, body["audience"], body["period_kind"], body.get("effective_from"),
        body["name"], body["note"]))


@bp.route("/rule-sets/effective")
@bp.arguments(EffectiveQuery, location="query")
@bp.response(200, RuleSetOut)
@require_user
def effective_rule_set(args):
    """The rule set in force for a unit (mine by default) in a period."""
    p = parse_period(args["period"])
    rs = rules.effective_rule_set(unit_of(args.get("unit")), args["audience"], p.kind, p.start)
    if rs is None:
        abort(404, message=f"no rule set in force for {args['audience']} in {p.text}")
    return rule_set_out(rs)


@bp.route("/rule-sets/<string:rule_set_id>")
@bp.response(200, RuleSetOut)
@require_user
def get_rule_set(rule_set_id):
    """A rule set with its aspects, indicators, grading and allowances."""
    return rule_set_out(rule_set(rule_set_id))


@bp.route("/rule-sets/<string:rule_set_id>", methods=["PATCH"])
@bp.arguments(RuleSetUpdate)
@bp.response(200, RuleSetOut)
@require_user
@refusals
def update_rule_set(body, rule_set_id):
    """Change a draft; aspects and indicators are given whole. Checked before saving."""
    return rule_set_out(rules_editing.save(g.user, rule_set(rule_set_id), body))


@bp.route("/rule-sets/<string:rule_set_id>", methods=["DELETE"])
@bp.response(204)
@require_user
@refusals
def discard_rule_set(rule_set_id):
    """Discard a draft."""
    rules_editing.discard(g.user, rule_set(rule_set_id))


@bp.route("/rule-sets/<string:rule_set_id>/validate", methods=["POST"])
@bp.response(200, CheckOut)
@require_user
@refusals
def validate_rule_set(rule_set_id):
    """Every problem of the rule set (against its template), without changing it."""
    errors = problems(rule_set(rule_set_id))
    return {"valid": not errors, "errors": errors}


@bp.route("/rule-sets/<string:rule_set_id>/publish", methods=["POST"])
@bp.response(200, RuleSetOut)
@require_user
@refusals
def publish_rule_set(rule_set_id):
    """Publish a draft: checked once more; from then on it never changes."""
    return rule_set_out(rules_editing.publish(g.user, rule_set(rule_set_id)))


@bp.route("/rule-sets/<string:rule_set_id>/sandbox", methods=["POST"])
@bp.arguments(SandboxIn)
@bp.response(200, SandboxOut)
@require_user
@refusals
def sandbox(body, rule_set_id):
    """Compute a (draft) rule set against a past period of my unit and compare it
    with the official result: who moves up or down, and the indicators why."""
    unit = db.session.get(Unit, g.user.unit_id)
    result = score_runs.sandbox(g.user, unit, rule_set(rule_set_id), body.get("period"))
    return {"run": run_out(result["run"]), "baseline": run_out(result["baseline"]),
            "comparison": result["comparison"]}


# ---------------------------------------------------------------- runs
@bp.route("/runs")
@bp.arguments(RunQuery, location="query")
@bp.response(200, RunOut(many=True))
@require_user
def list_runs(args):
    """A unit's score runs (people outside case management see published ones)."""
    unit = unit_of(args.get("unit"))
    return [run_out(r) for r in score_runs.runs(g.user, unit, args.get("period"),
                                                args.get("kind"))]


@bp.route("/runs", methods=["POST"])
@bp.arguments(RunCreate)
@bp.response(201, RunOut)
@require_user
@refusals
def compute_run(body):
    """Compute my unit's official scores of a period under the rule set in force."""
    unit = db.session.get(Unit, g.user.unit_id)
    p = parse_period(body["period"])
    rs = rules.effective_rule_set(unit, body["audience"], p.kind, p.start)
    if rs is None:
        abort(422, message="no rule set in force",
              errors={"period": [f"no {body['audience']} rule set in force in {p.text}"]})
    return run_out(scoring.compute(unit, rs, p.text, "official", g.user))


@bp.route("/runs/<string:run_id>")
@bp.response(200, RunOut)
@require_user
def get_run(run_id):
    return run_out(score_runs.run_for(g.user, run_id))


@bp.route("/runs/<string:run_id>/publish", methods=["POST"])
@bp.response(200, RunOut)
@require_user
@refusals
def publish_run(run_id):
    """Publish an official run: its ranking is then read by the whole unit."""
    return run_out(score_runs.publish(score_runs.run_for(g.user, run_id), g.user))


@bp.route("/runs/<string:run_id>/ranking")
@bp.response(200, RankOut(many=True))
@require_user
def ranking(run_id):
    """The run's ranking inside the unit."""
    return score_runs.ranking(score_runs.run_for(g.user, run_id))


@bp.route("/runs/<string:run_id>/scores/<string:username>")
@bp.response(200, PersonScoreOut)
@require_user
def person_score(run_id, username):
    """A person's score with its trace: items → sources (cases, events, reviews)."""
    return score_runs.person_score(g.user, score_runs.run_for(g.user, run_id), username)


@bp.route("/runs/<string:run_id>/compare/<string:other_id>")
@bp.response(200, RunCompareOut)
@require_user
def compare_runs(run_id, other_id):
    """Who moves up or down from one run to the other, and why."""
    return score_runs.compare(score_runs.run_for(g.user, run_id),
                              score_runs.run_for(g.user, other_id))


from procuracy.appraisal import api_records  # noqa: E402, F401  (its routes join ``bp``)
