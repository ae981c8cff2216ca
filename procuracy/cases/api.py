"""Cases API (read side of the foundation; the cases work adds intake and flow)."""
from __future__ import annotations

from flask_smorest import Blueprint

from procuracy.cases import services
from procuracy.cases.schemas import CaseOut, CaseQuery
from procuracy.tenants.principal import require_user

bp = Blueprint("cases", __name__, url_prefix="/api/v1/cases",
               description="Cases visible to me")


@bp.route("")
@bp.arguments(CaseQuery, location="query")
@bp.response(200, CaseOut(many=True))
@bp.paginate()
@require_user
def list_cases(args, pagination_parameters):
    """Cases I may read, newest first, filtered by unit, status and kind."""
    rows, total = services.page(services.case_filters(args.get("unit"), args.get("status"),
                                                    args.get("kind")),
                                pagination_parameters.first_item,
                                pagination_parameters.page_size)
    pagination_parameters.item_count = total
    return rows


@bp.route("/<string:case_id>")
@bp.response(200, CaseOut)
@require_user
def get_case(case_id):
    """One case by its public id; 404 when it does not exist or is not mine to read."""
    return services.get_case(case_id)
