"""Unit pages: the tree of visible units, one unit, its people (and unlocking a
locked account), its access log.

A unit the user may not read is a 404 (the services raise ``OutOfScope``).
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from procuracy.extensions import db
from procuracy.tenants import auth, services
from procuracy.tenants.forms import ConfirmForm
from procuracy.tenants.roles import Role
from procuracy.tenants.views import bp
from procuracy.tenants.views_common import can_read, may_edit_powers

ACCESS_LOG_PAGE = 50


def _as_tree(rows: list[dict]) -> list[dict]:
    """Visible units in tree order (each parent before its children), with a relative depth."""
    codes = {r["code"] for r in rows}
    kids: dict[str | None, list[dict]] = {}
    for r in rows:
        parent = r["parent_code"] if r["parent_code"] in codes else None
        kids.setdefault(parent, []).append(r)
    out: list[dict] = []

    def walk(parent: str | None, depth: int) -> None:
        for r in sorted(kids.get(parent, []), key=lambda x: x["code"]):
            out.append({**r, "indent": min(depth, 4)})
            walk(r["code"], depth + 1)

    walk(None, 0)
    return out


@bp.get("/units")
@login_required
def units():
    rows = _as_tree(services.units_out(services.visible_units()))
    return render_template("tenants/units.html", rows=rows)


@bp.get("/units/<code>")
@login_required
def unit(code: str):
    detail = services.unit_detail(code)
    unit = services.readable_unit(code)
    crumbs = [(a, can_read(a.id)) for a in detail["ancestors"]]
    return render_template(
        "tenants/unit.html", unit=unit, detail=detail, crumbs=crumbs,
        may_read_log=services.may_read_access_log(g.user, unit),
        may_edit=may_edit_powers(unit))


@bp.get("/units/<code>/users")
@login_required
def unit_users(code: str):
    users = [{**services.user_out(u), "locked": auth.is_locked(u)}
             for u in services.users_of(code)]
    unit = services.readable_unit(code)
    may_unlock = g.user.unit_id == unit.id and g.user.has_role(Role.UNIT_ADMIN)
    return render_template("tenants/users.html", unit=unit, users=users,
                           may_unlock=may_unlock)


@bp.post("/units/<code>/users/<username>/unlock")
@login_required
def unlock_user(code: str, username: str):
    """A unit administrator lifts a sign-in lock before it runs out (403 for others)."""
    user = next((u for u in services.users_of(code) if u.username == username), None)
    if user is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    auth.unlock(g.user, user)
    flash(_("The account of %(name)s has been unlocked.", name=user.full_name), "success")
    return redirect(url_for("tenants.unit_users", code=code), 303)


@bp.get("/units/<code>/access-log")
@login_required
def access_log(code: str):
    query, count = services.access_log(g.user, code)
    unit = services.readable_unit(code)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    total = db.session.scalar(count) or 0
    pages = max((total + ACCESS_LOG_PAGE - 1) // ACCESS_LOG_PAGE, 1)
    if page > pages:
        abort(404)
    entries = db.session.scalars(
        query.limit(ACCESS_LOG_PAGE).offset((page - 1) * ACCESS_LOG_PAGE)).all()
    return render_template(
        "tenants/access_log.html", unit=unit, entries=[services.access_out(e) for e in entries],
        page=page, pages=pages, total=total)
