"""The rule-set pages: a unit's rule sets and the ones in force, starting a draft,
the editor (checked on every save; the checks' messages stand by the fields, and
nothing is saved while any is left), publishing, discarding, and the sandbox that
computes a draft against a past period beside the official result."""
from __future__ import annotations

from datetime import timedelta

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from procuracy.appraisal import rules, rules_editing, score_runs
from procuracy.appraisal.page_editor import changes_from, form_for, row_errors
from procuracy.appraisal.page_forms import ConfirmForm, EditorForm, SandboxForm, StartDraftForm
from procuracy.appraisal.page_labels import place
from procuracy.appraisal.page_queries import rule_sets_by_id
from procuracy.appraisal.rule_models import AUDIENCES, RuleSet
from procuracy.appraisal.rules import RuleSetError, RuleSetInvalid, period_containing
from procuracy.appraisal.rules_checks import problems
from procuracy.appraisal.scoring import ScoringError
from procuracy.appraisal.views import bp, explain, may_edit_rules, unit_from_query
from procuracy.cases.calendar import china_today
from procuracy.extensions import db
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import OutOfScope

NOT_SAVED = _l("Not valid: nothing was saved.")


def _rule_set(public_id: str) -> RuleSet:
    rs = rules.rule_set_by_public_id(public_id)
    if rs is None:
        raise OutOfScope(f"RuleSet {public_id}")
    return rs


@bp.get("/rule-sets")
@login_required
def rule_sets():
    """The unit's rule sets (drafts too, for its own people) and the templates above."""
    unit = unit_from_query()
    path = rules.path_ids(unit)
    found = db.session.scalars(select(RuleSet).where(RuleSet.unit_id.in_(path)).order_by(
        RuleSet.audience, RuleSet.period_kind, RuleSet.unit_id, RuleSet.version)).all()
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(path)))}
    today = china_today()
    in_force = {a: rules.effective_rule_set(unit, a, "month", today) for a in AUDIENCES}
    start = StartDraftForm(formdata=None)
    start.effective_from.data = period_containing(today, "month").end + timedelta(days=1)
    return render_template("appraisal/rule_sets.html", unit=unit, rule_sets=found, units=units,
                           in_force=in_force, today=today, start_form=start,
                           editable=may_edit_rules(unit.id))


@bp.post("/rule-sets")
@login_required
def start_draft():
    unit = db.session.get(Unit, g.user.unit_id)
    form = StartDraftForm()
    if not form.validate_on_submit():
        flash(_("Choose who is evaluated and the period."), "error")
        return redirect(url_for("appraisal_pages.rule_sets")), 303
    try:
        draft = rules_editing.create_draft(g.user, unit, form.audience.data,
                                           form.period_kind.data, form.effective_from.data,
                                           (form.name.data or "").strip(), form.note.data or "")
    except RuleSetError as exc:
        db.session.rollback()
        flash(explain(exc), "error")
        return redirect(url_for("appraisal_pages.rule_sets")), 303
    flash(_("A new draft has been started."), "success")
    return redirect(url_for("appraisal_pages.rule_set", rule_set_id=draft.public_id))


def _page(rs: RuleSet, form: EditorForm | None = None, placed: dict | None = None,
          status: int = 200, refused: str | None = None):
    """The rule set read-only, or (a draft, for its unit's editors) in the editor, with
    the checks' problems by their fields; ``refused`` heads a refused save or publish."""
    content = rules.content_of(rs)
    editing = rs.status == "draft" and may_edit_rules(rs.unit_id)
    if editing and form is None:
        form = form_for(rs, content)
    if placed is None and editing:
        placed = place(problems(rs))  # what the saved draft still lacks
    template = rules.load_content(rs.based_on_id) if rs.based_on_id else None
    return render_template(
        "appraisal/rule_set.html", rs=rs, content=content, form=form if editing else None,
        placed=placed or {}, editing=editing, confirm=ConfirmForm(), refused=refused,
        unit=db.session.get(Unit, rs.unit_id), template=template,
        template_weights={a.code: a.weight for a in template.aspects} if template else {},
        sandbox_form=_sandbox_form(rs)), status


def _sandbox_form(rs: RuleSet) -> SandboxForm:
    form = SandboxForm(formdata=None)
    form.period.data = period_containing(china_today(), rs.period_kind).previous().text
    return form


@bp.get("/rule-sets/<rule_set_id>")
@login_required
def rule_set(rule_set_id: str):
    return _page(_rule_set(rule_set_id))


@bp.post("/rule-sets/<rule_set_id>")
@login_required
def save_rule_set(rule_set_id: str):
    """Save the editor: refused whole (422, nothing written) while any check fails."""
    rs = _rule_set(rule_set_id)
    rules_editing.require_editor(g.user, rs.unit_id)
    form = EditorForm()
    form.set_choices([(a.code, f"{a.code} {a.name}") for a in rs.aspects])
    if not form.validate_on_submit():
        return _page(rs, form, row_errors(form), 422, NOT_SAVED)
    changes, placed = changes_from(form)
    if placed:
        return _page(rs, form, placed, 422, NOT_SAVED)
    try:
        rules_editing.save(g.user, rs, changes)
    except RuleSetInvalid as exc:
        db.session.rollback()
        return _page(_rule_set(rule_set_id), form, place(exc.errors), 422, NOT_SAVED)
    except RuleSetError as exc:
        db.session.rollback()
        return _page(_rule_set(rule_set_id), form, {"rule_set": [explain(exc)]}, 422,
                     NOT_SAVED)
    flash(_("The draft has been saved."), "success")
    return redirect(url_for("appraisal_pages.rule_set", rule_set_id=rule_set_id))


@bp.post("/rule-sets/<rule_set_id>/publish")
@login_required
def publish_rule_set(rule_set_id: str):
    rs = _rule_set(rule_set_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("appraisal_pages.rule_set", rule_set_id=rule_set_id)), 303
    try:
        rules_editing.publish(g.user, rs)
    except RuleSetInvalid as exc:
        db.session.rollback()
        return _page(_rule_set(rule_set_id), None, place(exc.errors), 422,
                     _l("Not published: the draft does not pass the checks."))
    except RuleSetError as exc:
        db.session.rollback()
        flash(explain(exc), "error")
        return redirect(url_for("appraisal_pages.rule_set", rule_set_id=rule_set_id)), 303
    flash(_("Version %(v)d is published; it never changes from now on.", v=rs.version),
          "success")
    return redirect(url_for("appraisal_pages.rule_set", rule_set_id=rule_set_id))


@bp.post("/rule-sets/<rule_set_id>/discard")
@login_required
def discard_rule_set(rule_set_id: str):
    rs = _rule_set(rule_set_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("appraisal_pages.rule_set", rule_set_id=rule_set_id)), 303
    try:
        rules_editing.discard(g.user, rs)
    except RuleSetError as exc:
        db.session.rollback()
        flash(explain(exc), "error")
        return redirect(url_for("appraisal_pages.rule_set", rule_set_id=rule_set_id)), 303
    flash(_("The draft has been discarded."), "success")
    return redirect(url_for("appraisal_pages.rule_sets"))


@bp.route("/rule-sets/<rule_set_id>/sandbox", methods=["GET", "POST"])
@login_required
def sandbox(rule_set_id: str):
    """Compute the rule set against a past period of my unit (POST) and show, beside
    the official result, who moves up or down and the indicators why."""
    rs = _rule_set(rule_set_id)
    posted = request.method == "POST"
    form = SandboxForm() if posted else _sandbox_form(rs)
    result, error, status = None, None, 200
    if posted:
        if form.validate_on_submit():
            unit = db.session.get(Unit, g.user.unit_id)
            try:
                result = score_runs.sandbox(g.user, unit, rs, form.period.data.strip())
            except (ScoringError, RuleSetError) as exc:
                db.session.rollback()
                error, status = explain(exc), 422
        else:
            status = 422
    versions = rule_sets_by_id({r.rule_set_id for r in (result or {}).values()
                                if hasattr(r, "rule_set_id")})
    return render_template("appraisal/sandbox.html", rs=rs, form=form, result=result,
                           error=error, versions=versions), status
