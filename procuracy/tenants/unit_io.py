"""Import and export of a unit tree as CSV or Excel.

An import is checked whole before anything is written: a bad file is rejected
with every problem named by row and field, and the database is left unchanged.
Existing units (same code, same parent) get their name and abbreviation updated.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from procuracy.extensions import db
from procuracy.tenants.models import Level, Unit
from procuracy.tenants.units import ALLOWED_PARENT, UnitRow, add_unit, all_rows

HEADER = [f.name for f in fields(UnitRow)]
SIX_DIGITS = re.compile(r"^\d{6}$")
BRANCH_CODE = re.compile(r"^\d{2}F\d{3}$")


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based, the header being row 1
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, field '{self.field}': {self.message}"


class ImportRejected(ValueError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def read_rows(path: Path) -> list[dict]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheet = load_workbook(path, read_only=True, data_only=True).active
        values = [["" if v is None else str(v).strip() for v in r]
                  for r in sheet.iter_rows(values_only=True)]
    else:
        text = path.read_bytes().decode("utf-8-sig")
        values = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    if not values:
        raise ImportRejected([RowError(1, "header", "the file is empty")])
    header = [h.lower() for h in values[0]]
    missing = [h for h in HEADER if h not in header]
    if missing:
        raise ImportRejected([RowError(1, m, "column missing from the header") for m in missing])
    out = []
    for cells in values[1:]:
        if not any(cells):
            out.append({})
            continue
        cells = cells + [""] * (len(header) - len(cells))
        out.append({h: cells[i] for i, h in enumerate(header) if h in HEADER})
    return out


def validate(raw: list[dict]) -> list[UnitRow]:
    """UnitRows in file order, or ImportRejected naming every bad row and field."""
    existing = {u.code: u for u in db.session.scalars(select(Unit))}
    levels = {code: u.level for code, u in existing.items()}
    parents = {code: existing.get(u.parent_id) for code, u in existing.items()}
    by_id = {u.id: u for u in existing.values()}
    errors: list[RowError] = []
    rows: list[UnitRow] = []
    seen: dict[str, int] = {}
    for n, data in enumerate(raw, start=2):
        if not data:
            continue
        row = UnitRow(**{h: data.get(h, "") for h in HEADER})
        bad = len(errors)
        if row.level not in {lv.value for lv in Level}:
            errors.append(RowError(n, "level", f"'{row.level}' is not one of "
                                   "province, city, branch, district"))
        pattern = BRANCH_CODE if row.level == Level.BRANCH else SIX_DIGITS
        if not pattern.match(row.code):
            form = "two digits, F, three digits" if row.level == Level.BRANCH else "six digits"
            errors.append(RowError(n, "code", f"'{row.code}' is not {form}"))
        elif row.code in seen:
            errors.append(RowError(n, "code", f"{row.code} already given in row {seen[row.code]}"))
        if not row.name:
            errors.append(RowError(n, "name", "empty"))
        parent_level = levels.get(row.parent_code) if row.parent_code else None
        if row.parent_code and row.parent_code not in levels:
            errors.append(RowError(n, "parent_code",
                                   f"unknown unit {row.parent_code} (parents must come first)"))
        elif row.level in {lv.value for lv in Level} and \
                parent_level not in ALLOWED_PARENT[Level(row.level)]:
            errors.append(RowError(n, "parent_code",
                                   f"a {row.level} cannot sit under "
                                   f"{parent_level or 'nothing'}"))
        old = existing.get(row.code)
        if old is not None:
            old_parent = by_id.get(old.parent_id)
            if (old_parent.code if old_parent else "") != row.parent_code:
                errors.append(RowError(n, "parent_code",
                                       f"{row.code} exists under another parent; "
                                       "moving units is not supported"))
        seen.setdefault(row.code, n)
        if len(errors) == bad:
            levels[row.code] = row.level
            parents.setdefault(row.code, None)
            rows.append(row)
    if errors:
        raise ImportRejected(errors)
    return rows


def import_units(path: Path) -> dict:
    """Validate the whole file, then write it in one transaction."""
    rows = validate(read_rows(path))
    existing = {u.code: u for u in db.session.scalars(select(Unit))}
    created = updated = 0
    try:
        for row in rows:
            unit = existing.get(row.code)
            if unit is None:
                existing[row.code] = add_unit(row, existing.get(row.parent_code))
                created += 1
            elif (unit.name, unit.abbr) != (row.name, row.abbr):
                unit.name, unit.abbr = row.name, row.abbr
                updated += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return {"created": created, "updated": updated, "rows": len(rows)}


def export_units(path: Path, rows: Iterable[UnitRow] | None = None) -> int:
    rows = list(all_rows() if rows is None else rows)
    if path.suffix.lower() == ".xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "units"
        sheet.append(HEADER)
        for r in rows:
            sheet.append([getattr(r, h) for h in HEADER])
        book.save(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows([getattr(r, h) for h in HEADER] for r in rows)
    return len(rows)
