"""A run's ranking as the page and its Excel export show it: rank, person,
department, total, grade and the points of each aspect. Built from the services'
ranking plus two grouped reads, so its cost does not grow with the number of
people; the export writes the same rows (openpyxl) so the file matches the page."""
from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from procuracy.appraisal import rules, score_runs
from procuracy.appraisal.page_queries import aspect_points, department_names
from procuracy.appraisal.score_models import ScoreRun


def ranking_table(run: ScoreRun) -> dict:
    """{"rule_set", "aspects": [(code, name, weight)], "rows": [...]} of ``run``."""
    rs = rules.load_content(run.rule_set_id)
    aspects = [(a.code, a.name, a.weight) for a in rs.aspects] if rs else []
    by_person = aspect_points(run)
    departments = department_names(run.unit_id)
    rows = []
    for row in score_runs.ranking(run):
        points = by_person.get(row["username"], {})
        rows.append({**row, "department": departments.get(row["department_id"], ""),
                     "aspects": [points.get(code, 0.0) for code, _n, _w in aspects]})
    return {"rule_set": rs, "aspects": aspects, "rows": rows}


def workbook(run: ScoreRun, unit_name: str, table: dict) -> bytes:
    """The ranking as an .xlsx file: one sheet, a header row, one row per person."""
    book = Workbook()
    sheet = book.active
    sheet.title = run.period
    head = [_("Rank"), _("User name"), _("Name"), _("Department"), _("Total"), _("Grade")]
    head += [f"{name} ({weight:g}%)" for _c, name, weight in table["aspects"]]
    sheet.append([f"{unit_name} {run.period} {_('Ranking')}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(head)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table["rows"]:
        sheet.append([row["rank"], row["username"], row["full_name"], row["department"],
                      round(row["total"], 2), row["grade"], *row["aspects"]])
    for column, width in zip("ABCDEF", (6, 22, 12, 16, 9, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
