"""The document store and the idempotent build of a report document.

PDFs live in a folder (config ``REPORT_STORE``, default ``instance/reports``; a folder
every web process and worker shares) under their SHA-256, beside the HTML they were
made from (gzipped; downloads are re-rendered from it with the viewer's watermark).
The ``ReportDocument`` row keeps the hash.

``build_document`` is what report jobs call. Its key is (unit, kind, period, variant),
unique in the database: building the same report twice leaves one row. If the data
(hashed) did not change and the file is there, the existing document is reused without
rendering; otherwise the new PDF replaces the old one in the same row. Two builders
racing on the same key both end on the one row (the loser of the insert updates it).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from procuracy.extensions import db
from procuracy.orm import utcnow


def store_root() -> Path:
    """The store folder (created on first use); fixed per app once read."""
    app = current_app
    if not app.config.get("REPORT_STORE"):  # REPORT_STORE unset: under instance/
        app.config["REPORT_STORE"] = str(Path(app.instance_path) / "reports")
    root = Path(app.config["REPORT_STORE"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def _path(sha256: str, suffix: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a sha256: {sha256!r}")
    return store_root() / sha256[:2] / f"{sha256}{suffix}"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(pdf: bytes, html: str) -> str:
    """Store a PDF and its HTML; returns the PDF's SHA-256."""
    sha = hashlib.sha256(pdf).hexdigest()
    _write_atomically(_path(sha, ".html.gz"), gzip.compress(html.encode(), mtime=0))
    _write_atomically(_path(sha, ".pdf"), pdf)
    return sha


def has(sha256: str) -> bool:
    return _path(sha256, ".pdf").is_file() and _path(sha256, ".html.gz").is_file()


def read_pdf(sha256: str) -> bytes:
    return _path(sha256, ".pdf").read_bytes()


def read_html(sha256: str) -> str:
    return gzip.decompress(_path(sha256, ".html.gz").read_bytes()).decode()


def data_hash(data) -> str:
    """SHA-256 of the data a report is built from (JSON, keys sorted)."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                     default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def build_document(*, unit_id: int, kind: str, period: str, template: str, context: dict,
                   data=None, variant: str = "", title: str = "",
                   job_run_id: int | None = None, progress=None) -> int:
    """Render ``templates/reports/<template>`` with ``context`` into the one document
    of (unit, kind, period, variant); returns its id. ``data`` (default: the context)
    is what decides whether an existing document is still current."""
    from procuracy.oversight.job_models import ReportDocument
    from procuracy.reports.pdf import html_to_pdf, render_html

    digest = data_hash(context if data is None else data)
    key = dict(unit_id=unit_id, kind=kind, period=period, variant=variant)
    existing = db.session.scalars(select(ReportDocument).filter_by(**key)).first()
    if existing is not None and existing.data_hash == digest and has(existing.sha256):
        return existing.id
    if progress:
        progress(40, "排版中")
    html = render_html(template, context)
    rendered = html_to_pdf(html)
    sha = save(rendered.data, html)
    if progress:
        progress(90, "保存中")
    values = dict(title=title or context.get("title", ""), data_hash=digest, sha256=sha,
                  pages=rendered.pages, size=len(rendered.data), built_at=utcnow(),
                  built_by_job_id=job_run_id)
    if existing is None:
        try:
            with db.session.begin_nested():
                existing = ReportDocument(**key, **values)
                db.session.add(existing)
            db.session.commit()
            return existing.id
        except IntegrityError:
            # Another builder inserted the same key meanwhile: take its row.
            db.session.rollback()
            existing = db.session.scalars(select(ReportDocument).filter_by(**key)).one()
    for name, value in values.items():
        setattr(existing, name, value)
    db.session.commit()
    return existing.id


def watermarked(document, viewer) -> bytes:
    """A downloaded copy: the document re-rendered from its HTML with a watermark
    naming ``viewer`` and the time of download."""
    from procuracy.reports.pdf import add_watermark, html_to_pdf

    return html_to_pdf(add_watermark(read_html(document.sha256), viewer)).data
