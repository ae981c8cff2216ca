"""Quality-review findings onto the ledger: a finding of a finalised review becomes a
problem on the reviewed unit's ledger, issued by the reviewing unit, from the data
``review_findings.handover_payload`` gives. Handing a finding over twice leaves one
entry (the finding's public id is the entry's source reference)."""
from __future__ import annotations

from datetime import date

from procuracy.appraisal.review_findings import get_finding, handover_payload
from procuracy.appraisal.review_models import Finding
from procuracy.extensions import db
from procuracy.oversight.ledger import LedgerRejected, record_problem
from procuracy.oversight.ledger_models import SEVERITIES, LedgerEntry


def entry_from_finding(finding: Finding, actor=None) -> LedgerEntry:
    """The finding's ledger entry (created now, or the one it already has); marks the
    finding handed over. Flushes; the caller commits."""
    payload = handover_payload(finding)
    severity = payload["severity"] if payload["severity"] in SEVERITIES else "normal"
    deadline = date.fromisoformat(payload["rectify_by"]) if payload["rectify_by"] else None
    item = payload["item"]
    problem = payload["problem"]
    if payload.get("case_number") and payload["case_number"] not in problem:
        problem = f"{payload['case_number']}：{problem}"
    if item and payload.get("points"):
        problem = f"{problem}（{item['code']}，{payload['points']:g} 分）"
    entry = record_problem(
        unit_id=finding.reviewed_unit_id, issuing_unit_id=finding.unit_id, source="review",
        source_ref=payload["finding"], problem=problem, severity=severity,
        case_id=finding.case_id, handler_id=finding.handler_id, deadline=deadline, actor=actor)
    if finding.status != "handed_over" or finding.ledger_ref != entry.public_id:
        finding.status = "handed_over"
        finding.ledger_ref = entry.public_id
        db.session.flush()
    return entry


def hand_over(finding_public_id: str, actor) -> LedgerEntry:
    """For the API and pages: the reviewing unit hands one finding over; commits."""
    finding = get_finding(finding_public_id)
    if actor.unit_id != finding.unit_id:
        raise PermissionError("the reviewing unit hands its findings over to the ledger")
    if finding.review_id is None and finding.source != "review":
        raise LedgerRejected("finding", "not a quality-review finding")
    entry = entry_from_finding(finding, actor)
    db.session.commit()
    return entry
