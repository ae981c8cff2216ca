"""Display labels of the monitoring pages, in the user's language: severities, steps,
rule kinds, origins, notice states, the parameters a unit may adjust.

Each carries the context "monitoring" (other areas word "Major" or "Open" otherwise):
extract with ``-k lazy_pgettext:1c,2``.
"""

from __future__ import annotations

from flask_babel import lazy_pgettext

SEVERITY_LABELS = {
    "minor": lazy_pgettext("monitoring", "Minor"),
    "normal": lazy_pgettext("monitoring", "Normal"),
    "major": lazy_pgettext("monitoring", "Major"),
    "serious": lazy_pgettext("monitoring", "Serious"),
}
STEP_LABELS = {
    "reminder": lazy_pgettext("monitoring", "Reminder"),
    "notice": lazy_pgettext("monitoring", "Monitoring notice"),
}
KIND_LABELS = {
    "due_soon": lazy_pgettext("monitoring", "Limit about to run out"),
    "overdue": lazy_pgettext("monitoring", "Limit overrun"),
    "missing_document": lazy_pgettext("monitoring", "Required document missing"),
    "missing_field": lazy_pgettext("monitoring", "Case-card field missing"),
    "long_unclosed": lazy_pgettext("monitoring", "Long-unclosed case"),
    "designated": lazy_pgettext("monitoring", "Designated assignment"),
    "leader_case": lazy_pgettext("monitoring", "Leader's case outside the line's definition"),
}
ORIGIN_LABELS = {
    "province": lazy_pgettext("monitoring", "Province"),
    "own": lazy_pgettext("monitoring", "Own adjustment"),
    "inherited": lazy_pgettext("monitoring", "Adjusted above"),
}
NOTICE_STATE_LABELS = {
    "open": lazy_pgettext("monitoring", "Awaiting answer"),
    "answered": lazy_pgettext("monitoring", "Answered"),
    "overdue": lazy_pgettext("monitoring", "Answer overdue"),
    "escalated": lazy_pgettext("monitoring", "Escalated"),
    "closed": lazy_pgettext("monitoring", "Closed"),
}
ALERT_STATUS_LABELS = {
    "open": lazy_pgettext("monitoring", "Open"),
    "closed": lazy_pgettext("monitoring", "Cleared"),
}
PARAM_LABELS = {
    "days": lazy_pgettext("monitoring", "Days"),
    "grace_days": lazy_pgettext("monitoring", "Days of grace"),
    "kinds": lazy_pgettext("monitoring", "Case kinds"),
    "exclude": lazy_pgettext("monitoring", "Except case kinds"),
}

LABELS = {
    "severity_labels": SEVERITY_LABELS,
    "step_labels": STEP_LABELS,
    "kind_labels": KIND_LABELS,
    "origin_labels": ORIGIN_LABELS,
    "notice_state_labels": NOTICE_STATE_LABELS,
    "alert_status_labels": ALERT_STATUS_LABELS,
    "param_labels": PARAM_LABELS,
}
