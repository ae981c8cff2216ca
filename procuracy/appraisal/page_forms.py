"""Flask-WTF forms of the appraisal pages: starting a rule-set draft, the rule-set
editor (aspects, indicators and grades as rows), computing a period, the sandbox,
objections and answers.

The editor's rows are plain WTForms ``Form``s inside ``FieldList``s (one CSRF token
for the whole page); what they hold is turned into a rule set's content in
``page_editor`` and checked there.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from procuracy.appraisal.page_labels import (
    AUDIENCE_LABELS,
    GRADING_LABELS,
    INDICATOR_KIND_LABELS,
    PERIOD_KIND_LABELS,
)
from procuracy.tenants.forms import choices

PERIOD = Regexp(r"^\d{4}(-\d{2}|-Q[1-4])?$", message=_l("Use 2026-03, 2026-Q1 or 2026."))


class StartDraftForm(FlaskForm):
    audience = SelectField(_l("Who is evaluated"), validators=[DataRequired()])
    period_kind = SelectField(lazy_pgettext("appraisal", "Period"), default="month", validators=[DataRequired()])
    effective_from = DateField(_l("Effective from"), validators=[Optional()])
    name = StringField(lazy_pgettext("appraisal", "Name"), validators=[Optional(), Length(max=120)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audience.choices = choices(AUDIENCE_LABELS.items())
        self.period_kind.choices = choices(PERIOD_KIND_LABELS.items())


class AspectRow(Form):
    code = HiddenField()
    name = StringField(_l("Aspect"), validators=[DataRequired(), Length(max=60)])
    weight = FloatField(_l("Weight (%)"), validators=[DataRequired(message=_l("A number")),
                                                      NumberRange(min=0, max=100)])
    core = BooleanField(_l("Core"))


class IndicatorRow(Form):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=32)])
    name = StringField(_l("Indicator"), validators=[Optional(), Length(max=120)])
    aspect_code = SelectField(_l("Aspect"), validate_choice=False)
    kind = SelectField(_l("Kind"), validate_choice=False)
    params = TextAreaField(_l("Source (parameters)"), validators=[Optional(), Length(max=5000)])
    points_per_unit = FloatField(_l("Points per unit"), default=1.0, validators=[Optional()])
    max_points = FloatField(_l("At most"), validators=[Optional(), NumberRange(min=0)])
    normalise = BooleanField(_l("Relative to the department's best"))
    remove = BooleanField(_l("Remove"))


class GradeRow(Form):
    name = StringField(_l("Grade"), validators=[Optional(), Length(max=16)])
    min = FloatField(_l("Minimum score"), validators=[Optional()])
    max_share = FloatField(_l("At most this share"), validators=[Optional(),
                                                                NumberRange(min=0, max=1)])


class EditorForm(FlaskForm):
    name = StringField(lazy_pgettext("appraisal", "Name"), validators=[DataRequired(), Length(max=120)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    effective_from = DateField(_l("Effective from"), validators=[DataRequired()])
    grading_method = SelectField(_l("Grading"), validate_choice=True)
    aspects = FieldList(FormField(AspectRow), max_entries=20)
    indicators = FieldList(FormField(IndicatorRow), max_entries=201)
    grades = FieldList(FormField(GradeRow), max_entries=11)

    def set_choices(self, aspects: list[tuple[str, str]]) -> None:
        self.grading_method.choices = choices(GRADING_LABELS.items())
        for row in self.indicators:
            row.form.aspect_code.choices = choices(aspects)
            row.form.kind.choices = choices(INDICATOR_KIND_LABELS.items())


class ComputeForm(FlaskForm):
    period = StringField(lazy_pgettext("appraisal", "Period"), validators=[DataRequired(), PERIOD])
    audience = SelectField(_l("Who is evaluated"), default="prosecutor")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audience.choices = choices(AUDIENCE_LABELS.items())


class SandboxForm(FlaskForm):
    period = StringField(_l("Period to compute against"), validators=[DataRequired(), PERIOD])


class TextForm(FlaskForm):
    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=5000)])


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: publish, discard."""
