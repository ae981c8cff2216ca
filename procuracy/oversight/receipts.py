"""Read receipts (已阅): who opened a report document, kept once per reader.

Opening a bulletin (the page's download, the API's PDF, a report job's PDF) records
the reader's first reading; later readings leave that one row. A receipt belongs to
the reader's unit, so the scope alone decides who sees it: the reader's own unit and
the units above it, which read down their tree; a sibling never does. ``readers_of``
gathers the receipts of any number of documents in one statement.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from procuracy.extensions import db
from procuracy.oversight.job_models import ReadReceipt, ReportDocument
from procuracy.tenants.models import Unit, User


def record(user, document: ReportDocument) -> None:
    """Note that ``user`` has read ``document`` (the first time only); commits."""
    seen = db.session.scalar(select(ReadReceipt.id).where(
        ReadReceipt.document_id == document.id, ReadReceipt.user_id == user.id))
    if seen is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(ReadReceipt(document_id=document.id, user_id=user.id,
                                       unit_id=user.unit_id))
    except IntegrityError:
        pass  # the same reader's other request recorded it meanwhile: one row stands
    db.session.commit()


def readers_of(document_ids: list[int]) -> dict[int, list[dict]]:
    """document id -> the receipts the current scope shows, first reader first."""
    if not document_ids:
        return {}
    rows = db.session.execute(
        select(ReadReceipt.document_id, ReadReceipt.user_id, ReadReceipt.first_read_at,
               User.username, User.full_name, Unit.code, Unit.name)
        .join(User, User.id == ReadReceipt.user_id)
        .join(Unit, Unit.id == ReadReceipt.unit_id)
        .where(ReadReceipt.document_id.in_(sorted(set(document_ids))))
        .order_by(ReadReceipt.first_read_at, ReadReceipt.id)).all()
    out: dict[int, list[dict]] = defaultdict(list)
    for document_id, user_id, at, username, full_name, code, name in rows:
        out[document_id].append({"user_id": user_id, "user": username, "name": full_name,
                                 "unit": code, "unit_name": name, "first_read_at": at})
    return dict(out)
