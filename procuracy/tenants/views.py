"""Web pages of the tenants domain: one blueprint, ``tenants``.

The routes live in ``views_account`` (sign-in, sign-out, password, home),
``views_units`` (unit tree, unit page, users, access log), ``views_powers``
(power list, versions, comparison) and ``views_power_drafts`` (drafting); this
module holds the blueprint, the language switch and what every template may use.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from procuracy.tenants import services
from procuracy.tenants import views_common as labels

bp = Blueprint("tenants", __name__)


@bp.record_once
def _sign_in_prompt(state) -> None:
    """flask-login's "please sign in" flash, in the user's language."""
    manager = state.app.login_manager
    manager.login_message = _l("Please sign in to see this page.")
    manager.login_message_category = "info"
    manager.localize_callback = str  # the flashed text must be a plain string


@bp.app_context_processor
def _page_globals() -> dict:
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    user = g.get("user")
    return {
        "page_user": user,
        "nav_supervises": user is not None and labels.supervises(),
        "nav_log": user is not None and services.may_read_access_log(user, user.unit),
        "log_readable": lambda unit: user is not None and services.may_read_access_log(user, unit),
        "powers_editable": labels.may_edit_powers,
        "html_lang": "en" if locale.startswith("en") else "zh-CN",
        "locale": locale,
        "LEVEL_LABELS": labels.LEVEL_LABELS,
        "DECIDER_LABELS": labels.DECIDER_LABELS,
        "CONDITION_LABELS": labels.CONDITION_LABELS,
        "RIGHT_LABELS": labels.RIGHT_LABELS,
        "OBJECT_LABELS": labels.OBJECT_LABELS,
        "STATUS_LABELS": labels.STATUS_LABELS,
        "FIELD_LABELS": labels.FIELD_LABELS,
        "origin_label": labels.origin_label,
        "role_labels": labels.role_labels,
    }


@bp.get("/lang/<code>")
def set_language(code: str):
    """Remember the language in the session, then go back where the user was."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    back = labels.local_path(request.args.get("next"))
    if back is None and request.referrer:
        ref = request.referrer
        root = request.host_url.rstrip("/")
        back = labels.local_path(ref[len(root):]) if ref.startswith(root + "/") else None
    return redirect(_without_lang(back) if back else url_for("tenants.index"))


def _without_lang(path: str) -> str:
    """The path without a ``lang`` query argument (it would win over the session)."""
    parts = urlsplit(path)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k != "lang"])
    return urlunsplit(("", "", parts.path, query, ""))


# The routes register themselves on ``bp`` when imported.
from procuracy.tenants import (  # noqa: E402, F401
    views_account,
    views_power_drafts,
    views_powers,
    views_units,
)
