"""Review statistics pages: a unit's figures and its children's (drill down the
tree), or its subtree split by line of business, department or prosecutor; the
chart comes from the one renderer (``procuracy.reports.charts``) that the PDFs use;
and the Excel export of the review results."""
from __future__ import annotations

from flask import g, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from procuracy.appraisal import review_page_excel, review_stats
from procuracy.appraisal.review_page_forms import public_id, stats_args
from procuracy.appraisal.review_page_labels import LINES, label
from procuracy.appraisal.review_views import bp
from procuracy.reports import charts
from procuracy.tenants import units as tree
from procuracy.tenants.services import readable_unit
from procuracy.tenants.views_common import can_read

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _grade_chart(unit, data: dict) -> str | None:
    """A unit without lower units: its own grades as bars (same renderer)."""
    total = data["total"]
    if not total["reviews"]:
        return None
    return charts.bar_chart(data["grades"], [total["grades"].get(g, 0) for g in data["grades"]],
                            title=_("%(unit)s: grades of the reviews", unit=unit.name),
                            unit=_("cases"))


@bp.get("/review/stats/<code>")
@login_required
def stats(code: str):
    unit = readable_unit(public_id(code))
    try:
        args = stats_args(request.args)
    except ValidationError as exc:
        return render_template("review/stats.html", unit=unit, crumbs=[], args={"by": "unit"},
                               data=None, errors=exc.messages), 422
    period = (args.get("date_from"), args.get("date_to"))
    if args["by"] == "unit":
        data = review_stats.by_unit(unit.code, *period)
        data["chart"] = data["chart"] or _grade_chart(unit, data)
    else:
        data = review_stats.by_dimension(unit.code, args["by"], *period)
        if args["by"] == "line":
            data["rows"] = [{**r, "label": label(LINES, r["label"])} for r in data["rows"]]
            data["chart"] = data["chart"] and charts.stacked_bar_chart(
                [r["label"] for r in data["rows"]],
                {g: [r["grades"].get(g, 0) for r in data["rows"]] for g in data["grades"]},
                title=_("%(unit)s: grades by line of business", unit=unit.name), unit=_("cases"))
    crumbs = [(a, can_read(a.id)) for a in tree.ancestors(unit)]
    return render_template("review/stats.html", unit=unit, crumbs=crumbs, args=args, data=data,
                           errors={})


@bp.get("/review/stats/<code>/export.xlsx")
@login_required
def export(code: str):
    unit = readable_unit(public_id(code))
    try:
        args = stats_args(request.args)
    except ValidationError as exc:
        return render_template("review/stats.html", unit=unit, crumbs=[], args={"by": "unit"},
                               data=None, errors=exc.messages), 422
    out = review_page_excel.workbook(unit, g.user, args.get("date_from"), args.get("date_to"))
    return send_file(out, mimetype=XLSX, as_attachment=True,
                     download_name=f"review-results-{unit.code}.xlsx")
