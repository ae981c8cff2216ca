"""The working-day calendar and how statutory periods are counted.

Criminal Procedure Law 2018, art. 105: periods are counted in hours, days and
months; the day on which a period begins is not counted; when the last day of a
period falls on a holiday (节假日, weekends included) the period ends on the first
day after the holiday, except that a period during which the suspect,
defendant or prisoner is in custody ends on its last day regardless. A month
runs to the same day of the next month; from the last day of a month to the last
day of the next; where the next month has no such day, to its last day; half a
month is fifteen days.

A ``WorkCalendar`` is Monday to Friday, minus the public holidays and plus the
make-up working days (调休) the province publishes as ``CalendarDay`` rows. The
counting itself is pure (no database), so most of it is tested without one.
"""
from __future__ import annotations

import calendar as _cal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import select

from procuracy.cases.catalogue_models import LIMIT_UNITS, CalendarDay
from procuracy.extensions import db
from procuracy.tenants.models import UnitClosure

HOLIDAY, WORKDAY = "holiday", "workday"
DAY_KINDS = (HOLIDAY, WORKDAY)
CHINA = timezone(timedelta(hours=8))  # China keeps one time zone and no summer time


def china_today() -> date:
    """Today's date where the procuratorates are: statutory days turn at midnight in China."""
    return datetime.now(UTC).astimezone(CHINA).date()


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later; from a month's last day to the last day of the
    target month; where the target month is shorter, its last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = _cal.monthrange(year, month)[1]
    if start.day == _cal.monthrange(start.year, start.month)[1]:
        return date(year, month, last)
    return date(year, month, min(start.day, last))


@dataclass(frozen=True)
class WorkCalendar:
    """Monday–Friday with exceptions: ``days`` maps a date to "holiday" or "workday"."""

    days: Mapping[date, str] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[date, str]]) -> WorkCalendar:
        """Later rows win, so pass the farthest publisher first and the nearest last."""
        days: dict[date, str] = {}
        for day, kind in rows:
            if kind not in DAY_KINDS:
                raise ValueError(f"{day}: kind must be one of {DAY_KINDS}, not {kind!r}")
            days[day] = kind
        return cls(days)

    def is_working_day(self, d: date) -> bool:
        kind = self.days.get(d)
        if kind is not None:
            return kind == WORKDAY
        return d.weekday() < 5

    def first_working_day_from(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (the start day itself is not counted)."""
        if n < 0:
            raise ValueError("a period has no negative length")
        d, counted = start, 0
        while counted < n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                counted += 1
        return d

    def advance(self, start: date, value: int, unit: str) -> date:
        """The nominal last day of a period of ``value`` ``unit`` that begins after ``start``."""
        if unit == "days":
            return start + timedelta(days=value)
        if unit == "months":
            return add_months(start, value)
        if unit == "working_days":
            return self.add_working_days(start, value)
        raise ValueError(f"unit must be one of {LIMIT_UNITS}, not {unit!r}")

    def due_date(self, start: date, value: int, unit: str, in_custody: bool = False,
                 extensions: Iterable[tuple[int, str]] = ()) -> date:
        """The last day of a statutory period (art. 105).

        Extensions lengthen the period itself; only the final last day moves off a
        holiday, and never for a custody period.
        """
        end = self.advance(start, value, unit)
        for ext_value, ext_unit in extensions:
            end = self.advance(end, ext_value, ext_unit)
        if in_custody:
            return end
        return self.first_working_day_from(end)

    def exceptions_in(self, year: int) -> list[tuple[date, str]]:
        return sorted((d, k) for d, k in self.days.items() if d.year == year)


def calendar_rows(unit_id: int) -> list[CalendarDay]:
    """The calendar rows that apply to ``unit_id``: its own and its ancestors', the
    farthest first. One query, through the caller's scope."""
    return list(db.session.scalars(
        select(CalendarDay)
        .join(UnitClosure, UnitClosure.ancestor_id == CalendarDay.unit_id)
        .where(UnitClosure.descendant_id == unit_id)
        .order_by(UnitClosure.distance.desc(), CalendarDay.day)
    ))


def calendar_for(unit_id: int) -> WorkCalendar:
    """The working-day calendar of a unit: what its province (and any unit between)
    publishes, the nearest publisher winning on a day both name."""
    return WorkCalendar.from_rows((row.day, row.kind) for row in calendar_rows(unit_id))
