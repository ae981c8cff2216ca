"""Case documents: the bytes in a document store, the record in the database.

A ``Storage`` saves, opens and deletes blobs by key; ``LocalStorage`` keeps them
in a folder (``DOCUMENT_STORE`` in the app config, by default
``<instance>/documents``). An upload is accepted only when its extension and its
content agree on one of the allowed types (PDF, Word, PNG, JPEG) and it is
within ``MAX_DOCUMENT_BYTES`` (20 MB by default); the content type stored is
the one sniffed, never the one the client sent.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from sqlalchemy import select

from procuracy.cases.decisions import DecisionRejected, require_own_unit
from procuracy.cases.models import Case, CaseDocument
from procuracy.cases.timeline import add_step
from procuracy.extensions import db
from procuracy.tenants.models import User

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
EXTENSIONS = {".pdf": "pdf", ".doc": "doc", ".docx": "docx", ".png": "png",
              ".jpg": "jpeg", ".jpeg": "jpeg"}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KEY = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")
UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class DocumentRejected(DecisionRejected):
    """An upload refused for its type or content (answers 422 on ``field``)."""


class DocumentTooLarge(DocumentRejected):
    """An upload over the size limit (answers 413)."""


class Storage(Protocol):
    def save(self, key: str, data: bytes) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Blobs as files under ``root``; keys are relative paths of safe segments."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not KEY.match(key):
            raise ValueError(f"bad storage key {key!r}")
        return self.root / key

    def save(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def storage() -> Storage:
    """The configured store: ``app.extensions["document_storage"]`` if an app
    installed one, else a local folder."""
    app = current_app
    custom = app.extensions.get("document_storage")
    if custom is not None:
        return custom
    return LocalStorage(app.config.get("DOCUMENT_STORE")
                        or os.path.join(app.instance_path, "documents"))


def sniff(data: bytes) -> str | None:
    """The type the bytes are, whatever the file is called."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(OLE):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
    return None


def clean_filename(name: str) -> str:
    base = UNSAFE.sub("_", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    stem, ext = os.path.splitext(base)
    return (stem[: 200 - len(ext)] or "document") + ext.lower()


def upload(actor: User, case: Case, doc_type: str, filename: str, stream: BinaryIO,
           store: Storage | None = None) -> CaseDocument:
    """Check, store and record a document on ``case``."""
    require_own_unit(actor, case)
    limit = int(current_app.config.get("MAX_DOCUMENT_BYTES") or DEFAULT_MAX_BYTES)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DocumentTooLarge("file", f"larger than {limit} bytes")
    if not data:
        raise DocumentRejected("file", "the file is empty")
    name = clean_filename(filename)
    kind = EXTENSIONS.get(os.path.splitext(name)[1])
    if kind is None:
        raise DocumentRejected("file", "only PDF, Word (.doc, .docx), PNG and JPEG files")
    if sniff(data) != kind:
        raise DocumentRejected("file", f"the content is not a {kind.upper()} file")
    store = store or storage()
    key = f"{case.unit_id}/{case.public_id}/{secrets.token_hex(16)}"
    store.save(key, data)
    try:
        doc = CaseDocument(unit_id=case.unit_id, case_id=case.id, doc_type=doc_type,
                           filename=name, content_type=CONTENT_TYPES[kind], size=len(data),
                           sha256=hashlib.sha256(data).hexdigest(), storage_key=key,
                           uploaded_by_id=actor.id)
        db.session.add(doc)
        db.session.flush()
        add_step(case, "document_added", actor.id, f"{doc_type}：{name}",
                 {"document": doc.public_id, "sha256": doc.sha256, "size": doc.size})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        store.delete(key)
        raise
    return doc


def of_case(case: Case) -> list[CaseDocument]:
    return list(db.session.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)
                                   .order_by(CaseDocument.uploaded_at, CaseDocument.id)))


def download(doc: CaseDocument, store: Storage | None = None) -> BinaryIO:
    """The bytes of a document the caller has already read (through the scope)."""
    return (store or storage()).open(doc.storage_key)


def documents_out(docs: list[CaseDocument]) -> list[dict]:
    case_ids = {d.case_id for d in docs}
    user_ids = {d.uploaded_by_id for d in docs}
    cases = dict(db.session.execute(select(Case.id, Case.public_id)
                                    .where(Case.id.in_(case_ids))).all()) if docs else {}
    names = dict(db.session.execute(select(User.id, User.username)
                                    .where(User.id.in_(user_ids))).all()) if docs else {}
    return [{"id": d.public_id, "case": cases.get(d.case_id), "doc_type": d.doc_type,
             "filename": d.filename, "content_type": d.content_type, "size": d.size,
             "sha256": d.sha256, "uploaded_by": names.get(d.uploaded_by_id),
             "uploaded_at": d.uploaded_at} for d in docs]
