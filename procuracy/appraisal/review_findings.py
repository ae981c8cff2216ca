"""Findings (评查发现的问题): every failed item of a finalised review, ready to become a
problem on the reviewed unit's ledger with a rectification deadline (限期整改).

The oversight issue owns the ledger; until it exists a finding stays "open" with
an empty ``ledger_ref`` and ``handover_payload`` gives what the ledger will need.
A finding belongs to the reviewing unit; the reviewed unit reads it. Its
``discovery`` drives Shandong's rule for the unit-level score: found and fixed by
the unit itself costs nothing, analysed but not fixed costs half, missed costs the
item's full points. The reviewing unit's case manager sets it after the reviewed
unit has shown its own records.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from procuracy.appraisal.checklists import severity_for
from procuracy.appraisal.review_models import ChecklistItem, Finding, Review, ReviewPlan
from procuracy.cases.models import Case, new_public_id
from procuracy.extensions import db
from procuracy.tenants.models import Unit, User
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import get_or_404, system_scope
from procuracy.tenants.services import readable_unit

DISCOVERY = {"self_fixed": 0.0, "self_analysed": 0.5, "missed": 1.0}  # Shandong's factors
RECTIFY_DAYS = 30
CHINA = timezone(timedelta(hours=8), "CST")
MARKERS = frozenset({Role.CASE_MANAGER, Role.CHIEF, Role.DEPUTY_CHIEF})


class FindingRejected(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.errors = {field: [message]}


def create_findings(review: Review, grades: list[dict], failed: list[tuple], at: datetime) -> list:
    """One open finding per failed item (``failed``: (ChecklistItem, note) pairs)."""
    due = at.astimezone(CHINA).date() + timedelta(days=RECTIFY_DAYS)
    findings = []
    for item, note in failed:
        text = f"【{item.section}】{item.code} {item.text}"
        findings.append(Finding(
            unit_id=review.unit_id, public_id=new_public_id(), review_id=review.id,
            case_id=review.case_id, reviewed_unit_id=review.reviewed_unit_id,
            handler_id=review.handler_id, item_id=item.id, source="review",
            description=f"{text}：{note.strip()}" if note and note.strip() else text,
            severity=severity_for(grades, item.failure_grade), points=item.points,
            discovery="missed", rectify_by=due, status="open", ledger_ref="", created_at=at))
    db.session.add_all(findings)
    return findings


def get_finding(public_id: str) -> Finding:
    return get_or_404(db.session, Finding, public_id=public_id)


def findings_of_unit(code: str, side: str = "reviewed", status: str | None = None) -> list:
    """Findings about the unit's cases (``side="reviewed"``) or made by it ("reviewing")."""
    unit = readable_unit(code)
    column = Finding.reviewed_unit_id if side == "reviewed" else Finding.unit_id
    query = select(Finding).where(column == unit.id).order_by(Finding.created_at, Finding.id)
    if status:
        query = query.where(Finding.status == status)
    return list(db.session.scalars(query))


def mark_discovery(finding: Finding, actor, discovery: str) -> Finding:
    """How the problem came to light: self_fixed, self_analysed or missed."""
    if discovery not in DISCOVERY:
        raise FindingRejected("discovery", f"one of {', '.join(DISCOVERY)}")
    if actor.unit_id != finding.unit_id or not actor.has_role(*MARKERS):
        raise PermissionError("the reviewing unit's case managers (or its chief, deputy "
                              "chief) record how a problem was discovered")
    if finding.status != "open":
        raise FindingRejected("status", "the finding has been handed over to the ledger")
    finding.discovery = discovery
    db.session.commit()
    return finding


def findings_out(findings: list[Finding]) -> list[dict]:
    """Findings with codes and numbers (a few statements for any number of them)."""
    case_ids = {f.case_id for f in findings if f.case_id}
    cases = dict(db.session.execute(
        select(Case.id, Case.number).where(Case.id.in_(case_ids))).all())
    items = {i.id: i for i in db.session.scalars(select(ChecklistItem).where(
        ChecklistItem.id.in_({f.item_id for f in findings if f.item_id})))}
    reviews = dict(db.session.execute(select(Review.id, Review.public_id).where(
        Review.id.in_({f.review_id for f in findings if f.review_id}))).all())
    with system_scope("name the units of findings (codes only)"):
        codes = dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(
            {f.unit_id for f in findings} | {f.reviewed_unit_id for f in findings}))).all())
    return [{
        "id": f.public_id, "review": reviews.get(f.review_id), "reviewing": codes.get(f.unit_id),
        "reviewed": codes.get(f.reviewed_unit_id), "case_number": cases.get(f.case_id),
        "item": items[f.item_id].code if f.item_id in items else None,
        "description": f.description, "severity": f.severity, "points": f.points,
        "discovery": f.discovery, "factor": DISCOVERY.get(f.discovery, 1.0),
        "rectify_by": f.rectify_by, "status": f.status, "ledger_ref": f.ledger_ref,
        "created_at": f.created_at,
    } for f in findings]


def handover_payload(finding: Finding, reader=None) -> dict:
    """What the oversight ledger (台账) needs to take the finding over: unit, case,
    handler, problem, points, deadline, and where it came from. Shown to a ``reader``
    (a page or the API), a blind review's case and handler stay masked unless the
    reader's own scope reads the case; the ledger's own hand-over passes no reader."""
    readable = reader is None or finding.case_id is None or db.session.scalar(
        select(Case.id).where(Case.id == finding.case_id)) is not None
    with system_scope("hand a finding over to the problem ledger"):
        review = db.session.get(Review, finding.review_id) if finding.review_id else None
        plan = db.session.get(ReviewPlan, review.plan_id) if review else None
        case = db.session.get(Case, finding.case_id) if finding.case_id else None
        handler = db.session.get(User, finding.handler_id) if finding.handler_id else None
        item = db.session.get(ChecklistItem, finding.item_id) if finding.item_id else None
        units = dict(db.session.execute(select(Unit.id, Unit.code).where(
            Unit.id.in_([finding.unit_id, finding.reviewed_unit_id]))).all())
        payload = {
            "source": "quality_review", "finding": finding.public_id,
            "reported_by_unit": units.get(finding.unit_id),
            "unit": units.get(finding.reviewed_unit_id),
            "case": case.public_id if case else None, "case_number": case.number if case else None,
            "handler": handler.username if handler else None,
            "problem": finding.description, "severity": finding.severity,
            "item": {"code": item.code, "section": item.section, "text": item.text}
            if item else None,
            "points": finding.points, "discovery": finding.discovery,
            "deduction_factor": DISCOVERY.get(finding.discovery, 1.0),
            "rectify_by": finding.rectify_by.isoformat() if finding.rectify_by else None,
            "review": review.public_id if review else None,
            "plan": plan.public_id if plan else None,
            "final_grade": review.final_grade if review else None,
            "found_at": finding.created_at.astimezone(UTC).isoformat(),
        }
        if plan is not None and plan.blind and not readable:
            payload.update(case=None, case_number=None, handler=None)
    return payload
