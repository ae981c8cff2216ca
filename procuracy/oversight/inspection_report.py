"""The inspection report (督察报告) job: cover, scope, findings by unit with their
ledger entries, rectification status, charts, signature block.

It gets ids only (``JobContext``: the run's unit and ``params["inspection"]``, a
public id) and runs as the system; it builds only an inspection of the unit that
asked for it. One document per inspection (the variant is its public id): a second
run over unchanged data keeps the first.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select

from jobs.runner import JobContext
from procuracy.extensions import db
from procuracy.oversight import inspections, ledger_query
from procuracy.oversight.ledger_export import SEVERITIES, STATES
from procuracy.oversight.ledger_models import Inspection
from procuracy.tenants.models import Unit, User

TOPICS = {"leaders_cases": "领导干部办案", "case_quality": "案件质量", "process": "办案流程",
          "discipline": "司法作风与纪律", "other": "其他"}


class NotThisUnitsInspection(LookupError):
    """The job was asked for an inspection of another unit (or one that does not exist)."""


def _inspection(job: JobContext) -> Inspection:
    public_id = str(job.params.get("inspection", ""))
    inspection = db.session.scalars(select(Inspection).where(
        Inspection.public_id == public_id)).first()
    if inspection is None or inspection.unit_id != job.unit_id:
        raise NotThisUnitsInspection(f"no inspection {public_id!r} of unit {job.unit_id}")
    return inspection


def gather(inspection: Inspection) -> dict:
    """The report's data (JSON-ready: its hash decides whether a rebuild is needed)."""
    units = {u.id: u for u in db.session.scalars(select(Unit).where(
        Unit.id.in_([inspection.unit_id, *inspection.target_unit_ids])))}
    team = db.session.execute(select(User.full_name, User.username).where(
        User.id.in_(inspection.team_ids or [])).order_by(User.username)).all()
    pairs = inspections.findings_of(inspection)
    rows = {r["id"]: r for r in ledger_query.rows_for([e.id for _, e in pairs])}
    by_unit: dict[int, list] = defaultdict(list)
    for finding, entry in pairs:
        r = rows[entry.public_id]
        by_unit[finding.target_unit_id].append({
            "seq": finding.seq, "entry": r["id"], "problem": r["problem"],
            "case_number": r["case_number"] or "", "severity": SEVERITIES.get(r["severity"],
                                                                              r["severity"]),
            "state": r["state"], "state_label": STATES.get(r["state"], r["state"]),
            "deadline": r["deadline"].isoformat() if r["deadline"] else "",
            "ageing_days": r["ageing_days"], "overdue": r["overdue"],
            "responsible": r["responsible_name"] or ""})
    sections = [{"code": units[uid].code, "name": units[uid].name, "findings": by_unit.get(uid, [])}
                for uid in inspection.target_unit_ids if uid in units]
    return {
        "inspection": inspection.public_id, "title": inspection.title,
        "topic": TOPICS.get(inspection.topic, inspection.topic),
        "unit": units[inspection.unit_id].name,
        "period": [inspection.period_from.isoformat(), inspection.period_to.isoformat()],
        "status": inspection.status, "conclusion": inspection.conclusion,
        "team": [f"{name}（{username}）" for name, username in team],
        "sections": sections,
    }


def _charts(data: dict) -> dict:
    from procuracy.reports import charts

    names = [s["name"] for s in data["sections"]] or ["（无）"]
    states = list(STATES)
    per_state = {STATES[s]: [sum(1 for f in sec["findings"] if f["state"] == s)
                             for sec in data["sections"]] or [0] for s in states}
    severity = Counter(f["severity"] for sec in data["sections"] for f in sec["findings"])
    return {
        "chart_units": charts.stacked_bar_chart(names, per_state, title="各单位问题及整改状态",
                                                unit="个"),
        "chart_severity": charts.bar_chart(list(severity) or ["（无）"],
                                           {"问题数": list(severity.values()) or [0]},
                                           title="问题严重程度", unit="个", width=420),
    }


def inspection_report(job: JobContext) -> int:
    from procuracy.reports.store import build_document

    inspection = _inspection(job)
    job.progress(10, "汇总督察发现")
    data = gather(inspection)
    findings = [f for sec in data["sections"] for f in sec["findings"]]
    status = Counter(f["state"] for f in findings)
    context = {
        **data, **_charts(data),
        "title": f"督察报告：{data['title']}", "unit_name": data["unit"],
        "period_label": f"{data['period'][0]} 至 {data['period'][1]}",
        "subtitle": data["topic"],
        "totals": {"findings": len(findings), "closed": status.get("closed", 0),
                   "answered": status.get("answered", 0),
                   "open": status.get("open", 0) + status.get("reopened", 0),
                   "overdue": sum(1 for f in findings if f["overdue"])},
        "states": STATES, "status_counts": status,
    }
    return build_document(unit_id=job.unit_id, kind=job.kind, period=job.period,
                          variant=inspection.public_id, template="inspection.html",
                          context=context, data=data, job_run_id=job.job_run_id,
                          progress=job.progress)
