"""Cases API: placeholder blueprint, filled by the cases work."""
from __future__ import annotations

from flask_smorest import Blueprint

bp = Blueprint("cases_flow", __name__, url_prefix="/api/v1",
               description="Cases: flow")
