"""The case list as an Excel workbook (案件列表导出).

The same filters and scope as the list. Rows stream from the database in
batches into a write-only workbook, so memory stays flat; an export is capped
(``MAX_ROWS``) and a larger one is refused with the count, before any work, so
the reader narrows the filters rather than receiving a silently cut list.
"""
from __future__ import annotations

import io

from procuracy.cases import services
from procuracy.extensions import db
from procuracy.reports import excel

MAX_ROWS = 50_000
BATCH = 1_000
STATUS = {"open": "在办", "closed": "办结"}
COLUMNS = [  # (header, value of a row dict)
    ("案件编号", lambda r: r["number"]),
    ("案件名称", lambda r: r["title"]),
    ("承办单位", lambda r: r["unit_name"] or r["unit_code"] or ""),
    ("单位代码", lambda r: r["unit_code"] or ""),
    ("案件类别", lambda r: r["kind_name"] or r["kind_code"]),
    ("受理日期", lambda r: r["received_on"]),
    ("办结日期", lambda r: r["closed_on"]),
    ("状态", lambda r: STATUS.get(r["status"], r["status"])),
    ("承办人", lambda r: r["handler_name"] or ""),
    ("犯罪嫌疑人人数", lambda r: r["suspects_count"]),
    ("犯罪嫌疑人", lambda r: "、".join(r["suspects"] or [])),
    ("罪名", lambda r: "、".join(r["charges"] or [])),
    ("移送单位", lambda r: r["source_agency"]),
    ("在押", lambda r: "是" if r["detained"] else "否"),
    ("重大疑难复杂", lambda r: "是" if r["major"] else "否"),
    ("未成年人", lambda r: "是" if r["juvenile"] else "否"),
    ("指定分案", lambda r: "是" if r["designated"] else "否"),
]


class ExportTooLarge(excel.ExportTooLarge):
    NOUN = "cases"
    HINT = " (unit, dates, kind, status)"


def export_cases(conditions: list, limit: int = MAX_ROWS) -> tuple[io.BytesIO, int]:
    """The filtered cases as .xlsx bytes and the number of rows written."""
    total = services.count(conditions)
    if total > limit:
        raise ExportTooLarge(total, limit)
    result = db.session.execute(
        services.listing(conditions).execution_options(yield_per=BATCH))
    return excel.workbook("案件", COLUMNS, (
        services.with_unit_names([services.row_out(*r) for r in batch])
        for batch in result.partitions()))
