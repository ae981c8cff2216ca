"""Joint meetings (联席会议) and committee sessions (检委会): agenda, participants,
opinions, outcome; a handler who disagrees with the majority sends the case to
the department head, then the chief; a committee session settles committee matters."""
from datetime import date

import pytest
from sqlalchemy import select

from procuracy.cases import decisions, meetings
from procuracy.cases.decision_models import Decision, MeetingCase
from procuracy.cases.models import Case, CaseStep
from procuracy.extensions import db
from procuracy.tenants.models import User

NON_PROSECUTION = "不起诉（相对不起诉）"  # XJ-048 prosecutor (not major) / XJ-049 chief (major)
DOUBT = "不起诉（存疑不起诉）"  # XJ-051 committee (major)


def _users(*names):
    rows = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}
    return [rows[n] for n in names]


def _joint(as_user, case_id, convener="depthead1@440105"):
    """A joint meeting on the case with prosecutors 1–4 (prosecutor1 handles it)."""
    with as_user(convener) as me:
        people = _users(*(f"prosecutor{i}@440105" for i in range(1, 5)))
        meeting = meetings.create_meeting(me, "joint", date(2026, 3, 10), "是否相对不起诉",
                                          people, [db.session.get(Case, case_id)])
        db.session.refresh(meeting)
        return meeting


def _opinions(as_user, meeting, case_id, positions, recorder="depthead1@440105"):
    with as_user(recorder) as me:
        case = db.session.get(Case, case_id)
        for name, position in positions.items():
            who, = _users(name)
            meetings.record_opinion(me, meeting, case, who, position, f"{name}：{position}")


def test_the_handler_disagreeing_with_the_majority_goes_to_the_department_head_then_the_chief(
        as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    meeting = _joint(as_user, case_id)
    _opinions(as_user, meeting, case_id, {
        "prosecutor1@440105": "agree", "prosecutor2@440105": "disagree",
        "prosecutor3@440105": "disagree", "prosecutor4@440105": "agree"})
    with as_user("depthead1@440105") as head:
        # The chair (the convener) sat too; with their vote the majority disagrees.
        meetings.record_opinion(head, meeting, db.session.get(Case, case_id), head,
                                "disagree", "证据不足以不诉")
        meetings.close_meeting(head, meeting, "多数意见不同意相对不起诉",
                               {case_id: {"matter": NON_PROSECUTION}})
        row = db.session.scalars(select(MeetingCase).where(MeetingCase.case_id == case_id)).one()
        assert (row.handler_agrees, row.escalated_to) == (False, "department_head")
        assert row.majority_opinion.startswith("不同意（同意1、不同意3")
        pending, = decisions.pending_for(head)
        assert (pending.matter, pending.awaiting_role) == (NON_PROSECUTION, "department_head")
        assert pending.item_code == "XJ-048"
        decisions.escalate(head, pending, "承办人坚持己见")
        assert pending.awaiting_role == "chief"  # the deputy is skipped for disagreements
        db.session.refresh(row)
        assert row.escalated_to == "chief"
    with as_user("chief1@440105") as chief:
        decisions.approve(chief, pending, "同意多数意见")
        out = decisions.decisions_out([pending])[0]
        assert [(s["action"], s["role"]) for s in out["chain"]] == [
            ("referred", "joint_meeting"), ("escalated", "department_head"),
            ("approved", "chief")]


def test_a_handler_who_agrees_is_not_escalated(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    meeting = _joint(as_user, case_id)
    _opinions(as_user, meeting, case_id, {
        "prosecutor1@440105": "agree", "prosecutor2@440105": "agree",
        "prosecutor3@440105": "disagree", "prosecutor4@440105": "agree"})
    with as_user("depthead1@440105") as head:
        meetings.close_meeting(head, meeting, "同意承办人意见")
        row = db.session.scalars(select(MeetingCase).where(MeetingCase.case_id == case_id)).one()
        assert (row.handler_agrees, row.escalated_to) == (True, "")
        assert decisions.pending_for(head) == []


def test_participants_attend_on_the_timeline_and_only_they_give_opinions(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    meeting = _joint(as_user, case_id)
    with as_user("depthead1@440105") as head:
        steps = db.session.scalars(select(CaseStep).where(
            CaseStep.case_id == case_id, CaseStep.kind == "attended")).all()
        people = _users(*(f"prosecutor{i}@440105" for i in range(1, 5)), "depthead1@440105")
        assert {s.actor_id for s in steps} == {p.id for p in people}
        case = db.session.get(Case, case_id)
        clerk, = _users("clerk1@440105")
        with pytest.raises(meetings.MeetingRejected):
            meetings.record_opinion(head, meeting, case, clerk, "agree", "")
        with pytest.raises(meetings.MeetingRejected):
            meetings.record_opinion(head, meeting, case, head, "maybe", "")
        meetings.close_meeting(head, meeting, "散会")
        with pytest.raises(meetings.MeetingRejected):
            meetings.record_opinion(head, meeting, case, head, "agree", "")
        with pytest.raises(meetings.MeetingRejected):
            meetings.close_meeting(head, meeting, "再散会")
    with as_user("prosecutor2@440105") as other, pytest.raises(PermissionError):
        meetings.close_meeting(other, meeting, "不是我开的会")


def test_a_committee_session_decides_a_committee_matter(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105", major=True)
    with as_user("prosecutor1@440105") as me:
        request = decisions.record_decision(me, db.session.get(Case, case_id), DOUBT, "存疑不诉")
        assert (request.awaiting_role, request.item_code) == ("committee", "XJ-051")
    with as_user("chief1@440105") as chief:
        with pytest.raises(PermissionError):
            decisions.approve(chief, request)  # no single person decides it
        members = _users("chief1@440105", "deputy1@440105")
        session = meetings.create_meeting(chief, "committee", date(2026, 3, 20),
                                          "审议存疑不起诉", members,
                                          [db.session.get(Case, case_id)])
        case = db.session.get(Case, case_id)
        for member in members:
            meetings.record_opinion(chief, session, case, member, "agree", "同意存疑不起诉")
        meetings.close_meeting(chief, session, "决定存疑不起诉")
        decision = db.session.scalars(select(Decision).where(Decision.case_id == case_id)).one()
        assert (decision.status, decision.decided_role) == ("decided", "committee")
        assert decision.effective_on == date(2026, 3, 20)
        assert [s["action"] for s in decisions.decisions_out([decision])[0]["chain"]] == [
            "requested", "approved"]


def test_a_committee_majority_against_returns_the_request(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105", major=True)
    with as_user("prosecutor1@440105") as me:
        decisions.record_decision(me, db.session.get(Case, case_id), DOUBT, "存疑不诉")
    with as_user("chief1@440105") as chief:
        members = _users("chief1@440105", "deputy1@440105")
        session = meetings.create_meeting(chief, "committee", date(2026, 3, 20), "审议",
                                          members, [db.session.get(Case, case_id)])
        case = db.session.get(Case, case_id)
        for member in members:
            meetings.record_opinion(chief, session, case, member, "disagree", "继续侦查")
        meetings.close_meeting(chief, session, "不同意")
        decision = db.session.scalars(select(Decision).where(Decision.case_id == case_id)).one()
        assert (decision.status, decision.awaiting_role) == ("returned", "")


def test_who_may_convene_and_sit(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("depthead1@440105") as head:
        case = db.session.get(Case, case_id)
        with pytest.raises(PermissionError):  # committee sessions are the chief's
            meetings.create_meeting(head, "committee", date(2026, 3, 1), "x", [], [case])
    with as_user("chief1@440105") as chief:
        case = db.session.get(Case, case_id)
        with pytest.raises(meetings.MeetingRejected):  # prosecutors do not sit on it
            meetings.create_meeting(chief, "committee", date(2026, 3, 1), "x",
                                    _users("prosecutor2@440105"), [case])
        with pytest.raises(meetings.MeetingRejected):  # clerks do not sit in joint meetings
            meetings.create_meeting(chief, "joint", date(2026, 3, 1), "x",
                                    _users("clerk1@440105"), [case])


# ---------------------------------------------------------------- the API
def test_api_joint_meeting_escalation_and_committee(client, token_for, make_case):
    _, case = make_case("440105", handler="prosecutor1@440105")
    head = token_for("depthead1@440105")
    r = client.post("/api/v1/meetings", headers=head, json={
        "kind": "joint", "held_on": "2026-03-10", "agenda": "是否相对不起诉",
        "participants": ["prosecutor1@440105", "prosecutor2@440105", "prosecutor3@440105"],
        "cases": [case]})
    assert r.status_code == 201, r.get_json()
    meeting = r.get_json()
    assert set(meeting["participants"]) == {"prosecutor1@440105", "prosecutor2@440105",
                                            "prosecutor3@440105", "depthead1@440105"}
    for who, position in (("prosecutor1@440105", "agree"), ("prosecutor2@440105", "disagree"),
                          ("prosecutor3@440105", "disagree")):
        r = client.post(f"/api/v1/meetings/{meeting['id']}/opinions", headers=head,
                        json={"case": case, "participant": who, "position": position,
                              "opinion": position})
        assert r.status_code == 201, r.get_json()
    # The handler records their own opinion: they can read their case.
    r = client.post(f"/api/v1/meetings/{meeting['id']}/opinions",
                    headers=token_for("prosecutor1@440105"),
                    json={"case": case, "position": "agree", "opinion": "应当不起诉"})
    assert r.status_code == 201
    r = client.post(f"/api/v1/meetings/{meeting['id']}/close", headers=head,
                    json={"outcome": "多数不同意", "cases": [{"case": case,
                                                               "matter": NON_PROSECUTION}]})
    assert r.status_code == 200, r.get_json()
    closed = r.get_json()["cases"][0]
    assert (closed["handler_agrees"], closed["escalated_to"]) == (False, "department_head")
    inbox = client.get("/api/v1/decisions/inbox", headers=head).get_json()["pending"]
    assert [d["awaiting_role"] for d in inbox] == ["department_head"]
    assert client.post(f"/api/v1/meetings/{meeting['id']}/close", headers=head,
                       json={"outcome": "again"}).status_code == 422
    listed = client.get("/api/v1/meetings?kind=joint", headers=head).get_json()
    assert meeting["id"] in [m["id"] for m in listed]


def test_api_meetings_bad_input_and_other_units(client, token_for, make_case):
    _, case = make_case("440105", handler="prosecutor1@440105")
    head = token_for("depthead1@440105")
    r = client.post("/api/v1/meetings", headers=head, json={"kind": "party", "cases": []})
    assert r.status_code == 422
    assert {"kind", "held_on", "agenda", "participants", "cases"} <= set(
        r.get_json()["errors"]["json"])
    r = client.post("/api/v1/meetings", headers=head, json={
        "kind": "joint", "held_on": "2026-03-10", "agenda": "x",
        "participants": ["prosecutor1@440106"], "cases": [case]})
    assert r.status_code == 422 and "participants" in r.get_json()["errors"]
    r = client.post("/api/v1/meetings", headers=head, json={
        "kind": "joint", "held_on": "2026-03-10", "agenda": "x",
        "participants": ["prosecutor2@440105"], "cases": [case]})
    meeting = r.get_json()["id"]
    assert client.get(f"/api/v1/meetings/{meeting}",
                      headers=token_for("prosecutor1@440106")).status_code == 404
    r = client.post("/api/v1/meetings", headers=token_for("depthead1@440106"), json={
        "kind": "joint", "held_on": "2026-03-10", "agenda": "x",
        "participants": ["prosecutor1@440106"], "cases": [case]})
    assert r.status_code == 404  # another unit's case
