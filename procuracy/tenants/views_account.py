"""Sign-in, sign-out, password change and the home page.

Sign-in is throttled like the API's token endpoint: per address and per account
(the form's user name), counting failed attempts only (a failed sign-in answers
401); past the limit the page answers 429.
"""
from __future__ import annotations

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import login_required, login_user, logout_user

from procuracy.extensions import db, limiter
from procuracy.tenants import auth, services
from procuracy.tenants.forms import ConfirmForm, LoginForm, PasswordForm
from procuracy.tenants.principal import become
from procuracy.tenants.views import bp
from procuracy.tenants.views_common import (
    PASSWORD_MESSAGES,
    local_path,
    may_edit_powers,
    supervises,
)


def _account_key() -> str:
    return f"page-account:{request.form.get('username', '')[:80]}"


def _failed(response) -> bool:
    return response.status_code == 401


@bp.errorhandler(RateLimitExceeded)
def too_many_attempts(exc):
    """The friendly 429 page (the app-wide handler cannot set Retry-After on a page)."""
    db.session.rollback()
    response = make_response(render_template("errors.html", code=429, message=exc.description),
                             429)
    response.headers["Retry-After"] = "60"
    return response


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
               deduct_when=_failed, methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
               key_func=_account_key, deduct_when=_failed, methods=["POST"])
def login():
    target = local_path(request.args.get("next"))
    if g.get("user") is not None and request.method == "GET":
        return redirect(target or url_for("tenants.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("tenants/login.html", form=form), 400 if form.errors else 200
    user = auth.authenticate(form.username.data, form.password.data)
    if user is None:
        # The same words whether the account exists, is locked or the password is wrong.
        return render_template("tenants/login.html", form=form, failed=True), 401
    lang = session.get("lang")
    session.clear()  # nothing from before sign-in survives but the language
    if lang:
        session["lang"] = lang
    login_user(user)
    become(user)
    return redirect(target or url_for("tenants.index"))


@bp.post("/logout")
@login_required
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("tenants.index"))
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("tenants.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(g.user, form.current.data, form.new.data)
        except auth.PasswordRejected as exc:
            message = PASSWORD_MESSAGES.get(str(exc), str(exc))
            field = form.current if str(exc) == "the current password is wrong" else form.new
            field.errors = [*field.errors, message]
            return _password_page(form, 422)
        login_user(g.user)  # this session carries the new epoch; the others end
        flash(_("Your password has been changed. Other sessions have been signed out."),
              "success")
        return redirect(url_for("tenants.index"))
    return _password_page(form, 422 if form.errors else 200)


def _password_page(form: PasswordForm, status: int):
    return render_template("tenants/password.html", form=form,
                           min_length=auth.MIN_PASSWORD_LENGTH), status


@bp.get("/")
@login_required
def index():
    me = services.me(g.user)
    unit = g.user.unit
    return render_template(
        "tenants/index.html", me=me, unit=unit, supervises=supervises(),
        may_read_log=services.may_read_access_log(g.user, unit),
        may_edit=may_edit_powers(unit))
