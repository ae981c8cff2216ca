"""Case documents: type and size checks, a store outside the database, listing,
download by readers of the case only."""
import io
import zipfile

import pytest
from sqlalchemy import select

from procuracy.cases import documents
from procuracy.cases.models import Case, CaseStep
from procuracy.extensions import db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _docx(with_document=True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture
def store(app, tmp_path):
    """Documents go to a throw-away folder; the config is put back afterwards."""
    saved = {k: app.config.get(k) for k in ("DOCUMENT_STORE", "MAX_DOCUMENT_BYTES")}
    app.config["DOCUMENT_STORE"] = str(tmp_path)
    yield tmp_path
    for key, value in saved.items():
        if value is None:
            app.config.pop(key, None)
        else:
            app.config[key] = value


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()]


def _post(client, headers, case, data, name, doc_type="起诉书"):
    return client.post(f"/api/v1/cases/{case}/documents", headers=headers,
                       data={"doc_type": doc_type, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_a_pdf_uploads_lists_and_downloads(client, token_for, make_case, store, as_user):
    case_id, case = make_case("440105", handler="prosecutor1@440105")
    me = token_for("prosecutor1@440105")
    r = _post(client, me, case, PDF, "起诉书.pdf")
    assert r.status_code == 201, r.get_json()
    doc = r.get_json()
    assert (doc["filename"], doc["content_type"], doc["size"]) == (
        "起诉书.pdf", "application/pdf", len(PDF))
    assert len(_files(store)) == 1 and _files(store)[0].read_bytes() == PDF
    listed = client.get(f"/api/v1/cases/{case}/documents", headers=me).get_json()
    assert [d["id"] for d in listed] == [doc["id"]]
    r = client.get(f"/api/v1/documents/{doc['id']}", headers=me)
    assert r.status_code == 200 and r.data == PDF
    assert r.mimetype == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    with as_user("prosecutor1@440105"):
        kinds = db.session.scalars(select(CaseStep.kind).where(CaseStep.case_id == case_id)).all()
    assert kinds == ["document_added"]


def test_word_and_images_are_accepted_by_content(client, token_for, make_case, store):
    _, case = make_case("440105", handler="prosecutor1@440105")
    me = token_for("prosecutor1@440105")
    assert _post(client, me, case, _docx(), "a.docx").status_code == 201
    assert _post(client, me, case, documents.OLE + b"\x00" * 64, "b.doc").status_code == 201
    assert _post(client, me, case, PNG, "c.PNG").status_code == 201
    assert _post(client, me, case, b"\xff\xd8\xff\xe0" + b"\x00" * 16, "d.jpg").status_code == 201
    assert len(_files(store)) == 4


@pytest.mark.parametrize("data,name", [
    (EXE, "起诉书.pdf"),  # an executable renamed
    (EXE, "tool.exe"),
    (PDF, "notes.txt"),
    (PNG, "photo.jpg"),  # a PNG is not a JPEG
    (_docx(with_document=False), "a.docx"),  # a zip, not a Word document
    (b"PK\x03\x04 not really a zip", "b.docx"),
    (b"", "empty.pdf"),
])
def test_wrong_types_are_refused_and_nothing_is_stored(client, token_for, make_case, store,
                                                       data, name):
    _, case = make_case("440105", handler="prosecutor1@440105")
    r = _post(client, token_for("prosecutor1@440105"), case, data, name)
    assert r.status_code == 422, r.get_json()
    assert "file" in r.get_json()["errors"]
    assert _files(store) == []


def test_a_too_large_file_is_refused(app, client, token_for, make_case, store):
    _, case = make_case("440105", handler="prosecutor1@440105")
    app.config["MAX_DOCUMENT_BYTES"] = 1024
    r = _post(client, token_for("prosecutor1@440105"), case, PDF + b"0" * 2048, "big.pdf")
    assert r.status_code == 413
    assert _files(store) == []


def test_missing_fields_are_422(client, token_for, make_case, store):
    _, case = make_case("440105", handler="prosecutor1@440105")
    r = client.post(f"/api/v1/cases/{case}/documents", headers=token_for("prosecutor1@440105"),
                    data={"doc_type": "起诉书"}, content_type="multipart/form-data")
    assert r.status_code == 422
    r = client.post(f"/api/v1/cases/{case}/documents", headers=token_for("prosecutor1@440105"),
                    data={"file": (io.BytesIO(PDF), "a.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 422


def test_only_readers_of_the_case_reach_its_documents(client, token_for, make_case, store):
    _, case = make_case("440105", handler="prosecutor1@440105")
    doc = _post(client, token_for("prosecutor1@440105"), case, PDF, "a.pdf").get_json()["id"]
    for outsider in ("prosecutor1@440106", "chief1@440106", "prosecutor2@440105"):
        headers = token_for(outsider)
        assert client.get(f"/api/v1/documents/{doc}", headers=headers).status_code == 404
        assert client.get(f"/api/v1/cases/{case}/documents", headers=headers).status_code == 404
        assert _post(client, headers, case, PDF, "b.pdf").status_code == 404
    # The city reads down the tree, and writes nothing in Haizhu.
    city = token_for("chief1@440100")
    assert client.get(f"/api/v1/documents/{doc}", headers=city).data == PDF
    assert _post(client, city, case, PDF, "c.pdf").status_code == 403
    assert len(_files(store)) == 1


def test_a_failed_record_removes_the_stored_file(as_user, make_case, store, monkeypatch):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")

    def broken(*_args, **_kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(documents, "add_step", broken)
    with as_user("prosecutor1@440105") as me, pytest.raises(RuntimeError):
        documents.upload(me, db.session.get(Case, case_id), "起诉书", "a.pdf", io.BytesIO(PDF))
    assert _files(store) == []


def test_the_local_store_keeps_to_its_folder(tmp_path, app):
    local = documents.LocalStorage(tmp_path)
    for key in ("../escape", "/etc/passwd", "a/../../b", ""):
        with pytest.raises(ValueError):
            local.save(key, b"x")
    local.save("1/abc/def", b"x")
    assert local.open("1/abc/def").read() == b"x"
    local.delete("1/abc/def")
    assert _files(tmp_path) == []
    with app.app_context():
        saved = app.config.pop("DOCUMENT_STORE", None)
        try:
            assert documents.storage().root == tmp_path.__class__(app.instance_path) / "documents"
        finally:
            if saved is not None:
                app.config["DOCUMENT_STORE"] = saved


def test_file_names_are_cleaned():
    assert documents.clean_filename("..\\..\\evil\\起诉书.PDF") == "起诉书.pdf"
    assert documents.clean_filename("a/b/c\x00d.pdf") == "c_d.pdf"
    assert documents.clean_filename(".pdf") == "pdf"
    assert len(documents.clean_filename("长" * 300 + ".pdf")) == 200
