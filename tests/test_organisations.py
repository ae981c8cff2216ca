"""Case-handling organisations: a prosecutor alone or a team, in a department,
made of the unit's own people; who sets them up and who reads them."""
from __future__ import annotations

import pytest

CRIMINAL = "刑事检察部"


def solo(name="独任一组", prosecutor="prosecutor1@440105", **over) -> dict:
    body = {"name": name, "kind": "solo", "department": CRIMINAL,
            "members": [{"username": prosecutor, "role": "prosecutor"}]}
    return {**body, **over}


def trio(name="1+1+1办案组") -> dict:
    """Dongpo's "1+1+1": one prosecutor, one assistant, one clerk."""
    return {"name": name, "kind": "team", "department": CRIMINAL, "members": [
        {"username": "clerk1@440105", "role": "clerk"},
        {"username": "assistant1@440105", "role": "assistant"},
        {"username": "prosecutor2@440105", "role": "prosecutor"}]}


def create(client, headers, body):
    return client.post("/api/v1/organisations", json=body, headers=headers)


def test_chief_sets_up_a_solo_prosecutor(client, token_for):
    response = create(client, token_for("chief1@440105"), solo())
    assert response.status_code == 201, response.get_json()
    org = response.get_json()
    assert (org["name"], org["kind"], org["unit"], org["department"], org["lead"]) == (
        "独任一组", "solo", "440105", CRIMINAL, "prosecutor1@440105")
    assert [(m["username"], m["role"]) for m in org["members"]] == [
        ("prosecutor1@440105", "prosecutor")]
    assert org["members"][0]["full_name"]


def test_unit_admin_sets_up_dongpos_one_plus_one_plus_one_team(client, token_for):
    response = create(client, token_for("admin1@440105"), trio())
    assert response.status_code == 201, response.get_json()
    org = response.get_json()
    assert org["lead"] == "prosecutor2@440105"
    assert [m["role"] for m in org["members"]] == ["prosecutor", "assistant", "clerk"]


def test_a_solo_prosecutor_may_have_support_but_one_prosecutor(client, token_for):
    body = solo(members=[{"username": "prosecutor1@440105", "role": "prosecutor"},
                         {"username": "clerk2@440105", "role": "clerk"}])
    assert create(client, token_for("chief1@440105"), body).status_code == 201


@pytest.mark.parametrize("body, field", [
    (solo(members=[{"username": "prosecutor1@440105", "role": "prosecutor"},
                   {"username": "prosecutor2@440105", "role": "prosecutor"}]), "members"),
    (solo(members=[{"username": "assistant1@440105", "role": "assistant"}]), "members"),
    ({**trio(), "members": [{"username": "assistant1@440105", "role": "assistant"},
                            {"username": "clerk1@440105", "role": "clerk"}]}, "members"),
    ({**trio(), "members": [{"username": "prosecutor1@440105", "role": "prosecutor"}]},
     "members"),
    (solo(prosecutor="prosecutor1@440106"), "members.0.username"),  # Tianhe's, not ours
    (solo(prosecutor="nobody@440105"), "members.0.username"),
    (solo(prosecutor="clerk1@440105"), "members.0.role"),  # a clerk is no prosecutor
    ({**trio(), "members": trio()["members"] + [
        {"username": "clerk1@440105", "role": "clerk"}]}, "members.3.username"),
    (solo(department="不存在的部门"), "department"),
    ({**trio(), "lead": "assistant1@440105"}, "lead"),
    (solo(kind="trio"), "kind"),
    (solo(members=[{"username": "prosecutor1@440105", "role": "boss"}]), "members"),
    (solo(members=[]), "members"),
    ({"kind": "solo", "department": CRIMINAL, "members": []}, "name"),
])
def test_bad_organisations_answer_422_with_the_field(client, token_for, body, field):
    response = create(client, token_for("chief1@440105"), body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"], response.get_json()


def test_names_are_unique_in_a_unit(client, token_for):
    headers = token_for("chief1@440105")
    assert create(client, headers, solo()).status_code == 201
    again = create(client, headers, solo(prosecutor="prosecutor3@440105"))
    assert again.status_code == 422 and "name" in again.get_json()["errors"]["json"]
    assert create(client, token_for("chief1@440106"),
                  solo(prosecutor="prosecutor1@440106")).status_code == 201


def test_prosecutor_and_case_manager_cannot_set_up_organisations(client, token_for):
    assert create(client, token_for("prosecutor1@440105"), solo()).status_code == 403
    assert create(client, token_for("casemanager1@440105"), solo()).status_code == 403


def test_department_head_sets_up_only_in_their_department(client, token_for):
    head = token_for("depthead1@440105")
    assert create(client, head, solo()).status_code == 201
    civil = solo(name="民事独任组", prosecutor="civilprosecutor1@440105",
                 department="民事行政检察部")
    assert create(client, head, civil).status_code == 403


def test_who_lists_which_organisations(client, token_for):
    create(client, token_for("chief1@440105"), solo())
    create(client, token_for("chief1@440105"), trio())
    own = client.get("/api/v1/organisations", headers=token_for("prosecutor3@440105"))
    assert own.status_code == 200
    assert [o["name"] for o in own.get_json()] == ["1+1+1办案组", "独任一组"]
    sibling = client.get("/api/v1/organisations", headers=token_for("chief1@440106"),
                         query_string={"unit": "440105"})
    assert sibling.status_code == 200 and sibling.get_json() == []
    city = client.get("/api/v1/organisations", headers=token_for("chief1@440100"),
                      query_string={"unit": "440105"})
    assert [o["name"] for o in city.get_json()] == ["1+1+1办案组", "独任一组"]
    assert {o["unit"] for o in city.get_json()} == {"440105"}


def test_the_list_costs_the_same_statements_whatever_its_length(as_user):
    from sqlalchemy import event

    from procuracy.cases.organisations import create_organisation, list_organisations
    from procuracy.extensions import db

    seen: list[str] = []

    def listener(*args):
        seen.append(args[2])

    with as_user("chief1@440105") as chief:
        for i, name in enumerate(("prosecutor1", "prosecutor2", "prosecutor3", "prosecutor4")):
            create_organisation(chief, {**solo(f"独任{i}组", f"{name}@440105"),
                                        "members": [{"username": f"{name}@440105",
                                                     "role": "prosecutor"}]})
        db.session.expunge_all()
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            listed = list_organisations()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert len(listed) == 4 and all(o["members"] for o in listed)
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")
             and "set_config" not in s]  # PostgreSQL: the scope handed to RLS per transaction
    assert len(reads) == 3, reads
