"""Scores: computed set-based under the unit's rule set, every point traced to its
cases, events and reviews, reproducible, graded by quota, compared in a sandbox,
published, objected to and answered."""
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from procuracy.appraisal import rules, rules_editing, score_inputs, score_runs, scoring
from procuracy.appraisal.grading import Standing, grade
from procuracy.appraisal.review_models import Checklist, Review, ReviewPlan
from procuracy.appraisal.rule_models import ScoreEvent
from procuracy.appraisal.rules import content_of
from procuracy.appraisal.score_models import Score, ScoreItem, ScoreRun, ScoreSource
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.audit import AuditEntry
from procuracy.tenants.models import User, UserRole
from procuracy.tenants.scope import OutOfScope, system_scope
from procuracy.tenants.units import by_code

MARCH = "2026-03"


def _user(username):
    with system_scope("test: a user"):
        return db.session.scalars(select(User).where(User.username == username)).one()


def _closed(make_case, unit, handler, n=1, weight=1.0, day=15, kind=None):
    ids = [make_case(unit, handler=f"{handler}@{unit}", status="closed",
                     closed_on=date(2026, 3, day), weight=weight)[0] for _ in range(n)]
    if kind:  # make_case gives every case the kind 审查起诉
        with system_scope("test: kind of case"):
            for case in db.session.scalars(select(Case).where(Case.id.in_(ids))):
                case.kind_code = kind
            db.session.commit()
    return ids


def _review(case_id, handler, grade_, at=datetime(2026, 3, 20, tzinfo=UTC)):
    """A finalised quality review of a case (written as the system, like make_case)."""
    with system_scope("test: a review"):
        case = db.session.get(Case, case_id)
        city = by_code("440100")
        reviewer = db.session.scalars(select(User).where(
            User.username == "casemanager1@440100")).one()
        checklist = Checklist(unit_id=city.id, name="测试评查表", status="published")
        db.session.add(checklist)
        db.session.flush()
        plan = ReviewPlan(unit_id=city.id, public_id=f"plan{case_id}", name="测试评查",
                          checklist_id=checklist.id, date_from=date(2026, 1, 1),
                          date_to=date(2026, 3, 31), created_by_id=reviewer.id)
        db.session.add(plan)
        db.session.flush()
        review = Review(unit_id=city.id, public_id=f"rev{case_id}", plan_id=plan.id,
                        case_id=case_id, reviewed_unit_id=case.unit_id, handler_id=handler.id,
                        reviewer_id=reviewer.id, status="final", final_grade=grade_,
                        finalised_at=at)
        db.session.add(review)
        db.session.commit()
        return review.id


def _compute(username, unit="440105", period=MARCH, kind="official", rule_set=None):
    with_user = _user(username)
    from procuracy.tenants.audit import set_actor
    from procuracy.tenants.scope import acting_as, scope_for_user

    set_actor(db.session, with_user)
    with acting_as(db.session, scope_for_user(db.session, with_user)):
        u = by_code(unit)
        rs = rule_set or rules.effective_rule_set(u, "prosecutor", "month", date(2026, 3, 1))
        run = scoring.compute(u, rs, period, kind, with_user)
        return SimpleNamespace(**{k: getattr(run, k) for k in (
            "id", "public_id", "statements", "rule_set_id", "kind", "period", "status")})


def _items(run_id, username=None):
    with system_scope("test: read items"):
        query = select(ScoreItem).where(ScoreItem.run_id == run_id)
        if username:
            query = query.where(ScoreItem.user_id == _user(username).id)
        return {i.indicator_code: i for i in db.session.scalars(query)}


def _all_points(run_id):
    with system_scope("test: read items"):
        return {(i.user_id, i.indicator_code): (i.raw_value, i.points) for i in
                db.session.scalars(select(ScoreItem).where(ScoreItem.run_id == run_id))}


def _scores(run_id):
    with system_scope("test: read scores"):
        rows = db.session.execute(select(User.username, Score).join(Score, Score.user_id == User.id)
                                  .where(Score.run_id == run_id)).all()
        return {name: (s.total, s.rank, s.grade) for name, s in rows}


# ---------------------------------------------------------------- the trace
def test_a_haizhu_prosecutors_march_score_traces_every_point(as_user, make_case):
    cases = _closed(make_case, "440105", "prosecutor1", 2, weight=2.0)
    cases += _closed(make_case, "440105", "prosecutor1", 1, weight=1.0, day=31)
    _closed(make_case, "440105", "prosecutor2", 1)
    make_case("440105", handler="prosecutor1@440105")  # received in March, still open
    _closed(make_case, "440105", "prosecutor1", 1, day=1)
    with system_scope("test"):
        april = make_case("440105", handler="prosecutor1@440105", status="closed",
                          closed_on=date(2026, 4, 1))[0]  # closed in April: not counted
    review_id = _review(cases[0], _user("prosecutor1@440105"), "优质")
    with as_user("casemanager1@440105") as manager:
        event = score_inputs.record_event(manager, _user("prosecutor1@440105"), "model_case",
                                          3.0, date(2026, 3, 10), case_public_id=None,
                                          note="精品案例")
        flaw = score_inputs.record_event(manager, _user("prosecutor1@440105"), "flaw", -1.0,
                                         date(2026, 3, 11), note="文书瑕疵")
        score_inputs.set_manual(manager, _user("prosecutor1@440105"), MARCH, "W01", 90)
    run = _compute("casemanager1@440105")

    with system_scope("test: check"):
        haizhu = by_code("440105")
        rs = db.session.get(rules.RuleSet, run.rule_set_id)
        assert (rs.unit_id, rs.version, rs.status) == (haizhu.id, 1, "published")
        assert run.statements > 0 and run.kind == "official" and run.period == MARCH
        mine = _items(run.id, "prosecutor1@440105")
        assert mine["Q01"].raw_value == 4  # closed 1st, 15th, 15th, 31st of March
        assert mine["Q03"].raw_value == 6  # every case of the test was received on 1 March
        assert mine["Q04"].raw_value == pytest.approx(4 / 6)
        assert mine["Q02"].raw_value == pytest.approx(6.0)  # 2 + 2 + 1 + 1
        assert mine["Z01"].raw_value == 10  # 优质
        assert mine["S01"].raw_value >= 3 and mine["Z02"].raw_value <= -1
        assert mine["W01"].raw_value == 90 and mine["W01"].points == pytest.approx(5.4)
        assert mine["W01"].detail["manual_score_id"]

        total = 0.0
        for code, item in mine.items():
            sources = db.session.scalars(select(ScoreSource).where(
                ScoreSource.item_id == item.id)).all()
            total += item.points
            if item.detail["kind"] == "manual":
                assert sources == []
                continue
            assert item.points == pytest.approx(sum(s.contribution for s in sources), abs=1e-3), code
            for s in sources:
                assert s.case_id or s.event_id or s.review_id
                if s.case_id:
                    assert db.session.get(Case, s.case_id) is not None
                    if code in ("Q01", "Q02", "Q05", "HZ01"):  # counted by closing date
                        assert s.case_id != april
                if s.event_id:
                    assert db.session.get(ScoreEvent, s.event_id).user_id == item.user_id
        score = db.session.scalars(select(Score).where(
            Score.run_id == run.id, Score.user_id == _user("prosecutor1@440105").id)).one()
        assert score.total == pytest.approx(total, abs=1e-3)
        q01 = {s.case_id for s in db.session.scalars(
            select(ScoreSource).where(ScoreSource.item_id == mine["Q01"].id))}
        assert set(cases) <= q01
        z01 = db.session.scalars(select(ScoreSource).where(
            ScoreSource.item_id == mine["Z01"].id)).one()
        assert (z01.review_id, z01.case_id) == (review_id, cases[0])
        events = {s.event_id for s in db.session.scalars(select(ScoreSource).where(
            ScoreSource.item_id.in_([mine["S01"].id, mine["Z02"].id])))}
        assert {event.id, flaw.id} <= events


def test_the_audience_is_the_units_prosecutors_and_quota_holding_leaders(as_user):
    run = _compute("chief1@440105")
    people = set(_scores(run.id))
    assert people == {*(f"prosecutor{i}@440105" for i in range(1, 5)), "civilprosecutor1@440105",
                      "depthead1@440105", "chief1@440105", "deputy1@440105"}


def test_aspects_never_give_more_than_their_weight(make_case):
    _closed(make_case, "440105", "prosecutor3", 15, weight=3.0)
    _closed(make_case, "440105", "prosecutor3", 15, weight=3.0, kind="审查逮捕")
    run = _compute("casemanager1@440105")  # maxima 8 + 15 + 3 + 4 + 3 + 3 = 36 > 35
    mine = _items(run.id, "prosecutor3@440105")
    quantity = sum(i.points for i in mine.values() if i.aspect_code == "QTY")
    assert quantity == pytest.approx(35, abs=1e-3)  # Haizhu's quantity weighs 35
    assert any("aspect_cap" in i.detail for i in mine.values())
    with system_scope("test"):
        for item in mine.values():
            contributions = db.session.scalar(select(func.sum(ScoreSource.contribution))
                                              .where(ScoreSource.item_id == item.id)) or 0
            if item.detail["kind"] != "manual":
                assert item.points == pytest.approx(contributions, abs=1e-3)


# ---------------------------------------------------------------- set-based, reproducible
def _extra_prosecutors(unit_code: str, n: int) -> list[str]:
    with system_scope("test: more prosecutors"):
        unit = by_code(unit_code)
        template = db.session.scalars(select(User).where(
            User.username == f"prosecutor1@{unit_code}")).one()
        names = []
        for i in range(n):
            user = User(unit_id=unit.id, username=f"extra{i}@{unit_code}", full_name=f"加{i}",
                        department_id=template.department_id, password_hash="x",
                        holds_quota=True)
            db.session.add(user)
            db.session.flush()
            db.session.add(UserRole(unit_id=unit.id, user_id=user.id, role="prosecutor"))
            names.append(user.username)
        db.session.commit()
        return names


def test_the_statement_count_does_not_grow_with_the_number_of_people(make_case):
    for p in ("prosecutor1", "prosecutor2"):
        _closed(make_case, "440106", p, 2)
    small = _compute("casemanager1@440106", unit="440106")
    n = len(_scores(small.id))
    extra = _extra_prosecutors("440106", 2 * n)
    for name in extra:
        make_case("440106", handler=name, status="closed", closed_on=date(2026, 3, 9))
    large = _compute("casemanager1@440106", unit="440106", period=MARCH)
    assert len(_scores(large.id)) == 3 * n
    assert large.statements == small.statements
    print(f"\nstatements per run: {n} people -> {small.statements}, "
          f"{3 * n} people -> {large.statements}")


def test_the_same_data_and_rules_give_the_same_scores(make_case):
    _closed(make_case, "440105", "prosecutor2", 3, weight=1.5)
    first = _compute("casemanager1@440105")
    before = _scores(first.id)
    items = _all_points(first.id)
    again = _compute("casemanager1@440105")  # replaces the unpublished run
    assert again.public_id != first.public_id
    assert _scores(again.id) == before
    assert _all_points(again.id) == items
    with system_scope("test"):
        assert db.session.scalars(select(ScoreRun).where(
            ScoreRun.public_id == first.public_id)).first() is None


# ---------------------------------------------------------------- grading
def test_quota_grading_gives_at_most_15_percent_excellent():
    grading = {"method": "quota", "grades": [
        {"name": "优秀", "max_share": 0.15, "min": 60}, {"name": "称职", "min": 45},
        {"name": "基本称职", "min": 35}, {"name": "不称职", "min": None}]}
    people = [Standing(i, 100 - i, 0, rank=i + 1) for i in range(20)]
    grade(people, grading)
    assert [p.grade for p in people].count("优秀") == 3  # floor(0.15 × 20)
    assert people[3].grade == "称职"  # 97 points, but the quota is full
    tied = [Standing(i, t, 0) for i, t in enumerate([90, 80, 80, 70, 65, 60, 59, 50, 40, 10])]
    grade(tied, grading)  # one place, but not below the tie at 80 → the top one only
    assert [p.grade for p in tied] == ["优秀", "称职", "称职", "称职", "称职", "称职",
                                       "称职", "称职", "基本称职", "不称职"]
    top_tie = [Standing(i, 90, 0) for i in range(10)]
    grade(top_tie, grading)  # ten equal totals for one place: nobody is 优秀
    assert {p.grade for p in top_tie} == {"称职"}


def test_a_computed_run_respects_the_quota_and_ranks_by_total(make_case):
    _closed(make_case, "440105", "prosecutor1", 5, weight=2.0)
    _closed(make_case, "440105", "prosecutor2", 3)
    run = _compute("casemanager1@440105")
    table = sorted(_scores(run.id).values(), key=lambda s: s[1])
    assert sum(1 for s in table if s[2] == "优秀") <= int(0.15 * len(table))
    totals = [t for t, _, _ in table]
    assert totals == sorted(totals, reverse=True)
    assert table[0][1] == 1


def test_weighted_cases_are_normalised_within_the_department(make_case):
    _closed(make_case, "440105", "prosecutor1", 2, weight=2.0)  # criminal: best, 4.0
    _closed(make_case, "440105", "prosecutor2", 1, weight=1.0)  # criminal: 1.0
    _closed(make_case, "440105", "civilprosecutor1", 1, weight=0.5)  # civil: best, 0.5
    run = _compute("casemanager1@440105")
    q02 = {name: _items(run.id, name)["Q02"] for name in
           ("prosecutor1@440105", "prosecutor2@440105", "civilprosecutor1@440105")}
    top = 15  # Haizhu raised Q02's max_points from 12 to 15
    assert q02["prosecutor1@440105"].detail["department_best"] == 4.0
    assert q02["prosecutor2@440105"].detail["department_best"] == 4.0
    assert q02["civilprosecutor1@440105"].detail["department_best"] == 0.5
    assert q02["civilprosecutor1@440105"].detail.get("aspect_cap") or \
        q02["civilprosecutor1@440105"].points == pytest.approx(top)
    assert (q02["prosecutor2@440105"].detail.get("aspect_cap") or {}).get(
        "before", q02["prosecutor2@440105"].points) == pytest.approx(top * 1.0 / 4.0)


# ---------------------------------------------------------------- sandbox
def test_a_draft_in_the_sandbox_explains_who_moves_and_why(as_user, make_case):
    _closed(make_case, "440105", "prosecutor4", 6, kind="审查逮捕")
    official = _compute("casemanager1@440105")
    with as_user("casemanager1@440105") as manager:
        haizhu = by_code("440105")
        draft = rules_editing.create_draft(manager, haizhu, "prosecutor", "month",
                                           effective_from=date(2026, 4, 1))
        inds = [{**i, "points_per_unit": 0.0} if i["code"] == "HZ01" else i
                for i in content_of(draft)["indicators"]]
        draft = rules_editing.save(manager, draft, {"indicators": inds})
        result = score_runs.sandbox(manager, haizhu, draft, MARCH)
    assert result["run"].kind == "sandbox" and result["run"].status == "computed"
    assert result["baseline"].id == official.id
    people = {p["username"]: p for p in result["comparison"]["people"]}
    mover = people["prosecutor4@440105"]
    hz01 = next(d for d in mover["deltas"] if d["indicator"] == "HZ01")
    assert hz01["delta"] < 0 and "HZ01" in mover["explanation"]
    assert mover["total_change"] == pytest.approx(sum(d["delta"] for d in mover["deltas"]),
                                                  abs=1e-3)
    assert mover["move"] in ("down", "same")
    moved = [p for p in people.values() if p["move"] in ("up", "down")]
    for p in moved:
        assert p["deltas"] and p["rank_change"] != 0
        assert (p["move"] == "up") == (p["rank_change"] > 0)
    assert result["comparison"]["summary"]["down"] + result["comparison"]["summary"]["same"] \
        + result["comparison"]["summary"]["up"] == len(people)
    with system_scope("test"):
        assert rules.load_content(draft.id).status == "draft"  # the sandbox changes nothing


def test_official_scores_need_a_published_rule_set(as_user):
    with as_user("casemanager1@440105") as manager:
        draft = rules_editing.create_draft(manager, by_code("440105"), "prosecutor")
    with pytest.raises(scoring.ScoringError):
        _compute("casemanager1@440105", rule_set=draft)
    with pytest.raises(scoring.ScoringError):
        _compute("casemanager1@440105", period="2026-Q1")  # a monthly rule set


# ---------------------------------------------------------------- roles
def test_only_the_units_case_managers_or_chief_compute_and_publish(as_user):
    with pytest.raises(PermissionError):
        _compute("prosecutor1@440105")
    with pytest.raises(PermissionError):
        _compute("casemanager1@440100", unit="440105")  # the city reads, does not compute
    run = _compute("casemanager1@440105")
    with as_user("prosecutor1@440105") as prosecutor:
        with pytest.raises(OutOfScope):  # not published yet: invisible to prosecutors
            score_runs.run_for(prosecutor, run.public_id)
        with pytest.raises(PermissionError):
            score_runs.publish(db.session.get(ScoreRun, run.id), prosecutor)


def test_published_ranking_for_the_unit_and_each_ones_own_trace(as_user, make_case):
    _closed(make_case, "440105", "prosecutor1", 2)
    run = _compute("casemanager1@440105")
    with as_user("chief1@440105") as chief:
        score_runs.publish(score_runs.run_for(chief, run.public_id), chief)
    with as_user("prosecutor2@440105") as colleague:
        seen = score_runs.run_for(colleague, run.public_id)
        ranking = score_runs.ranking(seen)
        assert [r["rank"] for r in ranking] == sorted(r["rank"] for r in ranking)
        mine = score_runs.person_score(colleague, seen, "prosecutor2@440105")
        assert mine["items"]
        with pytest.raises(OutOfScope):
            score_runs.person_score(colleague, seen, "prosecutor1@440105")
    with as_user("casemanager1@440100") as city:
        trace = score_runs.person_score(city, score_runs.run_for(city, run.public_id),
                                        "prosecutor1@440105")
        cases = [s["case"] for i in trace["items"] if i["indicator"] == "Q01"
                 for s in i["sources"]]
        assert len(cases) == 2 and all(cases)


# ---------------------------------------------------------------- objections
def test_an_objection_is_raised_answered_and_logged(as_user, make_case):
    _closed(make_case, "440105", "prosecutor1", 1)
    run = _compute("casemanager1@440105")
    item = _items(run.id, "prosecutor1@440105")["Q01"]
    with as_user("prosecutor1@440105") as me:
        with pytest.raises(scoring.ScoringError):  # not published yet
            score_runs.objection(me, score_runs.item_for(me, item.id), "少算了一件")
    with as_user("casemanager1@440105") as manager:
        score_runs.publish(score_runs.run_for(manager, run.public_id), manager)
    with as_user("prosecutor2@440105") as colleague:
        with pytest.raises(OutOfScope):
            score_runs.item_for(colleague, item.id)
    with as_user("prosecutor1@440105") as me:
        raised = score_runs.objection(me, score_runs.item_for(me, item.id), "少算了一件")
        with pytest.raises(PermissionError):
            score_runs.answer(me, raised, "自己答复")
    with as_user("casemanager1@440105") as manager:
        answered = score_runs.answer(manager, raised, "已核实，该案4月结案，不计入3月")
        assert answered.status == "answered" and answered.answered_by_id == manager.id
        with pytest.raises(scoring.ScoringError):
            score_runs.answer(manager, answered, "再答")
        assert [o.id for o in score_runs.objections(manager, by_code("440105"))] == [raised.id]
    with system_scope("test: audit"):
        trail = db.session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "Objection", AuditEntry.object_id == str(raised.id))
            .order_by(AuditEntry.seq)).all()
        assert [e.action for e in trail] == ["create", "update"]
        assert trail[0].actor_id == _user("prosecutor1@440105").id
        assert trail[1].detail["status"] == "answered"
        published = db.session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "ScoreRun", AuditEntry.object_id == str(run.id),
            AuditEntry.action == "update")).all()
        assert any(e.detail.get("status") == "published" for e in published)


def test_assistants_are_scored_on_the_cases_they_assist_under_the_template(make_case):
    make_case("440105", handler="prosecutor1@440105", assistants=("assistant1@440105",),
              status="closed", closed_on=date(2026, 3, 3), weight=2.0)
    with system_scope("test"):
        haizhu = by_code("440105")
        template = rules.effective_rule_set(haizhu, "assistant", "month", date(2026, 3, 1))
        assert template.unit_id == by_code("440000").id  # Haizhu has no assistant rules
    run = _compute("casemanager1@440105", rule_set=template)
    assert set(_scores(run.id)) == {"assistant1@440105", "assistant2@440105"}
    mine = _items(run.id, "assistant1@440105")
    assert (mine["Q01"].raw_value, mine["Q02"].raw_value) == (1, 2.0)
    assert _items(run.id, "assistant2@440105")["Q01"].raw_value == 0
