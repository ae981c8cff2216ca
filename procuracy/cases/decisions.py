"""Decisions under the power list (谁办案谁负责、谁决定谁负责).

``record_decision`` asks ``powers.may_decide`` under the list in force on the
day: allowed, the decision is recorded with its item and the list versions;
not allowed, it becomes a request routed to the role that decides. The people
who hold that power approve, return, change or escalate it (department head →
deputy chief → chief → committee); committee matters are settled by a committee
session (``meetings``, which also refers a joint meeting's disagreements here).
The chain is the ``DecisionStep`` rows; every action
also leaves a step on the case's timeline. Each action commits.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from procuracy.cases.decision_models import Decision, DecisionStep
from procuracy.cases.models import Case, CaseParticipant
from procuracy.cases.timeline import add_step
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants import powers
from procuracy.tenants.models import Unit, User
from procuracy.tenants.roles import COMMITTEE, DECISION_RANK, Role
from procuracy.tenants.scope import OutOfScope

ESCALATION = ("department_head", "deputy_chief", "chief", COMMITTEE)
REFERRAL_ESCALATION = ("department_head", "chief", COMMITTEE)  # joint-meeting disagreements
RANKED = ("prosecutor", "department_head", "deputy_chief", "chief")


class DecisionRejected(ValueError):
    """A decision the rules refuse for its content (answers 422 on ``field``)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def today() -> date:
    return utcnow().date()


# ---------------------------------------------------------------- who
def require_own_unit(actor: User, case: Case) -> None:
    if actor.unit_id != case.unit_id:
        raise PermissionError("read-only: decisions are taken in the case's own unit")


def acting_role(user: User, needed: str | None) -> str:
    """The lowest of the user's ranked roles that reaches ``needed`` (the role in
    which they act); their highest ranked role when none does."""
    held = [r for r in RANKED if r in user.role_names or (r == "prosecutor" and user.holds_quota)]
    if not held:
        return sorted(user.role_names)[0] if user.role_names else ""
    floor = DECISION_RANK.get(Role(needed), 0) if needed in RANKED else 0
    reaching = [r for r in held if DECISION_RANK[Role(r)] >= floor]
    return reaching[0] if reaching else held[-1]


def may_request(actor: User, case: Case) -> bool:
    """The handler, a prosecutor working on the case, or a leader over it."""
    if actor.unit_id != case.unit_id:
        return False
    if case.handler_id == actor.id or powers.holds_power(actor, "department_head", case):
        return True
    works_on = db.session.scalar(select(CaseParticipant.user_id).where(
        CaseParticipant.case_id == case.id, CaseParticipant.user_id == actor.id))
    return works_on is not None and (Role.PROSECUTOR in actor.role_names or actor.holds_quota)


def canonical_matter(case: Case, matter: str, on: date) -> str:
    """The matter's name when an item code was given: a code names one item, and
    the rule for the matter is the strictest of its items that apply to the case."""
    unit = db.session.get(Unit, case.unit_id)
    items = powers.effective_list(unit, on).for_matter(matter) if unit is not None else []
    return items[0].matter if items else matter


def require_power(actor: User, decision: Decision, case: Case) -> None:
    role = decision.awaiting_role
    if role == COMMITTEE:
        raise PermissionError("a committee matter is settled by a committee session")
    if not powers.holds_power(actor, role, case):
        raise PermissionError(f"awaiting {role}: you do not hold that power on this case")


# ---------------------------------------------------------------- recording
def record_decision(actor: User, case: Case, matter: str, content: str,
                    on: date | None = None) -> Decision:
    """Decide, or request the decision from the role the list gives it to."""
    require_own_unit(actor, case)
    on = on or today()
    if on > today():
        raise DecisionRejected("on", "a decision cannot be dated in the future")
    verdict = powers.may_decide(actor, canonical_matter(case, matter, on), case, on)
    if verdict.item is None:
        raise DecisionRejected("matter", verdict.reason or "not on the power list in force")
    decision = Decision(unit_id=case.unit_id, case_id=case.id, matter=verdict.item.matter,
                        item_code=verdict.item.code, power_versions=dict(verdict.versions),
                        content=content, requested_by_id=actor.id, effective_on=on)
    if verdict.allowed:
        role = acting_role(actor, verdict.decider_role)
        mark_decided(decision, actor, role)
        db.session.add(decision)
        db.session.flush()
        add_chain_step(decision, actor, role, "decided", "")
        add_step(case, "decided", actor.id, f"{decision.matter}（{decision.item_code}）",
                 {"decision": decision.public_id, "item": decision.item_code,
                  "versions": decision.power_versions})
    else:
        if not may_request(actor, case):
            raise PermissionError("only the handler or a leader over the case may request it")
        decision.status, decision.awaiting_role = "pending", verdict.decider_role
        db.session.add(decision)
        db.session.flush()
        add_chain_step(decision, actor, acting_role(actor, None), "requested", verdict.reason)
        add_step(case, "requested", actor.id, f"{decision.matter}：报{verdict.decider_role}决定",
                 {"decision": decision.public_id, "awaiting": verdict.decider_role})
    db.session.commit()
    return decision


# ---------------------------------------------------------------- acting on requests
def approve(actor: User, decision: Decision, note: str = "") -> Decision:
    decision, case = _open(actor, decision)
    _take(decision, actor, case, "approved", note)
    db.session.commit()
    return decision


def change(actor: User, decision: Decision, new_content: str, note: str = "") -> Decision:
    decision, case = _open(actor, decision)
    before = decision.content
    decision.content = new_content
    _take(decision, actor, case, "changed", note, {"changed_from": before})
    db.session.commit()
    return decision


def return_(actor: User, decision: Decision, note: str = "") -> Decision:
    """Back to the handler, who may record it again."""
    decision, case = _open(actor, decision)
    role = acting_role(actor, decision.awaiting_role)
    decision.status, decision.awaiting_role = "returned", ""
    add_chain_step(decision, actor, role, "returned", note)
    add_step(case, "decision_returned", actor.id, f"{decision.matter}：退回承办人",
             {"decision": decision.public_id, "note": note})
    db.session.commit()
    return decision


def escalate(actor: User, decision: Decision, note: str = "") -> Decision:
    """Up one level: department head → deputy chief → chief → committee (a joint
    meeting's disagreement goes from the department head to the chief)."""
    decision, case = _open(actor, decision)
    first = db.session.scalar(select(DecisionStep.action).where(
        DecisionStep.decision_id == decision.id, DecisionStep.seq == 1))
    referral = first == "referred"
    order = REFERRAL_ESCALATION if referral else ESCALATION
    current = decision.awaiting_role
    higher = [r for r in order if rank(r) > rank(current)]
    if not higher:
        raise DecisionRejected("awaiting_role", "already with the committee")
    role = acting_role(actor, current)
    decision.awaiting_role = higher[0]
    add_chain_step(decision, actor, role, "escalated", note or f"{current} → {higher[0]}")
    add_step(case, "decision_escalated", actor.id, f"{decision.matter}：报{higher[0]}",
             {"decision": decision.public_id, "from": current, "to": higher[0]})
    if referral:
        from procuracy.cases.meetings import follow_escalation

        follow_escalation(decision, higher[0])
    db.session.commit()
    return decision


# ---------------------------------------------------------------- reading
def pending_for(user: User) -> list[Decision]:
    """The decision inbox: requests of the user's unit awaiting a power they hold.
    Committee matters are not in anybody's inbox: see ``awaiting_committee``."""
    roles = user.role_names
    clauses = [(Decision.awaiting_role == "prosecutor") & (Case.handler_id == user.id)]
    if Role.CHIEF in roles:
        clauses.append(Decision.awaiting_role.in_(RANKED))
    elif Role.DEPUTY_CHIEF in roles:
        clauses.append(Decision.awaiting_role.in_(RANKED[:3]))
    elif Role.DEPARTMENT_HEAD in roles and user.department_id is not None:
        clauses.append(Decision.awaiting_role.in_(RANKED[:2])
                       & (Case.department_id == user.department_id))
    return list(db.session.scalars(
        select(Decision).join(Case, Case.id == Decision.case_id)
        .where(Decision.unit_id == user.unit_id, Decision.status == "pending", or_(*clauses))
        .order_by(Decision.created_at, Decision.id)))


def awaiting_committee(user: User) -> list[Decision]:
    return list(db.session.scalars(
        select(Decision).where(Decision.unit_id == user.unit_id, Decision.status == "pending",
                               Decision.awaiting_role == COMMITTEE)
        .order_by(Decision.created_at, Decision.id)))


def of_case(case: Case) -> list[Decision]:
    return list(db.session.scalars(
        select(Decision).where(Decision.case_id == case.id)
        .order_by(Decision.created_at, Decision.id)))


def decisions_out(decisions: list[Decision]) -> list[dict]:
    """Decisions with their chains: three queries whatever the number."""
    if not decisions:
        return []
    ids = [d.id for d in decisions]
    steps: dict[int, list[DecisionStep]] = {i: [] for i in ids}
    for s in db.session.scalars(select(DecisionStep).where(DecisionStep.decision_id.in_(ids))
                                .order_by(DecisionStep.decision_id, DecisionStep.seq)):
        steps[s.decision_id].append(s)
    case_ids = {d.case_id for d in decisions}
    cases = dict(db.session.execute(select(Case.id, Case.public_id)
                                    .where(Case.id.in_(case_ids))).all())
    user_ids = {s.actor_id for ss in steps.values() for s in ss}
    user_ids |= {d.requested_by_id for d in decisions} | {d.decided_by_id for d in decisions}
    names = dict(db.session.execute(select(User.id, User.username)
                                    .where(User.id.in_(user_ids - {None}))).all())
    return [{
        "id": d.public_id, "case": cases.get(d.case_id), "matter": d.matter,
        "item_code": d.item_code, "power_versions": d.power_versions, "content": d.content,
        "status": d.status, "awaiting_role": d.awaiting_role,
        "requested_by": names.get(d.requested_by_id), "decided_by": names.get(d.decided_by_id),
        "decided_role": d.decided_role, "decided_at": d.decided_at,
        "effective_on": d.effective_on,
        "chain": [{"seq": s.seq, "action": s.action, "role": s.role,
                   "actor": names.get(s.actor_id), "note": s.note, "at": s.at}
                  for s in steps[d.id]],
    } for d in decisions]


# ---------------------------------------------------------------- internals
def rank(role: str) -> int:
    return len(RANKED) + 1 if role == COMMITTEE else RANKED.index(role) + 1


def mark_decided(decision: Decision, actor: User, role: str) -> None:
    decision.status, decision.awaiting_role = "decided", ""
    decision.decided_by_id, decision.decided_role = actor.id, role
    decision.decided_at = utcnow()


def add_chain_step(decision: Decision, actor: User, role: str, action: str, note: str) -> None:
    last = db.session.scalar(select(DecisionStep.seq).where(
        DecisionStep.decision_id == decision.id).order_by(DecisionStep.seq.desc()))
    db.session.add(DecisionStep(unit_id=decision.unit_id, decision_id=decision.id,
                                case_id=decision.case_id, seq=(last or 0) + 1,
                                actor_id=actor.id, role=role, action=action, note=note or ""))


def _open(actor: User, decision: Decision) -> tuple[Decision, Case]:
    """The decision re-read under a row lock, still pending, and the actor's power.
    (Checked for the unit first: on PostgreSQL a row outside one's write units
    cannot be locked, and would look missing.)"""
    if decision.unit_id != actor.unit_id:
        raise PermissionError("read-only: decisions are taken in the case's own unit")
    locked = db.session.scalars(
        select(Decision).where(Decision.id == decision.id).with_for_update()
        .execution_options(populate_existing=True)).first()
    if locked is None:
        raise OutOfScope(f"Decision {decision.public_id}")
    case = db.session.get(Case, locked.case_id)
    if case is None:
        raise OutOfScope(f"Case of decision {decision.public_id}")
    require_own_unit(actor, case)
    if locked.status != "pending":
        raise DecisionRejected("status", f"the decision is {locked.status}, not pending")
    require_power(actor, locked, case)
    return locked, case


def _take(decision: Decision, actor: User, case: Case, action: str, note: str,
          detail: dict | None = None) -> None:
    """Approve or change: the actor decides under the list in force today."""
    on = today()
    verdict = powers.may_decide(actor, decision.matter, case, on)
    if verdict.item is not None:
        if not verdict.allowed:
            raise PermissionError(verdict.reason)
        decision.item_code, decision.power_versions = verdict.item.code, dict(verdict.versions)
    role = acting_role(actor, decision.awaiting_role)
    decision.effective_on = on
    mark_decided(decision, actor, role)
    add_chain_step(decision, actor, role, action, note)
    add_step(case, "decided", actor.id, f"{decision.matter}（{decision.item_code}）",
             {"decision": decision.public_id, "action": action,
              "versions": decision.power_versions, **(detail or {})})
