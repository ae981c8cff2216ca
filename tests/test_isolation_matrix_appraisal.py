# ruff: noqa: F811  (tests take the fixtures imported from the core matrix as arguments)
"""The appraisal and review rows of the isolation matrix
(tests/isolation_matrix_appraisal.py), run row by row against the API in a world of
their own: ``appraisal_world`` builds, for T = 440105 and T = 440100, the rule sets,
score runs, objection, event, hand-entered value, review plans, reviews and finding
the matrix names, through the services and as the people who would do it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from procuracy.appraisal import review_plans, reviewing, rules_editing, score_inputs, score_runs
from procuracy.appraisal.review_models import Finding, Review
from procuracy.appraisal.rules import effective_rule_set
from procuracy.appraisal.score_models import ScoreItem
from procuracy.appraisal.scoring import compute
from procuracy.cases.models import Case, CaseParticipant
from procuracy.extensions import db
from procuracy.tenants.models import Department, Unit, User
from procuracy.tenants.scope import system_scope
from tests.isolation_matrix import RELATIONS, Row
from tests.isolation_matrix_appraisal import ROWS
from tests.test_isolation_matrix import ON_POSTGRES, _check, bearer, world  # noqa: F401 (fixtures)
from tests.test_review_plans import checklist_id

A, R = "/api/v1/appraisal", "/api/v1/review"


# ---------------------------------------------------------------- the world
@dataclass(frozen=True)
class Resources:
    """T's appraisal and review resources (public ids unless said otherwise)."""

    code: str
    scored: str  # the prosecutor with a score, an objection, an event, a manual value
    rule_set: str  # T's draft
    run: str  # official 2026-03, published
    unpublished_run: str  # official 2026-04, not published
    item: int  # an item of the scored prosecutor's 2026-03 score (no objection on it)
    objection: str
    event: str
    manual_note: str
    checklist: int  # the province's published checklist
    reviewers: tuple[str, str]
    plan: str  # drawn and started
    plan_draft: str  # not drawn
    plan_drawn: str  # drawn, not started
    open_review: str  # first round, every item answered, not submitted
    second_review: str  # waiting for its second reviewer
    disputed_review: str
    finding: str
    cases: tuple[str, ...]  # the sampled cases' public ids
    numbers: tuple[str, ...]  # and numbers


# T -> (the plan's issuer, the reviewing unit)
REVIEW_SETUP = {"440105": ("440100", "440106"), "440100": ("440000", "440300")}
PERIOD_FROM, PERIOD_TO = date(2025, 11, 1), date(2025, 11, 30)


def _closed_cases(code: str, handler: str, n: int = 4) -> list[tuple[str, str]]:
    """``n`` closed cases of T in November 2025 (no other case of T closed then):
    their (public id, number)."""
    with system_scope("test: appraisal matrix cases"):
        unit = db.session.scalars(select(Unit).where(Unit.code == code)).one()
        user = db.session.scalars(select(User).where(User.username == handler)).one()
        criminal = db.session.scalars(select(Department).where(
            Department.unit_id == unit.id, Department.kind == "criminal")).one()
        cases = []
        for i in range(1, n + 1):
            case = Case(unit_id=unit.id, number=f"评查矩阵〔2025〕{code}-{i}号",
                        title="评查矩阵案件", kind_code="审查起诉", department_id=criminal.id,
                        handler_id=user.id, received_on=date(2025, 10, 1),
                        closed_on=date(2025, 11, 10 + i), status="closed", outcome="prosecuted")
            case.participants.append(CaseParticipant(unit_id=unit.id, user_id=user.id,
                                                     role="handler"))
            db.session.add(case)
            cases.append(case)
        db.session.commit()
        return [(c.public_id, c.number) for c in cases]


def _scores(as_user, code: str, scored: str) -> dict:
    manager = f"casemanager1@{code}"
    with as_user(manager) as cm:
        unit = db.session.get(Unit, cm.unit_id)
        draft = rules_editing.create_draft(cm, unit, "prosecutor", "month", date(2026, 7, 1),
                                           note="矩阵草稿")
        in_force = effective_rule_set(unit, "prosecutor", "month", date(2026, 3, 1))
        run = compute(unit, in_force, "2026-03", "official", cm)
        score_runs.publish(run, cm)
        april = compute(unit, in_force, "2026-04", "official", cm)
        person = db.session.scalars(select(User).where(User.username == scored)).one()
        event = score_inputs.record_event(cm, person, "award", 1.0, date(2026, 3, 5),
                                          note=f"矩阵事件{code}")
        note = f"矩阵手工分{code}"
        score_inputs.set_manual(cm, person, "2025-12", "W01", 90, note)
        items = db.session.scalars(select(ScoreItem).where(
            ScoreItem.run_id == run.id, ScoreItem.user_id == person.id)
            .order_by(ScoreItem.id)).all()
        ids = {"rule_set": draft.public_id, "run": run.public_id,
               "unpublished_run": april.public_id, "item": items[0].id,
               "event": event.public_id, "manual_note": note}
        objected = items[1].id
    with as_user(scored) as me:
        item = score_runs.item_for(me, objected)
        ids["objection"] = score_runs.objection(me, item, "矩阵：漏算一件").public_id
    return ids


def _plan(cm, code: str, reviewing_unit: str, checklist: int):
    starts = datetime.now(UTC) - timedelta(hours=1)
    return review_plans.create_plan(
        cm, name=f"评查矩阵 {code}", checklist_id=checklist, units=[code],
        date_from=PERIOD_FROM, date_to=PERIOD_TO, sample_mode="count", sample_value=4,
        must_review=[], reviewing=reviewing_unit, blind=True, starts_at=starts,
        ends_at=starts + timedelta(days=30))


def _reviews(as_user, code: str, checklist: int) -> dict:
    issuer, reviewing_unit = REVIEW_SETUP[code]
    reviewers = (f"prosecutor1@{reviewing_unit}", f"prosecutor3@{reviewing_unit}")
    first, other = reviewers
    with as_user(f"casemanager1@{issuer}") as cm:
        plan = _plan(cm, code, reviewing_unit, checklist)
        review_plans.draw_sample(plan, cm)
        review_plans.start_review(plan, cm, list(reviewers))
        drawn = _plan(cm, code, reviewing_unit, checklist)
        review_plans.draw_sample(drawn, cm)
        draft = _plan(cm, code, reviewing_unit, checklist)
        ids = {"plan": plan.public_id, "plan_drawn": drawn.public_id,
               "plan_draft": draft.public_id, "reviewers": reviewers}
        plan_id = plan.id
    with system_scope("test: the plan's reviews"):
        reviews = [r.public_id for r in db.session.scalars(
            select(Review).where(Review.plan_id == plan_id).order_by(Review.id))]
    # round-robin: 0 and 2 are prosecutor1's, 1 and 3 prosecutor3's
    fail = [{"item_code": "SR-01", "passed": False, "note": "漏认定一起犯罪事实"}]
    with as_user(first) as me:
        reviewing.record_results(reviewing.get_review(reviews[0]), me, [], pass_rest=True)
        reviewing.record_results(reviewing.get_review(reviews[2]), me, fail, pass_rest=True)
        reviewing.submit(reviewing.get_review(reviews[2]), me)  # second reviewer: prosecutor3
    with as_user(other) as me:
        done = reviewing.get_review(reviews[1])
        reviewing.record_results(done, me, [{"item_code": "WS-02", "passed": False,
                                             "note": "审查报告未回应辩护意见"}], pass_rest=True)
        reviewing.submit(done, me)  # 合格: final, one finding
        reviewing.record_results(reviewing.get_review(reviews[3]), me, fail, pass_rest=True)
        reviewing.submit(reviewing.get_review(reviews[3]), me)  # second reviewer: prosecutor1
    with as_user(first) as me:
        reviewing.second_review(reviewing.get_review(reviews[3]), me, [], pass_rest=True)
    with system_scope("test: the finding"):
        ids["finding"] = db.session.scalars(select(Finding.public_id).join(
            Review, Review.id == Finding.review_id).where(Review.public_id == reviews[1])).one()
        states = dict(db.session.execute(select(Review.public_id, Review.status).where(
            Review.public_id.in_(reviews))).all())
    assert [states[r] for r in reviews] == ["in_progress", "final", "second_review",
                                           "disputed"], states
    ids.update(open_review=reviews[0], second_review=reviews[2], disputed_review=reviews[3])
    return ids


@pytest.fixture
def appraisal_world(world, as_user) -> dict:
    """The core world plus T's appraisal and review resources, for both targets."""
    checklist = checklist_id("440000")
    targets = {}
    for code in ("440105", "440100"):
        scored = f"prosecutor1@{code}"
        cases = _closed_cases(code, scored)
        targets[code] = Resources(
            code=code, scored=scored, checklist=checklist, **_scores(as_user, code, scored),
            **_reviews(as_user, code, checklist), cases=tuple(c for c, _ in cases),
            numbers=tuple(n for _, n in cases))
    return {**world, "targets": targets}


# ---------------------------------------------------------------- running a row
def _path_ids(row: Row, t: Resources) -> dict[str, str]:
    op = (row.method, row.endpoint)
    run = t.unpublished_run if op == ("POST", f"{A}/runs/{{run_id}}/publish") else t.run
    plan = {("POST", f"{R}/plans/{{plan_id}}/draw"): t.plan_draft,
            ("POST", f"{R}/plans/{{plan_id}}/start"): t.plan_drawn}.get(op, t.plan)
    review = {("POST", f"{R}/reviews/{{review_id}}/second-review"): t.second_review,
              ("POST", f"{R}/reviews/{{review_id}}/resolve"): t.disputed_review}.get(
        op, t.open_review)
    return {"code": t.code, "rule_set_id": t.rule_set, "run_id": run,
            "other_id": t.unpublished_run, "username": t.scored, "item_id": str(t.item),
            "objection_id": t.objection, "checklist_id": str(t.checklist), "plan_id": plan,
            "review_id": review, "finding_id": t.finding, "dimension": "prosecutor"}


def _url(row: Row, t: Resources) -> str:
    names = _path_ids(row, t)
    return re.sub(r"{(\w+)}", lambda m: names[m[1]], row.path)


def _body(row: Row, t: Resources) -> dict | None:
    """A valid body for each write: what the rightful actor would send."""
    results = {"results": [{"item_code": "SR-07", "passed": True}], "pass_rest": False}
    return {
        # (the child row's 440105 drafts after the same row's: another audience)
        f"{A}/rule-sets": {"audience": "assistant" if t.code == "440105" else "clerk",
                           "effective_from": "2026-07-01"},
        f"{A}/rule-sets/{{rule_set_id}}": {"note": "矩阵：改"},
        f"{A}/rule-sets/{{rule_set_id}}/sandbox": {"period": "2026-03"},
        f"{A}/runs": {"period": "2026-05"},
        f"{A}/items/{{item_id}}/objections": {"text": "矩阵：少算一件"},
        f"{A}/objections/{{objection_id}}/answer": {"text": "矩阵：经核实已计入"},
        f"{A}/events": {"username": t.scored, "type": "award", "points": 1,
                        "occurred_on": "2026-03-06", "note": "矩阵"},
        f"{A}/manual-scores": {"username": t.scored, "period": "2026-03",
                               "indicator_code": "W01", "value": 88},
        f"{R}/plans": {"name": "矩阵评查", "checklist": t.checklist, "units": [t.code],
                       "date_from": PERIOD_FROM.isoformat(), "date_to": PERIOD_TO.isoformat(),
                       "sample_mode": "count", "sample_value": 1},
        f"{R}/plans/{{plan_id}}/start": {"reviewers": list(t.reviewers)},
        f"{R}/reviews/{{review_id}}/results": results,
        f"{R}/reviews/{{review_id}}/second-review": {"results": [], "pass_rest": True},
        f"{R}/reviews/{{review_id}}/resolve": {"grade": "不合格"},
        f"{R}/findings/{{finding_id}}/discovery": {"discovery": "self_fixed"},
    }.get(row.endpoint) if row.method != "GET" else None


def _request(row: Row, client, bearer, t: Resources):
    headers = bearer(row.username) if row.username else {}
    return client.open(_url(row, t), method=row.method, headers=headers, json=_body(row, t))


def _ids(body) -> set:
    return {x.get("id") for x in body} if isinstance(body, list) else set()


def _probe(row: Row, response, t: Resources) -> tuple[bool, int]:
    """(is T's resource in the answer, number of rows of a list answer or -1)."""
    body = response.get_json(silent=True)
    count = len(body) if isinstance(body, list) else -1
    by_id = {f"{A}/rule-sets": t.rule_set, f"{A}/runs": t.run,
             f"{A}/objections": t.objection, f"{A}/events": t.event,
             f"{R}/checklists": t.checklist, f"{R}/plans": t.plan,
             f"{R}/findings": t.finding}
    if row.method == "GET" and row.endpoint in by_id:
        return by_id[row.endpoint] in _ids(body), count
    if row.endpoint == f"{A}/manual-scores":
        return any(m.get("note") == t.manual_note for m in body), count
    if row.endpoint == f"{R}/reviews/mine":
        reviews = {t.open_review, t.second_review, t.disputed_review}
        return bool(reviews & _ids(body)), count
    if row.endpoint in (f"{A}/rule-sets", f"{A}/rule-sets/effective", f"{A}/runs"):
        return body.get("unit") == t.code, count  # a new rule set or run, the one in force
    text = response.get_data(as_text=True)
    if row.endpoint.startswith(f"{A}/runs/") or row.endpoint.startswith(f"{A}/performance"):
        return t.scored in text, count
    if row.endpoint.startswith(f"{R}/stats/") or row.endpoint.endswith("/score"):
        return t.scored in text or t.finding in text, count
    return any(x in text for x in (*t.cases, *t.numbers)), count


# Rows the application gets wrong today: (method, path, relation, viewer) ->
# (the bug, whether only PostgreSQL has it). Each runs as its own strict xfail, so
# fixing the bug turns it into a failure: then delete it here.
KNOWN_BUGS: dict[tuple, tuple[str, bool]] = {}  # none known today


def _key(row: Row) -> tuple:
    return row.method, row.path, row.relation, row.viewer


def _bug(row: Row) -> str | None:
    reason, postgres_only = KNOWN_BUGS.get(_key(row), (None, False))
    return reason if reason and (ON_POSTGRES or not postgres_only) else None


def _operations() -> list[tuple[str, str]]:
    return list(dict.fromkeys((r.method, r.endpoint) for r in ROWS))


def _run(row: Row, client, bearer, appraisal_world) -> str | None:
    return _check(row, client, bearer, appraisal_world, request=_request, probe=_probe)


def test_every_known_appraisal_bug_names_a_matrix_row():
    assert set(KNOWN_BUGS) <= {_key(r) for r in ROWS}


@pytest.mark.parametrize("operation", [pytest.param(op, id=" ".join(op)) for op in _operations()])
def test_every_viewer_gets_what_the_appraisal_matrix_expects(operation, client, bearer,
                                                             appraisal_world):
    """All rows of one operation in one world, in the order written."""
    rows = [r for r in ROWS if (r.method, r.endpoint) == operation and not _bug(r)]
    assert rows
    failures = [problem for row in rows
                if (problem := _run(row, client, bearer, appraisal_world))]
    assert not failures, f"{len(failures)} of {len(rows)} rows fail:\n" + "\n".join(failures)


_BUGGY_ROWS = [pytest.param(r, id=r.id, marks=pytest.mark.xfail(strict=True, reason=_bug(r)))
               for r in ROWS if _bug(r)]


@pytest.mark.skipif(not _BUGGY_ROWS, reason="no appraisal matrix row is a known bug here")
@pytest.mark.parametrize("row", _BUGGY_ROWS or [None])
def test_appraisal_matrix_row_the_application_gets_wrong_today(row, client, bearer,
                                                               appraisal_world):
    problem = _run(row, client, bearer, appraisal_world)
    assert problem is None, problem


def test_the_viewers_named_stand_where_their_relation_says():
    """Every viewer of a row exists in the viewer's unit of its relation (a typo would
    otherwise turn a row into a 401 that proves nothing)."""
    wanted = {f"{r.viewer}@{RELATIONS[r.relation][1]}" for r in ROWS if r.viewer}
    with system_scope("test: the matrix's viewers"):
        found = set(db.session.scalars(select(User.username).where(User.username.in_(wanted))))
    assert wanted - found == set()


# ---------------------------------------------------------------- rules beyond one row
def test_cross_reviewer_reads_exactly_the_sampled_cases_during_the_order(
        client, bearer, appraisal_world):
    t = appraisal_world["targets"]["440105"]
    reviewer = bearer(t.reviewers[0])
    listed = client.get("/api/v1/cases", headers=reviewer,
                        query_string={"unit": "440105", "page_size": 100})
    assert listed.status_code == 200
    assert sorted(c["id"] for c in listed.get_json()) == sorted(t.cases)
    other = appraisal_world["haizhu_other_case"]
    assert client.get(f"/api/v1/cases/{other}", headers=reviewer).status_code == 404
    assert client.get("/api/v1/units/440105/users", headers=reviewer).status_code == 404
    bystander = bearer("prosecutor2@440106")  # of the reviewing unit, not named
    assert client.get(f"/api/v1/cases/{t.cases[0]}", headers=bystander).status_code == 404


def test_blind_review_work_list_names_no_case(client, bearer, appraisal_world):
    t = appraisal_world["targets"]["440105"]
    mine = client.get(f"{R}/reviews/mine", headers=bearer(t.reviewers[0])).get_json()
    assert {r["id"] for r in mine} >= {t.open_review}
    text = str(mine)
    assert not any(x in text for x in (*t.cases, *t.numbers))
    assert {r["case"] for r in mine} == {None} and {r["number"] for r in mine} == {
        reviewing.MASK}


def test_reviewed_unit_reads_a_review_once_it_is_final(client, bearer, appraisal_world):
    t = appraisal_world["targets"]["440105"]
    with system_scope("test: the final review"):
        final = db.session.scalars(select(Review.public_id).join(
            Finding, Finding.review_id == Review.id).where(Finding.public_id == t.finding)).one()
    chief = bearer("chief1@440105")
    form = client.get(f"{R}/reviews/{final}", headers=chief)
    assert form.status_code == 200 and form.get_json()["final_grade"] == "合格"
    assert form.get_json()["case"]["number"] in t.numbers  # not masked for the reviewed unit
    assert client.get(f"{R}/reviews/{t.open_review}", headers=chief).status_code == 404
    refused = client.post(f"{R}/reviews/{final}/submit", headers=chief)
    assert refused.status_code == 422, "a final review takes no more results"


def test_province_draft_checklist_stays_with_the_province(client, bearer, appraisal_world,
                                                          as_user):
    from procuracy.appraisal import checklists

    data = checklists.demo_checklist()
    with as_user("casemanager1@440000") as cm:
        draft = checklists.create_checklist(cm, name="矩阵评查表（草稿）", line=data["line"],
                                            grades=data["grades"], items=data["items"][:3]).id
    assert client.get(f"{R}/checklists/{draft}",
                      headers=bearer("inspector1@440000")).status_code == 200
    for below in ("casemanager1@440100", "chief1@440105"):
        listed = client.get(f"{R}/checklists", headers=bearer(below)).get_json()
        assert draft not in {c["id"] for c in listed}
        assert client.get(f"{R}/checklists/{draft}", headers=bearer(below)).status_code == 404
