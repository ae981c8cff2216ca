"""Registering cases (案件受理): one by one, or a whole file at once.

Who registers: the unit's case managers (案管, who hold 案件受理 on the power
list) and its chief. A case always belongs to the registering person's unit.

The number (穗海检刑诉受〔2026〕12号) comes from the unit's sequence for the
kind's abbreviation and the year received; the sequence row is bumped with an
``UPDATE … RETURNING`` (the row lock a ``SELECT … FOR UPDATE`` would take, in
one statement; SQLite takes its write lock), created first in a savepoint if
missing, so concurrent registrations never share or skip a number.

Registering also weighs the case (suspects × the kind's weight), applies the
province's major-case rule for the kind's line, enters the kind's first stage
(the alternative that fits, e.g. ``review@detained``), starts its statutory
clock and writes the "registered" step. A file import checks every row before
writing any: a bad file is rejected with each problem named by row and field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import ValidationError
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from procuracy.cases import catalogue, catalogue_data
from procuracy.cases.catalogue_models import CaseKind, MajorRule, StageDef
from procuracy.cases.models import Case, CaseNumberSequence
from procuracy.cases.timeline import add_step
from procuracy.extensions import db
from procuracy.tenants.models import Department, Unit
from procuracy.tenants.roles import Role
from procuracy.tenants.unit_io import ImportRejected, RowError

REGISTRARS = frozenset({Role.CASE_MANAGER, Role.CHIEF})
MAX_IMPORT_ROWS = 20_000
# Case fields a kind may require (the rest of its required fields are case-card fields).
CASE_FIELDS = frozenset({"title", "source_agency", "suspects", "charges", "suspects_count",
                         "detained", "major", "juvenile"})
# The department that takes a line of business (the departments the units have).
LINE_DEPARTMENT = {"criminal": "criminal", "juvenile": "criminal", "execution": "criminal",
                   "litigation_oversight": "criminal", "civil_administrative": "civil_admin",
                   "public_interest": "public_interest", "complaints": "complaints"}


class IntakeError(ValueError):
    """The case cannot be registered as given: ``errors`` maps fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


@dataclass
class Context:
    """What registering in one unit needs to know, read once (a file reuses it)."""

    actor: object
    unit: Unit
    departments: dict[str, int]
    kinds: dict[str, CaseKind | None] = field(default_factory=dict)
    stages: dict[int, list[StageDef]] = field(default_factory=dict)
    rules: dict[str, MajorRule | None] = field(default_factory=dict)

    def kind(self, code: str) -> CaseKind | None:
        if code not in self.kinds:
            self.kinds[code] = find_kind(code)
        return self.kinds[code]

    def stages_of(self, kind: CaseKind) -> list[StageDef]:
        if kind.id not in self.stages:
            self.stages[kind.id] = catalogue.stages_of(kind)
        return self.stages[kind.id]

    def rule(self, line: str) -> MajorRule | None:
        if line not in self.rules:
            self.rules[line] = catalogue.major_rule(line, self.unit.id)
        return self.rules[line]


# ---------------------------------------------------------------- rules
def may_register(actor) -> bool:
    return bool(actor.role_names & REGISTRARS)


def context_for(actor) -> Context:
    if not may_register(actor):
        raise PermissionError("only the unit's case managers or its chief register cases")
    unit = actor.unit
    departments = {d.kind: d.id for d in db.session.scalars(
        select(Department).where(Department.unit_id == unit.id))}
    return Context(actor, unit, departments)


def find_kind(code: str) -> CaseKind | None:
    """The active kind with that code (or, failing that, that name) nearest to the
    reader: a unit's own before its province's. Read through the scope."""
    return db.session.scalars(
        select(CaseKind).join(Unit, Unit.id == CaseKind.unit_id)
        .where(or_(CaseKind.code == code, CaseKind.name == code), CaseKind.active.is_(True))
        .order_by((CaseKind.code == code).desc(), Unit.depth.desc(), CaseKind.id).limit(1)
    ).first()


def check(data: dict, kind: CaseKind | None, code: str) -> dict[str, list[str]]:
    """Problems beyond the schema's: the kind, and the case-card fields it requires."""
    if kind is None:
        return {"kind": [f"unknown case kind '{code}'"]}
    errors: dict[str, list[str]] = {}
    card = data.get("card") or {}
    for name in kind.required_fields or []:
        value = data.get(name) if name in CASE_FIELDS else card.get(name)
        if value is None or value in ("", [], {}):
            key = name if name in CASE_FIELDS else f"card.{name}"
            errors.setdefault(key, []).append(f"required for {kind.name}")
    return errors


def case_weight(kind: CaseKind, suspects_count: int) -> float:
    """Haizhu's wheel weighs a case by its suspects; the kind scales it."""
    return round(float(kind.weight or 1.0) * max(1, suspects_count), 2)


def make_title(suspects: list[str], charges: list[str]) -> str:
    who = suspects[0] if suspects else "某某"
    if len(suspects) > 1:
        who += f"等{len(suspects)}人"
    what = charges[0].removesuffix("罪") if charges else ""
    return f"{who}{what}案"


def entry_stage(stages: list[StageDef], case: Case) -> StageDef | None:
    """As ``catalogue.entry_stage`` (the first node's most specific fitting
    alternative), over stages already read."""
    if not stages:
        return None
    first = min(s.seq for s in stages)
    fitting = [s for s in stages if s.seq == first and catalogue_data.condition_holds(
        catalogue_data.condition_of(s.code), case)]
    fitting.sort(key=lambda s: (not catalogue_data.condition_of(s.code), s.id))
    return fitting[0] if fitting else None


def format_number(unit: Unit, kind: CaseKind, year: int, n: int) -> str:
    return f"{unit.abbr or unit.name}检{kind.number_abbr}受〔{year}〕{n}号"


def next_number(unit_id: int, abbr: str, year: int, session=None) -> int:
    """The next number of the unit's sequence for ``abbr`` and ``year``. The row stays
    locked until the caller's transaction ends, so numbers follow commit order."""
    session = session or db.session
    seq = CaseNumberSequence
    bump = (update(seq)
            .where(seq.unit_id == unit_id, seq.kind_abbr == abbr, seq.year == year)
            .values(last=seq.last + 1).returning(seq.last)
            .execution_options(synchronize_session=False))
    n = session.scalar(bump)
    if n is None:
        try:
            with session.begin_nested():
                session.add(seq(unit_id=unit_id, kind_abbr=abbr, year=year, last=0))
        except IntegrityError:
            pass  # created meanwhile by a concurrent registration: bump theirs
        n = session.scalar(bump)
    return n


# ---------------------------------------------------------------- registering
def register_case(actor, data: dict) -> Case:
    """Register one case (``data`` as loaded by ``CaseIn``) in the actor's unit."""
    ctx = context_for(actor)
    kind = ctx.kind(data["kind"])
    errors = check(data, kind, data["kind"])
    if errors:
        raise IntakeError(errors)
    try:
        case = _create(ctx, kind, data)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return case


def _create(ctx: Context, kind: CaseKind, data: dict) -> Case:
    unit, received = ctx.unit, data["received_on"]
    suspects = list(data.get("suspects") or [])
    charges = list(data.get("charges") or [])
    count = data.get("suspects_count") or max(1, len(suspects))
    case = Case(
        unit_id=unit.id, title=data.get("title") or make_title(suspects, charges),
        kind_code=kind.code, kind_id=kind.id, received_on=received, status="open",
        department_id=ctx.departments.get(LINE_DEPARTMENT.get(kind.line, "")),
        source_agency=data.get("source_agency") or "", suspects_count=count,
        suspects=suspects, charges=charges, card=dict(data.get("card") or {}),
        weight=case_weight(kind, count), major=bool(data.get("major")),
        detained=bool(data.get("detained")), juvenile=bool(data.get("juvenile")),
    )
    rule = ctx.rule(kind.line)
    if rule is not None and not case.major:
        case.major = catalogue_data.evaluate(rule.rule, case)
    stage = entry_stage(ctx.stages_of(kind), case)
    case.stage_code = stage.code if stage else ""
    n = next_number(unit.id, kind.number_abbr, received.year)
    case.number = format_number(unit, kind, received.year, n)
    db.session.add(case)
    db.session.flush()
    add_step(case, "registered", ctx.actor.id, summary=f"受理 {case.number}",
             detail={"number": case.number, "kind": kind.code,
                     "received_on": received.isoformat()})
    if stage is not None and stage.clock and stage.limit_value:
        from procuracy.cases.clocks import start_clock

        start_clock(case, stage, received, ctx.actor, commit=False)
    return case


# ---------------------------------------------------------------- importing
def bulk_import(actor, path: Path) -> dict:
    """Validate every row of a .csv or .xlsx file, then register them all in one
    transaction; ``ImportRejected`` (every bad row and field) leaves nothing written."""
    from procuracy.cases.intake_file import read_case_rows
    from procuracy.cases.schemas import CaseIn

    ctx = context_for(actor)
    rows = read_case_rows(Path(path), MAX_IMPORT_ROWS)
    schema = CaseIn()
    errors: list[RowError] = []
    good: list[tuple[dict, CaseKind]] = []
    for line, values in rows:
        try:
            data = schema.load(values)
        except ValidationError as exc:
            errors.extend(_row_errors(line, exc.messages))
            continue
        kind = ctx.kind(data["kind"])
        problems = check(data, kind, data["kind"])
        if problems:
            errors.extend(_row_errors(line, problems))
        else:
            good.append((data, kind))
    if errors:
        raise ImportRejected(errors)
    if not good:
        raise ImportRejected([RowError(2, "file", "no cases in the file")])
    try:
        numbers = [_create(ctx, kind, data).number for data, kind in good]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return {"rows": len(rows), "created": len(numbers),
            "first_number": numbers[0], "last_number": numbers[-1]}


def _row_errors(line: int, messages, prefix: str = "") -> list[RowError]:
    out = []
    for name, value in messages.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            out.extend(_row_errors(line, value, f"{key}."))
        else:
            out.extend(RowError(line, key, str(m)) for m in value)
    return out
