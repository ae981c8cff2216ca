"""Reading a case import file (.csv or .xlsx) into rows for ``CaseIn``.

The header names the columns, in English (``kind``, ``received_on`` …) or in
Chinese (案件类别, 受理日期 …); case-card fields are columns named ``card.NAME``
or ``案卡.NAME``. Cells are normalised (dates from Excel, 是/否, lists split on
、,;) so that the schema decides what is valid, the same way for the API and
for a file. A header problem rejects the file before any row is looked at.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from procuracy.tenants.unit_io import ImportRejected, RowError

ALIASES = {
    "kind": ("kind", "案件类别", "案件类型"),
    "received_on": ("received_on", "受理日期", "收案日期"),
    "title": ("title", "案件名称"),
    "source_agency": ("source_agency", "移送单位", "移送机关"),
    "suspects_count": ("suspects_count", "犯罪嫌疑人人数", "嫌疑人人数"),
    "suspects": ("suspects", "犯罪嫌疑人", "嫌疑人"),
    "charges": ("charges", "罪名", "涉嫌罪名"),
    "detained": ("detained", "在押", "是否在押"),
    "major": ("major", "重大疑难复杂"),
    "juvenile": ("juvenile", "未成年人", "涉未成年人"),
}
COLUMN = {alias.lower(): name for name, names in ALIASES.items() for alias in names}
REQUIRED = ("kind", "received_on")
LISTS = frozenset({"suspects", "charges"})
FLAGS = frozenset({"detained", "major", "juvenile"})
CARD_PREFIXES = ("card.", "案卡.")
SPLIT = re.compile(r"[,，、;；\n]+")
YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", "×", ""}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def read_case_rows(path: Path, max_rows: int) -> list[tuple[int, dict]]:
    """(line number, values for ``CaseIn``) for each non-empty row; the header is line 1."""
    table = _cells(path)
    if not table or not any(table[0]):
        raise ImportRejected([RowError(1, "header", "the file is empty")])
    columns = _columns(table[0])
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        rows.append((line, _values(columns, cells)))
    if len(rows) > max_rows:
        raise ImportRejected([RowError(1, "file", f"{len(rows)} rows; at most {max_rows} "
                                       "in one file: split it")])
    return rows


def _cells(path: Path) -> list[list]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            book = load_workbook(path, read_only=True, data_only=True)
            try:
                rows = [list(r) for r in book.active.iter_rows(values_only=True)]
            finally:
                book.close()
        except Exception as exc:  # a damaged or mislabelled file
            raise ImportRejected([RowError(1, "file", f"not a readable .xlsx file ({exc})")]
                                 ) from exc
        return [[c.strip() if isinstance(c, str) else c for c in r] for r in rows]
    if suffix != ".csv":
        raise ImportRejected([RowError(1, "file", "only .csv and .xlsx files are read")])
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected([RowError(1, "file", "not UTF-8 or GB18030 text")])
    return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]


def _columns(header: list) -> list[tuple[str, str] | None]:
    """Per column: ("field", name) or ("card", name), or None for a blank header cell."""
    errors, out, seen = [], [], {}
    for i, cell in enumerate(header, start=1):
        title = "" if cell is None else str(cell).strip()
        if not title:
            out.append(None)
            continue
        card = next((title[len(p):] for p in CARD_PREFIXES if title.lower().startswith(p)), None)
        if card is not None:
            column = ("card", card.strip())
        elif title.lower() in COLUMN:
            column = ("field", COLUMN[title.lower()])
        else:
            errors.append(RowError(1, title, f"unknown column {i}"))
            out.append(None)
            continue
        if column in seen:
            errors.append(RowError(1, title, f"column {i} repeats column {seen[column]}"))
        seen.setdefault(column, i)
        out.append(column)
    named = {c[1] for c in out if c and c[0] == "field"}
    errors += [RowError(1, name, "column missing from the header")
               for name in REQUIRED if name not in named]
    if errors:
        raise ImportRejected(errors)
    return out


def _values(columns: list, cells: list) -> dict:
    values: dict = {}
    card: dict = {}
    for column, cell in zip(columns, cells, strict=False):
        if column is None or cell is None or cell == "":
            continue
        where, name = column
        if where == "card":
            card[name] = _plain(cell)
        else:
            values[name] = _field(name, cell)
    if card:
        values["card"] = card
    return values


def _plain(cell):
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return cell


def _field(name: str, cell):
    if name == "received_on":
        return _date(cell)
    if name in LISTS:
        return [p.strip() for p in SPLIT.split(str(cell)) if p.strip()]
    if name in FLAGS and isinstance(cell, str):
        word = cell.strip().lower()
        return True if word in YES else False if word in NO else cell
    if name == "suspects_count" and isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if name in ("kind", "title", "source_agency"):
        return str(cell).strip()
    return cell


def _date(cell):
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell).strip()
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return text  # the schema names it: not a valid date
