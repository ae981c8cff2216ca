"""Bulletins (通报) as their readers get them: the inbox of a unit's chief, deputies
and case managers (and, reading down, of its supervisors and inspectors), and the
download, watermarked with the reader's name.

A bulletin is the ``ReportDocument`` of kind ``monthly_bulletin`` that the scheduled
job (``jobs.bulletins``) builds for every unit on the 1st; "delivered" means it is in
the inbox of the people of that unit who read bulletins, from the moment it exists.
Which units' bulletins a reader sees is the scope's decision (own unit, and the
descendants a supervisor reads); who among a unit's people reads bulletins is
``READERS``. Opening one leaves a read receipt (``receipts``): the inbox puts what the
reader has not read first, and shows who has read each bulletin, as far as the scope
lets the reader see those receipts (their own unit's and, reading down, their tree's).
"""
from __future__ import annotations

from sqlalchemy import select

from procuracy.extensions import db
from procuracy.oversight import receipts
from procuracy.oversight.bulletin_data import period_bounds
from procuracy.oversight.job_models import ReportDocument
from procuracy.tenants.models import Unit
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import OutOfScope, current_scope, get_or_404, system_scope

KIND = "monthly_bulletin"
# The inbox delivers the weekly summaries (jobs.weekly_summary) to the same readers;
# kind -> the start of a download's file name.
KINDS = {KIND: "bulletin", "weekly_summary": "weekly-summary"}
READERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER, Role.INSPECTOR,
                     Role.COMMITTEE_MEMBER})


def may_read(user) -> bool:
    return bool(user is not None and user.role_names & READERS)


def _require_reader(user) -> None:
    if not may_read(user):
        raise PermissionError("bulletins are read by the chief, deputies, committee members, "
                              "case managers and inspectors")


def inbox(user, *, unit_code: str | None = None, period: str | None = None) -> list[dict]:
    """The bulletins the reader may read: unread first, then newest period first, own
    unit before others; each with the reader's first reading and who has read it.
    Two statements however many bulletins."""
    _require_reader(user)
    query = (select(ReportDocument, Unit.code, Unit.name)
             .join(Unit, Unit.id == ReportDocument.unit_id)
             .where(ReportDocument.kind.in_(list(KINDS))))
    if unit_code:
        query = query.where(Unit.code == unit_code)
    if period:
        query = query.where(ReportDocument.period == period)
    rows = db.session.execute(query.order_by(
        ReportDocument.period.desc(), Unit.depth, Unit.code)).all()
    own = user.unit_id
    read_by = receipts.readers_of([doc.id for doc, _code, _name in rows])
    out = []
    for doc, code, name in rows:
        readers = read_by.get(doc.id, [])
        mine = next((r["first_read_at"] for r in readers if r["user_id"] == user.id), None)
        out.append({"id": doc.public_id, "kind": doc.kind, "unit": code, "unit_name": name,
                    "period": doc.period, "title": doc.title, "pages": doc.pages, "size": doc.size,
                    "built_at": doc.built_at, "data_hash": doc.data_hash,
                    "own": doc.unit_id == own, "read_at": mine, "unread": mine is None,
                    "read_by": readers, "readers": len(readers)})
    return sorted(out, key=lambda b: (b["unread"], period_bounds(b["period"])[0], b["own"]),
                  reverse=True)


def bulletin(user, public_id: str) -> ReportDocument:
    _require_reader(user)
    document = get_or_404(db.session, ReportDocument, public_id=public_id)
    if document.kind not in KINDS:
        raise OutOfScope(f"ReportDocument {public_id}")
    return document


def download(user, public_id: str) -> tuple[bytes, str]:
    """(watermarked PDF, file name); the reader's receipt is recorded."""
    from procuracy.reports.store import watermarked

    document = bulletin(user, public_id)
    unit = db.session.get(Unit, document.unit_id)
    data = watermarked(document, user)
    name = f"{KINDS[document.kind]}-{unit.code}-{document.period}.pdf"
    receipts.record(user, document)
    return data, name


def read_by(user, public_id: str) -> list[dict]:
    """Who has read the bulletin, as far as the reader's scope shows their receipts."""
    document = bulletin(user, public_id)
    return receipts.readers_of([document.id]).get(document.id, [])


def request_build(user, unit_code: str, period: str):
    """Build (or rebuild) a unit's bulletin now: the unit's own readers, or a reader of
    a unit above it. Returns the JobRun."""
    from procuracy import queue

    _require_reader(user)
    unit = get_or_404(db.session, Unit, code=unit_code)
    scope = current_scope(db.session)
    if scope is None or not scope.can_read_unit(unit.id):
        raise OutOfScope(f"Unit {unit_code}")  # an ancestor's name is readable, not its data
    # The run belongs to the bulletin's unit, which a supervisor reads but does not
    # write: recording the request is the system's, on the reader's checked behalf.
    with system_scope(f"bulletin of {unit.code} {period} asked by {user.username}"):
        return queue.enqueue(KIND, unit_id=unit.id, period=period, requested_by=user.id,
                             params={"on_demand": True})
