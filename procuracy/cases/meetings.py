"""Prosecutors' joint meetings (检察官联席会议) and committee sessions (检委会).

A meeting has an agenda, participants and cases. Each participant's opinion on
each case is agree / disagree / abstain on the question the agenda puts. On
closing, the majority is taken per case. In a joint meeting the majority is the
other participants'; when the handler disagrees with it the case goes up as a
pending decision to the department head (then the chief). A committee session's
majority settles the committee matters pending on its cases.

Participants are recorded as "attended" steps on each case's timeline (the
model has no participants table): the handler attending counts as their own
work in the leaders' report. Each action commits.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from procuracy.cases import decisions
from procuracy.cases.decision_models import Decision, Meeting, MeetingCase, MeetingOpinion
from procuracy.cases.models import Case, CaseStep
from procuracy.cases.timeline import add_step
from procuracy.extensions import db
from procuracy.tenants import powers
from procuracy.tenants.models import User
from procuracy.tenants.roles import COMMITTEE, Role

KINDS = ("joint", "committee")
POSITIONS = ("agree", "disagree", "abstain")
LABELS = {"joint": "检察官联席会议", "committee": "检察委员会"}
DEFAULT_MATTER = "联席会议意见分歧"


class MeetingRejected(decisions.DecisionRejected):
    """A meeting change the rules refuse (answers 422 on ``field``)."""


# ---------------------------------------------------------------- who
def _may_convene(user: User, kind: str) -> bool:
    roles = user.role_names
    if kind == "committee":
        return bool(roles & {Role.CHIEF, Role.DEPUTY_CHIEF})
    return bool(roles & {Role.PROSECUTOR, Role.DEPARTMENT_HEAD, Role.DEPUTY_CHIEF, Role.CHIEF})


def _may_sit(user: User, kind: str) -> bool:
    if kind == "committee":
        return bool(user.role_names & {Role.COMMITTEE_MEMBER, Role.CHIEF})
    return Role.PROSECUTOR in user.role_names or user.holds_quota


def _runs(user: User, meeting: Meeting) -> bool:
    return (user.unit_id == meeting.unit_id
            and (user.id in (meeting.created_by_id, meeting.chaired_by_id)
                 or Role.CHIEF in user.role_names))


# ---------------------------------------------------------------- actions
def create_meeting(actor: User, kind: str, held_on: date, agenda: str,
                   participants: list[User], cases: list[Case],
                   chair: User | None = None) -> Meeting:
    if kind not in KINDS:
        raise MeetingRejected("kind", f"one of {', '.join(KINDS)}")
    if not _may_convene(actor, kind):
        raise PermissionError(f"you may not convene a {kind} meeting")
    if not cases:
        raise MeetingRejected("cases", "at least one case")
    for case in cases:
        decisions.require_own_unit(actor, case)
    chair = chair or actor
    people = list({p.id: p for p in [*participants, chair]}.values())
    for person in people:
        if person.unit_id != actor.unit_id or not _may_sit(person, kind):
            raise MeetingRejected("participants", f"{person.username} may not sit in it")
    meeting = Meeting(unit_id=actor.unit_id, kind=kind, held_on=held_on, agenda=agenda,
                      chaired_by_id=chair.id, created_by_id=actor.id)
    db.session.add(meeting)
    db.session.flush()
    for case in cases:
        db.session.add(MeetingCase(unit_id=case.unit_id, meeting_id=meeting.id, case_id=case.id))
        for person in people:
            add_step(case, "attended", person.id, f"出席{LABELS[kind]}",
                     {"meeting": meeting.public_id, "kind": kind})
    db.session.commit()
    return meeting


def record_opinion(actor: User, meeting: Meeting, case: Case, participant: User,
                   position: str, opinion: str) -> MeetingOpinion:
    """One opinion per participant per case; recorded again, it replaces the last."""
    if actor.unit_id != meeting.unit_id:
        raise PermissionError("read-only: opinions are recorded in the meeting's own unit")
    if position not in POSITIONS:
        raise MeetingRejected("position", f"one of {', '.join(POSITIONS)}")
    if meeting.outcome:
        raise MeetingRejected("meeting", "the meeting is closed")
    if actor.id != participant.id and not _runs(actor, meeting):
        raise PermissionError("only the participant or whoever runs the meeting records it")
    if db.session.get(MeetingCase, (meeting.id, case.id)) is None:
        raise MeetingRejected("case", "the case is not on this meeting's agenda")
    if participant.id not in participants_of(meeting, [case.id]):
        raise MeetingRejected("participant", f"{participant.username} did not attend")
    row = db.session.scalars(select(MeetingOpinion).where(
        MeetingOpinion.meeting_id == meeting.id, MeetingOpinion.case_id == case.id,
        MeetingOpinion.participant_id == participant.id)).first()
    if row is None:
        row = MeetingOpinion(unit_id=meeting.unit_id, meeting_id=meeting.id, case_id=case.id,
                             participant_id=participant.id, opinion=opinion, position=position)
        db.session.add(row)
    else:
        row.opinion, row.position = opinion, position
    db.session.commit()
    return row


def close_meeting(actor: User, meeting: Meeting, outcome: str,
                  per_case: dict[int, dict] | None = None) -> Meeting:
    """Record the outcome and the majority per case, and act on it.

    ``per_case`` (by case id) may give ``matter`` (what a joint meeting's
    disagreement asks to decide) and ``handler_agrees`` (overrides the comparison
    of the handler's own opinion with the majority)."""
    if not _runs(actor, meeting):
        raise PermissionError("only whoever convened or chairs the meeting closes it")
    if meeting.outcome:
        raise MeetingRejected("meeting", "the meeting is already closed")
    if not outcome.strip():
        raise MeetingRejected("outcome", "an outcome is required")
    per_case = per_case or {}
    rows = db.session.scalars(select(MeetingCase).where(MeetingCase.meeting_id == meeting.id)).all()
    cases = {c.id: c for c in db.session.scalars(
        select(Case).where(Case.id.in_([r.case_id for r in rows])))}
    opinions = db.session.scalars(select(MeetingOpinion).where(
        MeetingOpinion.meeting_id == meeting.id)).all()
    if len(cases) != len(rows):
        raise PermissionError("you cannot read every case of this meeting")
    for row in rows:
        case = cases[row.case_id]
        mine = [o for o in opinions if o.case_id == case.id]
        extra = per_case.get(case.id, {})
        if meeting.kind == "joint":
            _close_joint(actor, meeting, row, case, mine, extra)
        else:
            _close_committee(actor, meeting, row, case, mine)
        add_step(case, "meeting_concluded", actor.id, f"{LABELS[meeting.kind]}：{row.majority_opinion}",
                 {"meeting": meeting.public_id, "escalated_to": row.escalated_to})
    meeting.outcome = outcome
    db.session.commit()
    return meeting


def _majority(opinions: list[MeetingOpinion]) -> tuple[str | None, str]:
    counts = Counter(o.position for o in opinions)
    agree, disagree = counts["agree"], counts["disagree"]
    position = "agree" if agree > disagree else "disagree" if disagree > agree else None
    label = {"agree": "同意", "disagree": "不同意", None: "无多数意见"}[position]
    said = "；".join(dict.fromkeys(o.opinion for o in opinions
                                   if o.position == position and o.opinion))
    text = f"{label}（同意{agree}、不同意{disagree}、弃权{counts['abstain']}）"
    return position, f"{text}：{said}" if said else text


def _close_joint(actor, meeting, row, case, opinions, extra) -> None:
    others = [o for o in opinions if o.participant_id != case.handler_id]
    position, row.majority_opinion = _majority(others)
    own = next((o for o in opinions if o.participant_id == case.handler_id), None)
    agrees = extra.get("handler_agrees")
    if agrees is None and position is not None and own is not None and own.position != "abstain":
        agrees = own.position == position
    row.handler_agrees = agrees
    if agrees is not False or position is None:
        return
    matter = extra.get("matter") or DEFAULT_MATTER
    awaiting = _first_above_handler(case, matter, meeting.held_on)
    handler_view = f"；承办人意见：{own.opinion}" if own is not None and own.opinion else ""
    _refer(actor, case, matter, f"多数意见：{row.majority_opinion}{handler_view}",
           awaiting, meeting)
    row.escalated_to = awaiting


def _first_above_handler(case: Case, matter: str, on: date) -> str:
    """The department head; the chief when the handler is a department head; and
    never below the role the list reserves the matter to."""
    handler = db.session.get(User, case.handler_id) if case.handler_id else None
    if handler is None:
        return "department_head"
    awaiting = "chief" if powers.holds_power(handler, "department_head", case) else "department_head"
    reserved = powers.may_decide(handler, matter, case, on).decider_role
    if reserved and decisions.rank(reserved) > decisions.rank(awaiting):
        awaiting = reserved
    return awaiting


def _close_committee(actor, meeting, row, case, opinions) -> None:
    position, row.majority_opinion = _majority(opinions)
    if position is None:
        return
    pending = db.session.scalars(select(Decision).where(
        Decision.case_id == case.id, Decision.status == "pending",
        Decision.awaiting_role == COMMITTEE)).all()
    for decision in pending:
        _settle(actor, decision, position == "agree", row.majority_opinion, meeting, case)


def _refer(actor: User, case: Case, matter: str, content: str, awaiting: str,
           meeting: Meeting) -> Decision:
    """The disagreement, sent up as a pending decision (its chain starts "referred")."""
    matter = decisions.canonical_matter(case, matter, meeting.held_on)
    verdict = powers.may_decide(actor, matter, case, meeting.held_on)
    decision = Decision(unit_id=case.unit_id, case_id=case.id, matter=matter,
                        item_code=verdict.item.code if verdict.item else "",
                        power_versions=dict(verdict.versions), content=content,
                        status="pending", awaiting_role=awaiting,
                        requested_by_id=case.handler_id or actor.id, effective_on=meeting.held_on)
    db.session.add(decision)
    db.session.flush()
    decisions.add_chain_step(decision, actor, "joint_meeting", "referred", content)
    add_step(case, "meeting_referred", actor.id, f"联席会议意见分歧，报{awaiting}",
             {"decision": decision.public_id, "meeting": meeting.public_id, "awaiting": awaiting})
    return decision


def follow_escalation(decision: Decision, role: str) -> None:
    """A referred decision went up: the meeting case says where it is now."""
    steps = db.session.scalars(select(CaseStep).where(
        CaseStep.case_id == decision.case_id, CaseStep.kind == "meeting_referred")).all()
    meeting_id = next((s.detail.get("meeting") for s in steps
                       if s.detail.get("decision") == decision.public_id), None)
    row = db.session.scalars(
        select(MeetingCase).join(Meeting, Meeting.id == MeetingCase.meeting_id)
        .where(Meeting.public_id == meeting_id, MeetingCase.case_id == decision.case_id)).first()
    if row is not None:
        row.escalated_to = role


def _settle(actor: User, decision: Decision, approved: bool, note: str,
            meeting: Meeting, case: Case) -> None:
    """The committee's majority on a committee matter pending on the case."""
    if approved:
        verdict = powers.may_decide(actor, decision.matter, case, meeting.held_on)
        if verdict.item is not None:
            decision.item_code, decision.power_versions = verdict.item.code, verdict.versions
        decision.effective_on = meeting.held_on
        decisions.mark_decided(decision, actor, COMMITTEE)
        decisions.add_chain_step(decision, actor, COMMITTEE, "approved", note)
        add_step(case, "decided", actor.id, f"检委会决定：{decision.matter}",
                 {"decision": decision.public_id, "meeting": meeting.public_id})
    else:
        decision.status, decision.awaiting_role = "returned", ""
        decisions.add_chain_step(decision, actor, COMMITTEE, "returned", note)
        add_step(case, "decision_returned", actor.id, f"检委会未通过：{decision.matter}",
                 {"decision": decision.public_id, "meeting": meeting.public_id})


# ---------------------------------------------------------------- reading
def participants_of(meeting: Meeting, case_ids: list[int]) -> list[int]:
    """Who attended, from the "attended" steps on the meeting's cases."""
    steps = db.session.scalars(select(CaseStep).where(
        CaseStep.case_id.in_(case_ids), CaseStep.kind == "attended")).all()
    found = [s.actor_id for s in steps if s.detail.get("meeting") == meeting.public_id]
    return list(dict.fromkeys(found))


def visible_meetings(kind: str | None = None) -> list[Meeting]:
    query = select(Meeting).where(*([Meeting.kind == kind] if kind else []))
    return list(db.session.scalars(query.order_by(Meeting.held_on.desc(), Meeting.id.desc())
                                   .limit(500)))


def meetings_out(meetings: list[Meeting]) -> list[dict]:
    """Meetings with the cases the reader may see, their opinions and participants."""
    if not meetings:
        return []
    ids = [m.id for m in meetings]
    rows = db.session.scalars(select(MeetingCase).where(MeetingCase.meeting_id.in_(ids))).all()
    case_ids = {r.case_id for r in rows}
    cases = dict(db.session.execute(select(Case.id, Case.public_id)
                                    .where(Case.id.in_(case_ids))).all())
    opinions = db.session.scalars(select(MeetingOpinion).where(
        MeetingOpinion.meeting_id.in_(ids), MeetingOpinion.case_id.in_(list(cases)))).all()
    steps = db.session.scalars(select(CaseStep).where(
        CaseStep.case_id.in_(list(cases)), CaseStep.kind == "attended")).all()
    by_pid = {m.public_id: m.id for m in meetings}
    attended: dict[int, dict[int, None]] = {i: {} for i in ids}
    for s in steps:
        mid = by_pid.get(s.detail.get("meeting"))
        if mid is not None:
            attended[mid][s.actor_id] = None
    user_ids = {o.participant_id for o in opinions} | {u for a in attended.values() for u in a}
    user_ids |= {m.chaired_by_id for m in meetings} | {m.created_by_id for m in meetings}
    names = dict(db.session.execute(select(User.id, User.username)
                                    .where(User.id.in_(user_ids - {None}))).all())
    out = []
    for m in meetings:
        mine = [r for r in rows if r.meeting_id == m.id and r.case_id in cases]
        out.append({
            "id": m.public_id, "kind": m.kind, "held_on": m.held_on, "agenda": m.agenda,
            "outcome": m.outcome, "closed": bool(m.outcome),
            "chair": names.get(m.chaired_by_id), "created_by": names.get(m.created_by_id),
            "participants": [names.get(u) for u in attended[m.id]],
            "cases": [{
                "case": cases[r.case_id], "majority_opinion": r.majority_opinion,
                "handler_agrees": r.handler_agrees, "escalated_to": r.escalated_to,
                "opinions": [{"participant": names.get(o.participant_id),
                              "position": o.position, "opinion": o.opinion}
                             for o in opinions
                             if o.meeting_id == m.id and o.case_id == r.case_id],
            } for r in mine],
        })
    return out
