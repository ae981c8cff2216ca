"""What the quality-review pages accept: HTML form fields to the API's schemas.

A page form has its own shape (a percentage instead of a rate, comma-separated case
kinds, dates for the review period, one radio per checklist item); ``PlanPage``
and the helpers here turn it into the body the API takes, and the API's own
marshmallow schemas (``review_schemas``) check it, so a page refuses exactly what
the API refuses. The CSRF token is checked app-wide (Flask-WTF's CSRFProtect).
"""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate
from werkzeug.datastructures import MultiDict

from procuracy.appraisal import review_schemas as api
from procuracy.appraisal.review_findings import CHINA

LISTS = ("units", "lines", "must_review", "reviewers")
TRISTATE = {"": None, "yes": True, "no": False}


class Page(Schema):
    class Meta:
        unknown = EXCLUDE  # the CSRF token, the buttons


class PlanPage(Page):
    """The plan form; ``sample_value`` is a percentage for a rate, a count otherwise."""

    name = api.Text(120, 1, required=True)
    checklist = fields.Integer(required=True, validate=api.ID)
    type = fields.String(load_default="regular")
    units = fields.List(fields.String(), load_default=list)
    with_descendants = fields.Boolean(load_default=False)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    kinds = api.Text(2000, load_default="")
    lines = fields.List(fields.String(), load_default=list)
    major = fields.String(load_default="", validate=validate.OneOf(list(TRISTATE)))
    detained = fields.String(load_default="", validate=validate.OneOf(list(TRISTATE)))
    juvenile = fields.String(load_default="", validate=validate.OneOf(list(TRISTATE)))
    sample_mode = fields.String(load_default="rate")
    sample_value = fields.Float(required=True, allow_nan=False)
    must_review = fields.List(fields.String(), load_default=list)
    reviewing = fields.String(load_default="")
    blind = fields.Boolean(load_default=False)
    starts_on = fields.Date(load_default=None, allow_none=True, validate=api.DATES)
    ends_on = fields.Date(load_default=None, allow_none=True, validate=api.DATES)

    @post_load
    def api_body(self, data: dict, **_kwargs) -> dict:
        filters: dict = {}
        kinds = [k.strip() for k in data["kinds"].replace("，", ",").split(",") if k.strip()]
        if kinds:
            filters["kinds"] = kinds
        if data["lines"]:
            filters["lines"] = data["lines"]
        for flag in ("major", "detained", "juvenile"):
            if TRISTATE[data[flag]] is not None:
                filters[flag] = TRISTATE[data[flag]]
        value = data["sample_value"]
        body = {key: data[key] for key in ("name", "checklist", "type", "units",
                                           "with_descendants", "sample_mode", "must_review",
                                           "blind")}
        body.update(date_from=data["date_from"].isoformat(), date_to=data["date_to"].isoformat(),
                    filters=filters, reviewing=data["reviewing"] or None,
                    sample_value=value / 100 if data["sample_mode"] == "rate" else value)
        if data["starts_on"] is not None:
            body["starts_at"] = datetime.combine(data["starts_on"], time.min, CHINA).isoformat()
        if data["ends_on"] is not None:
            # the whole last day is in the period: until midnight, Beijing time
            end = datetime.combine(data["ends_on"] + timedelta(days=1), time.min, CHINA)
            body["ends_at"] = end.isoformat()
        return body


# PlanIn's field names as the page calls them
PLAN_FIELDS = {"starts_at": "starts_on", "ends_at": "ends_on", "filters": "kinds"}


def form_dict(form: MultiDict) -> dict:
    """A MultiDict as a plain dict: the list fields as lists, the rest as single values."""
    return {key: form.getlist(key) if key in LISTS else form.get(key)
            for key in form.keys()}


def plan_body(form: MultiDict) -> dict:
    """The API's PlanIn body from the plan form (ValidationError names page fields)."""
    try:
        body = PlanPage().load(form_dict(form))
    except ValidationError as exc:
        raise ValidationError(flat(exc.messages)) from None
    try:
        return api.PlanIn().load(body)
    except ValidationError as exc:
        messages = flat(exc.messages)
        raise ValidationError({PLAN_FIELDS.get(k, k): v for k, v in messages.items()}) from None


def load(schema: Schema, data: dict) -> dict:
    """``schema.load(data)`` with the errors flattened to {field: [messages]}."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ValidationError(flat(exc.messages)) from None


def results_body(form: MultiDict, codes: list[str], pass_rest: bool) -> tuple[dict, list[str]]:
    """(ResultsIn body, the codes left unanswered) from one radio and note per item."""
    results, unanswered = [], []
    for code in codes:
        choice = form.get(f"r-{code}", "")
        note = form.get(f"n-{code}", "")
        if choice not in ("pass", "fail"):
            unanswered.append(code)
            continue
        results.append({"item_code": code, "passed": choice == "pass", "note": note})
    return load(api.ResultsIn(), {"results": results, "pass_rest": pass_rest}), unanswered


def resolve_body(form: MultiDict) -> dict:
    return load(api.ResolveIn(), {"grade": form.get("grade", ""),
                                  "adopt_round": form.get("adopt_round") or None,
                                  "note": form.get("note", "")})


def flat(messages) -> dict[str, list[str]]:
    """marshmallow's nested errors as {first-level field: [readable messages]}."""
    if not isinstance(messages, dict):
        return {"_schema": [readable(m) for m in flat_list(messages)]}
    return {str(key): [readable(m) for m in flat_list(value)] for key, value in messages.items()}


def flat_list(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in flat_list(v)]
    if isinstance(value, list):
        return [m for v in value for m in flat_list(v)]
    return [str(value)]


def readable(message: str) -> str:
    """marshmallow's usual words in the user's language (anything else as it is)."""
    known = {
        "Missing data for required field.": _("This field is required."),
        "Not a valid date.": _("Not a valid date."),
        "Not a valid number.": _("Not a valid number."),
        "Not a valid integer.": _("Not a valid number."),
        "Not a valid boolean.": _("Not a valid choice."),
        "Field may not be null.": _("This field is required."),
        "Shorter than minimum length 1.": _("This field is required."),
    }
    if message in known:
        return known[message]
    if message.startswith("Must be one of"):
        return _("Choose from the list.")
    between = re.match(r"Length must be between (\d+) and (\d+)\.", message)
    if between:
        return _("Give %(low)s to %(high)s characters.", low=between[1], high=between[2])
    if message.startswith(("Shorter than", "Longer than", "Length must be")):
        return _("Too short or too long.")
    return message


def public_id(value: str) -> str:
    """A path id no row can have (too long, NUL, lone surrogates) is simply not found."""
    from procuracy.tenants.scope import OutOfScope

    if len(value) > 64 or "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise OutOfScope("no such id")
    return value


class StatsPage(api.PeriodQuery):
    """The statistics page's query: the period and the split."""

    by = fields.String(load_default="unit", validate=validate.OneOf(
        ["unit", "line", "department", "prosecutor"]))


def stats_args(args: MultiDict) -> dict:
    return load(StatsPage(), {k: v for k, v in args.items()
                              if k in ("by", "date_from", "date_to") and v})


# The services' refusals the pages meet most, in the user's language (others as worded).
REFUSALS = [
    (re.compile(r"^(?P<code>\S+): a failed item needs a note"),
     lambda m: _("%(code)s: a failed item needs a note saying what is wrong.", code=m["code"])),
    (re.compile(r"^(?P<code>\S+): not an item of the checklist"),
     lambda m: _("%(code)s is not an item of the checklist.", code=m["code"])),
    (re.compile(r"^the review period has not begun"),
     lambda m: _("The review period has not begun.")),
    (re.compile(r"^the review period is over"), lambda m: _("The review period is over.")),
    (re.compile(r"^a rate is (above 0 and )?at most 1"),
     lambda m: _("A share is above 0 and at most 100%.")),
    (re.compile(r"^a count is a whole number"),
     lambda m: _("A number of cases is a whole number of at least 1.")),
    (re.compile(r"^not \d+ or one of its descendants: (?P<codes>.*)$"),
     lambda m: _("Not your unit or one below it: %(codes)s", codes=m["codes"])),
    (re.compile(r"^a cross-review covers exactly one unit"),
     lambda m: _("A cross-review covers exactly one unit, the one reviewed (without the "
                 "units below it).")),
    (re.compile(r"^a unit does not cross-review itself"),
     lambda m: _("A unit does not cross-review itself.")),
    (re.compile(r"^a cross-review runs for a period"),
     lambda m: _("A cross-review runs for a period: give its first and last day.")),
    (re.compile(r"^must not be before date_from"),
     lambda m: _("Must not be before the first day.")),
    (re.compile(r"^no closed case of the covered units matches"),
     lambda m: _("No closed case of the covered units matches the plan.")),
    (re.compile(r"^name at least two reviewers"),
     lambda m: _("Name at least two reviewers (a lower grade goes to a second reviewer).")),
    (re.compile(r"^must not be blank"), lambda m: _("This field is required.")),
]


def explain(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The errors with the known refusals in the user's language."""
    def one(message: str) -> str:
        for pattern, render in REFUSALS:
            match = pattern.search(message)
            if match:
                return render(match)
        return message

    return {field: [one(str(m)) for m in messages] for field, messages in errors.items()}
