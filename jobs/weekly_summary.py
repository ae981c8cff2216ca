"""The weekly summary job (周汇总): for the ISO week that ended, one summary PDF for
every unit of a province's tree.

Scheduled on Mondays for each province (``jobs.schedule``, "weekly-summary"), with the
period of the week before (``2026-W44``). The figures of the whole tree are gathered
once (``procuracy.oversight.weekly_summary_data``); each unit's summary is the
``ReportDocument`` of kind ``weekly_summary``, so a second run for the same week
leaves one per unit, rebuilt only where the data changed. The documents reach the
units' readers through the bulletins inbox. Returns the province's own document.
"""
from __future__ import annotations

from jobs.runner import JobContext
from jobs.schedule import period_before, period_label
from procuracy.extensions import db
from procuracy.orm import utcnow

KIND = "weekly_summary"

# (heading, [(metric, column)]) of the summary's three tables.
TABLES = (
    ("二、案件办理", [("received", "受理"), ("closed", "办结"), ("overdue", "周末超期"),
                 ("due_soon", "临期")]),
    ("三、流程监控", [("alerts", "监控预警"), ("issued", "发出通知书"), ("answered", "按期回复"),
                 ("unanswered", "逾期未回复")]),
    ("四、问题台账", [("ledger_new", "新增"), ("ledger_closed", "整改销号"),
                 ("ledger_open", "周末未整改"), ("ledger_overdue", "其中逾期")]),
)


def delta(this: int, last: int) -> str:
    """较上周 +3 / -2 / 与上周持平."""
    diff = (this or 0) - (last or 0)
    return f"较上周{diff:+d}" if diff else "与上周持平"


def context_for(data: dict) -> dict:
    unit = data["unit"]
    return {"title": f"{unit['name']}案件管理工作周汇总", "unit_name": unit["name"],
            "period_label": period_label(data["period"]), "d": data, "tables": TABLES,
            "delta": delta, "toc": False,
            "subtitle": f"{data['from']}至{data['to']}，与{period_label(data['previous'])}比较"}


def weekly_summary(job: JobContext) -> int | None:
    from procuracy.oversight.weekly_summary_data import gather
    from procuracy.reports.store import build_document

    period = job.period or period_before("week", utcnow())
    job.progress(5, "汇总数据")
    summaries = gather(job.unit_id, period)
    own = None
    for done, data in enumerate(summaries, start=1):
        context = context_for(data)
        # Hashed as gathered, so the document's data hash is the one its PDF prints.
        hashed = {k: v for k, v in data.items() if k != "hash"}
        document_id = build_document(unit_id=data["unit"]["id"], kind=KIND, period=period,
                                     template="weekly_summary.html", context=context,
                                     data=hashed, title=context["title"],
                                     job_run_id=job.job_run_id)
        if data["unit"]["id"] == job.unit_id:
            own = document_id
        job.progress(10 + 89 * done // len(summaries), f"{data['unit']['name']}（{done}/"
                                                       f"{len(summaries)}）")
    db.session.commit()
    return own
