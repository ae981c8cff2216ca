"""The cron schedule, as data, and what it runs.

``SCHEDULES`` is the one place the rhythm is written (日监控、周汇总、月通报): the daily
monitoring sweep at 01:00, the weekly summary on Monday at 02:00, the monthly bulletins
on the 1st at 03:00, Asia/Shanghai time. ``rq cron jobs.cron_config`` turns it into RQ
cron jobs that call ``fire(name)`` in a worker; ``fire`` works out the period that just
ended and enqueues one ``JobRun`` per target unit (requested by nobody).

RQ's cron keeps no lock and does not catch up: exactly one scheduler may run, and a
bulletin missed while it was down is enqueued by ``catch_up`` when it starts again (and
every hour after): for the last monthly firing that should have happened, every unit
whose ``ReportDocument`` is missing and not being built gets its job. A run that a lost
worker left queued or running is not "being built": ``jobs.recovery`` marks it failed
("abandoned: worker lost") and the unit gets a new run.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter
from sqlalchemy import select

from procuracy.extensions import db
from procuracy.orm import utcnow

TIMEZONE = "Asia/Shanghai"
LOCAL = ZoneInfo(TIMEZONE)
CATCH_UP_EVERY = 3600  # seconds; the first run is when the scheduler starts


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str  # minute hour day-of-month month day-of-week, in TIMEZONE
    kind: str  # a jobs.registry kind
    period: str  # "day", "week" or "month": the one that ended before the firing
    targets: str  # "provinces": one run per top-level unit; "units": one per unit
    catch_up: bool = False


SCHEDULES = (
    Schedule("daily-monitoring-sweep", "0 1 * * *", "monitoring_sweep", "day", "provinces"),
    Schedule("weekly-summary", "0 2 * * 1", "weekly_summary", "week", "provinces"),
    Schedule("monthly-bulletins", "0 3 1 * *", "monthly_bulletin", "month", "units",
             catch_up=True),
)


def schedule_named(name: str) -> Schedule:
    for schedule in SCHEDULES:
        if schedule.name == name:
            return schedule
    raise LookupError(f"no schedule {name!r}")


# ---------------------------------------------------------------- periods
def period_before(unit: str, moment: datetime) -> str:
    """The day ("2026-10-31"), ISO week ("2026-W44") or month ("2026-10") that ended
    before ``moment``, in local time."""
    today = moment.astimezone(LOCAL).date()
    if unit == "day":
        return (today - timedelta(days=1)).isoformat()
    if unit == "week":
        year, week, _ = (today - timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{today.replace(day=1) - timedelta(days=1):%Y-%m}"
    raise ValueError(f"unknown period unit {unit!r}")


def period_label(period: str) -> str:
    """2026年10月, 2026年第44周, 2026年10月31日."""
    if "-W" in period:
        year, week = period.split("-W")
        return f"{year}年第{int(week)}周"
    parts = period.split("-")
    if len(parts) == 2:
        return f"{parts[0]}年{int(parts[1])}月"
    if len(parts) == 3:
        return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"
    return period


def last_firing(schedule: Schedule, now: datetime) -> datetime:
    """The latest time at or before ``now`` the schedule should have fired."""
    local = now.astimezone(LOCAL)
    return croniter(schedule.cron, local + timedelta(seconds=1)).get_prev(datetime)


# ---------------------------------------------------------------- fan-out
def target_units(schedule: Schedule) -> list[int]:
    from procuracy.tenants.models import Unit

    query = select(Unit.id).order_by(Unit.id)
    if schedule.targets == "provinces":
        query = query.where(Unit.parent_id.is_(None))
    return list(db.session.scalars(query))


def _pending(kind: str, period: str) -> set[int]:
    """The units whose ``kind`` run for ``period`` is queued or running on something
    alive. Runs a lost worker left behind (``jobs.recovery``) are marked failed with
    "abandoned: worker lost" and do not count, so their work is enqueued again."""
    from jobs.recovery import close_abandoned
    from procuracy.oversight.job_models import QUEUED, RUNNING, JobRun

    runs = db.session.scalars(select(JobRun).where(
        JobRun.kind == kind, JobRun.period == period, JobRun.status.in_((QUEUED, RUNNING))))
    alive, _closed = close_abandoned(list(runs))
    return {run.unit_id for run in alive}


def _built(kind: str, period: str) -> set[int]:
    """The units that have their ``kind`` document of ``period``."""
    from procuracy.oversight.job_models import ReportDocument

    return set(db.session.scalars(
        select(ReportDocument.unit_id).filter_by(kind=kind, period=period)))


def fan_out(schedule: Schedule, at: datetime, only_missing: bool = False) -> list[int]:
    """Enqueue the schedule's job for the period ended before ``at``, once per target
    unit (not while one is queued or running on a live worker; with ``only_missing``,
    not when its document exists); the ids of the new runs. Inside an app context."""
    from procuracy.queue import enqueue
    from procuracy.tenants.scope import system_scope

    period = period_before(schedule.period, at)
    created = []
    with system_scope(f"cron {schedule.name} {period}"):
        skip = _pending(schedule.kind, period)
        if only_missing:
            skip |= _built(schedule.kind, period)
        for unit_id in target_units(schedule):
            if unit_id in skip:
                continue
            created.append(enqueue(schedule.kind, unit_id=unit_id, period=period,
                                   params={"schedule": schedule.name}, requested_by=None).id)
    return created


def catch_up(now: datetime | None = None) -> list[int]:
    """Enqueue what the last due firing of each catch-up schedule should have built and
    is still missing (the scheduler was down). Inside an app context."""
    now = now or utcnow()
    created: list[int] = []
    for schedule in SCHEDULES:
        if schedule.catch_up:
            created += fan_out(schedule, last_firing(schedule, now), only_missing=True)
    return created


# ---------------------------------------------------------------- what RQ's cron calls
def _enqueued_at() -> datetime:
    """When the scheduler fired this job (a worker may pick it up late)."""
    from rq import get_current_job

    job = get_current_job()
    return job.enqueued_at if job is not None and job.enqueued_at else utcnow()


def fire(name: str) -> list[int]:
    """RQ cron entry point: fan out the named schedule for the period that just ended."""
    from jobs.runner import get_app

    with get_app().app_context():
        try:
            return fan_out(schedule_named(name), _enqueued_at())
        finally:
            db.session.remove()


def run_catch_up() -> list[int]:
    """RQ cron entry point, run when the scheduler starts and every hour after."""
    from jobs.runner import get_app

    with get_app().app_context():
        try:
            return catch_up(_enqueued_at())
        finally:
            db.session.remove()
