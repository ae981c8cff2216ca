"""Drafting a unit's power list: start a draft, set or remove items, publish.

Only the unit's own administrator or chief (``powers.EDITORS``) drafts; to
everybody else these routes do not exist (404). A change the rules refuse
(``PowerListError``) is shown on the draft page with status 422, in the user's
language where the refusal is one the pages know.
"""
from __future__ import annotations

import re
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants import power_editing, powers, services
from procuracy.tenants.forms import ConfirmForm, ItemForm, StartDraftForm, choices
from procuracy.tenants.models import Unit
from procuracy.tenants.powers import CONDITIONS, PowerListError
from procuracy.tenants.roles import DECIDERS
from procuracy.tenants.scope import OutOfScope
from procuracy.tenants.views import bp
from procuracy.tenants.views_common import CONDITION_LABELS, DECIDER_LABELS, require_editor

POWER_LIST_MESSAGES = [
    (re.compile(r"^this unit already has a draft"),
     lambda m: _("This unit already has a draft: publish it before starting another.")),
    (re.compile(r"^(?P<code>.+?) \((?P<matter>.*)\) is fixed by the province's template: "
                r"it is decided by (?P<role>\w+)"),
     lambda m: _("%(code)s (%(matter)s) is fixed by the provincial template and cannot be "
                 "adjusted here: it is decided by %(decider)s.", code=m["code"],
                 matter=m["matter"], decider=DECIDER_LABELS.get(m["role"], m["role"]))),
    (re.compile(r"^a published version never changes"),
     lambda m: _("A published version never changes: start a new draft.")),
    (re.compile(r"^decider_role must be one of"),
     lambda m: _("Choose who decides the matter from the list.")),
    (re.compile(r"^condition must be one of"),
     lambda m: _("Choose a condition from the list.")),
    (re.compile(r"^a local item needs a matter"),
     lambda m: _("An item added here needs a matter and one of the template's business "
                 "categories.")),
    (re.compile(r"^an item needs a matter and a category"),
     lambda m: _("An item needs a matter and a business category.")),
    (re.compile(r"^(?P<code>.+) is not in this draft"),
     lambda m: _("%(code)s is not in this draft.", code=m["code"])),
    (re.compile(r"^there is no draft"), lambda m: _("There is no draft: start one first.")),
    (re.compile(r"^already published"), lambda m: _("This version is already published.")),
    (re.compile(r"^effective_from must not precede version (?P<v>\d+)'s \((?P<d>[^)]+)\)"),
     lambda m: _("The effective date must not precede that of version %(version)s (%(date)s).",
                 version=m["v"], date=m["d"])),
]


def _explain(exc: PowerListError) -> str:
    """The service's refusal in the user's language (its own words if unknown)."""
    text = str(exc)
    for pattern, render in POWER_LIST_MESSAGES:
        match = pattern.search(text)
        if match:
            return render(match)
    return text


def start_form_today() -> StartDraftForm:
    form = StartDraftForm(formdata=None)
    form.effective_from.data = utcnow().date()
    return form


def _editable(code: str) -> Unit:
    unit = services.readable_unit(code)
    require_editor(unit)
    return unit


def _inherited(unit: Unit) -> dict:
    """What the unit inherits from above, by code (nothing for a province)."""
    if unit.parent_id is None:
        return {}
    parent = db.session.get(Unit, unit.parent_id)
    return {i.code: i for i in powers.effective_list(parent, date.max).items}


def _draft_page(unit: Unit, *, status: int = 200, error: str | None = None,
                item_form: ItemForm | None = None, start_form: StartDraftForm | None = None):
    draft = power_editing.draft_of(unit)
    inherited = _inherited(unit)
    items = powers.items_of_version(draft) if draft is not None else []
    mine = {i.code: i for i in items}
    categories = sorted({i.category for i in inherited.values()} or {i.category for i in items})
    form = item_form or _item_form(request.args.get("item", "").strip(), mine, inherited)
    form.category.choices = choices([("", "—")] + [(c, c) for c in categories])
    form.condition.choices = choices((c, CONDITION_LABELS.get(c, c)) for c in CONDITIONS)
    form.decider_role.choices = choices((d, DECIDER_LABELS[d]) for d in DECIDERS)
    selected = (form.code.data or "").strip()
    return render_template(
        "tenants/draft.html", unit=unit, draft=draft, items=items, inherited=inherited,
        form=form, start_form=start_form or start_form_today(), confirm=ConfirmForm(),
        selected=inherited.get(selected), selected_mine=mine.get(selected),
        error=error), status


def _item_form(code: str, mine: dict, inherited: dict) -> ItemForm:
    form = ItemForm(formdata=None)
    source = mine.get(code) or inherited.get(code)
    form.code.data = code
    if source is not None:
        form.decider_role.data = source.decider_role
        form.note.data = source.note if code in mine else ""
    if code in mine and code not in inherited:  # a local item: its own matter and category
        form.matter.data, form.category.data = source.matter, source.category
        form.condition.data, form.overridable.data = source.condition, source.overridable
    return form


def _current_draft(unit: Unit):
    draft = power_editing.draft_of(unit)
    if draft is None:
        raise PowerListError("there is no draft")
    return draft


@bp.get("/units/<code>/powers/draft")
@login_required
def power_draft(code: str):
    return _draft_page(_editable(code))


@bp.post("/units/<code>/powers/draft")
@login_required
def power_draft_start(code: str):
    unit = _editable(code)
    form = StartDraftForm()
    if not form.validate_on_submit():
        return _draft_page(unit, status=422, start_form=form)
    try:
        power_editing.start_draft(g.user, unit, form.effective_from.data, form.note.data or "")
    except PowerListError as exc:
        db.session.rollback()
        return _draft_page(unit, status=422, error=_explain(exc), start_form=form)
    except PermissionError:
        raise OutOfScope(f"power list editing of {code}") from None
    flash(_("A new draft has been started."), "success")
    return redirect(url_for("tenants.power_draft", code=code))


@bp.post("/units/<code>/powers/draft/items")
@login_required
def power_draft_set(code: str):
    unit = _editable(code)
    form = ItemForm()
    if not form.validate_on_submit():
        return _draft_page(unit, status=422, item_form=form)
    try:
        power_editing.set_item(
            g.user, _current_draft(unit), code=form.code.data.strip(),
            decider_role=form.decider_role.data, matter=(form.matter.data or "").strip(),
            category=form.category.data or "", condition=form.condition.data or "",
            overridable=bool(form.overridable.data), note=(form.note.data or "").strip())
    except PowerListError as exc:
        db.session.rollback()
        return _draft_page(unit, status=422, error=_explain(exc), item_form=form)
    except PermissionError:
        raise OutOfScope(f"power list editing of {code}") from None
    flash(_("%(code)s has been saved in the draft.", code=form.code.data.strip()), "success")
    return redirect(url_for("tenants.power_draft", code=code))


@bp.post("/units/<code>/powers/draft/items/<item_code>/remove")
@login_required
def power_draft_remove(code: str, item_code: str):
    unit = _editable(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        power_editing.remove_item(g.user, _current_draft(unit), item_code)
    except PowerListError as exc:
        db.session.rollback()
        return _draft_page(unit, status=422, error=_explain(exc))
    except PermissionError:
        raise OutOfScope(f"power list editing of {code}") from None
    flash(_("%(code)s has been removed from the draft.", code=item_code), "success")
    return redirect(url_for("tenants.power_draft", code=code))


@bp.post("/units/<code>/powers/draft/publish")
@login_required
def power_draft_publish(code: str):
    unit = _editable(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        published = power_editing.publish(g.user, _current_draft(unit))
    except PowerListError as exc:
        db.session.rollback()
        return _draft_page(unit, status=422, error=_explain(exc))
    except PermissionError:
        raise OutOfScope(f"power list editing of {code}") from None
    flash(_("Version %(version)d has been published.", version=published.version), "success")
    return redirect(url_for("tenants.power_versions", code=code))
