"""The rotation board of the user's unit, and the decision inbox with its actions.

The inbox lists the requests awaiting a power the user holds (and, for the
chief, deputies and committee members, the matters awaiting a committee
session); each is approved, returned, escalated (with a note) or decided with
new content by a POST with its CSRF token. A refusal re-renders the inbox with
the reason (403 for a power the user does not hold, 422 for the rest).
"""
from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required

from procuracy.cases import decisions, rotation
from procuracy.cases.decision_models import Decision
from procuracy.cases.page_forms import InboxActionForm
from procuracy.cases.page_labels import explain
from procuracy.cases.page_models import COMMITTEE_READERS, case_refs, full_names, rotation_view
from procuracy.cases.views import bp, render
from procuracy.extensions import db
from procuracy.tenants.scope import get_or_404

DONE = {
    "approve": lambda: _("Approved."),
    "change": lambda: _("Decided with the new content."),
    "return": lambda: _("Returned to the handler."),
    "escalate": lambda: _("Sent up one level."),
}


@bp.get("/rotation")
@login_required
def rotation_page():
    groups = [rotation_view(gr) for gr in rotation.groups_of_unit()
              if gr.unit_id == g.user.unit_id]
    names = full_names({m["user"] for b in groups for m in b["members"]})
    return render("rotation.html", groups=groups, names=names, active="rotation")


def _inbox(status: int = 200, error: str | None = None, failed: str | None = None,
           form: InboxActionForm | None = None):
    pending = decisions.decisions_out(decisions.pending_for(g.user))
    committee = decisions.decisions_out(decisions.awaiting_committee(g.user)) \
        if g.user.has_role(*COMMITTEE_READERS) else []
    every = pending + committee
    return render(
        "inbox.html", status, pending=pending, committee=committee,
        cases=case_refs(d["case"] for d in every),
        names=full_names([d["requested_by"] for d in every]
                         + [s["actor"] for d in every for s in d["chain"]]),
        form=InboxActionForm(formdata=None), failed=failed, failed_form=form, error=error,
        active="inbox")


@bp.get("/decisions/inbox")
@login_required
def inbox():
    return _inbox()


@bp.post("/decisions/<decision_id>/act")
@login_required
def act(decision_id: str):
    decision = get_or_404(db.session, Decision, public_id=decision_id)
    form = InboxActionForm()
    if not form.validate_on_submit():
        return _inbox(422, _("Choose an action and keep the note within 5,000 characters."),
                      decision_id, form)
    action, note = form.action.data, (form.note.data or "").strip()
    content = (form.content.data or "").strip()
    if action == "change" and (not content or content == decision.content):
        return _inbox(422, _("To decide with changes, write the new content."),
                      decision_id, form)
    try:
        if action == "approve":
            decisions.approve(g.user, decision, note)
        elif action == "change":
            decisions.change(g.user, decision, content, note)
        elif action == "return":
            decisions.return_(g.user, decision, note)
        else:
            decisions.escalate(g.user, decision, note)
    except decisions.DecisionRejected as exc:
        db.session.rollback()
        return _inbox(422, explain(exc), decision_id, form)
    except PermissionError as exc:
        db.session.rollback()
        return _inbox(403, explain(exc), decision_id, form)
    flash(DONE[action](), "success")
    return redirect(url_for(".inbox"), 303)
