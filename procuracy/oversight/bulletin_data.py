"""The figures of a monthly bulletin (通报): what a unit's tree did in a month, each
figure beside last month's, as JSON-ready data.

A unit's bulletin covers the unit and every unit below it, split by its direct
children (a district's bulletin is about itself). Every query is set-based over the
tree (a fixed number of statements whatever the number of units or cases), and reads
through the session's scope: the job runs it under ``system_scope``, a page under
the reader's. Sections that come from other areas (monitoring notices, the problem
ledger) are added by ``SECTION_PROVIDERS`` when those areas are installed.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from procuracy.extensions import db
from procuracy.reports.store import data_hash

DUE_SOON_DAYS = 5
TOP_RANKED = 10


def month_bounds(period: str) -> tuple[date, date]:
    """[first day, first day of the next month) of ``YYYY-MM``."""
    year, month = (int(p) for p in period.split("-")[:2])
    start = date(year, month, 1)
    return start, (start + timedelta(days=32)).replace(day=1)


def period_bounds(period: str) -> tuple[date, date]:
    """[first day, first day after) of a month ``YYYY-MM`` or an ISO week ``YYYY-Www``
    (the weekly summary counts with the same sections)."""
    if "-W" in period:
        year, week = (int(p) for p in period.split("-W"))
        start = date.fromisocalendar(year, week, 1)
        return start, start + timedelta(days=7)
    return month_bounds(period)


def previous_period(period: str) -> str:
    """The month (or ISO week) before ``period``."""
    start, _ = period_bounds(period)
    if "-W" in period:
        year, week, _ = (start - timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start - timedelta(days=1):%Y-%m}"


BEIJING = ZoneInfo("Asia/Shanghai")


def _moment(day: date) -> datetime:
    """The start of ``day`` in Beijing time: a month or week is the units' own, so an
    alert raised at 01:00 on the 1st (17:00 UTC the day before) counts in the new month."""
    return datetime.combine(day, time.min, tzinfo=BEIJING)


OWN_ROW = "（本院）"


def tree(unit_id: int) -> tuple[dict, list[dict], dict[int, int]]:
    """(the unit, the bulletin's rows, descendant -> row id).

    A district is its own single row. A higher unit handles cases of its own too, so its
    rows are the unit itself (本院: only its own cases) and then each direct child's tree.
    """
    from procuracy.tenants.models import Unit, UnitClosure

    unit = db.session.get(Unit, unit_id)
    children = db.session.scalars(
        select(Unit).where(Unit.parent_id == unit_id).order_by(Unit.code)).all()
    row_of: dict[int, int] = {unit.id: unit.id}
    for ancestor, descendant in db.session.execute(
            select(UnitClosure.ancestor_id, UnitClosure.descendant_id)
            .where(UnitClosure.ancestor_id.in_([c.id for c in children]))):
        row_of[descendant] = ancestor
    own = {"id": unit.id, "code": unit.code, "own": True,
           "name": f"{unit.name}{OWN_ROW}" if children else unit.name}
    return ({"id": unit.id, "code": unit.code, "name": unit.name, "level": unit.level},
            [own] + [{"id": c.id, "code": c.code, "name": c.name, "own": False}
                     for c in children], row_of)


def _by_row(pairs, row_of: dict[int, int]) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for unit_id, count in pairs:
        if unit_id in row_of:
            out[row_of[unit_id]] += count
    return out


def totals_by_row(named_pairs, row_of: dict[int, int]) -> dict:
    """``{name: total, name_by_row: {row: count}}`` of ``(name, [(unit, count)])`` pairs."""
    out: dict = {}
    for name, pairs in named_pairs:
        out[name] = sum(c for _u, c in pairs)
        out[f"{name}_by_row"] = _by_row(pairs, row_of)
    return out


def this_and_last(figures, row_of: dict[int, int], period: str) -> dict:
    """``{"this": ..., "last": ...}``: ``figures(units, row_of, period)`` for the period
    and the one before it (a section provider's answer)."""
    units = list(row_of)
    return {"this": figures(units, row_of, period),
            "last": figures(units, row_of, previous_period(period))}


def cases_section(row_of: dict[int, int], period: str) -> dict:
    """Received and closed, by kind and by row, this month and last."""
    from procuracy.cases.models import Case

    units = list(row_of)
    out: dict = {}
    for label, which in (("this", period), ("last", previous_period(period))):
        start, end = period_bounds(which)
        received = db.session.execute(
            select(Case.unit_id, Case.kind_code, func.count())
            .where(Case.unit_id.in_(units), Case.received_on >= start, Case.received_on < end)
            .group_by(Case.unit_id, Case.kind_code)).all()
        closed = db.session.execute(
            select(Case.unit_id, Case.kind_code, func.count())
            .where(Case.unit_id.in_(units), Case.closed_on >= start, Case.closed_on < end)
            .group_by(Case.unit_id, Case.kind_code)).all()
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for _unit, kind, count in received:
            kinds[kind or "其他"][0] += count
        for _unit, kind, count in closed:
            kinds[kind or "其他"][1] += count
        out[label] = {
            "received": sum(c for *_, c in received), "closed": sum(c for *_, c in closed),
            "by_kind": sorted(([k, r, c] for k, (r, c) in kinds.items()), key=lambda x: -x[1]),
            "received_by_row": _by_row(((u, c) for u, _k, c in received), row_of),
            "closed_by_row": _by_row(((u, c) for u, _k, c in closed), row_of),
        }
    return out


def clocks_section(row_of: dict[int, int], period: str) -> dict:
    """Statutory clocks still running at the month's end: overdue, and due within
    ``DUE_SOON_DAYS`` days; this month's end and last month's."""
    from procuracy.cases.models import CaseClock

    units = list(row_of)
    out: dict = {}
    for label, which in (("this", period), ("last", previous_period(period))):
        _, end = period_bounds(which)
        running = (CaseClock.unit_id.in_(units), CaseClock.started_on < end,
                   or_(CaseClock.stopped_on.is_(None), CaseClock.stopped_on >= end))
        overdue = db.session.execute(
            select(CaseClock.unit_id, func.count()).where(*running, CaseClock.due_on < end)
            .group_by(CaseClock.unit_id)).all()
        soon = db.session.execute(
            select(CaseClock.unit_id, func.count()).where(
                *running, CaseClock.due_on >= end,
                CaseClock.due_on < end + timedelta(days=DUE_SOON_DAYS))
            .group_by(CaseClock.unit_id)).all()
        out[label] = {"overdue": sum(c for _, c in overdue), "due_soon": sum(c for _, c in soon),
                      "overdue_by_row": _by_row(overdue, row_of),
                      "due_soon_by_row": _by_row(soon, row_of)}
    return out


def review_section(row_of: dict[int, int], period: str) -> dict:
    """Quality reviews finalised in the month, by grade; points lost."""
    from procuracy.appraisal.review_models import Review

    units = list(row_of)
    out: dict = {}
    for label, which in (("this", period), ("last", previous_period(period))):
        start, end = period_bounds(which)
        rows = db.session.execute(
            select(Review.reviewed_unit_id, Review.final_grade, func.count(),
                   func.coalesce(func.sum(Review.points_lost), 0))
            .where(Review.reviewed_unit_id.in_(units), Review.status == "final",
                   Review.finalised_at >= _moment(start), Review.finalised_at < _moment(end))
            .group_by(Review.reviewed_unit_id, Review.final_grade)).all()
        grades: dict[str, int] = defaultdict(int)
        for _unit, grade, count, _lost in rows:
            grades[grade or "—"] += count
        out[label] = {"reviews": sum(r[2] for r in rows),
                      "points_lost": round(float(sum(r[3] for r in rows)), 1),
                      "by_grade": sorted(grades.items()),
                      "by_row": _by_row(((u, c) for u, _g, c, _l in rows), row_of)}
    return out


def leaders_section(unit_id: int, period: str) -> dict:
    """Leaders' own case handling in the month (procuracy.cases.leaders), per row unit."""
    from procuracy.cases.leaders import unit_report
    from procuracy.tenants.models import Unit

    start, _ = month_bounds(period)
    report = unit_report(db.session.get(Unit, unit_id), start)
    keep = ("unit", "name", "leaders", "leaders_without_cases", "cases", "handled", "nominal",
            "major", "major_share", "outside_definition")
    return {"units": [{k: u[k] for k in keep} for u in report["units"]]}


def ranking_section(unit_id: int, period: str) -> dict:
    """The unit's published evaluation ranking of the month, its top ``TOP_RANKED``."""
    from procuracy.appraisal.score_models import Score, ScoreRun
    from procuracy.tenants.models import User

    run = db.session.scalars(
        select(ScoreRun).where(ScoreRun.unit_id == unit_id, ScoreRun.period == period,
                               ScoreRun.kind == "official", ScoreRun.status == "published")
        .order_by(ScoreRun.id.desc())).first()
    if run is None:
        return {"published": False, "rows": []}
    rows = db.session.execute(
        select(Score.rank, User.full_name, Score.total, Score.grade)
        .join(User, User.id == Score.user_id).where(Score.run_id == run.id)
        .order_by(Score.rank, User.username).limit(TOP_RANKED)).all()
    return {"published": True, "rows": [[r, n, round(float(t), 2), g] for r, n, t, g in rows]}


# Sections other areas add: name -> callable(unit_id, row_of, period) -> dict | None.
SECTION_PROVIDERS: dict[str, str] = {
    "monitoring": "procuracy.oversight.monitoring_bulletin:bulletin_section",
    "ledger": "procuracy.oversight.ledger_bulletin:bulletin_section",
}


def _provided(unit_id: int, row_of: dict[int, int], period: str) -> dict:
    from importlib import import_module

    out = {}
    for name, target in SECTION_PROVIDERS.items():
        module, _, function = target.partition(":")
        try:
            provider = getattr(import_module(module), function)
        except (ImportError, AttributeError):
            continue  # that area is not installed
        section = provider(unit_id, row_of, period)
        if section is not None:
            out[name] = section
    return out


def gather(unit_id: int, period: str) -> dict:
    """Every figure of ``unit_id``'s bulletin for ``period`` (YYYY-MM), with its hash."""
    unit, rows, row_of = tree(unit_id)
    data = {
        "unit": unit, "period": period, "previous": previous_period(period), "rows": rows,
        "cases": cases_section(row_of, period),
        "clocks": clocks_section(row_of, period),
        "review": review_section(row_of, period),
        "leaders": leaders_section(unit_id, period),
        "ranking": ranking_section(unit_id, period),
        **_provided(unit_id, row_of, period),
    }
    data = _json_ready(data)
    data["hash"] = data_hash(data)
    return data


def _json_ready(value):
    """Dict keys as strings (row ids), recursively, so the hash is of what JSON keeps."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value
