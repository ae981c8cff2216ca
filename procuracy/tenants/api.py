"""The tenants JSON API under /api/v1: tokens, me, units, power lists, access log.

Handlers are thin: they parse with a schema, call a service, dump with a schema.
"""
from __future__ import annotations

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from procuracy.extensions import db, limiter
from procuracy.tenants import auth, powers, services
from procuracy.tenants.principal import bearer_token, become, require_user
from procuracy.tenants.schemas import (
    AccessEntryOut,
    AccessQuery,
    CompareOut,
    CompareQuery,
    EffectiveListOut,
    MeOut,
    OnQuery,
    TokenOut,
    TokenRequest,
    UnitDetail,
    UnitOut,
    UnitQuery,
    UserOut,
    VersionOut,
)

auth_bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth",
                    description="Bearer tokens for the API")
units_bp = Blueprint("units", __name__, url_prefix="/api/v1",
                     description="Units visible to me, their people, power lists, access logs")


def _account_key() -> str:
    body = request.get_json(silent=True)
    name = body.get("username", "") if isinstance(body, dict) else ""
    return f"account:{str(name)[:80]}"


def _failed(response) -> bool:
    return response.status_code == 401


@auth_bp.route("/token")
class Token(MethodView):
    decorators = [
        limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
                      deduct_when=_failed, methods=["POST"]),
        limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
                      key_func=_account_key, deduct_when=_failed, methods=["POST"]),
    ]

    @auth_bp.doc(security=[])  # signing in takes no token
    @auth_bp.arguments(TokenRequest)
    @auth_bp.response(201, TokenOut)
    @auth_bp.alt_response(401, description="wrong user name or password")
    @auth_bp.alt_response(429, description="too many failed attempts")
    def post(self, body):
        """Sign in: a bearer token for the API."""
        user = auth.authenticate(body["username"], body["password"])
        if user is None:
            abort(401, message="wrong user name or password")
        become(user)
        raw, record = auth.issue_token(user)
        return {"token": raw, "expires_at": record.expires_at}

    @auth_bp.response(204)
    @auth_bp.alt_response(401, description="no valid token")
    def delete(self):
        """Revoke the token this request carries."""
        token = bearer_token()
        if not token or not auth.revoke_token(token):
            abort(401, message="a valid bearer token is required")


@units_bp.route("/me")
@units_bp.response(200, MeOut)
@require_user
def get_me():
    """The signed-in user, their unit and roles."""
    return services.me(g.user)


@units_bp.route("/units")
@units_bp.arguments(UnitQuery, location="query")
@units_bp.response(200, UnitOut(many=True))
@require_user
def list_units(args):
    """Units whose data I may read: my own and, for supervisors, all descendants."""
    return services.units_out(services.visible_units(args.get("level"), args.get("parent")))


@units_bp.route("/units/<string:code>")
@units_bp.response(200, UnitDetail)
@require_user
def get_unit(code):
    """One unit by its code, with its ancestors and visible children."""
    return services.unit_detail(code)


@units_bp.route("/units/<string:code>/users")
@units_bp.response(200, UserOut(many=True))
@require_user
def unit_users(code):
    """The unit's users and their roles."""
    return [services.user_out(u) for u in services.users_of(code)]


@units_bp.route("/units/<string:code>/powers")
@units_bp.arguments(OnQuery, location="query")
@units_bp.response(200, EffectiveListOut)
@require_user
def unit_powers(args, code):
    """The unit's effective power list on a date: template, overrides, local items."""
    unit = services.readable_unit(code)
    effective = powers.effective_list(unit, args.get("on"))
    return {"unit": unit, "on": effective.on, "versions": effective.versions,
            "summary": powers.summary(effective.items), "items": effective.items}


@units_bp.route("/units/<string:code>/powers/versions")
@units_bp.response(200, VersionOut(many=True))
@require_user
def power_versions(code):
    """Every version of the unit's own list, newest first."""
    return powers.versions(services.readable_unit(code))


@units_bp.route("/units/<string:code>/powers/compare")
@units_bp.arguments(CompareQuery, location="query")
@units_bp.response(200, CompareOut)
@require_user
def compare_versions(args, code):
    """What changed between two versions of the unit's own list."""
    unit = services.readable_unit(code)
    by_version = {pl.version: pl for pl in powers.versions(unit)}
    missing = [v for v in (args["from_version"], args["to_version"]) if v not in by_version]
    if missing:
        abort(404, message=f"no version {missing[0]} for unit {code}")
    return powers.compare(powers.items_of_version(by_version[args["from_version"]]),
                          powers.items_of_version(by_version[args["to_version"]]))


@units_bp.route("/units/<string:code>/access-log")
@units_bp.arguments(AccessQuery, location="query")
@units_bp.response(200, AccessEntryOut(many=True))
@units_bp.paginate()
@require_user
def unit_access_log(args, code, pagination_parameters):
    """Who read this unit's data, from which unit, under which right."""
    query, count = services.access_log(g.user, code, args.get("since"))
    pagination_parameters.item_count = db.session.scalar(count)
    page = db.session.scalars(
        query.limit(pagination_parameters.page_size)
        .offset(pagination_parameters.first_item)).all()
    return [services.access_out(e) for e in page]


def register_api(api) -> list:
    from procuracy.appraisal.api import bp as appraisal_bp
    from procuracy.appraisal.review_api import bp as review_bp
    from procuracy.cases import api as cases_api
    from procuracy.cases import api_assignment, api_decisions, api_flow
    from procuracy.oversight import inspection_api, ledger_api
    from procuracy.oversight.bulletins_api import bp as bulletins_bp
    from procuracy.oversight.jobs_api import bp as jobs_bp
    from procuracy.oversight.monitoring_api import bp as monitoring_bp
    from procuracy.tenants.api_crossreview import bp as orders_bp

    blueprints = [auth_bp, units_bp, orders_bp, cases_api.bp, api_assignment.bp,
                  api_decisions.bp, api_flow.bp, jobs_bp, appraisal_bp, review_bp,
                  ledger_api.bp, inspection_api.bp]
    blueprints.append(monitoring_bp)
    blueprints.append(bulletins_bp)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearer": []}]
    return blueprints
