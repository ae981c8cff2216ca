"""The supervisors' dashboard (工作台, /dashboard and /dashboard/<code>): a case
manager's, a chief's or an inspection team's view of their tree for a month, one row
per child unit drilling down province → city → district, and at a district the
problem cases linking to the case pages. Charts are SVG from the one renderer the PDFs
use. The figures are read through the reader's scope (``dashboard_data``); a unit the
reader cannot read is 404, a role that does not supervise is 403.
"""
from __future__ import annotations

import re
from datetime import timedelta

from flask import Blueprint, abort, g, render_template, request
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import login_required
from sqlalchemy import select

from procuracy.cases.calendar import china_today
from procuracy.extensions import db
from procuracy.oversight import dashboard_data
from procuracy.oversight.bulletin_data import month_bounds
from procuracy.reports.charts import bar_chart
from procuracy.tenants.models import Unit, UnitClosure
from procuracy.tenants.roles import SUPERVISORS
from procuracy.tenants.scope import current_scope

bp = Blueprint("dashboard_pages", __name__)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _period() -> str:
    """?period=YYYY-MM, by default the current month (so far); anything else is 400."""
    period = request.args.get("period") or f"{china_today():%Y-%m}"
    if not MONTH.match(period) or not 2000 <= int(period[:4]) <= 2100:
        abort(400, description=_("Give the month as YYYY-MM."))
    return period


def _readable_unit(code: str) -> Unit:
    """The unit if the reader reads its data; siblings and ancestors are 404."""
    unit = db.session.scalars(select(Unit).where(Unit.code == code)).first()
    scope = current_scope(db.session)
    if unit is None or scope is None or not scope.can_read_unit(unit.id):
        abort(404)
    return unit


def _crumbs(unit: Unit) -> list[tuple[Unit, bool]]:
    """The unit's ancestors, top first, each with whether the reader may open it."""
    scope = current_scope(db.session)
    ancestors = db.session.scalars(
        select(Unit).join(UnitClosure, UnitClosure.ancestor_id == Unit.id)
        .where(UnitClosure.descendant_id == unit.id, UnitClosure.distance > 0)
        .order_by(UnitClosure.distance.desc())).all()
    return [(a, scope.can_read_unit(a.id)) for a in ancestors]


def _charts(data: dict) -> dict[str, str]:
    names = [r["name"] for r in data["rows"]]
    return {
        "flow": bar_chart(names, {
            pgettext("dashboard", "Received"): [r["received"] for r in data["rows"]],
            pgettext("dashboard", "Closed"): [r["closed"] for r in data["rows"]],
        }, title=_("Cases received and closed"), unit=_("cases")),
        "problems": bar_chart(names, {
            _("Overdue clocks"): [r["overdue"] for r in data["rows"]],
            _("Open alerts"): [r["alerts"] for r in data["rows"]],
            _("Open ledger problems"): [r["ledger_open"] for r in data["rows"]],
        }, title=pgettext("dashboard", "Problems"), unit=_("items")),
    }


def _months(period: str) -> tuple[str, str | None]:
    """(the month before, the month after unless it is in the future)."""
    start, end = month_bounds(period)
    after = f"{end:%Y-%m}" if end <= china_today() else None
    return f"{start - timedelta(days=1):%Y-%m}", after


@bp.get("/dashboard")
@bp.get("/dashboard/<code>")
@login_required
def dashboard(code: str | None = None):
    if not g.user.has_role(*SUPERVISORS):
        abort(403)
    period = _period()
    unit = _readable_unit(code or g.user.unit.code)
    data = dashboard_data.gather(unit.id, period, china_today())
    day = dashboard_data.as_of(period, china_today())
    problems = dashboard_data.problem_cases(unit.id, day) if data["district"] else []
    before, after = _months(period)
    return render_template("oversight/dashboard.html", unit=unit, data=data,
                           crumbs=_crumbs(unit), charts=_charts(data), problems=problems,
                           period=period, before=before, after=after,
                           current=period == f"{china_today():%Y-%m}", active="dashboard")
