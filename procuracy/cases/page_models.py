"""View models of the case pages: what a page needs beyond one service call,
each in a fixed number of statements whatever the number of rows.

Everything reads through the request's scope; nothing here writes.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from procuracy.cases import assignment as engine
from procuracy.cases import catalogue
from procuracy.cases.calendar import china_today
from procuracy.cases.clocks import clock_out
from procuracy.cases.decisions import may_request
from procuracy.cases.models import Case, CaseClock
from procuracy.cases.rotation import rotation_board
from procuracy.extensions import db
from procuracy.tenants import powers
from procuracy.tenants.models import Unit, User
from procuracy.tenants.roles import Role

DECIDERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.DEPARTMENT_HEAD,
                      Role.COMMITTEE_MEMBER})
COMMITTEE_READERS = ("chief", "deputy_chief", "committee_member")
ROLE_IN_SUMMARY = re.compile(r"报(?P<role>[a-z_]+)")


def decides(user) -> bool:
    """Whether the user has a decision inbox worth a link (leaders and committee)."""
    return user is not None and bool(user.role_names & DECIDERS)


# ---------------------------------------------------------------- clocks
def running_clocks(case_ids: list[int], today: date | None = None) -> dict[int, list[dict]]:
    """The running clocks of these cases, soonest due first: one statement."""
    out: dict[int, list[dict]] = {i: [] for i in case_ids}
    if not case_ids:
        return out
    today = today or china_today()
    for clock in db.session.scalars(
            select(CaseClock).where(CaseClock.case_id.in_(case_ids),
                                    CaseClock.stopped_on.is_(None))
            .order_by(CaseClock.due_on, CaseClock.id)):
        out[clock.case_id].append(clock_out(clock, today))
    return out


def case_clocks(case: Case, today: date | None = None) -> list[dict]:
    """Every clock of one case (running first), with the stage's name."""
    today = today or china_today()
    clocks = [clock_out(c, today) for c in db.session.scalars(
        select(CaseClock).where(CaseClock.case_id == case.id)
        .order_by(CaseClock.stopped_on.is_not(None), CaseClock.due_on, CaseClock.id))]
    kind = catalogue.kind_for_case(case) if clocks else None
    stages = {s.code: s.name for s in catalogue.stages_of(kind)} if kind else {}
    for c in clocks:
        c["stage_name"] = stages.get(c["stage_code"], c["stage_code"])
    return clocks


# ---------------------------------------------------------------- deciding
def matter_options(user, case: Case) -> list[dict]:
    """The matters of the power list in force that apply to this case, each with
    who decides it and whether ``user`` does (otherwise recording it requests it)."""
    unit = db.session.get(Unit, case.unit_id)
    if unit is None:
        return []
    effective = powers.effective_list(unit)
    options, seen = [], set()
    for item in sorted(effective.items, key=lambda i: (i.category, i.code)):
        if item.matter in seen:
            continue
        governing = powers.decider_for(effective, item.matter, case)
        if governing is None:
            continue
        seen.add(item.matter)
        options.append({"matter": item.matter, "category": item.category,
                        "code": governing.code, "decider_role": governing.decider_role,
                        "mine": powers.holds_power(user, governing.decider_role, case)})
    return options


def may_record(user, case: Case) -> bool:
    """The decision form is shown to the handler, prosecutors on the case and the
    leaders over it, in the case's own unit."""
    return user.unit_id == case.unit_id and (
        may_request(user, case) or powers.holds_power(user, "department_head", case))


# ---------------------------------------------------------------- names and references
def full_names(usernames) -> dict[str, str]:
    names = {n for n in usernames if n}
    if not names:
        return {}
    return dict(db.session.execute(
        select(User.username, User.full_name).where(User.username.in_(names))).all())


def case_refs(public_ids) -> dict[str, dict]:
    """Number and title of each case by public id: one statement."""
    ids = {p for p in public_ids if p}
    if not ids:
        return {}
    return {pid: {"number": number, "title": title} for pid, number, title in
            db.session.execute(select(Case.public_id, Case.number, Case.title)
                               .where(Case.public_id.in_(ids)))}


def timeline_view(steps: list[dict], decisions: list[dict], documents: list[dict]) -> list[dict]:
    """Steps with what they refer to: the decision and its chain, the draw, the document."""
    by_decision = {d["id"]: d for d in decisions}
    by_document = {d["id"]: d for d in documents}
    out = []
    for step in steps:
        detail = step.get("detail") or {}
        out.append({**step, "summary": _named_roles(step.get("summary") or ""),
                    "decision": by_decision.get(detail.get("decision")),
                    "draw": detail.get("draw"),
                    "document": by_document.get(detail.get("document"))})
    return out


def _named_roles(summary: str) -> str:
    """"撤回起诉：报chief决定" (a request's step names the role by its code) with the
    role's name, as every other page names it."""
    from procuracy.tenants.views_common import DECIDER_LABELS

    return ROLE_IN_SUMMARY.sub(
        lambda m: f"报{DECIDER_LABELS[m['role']]}" if m["role"] in DECIDER_LABELS else m[0],
        summary)


# ---------------------------------------------------------------- rotation
def rotation_view(group) -> dict:
    """The rotation board with what each member is owed: the weighted load they
    are behind the lowest other active member (an absence is not made up)."""
    board = rotation_board(group)
    pool = [engine.candidate(0, m["load"], m["share_num"], m["share_den"], m["status"])
            for m in board["members"]]
    for i, (member, entry) in enumerate(zip(board["members"], pool, strict=True)):
        others = [c for j, c in enumerate(pool) if j != i]
        floor = engine.floor_normalised(others)
        if member["status"] == "absent" or floor is None:
            member["owed"] = None
            continue
        behind = floor * member["share_num"] / member["share_den"] - entry["load"]
        member["owed"] = round(max(behind, 0.0), 2)
    return board
