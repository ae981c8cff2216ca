"""Review results as an Excel workbook (评查结果导出), the figures of the statistics
page: one sheet per split (unit, line of business, department, prosecutor) with
the count per grade, and the final reviews themselves, one row each.

Headers follow the reader's language; grades are the checklist's own names.
Times are Beijing time (Excel keeps no time zone).
"""
from __future__ import annotations

import io
from datetime import date

from flask_babel import gettext as _
from flask_babel import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from procuracy.appraisal import review_page_queries, review_stats
from procuracy.appraisal.review_findings import CHINA
from procuracy.appraisal.review_page_labels import LINES, label
from procuracy.tenants.models import Unit

BOLD = Font(bold=True)


def _figures(sheet, first: list[str], rows: list[tuple[list, dict]], grades: list[str]) -> None:
    sheet.append([*first, _("Reviews"), *grades, _("Points lost"), _("Average points lost")])
    for cells, figures in rows:
        sheet.append([*cells, figures["reviews"], *[figures["grades"].get(g, 0) for g in grades],
                      figures["points_lost"], figures["average_points_lost"]])
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"


def workbook(unit: Unit, viewer, date_from: date | None, date_to: date | None) -> io.BytesIO:
    book = Workbook()
    by_unit = review_stats.by_unit(unit.code, date_from, date_to)
    grades = by_unit["grades"]
    sheet = book.active
    sheet.title = _("By unit")
    _figures(sheet, [_("Unit code"), _("Unit")],
             [([unit.code, f"{unit.name}（{_('whole subtree')}）"], by_unit["total"])]
             + [([c["code"], c["name"]], c) for c in by_unit["children"]], grades)
    for dimension, title in (("line", _("By line of business")),
                             ("department", _("By department")),
                             ("prosecutor", _("By prosecutor"))):
        data = review_stats.by_dimension(unit.code, dimension, date_from, date_to)
        names = (lambda r: label(LINES, r["label"])) if dimension == "line" else (
            lambda r: r["label"])
        _figures(book.create_sheet(title), [pgettext("review", "Name")],
                 [([names(r)], r) for r in data["rows"]], grades)
    detail = book.create_sheet(_("Review results"))
    detail.append([_("Plan"), _("Case number"), _("Case"), pgettext("review", "Kind"), _("Unit code"),
                   _("Unit"), _("Handler"), _("Grade (first review)"),
                   _("Grade (second review)"), _("Final grade"), _("Points lost"),
                   _("Finalised at")])
    for r in review_page_queries.final_reviews(unit, viewer, date_from, date_to):
        at = r["finalised_at"]
        detail.append([r["plan"], r["number"], r["title"], r["kind"], r["unit_code"], r["unit"],
                       r["handler"], r["grade"], r["second_grade"], r["final_grade"],
                       r["points_lost"],
                       at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if at else ""])
    for cell in detail[1]:
        cell.font = BOLD
    detail.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
