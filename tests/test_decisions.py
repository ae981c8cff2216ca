"""Decisions under the power list: decided within one's power, requested and
routed upward beyond it, approved / returned / changed / escalated by whoever
holds the power, with the chain on the case."""
from datetime import date

import pytest
from sqlalchemy import select

from procuracy.cases import decisions
from procuracy.cases.models import Case, CaseStep
from procuracy.extensions import db

PROSECUTE = "提起公诉"  # XJ-035 prosecutor (not major) / XJ-036 deputy chief (major)
ARREST = "批准逮捕"  # XJ-006 prosecutor (not major) / XJ-007 chief (major)
EXTEND = "延长审查起诉期限"  # XJ-034 department head
ACCEPT_ARREST = "受理审查逮捕案件"  # XJ-001: prosecutor; Haizhu gives it to department heads


def _case(case_id):
    return db.session.get(Case, case_id)


def _steps(case_id):
    return db.session.scalars(select(CaseStep).where(CaseStep.case_id == case_id)
                              .order_by(CaseStep.id)).all()


def _chain(decision):
    return [s["action"] for s in decisions.decisions_out([decision])[0]["chain"]]


def _request(as_user, case_id, matter=PROSECUTE, who="prosecutor1@440105"):
    with as_user(who) as me:
        decision = decisions.record_decision(me, _case(case_id), matter, "拟提起公诉")
        db.session.refresh(decision)  # read back under the requester's scope
        return decision


def test_the_handler_decides_an_ordinary_prosecution_under_the_list_in_force(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("prosecutor1@440105") as me:
        decision = decisions.record_decision(me, _case(case_id), PROSECUTE, "依法提起公诉")
        assert decision.status == "decided"
        assert (decision.item_code, decision.decided_role) == ("XJ-035", "prosecutor")
        assert decision.power_versions == {"440000": 1, "440105": 1}
        assert decision.decided_by_id == me.id
        assert _chain(decision) == ["decided"]
        steps = _steps(case_id)
    assert [(s.kind, s.actor_id) for s in steps] == [("decided", me.id)]


def test_a_major_case_is_requested_from_the_deputy_chief(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105", major=True)
    decision = _request(as_user, case_id)
    assert (decision.status, decision.awaiting_role) == ("pending", "deputy_chief")
    assert decision.item_code == "XJ-036" and decision.decided_by_id is None
    with as_user("prosecutor1@440105"):
        assert [s.kind for s in _steps(case_id)] == ["requested"]


def test_a_prosecutor_cannot_approve_and_the_deputy_can(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105", major=True)
    decision = _request(as_user, case_id)
    with as_user("prosecutor1@440105") as me, pytest.raises(PermissionError):
        decisions.approve(me, decision, "我自己批")
    with as_user("deputy1@440105") as deputy:
        assert decision in decisions.pending_for(deputy)
        decisions.approve(deputy, decision, "同意起诉")
        assert (decision.status, decision.decided_role) == ("decided", "deputy_chief")
        assert decision.decided_by_id == deputy.id and decision.item_code == "XJ-036"
        out = decisions.decisions_out([decision])[0]
        assert [(s["action"], s["role"], s["actor"]) for s in out["chain"]] == [
            ("requested", "prosecutor", "prosecutor1@440105"),
            ("approved", "deputy_chief", "deputy1@440105")]
        assert decision not in decisions.pending_for(deputy)
        assert [s.kind for s in _steps(case_id)] == ["requested", "decided"]


def test_returning_sends_the_request_back_to_the_handler(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105", major=True)
    decision = _request(as_user, case_id)
    first = decision.id
    with as_user("chief1@440105") as chief:
        decisions.return_(chief, decision, "补充证据后再报")
        assert (decision.status, decision.awaiting_role) == ("returned", "")
        assert _chain(decision) == ["requested", "returned"]
        with pytest.raises(decisions.DecisionRejected):
            decisions.approve(chief, decision)  # no longer pending
    again = _request(as_user, case_id)  # the handler asks again
    assert again.status == "pending" and again.id != first


def test_a_department_head_cannot_approve_a_chiefs_matter(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105", major=True)
    decision = _request(as_user, case_id, ARREST)
    assert (decision.awaiting_role, decision.item_code) == ("chief", "XJ-007")
    with as_user("depthead1@440105") as head:
        assert decision not in decisions.pending_for(head)
        with pytest.raises(PermissionError):
            decisions.approve(head, decision)
        with pytest.raises(PermissionError):
            decisions.change(head, decision, "不批准逮捕")
    with as_user("chief1@440105") as chief:
        decisions.change(chief, decision, "批准逮捕，注意羁押必要性", "改写理由")
        assert (decision.status, decision.decided_role) == ("decided", "chief")
        assert decision.content.startswith("批准逮捕")
        assert _chain(decision) == ["requested", "changed"]


def test_a_department_head_decides_department_matters_of_their_department_only(as_user, make_case):
    criminal, _ = make_case("440105", handler="prosecutor1@440105")
    civil, _ = make_case("440105", handler="civilprosecutor1@440105")
    mine = _request(as_user, criminal, EXTEND)
    assert mine.awaiting_role == "department_head"
    other = _request(as_user, civil, EXTEND, who="civilprosecutor1@440105")
    assert other.awaiting_role == "department_head"
    with as_user("depthead1@440105") as head:
        assert decisions.pending_for(head) == [mine]
        decisions.approve(head, mine)
        assert mine.decided_role == "department_head"
    with as_user("chief1@440105") as chief:
        assert other in decisions.pending_for(chief)


def test_escalation_goes_up_to_the_committee_which_no_person_replaces(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    decision = _request(as_user, case_id, EXTEND)
    with as_user("depthead1@440105") as head:
        decisions.escalate(head, decision, "涉及多部门")
        assert decision.awaiting_role == "deputy_chief"
        with pytest.raises(PermissionError):
            decisions.escalate(head, decision)  # no longer theirs
    with as_user("deputy1@440105") as deputy:
        decisions.escalate(deputy, decision)
    with as_user("chief1@440105") as chief:
        decisions.escalate(chief, decision)
        assert decision.awaiting_role == "committee"
        assert decision not in decisions.pending_for(chief)
        assert decision in decisions.awaiting_committee(chief)
        with pytest.raises(PermissionError):
            decisions.approve(chief, decision)
        with pytest.raises(PermissionError):
            decisions.escalate(chief, decision)  # nobody acts for the committee
        assert _chain(decision) == ["requested", "escalated", "escalated", "escalated"]


def test_each_unit_decides_under_its_own_list(as_user, make_case):
    haizhu, _ = make_case("440105", handler="prosecutor1@440105")
    tianhe, _ = make_case("440106", handler="prosecutor1@440106")
    assert _request(as_user, haizhu, ACCEPT_ARREST).awaiting_role == "department_head"
    decided = _request(as_user, tianhe, ACCEPT_ARREST, who="prosecutor1@440106")
    assert (decided.status, decided.item_code) == ("decided", "XJ-001")
    assert decided.power_versions == {"440000": 1}


def test_refusals_of_content(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("prosecutor1@440105") as me:
        with pytest.raises(decisions.DecisionRejected):
            decisions.record_decision(me, _case(case_id), "不存在的事项", "")
        with pytest.raises(decisions.DecisionRejected):
            decisions.record_decision(me, _case(case_id), PROSECUTE, "", on=date(2999, 1, 1))
    with as_user("chief1@440105"):
        case = _case(case_id)
    for bystander in ("clerk1@440105", "casemanager1@440105", "prosecutor2@440105"):
        with as_user(bystander) as someone, pytest.raises(PermissionError):
            decisions.record_decision(someone, case, PROSECUTE, "")


# ---------------------------------------------------------------- the API
def test_api_decided_201_requested_202_and_the_chain(client, token_for, make_case):
    _, ordinary = make_case("440105", handler="prosecutor1@440105")
    _, major = make_case("440105", handler="prosecutor1@440105", major=True)
    me = token_for("prosecutor1@440105")
    r = client.post(f"/api/v1/cases/{ordinary}/decisions", headers=me,
                    json={"matter": PROSECUTE, "content": "提起公诉"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["item_code"] == "XJ-035"
    assert r.get_json()["power_versions"] == {"440000": 1, "440105": 1}
    r = client.post(f"/api/v1/cases/{major}/decisions", headers=me,
                    json={"matter": PROSECUTE, "content": "拟提起公诉"})
    assert r.status_code == 202 and r.get_json()["awaiting_role"] == "deputy_chief"
    pending = r.get_json()["id"]

    assert client.post(f"/api/v1/decisions/{pending}/approve", headers=me,
                       json={}).status_code == 403
    head = token_for("depthead1@440105")
    assert client.get("/api/v1/decisions/inbox", headers=head).get_json()["pending"] == []
    assert client.post(f"/api/v1/decisions/{pending}/approve", headers=head,
                       json={}).status_code == 403
    deputy = token_for("deputy1@440105")
    inbox = client.get("/api/v1/decisions/inbox", headers=deputy).get_json()
    assert [d["id"] for d in inbox["pending"]] == [pending]
    r = client.post(f"/api/v1/decisions/{pending}/approve", headers=deputy,
                    json={"note": "同意"})
    assert r.status_code == 200 and r.get_json()["status"] == "decided"

    listed = client.get(f"/api/v1/cases/{major}/decisions", headers=me).get_json()
    assert [[s["action"] for s in d["chain"]] for d in listed] == [["requested", "approved"]]
    assert client.post(f"/api/v1/decisions/{pending}/approve", headers=deputy,
                       json={}).status_code == 422  # already decided


def test_api_return_change_escalate(client, token_for, make_case):
    _, major = make_case("440105", handler="prosecutor1@440105", major=True)
    me, chief = token_for("prosecutor1@440105"), token_for("chief1@440105")
    ids = [client.post(f"/api/v1/cases/{major}/decisions", headers=me,
                       json={"matter": ARREST}).get_json()["id"] for _ in range(3)]
    assert client.post(f"/api/v1/decisions/{ids[0]}/return", headers=chief,
                       json={"note": "退回"}).get_json()["status"] == "returned"
    r = client.post(f"/api/v1/decisions/{ids[1]}/change", headers=chief,
                    json={"content": "不批准逮捕", "note": "证据不足"})
    assert (r.get_json()["status"], r.get_json()["content"]) == ("decided", "不批准逮捕")
    assert client.post(f"/api/v1/decisions/{ids[1]}/change", headers=chief,
                       json={}).status_code == 422  # content is required
    r = client.post(f"/api/v1/decisions/{ids[2]}/escalate", headers=chief, json={})
    assert r.get_json()["awaiting_role"] == "committee"


def test_api_bad_input_is_422_never_500(client, token_for, make_case):
    _, case = make_case("440105", handler="prosecutor1@440105")
    me = token_for("prosecutor1@440105")
    r = client.post(f"/api/v1/cases/{case}/decisions", headers=me, json={})
    assert r.status_code == 422 and "matter" in r.get_json()["errors"]["json"]
    r = client.post(f"/api/v1/cases/{case}/decisions", headers=me, json={"matter": "无此事项"})
    assert r.status_code == 422 and "matter" in r.get_json()["errors"]
    r = client.post(f"/api/v1/cases/{case}/decisions", headers=me, json={"matter": 5})
    assert r.status_code == 422


def test_nobody_records_a_decision_on_another_units_case(client, token_for, make_case):
    _, case = make_case("440105", handler="prosecutor1@440105")
    body = {"matter": PROSECUTE, "content": "x"}
    for outsider in ("prosecutor1@440106", "chief1@440106"):
        r = client.post(f"/api/v1/cases/{case}/decisions", headers=token_for(outsider),
                        json=body)
        assert r.status_code == 404
        assert client.get(f"/api/v1/cases/{case}/decisions",
                          headers=token_for(outsider)).status_code == 404
    # The city's chief reads the case down the tree but decides nothing in Haizhu.
    r = client.post(f"/api/v1/cases/{case}/decisions", headers=token_for("chief1@440100"),
                    json=body)
    assert r.status_code == 403
    # A colleague in the unit does not see the case either.
    r = client.post(f"/api/v1/cases/{case}/decisions", headers=token_for("prosecutor2@440105"),
                    json=body)
    assert r.status_code == 404


def test_a_decision_of_another_unit_cannot_be_acted_on(client, token_for, make_case):
    _, major = make_case("440105", handler="prosecutor1@440105", major=True)
    pending = client.post(f"/api/v1/cases/{major}/decisions",
                          headers=token_for("prosecutor1@440105"),
                          json={"matter": PROSECUTE}).get_json()["id"]
    assert client.post(f"/api/v1/decisions/{pending}/approve",
                       headers=token_for("chief1@440106"), json={}).status_code == 404
    assert client.post(f"/api/v1/decisions/{pending}/approve",
                       headers=token_for("chief1@440100"), json={}).status_code == 403


def test_an_item_code_cannot_pick_a_laxer_rule(as_user, make_case):
    case_id, _ = make_case("440105", handler="prosecutor1@440105", major=True)
    with as_user("prosecutor1@440105") as me:
        decision = decisions.record_decision(me, _case(case_id), "XJ-035", "按普通案件起诉")
        assert (decision.status, decision.item_code) == ("pending", "XJ-036")
        assert decision.matter == PROSECUTE
