"""Background job runs and the report documents they build.

``JobRun`` is the record of one request for background work: who asked (nobody for
the scheduler), what kind, for which period, on which queue, and how far it got.
It belongs to the requesting user's unit (the province for scheduled runs), so the
scope decides who sees it. Progress and status changes are not audited (the
request itself is); the outputs live here, not in Redis, whose results expire.

``ReportDocument`` is a built PDF. Its unique key (unit, kind, period, variant) is
what makes report jobs idempotent: building the same unit's bulletin for the same
period twice leaves one row. The PDF bytes live in the document store (a folder,
``REPORT_STORE``) under their SHA-256, which the row keeps.

``ReadReceipt`` records that a reader opened a document (a bulletin), once per reader.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from procuracy.cases.models import new_public_id
from procuracy.extensions import db
from procuracy.orm import Timestamped, utcnow
from procuracy.ownership import UnitOwned

QUEUED, RUNNING, FINISHED, FAILED = "queued", "running", "finished", "failed"
STATUSES = (QUEUED, RUNNING, FINISHED, FAILED)


class JobRun(UnitOwned, Timestamped, db.Model):
    __tablename__ = "job_runs"
    __record_reads__ = False  # bookkeeping, not a unit's case data
    # The request is audited (create); its progress is not.
    __audit_exclude__ = frozenset({
        "status", "progress", "message", "error", "attempts", "started_at", "finished_at",
        "rq_job_id", "result_document_id", "updated_at",
    })
    __table_args__ = (
        Index("ix_job_runs_unit_status", "unit_id", "status"),
        Index("ix_job_runs_kind_period", "kind", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    period: Mapped[str] = mapped_column(String(16), default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    queue: Mapped[str] = mapped_column(String(60), default="default")
    rq_job_id: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default=QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    result_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_documents.id"), index=True)

    def __repr__(self) -> str:
        return f"<JobRun {self.id} {self.kind} {self.status}>"


class ReportDocument(UnitOwned, db.Model):
    __tablename__ = "report_documents"
    __table_args__ = (UniqueConstraint("unit_id", "kind", "period", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(16))
    variant: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    data_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the data it was built from
    sha256: Mapped[str] = mapped_column(String(64))  # of the PDF; its name in the store
    pages: Mapped[int] = mapped_column(default=0)
    size: Mapped[int] = mapped_column(default=0)
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The JobRun that built it; no foreign key, as job_runs already points here.
    built_by_job_id: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<ReportDocument {self.kind} {self.period} unit {self.unit_id}>"


class ReadReceipt(UnitOwned, db.Model):
    """A reader's first opening of a report document (a bulletin's 已阅 record).

    One row per document and reader however often they open it. It belongs to the
    reader's unit: that unit and the units above it (which read down) see who read,
    a sibling never does. Created by the reader, so their own unit writes it."""

    __tablename__ = "read_receipts"
    __record_reads__ = False  # bookkeeping of reads, not a unit's case data
    __table_args__ = (UniqueConstraint("document_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("report_documents.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    first_read_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ReadReceipt document {self.document_id} user {self.user_id}>"
