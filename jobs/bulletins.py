"""The monthly bulletin job: one unit's bulletin (通报) for one month, as a PDF.

Scheduled on the 1st for the month before, for every unit (``jobs.schedule``), and on
demand. Idempotent through ``ReportDocument``'s unique (unit, kind, period, variant):
a second run for the same unit and month leaves one bulletin, rebuilt only when the
data it is built from changed (the hash printed at its end).
"""
from __future__ import annotations

from jobs.runner import JobContext
from jobs.schedule import period_before, period_label
from procuracy.extensions import db
from procuracy.orm import utcnow

KIND = "monthly_bulletin"


def delta(this: float, last: float) -> str:
    """较上月 +3 / -2 / 持平."""
    diff = (this or 0) - (last or 0)
    if not diff:
        return "与上月持平"
    number = f"{diff:+.1f}".rstrip("0").rstrip(".") if isinstance(diff, float) else f"{diff:+d}"
    return f"较上月{number}"


def charts_for(data: dict) -> dict:
    from procuracy.reports import charts

    rows = data["rows"]
    names = [r["name"] for r in rows]
    this = data["cases"]["this"]
    received = charts.bar_chart(
        names, {"受理": [this["received_by_row"].get(str(r["id"]), 0) for r in rows],
                "办结": [this["closed_by_row"].get(str(r["id"]), 0) for r in rows]},
        title="受理、办结案件", unit="件")
    grades = data["review"]["this"]["by_grade"] or [["—", 0]]
    grade_chart = charts.bar_chart([g for g, _ in grades], [c for _, c in grades],
                                   title="评查等级分布", unit="件")
    return {"received": received, "grades": grade_chart}


def context_for(data: dict) -> dict:
    from procuracy.oversight.bulletin_data import DUE_SOON_DAYS

    unit = data["unit"]
    return {"title": f"{unit['name']}案件管理工作通报", "unit_name": unit["name"],
            "period_label": period_label(data["period"]), "d": data,
            "charts": charts_for(data), "delta": delta, "due_soon_days": DUE_SOON_DAYS,
            "subtitle": f"与{period_label(data['previous'])}比较"}


def monthly_bulletin(job: JobContext) -> int:
    from procuracy.oversight.bulletin_data import gather
    from procuracy.reports.store import build_document

    period = job.period or period_before("month", utcnow())
    job.progress(5, "汇总数据")
    data = gather(job.unit_id, period)
    job.progress(30, "生成图表")
    context = context_for(data)
    # Hashed as gathered (without its own hash), so the stored hash is the one the PDF prints.
    hashed = {k: v for k, v in data.items() if k != "hash"}
    document_id = build_document(unit_id=job.unit_id, kind=job.kind or KIND, period=period,
                                 template="bulletin.html", context=context, data=hashed,
                                 title=context["title"], job_run_id=job.job_run_id,
                                 progress=job.progress)
    db.session.commit()
    return document_id
