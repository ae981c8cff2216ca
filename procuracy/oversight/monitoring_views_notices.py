"""Web pages: monitoring notices (流程监控通知书): the list with the issue form for case
managers, one notice with the handler's answer form and the issuer's close and
escalate forms. Routes on ``monitoring_views.bp``."""
from __future__ import annotations

from datetime import timedelta

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from procuracy.cases.calendar import china_today
from procuracy.extensions import db
from procuracy.oversight import monitoring_notices as notices
from procuracy.oversight import monitoring_queries as queries
from procuracy.oversight.monitoring_schemas import (
    MonitoringNoticeIn,
    MonitoringNoticeQuery,
    NoticeAnswerIn,
    NoticeCloseIn,
    NoticeEscalateIn,
)
from procuracy.oversight.monitoring_views import bp, render


def _list(status: int = 200, form: dict | None = None, errors: dict | None = None):
    given = {k: v for k, v in request.args.items() if v != "" and k in ("direction", "state")}
    try:
        parsed = MonitoringNoticeQuery().load(given)
        rows = queries.describe_notices(g.user, queries.list_notices(g.user, **parsed))
        filter_errors = {}
    except ValidationError as exc:
        rows, filter_errors, status = [], exc.messages, 422
    default = {"case": request.args.get("case", ""), "alert": request.args.get("alert", ""),
               "problem": request.args.get("problem", ""), "severity": "normal",
               "deadline": (china_today()
                            + timedelta(days=notices.DEFAULT_ANSWER_DAYS)).isoformat()}
    return render("monitoring_notices.html", status, notices=rows, filters=given,
                  filter_errors=filter_errors, form=form or default, errors=errors or {})


@bp.get("/monitoring/notices")
@login_required
def notices_page():
    return _list()


@bp.post("/monitoring/notices")
@login_required
def issue_notice():
    form = {k: request.form.get(k, "") for k in ("case", "alert", "problem", "severity",
                                                  "deadline")}
    try:
        body = MonitoringNoticeIn().load({k: v for k, v in form.items() if v != ""})
        notice = notices.issue(g.user, body["case"], body["problem"],
                               deadline=body.get("deadline"), severity=body["severity"],
                               alert_public_id=body.get("alert"))
    except ValidationError as exc:
        return _list(422, form, exc.messages)
    except notices.NoticeRefused as exc:
        db.session.rollback()
        return _list(422, form, exc.errors)
    flash(_("Notice %(number)s issued.", number=notice.number), "success")
    return redirect(url_for(".notice_page", notice_id=notice.public_id))


def _detail(notice_id: str, status: int = 200, errors: dict | None = None):
    notice = notices.get_notice(g.user, notice_id)
    return render("monitoring_notice.html", status,
                  notice=queries.describe_notices(g.user, [notice])[0], errors=errors or {})


@bp.get("/monitoring/notices/<notice_id>")
@login_required
def notice_page(notice_id: str):
    return _detail(notice_id)


def _act(notice_id: str, schema, action, done: str):
    notice = notices.get_notice(g.user, notice_id)
    try:
        action(notice, schema().load({k: v for k, v in request.form.items()
                                      if k != "csrf_token"}))
    except ValidationError as exc:
        return _detail(notice_id, 422, exc.messages)
    except notices.NoticeRefused as exc:
        db.session.rollback()
        return _detail(notice_id, 422, exc.errors)
    except notices.NoticeConflict as exc:
        db.session.rollback()
        return _detail(notice_id, 409, {"_": [str(exc)]})
    flash(done, "success")
    return redirect(url_for(".notice_page", notice_id=notice_id))


@bp.post("/monitoring/notices/<notice_id>/answer")
@login_required
def answer_notice(notice_id: str):
    return _act(notice_id, NoticeAnswerIn,
                lambda n, body: notices.answer(g.user, n, body["text"]), _("Answer sent."))


@bp.post("/monitoring/notices/<notice_id>/close")
@login_required
def close_notice(notice_id: str):
    return _act(notice_id, NoticeCloseIn,
                lambda n, body: notices.close(g.user, n, body.get("note", "")),
                _("Notice closed."))


@bp.post("/monitoring/notices/<notice_id>/escalate")
@login_required
def escalate_notice(notice_id: str):
    return _act(notice_id, NoticeEscalateIn,
                lambda n, body: notices.escalate(g.user, n, body["reason"]),
                _("Notice escalated to the chief of the case's unit."))
