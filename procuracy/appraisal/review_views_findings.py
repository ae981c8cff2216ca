"""Findings pages: the failed items of final reviews about a unit's cases (or made
by it), with Shandong's discovery status (found and fixed by the unit itself,
analysed but not fixed, not found) and what the problem ledger will take over."""
from __future__ import annotations

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from procuracy.appraisal import review_findings, review_stats
from procuracy.appraisal.review_page_forms import explain, load, public_id
from procuracy.appraisal.review_schemas import DiscoveryIn, FindingQuery, HandoverOut
from procuracy.appraisal.review_views import bp
from procuracy.extensions import db
from procuracy.tenants.services import readable_unit


def _query(source) -> dict:
    raw = {k: v for k, v in source.items() if k in ("unit", "side", "status") and v}
    raw.setdefault("unit", g.user.unit.code)
    return load(FindingQuery(), raw)


def _may_mark(row: dict) -> bool:
    return (row["status"] == "open" and row["reviewing"] == g.user.unit.code
            and g.user.has_role(*review_findings.MARKERS))


def _findings_page(args: dict, errors: dict | None = None, status: int = 200):
    unit = readable_unit(args["unit"])
    rows = review_findings.findings_out(review_findings.findings_of_unit(
        unit.code, args["side"], args.get("status")))
    score = review_stats.unit_review_score(unit) if args["side"] == "reviewed" else None
    return render_template("review/findings.html", unit=unit, args=args,
                           errors=explain(errors or {}),
                           rows=[{**r, "may_mark": _may_mark(r)} for r in rows],
                           score=score), status


@bp.get("/review/findings")
@login_required
def findings():
    try:
        args = _query(request.args)
    except ValidationError as exc:
        return render_template("review/findings.html", unit=None, rows=[], args={},
                               errors=exc.messages, score=None), 422
    return _findings_page(args)


@bp.post("/review/findings/<finding_id>/discovery")
@login_required
def discovery(finding_id: str):
    finding = review_findings.get_finding(public_id(finding_id))
    try:
        back = _query({k: v for k, v in request.form.items() if k in ("unit", "side") and v})
    except ValidationError:
        back = _query({})
    try:
        body = load(DiscoveryIn(), {"discovery": request.form.get("discovery", "")})
        review_findings.mark_discovery(finding, g.user, body["discovery"])
    except ValidationError as exc:
        db.session.rollback()
        return _findings_page(back, exc.messages, 422)
    except review_findings.FindingRejected as exc:
        db.session.rollback()
        return _findings_page(back, exc.errors, 422)
    flash(_("Saved."), "success")
    return redirect(url_for("review_pages.findings", unit=back["unit"], side=back["side"]))


@bp.get("/review/findings/<finding_id>/handover")
@login_required
def handover(finding_id: str):
    """What the problem ledger takes over (``?format=json`` for the data itself)."""
    finding = review_findings.get_finding(public_id(finding_id))
    payload = review_findings.handover_payload(finding, g.user)
    if request.args.get("format") == "json":
        return jsonify(HandoverOut().dump(payload))
    return render_template("review/handover.html", payload=payload)
