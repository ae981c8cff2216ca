"""Assignment API (分案/轮案): assign a case by rotation or designation, reassign
it, approve designations, replay draws; rotation groups, members and rules.

Handlers are thin: a schema parses, a service in ``cases.rotation`` acts, a
schema dumps. Objects out of the reader's scope are 404; a role that may not do
something is 403 (app-wide); input that breaks a rotation rule is 422.
"""
from __future__ import annotations

from functools import wraps

from flask import g
from flask_smorest import Blueprint, abort

from procuracy.cases import assignment as engine
from procuracy.cases import rotation
from procuracy.cases.assignment_models import AssignmentDraw, RotationGroup, RotationRuleVersion
from procuracy.cases.assignment_schemas import (
    AssignmentApprovalIn,
    AssignmentDrawOut,
    AssignmentIn,
    DrawReplayOut,
    ReassignmentIn,
    RotationBoardOut,
    RotationGroupIn,
    RotationGroupOut,
    RotationMemberIn,
    RotationMemberPatch,
    RotationRulesDecisionIn,
    RotationRulesIn,
    RotationRulesOut,
)
from procuracy.cases.models import Case
from procuracy.cases.replay import ReplayError, replay_draw
from procuracy.extensions import db
from procuracy.tenants.models import User
from procuracy.tenants.principal import require_user
from procuracy.tenants.scope import get_or_404

bp = Blueprint("cases_assignment", __name__, url_prefix="/api/v1",
               description="Cases: assignment")
BIGGEST_ID = 2**31 - 1


def rejects(view):
    """A rotation rule refused the input: 422 with the reason, nothing written."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except engine.RulesError as exc:
            db.session.rollback()
            abort(422, message=str(exc), errors={"json": {"rules": exc.errors}})
        except (rotation.RotationError, ReplayError) as exc:
            db.session.rollback()
            abort(422, message=str(exc))

    return wrapper


def _case(case_id: str) -> Case:
    return get_or_404(db.session, Case, public_id=case_id)


def _group(group_id: int | None) -> RotationGroup:
    if group_id is None or not 0 < group_id <= BIGGEST_ID:
        abort(404, message="no such rotation group")
    return get_or_404(db.session, RotationGroup, id=group_id)


def _draw(draw_id: str) -> AssignmentDraw:
    return get_or_404(db.session, AssignmentDraw, public_id=draw_id)


def _member(group: RotationGroup, username: str) -> User:
    try:
        return rotation.user_in_unit(username, group.unit_id)
    except rotation.RotationError:
        abort(404, message=f"no user {username} in the group's unit")


# ---------------------------------------------------------------- assigning cases
@bp.route("/cases/<string:case_id>/assignment", methods=["POST"])
@bp.arguments(AssignmentIn)
@bp.response(201, AssignmentDrawOut)
@bp.alt_response(422, description="the assignment breaks a rotation rule")
@require_user
@rejects
def assign(body, case_id):
    """Assign a case: ``random`` draws from a rotation group; ``designated`` names
    the handler with a reason and is pending until approved (unless I decide)."""
    case = _case(case_id)
    rotation.same_unit(g.user, case)  # read-only from elsewhere: 403 before naming anyone
    if body["mode"] == "random":
        return rotation.draw_out(rotation.draw(case, _group(body["group"]), g.user))
    group = _group(body["group"]) if body.get("group") is not None else None
    user = rotation.user_in_unit(body["user"], case.unit_id)
    return rotation.draw_out(rotation.designate(case, user, body["reason"], g.user, group))


@bp.route("/cases/<string:case_id>/reassignment", methods=["POST"])
@bp.arguments(ReassignmentIn)
@bp.response(201, AssignmentDrawOut)
@bp.alt_response(422, description="the reassignment breaks a rule")
@require_user
@rejects
def reassign(body, case_id):
    """Give the case another handler (named, or drawn from a group without the
    current one), with a reason; the previous handler stays on the record."""
    case = _case(case_id)
    rotation.same_unit(g.user, case)  # read-only from elsewhere: 403 before naming anyone
    user = rotation.user_in_unit(body["user"], case.unit_id) if body.get("user") else None
    group = _group(body["group"]) if body.get("group") is not None else None
    return rotation.draw_out(rotation.reassign(case, body["reason"], g.user, user, group))


@bp.route("/cases/<string:case_id>/assignments")
@bp.response(200, AssignmentDrawOut(many=True))
@require_user
def case_assignments(case_id):
    """Every assignment of the case, oldest first (random, designated, reassigned)."""
    return [rotation.draw_out(d) for d in rotation.case_draws(_case(case_id))]


@bp.route("/assignments/<string:draw_id>")
@bp.response(200, AssignmentDrawOut)
@require_user
def get_assignment(draw_id):
    """One assignment with its seed, pool and weight."""
    return rotation.draw_out(_draw(draw_id))


@bp.route("/assignments/<string:draw_id>/approval", methods=["POST"])
@bp.arguments(AssignmentApprovalIn)
@bp.response(200, AssignmentDrawOut)
@bp.alt_response(422, description="nothing awaits a decision")
@require_user
@rejects
def decide_assignment(body, draw_id):
    """Approve or refuse a pending designation (whoever the power list names)."""
    draw = _draw(draw_id)
    if body["decision"] == "approve":
        return rotation.draw_out(rotation.approve_designation(draw, g.user))
    return rotation.draw_out(rotation.refuse_designation(draw, g.user, body["note"]))


@bp.route("/assignments/<string:draw_id>/replay")
@bp.response(200, DrawReplayOut)
@bp.alt_response(422, description="not a random draw")
@require_user
@rejects
def replay(draw_id):
    """Re-derive the draw from its stored pool and seed."""
    draw = _draw(draw_id)
    result = replay_draw(draw)
    names = {c["user_id"]: c.get("user") for c in rotation.draw_out(draw)["candidates"]}
    return {"draw": draw.public_id, "reproduced": result.reproduced,
            "chosen": names.get(result.chosen), "recomputed": names.get(result.recomputed),
            "reason": result.reason}


# ---------------------------------------------------------------- rotation groups
@bp.route("/rotation-groups")
@bp.response(200, RotationGroupOut(many=True))
@require_user
def list_groups():
    """My unit's rotation groups."""
    return [rotation.group_out(gr) for gr in rotation.groups_of_unit()
            if gr.unit_id == g.user.unit_id]


@bp.route("/rotation-groups", methods=["POST"])
@bp.arguments(RotationGroupIn)
@bp.response(201, RotationBoardOut)
@bp.alt_response(422, description="the group breaks a rule")
@require_user
@rejects
def create_group(body):
    """A new rotation group of my unit, with members and a first version of rules."""
    return rotation.rotation_board(rotation.create_group(g.user, **body))


@bp.route("/rotation-groups/<int:group_id>")
@bp.response(200, RotationBoardOut)
@require_user
def board(group_id):
    """The rotation board: members, shares, loads, status, and who is next."""
    return rotation.rotation_board(_group(group_id))


@bp.route("/rotation-groups/<int:group_id>/members", methods=["POST"])
@bp.arguments(RotationMemberIn)
@bp.response(201, RotationBoardOut)
@bp.alt_response(422, description="the member cannot join")
@require_user
@rejects
def add_member(body, group_id):
    """Add a prosecutor at a share m/n; they join level with the lowest member."""
    group = _group(group_id)
    user = rotation.user_in_unit(body["user"], group.unit_id)
    rotation.add_member(group, user, g.user, body["share_num"], body["share_den"])
    return rotation.rotation_board(group)


@bp.route("/rotation-groups/<int:group_id>/members/<string:username>", methods=["PATCH"])
@bp.arguments(RotationMemberPatch)
@bp.response(200, RotationBoardOut)
@bp.alt_response(422, description="the change breaks a rule")
@require_user
@rejects
def change_member(body, group_id, username):
    """Change a member's share, or mark them absent, away or active again."""
    group = _group(group_id)
    user = _member(group, username)
    if "share_num" in body:
        rotation.set_share(group, user, body["share_num"], body["share_den"], g.user)
    if "status" in body:
        rotation.set_status(group, user, body["status"], g.user)
    return rotation.rotation_board(group)


@bp.route("/rotation-groups/<int:group_id>/members/<string:username>", methods=["DELETE"])
@bp.response(204)
@bp.alt_response(422, description="not a member")
@require_user
@rejects
def remove_member(group_id, username):
    """Take a member out of the group."""
    group = _group(group_id)
    rotation.remove_member(group, _member(group, username), g.user)


@bp.route("/rotation-groups/<int:group_id>/rules")
@bp.response(200, RotationRulesOut(many=True))
@require_user
def rules_versions(group_id):
    """Every version of the group's rules, newest first, with who proposed and decided."""
    return rotation.versions_out(rotation.rule_versions(_group(group_id)))


@bp.route("/rotation-groups/<int:group_id>/rules", methods=["POST"])
@bp.arguments(RotationRulesIn)
@bp.response(201, RotationRulesOut)
@bp.alt_response(422, description="the rules are not usable")
@require_user
@rejects
def propose_rules(body, group_id):
    """Propose new rules; in force once approved (at once if I decide rule changes)."""
    version = rotation.propose_rules(_group(group_id), body["rules"], g.user, body["reason"])
    return rotation.versions_out([version])[0]


@bp.route("/rotation-groups/<int:group_id>/rules/<int:version>/decision", methods=["POST"])
@bp.arguments(RotationRulesDecisionIn)
@bp.response(200, RotationRulesOut)
@bp.alt_response(422, description="the version is already decided")
@require_user
@rejects
def decide_rules(body, group_id, version):
    """Approve or reject a proposed version (whoever the power list names: the chief)."""
    group = _group(group_id)
    if not 0 < version <= BIGGEST_ID:
        abort(404, message="no such version")
    found = get_or_404(db.session, RotationRuleVersion, group_id=group.id, version=version)
    decided = rotation.decide_rules(found, g.user, body["decision"] == "approve",
                                    body["reason"])
    return rotation.versions_out([decided])[0]
