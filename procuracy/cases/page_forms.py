"""The case pages' input: the list filters (the API's marshmallow ``CaseQuery``
plus a page number, read from the query string) and the Flask-WTF forms that
change something (each with its CSRF token).

The filter form is submitted by GET and carries no token on purpose: it changes
nothing, and a token in a URL leaks through logs and the Referer header.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from marshmallow import EXCLUDE, ValidationError, fields, validate
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from procuracy.cases.schemas import CaseQuery

PAGE_SIZE = 50
FILTERS = tuple(CaseQuery().fields)
FLAGS = ("major", "detained", "juvenile", "designated")
ACTIONS = ("approve", "change", "return", "escalate")


class CasePageQuery(CaseQuery):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))


def read_filters(args) -> tuple[dict, dict, dict]:
    """(the filters as given, without empty ones; the parsed filters and page;
    the errors by field). Unknown arguments (``lang``) are ignored."""
    given = {k: v.strip() for k, v in args.items() if k in (*FILTERS, "page") and v.strip()}
    try:
        parsed = CasePageQuery().load(given, unknown=EXCLUDE)
    except ValidationError as exc:
        return given, {"page": 1}, exc.messages
    return given, parsed, {}


class UploadForm(FlaskForm):
    doc_type = StringField(_l("Document type"), validators=[DataRequired(), Length(max=40)],
                           render_kw={"list": "doc-types", "autocomplete": "off"})
    file = FileField(_l("File"), validators=[FileRequired()])


class DecisionForm(FlaskForm):
    matter = SelectField(_l("Matter"), choices=[], validators=[DataRequired()])
    content = TextAreaField(_l("Decision"), validators=[Optional(), Length(max=20000)])


class InboxActionForm(FlaskForm):
    """Approve, return, escalate (with a note) or decide with new content."""

    action = StringField(validators=[DataRequired(), AnyOf(ACTIONS)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    content = TextAreaField(_l("New content"), validators=[Optional(), Length(max=20000)])
