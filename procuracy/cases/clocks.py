"""Statutory clocks on a case: started when a stage with a limit is entered,
extended within the law's allowance, started afresh when supplementary
investigation returns the case, stopped when the stage ends.

A clock stores its start, limit, extensions and the due date derived from them
and the calendar (so monitoring can query ``due_on``); whether it is running,
due soon or overdue is computed against a given day, never stored. Every change
adds a step to the case's timeline. Services commit unless told not to.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from procuracy.cases import catalogue
from procuracy.cases.calendar import WorkCalendar, calendar_for, china_today
from procuracy.cases.catalogue_models import CaseKind, StageDef
from procuracy.cases.models import Case, CaseClock
from procuracy.cases.timeline import add_step
from procuracy.extensions import db
from procuracy.tenants.models import UnitClosure
from procuracy.tenants.powers import holds_power, may_decide
from procuracy.tenants.scope import system_scope

STATES = ("running", "due_soon", "overdue", "stopped")
# Art. 175: supplementary investigation at most twice. StageDef has no column for how
# often a stage may be entered, so the limit is kept here, per clock name.
ENTRY_LIMITS = {"supplementary": 2}
# Extensions that the power list reserves to a decider; other clocks: handler or leader.
EXTENSION_MATTERS = {("prosecution_review", "review"): "延长审查起诉期限"}


class ClockError(ValueError):
    """A clock change the law or the catalogue refuses; the message says why (422)."""


@dataclass(frozen=True)
class ClockState:
    due_on: date
    days_left: int  # calendar days to the due date; negative when overdue
    state: str  # running | due_soon | overdue | stopped


def clock_state(clock: CaseClock, today: date | None = None) -> ClockState:
    """Running, due soon (within the stage's warning days), overdue, or stopped (then
    ``days_left`` is the margin it was stopped with)."""
    if clock.stopped_on is not None:
        return ClockState(clock.due_on, (clock.due_on - clock.stopped_on).days, "stopped")
    days_left = (clock.due_on - (today or china_today())).days
    if days_left < 0:
        state = "overdue"
    elif days_left <= clock.warn_days:
        state = "due_soon"
    else:
        state = "running"
    return ClockState(clock.due_on, days_left, state)


def in_custody(case: Case, stage: StageDef, kind: CaseKind | None) -> bool:
    """Art. 105: custody periods do not move off holidays. The custody clock always is
    one; the arrest or prosecution review of a detained suspect runs within custody."""
    if stage.limit_unit == "working_days":
        return False
    if stage.clock == "custody":
        return True
    return stage.clock == "review" and case.detained and kind is not None \
        and kind.line == "criminal"


def compute_due_on(clock: CaseClock, calendar: WorkCalendar) -> date:
    return calendar.due_date(clock.started_on, clock.limit_value, clock.limit_unit,
                             clock.in_custody,
                             [(e["value"], e["unit"]) for e in clock.extensions or []])


# ---------------------------------------------------------------- reading
def clocks_of(case: Case) -> list[CaseClock]:
    return list(db.session.scalars(
        select(CaseClock).where(CaseClock.case_id == case.id)
        .order_by(CaseClock.started_on, CaseClock.id)))


def find_clock(case: Case, name: str) -> CaseClock | None:
    """The case's clock called ``name``: the running one, else the latest."""
    found = [c for c in clocks_of(case) if c.name == name]
    running = [c for c in found if c.stopped_on is None]
    return (running or found or [None])[-1]


def _stage_of(case: Case, clock: CaseClock) -> tuple[CaseKind | None, StageDef | None]:
    kind = catalogue.kind_for_case(case)
    return kind, (catalogue.stage_by_code(kind, clock.stage_code) if kind else None)


def _case_of(clock: CaseClock) -> Case:
    case = db.session.get(Case, clock.case_id)
    if case is None:
        raise ClockError("the clock's case is not visible")
    return case


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


# ---------------------------------------------------------------- changing
def start_clock(case: Case, stage: StageDef, started_on: date, actor, *,
                commit: bool = True) -> CaseClock:
    """Start the clock of ``stage`` on ``started_on`` (the day the case or request was
    received, itself not counted). Clocks the stage resets are stopped meanwhile."""
    if not stage.clock or not stage.limit_value:
        raise ClockError(f"stage {stage.code} runs no clock")
    existing = [c for c in clocks_of(case) if c.name == stage.clock]
    if any(c.stopped_on is None for c in existing):
        raise ClockError(f"the {stage.clock} clock is already running on this case")
    limit = ENTRY_LIMITS.get(stage.clock)
    if limit is not None and len(existing) >= limit:
        raise ClockError(f"{stage.name}: at most {limit} times (already {len(existing)})")
    for other in clocks_of(case):
        if other.name in (stage.resets or []) and other.stopped_on is None:
            _stop(case, other, started_on, actor, f"{stage.name}：{other.name} 期限停止计算")
    kind = db.session.get(CaseKind, stage.kind_id)
    clock = CaseClock(unit_id=case.unit_id, case_id=case.id, name=stage.clock,
                      stage_code=stage.code, started_on=started_on,
                      limit_value=stage.limit_value, limit_unit=stage.limit_unit,
                      extensions=[], in_custody=in_custody(case, stage, kind),
                      warn_days=stage.warn_days, resets=0)
    clock.due_on = compute_due_on(clock, calendar_for(case.unit_id))
    db.session.add(clock)
    add_step(case, "clock_started", actor.id if actor else None,
             f"{stage.name}：{started_on} 起算，{clock.due_on} 届满",
             {"clock": clock.name, "started_on": started_on.isoformat(),
              "due_on": clock.due_on.isoformat(), "in_custody": clock.in_custody},
             stage_code=stage.code)
    _finish(commit)
    return clock


def _check_may_extend(actor, case: Case, kind: CaseKind | None, clock: CaseClock) -> None:
    matter = EXTENSION_MATTERS.get((kind.code, clock.name)) if kind else None
    if matter:
        verdict = may_decide(actor, matter, case)
        if verdict.item is not None:
            if not verdict.allowed:
                raise PermissionError(f"{matter}: {verdict.reason}")
            return
    if not holds_power(actor, "prosecutor", case):
        raise PermissionError("only the case's handler or a leader of its unit extends a limit")


def extend_clock(clock: CaseClock, actor, reason: str, on: date | None = None, *,
                 commit: bool = True) -> CaseClock:
    """Extend the limit by the stage's allowance, before it runs out, within
    ``max_extensions``; the decider is whoever the power list names."""
    reason = (reason or "").strip()
    if not reason:
        raise ClockError("an extension needs a reason")
    if clock.stopped_on is not None:
        raise ClockError(f"the {clock.name} clock stopped on {clock.stopped_on}")
    case = _case_of(clock)
    kind, stage = _stage_of(case, clock)
    _check_may_extend(actor, case, kind, clock)
    if stage is None or not stage.extension_value or not stage.max_extensions:
        raise ClockError(f"the limit of {stage.name if stage else clock.stage_code} "
                         "cannot be extended")
    used = len(clock.extensions or [])
    if used >= stage.max_extensions:
        raise ClockError(f"{stage.name}: extended {used} time(s) already; "
                         f"the law allows {stage.max_extensions}")
    on = on or china_today()
    if on > clock.due_on:
        raise ClockError(f"the limit ran out on {clock.due_on}; extend before it does")
    old = clock.due_on
    clock.extensions = [*(clock.extensions or []), {
        "value": stage.extension_value, "unit": stage.extension_unit, "reason": reason,
        "by": actor.id, "on": on.isoformat()}]
    clock.due_on = compute_due_on(clock, calendar_for(case.unit_id))
    add_step(case, "clock_extended", actor.id,
             f"{stage.name}：延长{stage.extension_value}（{stage.extension_unit}），"
             f"{old} → {clock.due_on}",
             {"clock": clock.name, "from": old.isoformat(), "to": clock.due_on.isoformat(),
              "reason": reason}, stage_code=clock.stage_code)
    _finish(commit)
    return clock


def reset_clock(case: Case, name: str, on: date, actor, reason: str, *,
                commit: bool = True) -> CaseClock:
    """The case is back (supplementary investigation done): the ``name`` clock starts
    afresh on ``on`` with its full limit and no extensions; the clocks that had
    reset it (the supplementary investigation) stop."""
    clock = find_clock(case, name)
    if clock is None:
        raise ClockError(f"no {name} clock on this case")
    if on < clock.started_on:
        raise ClockError(f"{on} is before the {name} clock started ({clock.started_on})")
    kind = catalogue.kind_for_case(case)
    for other in clocks_of(case):
        if other.stopped_on is not None or other.id == clock.id:
            continue
        stage = catalogue.stage_by_code(kind, other.stage_code) if kind else None
        if stage is not None and name in (stage.resets or []):
            _stop(case, other, on, actor, f"{stage.name}完毕")
    _, stage = _stage_of(case, clock)
    old = clock.due_on
    clock.started_on, clock.stopped_on, clock.extensions = on, None, []
    clock.resets += 1
    if stage is not None:
        clock.in_custody = in_custody(case, stage, kind)
    clock.due_on = compute_due_on(clock, calendar_for(case.unit_id))
    add_step(case, "clock_reset", actor.id if actor else None,
             f"{name} 期限重新计算：{on} 起算，{clock.due_on} 届满（{reason}）",
             {"clock": name, "from": old.isoformat(), "to": clock.due_on.isoformat(),
              "resets": clock.resets, "reason": reason}, stage_code=clock.stage_code)
    _finish(commit)
    return clock


def _stop(case: Case, clock: CaseClock, on: date, actor, summary: str) -> None:
    if on < clock.started_on:
        raise ClockError(f"{on} is before the {clock.name} clock started ({clock.started_on})")
    clock.stopped_on = on
    add_step(case, "clock_stopped", actor.id if actor else None, summary,
             {"clock": clock.name, "stopped_on": on.isoformat(),
              "due_on": clock.due_on.isoformat()}, stage_code=clock.stage_code)


def stop_clock(clock: CaseClock, on: date, actor=None, *, commit: bool = True) -> CaseClock:
    """The stage ended (decision taken, reply received) on ``on``."""
    if clock.stopped_on is not None:
        raise ClockError(f"the {clock.name} clock stopped on {clock.stopped_on} already")
    _stop(_case_of(clock), clock, on, actor, f"{clock.name} 期限停止：{on}")
    _finish(commit)
    return clock


def refresh_due_dates(publisher_id: int, day: date, reason: str,
                      actor_id: int | None = None) -> int:
    """After the calendar of ``publisher_id`` changed on ``day``: recompute the running
    clocks of its tree whose period spans that day. Returns how many moved."""
    moved = 0
    with system_scope(f"{reason}: due dates of running clocks in the tree follow"):
        tree = select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == publisher_id)
        clocks = db.session.scalars(select(CaseClock).where(
            CaseClock.unit_id.in_(tree), CaseClock.stopped_on.is_(None),
            CaseClock.started_on < day, CaseClock.due_on >= day)).all()
        calendars: dict[int, WorkCalendar] = {}
        for clock in clocks:
            if clock.unit_id not in calendars:
                calendars[clock.unit_id] = calendar_for(clock.unit_id)
            new = compute_due_on(clock, calendars[clock.unit_id])
            if new == clock.due_on:
                continue
            old, clock.due_on = clock.due_on, new
            add_step(db.session.get(Case, clock.case_id), "clock_moved", actor_id,
                     f"{clock.name} 届满日随工作日历调整：{old} → {new}",
                     {"clock": clock.name, "from": old.isoformat(), "to": new.isoformat(),
                      "calendar_day": day.isoformat()}, stage_code=clock.stage_code)
            moved += 1
        db.session.flush()
    return moved


def clock_out(clock: CaseClock, today: date | None = None) -> dict:
    """A clock as the API and the case page show it: its data and its state today."""
    state = clock_state(clock, today)
    out = {c.key: getattr(clock, c.key) for c in CaseClock.__table__.columns}
    out.update(due_on=state.due_on, days_left=state.days_left, state=state.state)
    return out
