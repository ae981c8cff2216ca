"""Two jobs that exercise the pipeline before the real bulletins exist.

``noop`` does nothing, slowly if asked (``params``: ``seconds``, ``steps``) and fails if
asked (``fail``: the message): the queue, progress, failure and retry are testable with
it. ``sample_report`` builds a small Chinese PDF for a unit and a month, from that unit's
case figures, with charts from the shared renderer: the first user of
``reports.store.build_document`` and so of the idempotency key.
"""
from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select

from jobs.runner import JobContext
from jobs.schedule import period_before, period_label
from procuracy.extensions import db
from procuracy.orm import utcnow


class DemoFailure(RuntimeError):
    """The failure ``noop`` was asked for."""


def noop(job: JobContext) -> None:
    seconds = float(job.params.get("seconds", 0))
    steps = max(int(job.params.get("steps", 1)), 1)
    for step in range(steps):
        time.sleep(seconds / steps)
        job.progress(int((step + 1) * 100 / steps) - 1, f"第 {step + 1}/{steps} 步")
    if job.params.get("fail"):
        raise DemoFailure(str(job.params["fail"]))


def _month_bounds(period: str) -> tuple[date, date]:
    year, month = (int(p) for p in period.split("-")[:2])
    start = date(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def _figures(unit_id: int, period: str) -> dict:
    """The unit's cases received in the month: by kind and by status (JSON-ready)."""
    from procuracy.cases.models import Case

    start, end = _month_bounds(period)
    rows = db.session.execute(
        select(Case.kind_code, Case.status)
        .where(Case.unit_id == unit_id, Case.received_on >= start, Case.received_on < end)
    ).all()
    by_kind = Counter(kind or "其他" for kind, _ in rows)
    by_status = Counter(status for _, status in rows)
    return {"total": len(rows), "by_kind": sorted(by_kind.items()),
            "by_status": sorted(by_status.items())}


STATUS_NAMES = {"open": "在办", "closed": "办结"}


def sample_report(job: JobContext) -> int:
    from procuracy.reports import charts
    from procuracy.reports.store import build_document
    from procuracy.tenants.models import Unit

    period = job.period or period_before("month", utcnow())
    unit = db.session.get(Unit, job.unit_id)
    job.progress(10, "汇总数据")
    figures = _figures(job.unit_id, period)
    extra_rows = int(job.params.get("rows", 0))  # a long appendix, to test long reports
    data = {"unit": unit.code, "period": period, "figures": figures, "rows": extra_rows,
            "variant": job.params.get("variant", "")}
    kinds = [k for k, _ in figures["by_kind"]] or ["（无）"]
    context = {
        "title": "案件情况月报（样例）",
        "unit_name": unit.name,
        "period_label": period_label(period),
        "figures": figures,
        "status_names": STATUS_NAMES,
        "appendix": [(i + 1, f"{unit.abbr or unit.name}检〔{period[:4]}〕{i + 1}号", "审查起诉")
                     for i in range(extra_rows)],
        "toc": bool(job.params.get("toc")) or None,
        "chart_kinds": charts.bar_chart(kinds, [c for _, c in figures["by_kind"]] or [0],
                                        title="受理案件（按案件类别）", unit="件"),
        "chart_status": charts.stacked_bar_chart(
            ["本月"], {STATUS_NAMES.get(s, s): [c] for s, c in figures["by_status"]} or {"无": [0]},
            title="办理状态", unit="件", width=320),
    }
    return build_document(unit_id=job.unit_id, kind=job.kind, period=period,
                          variant=str(job.params.get("variant", "")), template="sample.html",
                          context=context, data=data, job_run_id=job.job_run_id,
                          progress=job.progress)
