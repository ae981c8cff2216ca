"""The working-day calendar and art. 105 of the Criminal Procedure Law, from the
State Council's 2025 and 2026 holiday notices as the province publishes them.

2026: 国庆 Oct 1–7 off, Sep 20 (Sun) and Oct 10 (Sat) work; 春节 Feb 15–23 off,
Feb 14 and Feb 28 (Sat) work. 2025: 国庆+中秋 Oct 1–8 off, Sep 28 (Sun) and
Oct 11 (Sat) work.
"""
from datetime import date

import pytest
from sqlalchemy import select

from procuracy.cases import catalogue, clocks
from procuracy.cases.calendar import WorkCalendar, add_months, calendar_for
from procuracy.cases.catalogue_data import load_holidays
from procuracy.cases.catalogue_models import CalendarDay, CaseKind
from procuracy.cases.models import Case, CaseStep
from procuracy.extensions import db
from procuracy.tenants.scope import system_scope
from procuracy.tenants.units import by_code

CAL = WorkCalendar.from_rows((r["day"], r["kind"]) for r in load_holidays())


# ---------------------------------------------------------------- the days themselves
def test_the_national_day_week_is_off_and_its_make_up_saturday_is_worked():
    assert not any(CAL.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert CAL.is_working_day(date(2026, 10, 10))  # Saturday, make-up working day
    assert CAL.is_working_day(date(2026, 9, 20))  # Sunday, make-up working day
    assert not CAL.is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_both_years_carry_every_make_up_working_day_of_the_notices():
    workdays = sorted(d for d, k in CAL.days.items() if k == "workday")
    assert workdays == [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27),
                        date(2025, 9, 28), date(2025, 10, 11), date(2026, 1, 4),
                        date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
                        date(2026, 9, 20), date(2026, 10, 10)]
    assert all(d.weekday() >= 5 for d in workdays)


def test_a_month_runs_to_the_same_day_of_the_next_month():
    assert add_months(date(2026, 9, 1), 1) == date(2026, 10, 1)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_a_month_from_the_thirty_first_of_january_ends_on_the_last_day_of_february():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year


def test_a_month_from_the_last_day_of_a_month_ends_on_the_last_day_of_the_next():
    assert add_months(date(2026, 6, 30), 1) == date(2026, 7, 31)
    assert add_months(date(2026, 2, 28), 1) == date(2026, 3, 31)


# ---------------------------------------------------------------- art. 105
def test_arrest_review_of_a_detained_suspect_ends_on_the_seventh_day_even_in_the_national_holiday():
    # received 2026-09-29; custody periods are not extended by holidays
    assert CAL.due_date(date(2026, 9, 29), 7, "days", in_custody=True) == date(2026, 10, 6)


def test_the_day_of_receipt_is_not_counted():
    # received Monday 2026-03-02, seven days: Tue 3 ... Mon 9
    assert CAL.due_date(date(2026, 3, 2), 7, "days") == date(2026, 3, 9)


def test_prosecution_review_ending_on_a_holiday_moves_to_the_first_working_day():
    # received 2026-09-01, suspect not detained: one month -> 2026-10-01, a holiday
    assert CAL.due_date(date(2026, 9, 1), 1, "months") == date(2026, 10, 8)


def test_prosecution_review_of_a_detained_suspect_ends_on_the_holiday_itself():
    assert CAL.due_date(date(2026, 9, 1), 1, "months", in_custody=True) == date(2026, 10, 1)


def test_a_period_ending_on_a_weekend_moves_to_monday():
    # 2026-03-07 + 15 days = Sunday 2026-03-22
    assert CAL.due_date(date(2026, 3, 7), 15, "days") == date(2026, 3, 23)


def test_a_month_from_the_thirty_first_of_january_ends_on_the_make_up_saturday_without_moving():
    # 2026-02-28 is a Saturday but a make-up working day: the period ends there
    assert CAL.due_date(date(2026, 1, 31), 1, "months") == date(2026, 2, 28)
    assert CAL.due_date(date(2025, 1, 31), 1, "months") == date(2025, 2, 28)


def test_an_extension_lengthens_the_period_before_the_holiday_rule_applies():
    # one month to 2026-10-01, plus fifteen days = 2026-10-16 (not 10-08 + 15)
    due = CAL.due_date(date(2026, 9, 1), 1, "months", extensions=[(15, "days")])
    assert due == date(2026, 10, 16)


# ---------------------------------------------------------------- working days
def test_working_day_limit_skips_the_holiday_and_counts_the_make_up_saturday():
    # Sep 30, Oct 8, 9, 10 (Sat, make-up), 12, 13, 14
    assert CAL.add_working_days(date(2026, 9, 29), 7) == date(2026, 10, 14)
    assert CAL.due_date(date(2026, 9, 29), 7, "working_days") == date(2026, 10, 14)


def test_working_day_limit_across_the_spring_festival_ends_on_the_make_up_saturday():
    # from Thu 2026-02-12: Feb 13, 14 (Sat, make-up), 24, 25, 26, 27, 28 (Sat, make-up)
    assert CAL.add_working_days(date(2026, 2, 12), 7) == date(2026, 2, 28)


def test_ten_working_days_across_the_2025_national_day_count_both_make_up_days():
    # from Fri 2025-09-26: Sep 28 (Sun), 29, 30, Oct 9, 10, 11 (Sat), 13, 14, 15, 16
    assert CAL.add_working_days(date(2025, 9, 26), 10) == date(2025, 10, 16)


def test_a_working_day_extension_keeps_counting_working_days():
    # 10 working days from 2026-09-29 -> 10-19; five more -> 10-26 (custody necessity review)
    assert CAL.due_date(date(2026, 9, 29), 10, "working_days") == date(2026, 10, 19)
    assert CAL.due_date(date(2026, 9, 29), 10, "working_days",
                        extensions=[(5, "working_days")]) == date(2026, 10, 26)


def test_zero_working_days_is_the_start_and_a_negative_count_is_refused():
    assert CAL.add_working_days(date(2026, 10, 9), 0) == date(2026, 10, 9)
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 10, 9), -1)


def test_an_empty_calendar_is_monday_to_friday():
    plain = WorkCalendar()
    assert plain.add_working_days(date(2026, 9, 29), 7) == date(2026, 10, 8)
    assert not plain.is_working_day(date(2026, 10, 10))


# ---------------------------------------------------------------- the province's calendar
def test_a_district_works_by_its_province_calendar(as_user):
    with as_user("prosecutor1@440105"):
        cal = calendar_for(by_code("440105").id)
    assert cal.days == CAL.days


def test_a_province_sees_its_own_calendar_not_the_other_province(as_user):
    with as_user("admin1@450000") as admin:
        catalogue.set_calendar_day(admin, date(2026, 10, 12), "holiday", "广西演示假日")
    with as_user("prosecutor1@440105"):
        assert calendar_for(by_code("440105").id).is_working_day(date(2026, 10, 12))
        rows = db.session.scalars(select(CalendarDay)).all()
        assert {r.unit_id for r in rows} == {by_code("440000").id}
    with as_user("prosecutor1@450103"):
        assert not calendar_for(by_code("450103").id).is_working_day(date(2026, 10, 12))


def _appeal_clock(make_case, as_user, started=date(2026, 9, 29)):
    """A criminal appeal in Haizhu whose 7-working-day reply clock starts on ``started``."""
    with system_scope("test: the province's kind"):
        kind = db.session.scalars(select(CaseKind).where(
            CaseKind.code == "criminal_appeal",
            CaseKind.unit_id == by_code("440000").id)).one()
    case_id, _ = make_case("440105", handler="prosecutor1@440105", kind_id=kind.id)
    with as_user("prosecutor1@440105") as me:
        case = db.session.get(Case, case_id)
        stage = catalogue.stage_by_code(catalogue.kind_for_case(case), "reply")
        return case_id, clocks.start_clock(case, stage, started, me).id


def _due(case_id, as_user, name="reply"):
    with as_user("prosecutor1@440105"):
        return clocks.find_clock(db.session.get(Case, case_id), name).due_on


def test_province_admin_removes_a_make_up_day_and_the_district_clock_moves(as_user, make_case):
    case_id, _ = _appeal_clock(make_case, as_user)
    assert _due(case_id, as_user) == date(2026, 10, 14)
    with as_user("admin1@440000") as admin:
        assert catalogue.remove_calendar_day(admin, date(2026, 10, 10))
    # Oct 10 is an ordinary Saturday now: Sep 30, Oct 8, 9, 12, 13, 14, 15
    assert _due(case_id, as_user) == date(2026, 10, 15)
    with as_user("prosecutor1@440105"):
        moved = db.session.scalars(select(CaseStep).where(
            CaseStep.case_id == case_id, CaseStep.kind == "clock_moved")).all()
    assert [m.detail["to"] for m in moved] == ["2026-10-15"]


def test_province_chief_adds_a_holiday_and_the_district_clock_moves(as_user, make_case):
    case_id, _ = _appeal_clock(make_case, as_user)
    with as_user("chief1@440000") as chief:
        catalogue.set_calendar_day(chief, date(2026, 10, 13), "holiday", "演示：省定假日")
    assert _due(case_id, as_user) == date(2026, 10, 15)
    with as_user("chief1@440000") as chief:
        catalogue.set_calendar_day(chief, date(2026, 10, 13), "workday", "演示：恢复上班")
    assert _due(case_id, as_user) == date(2026, 10, 14)


def test_a_calendar_change_after_the_due_date_moves_nothing(as_user, make_case):
    case_id, _ = _appeal_clock(make_case, as_user)
    with as_user("admin1@440000") as admin:
        catalogue.set_calendar_day(admin, date(2026, 10, 20), "holiday", "演示")
    assert _due(case_id, as_user) == date(2026, 10, 14)


def test_a_district_admin_cannot_edit_the_calendar(as_user):
    with as_user("admin1@440105") as admin, pytest.raises(PermissionError):
        catalogue.set_calendar_day(admin, date(2026, 10, 12), "holiday", "")
    with as_user("admin1@440105") as admin, pytest.raises(PermissionError):
        catalogue.remove_calendar_day(admin, date(2026, 10, 10))


def test_a_city_chief_and_a_province_prosecutor_cannot_edit_the_calendar(as_user):
    for username in ("chief1@440100", "prosecutor1@440000"):
        with as_user(username) as user, pytest.raises(PermissionError):
            catalogue.set_calendar_day(user, date(2026, 10, 12), "holiday", "")


def test_a_calendar_day_is_a_holiday_or_a_workday(as_user):
    with as_user("admin1@440000") as admin, pytest.raises(catalogue.CalendarError):
        catalogue.set_calendar_day(admin, date(2026, 10, 12), "half-day", "")


# ---------------------------------------------------------------- the API
def test_the_calendar_api_lists_a_year_of_holidays_and_make_up_days(client, token_for):
    r = client.get("/api/v1/calendar?year=2026", headers=token_for("prosecutor1@440105"))
    assert r.status_code == 200
    days = {d["day"]: d for d in r.get_json()}
    assert days["2026-10-10"]["kind"] == "workday"
    assert days["2026-10-01"]["kind"] == "holiday"
    assert days["2026-10-01"]["unit"] == "440000"
    assert all(d.startswith("2026-") for d in days)


def test_the_calendar_api_refuses_a_bad_year(client, token_for):
    headers = token_for("prosecutor1@440105")
    for bad in ("abc", "1800"):
        r = client.get(f"/api/v1/calendar?year={bad}", headers=headers)
        assert r.status_code == 422
        assert "year" in r.get_json()["errors"]["query"]


def test_the_province_admin_puts_and_deletes_a_day_through_the_api(client, token_for):
    headers = token_for("admin1@440000")
    r = client.put("/api/v1/calendar/2026-10-12", json={"kind": "holiday", "name": "演示"},
                   headers=headers)
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"day": "2026-10-12", "kind": "holiday", "name": "演示",
                            "unit": "440000"}
    r = client.get("/api/v1/calendar?year=2026", headers=token_for("prosecutor1@440105"))
    assert "2026-10-12" in {d["day"] for d in r.get_json()}
    assert client.delete("/api/v1/calendar/2026-10-12", headers=headers).status_code == 204
    assert client.delete("/api/v1/calendar/2026-10-12", headers=headers).status_code == 404


def test_the_calendar_api_refuses_a_district_admin(client, token_for):
    headers = token_for("admin1@440105")
    r = client.put("/api/v1/calendar/2026-10-12", json={"kind": "holiday"}, headers=headers)
    assert r.status_code == 403
    assert client.delete("/api/v1/calendar/2026-10-10", headers=headers).status_code == 403


def test_the_calendar_api_answers_bad_input_with_field_errors(client, token_for):
    headers = token_for("admin1@440000")
    for day in ("2026-13-45", "1066-10-14", "tomorrow"):
        r = client.put(f"/api/v1/calendar/{day}", json={"kind": "holiday"}, headers=headers)
        assert r.status_code == 422
        assert "day" in r.get_json()["errors"]["path"]
    assert client.delete("/api/v1/calendar/nope", headers=headers).status_code == 422
    r = client.put("/api/v1/calendar/2026-10-12", json={"kind": "half-day"}, headers=headers)
    assert r.status_code == 422
    assert "kind" in r.get_json()["errors"]["json"]
    r = client.put("/api/v1/calendar/2026-10-12", json={"name": "x" * 41}, headers=headers)
    assert set(r.get_json()["errors"]["json"]) == {"kind", "name"}


def test_the_calendar_api_needs_a_token(client):
    assert client.get("/api/v1/calendar").status_code == 401
