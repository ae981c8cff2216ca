"""Assignment (分案/轮案): rotation draws, absences, designation, rules versions,
reassignment, isolation between units, the replay command."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from procuracy.cases import assignment as engine
from procuracy.cases import rotation
from procuracy.cases.assignment_models import AssignmentDraw, RotationGroup, RotationMember
from procuracy.cases.cli import cases_cli
from procuracy.cases.models import Case, CaseParticipant, CaseStep
from procuracy.cases.replay import CHINA
from procuracy.extensions import db
from procuracy.tenants.models import Unit, User
from procuracy.tenants.scope import system_scope

HZ = "440105"
RULES = {"suspect_weights": {"1": 1, "2": 1.5, "3": 2, "4+": 2.5},
         "kind_weights": {"审查起诉": 1.2}}


# ---------------------------------------------------------------- helpers
def _sys(fn):
    with system_scope("test: read"):
        return fn()


def _group_id(code: str = HZ) -> int:
    return _sys(lambda: db.session.scalar(
        select(RotationGroup.id).join(Unit, Unit.id == RotationGroup.unit_id)
        .where(Unit.code == code)))


def _uid(username: str) -> int:
    return _sys(lambda: db.session.scalar(select(User.id).where(User.username == username)))


def _members(group_id: int) -> dict[str, RotationMember]:
    def read():
        rows = db.session.execute(
            select(User.username, RotationMember).join(User, User.id == RotationMember.user_id)
            .where(RotationMember.group_id == group_id)
            .execution_options(populate_existing=True)).all()
        return dict(rows)
    return _sys(read)


def _set_loads(group_id: int, loads: dict[str, float]) -> None:
    with system_scope("test: set loads"):
        for name, member in _members(group_id).items():
            member.load = loads.get(name, member.load)
        db.session.commit()


def _snap(obj) -> SimpleNamespace:
    """The columns of an object, read while the scope that may read it is set
    (services commit, which expires what they return)."""
    return SimpleNamespace(**{c.key: getattr(obj, c.key) for c in obj.__table__.columns})


def _draw(as_user, case_id: int, actor: str = f"casemanager1@{HZ}", group_id=None):
    with as_user(actor) as me:
        case = db.session.get(Case, case_id)
        group = db.session.get(RotationGroup, group_id or _group_id())
        return _snap(rotation.draw(case, group, me))


def _name(user_id: int) -> str:
    return _sys(lambda: db.session.get(User, user_id).username)


def _to_criminal_department(case_id: int) -> None:
    """Registered into the criminal department (its head then reads it)."""
    with system_scope("test: route a case"):
        case = db.session.get(Case, case_id)
        case.department_id = db.session.get(User, _uid(f"depthead1@{HZ}")).department_id
        db.session.commit()


def _new_cases(make_case, n: int, **fields) -> list[int]:
    return [make_case(HZ, **fields)[0] for _ in range(n)]


@pytest.fixture
def rules(as_user):
    """Rules with a kind factor for 审查起诉, approved at once: the chief proposes them."""
    with as_user(f"chief1@{HZ}") as chief:
        version = _snap(rotation.propose_rules(db.session.get(RotationGroup, _group_id()), RULES,
                                               chief, "审查起诉 weighs more"))
        assert version.status == "approved" and version.decided_by_id == chief.id
    return version


# ---------------------------------------------------------------- rotation
def test_the_demo_group_has_prosecutors_and_leaders_at_a_share(as_user):
    members = _members(_group_id())
    shares = {name: (m.share_num, m.share_den) for name, m in members.items()}
    assert shares[f"chief1@{HZ}"] == (1, 3) and shares[f"deputy1@{HZ}"] == (1, 2)
    assert shares[f"prosecutor1@{HZ}"] == (1, 1) and f"assistant1@{HZ}" not in shares
    with as_user(f"prosecutor1@{HZ}"):
        board = rotation.rotation_board(db.session.get(RotationGroup, _group_id()))
    assert board["rules"]["status"] == "approved" and board["tied"]
    assert len(board["next"]) == len(members)


def test_a_haizhu_case_is_assigned_by_rotation_and_the_draw_replays(
        client, token_for, make_case, rules):
    case_id, public_id = make_case(HZ, suspects_count=3)
    headers = token_for(f"casemanager1@{HZ}")
    groups = client.get("/api/v1/rotation-groups", headers=headers).get_json()
    assert [g["id"] for g in groups] == [_group_id()]
    r = client.post(f"/api/v1/cases/{public_id}/assignment", headers=headers,
                    json={"mode": "random", "group": _group_id()})
    assert r.status_code == 201, r.get_json()
    draw = r.get_json()
    assert draw["mode"] == "random" and draw["status"] == "done" and draw["seed"]
    assert draw["weight"] == pytest.approx(2.4)  # 3 suspects (2.0) × 审查起诉 (1.2)
    assert draw["rules_version"] == rules.version
    pool = {c["user"] for c in draw["candidates"]}
    assert len(pool) == 7 and draw["chosen"] in pool
    replay = client.get(f"/api/v1/assignments/{draw['id']}/replay", headers=headers).get_json()
    assert replay == {"draw": draw["id"], "reproduced": True, "chosen": draw["chosen"],
                      "recomputed": draw["chosen"], "reason": ""}
    case = _sys(lambda: db.session.get(Case, case_id))
    assert case.handler_id == _uid(draw["chosen"]) and not case.designated
    assert case.weight == pytest.approx(2.4) and case.department_id is not None
    steps = _sys(lambda: db.session.scalars(select(CaseStep.kind).where(
        CaseStep.case_id == case_id)).all())
    assert "assigned" in steps
    board = client.get(f"/api/v1/rotation-groups/{_group_id()}", headers=headers).get_json()
    mine = next(m for m in board["members"] if m["user"] == draw["chosen"])
    assert mine["cases"] == 1 and mine["load"] == pytest.approx(2.4) and not mine["next"]
    assert draw["chosen"] not in board["next"]
    again = client.post(f"/api/v1/cases/{public_id}/assignment", headers=headers,
                        json={"mode": "random", "group": _group_id()})
    assert again.status_code == 422 and "reassign" in again.get_json()["message"]


def test_the_draw_goes_to_the_lowest_normalised_load(as_user, make_case):
    gid = _group_id()
    everyone = {name: 9.0 for name in _members(gid)}
    # the chief at 1/3 with 2.0 counts as 6.0; prosecutor3 with 5.5 counts as 5.5
    _set_loads(gid, {**everyone, f"chief1@{HZ}": 2.0, f"prosecutor3@{HZ}": 5.5})
    (case_id,) = _new_cases(make_case, 1)
    assert _name(_draw(as_user, case_id).chosen_id) == f"prosecutor3@{HZ}"
    (case_id,) = _new_cases(make_case, 1)
    assert _name(_draw(as_user, case_id).chosen_id) == f"chief1@{HZ}"


def test_a_draw_takes_a_constant_number_of_queries(app, as_user, make_case, transaction,
                                                   monkeypatch):
    # The draw's own statements: the monitoring of the changed case at commit (a fixed
    # number too) is counted in tests/test_monitoring_on_change.py.
    monkeypatch.setitem(app.extensions, "monitoring_on_change", False)
    statements = []
    event.listen(transaction, "before_cursor_execute",
                 lambda *args, **kw: statements.append(args[2]))
    counts = []
    for case_id in _new_cases(make_case, 4):
        with as_user(f"casemanager1@{HZ}") as me:
            case = db.session.get(Case, case_id)
            group = db.session.get(RotationGroup, _group_id())
            statements.clear()
            rotation.draw(case, group, me)
            counts.append(len(statements))
    # whatever the history: four reads (the case locked with its kind's weight and
    # any pending designation; the group with its rules; the members locked; the
    # chosen one's participant row), one flush of the writes, three audit statements
    assert len(set(counts)) == 1 and counts[0] <= 14, counts


def test_a_draw_locks_the_whole_pool_until_it_ends(database, as_user, make_case):
    """PostgreSQL: the draw read every member FOR UPDATE, so another transaction
    cannot lock even the members it did not choose until this one ends."""
    app_url, _, dialect = database
    if dialect != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers")
    import sqlalchemy as sa

    (case_id,) = _new_cases(make_case, 1)
    draw = _draw(as_user, case_id)
    other = sa.create_engine(app_url)
    try:
        with other.connect() as conn:
            conn.execute(sa.text("SELECT set_config('procuracy.all', 'on', false)"))
            with pytest.raises(sa.exc.OperationalError, match="lock"):
                conn.execute(sa.text(
                    "SELECT user_id FROM rotation_members WHERE group_id = :g "
                    "AND user_id <> :chosen FOR UPDATE NOWAIT"),
                    {"g": draw.group_id, "chosen": draw.chosen_id})
    finally:
        other.dispose()


def test_an_absent_member_gets_nothing_and_no_make_up(as_user, make_case):
    gid, p1 = _group_id(), f"prosecutor1@{HZ}"
    with as_user(f"casemanager1@{HZ}") as cm:
        rotation.set_status(db.session.get(RotationGroup, gid), db.session.get(User, _uid(p1)),
                            "absent", cm)
    chosen = [_name(_draw(as_user, c).chosen_id) for c in _new_cases(make_case, 12)]
    assert p1 not in chosen
    assert _members(gid)[p1].load == 0
    with as_user(f"casemanager1@{HZ}") as cm:
        rotation.set_status(db.session.get(RotationGroup, gid), db.session.get(User, _uid(p1)),
                            "active", cm)
    members = _members(gid)
    others = [m.load * m.share_den / m.share_num for n, m in members.items() if n != p1]
    assert members[p1].load == pytest.approx(min(others))  # level with the lowest, no more
    assert members[p1].cases == 0


def test_an_away_member_catches_up_on_return(as_user, make_case):
    gid, p2 = _group_id(), f"prosecutor2@{HZ}"
    group = _sys(lambda: db.session.get(RotationGroup, gid))
    with as_user(f"depthead1@{HZ}") as head:
        rotation.set_status(group, db.session.get(User, _uid(p2)), "away", head)
    chosen = [_name(_draw(as_user, c).chosen_id) for c in _new_cases(make_case, 12)]
    assert p2 not in chosen
    with as_user(f"depthead1@{HZ}") as head:
        rotation.set_status(group, db.session.get(User, _uid(p2)), "active", head)
    assert _members(gid)[p2].load == 0  # the cases missed are owed
    after = [_name(_draw(as_user, c).chosen_id) for c in _new_cases(make_case, 2)]
    assert after == [p2, p2]


def test_only_managers_change_members(client, token_for):
    url = f"/api/v1/rotation-groups/{_group_id()}/members/prosecutor1@{HZ}"
    r = client.patch(url, headers=token_for(f"prosecutor2@{HZ}"), json={"status": "absent"})
    assert r.status_code == 403
    r = client.patch(url, headers=token_for(f"admin1@{HZ}"), json={"status": "sleeping"})
    assert r.status_code == 422 and "status" in r.get_json()["errors"]["json"]
    r = client.patch(url, headers=token_for(f"admin1@{HZ}"),
                     json={"share_num": 1, "share_den": 2})
    assert r.status_code == 200
    member = next(m for m in r.get_json()["members"] if m["user"] == f"prosecutor1@{HZ}")
    assert member["share"] == "1/2"
    r = client.post(f"/api/v1/rotation-groups/{_group_id()}/members",
                    headers=token_for(f"admin1@{HZ}"), json={"user": f"clerk1@{HZ}"})
    assert r.status_code == 422 and "prosecutor" in r.get_json()["message"]


# ---------------------------------------------------------------- designation
def test_a_designation_by_a_prosecutor_waits_for_the_department_head(as_user, make_case):
    p1 = f"prosecutor1@{HZ}"
    case_id, _ = make_case(HZ, assistants=(p1,))  # p1 works on it and asks to handle it
    with as_user(p1) as me:
        pending = _snap(rotation.designate(db.session.get(Case, case_id), me, "并案：承办过关联案件", me))
        assert pending.status == "pending" and pending.mode == "designated"
        with pytest.raises(PermissionError):
            rotation.approve_designation(db.session.get(AssignmentDraw, pending.id), me)
    case = _sys(lambda: db.session.get(Case, case_id))
    assert case.handler_id is None and not case.designated
    with as_user(f"prosecutor2@{HZ}"):
        assert db.session.get(AssignmentDraw, pending.id) is None  # not theirs to see
    with as_user(f"depthead1@{HZ}") as head:
        done = _snap(rotation.approve_designation(db.session.get(AssignmentDraw, pending.id),
                                                  head))
        assert done.status == "done" and done.approved_by_id == head.id
    case = _sys(lambda: db.session.get(Case, case_id))
    assert case.designated and case.handler_id == _uid(p1)
    role = _sys(lambda: db.session.get(CaseParticipant, (case_id, _uid(p1))).role)
    assert role == "handler"


def test_designation_through_the_api_is_marked_and_approved(client, token_for, make_case):
    case_id, public_id = make_case(HZ)
    url = f"/api/v1/cases/{public_id}/assignment"
    manager = token_for(f"casemanager1@{HZ}")
    r = client.post(url, headers=manager, json={"mode": "designated", "user": f"prosecutor4@{HZ}"})
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]["json"]
    r = client.post(url, headers=manager, json={"mode": "designated",
                                                "user": f"prosecutor4@{HZ}", "reason": "熟悉案情"})
    assert r.status_code == 201 and r.get_json()["status"] == "pending"
    approval = f"/api/v1/assignments/{r.get_json()['id']}/approval"
    assert client.post(approval, headers=token_for("depthead1@440106"),
                       json={"decision": "approve"}).status_code == 404
    r = client.post(approval, headers=token_for(f"depthead1@{HZ}"), json={"decision": "approve"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "done" and r.get_json()["approved_by"] == f"depthead1@{HZ}"
    history = client.get(f"/api/v1/cases/{public_id}/assignments", headers=manager).get_json()
    assert [h["mode"] for h in history] == ["designated"]
    r = client.get(f"/api/v1/assignments/{history[0]['id']}/replay", headers=manager)
    assert r.status_code == 422  # nothing drawn, nothing to replay
    assert _sys(lambda: db.session.get(Case, case_id).designated)
    r = client.post(approval, headers=token_for(f"depthead1@{HZ}"), json={"decision": "approve"})
    assert r.status_code == 422


def test_designating_a_leader_needs_the_chief(as_user, make_case):
    case_id, _ = make_case(HZ, major=True)
    _to_criminal_department(case_id)
    with as_user(f"depthead1@{HZ}") as head:
        draw = rotation.designate(db.session.get(Case, case_id),
                                  db.session.get(User, _uid(f"deputy1@{HZ}")), "重大案件", head)
        assert draw.status == "pending"  # 指定院领导办理案件 is the chief's
        with pytest.raises(PermissionError):
            rotation.approve_designation(draw, head)
    with as_user(f"chief1@{HZ}") as chief:
        draw = db.session.get(AssignmentDraw, draw.id)
        assert rotation.refuse_designation(draw, chief, "另行安排").status == "refused"
    assert _sys(lambda: db.session.get(Case, case_id).handler_id) is None


# ---------------------------------------------------------------- rules
def test_a_rules_change_needs_the_chief_and_every_version_is_kept(as_user, client, token_for):
    gid = _group_id()
    group = _sys(lambda: db.session.get(RotationGroup, gid))
    first = group.active_rules_id
    with as_user(f"prosecutor1@{HZ}") as me, pytest.raises(PermissionError):
        rotation.propose_rules(group, RULES, me)
    with as_user(f"depthead1@{HZ}") as head:
        proposed = rotation.propose_rules(group, RULES, head, "起诉案件加权")
        assert proposed.status == "proposed" and proposed.version == 2
        with pytest.raises(PermissionError):
            rotation.decide_rules(proposed, head, True)
    assert _sys(lambda: db.session.get(RotationGroup, gid).active_rules_id) == first
    base = f"/api/v1/rotation-groups/{gid}/rules"
    r = client.post(f"{base}/2/decision", headers=token_for(f"chief1@{HZ}"),
                    json={"decision": "approve"})
    assert r.status_code == 200 and r.get_json()["decided_by"] == f"chief1@{HZ}"
    r = client.post(base, headers=token_for(f"depthead1@{HZ}"),
                    json={"rules": {"suspect_weights": {"2": 1}}})
    assert r.status_code == 422 and "suspect_weights" in r.get_json()["errors"]["json"]["rules"]
    r = client.post(base, headers=token_for(f"depthead1@{HZ}"),
                    json={"rules": {"suspect_weights": {"1": 1}}, "reason": "不计人数"})
    assert r.status_code == 201 and r.get_json()["status"] == "proposed"
    r = client.post(f"{base}/3/decision", headers=token_for(f"chief1@{HZ}"),
                    json={"decision": "reject", "reason": "维持大轮盘"})
    assert r.status_code == 200 and r.get_json()["status"] == "rejected"
    assert r.get_json()["reason"] == "不计人数\n驳回：维持大轮盘"
    versions = client.get(base, headers=token_for(f"prosecutor1@{HZ}")).get_json()
    assert [(v["version"], v["status"]) for v in versions] == [
        (3, "rejected"), (2, "approved"), (1, "superseded")]
    assert versions[1]["proposed_by"] == f"depthead1@{HZ}"
    assert versions[1]["rules"]["kind_weights"] == {"审查起诉": 1.2}
    assert _sys(lambda: db.session.get(RotationGroup, gid).active_rules_id) != first


def test_a_new_group_through_the_api(client, token_for):
    body = {"name": "未检轮案组", "line": "juvenile", "members": [
        {"user": f"prosecutor1@{HZ}"}, {"user": f"deputy1@{HZ}", "share_num": 1, "share_den": 2}],
        "rules": {"suspect_weights": {"1": 1, "3+": 2}}}
    r = client.post("/api/v1/rotation-groups", headers=token_for(f"prosecutor1@{HZ}"), json=body)
    assert r.status_code == 403
    r = client.post("/api/v1/rotation-groups", headers=token_for(f"admin1@{HZ}"), json=body)
    assert r.status_code == 201, r.get_json()
    board = r.get_json()
    assert board["rules"] is None and board["pending_rules"]["version"] == 1  # awaits the chief
    assert sorted(m["share"] for m in board["members"]) == ["1/1", "1/2"]
    r = client.post("/api/v1/rotation-groups", headers=token_for(f"admin1@{HZ}"),
                    json={**body, "line": "astrology", "members": [{"user": 5}]})
    assert r.status_code == 422 and {"line", "members"} <= set(r.get_json()["errors"]["json"])


# ---------------------------------------------------------------- reassignment
def test_reassignment_keeps_the_previous_handler_and_moves_the_load(as_user, make_case, client,
                                                                     token_for):
    gid = _group_id()
    case_id, public_id = make_case(HZ)
    first = _draw(as_user, case_id)
    before = first.chosen_id
    target = f"prosecutor{2 if _name(before) == f'prosecutor1@{HZ}' else 1}@{HZ}"
    url = f"/api/v1/cases/{public_id}/reassignment"
    assert client.post(url, headers=token_for(f"depthead1@{HZ}"),
                       json={"user": target, "reason": " "}).status_code == 422
    assert client.post(url, headers=token_for(f"prosecutor3@{HZ}"),
                       json={"user": target, "reason": "回避"}).status_code in (403, 404)
    r = client.post(url, headers=token_for(f"depthead1@{HZ}"),
                    json={"user": target, "reason": "回避：与当事人有亲属关系"})
    assert r.status_code == 201, r.get_json()
    moved = r.get_json()
    assert moved["mode"] == "reassigned" and moved["previous"] == _name(before)
    assert moved["chosen"] == target
    members = _members(gid)
    assert members[_name(before)].cases == 0 and members[_name(before)].load == 0
    assert members[target].cases == 1 and members[target].load == pytest.approx(first.weight)
    case = _sys(lambda: db.session.get(Case, case_id))
    assert case.handler_id == _uid(target)
    assert _sys(lambda: db.session.get(CaseParticipant, (case_id, before))) is None
    # again, by lot without the current handler: replayable
    r = client.post(url, headers=token_for(f"depthead1@{HZ}"),
                    json={"group": gid, "reason": "承办人长期病假"})
    assert r.status_code == 201
    redraw = r.get_json()
    assert redraw["previous"] == target and redraw["chosen"] != target and redraw["seed"]
    assert not next(c for c in redraw["candidates"] if c["user"] == target)["eligible"]
    replay = client.get(f"/api/v1/assignments/{redraw['id']}/replay",
                        headers=token_for(f"depthead1@{HZ}")).get_json()
    assert replay["reproduced"]
    steps = _sys(lambda: db.session.scalars(select(CaseStep.kind).where(
        CaseStep.case_id == case_id)).all())
    assert steps.count("reassigned") == 2


# ---------------------------------------------------------------- isolation and input
def test_a_tianhe_user_gets_404_on_haizhus_case_group_and_draw(client, token_for, make_case,
                                                               as_user):
    case_id, public_id = make_case(HZ)
    draw = _draw(as_user, case_id)
    tianhe = token_for("chief1@440106")
    gid = _group_id()
    assert client.get(f"/api/v1/rotation-groups/{gid}", headers=tianhe).status_code == 404
    assert gid not in [g["id"] for g in
                       client.get("/api/v1/rotation-groups", headers=tianhe).get_json()]
    assert client.get(f"/api/v1/assignments/{draw.public_id}/replay",
                      headers=tianhe).status_code == 404
    r = client.post(f"/api/v1/cases/{public_id}/assignment", headers=tianhe,
                    json={"mode": "random", "group": _group_id("440106")})
    assert r.status_code == 404
    other, other_public = make_case("440106")
    r = client.post(f"/api/v1/cases/{other_public}/assignment", headers=tianhe,
                    json={"mode": "random", "group": gid})
    assert r.status_code == 404  # Haizhu's group is not Tianhe's to draw from


@pytest.mark.parametrize("body, field", [
    ({"mode": "lottery", "group": 1}, "mode"),
    ({"mode": "random"}, "group"),
    ({"mode": "random", "group": "one"}, "group"),
    ({"mode": "random", "group": 10**20}, "group"),
    ({"mode": "designated", "user": "x" * 200, "reason": "r"}, "user"),
])
def test_bad_assignment_input_is_422_with_the_field(client, token_for, make_case, body, field):
    _, public_id = make_case(HZ)
    r = client.post(f"/api/v1/cases/{public_id}/assignment",
                    headers=token_for(f"casemanager1@{HZ}"), json=body)
    assert r.status_code == 422 and field in r.get_json()["errors"]["json"]


def test_rule_breaking_input_is_422_and_unknown_things_404(client, token_for, make_case):
    _, public_id = make_case(HZ)
    headers = token_for(f"casemanager1@{HZ}")
    url = f"/api/v1/cases/{public_id}/assignment"
    r = client.post(url, headers=headers,
                    json={"mode": "designated", "user": "nobody@440105", "reason": "r"})
    assert r.status_code == 422 and "nobody" in r.get_json()["message"]
    r = client.post(url, headers=headers, json={"mode": "random", "group": 2**31 - 1})
    assert r.status_code == 404
    assert client.post("/api/v1/cases/nope/assignment", headers=headers,
                       json={"mode": "random", "group": 1}).status_code == 404
    assert client.get("/api/v1/rotation-groups/99999999999999999999",
                      headers=headers).status_code == 404
    _, assistant_case = make_case(HZ, assistants=(f"assistant1@{HZ}",))
    r = client.post(f"/api/v1/cases/{assistant_case}/assignment",
                    headers=token_for(f"assistant1@{HZ}"),
                    json={"mode": "random", "group": _group_id()})
    assert r.status_code == 403


# ---------------------------------------------------------------- replaying a month
def test_the_replay_command_reproduces_a_month(app, as_user, make_case):
    draws = [_draw(as_user, c) for c in _new_cases(make_case, 6, suspects_count=2)]
    month = draws[0].at.astimezone(CHINA).strftime("%Y-%m")
    runner = app.test_cli_runner()
    result = runner.invoke(cases_cli, ["replay-draws", "--unit", HZ, "--month", month])
    assert result.exit_code == 0, result.output
    assert "all 6 draws reproduced" in result.output
    assert "fairness" in result.output and "expected" in result.output
    assert result.output.count("reproduced") >= 6
    other = (draws[0].at.astimezone(CHINA) - timedelta(days=40)).strftime("%Y-%m")
    quiet = runner.invoke(cases_cli, ["replay-draws", "--unit", HZ, "--month", other])
    assert quiet.exit_code == 0 and "no random draws" in quiet.output
    with system_scope("test: tamper with a draw"):
        tampered = db.session.get(AssignmentDraw, draws[3].id)
        someone = next(c["user_id"] for c in tampered.candidates
                       if c["user_id"] != tampered.chosen_id
                       and c["user_id"] not in engine.lowest(tampered.candidates))
        tampered.chosen_id = someone
        db.session.commit()
    result = runner.invoke(cases_cli, ["replay-draws", "--unit", HZ, "--month", month])
    assert result.exit_code == 1
    assert f"first mismatch at draw {draws[3].public_id}" in result.output
    bad = runner.invoke(cases_cli, ["replay-draws", "--unit", HZ, "--month", "March"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
