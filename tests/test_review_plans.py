"""Review plans: who may plan what, the reproducible sample (random part plus the
must-review cases), its replay, and starting a cross-review (the order, the
reviewers it refuses, the reviews it assigns)."""
from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from procuracy.appraisal import review_plans, review_sampling
from procuracy.appraisal.review_models import (
    MUST_REVIEW,
    Checklist,
    Review,
    ReviewPlan,
    ReviewSample,
)
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.crossreview import CrossReviewOrder
from procuracy.tenants.models import Unit, User
from procuracy.tenants.scope import system_scope

DATE_FROM, DATE_TO = date(2026, 3, 1), date(2026, 10, 31)
REVIEWERS = ["prosecutor1@440106", "prosecutor2@440106"]


# ---------------------------------------------------------------- helpers (shared)
def checklist_id(province: str = "440000") -> int:
    with system_scope("test: the province's checklist"):
        return db.session.scalar(select(Checklist.id).join(Unit, Unit.id == Checklist.unit_id)
                                 .where(Unit.code == province,
                                        Checklist.status == "published"))


def haizhu_cases(make_case, n: int = 28) -> dict:
    """``n`` closed Haizhu cases in the period, two must-review ones, and two that are
    not in the population (still open; closed after the period)."""
    handlers = [f"prosecutor{i}@440105" for i in range(1, 5)]
    plain = [make_case("440105", handler=handlers[i % 4], status="closed",
                       closed_on=date(2026, 6, 1) + timedelta(days=i), outcome="prosecuted")[1]
             for i in range(n)]
    acquitted = make_case("440105", handler="prosecutor2@440105", status="closed",
                          closed_on=date(2026, 7, 1), outcome="acquitted")[1]
    not_prosecuted = make_case("440105", handler="prosecutor3@440105", status="closed",
                               closed_on=date(2026, 7, 2), outcome="not_prosecuted")[1]
    still_open = make_case("440105", handler="prosecutor1@440105")[1]
    too_late = make_case("440105", handler="prosecutor1@440105", status="closed",
                         closed_on=date(2026, 11, 20), outcome="prosecuted")[1]
    return {"plain": plain, "acquitted": acquitted, "not_prosecuted": not_prosecuted,
            "open": still_open, "late": too_late}


def population_size(unit: str = "440105") -> int:
    """Closed cases of the unit in the period that are not must-review (plain SQL-free count)."""
    with system_scope("test: count the population"):
        return db.session.scalar(
            select(func.count(Case.id)).join(Unit, Unit.id == Case.unit_id)
            .where(Unit.code == unit, Case.status == "closed", Case.closed_on >= DATE_FROM,
                   Case.closed_on <= DATE_TO, Case.outcome.not_in(MUST_REVIEW)))


def period(days: int = 30) -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(hours=1), now + timedelta(days=days)


def plan_kwargs(**over) -> dict:
    starts_at, ends_at = period()
    return {"name": "2026年海珠区院案件交叉评查", "checklist_id": checklist_id(),
            "units": ["440105"], "date_from": DATE_FROM, "date_to": DATE_TO,
            "sample_mode": "rate", "sample_value": 0.1, "reviewing": "440106",
            "starts_at": starts_at, "ends_at": ends_at, **over}


def drawn_plan(as_user, **over) -> str:
    with as_user("casemanager1@440100") as cm:
        plan = review_plans.create_plan(cm, **plan_kwargs(**over))
        review_plans.draw_sample(plan, cm)
        return plan.public_id


def started_plan(as_user, reviewers=None, **over) -> str:
    public_id = drawn_plan(as_user, **over)
    with as_user("casemanager1@440100") as cm:
        review_plans.start_review(review_plans.get_plan(public_id), cm, reviewers or REVIEWERS)
    return public_id


def sample_rows(public_id: str) -> list[ReviewSample]:
    with system_scope("test: the stored sample"):
        plan = db.session.scalars(select(ReviewPlan).where(ReviewPlan.public_id == public_id)).one()
        return list(db.session.scalars(select(ReviewSample).where(
            ReviewSample.plan_id == plan.id).order_by(ReviewSample.rank)))


# ---------------------------------------------------------------- the draw
def test_sample_is_ceil_of_the_rate_at_random_plus_every_must_review_case(as_user, make_case):
    cases = haizhu_cases(make_case)
    public_id = drawn_plan(as_user)
    rows = sample_rows(public_id)
    randoms = [r for r in rows if r.reason == "random"]
    musts = {r.reason for r in rows if r.reason != "random"}
    assert len(randoms) == math.ceil(0.1 * population_size())
    assert musts == {"acquitted", "not_prosecuted"}
    with system_scope("test"):
        ids = dict(db.session.execute(select(Case.public_id, Case.id)).all())
    sampled = {r.case_id for r in rows}
    assert ids[cases["acquitted"]] in sampled and ids[cases["not_prosecuted"]] in sampled
    assert ids[cases["open"]] not in sampled and ids[cases["late"]] not in sampled
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def test_replay_recomputes_the_same_sample_from_the_stored_seed(as_user, make_case):
    haizhu_cases(make_case)
    public_id = drawn_plan(as_user)
    with as_user("casemanager1@440100"):
        plan = review_plans.get_plan(public_id)
        assert plan.seed
        replay = review_plans.replay_sample(plan)
    assert replay["reproduced"] is True
    assert replay["drawn"] == replay["recomputed"]
    assert replay["random"] == math.ceil(0.1 * population_size())


def test_replay_reports_a_changed_population(as_user, make_case):
    haizhu_cases(make_case)
    public_id = drawn_plan(as_user, sample_mode="count", sample_value=5)
    with system_scope("test: a sampled case is reopened"):
        case = db.session.get(Case, sample_rows(public_id)[0].case_id)
        case.status = "open"
        db.session.commit()
    with as_user("casemanager1@440100"):
        replay = review_plans.replay_sample(review_plans.get_plan(public_id))
    assert replay["reproduced"] is False and replay["reason"]


def test_the_draw_is_one_statement_for_the_population_and_one_for_must_review(
        as_user, make_case):
    haizhu_cases(make_case)
    with as_user("casemanager1@440100") as cm:
        plan = review_plans.create_plan(cm, **plan_kwargs())
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            if "FROM cases" in statement:
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            pool, musts = review_sampling.population(plan)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2
    assert len(pool) == population_size() and len(musts) == 2


def test_the_draw_depends_only_on_the_seed_and_the_population():
    ids = list(range(100, 160))
    first = review_sampling.draw_ids(ids, 7, "seed-a")
    assert first == review_sampling.draw_ids(list(reversed(ids)), 7, "seed-a")
    assert len(set(first)) == 7 and set(first) <= set(ids)
    assert first != review_sampling.draw_ids(ids, 7, "seed-b")
    assert sorted(review_sampling.draw_ids(ids, 100, "x")) == ids  # never more than all


@pytest.mark.parametrize("mode, value, size, expected", [
    ("rate", 0.1, 30, 3), ("rate", 0.1, 31, 4), ("rate", 0.05, 1, 1), ("rate", 1.0, 7, 7),
    ("count", 23, 10, 10), ("count", 3, 10, 3), ("rate", 0.1, 0, 0)])
def test_sample_size(mode, value, size, expected):
    assert review_sampling.sample_size(mode, value, size) == expected


def test_a_count_sample_with_descendants_covers_the_whole_city(as_user, make_case):
    haizhu_cases(make_case, n=6)
    make_case("440106", handler="prosecutor1@440106", status="closed",
              closed_on=date(2026, 6, 3), outcome="acquitted")
    with as_user("casemanager1@440100") as cm:
        plan = review_plans.create_plan(cm, **plan_kwargs(
            units=["440100"], with_descendants=True, reviewing=None, starts_at=None,
            ends_at=None, sample_mode="count", sample_value=4))
        review_plans.draw_sample(plan, cm)
        out = review_plans.sample_out(plan)
    assert len([r for r in out if r["reason"] == "random"]) == 4
    assert {r["unit"] for r in out if r["reason"] == "acquitted"} == {"440105", "440106"}


def test_filters_narrow_the_population(as_user, make_case):
    haizhu_cases(make_case, n=4)
    make_case("440105", handler="prosecutor1@440105", status="closed", major=True,
              closed_on=date(2026, 6, 3), outcome="prosecuted")
    with as_user("casemanager1@440100") as cm:
        plan = review_plans.create_plan(cm, **plan_kwargs(filters={"major": True},
                                                          sample_value=1.0, must_review=[]))
        pool, musts = review_sampling.population(plan)
    assert len(pool) >= 1 and musts == []
    with system_scope("test"):
        assert all(db.session.get(Case, cid).major for cid, _ in pool)


def test_a_sample_is_drawn_once(as_user, make_case):
    haizhu_cases(make_case, n=4)
    public_id = drawn_plan(as_user)
    with as_user("casemanager1@440100") as cm, pytest.raises(review_plans.PlanRejected):
        review_plans.draw_sample(review_plans.get_plan(public_id), cm)


def test_an_empty_population_is_refused(as_user):
    with as_user("casemanager1@440100") as cm:
        plan = review_plans.create_plan(cm, **plan_kwargs(date_from=date(2020, 1, 1),
                                                          date_to=date(2020, 1, 31)))
        with pytest.raises(review_plans.PlanRejected, match="no closed case"):
            review_plans.draw_sample(plan, cm)


# ---------------------------------------------------------------- who plans what
def test_shenzhen_cannot_plan_a_review_of_guangzhou_districts(as_user):
    with as_user("casemanager1@440300") as cm, \
            pytest.raises(review_plans.PlanRejected) as refused:
        review_plans.create_plan(cm, **plan_kwargs(reviewing="440305"))
    assert refused.value.field == "units" and "440105" in str(refused.value)


def test_a_prosecutor_does_not_plan_reviews(as_user):
    with as_user("prosecutor1@440100") as p, pytest.raises(PermissionError):
        review_plans.create_plan(p, **plan_kwargs())


def test_a_special_review_is_started_by_whom_the_power_list_names(as_user):
    with as_user("casemanager1@440100") as cm, pytest.raises(PermissionError, match="AG-011"):
        review_plans.create_plan(cm, **plan_kwargs(type="special"))
    with as_user("deputy1@440100") as deputy:
        assert review_plans.create_plan(deputy, **plan_kwargs(type="special")).type == "special"


@pytest.mark.parametrize("over, field", [
    ({"reviewing": "440305"}, "reviewing"),  # Nanshan is not under Guangzhou
    ({"reviewing": "440105"}, "reviewing"),  # a unit does not cross-review itself
    ({"units": ["440105", "440106"]}, "units"),  # a cross-review covers one unit
    ({"starts_at": None, "ends_at": None}, "ends_at"),
    ({"checklist_id": 987654}, "checklist"),
    ({"sample_value": 1.5}, "sample_value"),
    ({"must_review": ["convicted"]}, "must_review"),
    ({"filters": {"colour": "red"}}, "filters"),
    ({"date_to": date(2026, 1, 1)}, "date_to"),
])
def test_a_plan_that_breaks_a_rule_is_refused_naming_the_field(as_user, over, field):
    with as_user("casemanager1@440100") as cm, \
            pytest.raises(review_plans.PlanRejected) as refused:
        review_plans.create_plan(cm, **plan_kwargs(**over))
    assert refused.value.field == field


# ---------------------------------------------------------------- starting a cross-review
def test_start_issues_the_order_and_assigns_reviews_round_robin(as_user, make_case):
    haizhu_cases(make_case)
    public_id = started_plan(as_user)
    rows = sample_rows(public_id)
    with system_scope("test: what the start created"):
        plan = db.session.scalars(select(ReviewPlan).where(ReviewPlan.public_id == public_id)).one()
        order = db.session.get(CrossReviewOrder, plan.order_id)
        reviews = db.session.scalars(select(Review).where(Review.plan_id == plan.id)
                                     .order_by(Review.id)).all()
        users = dict(db.session.execute(select(User.username, User.id)).all())
        units = dict(db.session.execute(select(Unit.code, Unit.id)).all())
        handlers = dict(db.session.execute(select(Case.id, Case.handler_id)).all())
        assert plan.status == "reviewing"
        assert {c.case_id for c in order.cases} == {r.case_id for r in rows}
        assert {r.user_id for r in order.reviewers} == {users[n] for n in REVIEWERS}
        assert (order.reviewing_unit_id, order.reviewed_unit_id) == (units["440106"],
                                                                     units["440105"])
    assert [r.case_id for r in reviews] == [s.case_id for s in rows]
    assert [r.reviewer_id for r in reviews] == [users[REVIEWERS[i % 2]]
                                                for i in range(len(reviews))]
    assert {(r.unit_id, r.reviewed_unit_id) for r in reviews} == {(units["440106"],
                                                                   units["440105"])}
    assert all(r.handler_id == handlers[r.case_id] for r in reviews)


def test_reviewers_from_the_reviewed_unit_are_refused(as_user, make_case):
    haizhu_cases(make_case, n=5)
    public_id = drawn_plan(as_user)
    with as_user("casemanager1@440100") as cm, \
            pytest.raises(review_plans.PlanRejected, match="reviewed unit"):
        review_plans.start_review(review_plans.get_plan(public_id), cm,
                                  ["prosecutor1@440106", "casemanager1@440105"])


def test_a_reviewer_who_worked_on_a_sampled_case_is_refused(as_user, make_case):
    make_case("440105", handler="prosecutor1@440105", assistants=("assistant1@440106",),
              status="closed", closed_on=date(2026, 6, 2), outcome="acquitted")
    public_id = drawn_plan(as_user)
    with as_user("casemanager1@440100") as cm, \
            pytest.raises(review_plans.PlanRejected, match="worked on"):
        review_plans.start_review(review_plans.get_plan(public_id), cm,
                                  ["prosecutor1@440106", "assistant1@440106"])


def test_a_plan_needs_two_reviewers_and_starts_once(as_user, make_case):
    haizhu_cases(make_case, n=5)
    public_id = drawn_plan(as_user)
    with as_user("casemanager1@440100") as cm:
        with pytest.raises(review_plans.PlanRejected, match="two reviewers"):
            review_plans.start_review(review_plans.get_plan(public_id), cm, REVIEWERS[:1])
        review_plans.start_review(review_plans.get_plan(public_id), cm, REVIEWERS)
        with pytest.raises(review_plans.PlanRejected, match="once"):
            review_plans.start_review(review_plans.get_plan(public_id), cm, REVIEWERS)


def test_an_in_house_review_is_done_by_those_who_read_the_cases(as_user, make_case):
    haizhu_cases(make_case, n=5)
    with as_user("casemanager1@440105") as cm:
        plan = review_plans.create_plan(cm, **plan_kwargs(reviewing=None, starts_at=None,
                                                          ends_at=None))
        review_plans.draw_sample(plan, cm)
        with pytest.raises(review_plans.PlanRejected, match="cannot read the cases"):
            review_plans.start_review(plan, cm, ["casemanager1@440105", "prosecutor4@440105"])
        review_plans.start_review(plan, cm, ["casemanager1@440105", "deputy1@440105"])
        assert plan.order_id is None and plan.status == "reviewing"
