"""Statutory clocks on a case, from the law's own numbers: art. 91 (arrest review,
seven days), the rules (fifteen days, twenty when major), art. 172 (prosecution
review one month, fifteen days more; plea cases ten days, up to fifteen),
art. 175 (supplementary investigation one month, at most twice, the review clock
recomputed), art. 156 (custody two months, one more), art. 105 (counting)."""
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from procuracy.cases import catalogue, clocks
from procuracy.cases.calendar import china_today
from procuracy.cases.catalogue_models import CaseKind
from procuracy.cases.models import Case, CaseClock, CaseStep
from procuracy.extensions import db
from procuracy.tenants.scope import system_scope
from procuracy.tenants.units import by_code

HANDLER = "prosecutor1@440105"


def _kind_id(code: str, province: str = "440000") -> int:
    with system_scope("test: the province's kind"):
        return db.session.scalars(select(CaseKind.id).where(
            CaseKind.code == code, CaseKind.unit_id == by_code(province).id)).one()


@pytest.fixture
def case_of(make_case):
    """``case_of("arrest_review", detained=True)`` -> the id of a Haizhu case of that kind."""
    def make(kind_code: str, **fields):
        case_id, _ = make_case("440105", handler=HANDLER, kind_id=_kind_id(kind_code), **fields)
        return case_id
    return make


def _snap(clock: CaseClock) -> SimpleNamespace:
    """The clock's columns, read while the scope is in force."""
    return SimpleNamespace(**{c.key: getattr(clock, c.key) for c in CaseClock.__table__.columns})


def _start(as_user, case_id, stage_code, started_on, user=HANDLER):
    with as_user(user) as me:
        case = db.session.get(Case, case_id)
        stage = catalogue.stage_by_code(catalogue.kind_for_case(case), stage_code)
        return _snap(clocks.start_clock(case, stage, started_on, me))


def _clock(as_user, case_id, name, user=HANDLER):
    with as_user(user):
        return _snap(clocks.find_clock(db.session.get(Case, case_id), name))


def _extend(as_user, case_id, name, on, user=HANDLER, reason="案情复杂"):
    with as_user(user) as me:
        clock = clocks.find_clock(db.session.get(Case, case_id), name)
        return _snap(clocks.extend_clock(clock, me, reason, on=on))


# ---------------------------------------------------------------- starting
def test_arrest_review_of_a_detained_suspect_ends_on_the_seventh_day_even_in_the_national_holiday(
        as_user, case_of):
    case_id = case_of("arrest_review", detained=True)
    clock = _start(as_user, case_id, "review@detained", date(2026, 9, 29))
    assert clock.in_custody
    assert clock.due_on == date(2026, 10, 6)


def test_prosecution_review_ending_on_a_holiday_moves_to_the_first_working_day(as_user, case_of):
    case_id = case_of("prosecution_review", detained=False)
    clock = _start(as_user, case_id, "review", date(2026, 9, 1))
    assert not clock.in_custody
    assert clock.due_on == date(2026, 10, 8)


def test_prosecution_review_of_a_detained_suspect_is_not_extended_by_the_holiday(as_user, case_of):
    case_id = case_of("prosecution_review", detained=True)
    assert _start(as_user, case_id, "review", date(2026, 9, 1)).due_on == date(2026, 10, 1)


def test_prosecution_review_received_on_the_thirty_first_of_january_ends_on_the_twenty_eighth_of_february(
        as_user, case_of):
    case_id = case_of("prosecution_review", detained=False)
    assert _start(as_user, case_id, "review", date(2026, 1, 31)).due_on == date(2026, 2, 28)


def test_a_plea_review_of_ten_days_ending_in_the_holiday_moves_for_a_suspect_at_large(
        as_user, case_of):
    at_large = case_of("prosecution_review", detained=False, card={"plea": True})
    held = case_of("prosecution_review", detained=True, card={"plea": True})
    # 2026-09-25 + 10 days = 2026-10-05, in the National Day holiday
    assert _start(as_user, at_large, "review@plea", date(2026, 9, 25)).due_on == date(2026, 10, 8)
    assert _start(as_user, held, "review@plea", date(2026, 9, 25)).due_on == date(2026, 10, 5)


def test_a_working_day_reply_limit_skips_the_holiday_and_counts_the_make_up_saturday(
        as_user, case_of):
    case_id = case_of("criminal_appeal")
    clock = _start(as_user, case_id, "reply", date(2026, 9, 29))
    assert clock.limit_unit == "working_days"
    assert clock.due_on == date(2026, 10, 14)


def test_starting_a_clock_writes_the_timeline(as_user, case_of):
    case_id = case_of("arrest_review", detained=True)
    _start(as_user, case_id, "review@detained", date(2026, 9, 29))
    with as_user(HANDLER) as me:
        step = db.session.scalars(select(CaseStep).where(CaseStep.case_id == case_id)).one()
    assert (step.kind, step.actor_id, step.stage_code) == ("clock_started", me.id,
                                                           "review@detained")
    assert step.detail["due_on"] == "2026-10-06"


def test_a_clock_already_running_is_not_started_twice(as_user, case_of):
    case_id = case_of("arrest_review", detained=True)
    _start(as_user, case_id, "review@detained", date(2026, 9, 29))
    with pytest.raises(clocks.ClockError, match="already running"):
        _start(as_user, case_id, "review@detained", date(2026, 9, 30))


def test_a_stage_without_a_limit_runs_no_clock(as_user, case_of):
    case_id = case_of("prosecution_review")
    with pytest.raises(clocks.ClockError, match="runs no clock"):
        _start(as_user, case_id, "decision", date(2026, 9, 1))


# ---------------------------------------------------------------- extending
def test_prosecution_review_extended_by_fifteen_days_for_a_complex_case(as_user, case_of):
    case_id = case_of("prosecution_review", detained=False)
    _start(as_user, case_id, "review", date(2026, 9, 1))
    clock = _extend(as_user, case_id, "review", date(2026, 9, 28), user="depthead1@440105")
    # one month to 2026-10-01 plus fifteen days: 2026-10-16, a Friday
    assert clock.due_on == date(2026, 10, 16)
    assert clock.extensions[0]["value"] == 15 and clock.extensions[0]["reason"] == "案情复杂"


def test_the_handler_may_not_extend_prosecution_review_the_power_list_gives_it_to_the_department_head(
        as_user, case_of):
    case_id = case_of("prosecution_review")
    _start(as_user, case_id, "review", date(2026, 9, 1))
    with pytest.raises(PermissionError, match="延长审查起诉期限"):
        _extend(as_user, case_id, "review", date(2026, 9, 28))


def test_prosecution_review_is_extended_once_only(as_user, case_of):
    case_id = case_of("prosecution_review")
    _start(as_user, case_id, "review", date(2026, 9, 1))
    _extend(as_user, case_id, "review", date(2026, 9, 28), user="chief1@440105")
    with pytest.raises(clocks.ClockError, match="allows 1"):
        _extend(as_user, case_id, "review", date(2026, 10, 9), user="chief1@440105")


def test_arrest_review_of_a_suspect_at_large_extended_to_twenty_days_ends_on_the_make_up_saturday(
        as_user, case_of):
    case_id = case_of("arrest_review", detained=False, major=True)
    clock = _start(as_user, case_id, "review@not_detained", date(2026, 9, 20))
    assert clock.due_on == date(2026, 10, 8)  # 15 days -> Oct 5, a holiday
    clock = _extend(as_user, case_id, "review", date(2026, 9, 30))  # the handler may
    assert clock.due_on == date(2026, 10, 10)  # 20 days -> Saturday Oct 10, a working day


def test_a_plea_review_may_be_extended_to_fifteen_days(as_user, case_of):
    case_id = case_of("prosecution_review", detained=True, card={"plea": True})
    _start(as_user, case_id, "review@plea", date(2026, 9, 25))
    clock = _extend(as_user, case_id, "review", date(2026, 10, 2), user="depthead1@440105")
    assert clock.due_on == date(2026, 10, 10)


def test_the_seven_days_of_arrest_review_cannot_be_extended(as_user, case_of):
    case_id = case_of("arrest_review", detained=True)
    _start(as_user, case_id, "review@detained", date(2026, 9, 29))
    with pytest.raises(clocks.ClockError, match="cannot be extended"):
        _extend(as_user, case_id, "review", date(2026, 9, 30))


def test_custody_is_extended_by_one_month_and_never_moves_off_a_holiday(as_user, case_of):
    case_id = case_of("arrest_review", detained=True)
    clock = _start(as_user, case_id, "custody", date(2026, 7, 1))
    assert clock.due_on == date(2026, 9, 1)
    clock = _extend(as_user, case_id, "custody", date(2026, 8, 25))
    assert clock.due_on == date(2026, 10, 1)  # a holiday, but custody ends there


def test_an_extension_comes_before_the_limit_runs_out(as_user, case_of):
    case_id = case_of("prosecution_review")
    _start(as_user, case_id, "review", date(2026, 9, 1))
    with pytest.raises(clocks.ClockError, match="ran out on 2026-10-08"):
        _extend(as_user, case_id, "review", date(2026, 10, 9), user="chief1@440105")


def test_an_extension_needs_a_reason(as_user, case_of):
    case_id = case_of("prosecution_review")
    _start(as_user, case_id, "review", date(2026, 9, 1))
    with pytest.raises(clocks.ClockError, match="reason"):
        _extend(as_user, case_id, "review", date(2026, 9, 2), user="chief1@440105", reason=" ")


def test_a_colleague_who_is_not_a_leader_may_not_extend(as_user, case_of, make_case):
    case_id = case_of("arrest_review", detained=False)
    _start(as_user, case_id, "review@not_detained", date(2026, 9, 20))
    with as_user("chief1@440105"):
        clock_id = clocks.find_clock(db.session.get(Case, case_id), "review").id
    with as_user("casemanager1@440105") as manager:
        clock = db.session.get(CaseClock, clock_id)
        with pytest.raises(PermissionError, match="handler or a leader"):
            clocks.extend_clock(clock, manager, "需要", on=date(2026, 9, 30))


# ---------------------------------------------------------------- supplementary investigation
def test_supplementary_investigation_stops_the_review_clock_and_its_return_starts_it_afresh(
        as_user, case_of):
    case_id = case_of("prosecution_review", detained=False)
    _start(as_user, case_id, "review", date(2026, 3, 2))
    _extend(as_user, case_id, "review", date(2026, 3, 10), user="depthead1@440105")
    assert _clock(as_user, case_id, "review").due_on == date(2026, 4, 17)
    supplementary = _start(as_user, case_id, "supplementary", date(2026, 3, 20))
    assert supplementary.due_on == date(2026, 4, 20)  # one month for the police
    assert _clock(as_user, case_id, "review").stopped_on == date(2026, 3, 20)
    with as_user(HANDLER) as me:
        review = _snap(clocks.reset_clock(db.session.get(Case, case_id), "review",
                                          date(2026, 4, 15), me, "补充侦查完毕重新移送"))
    # art. 175: the review period is recomputed: a full month from the return, no extension
    assert (review.started_on, review.due_on) == (date(2026, 4, 15), date(2026, 5, 15))
    assert (review.resets, review.extensions, review.stopped_on) == (1, [], None)
    assert _clock(as_user, case_id, "supplementary").stopped_on == date(2026, 4, 15)


def test_supplementary_investigation_is_allowed_twice_only(as_user, case_of):
    case_id = case_of("prosecution_review")
    _start(as_user, case_id, "review", date(2026, 3, 2))
    for sent, back in ((date(2026, 3, 20), date(2026, 4, 15)),
                       (date(2026, 5, 6), date(2026, 5, 20))):
        _start(as_user, case_id, "supplementary", sent)
        with as_user(HANDLER) as me:
            clocks.reset_clock(db.session.get(Case, case_id), "review", back, me, "移送")
    assert _clock(as_user, case_id, "review").resets == 2
    with pytest.raises(clocks.ClockError, match="at most 2 times"):
        _start(as_user, case_id, "supplementary", date(2026, 6, 1))


def test_resetting_a_clock_the_case_does_not_have_is_refused(as_user, case_of):
    case_id = case_of("prosecution_review")
    with as_user(HANDLER) as me, pytest.raises(clocks.ClockError, match="no review clock"):
        clocks.reset_clock(db.session.get(Case, case_id), "review", date(2026, 4, 1), me, "x")


# ---------------------------------------------------------------- states
def test_two_clocks_run_at_once_with_their_own_states(as_user, case_of):
    case_id = case_of("arrest_review", detained=True)
    _start(as_user, case_id, "custody", date(2026, 8, 1))  # two months -> 2026-10-01
    _start(as_user, case_id, "review@detained", date(2026, 9, 29))  # -> 2026-10-06
    custody = _clock(as_user, case_id, "custody")
    review = _clock(as_user, case_id, "review")
    on_29 = (clocks.clock_state(custody, date(2026, 9, 29)),
             clocks.clock_state(review, date(2026, 9, 29)))
    assert [(s.due_on, s.days_left, s.state) for s in on_29] == [
        (date(2026, 10, 1), 2, "due_soon"), (date(2026, 10, 6), 7, "running")]
    on_2 = (clocks.clock_state(custody, date(2026, 10, 2)),
            clocks.clock_state(review, date(2026, 10, 2)))
    assert [(s.days_left, s.state) for s in on_2] == [(-1, "overdue"), (4, "running")]


def test_due_soon_starts_within_the_warning_days_and_the_due_day_is_not_overdue(as_user, case_of):
    case_id = case_of("arrest_review", detained=True)
    clock = _start(as_user, case_id, "review@detained", date(2026, 9, 29))  # warn 2 days
    states = {d: clocks.clock_state(clock, date(2026, 10, d)).state for d in (3, 4, 6, 7)}
    assert states == {3: "running", 4: "due_soon", 6: "due_soon", 7: "overdue"}


def test_a_stopped_clock_is_stopped_whatever_the_day(as_user, case_of):
    case_id = case_of("arrest_review", detained=True)
    _start(as_user, case_id, "review@detained", date(2026, 9, 29))
    with as_user(HANDLER) as me:
        review = clocks.find_clock(db.session.get(Case, case_id), "review")
        clock = _snap(clocks.stop_clock(review, date(2026, 10, 3), me))
    state = clocks.clock_state(clock, date(2026, 12, 1))
    assert (state.state, state.days_left) == ("stopped", 3)
    with as_user(HANDLER), pytest.raises(clocks.ClockError, match="already"):
        clocks.stop_clock(clocks.find_clock(db.session.get(Case, case_id), "review"),
                          date(2026, 10, 4))


def test_a_clock_is_not_stopped_before_it_started(as_user, case_of):
    case_id = case_of("arrest_review", detained=True)
    _start(as_user, case_id, "review@detained", date(2026, 9, 29))
    with as_user(HANDLER), pytest.raises(clocks.ClockError, match="before"):
        clocks.stop_clock(clocks.find_clock(db.session.get(Case, case_id), "review"),
                          date(2026, 9, 28))


# ---------------------------------------------------------------- the API
def _api_case(as_user, case_of, started=None):
    case_id = case_of("arrest_review", detained=False)
    _start(as_user, case_id, "review@not_detained", started or china_today())
    with system_scope("test: public id"):
        return db.session.get(Case, case_id).public_id


def test_the_clocks_api_shows_due_date_days_left_and_state(client, token_for, as_user, case_of):
    public_id = _api_case(as_user, case_of, date(2026, 9, 20))
    r = client.get(f"/api/v1/cases/{public_id}/clocks?on=2026-10-06",
                   headers=token_for(HANDLER))
    assert r.status_code == 200, r.get_json()
    [clock] = r.get_json()
    assert (clock["name"], clock["stage"], clock["due_on"]) == (
        "review", "review@not_detained", "2026-10-08")
    assert (clock["days_left"], clock["state"]) == (2, "due_soon")
    r = client.get(f"/api/v1/cases/{public_id}/clocks?on=2026-10-09", headers=token_for(HANDLER))
    assert (r.get_json()[0]["days_left"], r.get_json()[0]["state"]) == (-1, "overdue")


def test_the_clocks_of_a_sibling_unit_case_are_not_found(client, token_for, as_user, case_of):
    public_id = _api_case(as_user, case_of)
    for user in ("prosecutor1@440106", "casemanager1@440106", "inspector1@450000"):
        r = client.get(f"/api/v1/cases/{public_id}/clocks", headers=token_for(user))
        assert r.status_code == 404, user
        r = client.post(f"/api/v1/cases/{public_id}/clocks/review/extension",
                        json={"reason": "x"}, headers=token_for(user))
        assert r.status_code == 404, user
    assert client.get("/api/v1/cases/nope/clocks", headers=token_for(HANDLER)).status_code == 404


def test_the_city_reads_a_district_case_clocks(client, token_for, as_user, case_of):
    public_id = _api_case(as_user, case_of)
    r = client.get(f"/api/v1/cases/{public_id}/clocks", headers=token_for("chief1@440100"))
    assert r.status_code == 200 and len(r.get_json()) == 1


def test_the_clocks_api_refuses_a_bad_date(client, token_for, as_user, case_of):
    public_id = _api_case(as_user, case_of)
    r = client.get(f"/api/v1/cases/{public_id}/clocks?on=2026-02-30", headers=token_for(HANDLER))
    assert r.status_code == 422
    assert "on" in r.get_json()["errors"]["query"]


def test_the_handler_extends_an_arrest_review_through_the_api(client, token_for, as_user, case_of):
    public_id = _api_case(as_user, case_of)
    url = f"/api/v1/cases/{public_id}/clocks/review/extension"
    r = client.post(url, json={"reason": "重大、复杂"}, headers=token_for(HANDLER))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["extensions"][0]["reason"] == "重大、复杂"
    r = client.post(url, json={"reason": "再次"}, headers=token_for(HANDLER))
    assert r.status_code == 422
    assert "allows 1" in r.get_json()["message"]


def test_the_extension_api_answers_bad_input_with_field_errors(client, token_for, as_user, case_of):
    public_id = _api_case(as_user, case_of)
    url = f"/api/v1/cases/{public_id}/clocks/review/extension"
    for body in ({}, {"reason": "   "}, {"reason": 5}, {"reason": "x" * 501}):
        r = client.post(url, json=body, headers=token_for(HANDLER))
        assert r.status_code == 422, body
        assert "reason" in r.get_json()["errors"]["json"]


def test_the_extension_api_answers_403_to_a_reader_who_may_not_and_404_for_no_such_clock(
        client, token_for, as_user, case_of):
    public_id = _api_case(as_user, case_of)
    r = client.post(f"/api/v1/cases/{public_id}/clocks/review/extension",
                    json={"reason": "x"}, headers=token_for("casemanager1@440105"))
    assert r.status_code == 403
    r = client.post(f"/api/v1/cases/{public_id}/clocks/custody/extension",
                    json={"reason": "x"}, headers=token_for(HANDLER))
    assert r.status_code == 404
