"""The ledger as an Excel workbook (台账导出): the same filters and scope as the list,
with the computed ageing and overdue columns. Capped like the case export."""
from __future__ import annotations

import io

from procuracy.extensions import db
from procuracy.oversight import ledger_query
from procuracy.reports import excel

MAX_ROWS = 20_000
BATCH = 500
SOURCES = {"monitoring": "流程监控", "review": "质量评查", "inspection": "督察"}
SEVERITIES = {"minor": "轻微", "normal": "一般", "major": "较重", "serious": "严重"}
STATES = {"open": "待整改", "answered": "已反馈", "closed": "已销号", "reopened": "重新整改"}
COLUMNS = [  # (header, value of a row dict)
    ("编号", lambda r: r["id"]),
    ("整改单位", lambda r: r["unit_name"] or r["unit"] or ""),
    ("单位代码", lambda r: r["unit"] or ""),
    ("交办单位", lambda r: r["issuer_name"] or r["issuer"] or ""),
    ("来源", lambda r: SOURCES.get(r["source"], r["source"])),
    ("来源编号", lambda r: r["source_ref"]),
    ("案件编号", lambda r: r["case_number"] or ""),
    ("承办人", lambda r: r["handler_name"] or ""),
    ("责任人", lambda r: r["responsible_name"] or ""),
    ("问题", lambda r: r["problem"]),
    ("严重程度", lambda r: SEVERITIES.get(r["severity"], r["severity"])),
    ("整改期限", lambda r: r["deadline"]),
    ("状态", lambda r: STATES.get(r["state"], r["state"])),
    ("挂账天数", lambda r: r["ageing_days"]),
    ("逾期", lambda r: "是" if r["overdue"] else "否"),
    ("登记时间", lambda r: r["created_at"].strftime("%Y-%m-%d %H:%M")),
]


class ExportTooLarge(excel.ExportTooLarge):
    NOUN = "entries"


def export_ledger(conditions: list, limit: int = MAX_ROWS) -> tuple[io.BytesIO, int]:
    """The filtered ledger as .xlsx bytes and the number of rows written."""
    total = ledger_query.count(conditions)
    if total > limit:
        raise ExportTooLarge(total, limit)
    on = ledger_query.today()
    result = db.session.execute(
        ledger_query.listing(conditions).execution_options(yield_per=BATCH))
    return excel.workbook("台账", COLUMNS, (
        ledger_query.with_names([ledger_query.row_out(r, None, on) for r in batch])
        for batch in result.partitions()))
