"""Ledger API (台账) under /api/v1/ledger: the list with filters and pages, the Excel
export, one entry with its history, the rectifying unit's answer, the issuer's
verification (accept or reopen), and the hand-over of a quality-review finding.

Handlers are thin: a schema parses, a service acts, a schema answers. Entry ids are
public ids. A refusal of the content is 422 naming the field, of the role 403,
anything out of scope 404.
"""
from __future__ import annotations

from functools import wraps

from flask import g, send_file
from flask_smorest import Blueprint, abort

from procuracy.extensions import db
from procuracy.oversight import ledger, ledger_handover, ledger_query
from procuracy.oversight.ledger_export import ExportTooLarge, export_ledger
from procuracy.oversight.ledger_schemas import (
    AnswerIn,
    HandoverIn,
    LedgerDetailOut,
    LedgerOut,
    LedgerQuery,
    VerifyIn,
)
from procuracy.tenants.principal import require_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

bp = Blueprint("ledger", __name__, url_prefix="/api/v1/ledger",
               description="The problem ledger (台账): monitoring hits, quality-review "
                           "failures and inspection findings, answered and verified")


def refusals(view):
    """Content refusals of the services → 422 with the field named."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ledger.LedgerRejected as exc:
            db.session.rollback()
            abort(422, message=str(exc), errors={"json": exc.errors})

    return wrapper


@bp.route("")
@bp.arguments(LedgerQuery, location="query")
@bp.response(200, LedgerOut(many=True))
@bp.paginate()
@require_user
def list_entries(args, pagination_parameters):
    """Entries I may read (my unit's, what it issued, and down the tree), newest first."""
    rows, total = ledger_query.page(ledger_query.filters(**args, user=g.user),
                                    pagination_parameters.first_item,
                                    pagination_parameters.page_size, g.user)
    pagination_parameters.item_count = total
    return rows


@bp.route("/export.xlsx")
@bp.arguments(LedgerQuery, location="query")
@bp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX,
             description="the filtered ledger as an Excel workbook")
@bp.alt_response(422, description="bad filters, or more entries than one export holds")
@require_user
def export(args):
    """The filtered ledger as .xlsx, with ageing and overdue columns."""
    try:
        data, _ = export_ledger(ledger_query.filters(**args, user=g.user))
    except ExportTooLarge as exc:
        abort(422, message=str(exc))
    return send_file(data, mimetype=XLSX, as_attachment=True, download_name="ledger.xlsx")


@bp.route("/handover", methods=["POST"])
@bp.arguments(HandoverIn)
@bp.response(201, LedgerDetailOut)
@bp.alt_response(403, description="only the reviewing unit hands its findings over")
@require_user
@refusals
def handover(data):
    """Put a quality-review finding on the reviewed unit's ledger (once)."""
    entry = ledger_handover.hand_over(data["finding"], g.user)
    return ledger_query.detail(entry.public_id, g.user)


@bp.route("/<string:entry_id>")
@bp.response(200, LedgerDetailOut)
@require_user
def get_entry(entry_id):
    """One entry with its answers and verifications."""
    return ledger_query.detail(entry_id, g.user)


@bp.route("/<string:entry_id>/answer", methods=["POST"])
@bp.arguments(AnswerIn)
@bp.response(201, LedgerDetailOut)
@bp.alt_response(403, description="only the rectifying unit answers")
@require_user
@refusals
def answer(data, entry_id):
    """The rectifying unit's answer and evidence: the entry becomes answered."""
    entry = ledger.get_entry(entry_id)
    document = ledger_query.document_id(entry, data.get("document"))
    ledger.answer(entry, g.user, text=data["text"], evidence=data["evidence"],
                  document_id=document)
    db.session.commit()
    return ledger_query.detail(entry_id, g.user)


@bp.route("/<string:entry_id>/verify", methods=["POST"])
@bp.arguments(VerifyIn)
@bp.response(200, LedgerDetailOut)
@bp.alt_response(403, description="only the issuing unit verifies")
@require_user
@refusals
def verify(data, entry_id):
    """The issuer's verdict: accept (the entry closes) or reopen with a reason."""
    entry = ledger.get_entry(entry_id)
    ledger.verify(entry, g.user, outcome=data["outcome"], reason=data["reason"])
    db.session.commit()
    return ledger_query.detail(entry_id, g.user)
