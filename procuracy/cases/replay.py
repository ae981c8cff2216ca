"""Replaying draws: one (``replay_draw``) or a unit's whole month
(``replay_month``), to prove the rotation was followed and was fair.

Each random draw is re-derived from its stored pool and seed. The fairness
summary sets, per group and member, the weighted load received against what the
member's share of each draw's eligible pool would have given. Consecutive draws
of a group are also chained: the loads a draw started from should be those the
draw before left; where they are not, something other than a draw changed them
(a member joining or coming back, a designation or reassignment counted in the
group), which the audit trail explains. Callers set the scope.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import func, select

from procuracy.cases import assignment as engine
from procuracy.cases.assignment_models import AssignmentDraw, RotationGroup
from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.models import Unit, User

CHINA = timezone(timedelta(hours=8), "CST")  # months are the units' months (no DST)


class ReplayError(ValueError):
    """Bad arguments (unknown unit, malformed month)."""


def replayable(draw: AssignmentDraw) -> bool:
    return bool(draw.seed) and bool(draw.candidates)


def replay_draw(draw: AssignmentDraw) -> engine.Replay:
    if not replayable(draw):
        raise ReplayError(f"a {draw.mode} assignment has no draw to replay")
    return engine.replay(draw.candidates, draw.seed, draw.chosen_id)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a calendar month in China time; ``month`` is YYYY-MM."""
    try:
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=CHINA)
    except ValueError:
        raise ReplayError(f"month must be YYYY-MM, not {month!r}") from None
    end = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass
class DrawLine:
    draw: str
    case: str
    group: int
    mode: str
    weight: float
    chosen: int
    result: engine.Replay


@dataclass
class Share:
    share: str = ""
    cases: int = 0
    received: float = 0.0
    expected: float = 0.0


@dataclass
class MonthReport:
    unit: str
    month: str
    lines: list[DrawLine] = field(default_factory=list)
    modes: Counter = field(default_factory=Counter)
    fairness: dict[int, dict[int, Share]] = field(default_factory=dict)
    adjustments: int = 0
    names: dict[int, str] = field(default_factory=dict)
    groups: dict[int, str] = field(default_factory=dict)

    @property
    def mismatch(self) -> DrawLine | None:
        return next((line for line in self.lines if not line.result.reproduced), None)


def replay_month(unit_code: str, month: str) -> MonthReport:
    unit = db.session.scalars(select(Unit).where(Unit.code == unit_code)).first()
    if unit is None:
        raise ReplayError(f"no unit {unit_code}")
    start, end = month_bounds(month)
    report = MonthReport(unit_code, month)
    in_month = (AssignmentDraw.unit_id == unit.id, AssignmentDraw.at >= start,
                AssignmentDraw.at < end)
    report.modes = Counter({f"{mode} ({status})": n for mode, status, n in db.session.execute(
        select(AssignmentDraw.mode, AssignmentDraw.status, func.count())
        .where(*in_month).group_by(AssignmentDraw.mode, AssignmentDraw.status))})
    rows = db.session.execute(
        select(AssignmentDraw, Case.number).join(Case, Case.id == AssignmentDraw.case_id)
        .where(*in_month, AssignmentDraw.seed != "")
        .order_by(AssignmentDraw.at, AssignmentDraw.id)).all()
    before: dict[int, list[dict]] = {}
    users: set[int] = set()
    for draw, number in rows:
        line = DrawLine(draw.public_id, number, draw.group_id, draw.mode, draw.weight,
                        draw.chosen_id, replay_draw(draw))
        report.lines.append(line)
        _account(report, draw, before)
        users.update(c["user_id"] for c in draw.candidates)
    report.names = dict(db.session.execute(
        select(User.id, User.username).where(User.id.in_(users))).all()) if users else {}
    group_ids = {line.group for line in report.lines}
    report.groups = dict(db.session.execute(
        select(RotationGroup.id, RotationGroup.name).where(RotationGroup.id.in_(group_ids)))
        .all()) if group_ids else {}
    return report


def _account(report: MonthReport, draw: AssignmentDraw, before: dict[int, list[dict]]) -> None:
    shares = report.fairness.setdefault(draw.group_id, defaultdict(Share))
    for c in draw.candidates:
        shares[c["user_id"]].share = f"{c['share_num']}/{c['share_den']}"
    for uid, part in engine.expected_parts(draw.candidates, draw.weight).items():
        shares[uid].expected += part
    shares[draw.chosen_id].received += draw.weight
    shares[draw.chosen_id].cases += 1
    previous = before.get(draw.group_id)
    if previous is not None:
        left = {c["user_id"]: c["load"] for c in previous}
        report.adjustments += sum(
            1 for c in draw.candidates
            if c["user_id"] not in left or abs(left[c["user_id"]] - c["load"]) > 1e-6)
    before[draw.group_id] = engine.after(draw.candidates, draw.chosen_id, draw.weight)


def report_lines(report: MonthReport) -> list[str]:
    """The report as text: one line per draw, then the verdict and the fairness table."""
    name = report.names.get
    out = []
    for line in report.lines:
        r = line.result
        verdict = "reproduced" if r.reproduced else f"MISMATCH: {r.reason}"
        again = name(r.recomputed, r.recomputed) if r.recomputed is not None else "-"
        out.append(f"{line.draw}  {line.case}  {line.mode}  weight {line.weight:g}  "
                   f"chosen {name(line.chosen, line.chosen)}  recomputed {again}  {verdict}")
    bad = report.mismatch
    if not report.lines:
        out.append(f"{report.unit} {report.month}: no random draws")
    elif bad is None:
        out.append(f"{report.unit} {report.month}: all {len(report.lines)} draws reproduced")
    else:
        out.append(f"{report.unit} {report.month}: first mismatch at draw {bad.draw} "
                   f"(case {bad.case}): {bad.result.reason}")
    if report.modes:
        out.append("assignments: " + ", ".join(f"{k} {v}" for k, v in
                                               sorted(report.modes.items())))
    out.append(f"load changes between draws not made by draws: {report.adjustments}")
    for group_id, shares in report.fairness.items():
        out.append(f"fairness, group {report.groups.get(group_id, group_id)}: "
                   "member share cases received expected difference")
        for uid in sorted(shares):
            s = shares[uid]
            out.append(f"  {name(uid, uid)} {s.share} {s.cases} {s.received:.2f} "
                       f"{s.expected:.2f} {s.received - s.expected:+.2f}")
    return out
