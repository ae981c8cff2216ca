"""Shared bits of the tenants pages: display labels, safe redirects, the editor check.

Labels live here (not in the templates) so every page names a level, a decider,
a right or an origin the same way, in the user's language.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import g
from flask_babel import lazy_gettext as _l

from procuracy.extensions import db
from procuracy.tenants.auth import MIN_PASSWORD_LENGTH
from procuracy.tenants.powers import EDITORS
from procuracy.tenants.roles import DECISION_RANK, ROLE_LABELS, SUPERVISORS, Role
from procuracy.tenants.scope import OutOfScope, current_scope

LEVEL_LABELS = {
    "province": _l("Provincial procuratorate"),
    "city": _l("City procuratorate"),
    "branch": _l("Branch procuratorate"),
    "district": _l("District procuratorate"),
}
DECIDER_LABELS = {
    "prosecutor": ROLE_LABELS[Role.PROSECUTOR],
    "department_head": ROLE_LABELS[Role.DEPARTMENT_HEAD],
    "deputy_chief": ROLE_LABELS[Role.DEPUTY_CHIEF],
    "chief": ROLE_LABELS[Role.CHIEF],
    "committee": _l("Procuratorial committee"),
}
CONDITION_LABELS = {
    "": _l("Any case"),
    "major": _l("Major, difficult or complex cases"),
    "not_major": _l("Other than major cases"),
    "detained": _l("Suspect detained"),
    "not_detained": _l("Suspect not detained"),
    "juvenile": _l("Juvenile cases"),
}
RIGHT_LABELS = {
    "supervision": _l("Supervision by a higher unit"),
    "cross_review": _l("Cross-review"),
    "own_unit": _l("Own unit"),
    "template": _l("Template"),
}
OBJECT_LABELS = {
    "User": _l("Staff records"),
    "Case": _l("Cases"),
    "CaseParticipant": _l("Case participants"),
    "CaseStep": _l("Case timeline steps"),
    "CaseClock": _l("Case time limits"),
    "CaseDocument": _l("Case documents"),
    "Decision": _l("Case decisions"),
    "PowerList": _l("Power list"),
    "PowerItem": _l("Power list items"),
    "Department": _l("Departments"),
}
STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published")}
FIELD_LABELS = {
    "matter": _l("Matter"),
    "decider_role": _l("Decided by"),
    "condition": _l("Condition"),
    "overridable": _l("Adjustable"),
    "category": _l("Business category"),
}
# Messages of auth.PasswordRejected, as the service words them.
PASSWORD_MESSAGES = {
    f"at least {MIN_PASSWORD_LENGTH} characters":
        _l("The new password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
    "must not contain the user name": _l("The new password must not contain the user name."),
    "mix letters with digits or symbols":
        _l("The new password must mix letters with digits or symbols."),
    "too common": _l("The new password is too common; choose one that is harder to guess."),
    "the current password is wrong": _l("The current password is wrong."),
}


def origin_label(origin: str, source_unit: str, unit_code: str) -> str:
    """省院模板 / 本院调整 / 本院新增, or 上级院调整 / 上级院新增 for a city's changes."""
    own = source_unit == unit_code
    if origin == "override":
        return str(_l("Adjusted here") if own else _l("Adjusted above"))
    if origin == "local":
        return str(_l("Added here") if own else _l("Added above"))
    if origin == "template":
        return str(_l("Provincial template"))
    return origin


def role_labels(role_names) -> list[str]:
    """Labels of a user's roles, highest decision rank first."""
    def rank(name: str) -> tuple[int, str]:
        return (-DECISION_RANK.get(Role(name), 0) if name in Role._value2member_map_ else 0, name)

    return [str(ROLE_LABELS.get(r, r)) for r in sorted(role_names, key=rank)]


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site (no scheme, no host), else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def supervises() -> bool:
    """Whether the signed-in user reads down the tree (a supervisor with descendants)."""
    scope = current_scope(db.session)
    user = g.get("user")
    return bool(user is not None and user.has_role(*SUPERVISORS) and scope and scope.supervised)


def may_edit_powers(unit) -> bool:
    """Whether the signed-in user edits ``unit``'s power list (its own admin or chief)."""
    user = g.get("user")
    return user is not None and user.unit_id == unit.id and user.has_role(*EDITORS)


def require_editor(unit) -> None:
    """Others do not learn that the editing pages exist: 404."""
    if not may_edit_powers(unit):
        raise OutOfScope(f"power list editing of {unit.code}")


def can_read(unit_id: int) -> bool:
    scope = current_scope(db.session)
    return bool(scope and scope.can_read_unit(unit_id))
