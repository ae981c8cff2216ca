"""Roles held by users, and the groups of roles the access rules speak of."""
from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    CHIEF = "chief"
    DEPUTY_CHIEF = "deputy_chief"
    COMMITTEE_MEMBER = "committee_member"
    DEPARTMENT_HEAD = "department_head"
    PROSECUTOR = "prosecutor"
    ASSISTANT = "assistant"
    CLERK = "clerk"
    CASE_MANAGER = "case_manager"
    INSPECTOR = "inspector"
    UNIT_ADMIN = "unit_admin"


ROLE_LABELS = {
    Role.CHIEF: _l("Chief prosecutor"),
    Role.DEPUTY_CHIEF: _l("Deputy chief"),
    Role.COMMITTEE_MEMBER: _l("Committee member"),
    Role.DEPARTMENT_HEAD: _l("Department head"),
    Role.PROSECUTOR: _l("Prosecutor"),
    Role.ASSISTANT: _l("Prosecutor's assistant"),
    Role.CLERK: _l("Clerk"),
    Role.CASE_MANAGER: _l("Case manager"),
    Role.INSPECTOR: _l("Inspector"),
    Role.UNIT_ADMIN: _l("Unit administrator"),
}

# Read the whole own unit's cases.
WHOLE_UNIT_READERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER, Role.INSPECTOR})
# Read all descendants' data, read-only.
SUPERVISORS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER, Role.INSPECTOR})
# See who read their unit's data.
ACCESS_LOG_READERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.CASE_MANAGER, Role.UNIT_ADMIN})
# Decision ranks: a matter decided by a role may be decided by any higher rank.
DECISION_RANK = {
    Role.PROSECUTOR: 1,
    Role.DEPARTMENT_HEAD: 2,
    Role.DEPUTY_CHIEF: 3,
    Role.CHIEF: 4,
}
COMMITTEE = "committee"  # a body, not a role a user holds
DECIDERS = ("prosecutor", "department_head", "deputy_chief", "chief", "committee")
