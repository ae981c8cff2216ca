"""Case lists: my cases (with their running clocks, and the open monitoring alerts on
them), the unit's case list with its filters and pages, and the same filtered set as
an Excel workbook.

A page of 50 costs the same statements whatever it holds: the count, the page
(unit, kind and handler joined in), the running clocks of the page's cases, the
units for the filter. Bad filters re-render the page with the field named (422).
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from procuracy.cases import services
from procuracy.cases.case_export import ExportTooLarge, export_cases
from procuracy.cases.page_forms import FLAGS, PAGE_SIZE, read_filters
from procuracy.cases.page_models import running_clocks
from procuracy.cases.views import bp, render
from procuracy.tenants.services import visible_units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _conditions(parsed: dict) -> list:
    return services.case_filters(**{k: v for k, v in parsed.items() if k != "page"})


def _listing(template: str, conditions: list, given: dict, parsed: dict, errors: dict,
             endpoint: str, **extra):
    page = parsed.get("page", 1)
    if errors:
        rows, total = [], 0
    else:
        rows, total = services.page(conditions, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page > pages:
        abort(404)
    filters = {k: v for k, v in given.items() if k != "page"}
    return render(template, 422 if errors else 200, rows=rows, total=total, page=page,
                  pages=pages, filters=filters, errors=errors, endpoint=endpoint,
                  flags=FLAGS, clocks=running_clocks([r["id"] for r in rows]), **extra)


@bp.get("/cases/mine")
@login_required
def my_cases():
    given, parsed, errors = read_filters(request.args)
    conditions = _conditions(parsed) + services.mine(g.user) if not errors else []
    # Late: the cases code imports nothing of oversight at module level.
    from procuracy.oversight import monitoring_case

    return _listing("mine.html", conditions, given, parsed, errors, ".my_cases",
                    active="my_cases", alerts=monitoring_case.my_case_alerts(g.user),
                    **monitoring_case.labels())


@bp.get("/cases")
@login_required
def case_list():
    given, parsed, errors = read_filters(request.args)
    conditions = _conditions(parsed) if not errors else []
    return _listing("list.html", conditions, given, parsed, errors, ".case_list",
                    units=visible_units(), active="cases")


@bp.get("/cases/export.xlsx")
@login_required
def case_export():
    """The list's filtered set as .xlsx; too many cases (or bad filters): back to the
    list with a message."""
    given, parsed, errors = read_filters(request.args)
    filters = {k: v for k, v in given.items() if k != "page"}
    if errors:
        flash(_("The filters are not valid: correct them before exporting."), "error")
        return redirect(url_for(".case_list", **filters))
    try:
        data, _rows = export_cases(_conditions(parsed))
    except ExportTooLarge as exc:
        flash(_("The filters match %(total)d cases; one export holds at most %(limit)d. "
                "Narrow the filters (unit, dates, kind, status) and export again.",
                total=exc.total, limit=exc.limit), "error")
        return redirect(url_for(".case_list", **filters))
    return send_file(data, mimetype=XLSX, as_attachment=True, download_name="cases.xlsx",
                     max_age=0)
