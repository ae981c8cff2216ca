"""The figures of the supervisors' dashboard (工作台): a unit's tree in a month, per
direct child unit, plus the problem cases of a district.

Received / closed cases and quality reviews come from the bulletin's gatherer
(``bulletin_data``) as they are. What a bulletin does not have is added here: the
statutory clocks as of a day (the bulletin counts at the month's end, the dashboard of
the month so far counts as of today), open monitoring alerts and notices, open and
overdue ledger problems, and the list of problem cases. Every query is set-based over
the tree (a fixed number of statements whatever the number of units) and reads through
the session's scope, so a reader sees only what the scope lets them read.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import case, func, or_, select

from procuracy.extensions import db
from procuracy.oversight import bulletin_data as bulletin
from procuracy.oversight.bulletin_data import DUE_SOON_DAYS, _by_row

PROBLEM_CASES = 100  # the longest list of problem cases a district's page shows
NOTICE_OPEN = ("open", "escalated")


def as_of(period: str, today: date) -> date:
    """The day a period's running figures are counted on: today for the current month,
    the first day after the month otherwise (the bulletin's month end)."""
    start, end = bulletin.month_bounds(period)
    return today + timedelta(days=1) if start <= today < end else end


def clocks_section(row_of: dict[int, int], day: date) -> dict:
    """Statutory clocks running on ``day`` (exclusive): overdue, due within
    ``DUE_SOON_DAYS`` days; per row."""
    from procuracy.cases.models import CaseClock

    running = (CaseClock.unit_id.in_(list(row_of)), CaseClock.started_on < day,
               or_(CaseClock.stopped_on.is_(None), CaseClock.stopped_on >= day))
    overdue = db.session.execute(
        select(CaseClock.unit_id, func.count()).where(*running, CaseClock.due_on < day)
        .group_by(CaseClock.unit_id)).all()
    soon = db.session.execute(
        select(CaseClock.unit_id, func.count()).where(
            *running, CaseClock.due_on >= day, CaseClock.due_on < day + timedelta(days=DUE_SOON_DAYS))
        .group_by(CaseClock.unit_id)).all()
    return {"overdue_by_row": _by_row(overdue, row_of), "due_soon_by_row": _by_row(soon, row_of)}


def monitoring_section(row_of: dict[int, int]) -> dict:
    """Open monitoring alerts (by the case's unit) and open or escalated notices (by the
    unit they were issued to), per row."""
    from procuracy.oversight.monitoring_models import OPEN, MonitoringAlert, MonitoringNotice

    units = list(row_of)
    alerts = db.session.execute(
        select(MonitoringAlert.unit_id, func.count())
        .where(MonitoringAlert.unit_id.in_(units), MonitoringAlert.status == OPEN)
        .group_by(MonitoringAlert.unit_id)).all()
    notices = db.session.execute(
        select(MonitoringNotice.reviewed_unit_id, func.count())
        .where(MonitoringNotice.reviewed_unit_id.in_(units),
               MonitoringNotice.status.in_(NOTICE_OPEN))
        .group_by(MonitoringNotice.reviewed_unit_id)).all()
    return {"alerts_by_row": _by_row(alerts, row_of), "notices_by_row": _by_row(notices, row_of)}


def ledger_section(row_of: dict[int, int], today: date) -> dict:
    """Ledger problems not closed, and those past their rectification deadline, by the
    rectifying unit, per row (one statement)."""
    from procuracy.oversight.ledger_models import CLOSED, LedgerEntry

    overdue = func.sum(case((LedgerEntry.deadline < today, 1), else_=0))
    rows = db.session.execute(
        select(LedgerEntry.reviewed_unit_id, func.count(), overdue)
        .where(LedgerEntry.reviewed_unit_id.in_(list(row_of)), LedgerEntry.status != CLOSED)
        .group_by(LedgerEntry.reviewed_unit_id)).all()
    return {"open_by_row": _by_row(((u, c) for u, c, _o in rows), row_of),
            "overdue_by_row": _by_row(((u, int(o or 0)) for u, _c, o in rows), row_of)}


def problem_cases(unit_id: int, day: date) -> list[dict]:
    """The unit's cases with an overdue running clock or an open alert, worst first
    (two statements): public id, number, title, overdue clocks, open alerts."""
    from procuracy.cases.models import Case, CaseClock
    from procuracy.oversight.monitoring_models import OPEN, MonitoringAlert

    clocks = (select(CaseClock.case_id.label("case_id"), func.count().label("clocks"))
              .where(CaseClock.unit_id == unit_id, CaseClock.started_on < day,
                     or_(CaseClock.stopped_on.is_(None), CaseClock.stopped_on >= day),
                     CaseClock.due_on < day)
              .group_by(CaseClock.case_id).subquery())
    alerts = (select(MonitoringAlert.case_id.label("case_id"), func.count().label("alerts"))
              .where(MonitoringAlert.unit_id == unit_id, MonitoringAlert.status == OPEN)
              .group_by(MonitoringAlert.case_id).subquery())
    clock_count = func.coalesce(clocks.c.clocks, 0)
    alert_count = func.coalesce(alerts.c.alerts, 0)
    rows = db.session.execute(
        select(Case.public_id, Case.number, Case.title, clock_count, alert_count)
        .outerjoin(clocks, clocks.c.case_id == Case.id)
        .outerjoin(alerts, alerts.c.case_id == Case.id)
        .where(Case.unit_id == unit_id,
               or_(clocks.c.case_id.is_not(None), alerts.c.case_id.is_not(None)))
        .order_by(clock_count.desc(), alert_count.desc(), Case.number)
        .limit(PROBLEM_CASES)).all()
    return [{"public_id": p, "number": n, "title": t, "overdue_clocks": int(c),
             "open_alerts": int(a)} for p, n, t, c, a in rows]


def gather(unit_id: int, period: str, today: date) -> dict:
    """The dashboard of ``unit_id``'s tree for ``period`` (YYYY-MM): one row per direct
    child (a district is its own single row), with totals and last month's figures."""
    unit, rows, row_of = bulletin.tree(unit_id)
    day = as_of(period, today)
    cases = bulletin.cases_section(row_of, period)
    review = bulletin.review_section(row_of, period)
    clocks = clocks_section(row_of, day)
    monitoring = monitoring_section(row_of)
    ledger = ledger_section(row_of, today)
    columns = {
        "received": cases["this"]["received_by_row"], "closed": cases["this"]["closed_by_row"],
        "overdue": clocks["overdue_by_row"], "due_soon": clocks["due_soon_by_row"],
        "alerts": monitoring["alerts_by_row"], "notices": monitoring["notices_by_row"],
        "ledger_open": ledger["open_by_row"], "ledger_overdue": ledger["overdue_by_row"],
        "reviews": review["this"]["by_row"],
    }
    for row in rows:
        row.update({name: by_row.get(row["id"], 0) for name, by_row in columns.items()})
    totals = {name: sum(r[name] for r in rows) for name in columns}
    return {
        "unit": unit, "period": period, "previous": bulletin.previous_period(period),
        "as_of": day - timedelta(days=1), "rows": rows, "totals": totals,
        "last": {"received": cases["last"]["received"], "closed": cases["last"]["closed"],
                 "reviews": review["last"]["reviews"]},
        "by_kind": cases["this"]["by_kind"],
        "review": {"points_lost": review["this"]["points_lost"],
                   "by_grade": review["this"]["by_grade"]},
        "district": rows == [] or (len(rows) == 1 and rows[0]["id"] == unit["id"]),
    }
