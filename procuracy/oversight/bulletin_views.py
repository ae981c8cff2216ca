"""The bulletins page (/bulletins): the inbox of monthly bulletins (通报) of the units
the reader reads, the download, and building one on demand."""
from __future__ import annotations

import re

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from jobs.schedule import period_before, period_label
from procuracy.orm import utcnow
from procuracy.oversight import bulletins as service
from procuracy.oversight.job_models import FAILED

bp = Blueprint("bulletin_pages", __name__)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _reader_or_403() -> None:
    if not service.may_read(g.user):
        abort(403)


@bp.get("/bulletins")
@login_required
def inbox():
    _reader_or_403()
    period = request.args.get("period") or None
    if period and not MONTH.match(period):
        period = None
    rows = service.inbox(g.user, period=period)
    kind_names = {"monthly_bulletin": _("Monthly bulletin"), "weekly_summary": _("Weekly summary")}
    return render_template("oversight/bulletins.html", rows=rows, period=period or "",
                           default_period=period_before("month", utcnow()),
                           period_label=period_label, kind_names=kind_names,
                           active="bulletins")


@bp.post("/bulletins/build")
@login_required
def build():
    _reader_or_403()
    period, unit = request.form.get("period", ""), request.form.get("unit", "")
    if not MONTH.match(period):
        flash(_("Give the month as YYYY-MM."), "error")
        return redirect(url_for(".inbox"))
    run = service.request_build(g.user, unit or g.user.unit.code, period)
    if run.status == FAILED:
        flash(_("The report could not be built: %(message)s", message=run.message), "error")
    else:
        flash(_("Bulletin requested; it appears here when it is built."), "success")
    return redirect(url_for(".inbox"))


@bp.get("/bulletins/<bulletin_id>.pdf")
@login_required
def download(bulletin_id: str):
    _reader_or_403()
    data, name = service.download(g.user, bulletin_id)
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@bp.app_context_processor
def _nav() -> dict:
    return {"nav_bulletins": service.may_read(g.get("user"))}
