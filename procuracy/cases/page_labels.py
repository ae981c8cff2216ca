"""Display labels of the case pages, and the services' refusals in the user's language.

Labels live here (not in the templates) so every case page names a status, a
clock, a step or a chain action the same way. A refusal the pages do not know is
shown in the service's own words rather than hidden.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_pgettext

# Labels carry the context "case": the areas' catalogues are merged, and another area
# may translate "Overdue" or "Review period" its own way.
CASE_STATUS = {"open": lazy_pgettext("case", "Being handled"),
               "closed": lazy_pgettext("case", "Concluded")}
FLAG_LABELS = {
    "major": lazy_pgettext("case", "Major, difficult or complex"),
    "detained": lazy_pgettext("case", "Detained"),
    "juvenile": lazy_pgettext("case", "Juvenile"),
    "designated": lazy_pgettext("case", "Designated assignment"),
}
CLOCK_STATES = {
    "running": lazy_pgettext("case", "Within the limit"),
    "due_soon": lazy_pgettext("case", "Due soon"),
    "overdue": lazy_pgettext("case", "Overdue"),
    "stopped": lazy_pgettext("case", "Stopped counting"),
}
CLOCK_NAMES = {
    "review": lazy_pgettext("case", "Review period"),
    "custody": lazy_pgettext("case", "Custody period"),
    "supplementary": lazy_pgettext("case", "Supplementary investigation"),
    "handling": lazy_pgettext("case", "Handling period"),
    "reply": lazy_pgettext("case", "Reply period"),
    "agency_reply": lazy_pgettext("case", "Agency's reply period"),
    "protest": lazy_pgettext("case", "Protest period"),
    "acceptance": lazy_pgettext("case", "Acceptance period"),
    "decision": lazy_pgettext("case", "Decision period"),
    "filing": lazy_pgettext("case", "Filing period"),
    "announcement": lazy_pgettext("case", "Announcement period"),
    "probation": lazy_pgettext("case", "Probation period"),
    "reasons": lazy_pgettext("case", "Period to state reasons"),
    "reexamination": lazy_pgettext("case", "Re-examination period"),
    "victim_request": lazy_pgettext("case", "Victim's request period"),
}
STEP_KINDS = {
    "registered": lazy_pgettext("case", "Registered"),
    "assigned": lazy_pgettext("case", "Assigned"),
    "reassigned": lazy_pgettext("case", "Reassigned"),
    "assignment_requested": lazy_pgettext("case", "Designation requested"),
    "designation_refused": lazy_pgettext("case", "Designation refused"),
    "reviewed": lazy_pgettext("case", "Reviewed"),
    "signed": lazy_pgettext("case", "Signed"),
    "attended": lazy_pgettext("case", "Attended court"),
    "interrogated": lazy_pgettext("case", "Interrogated"),
    "decided": lazy_pgettext("case", "Decided"),
    "requested": lazy_pgettext("case", "Decision requested"),
    "decision_returned": lazy_pgettext("case", "Request returned"),
    "decision_escalated": lazy_pgettext("case", "Request escalated"),
    "document_added": lazy_pgettext("case", "Document added"),
    "clock_started": lazy_pgettext("case", "Time limit started"),
    "clock_extended": lazy_pgettext("case", "Time limit extended"),
    "clock_reset": lazy_pgettext("case", "Time limit restarted"),
    "clock_stopped": lazy_pgettext("case", "Time limit stopped"),
    "clock_moved": lazy_pgettext("case", "Due date moved"),
    "meeting_concluded": lazy_pgettext("case", "Meeting concluded"),
    "meeting_referred": lazy_pgettext("case", "Referred by the joint meeting"),
    "closed": lazy_pgettext("case", "Case concluded"),
}
DECISION_STATUS = {"decided": lazy_pgettext("case", "Decided"),
                   "pending": lazy_pgettext("case", "Awaiting approval"),
                   "returned": lazy_pgettext("case", "Returned")}
CHAIN_ACTIONS = {
    "decided": lazy_pgettext("case", "decided"),
    "requested": lazy_pgettext("case", "requested"),
    "approved": lazy_pgettext("case", "approved"),
    "changed": lazy_pgettext("case", "decided with changes"),
    "returned": lazy_pgettext("case", "returned"),
    "escalated": lazy_pgettext("case", "escalated"),
    "referred": lazy_pgettext("case", "referred by the joint meeting"),
}
PARTICIPANT_ROLES = {"handler": lazy_pgettext("case", "Handler"),
                     "assistant": lazy_pgettext("case", "Assistant"),
                     "clerk": lazy_pgettext("case", "Clerk")}
MEMBER_STATUS = {"active": lazy_pgettext("case", "Taking part"),
                 "absent": lazy_pgettext("case", "Absent"),
                 "away": lazy_pgettext("case", "Changed handling unit")}
DRAW_MODES = {"random": lazy_pgettext("case", "Random rotation"),
              "designated": lazy_pgettext("case", "Designated"),
              "reassigned": lazy_pgettext("case", "Reassigned")}
DOC_TYPES = (lazy_pgettext("case", "Indictment"), lazy_pgettext("case", "Non-prosecution decision"),
             lazy_pgettext("case", "Review report"), lazy_pgettext("case", "Evidence"),
             lazy_pgettext("case", "Other"))

REQUEST_NOTE = re.compile(r"^decided by (?P<role>\w+) \((?P<code>[^)]*)\)$")


def chain_note(note: str) -> str:
    """A chain step's note as written; a request's "decided by ROLE (CODE)" (the
    services' words) in the reader's language, as the decision form puts it."""
    match = REQUEST_NOTE.match(note or "")
    if match is None:
        return note
    from procuracy.tenants.views_common import DECIDER_LABELS

    role = DECIDER_LABELS.get(match["role"], match["role"])
    return f"{_('request: %(role)s decides', role=role)}（{match['code']}）"


LABELS = {
    "chain_note": chain_note,
    "CASE_STATUS": CASE_STATUS, "FLAG_LABELS": FLAG_LABELS, "CLOCK_STATES": CLOCK_STATES,
    "CLOCK_NAMES": CLOCK_NAMES, "STEP_KINDS": STEP_KINDS, "DECISION_STATUS": DECISION_STATUS,
    "CHAIN_ACTIONS": CHAIN_ACTIONS, "PARTICIPANT_ROLES": PARTICIPANT_ROLES,
    "MEMBER_STATUS": MEMBER_STATUS, "DRAW_MODES": DRAW_MODES, "DOC_TYPES": DOC_TYPES,
}

# The services' refusals, as they word them (documents, decisions, the export).
REFUSALS = [
    (re.compile(r"^the file is empty"), lambda m: _("The file is empty.")),
    (re.compile(r"^only PDF, Word"),
     lambda m: _("Only PDF, Word (.doc, .docx), PNG and JPEG files are accepted.")),
    (re.compile(r"^the content is not a (?P<kind>\w+) file"),
     lambda m: _("The file's content is not %(kind)s: it was not accepted.", kind=m["kind"])),
    (re.compile(r"^larger than (?P<n>\d+) bytes"),
     lambda m: _("The file is larger than %(mb)s MB.", mb=f"{int(m['n']) / 2**20:g}")),
    (re.compile(r"^read-only: decisions are taken in the case's own unit"),
     lambda m: _("Read-only: only the case's own unit acts on it.")),
    (re.compile(r"^only the handler or a leader over the case may request it"),
     lambda m: _("Only the case's handler or a leader over the case may record or request "
                 "a decision on it.")),
    (re.compile(r"^'(?P<matter>.+)' is not on the power list in force"),
     lambda m: _("%(matter)s is not on the power list in force.", matter=m["matter"])),
    (re.compile(r"^a committee matter is settled by a committee session"),
     lambda m: _("A committee matter is settled by a committee session.")),
    (re.compile(r"^awaiting (?P<role>\w+): you do not hold that power"),
     lambda m: _("This request awaits another decider: you do not hold that power on "
                 "this case.")),
    (re.compile(r"^the decision is (?P<status>\w+), not pending"),
     lambda m: _("This request has already been dealt with.")),
    (re.compile(r"^already with the committee"),
     lambda m: _("The request is already with the procuratorial committee.")),
    (re.compile(r"^decided by (?P<role>\w+)"),
     lambda m: _("You do not hold the power to decide this matter on this case.")),
]


def explain(exc: Exception) -> str:
    """A service's refusal in the user's language (its own words if unknown)."""
    text = str(exc)
    for pattern, render in REFUSALS:
        match = pattern.search(text)
        if match:
            return render(match)
    return text
