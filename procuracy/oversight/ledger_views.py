"""Web pages of the problem ledger (台账): the list with filters, ageing and overdue
badges and the Excel export; one entry with its history, the answer form for the
rectifying unit and verify / reopen for the issuer. The inspection pages are in
``inspection_views`` on the same blueprint. Forms are read through the API's
schemas; the services decide."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_pgettext as pgettext
from flask_login import login_required
from marshmallow import ValidationError

from procuracy.extensions import db
from procuracy.oversight import ledger, ledger_query
from procuracy.oversight.ledger_export import ExportTooLarge, export_ledger
from procuracy.oversight.ledger_models import SEVERITIES, SOURCES, STATES
from procuracy.oversight.ledger_schemas import AnswerIn, LedgerQuery, VerifyIn

bp = Blueprint("ledger_pages", __name__)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Context "ledger": these words mean other things in other areas' catalogues.
STATE_LABELS = {"open": pgettext("ledger", "Open"), "answered": pgettext("ledger", "Answered"),
                "closed": pgettext("ledger", "Closed"),
                "reopened": pgettext("ledger", "Reopened")}
SOURCE_LABELS = {"monitoring": pgettext("ledger", "Process monitoring"),
                 "review": pgettext("ledger", "Quality review"),
                 "inspection": pgettext("ledger", "Inspection")}
SEVERITY_LABELS = {"minor": pgettext("ledger", "Minor"), "normal": pgettext("ledger", "Normal"),
                   "major": pgettext("ledger", "Major"), "serious": pgettext("ledger", "Serious")}
LABELS = {"STATE_LABELS": STATE_LABELS, "SOURCE_LABELS": SOURCE_LABELS,
          "SEVERITY_LABELS": SEVERITY_LABELS}


def _filters() -> tuple[dict, dict]:
    """(filters, errors) from the query string; empty values are no filter."""
    raw = {k: v for k, v in request.args.items() if v and k != "page"}
    try:
        return LedgerQuery().load(raw), {}
    except ValidationError as exc:
        return raw, exc.messages


@bp.get("/ledger")
@login_required
def ledger_page():
    filters, errors = _filters()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, total = ([], 0) if errors else ledger_query.page(
        ledger_query.filters(**filters, user=g.user), (page - 1) * PAGE_SIZE, PAGE_SIZE, g.user)
    query = {k: v for k, v in request.args.items() if v and k != "page"}
    return render_template("oversight/ledger.html", rows=rows, total=total, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), filters=query,
                           errors=errors, sources=SOURCES, severities=SEVERITIES,
                           states=STATES, active="ledger", **LABELS)


@bp.get("/ledger/export.xlsx")
@login_required
def export():
    filters, errors = _filters()
    if errors:
        flash(_("Some filters are not valid."), "error")
        return redirect(url_for(".ledger_page"))
    try:
        data, _rows = export_ledger(ledger_query.filters(**filters, user=g.user))
    except ExportTooLarge:
        flash(_("Too many entries for one export: narrow the filters."), "error")
        return redirect(url_for(".ledger_page", **request.args))
    return send_file(data, mimetype=XLSX, as_attachment=True, download_name="ledger.xlsx")


@bp.get("/ledger/<entry_id>")
@login_required
def entry_page(entry_id: str):
    entry = ledger_query.detail(entry_id, g.user)
    return render_template("oversight/ledger_entry.html", e=entry, active="ledger", **LABELS)


def _refused(entry_id: str, exc: Exception):
    db.session.rollback()
    flash(str(exc), "error")
    return redirect(url_for(".entry_page", entry_id=entry_id))


@bp.post("/ledger/<entry_id>/answer")
@login_required
def answer(entry_id: str):
    entry = ledger.get_entry(entry_id)
    try:
        data = AnswerIn().load({k: v for k, v in request.form.items()
                                if k in ("text", "evidence", "document") and v})
        document = ledger_query.document_id(entry, data.get("document"))
        ledger.answer(entry, g.user, text=data["text"], evidence=data["evidence"],
                      document_id=document)
    except ValidationError:
        return _refused(entry_id, ValueError(_("Say what was done (at most 4,000 characters).")))
    except ledger.LedgerRejected as exc:
        return _refused(entry_id, exc)
    db.session.commit()
    flash(_("Answer recorded."), "success")
    return redirect(url_for(".entry_page", entry_id=entry_id))


@bp.post("/ledger/<entry_id>/verify")
@login_required
def verify(entry_id: str):
    entry = ledger.get_entry(entry_id)
    try:
        data = VerifyIn().load({k: v for k, v in request.form.items()
                                if k in ("outcome", "reason")})
        ledger.verify(entry, g.user, outcome=data["outcome"], reason=data["reason"])
    except ValidationError:
        return _refused(entry_id, ValueError(_("Choose accept or reopen.")))
    except ledger.LedgerRejected as exc:
        return _refused(entry_id, exc)
    db.session.commit()
    flash(_("Entry closed.") if data["outcome"] == "accept" else _("Entry reopened."), "success")
    return redirect(url_for(".entry_page", entry_id=entry_id))


from procuracy.oversight import inspection_views  # noqa: E402,F401  (routes on this blueprint)
