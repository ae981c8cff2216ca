"""Display labels of the quality-review pages, in the user's language.

The services speak in codes (``regular``, ``second_review``, ``self_fixed`` ...);
the pages name them through these tables so every page says the same thing.
Grades are data (the checklist's own names, e.g. 优质) and are shown as they are.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

PLAN_TYPES = {"regular": _l("Regular review"), "key": _l("Key-case review"),
              "special": _l("Special review")}
PLAN_STATUSES = {"draft": _l("Not drawn yet"), "drawn": _l("Sample drawn"),
                 "reviewing": _l("Under review"), "closed": lazy_pgettext("review", "Closed")}
REVIEW_STATUSES = {"assigned": _l("To review"), "in_progress": _l("In progress"),
                   "second_review": _l("Second review"), "disputed": _l("Disputed"),
                   "final": _l("Final")}
REASONS = {"random": _l("Drawn at random"), "acquitted": _l("Acquittal"),
           "prosecution_withdrawn": _l("Prosecution withdrawn"),
           "not_prosecuted": _l("Non-prosecution"),
           "protest_withdrawn": _l("Protest withdrawn"),
           "state_compensation": _l("State compensation")}
OUTCOMES = {**REASONS, "prosecuted": _l("Prosecuted"), "": "—"}
DISCOVERY = {"self_fixed": _l("Found and fixed by the unit itself"),
             "self_analysed": _l("Found and analysed, not fixed"),
             "missed": _l("Not found by the unit")}
SEVERITY = {"normal": _l("Minor"), "major": _l("Major"), "serious": _l("Serious")}
FINDING_STATUSES = {"open": _l("Not handed over yet"), "handed_over": _l("Handed over")}
LINES = {"criminal": _l("Criminal prosecution"),
         "litigation_oversight": _l("Litigation oversight"),
         "complaints": _l("Complaints and appeals"), "public_interest": _l("Public interest"),
         "civil_administrative": _l("Civil and administrative"), "juvenile": _l("Juvenile"),
         "execution": _l("Execution oversight"), "unclassified": _l("Unclassified")}
DIMENSIONS = {"unit": _l("By unit"), "line": _l("By line of business"),
              "department": _l("By department"), "prosecutor": _l("By prosecutor")}
SIDES = {"reviewed": _l("About the unit's cases"), "reviewing": _l("Made by the unit")}
FLAGS = {"major": _l("Major, difficult or complex"), "detained": _l("Suspect detained"),
         "juvenile": _l("Juvenile")}


def label(table: dict, code) -> str:
    """The label of ``code`` in ``table``, or the code itself when the table lacks it."""
    value = table.get(code)
    return str(value) if value is not None else ("—" if code in (None, "") else str(code))


def page_labels() -> dict:
    """What the review templates may use."""
    return {"R_PLAN_TYPES": PLAN_TYPES, "R_PLAN_STATUSES": PLAN_STATUSES,
            "R_REVIEW_STATUSES": REVIEW_STATUSES, "R_REASONS": REASONS,
            "R_OUTCOMES": OUTCOMES, "R_DISCOVERY": DISCOVERY, "R_SEVERITY": SEVERITY,
            "R_FINDING_STATUSES": FINDING_STATUSES, "R_LINES": LINES,
            "R_DIMENSIONS": DIMENSIONS, "R_SIDES": SIDES, "R_FLAGS": FLAGS, "rlabel": label}
