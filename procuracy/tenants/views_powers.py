"""Power-list pages for reading: the effective list on a date, versions, comparison.

Drafting lives in ``views_power_drafts``.
"""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from procuracy.tenants import power_editing, powers, services
from procuracy.tenants import units as tree
from procuracy.tenants.forms import CompareForm, PowerFilterForm, choices
from procuracy.tenants.models import Unit
from procuracy.tenants.roles import DECIDERS
from procuracy.tenants.views import bp
from procuracy.tenants.views_common import DECIDER_LABELS, may_edit_powers


@bp.get("/units/<code>/powers")
@login_required
def powers_page(code: str):
    unit = services.readable_unit(code)
    form = PowerFilterForm(formdata=request.args)
    form.validate()
    on = form.on.data if not form.on.errors else None
    effective = powers.effective_list(unit, on)
    summary = powers.summary(effective.items)
    form.category.choices = choices(
        [("", _("All categories"))] + [(c, c) for c in sorted(summary["by_category"])])
    form.decider.choices = choices(
        [("", _("All deciders"))] + [(d, DECIDER_LABELS[d]) for d in DECIDERS])
    items = _filtered(effective.items, form.category.data, form.decider.data, form.q.data)
    editing = may_edit_powers(unit)
    return render_template(
        "tenants/powers.html", unit=unit, effective=effective, summary=summary,
        items=items, form=form, unit_names=_unit_names(unit), may_edit=editing,
        draft=power_editing.draft_of(unit) if editing else None,
        share=f"{summary['prosecutor_share'] * 100:.1f}%")


def _filtered(items, category: str | None, decider: str | None, text: str | None) -> list:
    text = (text or "").strip()
    return [i for i in items
            if (not category or i.category == category)
            and (not decider or i.decider_role == decider)
            and (not text or text in i.matter or text.lower() == i.code.lower())]


def _unit_names(unit: Unit) -> dict[str, str]:
    return {u.code: u.name for u in [*tree.ancestors(unit), unit]}


@bp.get("/units/<code>/powers/versions")
@login_required
def power_versions(code: str):
    unit = services.readable_unit(code)
    return _versions_page(unit, CompareForm(formdata=None))


def _versions_page(unit: Unit, compare_form: CompareForm, status: int = 200):
    editing = may_edit_powers(unit)
    versions = powers.versions(unit)
    if compare_form.from_version.data is None and len(versions) >= 2:
        compare_form.from_version.data = versions[1].version
        compare_form.to_version.data = versions[0].version
    return render_template(
        "tenants/versions.html", unit=unit, versions=versions, compare_form=compare_form,
        may_edit=editing, draft=power_editing.draft_of(unit) if editing else None), status


@bp.get("/units/<code>/powers/compare")
@login_required
def power_compare(code: str):
    unit = services.readable_unit(code)
    form = CompareForm(formdata=request.args)
    if not form.validate():
        return _versions_page(unit, form, 400)
    by_version = {pl.version: pl for pl in powers.versions(unit)}
    old = by_version.get(form.from_version.data)
    new = by_version.get(form.to_version.data)
    if old is None or new is None:
        abort(404)
    diff = powers.compare(powers.items_of_version(old), powers.items_of_version(new))
    return render_template("tenants/compare.html", unit=unit, old=old, new=new, diff=diff)
