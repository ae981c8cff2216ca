"""The performance file: assembled from cases, decisions, reviews, findings, events
and published scores, each entry naming its source; read by the prosecutor, case
management and the leaders of the unit and above, and by nobody else."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from procuracy.appraisal import performance_file as files
from procuracy.appraisal import rules, score_inputs, score_runs, scoring
from procuracy.appraisal.review_models import Checklist, Finding, Review, ReviewPlan
from procuracy.cases.decision_models import Decision
from procuracy.cases.models import Case, CaseParticipant
from procuracy.extensions import db
from procuracy.tenants.models import User
from procuracy.tenants.scope import OutOfScope, system_scope
from procuracy.tenants.units import by_code

ME = "prosecutor1@440105"


def _uid(username):
    with system_scope("test"):
        return db.session.scalars(select(User.id).where(User.username == username)).one()


@pytest.fixture
def record(make_case, as_user):
    """prosecutor1@440105's year so far: cases, a decision, a review, a finding, an
    award, a published March score."""
    closed = make_case("440105", handler=ME, status="closed", closed_on=date(2026, 3, 11),
                       weight=2.0)
    still_open = make_case("440105", handler=ME)
    colleague = make_case("440105", handler="prosecutor2@440105", status="closed",
                          closed_on=date(2026, 3, 5))
    me = _uid(ME)
    with system_scope("test: the records of a file"):
        haizhu, city = by_code("440105"), by_code("440100")
        reviewer = _uid("casemanager1@440100")
        decision = Decision(unit_id=haizhu.id, public_id="dec-1", case_id=closed[0],
                            matter="提起公诉", status="decided", requested_by_id=me,
                            decided_by_id=me, decided_role="prosecutor",
                            decided_at=datetime(2026, 3, 10, tzinfo=UTC),
                            effective_on=date(2026, 3, 10))
        checklist = Checklist(unit_id=city.id, name="评查表", status="published")
        db.session.add_all([decision, checklist])
        db.session.flush()
        plan = ReviewPlan(unit_id=city.id, public_id="plan-1", name="季度评查",
                          checklist_id=checklist.id, date_from=date(2026, 1, 1),
                          date_to=date(2026, 3, 31), created_by_id=reviewer)
        db.session.add(plan)
        db.session.flush()
        review = Review(unit_id=city.id, public_id="rev-1", plan_id=plan.id, case_id=closed[0],
                        reviewed_unit_id=haizhu.id, handler_id=me, reviewer_id=reviewer,
                        status="final", final_grade="瑕疵", points_lost=4.0,
                        finalised_at=datetime(2026, 3, 20, tzinfo=UTC))
        db.session.add(review)
        db.session.flush()
        finding = Finding(unit_id=city.id, public_id="fnd-1", review_id=review.id,
                          case_id=closed[0], reviewed_unit_id=haizhu.id, handler_id=me,
                          description="起诉书引用法条错误", points=4.0,
                          created_at=datetime(2026, 3, 20, tzinfo=UTC))
        db.session.add(finding)
        db.session.commit()
    with as_user("casemanager1@440105") as manager:
        person = db.session.get(User, me)
        award = score_inputs.record_event(manager, person, "award", 2.0, date(2026, 3, 2),
                                          case_public_id=closed[1], note="市院表彰")
        unit = by_code("440105")
        rs = rules.effective_rule_set(unit, "prosecutor", "month", date(2026, 3, 1))
        run = scoring.compute(unit, rs, "2026-03", "official", manager)
        run = score_runs.publish(run, manager)
        return {"closed": closed[1], "open": still_open[1], "colleague": colleague[1],
                "award": award.public_id, "run": run.public_id}


def _file(username, reader, as_user, frm="2026-01", to="2026-06"):
    with as_user(reader):
        return files.performance_file(files.person(username), frm, to)


def test_the_file_assembles_itself_with_every_entry_naming_its_source(record, as_user):
    f = _file(ME, ME, as_user)
    cases = f["cases"]
    assert {e["case"] for e in cases["entries"]} >= {record["closed"], record["open"]}
    assert record["colleague"] not in {e["case"] for e in cases["entries"]}
    mine = next(e for e in cases["entries"] if e["case"] == record["closed"])
    assert (mine["weight"], mine["days"]) == (2.0, 10)  # received 1 March, closed 11 March
    assert cases["closed"] >= 1 and cases["average_days"] is not None
    assert f["decisions"]["entries"] == [{
        "decision": "dec-1", "case": record["closed"], "matter": "提起公诉", "item_code": "",
        "decided_role": "prosecutor", "decided_at": f["decisions"]["entries"][0]["decided_at"]}]
    assert f["reviews"]["by_grade"] == {"瑕疵": 1}
    assert f["reviews"]["entries"][0]["review"] == "rev-1"
    assert f["findings"]["entries"][0]["finding"] == "fnd-1"
    assert f["findings"]["points"] == 4.0
    award = next(e for e in f["events"]["entries"] if e["event"] == record["award"])
    assert award["case"] == record["closed"] and award["points"] == 2.0
    assert [s["run"] for s in f["scores"]] == [record["run"]]
    assert f["scores"][0]["period"] == "2026-03" and f["scores"][0]["rank"] >= 1


def test_the_range_limits_what_is_in_the_file(record, as_user):
    f = _file(ME, ME, as_user, "2026-04", "2026-06")
    assert f["cases"]["count"] == 0 and f["decisions"]["count"] == 0
    assert f["scores"] == [] and f["reviews"]["entries"] == []


def test_a_prosecutor_reads_only_their_own_file(record, as_user):
    with pytest.raises(OutOfScope):
        _file(ME, "prosecutor2@440105", as_user)
    with pytest.raises(OutOfScope):  # a department head is no file keeper
        _file(ME, "depthead1@440105", as_user)


@pytest.mark.parametrize("reader", ["casemanager1@440105", "chief1@440105", "deputy1@440105",
                                    "casemanager1@440100", "chief1@440000"])
def test_case_management_and_leaders_of_the_unit_and_above_read_it(record, as_user, reader):
    f = _file(ME, reader, as_user)
    assert record["closed"] in {e["case"] for e in f["cases"]["entries"]}
    assert [s["run"] for s in f["scores"]] == [record["run"]]


@pytest.mark.parametrize("reader", ["chief1@440106", "casemanager1@440300",
                                    "prosecutor1@440106"])
def test_other_units_get_404(record, as_user, reader):
    with pytest.raises(OutOfScope):
        _file(ME, reader, as_user)


def test_a_case_the_prosecutor_no_longer_works_on_is_not_in_their_own_view(record, as_user):
    """The file is read through the scope: an entry whose source the reader cannot see
    is left out rather than leaked (here: a case taken off the prosecutor)."""
    with system_scope("test: take the case off the prosecutor"):
        case = db.session.scalars(select(Case).where(Case.public_id == record["open"])).one()
        for p in db.session.scalars(select(CaseParticipant).where(
                CaseParticipant.case_id == case.id)):
            db.session.delete(p)
        db.session.commit()
    f = _file(ME, ME, as_user)
    assert record["open"] not in {e["case"] for e in f["cases"]["entries"]}
