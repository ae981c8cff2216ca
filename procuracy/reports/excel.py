"""Filtered lists as Excel workbooks (.xlsx): written row by row from batches (openpyxl's
write-only mode, so memory stays flat) and capped, for the case list and the ledger."""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from openpyxl import Workbook

Column = tuple[str, Callable[[dict], object]]  # (header, value of a row dict)


class ExportTooLarge(ValueError):
    """More rows match than an export may hold; the message says what to narrow."""

    NOUN = "rows"
    HINT = ""

    def __init__(self, total: int, limit: int):
        self.total, self.limit = total, limit
        super().__init__(f"the filters match {total} {self.NOUN}; an export holds at most "
                         f"{limit}: narrow the filters{self.HINT}")


def workbook(title: str, columns: list[Column],
             batches: Iterable[list[dict]]) -> tuple[io.BytesIO, int]:
    """One sheet named ``title``: the headers, then a row per dict of each batch; the .xlsx
    bytes and the number of rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append([header for header, _ in columns])
    written = 0
    for rows in batches:
        for row in rows:
            sheet.append([value(row) for _, value in columns])
        written += len(rows)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out, written
