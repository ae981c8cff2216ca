"""One case: its card, participants, open monitoring alerts, clocks, decisions,
documents and timeline; the forms to upload a document and to record a decision; a
document's download; the replay data of an assignment draw.

A case the scope hides is a 404 (``services.find_case``). Readers from another
unit (supervisors reading down, cross-reviewers) see no forms, and a post from
them is refused by the services (403). A refused upload or decision re-renders
the page with the service's reason (422; 413 for a file too large).
"""
from __future__ import annotations

from flask import current_app, flash, g, jsonify, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from procuracy.cases import decisions, documents, rotation, services
from procuracy.cases.assignment_models import AssignmentDraw
from procuracy.cases.models import CaseDocument
from procuracy.cases.page_forms import DecisionForm, UploadForm
from procuracy.cases.page_labels import explain
from procuracy.cases.page_models import (
    case_clocks,
    case_refs,
    full_names,
    matter_options,
    may_record,
    timeline_view,
)
from procuracy.cases.replay import replay_draw, replayable
from procuracy.cases.views import bp, render
from procuracy.extensions import db
from procuracy.tenants.scope import OutOfScope, get_or_404
from procuracy.tenants.views_common import DECIDER_LABELS


def _decision_form(options: list[dict], form: DecisionForm | None = None) -> DecisionForm:
    form = form or DecisionForm()
    form.matter.choices = [(o["matter"], o["matter"]) for o in options]
    return form


def _detail(public_id: str, *, status: int = 200, upload: UploadForm | None = None,
            decide: DecisionForm | None = None, error: str | None = None,
            error_at: str | None = None):
    case = services.find_case(public_id)
    detail = services.get_case(public_id)
    own = g.user.unit_id == case.unit_id
    docs = documents.documents_out(documents.of_case(case))
    made = decisions.decisions_out(decisions.of_case(case))
    options = matter_options(g.user, case) if own and may_record(g.user, case) else []
    names = full_names([d["uploaded_by"] for d in docs]
                       + [s["actor"] for d in made for s in d["chain"]])
    # Late: the cases code imports nothing of oversight at module level.
    from procuracy.oversight import monitoring_case

    return render(
        "detail.html", status, case=detail, case_own=own, clocks=case_clocks(case),
        decisions=made, documents=docs, names=names,
        alerts=monitoring_case.case_alerts(case.id), **monitoring_case.labels(),
        timeline=timeline_view(services.timeline(public_id), made, docs),
        options=options, decide=_decision_form(options, decide) if options else None,
        upload=(upload or UploadForm()) if own else None,
        error=error, error_at=error_at, active="cases")


@bp.get("/cases/<public_id>")
@login_required
def case_detail(public_id: str):
    return _detail(public_id)


@bp.post("/cases/<public_id>/documents")
@login_required
def upload_document(public_id: str):
    case = services.find_case(public_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _detail(public_id, status=422, upload=form, error_at="upload")
    try:
        documents.upload(g.user, case, form.doc_type.data.strip(),
                         form.file.data.filename or "", form.file.data.stream)
    except documents.DocumentRejected as exc:
        db.session.rollback()
        status = 413 if isinstance(exc, documents.DocumentTooLarge) else 422
        return _detail(public_id, status=status, upload=form, error=explain(exc),
                       error_at="upload")
    except PermissionError as exc:
        db.session.rollback()
        return _detail(public_id, status=403, error=explain(exc), error_at="upload")
    flash(_("The document has been added to the case."), "success")
    return redirect(url_for(".case_detail", public_id=public_id, _anchor="documents"), 303)


@bp.post("/cases/<public_id>/decisions")
@login_required
def record_decision(public_id: str):
    case = services.find_case(public_id)
    form = _decision_form(matter_options(g.user, case))
    if not form.validate_on_submit():
        return _detail(public_id, status=422, decide=form, error_at="decide")
    try:
        decision = decisions.record_decision(g.user, case, form.matter.data,
                                             (form.content.data or "").strip())
    except decisions.DecisionRejected as exc:
        db.session.rollback()
        return _detail(public_id, status=422, decide=form, error=explain(exc),
                       error_at="decide")
    except PermissionError as exc:
        db.session.rollback()
        return _detail(public_id, status=403, error=explain(exc), error_at="decide")
    if decision.status == "decided":
        flash(_("Decided under your power (%(code)s): %(matter)s.", code=decision.item_code,
                matter=decision.matter), "success")
    else:
        flash(_("%(matter)s is beyond your power: it has been sent as a request to the "
                "%(role)s, who decides it. It is not decided yet.", matter=decision.matter,
                role=_role(decision.awaiting_role)), "info")
    return redirect(url_for(".case_detail", public_id=public_id, _anchor="decisions"), 303)


def _role(role: str) -> str:
    return str(DECIDER_LABELS.get(role, role))


@bp.get("/documents/<document_id>/download")
@login_required
def download_document(document_id: str):
    doc = get_or_404(db.session, CaseDocument, public_id=document_id)
    try:
        fh = documents.download(doc)
    except FileNotFoundError:
        current_app.logger.error("document %s: blob %s missing", doc.public_id, doc.storage_key)
        raise OutOfScope(f"the content of document {doc.public_id}") from None
    response = send_file(fh, mimetype=doc.content_type, as_attachment=True,
                         download_name=doc.filename, etag=doc.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/assignments/<draw_id>")
@login_required
def draw_replay(draw_id: str):
    """A draw's stored seed, pool and weight, and whether they give the same member
    again (``?format=json``: the same data as JSON)."""
    draw = get_or_404(db.session, AssignmentDraw, public_id=draw_id)
    data = rotation.draw_out(draw)
    result = replay_draw(draw) if replayable(draw) else None
    names = {c["user_id"]: c.get("user") for c in data["candidates"]}
    replay = None if result is None else {
        "reproduced": result.reproduced, "chosen": names.get(result.chosen),
        "recomputed": names.get(result.recomputed), "reason": result.reason}
    if request.args.get("format") == "json":
        return jsonify({**data, "at": data["at"].isoformat(), "replay": replay})
    return render("replay.html", draw=data, replay=replay, case=case_refs([data["case"]]),
                  names=full_names([c.get("user") for c in data["candidates"]]
                                   + [data["chosen"], data["previous"]]),
                  active="cases")
