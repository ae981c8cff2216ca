"""Labels of the appraisal pages, and the rule-set checks' messages placed next to
the field they concern, in the user's language.

The checks (``rules_checks``) word their problems in English for the API; the
pages match the common ones and say them in the user's language (any message the
pages do not know is shown as the service words it), and put each one by the
aspect, the indicator or the grading it is about.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

AUDIENCE_LABELS = {"prosecutor": _l("Prosecutors"), "assistant": _l("Prosecutor assistants"),
                   "clerk": _l("Clerks")}
PERIOD_KIND_LABELS = {"month": _l("Monthly"), "quarter": _l("Quarterly"), "year": _l("Yearly")}
RULE_STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published")}
RUN_KIND_LABELS = {"official": _l("Official"), "sandbox": _l("Sandbox")}
RUN_STATUS_LABELS = {"computed": _l("Computed, not published"), "published": _l("Published")}
OBJECTION_STATUS_LABELS = {"open": lazy_pgettext("appraisal", "Open"),
                           "answered": lazy_pgettext("appraisal", "Answered")}
INDICATOR_KIND_LABELS = {
    "case_count": _l("Number of cases"), "weighted_cases": _l("Weighted cases"),
    "review_grade": _l("Quality review grades"), "event_points": _l("Points per event"),
    "manual": _l("Entered by hand"), "ratio": _l("Ratio of two indicators"),
}
GRADING_LABELS = {"thresholds": _l("By thresholds"), "quota": _l("By quota")}
MOVE_LABELS = {"up": _l("Up"), "down": _l("Down"), "same": _l("Same"), "new": _l("New"),
               "gone": _l("Gone")}
EVENT_LABELS = {
    "award": _l("Award"), "commendation": _l("Commendation"), "model_case": _l("Model case"),
    "research": _l("Research"), "training": _l("Training"), "flaw": _l("Flaw in handling"),
    "overdue": _l("Overdue"), "complaint": _l("Upheld complaint"),
    "monitoring_notice": _l("Process monitoring notice"), "misconduct": _l("Misconduct"),
}
# What the params of each kind look like (the editor's hint).
PARAMS_HINTS = {
    "case_count": '{"kinds": ["prosecution_review"], "date": "closed", "role": "handler"}',
    "weighted_cases": '{"date": "closed", "role": "handler"}',
    "review_grade": '{"points": {"优质": 10, "合格": 6, "瑕疵": -4, "不合格": -10}}',
    "event_points": '{"types": ["flaw", "overdue"]}',
    "manual": '{"max": 100}',
    "ratio": '{"numerator": "Q01", "denominator": "Q03"}',
}

# The navigation links in base.html (their words live in this area's catalogue).
NAV_LABELS = (_l("Appraisal"), _l("Performance file"))

LABELS = {
    "AUDIENCE_LABELS": AUDIENCE_LABELS, "PERIOD_KIND_LABELS": PERIOD_KIND_LABELS,
    "RULE_STATUS_LABELS": RULE_STATUS_LABELS, "RUN_KIND_LABELS": RUN_KIND_LABELS,
    "RUN_STATUS_LABELS": RUN_STATUS_LABELS, "OBJECTION_STATUS_LABELS": OBJECTION_STATUS_LABELS,
    "INDICATOR_KIND_LABELS": INDICATOR_KIND_LABELS, "GRADING_LABELS": GRADING_LABELS,
    "MOVE_LABELS": MOVE_LABELS, "EVENT_LABELS": EVENT_LABELS, "PARAMS_HINTS": PARAMS_HINTS,
}

_IND = r"^indicator (?P<code>[^\s:]+)(?: \((?P<name>[^)]*)\))?"
# (pattern, where it goes, how it reads); ``where`` may name groups of the match.
CHECK_MESSAGES = [
    (re.compile(r"^aspect weights add up to (?P<total>\S+), not 100"), "aspects",
     lambda m: _("The aspect weights add up to %(total)s, not 100.", total=m["total"])),
    (re.compile(r"^core aspects \((?P<names>.*)\) weigh (?P<w>\S+)%, less than the required "
                r"(?P<min>\S+)%"), "aspects",
     lambda m: _("The core aspects (%(names)s) weigh %(weight)s%%, less than the %(min)s%% "
                 "the province requires.", names=m["names"], weight=m["w"], min=m["min"])),
    (re.compile(r"^aspect weights must be numbers"), "aspects",
     lambda m: _("Aspect weights must be numbers of at least 0.")),
    (re.compile(r"^aspects must be the template's"), "aspects",
     lambda m: _("The aspects are the provincial template's: none may be added or removed.")),
    (re.compile(r"^aspect (?P<code>\S+): the template does not allow changing weights"),
     "aspect:{code}", lambda m: _("The provincial template does not allow changing this "
                                  "weight.")),
    (re.compile(r"^aspect (?P<code>\S+): weight may move by at most (?P<n>\S+) from the "
                r"template's (?P<t>\S+)"), "aspect:{code}",
     lambda m: _("The weight may move by at most %(n)s from the template's %(t)s.",
                 n=m["n"], t=m["t"])),
    (re.compile(r"^aspect (?P<code>\S+): name and core flag are the template's"),
     "aspect:{code}", lambda m: _("The name and the core flag are the template's.")),
    (re.compile(_IND + r": aspect (?P<aspect>.*) does not exist"), "indicator:{code}",
     lambda m: _("Aspect %(aspect)s does not exist.", aspect=m["aspect"])),
    (re.compile(_IND + r": no case kind (?P<kinds>.*) in the province's catalogue"),
     "indicator:{code}", lambda m: _("No case kind %(kinds)s in the province's catalogue.",
                                     kinds=m["kinds"])),
    (re.compile(_IND + r": no event type (?P<types>.*?) \(known"), "indicator:{code}",
     lambda m: _("No event type %(types)s.", types=m["types"])),
    (re.compile(_IND + r": (?P<side>numerator|denominator) (?P<ref>.*) is not an indicator"),
     "indicator:{code}", lambda m: _("The %(side)s %(ref)s is not an indicator of this rule "
                                     "set.", side=m["side"], ref=m["ref"])),
    (re.compile(_IND + r": the template does not allow changing (?P<fields>.*)"),
     "indicator:{code}", lambda m: _("The provincial template does not allow changing %(fields)s "
                                     "here.", fields=m["fields"])),
    (re.compile(_IND + r" is the template's and must stay"), "indicator:{code}",
     lambda m: _("This indicator is the provincial template's and must stay.")),
    (re.compile(_IND + r": (?P<rest>.*)"), "indicator:{code}", lambda m: m["rest"]),
    (re.compile(r"^the template does not allow local indicators \((?P<codes>.*)\)"),
     "indicators", lambda m: _("The provincial template does not allow indicators of this "
                               "unit's own (%(codes)s).", codes=m["codes"])),
    (re.compile(r"^indicator codes must be present and distinct"), "indicators",
     lambda m: _("Every indicator needs a code of its own.")),
    (re.compile(r"^the template does not allow changing the grading"), "grading",
     lambda m: _("The provincial template does not allow changing the grading.")),
    (re.compile(r"^(grading|every grade|grade|a grade|the worst grade|quota grading)"),
     "grading", lambda m: None),
]


def place(errors: list[str]) -> dict[str, list[str]]:
    """The checks' messages by where they belong: ``aspects``, ``aspect:CODE``,
    ``indicators``, ``indicator:CODE``, ``grading``, or ``rule_set`` (the rest)."""
    placed: dict[str, list[str]] = {}
    for text in errors:
        where, said = "rule_set", text
        for pattern, target, render in CHECK_MESSAGES:
            match = pattern.search(text)
            if match:
                where = target.format(**match.groupdict())
                said = render(match) or text
                break
        placed.setdefault(where, []).append(str(said))
    return placed
