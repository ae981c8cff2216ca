"""Flask-WTF forms of the tenants pages.

Every form that changes something is a ``FlaskForm`` with its CSRF token. The
read-only filter forms (power list filter, version comparison) are submitted by
GET and carry no token on purpose: a CSRF token in a URL leaks through logs and
the Referer header, and those forms change nothing.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from procuracy.tenants.roles import DECIDERS

try:  # WTForms 3.3 deprecates (value, label) tuples as choices
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # pragma: no cover - older WTForms
    def _Choice(value, label):  # noqa: N802
        return (value, label)


def choices(pairs) -> list:
    """Select options from (value, label) pairs, labels rendered in the current language."""
    return [_Choice(value, str(label)) for value, label in pairs]


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("New password"),
                        validators=[DataRequired(), Length(max=256)],
                        render_kw={"autocomplete": "new-password"})
    repeat = PasswordField(_l("Repeat the new password"),
                           validators=[DataRequired(),
                                       EqualTo("new", message=_l("The two new passwords differ."))],
                           render_kw={"autocomplete": "new-password"})


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: sign out, remove an item, publish."""


class StartDraftForm(FlaskForm):
    effective_from = DateField(_l("Effective from"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])


class ItemForm(FlaskForm):
    """Set one item of a draft: override an inherited item or add a local one."""

    code = StringField(_l("Item code"), validators=[DataRequired(), Length(max=16)],
                       render_kw={"list": "inherited-codes", "autocomplete": "off"})
    decider_role = SelectField(_l("Decided by"), choices=choices((d, d) for d in DECIDERS),
                               validators=[DataRequired()])
    matter = StringField(_l("Matter"), validators=[Optional(), Length(max=120)])
    category = SelectField(_l("Business category"), choices=[], validate_choice=False)
    condition = SelectField(_l("Condition"), choices=[], validate_choice=False)
    overridable = BooleanField(_l("Lower units may adjust it"), default=True)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class PowerFilterForm(FlaskForm):
    """GET filter of the power list (read-only: no CSRF token in the URL)."""

    class Meta:
        csrf = False

    on = DateField(_l("In force on"), validators=[Optional()])
    category = SelectField(_l("Business category"), choices=[], validate_choice=False)
    decider = SelectField(_l("Decided by"), choices=[], validate_choice=False)
    q = StringField(_l("Matter contains"), validators=[Optional(), Length(max=60)])


class CompareForm(FlaskForm):
    """GET form: two versions of the unit's own list (read-only: no CSRF token)."""

    class Meta:
        csrf = False

    from_version = IntegerField(_l("From version"), name="from", validators=[DataRequired()])
    to_version = IntegerField(_l("To version"), name="to", validators=[DataRequired()])
