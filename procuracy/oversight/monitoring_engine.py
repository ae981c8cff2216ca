"""What the monitoring rules find: the hits of a unit's rules over its open cases.

Set-based: each rule kind is one or two queries over all of the unit's open cases
(or one case, for ``evaluate_case``), whatever their number; the catalogue (kinds,
stages, the lines' major-case rules) is read once per unit. A hit names its rule,
case and ``subject`` (the clock, the stage) — the key an open alert is unique on.

Rule kinds and their params (``monitoring_rules.PARAMS``):
- due_soon: a running statutory clock falls due within ``days`` days (today included);
- overdue: a running clock's due date has passed;
- missing_document / missing_field: a document / case-card field the case's current
  stage requires is missing ``grace_days`` after the stage's clock started;
- long_unclosed: an open case received more than ``days`` days ago;
- designated: an open case assigned by designation (指定分案), the exception to rotation;
- leader_case: an open case handled by a leader (chief, deputy, department head
  holding a quota) that is not major/difficult/complex under the line's definition.
``kinds`` / ``exclude`` limit a rule to, or exclude, case kinds (by code).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import func, select

from procuracy.cases.catalogue_data import case_value, evaluate
from procuracy.cases.catalogue_models import CaseKind, MajorRule, StageDef
from procuracy.cases.models import Case, CaseClock, CaseDocument
from procuracy.extensions import db
from procuracy.oversight.monitoring_rules import EffectiveRule, path_ids
from procuracy.tenants.models import User, UserRole
from procuracy.tenants.roles import Role

LEADER_ROLES = (Role.CHIEF, Role.DEPUTY_CHIEF, Role.DEPARTMENT_HEAD)


@dataclass(frozen=True)
class Hit:
    rule: EffectiveRule = field(compare=False)
    case_id: int
    unit_id: int
    subject: str
    handler_id: int | None
    message: str
    detail: dict = field(compare=False, default_factory=dict)
    due_on: date | None = None

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.rule.code, self.case_id, self.subject)


@dataclass
class Catalogue:
    """The kinds, stages and major-case rules published to one unit."""

    kinds: dict[int, CaseKind]
    stages: dict[tuple[int, str], StageDef]
    major_rules: dict[str, MajorRule]  # line -> the nearest publisher's rule

    def kind_of(self, kind_id: int | None, kind_code: str) -> CaseKind | None:
        if kind_id is not None and kind_id in self.kinds:
            return self.kinds[kind_id]
        return next((k for k in self.kinds.values() if kind_code in (k.code, k.name)), None)

    def match(self, codes: list[str]) -> sa.ColumnElement[bool]:
        """Cases of the kinds ``codes`` (by kind id, or by the code or name they carry)."""
        wanted = [k for k in self.kinds.values() if k.code in codes]
        texts = sorted(set(codes) | {k.name for k in wanted})
        ids = [k.id for k in wanted] or [-2]
        # coalesce: never NULL, so the clause can be negated safely
        return sa.or_(func.coalesce(Case.kind_id, -1).in_(ids),
                      sa.and_(Case.kind_id.is_(None), Case.kind_code.in_(texts)))


def load_catalogue(unit_id: int) -> Catalogue:
    path = path_ids(unit_id)
    depth = {uid: i for i, uid in enumerate(path)}
    kinds = {k.id: k for k in db.session.scalars(
        select(CaseKind).where(CaseKind.unit_id.in_(path)))}
    stages = {(s.kind_id, s.code): s for s in db.session.scalars(
        select(StageDef).where(StageDef.kind_id.in_(list(kinds) or [-1])))}
    majors: dict[str, MajorRule] = {}
    for rule in db.session.scalars(select(MajorRule).where(MajorRule.unit_id.in_(path))):
        best = majors.get(rule.line)
        if best is None or depth[rule.unit_id] > depth[best.unit_id]:
            majors[rule.line] = rule
    return Catalogue(kinds, stages, majors)


def _open_cases(unit_id: int, case_id: int | None, rule: EffectiveRule,
                catalogue: Catalogue) -> list[sa.ColumnElement[bool]]:
    where = [Case.unit_id == unit_id, Case.status != "closed", Case.closed_on.is_(None)]
    if case_id is not None:
        where.append(Case.id == case_id)
    if rule.param("kinds"):
        where.append(catalogue.match(list(rule.param("kinds"))))
    if rule.param("exclude"):
        where.append(sa.not_(catalogue.match(list(rule.param("exclude")))))
    return where


def _kind_name(catalogue: Catalogue, case) -> str:
    kind = catalogue.kind_of(case.kind_id, case.kind_code)
    return kind.name if kind else (case.kind_code or "")


# ---------------------------------------------------------------- clocks
def _clocks(rule, unit_id, case_id, catalogue, *where):
    return db.session.execute(
        select(CaseClock, Case.handler_id, Case.kind_id, Case.kind_code)
        .join(Case, Case.id == CaseClock.case_id)
        .where(*_open_cases(unit_id, case_id, rule, catalogue), CaseClock.stopped_on.is_(None),
               *where)
        .order_by(CaseClock.id)).all()


def _stage_name(catalogue: Catalogue, kind_id, kind_code, stage_code: str) -> str:
    kind = catalogue.kind_of(kind_id, kind_code)
    stage = catalogue.stages.get((kind.id, stage_code)) if kind else None
    return stage.name if stage else stage_code


def due_soon(rule, unit_id, case_id, today, catalogue) -> list[Hit]:
    days = int(rule.param("days", 3))
    hits = []
    for clock, handler, kind_id, kind_code in _clocks(
            rule, unit_id, case_id, catalogue, CaseClock.due_on >= today,
            CaseClock.due_on <= today + timedelta(days=days)):
        name = _stage_name(catalogue, kind_id, kind_code, clock.stage_code)
        hits.append(Hit(rule, clock.case_id, unit_id, f"clock:{clock.id}", handler,
                        f"{name}：办案期限将于 {clock.due_on} 届满",
                        {"clock": clock.name, "stage": clock.stage_code, "days": days},
                        clock.due_on))
    return hits


def overdue(rule, unit_id, case_id, today, catalogue) -> list[Hit]:
    hits = []
    for clock, handler, kind_id, kind_code in _clocks(
            rule, unit_id, case_id, catalogue, CaseClock.due_on < today):
        name = _stage_name(catalogue, kind_id, kind_code, clock.stage_code)
        hits.append(Hit(rule, clock.case_id, unit_id, f"clock:{clock.id}", handler,
                        f"{name}：办案期限已于 {clock.due_on} 届满，案件超期",
                        {"clock": clock.name, "stage": clock.stage_code}, clock.due_on))
    return hits


# ---------------------------------------------------------------- what a stage requires
def _staged_cases(rule, unit_id, case_id, today, catalogue):
    """Open cases at a stage, with the day that stage's latest clock started, past grace."""
    grace = int(rule.param("grace_days", 0))
    started = (select(CaseClock.case_id, CaseClock.stage_code,
                      func.max(CaseClock.started_on).label("started_on"))
               .group_by(CaseClock.case_id, CaseClock.stage_code).subquery())
    rows = db.session.execute(
        select(Case, started.c.started_on)
        .outerjoin(started, sa.and_(started.c.case_id == Case.id,
                                    started.c.stage_code == Case.stage_code))
        .where(*_open_cases(unit_id, case_id, rule, catalogue), Case.stage_code != "")
        .order_by(Case.id)).all()
    out = []
    for case, since in rows:
        kind = catalogue.kind_of(case.kind_id, case.kind_code)
        stage = catalogue.stages.get((kind.id, case.stage_code)) if kind else None
        if stage is None or (since or case.received_on) + timedelta(days=grace) > today:
            continue
        out.append((case, stage))
    return out


def missing_document(rule, unit_id, case_id, today, catalogue) -> list[Hit]:
    staged = [(c, s) for c, s in _staged_cases(rule, unit_id, case_id, today, catalogue)
              if s.required_documents]
    have: dict[int, set[str]] = {}
    if staged:
        for cid, doc_type in db.session.execute(
                select(CaseDocument.case_id, CaseDocument.doc_type)
                .where(CaseDocument.case_id.in_([c.id for c, _ in staged]))):
            have.setdefault(cid, set()).add(doc_type)
    hits = []
    for case, stage in staged:
        missing = [d for d in stage.required_documents if d not in have.get(case.id, set())]
        if missing:
            hits.append(Hit(rule, case.id, unit_id, f"stage:{stage.code}", case.handler_id,
                            f"{stage.name}：缺少{'、'.join(missing)}",
                            {"stage": stage.code, "missing": missing}))
    return hits


def _has_field(case: Case, name: str) -> bool:
    value = case_value(case, name)  # a column of the case, else a case-card field
    if isinstance(value, bool):
        return True
    return value not in (None, "", [], {})


def missing_field(rule, unit_id, case_id, today, catalogue) -> list[Hit]:
    hits = []
    for case, stage in _staged_cases(rule, unit_id, case_id, today, catalogue):
        missing = [f for f in stage.required_fields or [] if not _has_field(case, f)]
        if missing:
            hits.append(Hit(rule, case.id, unit_id, f"stage:{stage.code}", case.handler_id,
                            f"{stage.name}：案卡项目未填写：{'、'.join(missing)}",
                            {"stage": stage.code, "missing": missing}))
    return hits


# ---------------------------------------------------------------- cases as a whole
def long_unclosed(rule, unit_id, case_id, today, catalogue) -> list[Hit]:
    days = int(rule.param("days", 180))
    cases = db.session.scalars(select(Case).where(
        *_open_cases(unit_id, case_id, rule, catalogue),
        Case.received_on < today - timedelta(days=days)).order_by(Case.id)).all()
    return [Hit(rule, c.id, unit_id, "", c.handler_id,
                f"{_kind_name(catalogue, c)}：受理于 {c.received_on}，超过 {days} 日未办结",
                {"received_on": c.received_on.isoformat(), "days": days}) for c in cases]


def designated(rule, unit_id, case_id, today, catalogue) -> list[Hit]:
    cases = db.session.scalars(select(Case).where(
        *_open_cases(unit_id, case_id, rule, catalogue), Case.designated.is_(True))
        .order_by(Case.id)).all()
    return [Hit(rule, c.id, unit_id, "", c.handler_id, "指定分案：请核查指定理由及审批", {})
            for c in cases]


def leader_case(rule, unit_id, case_id, today, catalogue) -> list[Hit]:
    leaders = (select(UserRole.user_id).join(User, User.id == UserRole.user_id)
               .where(UserRole.unit_id == unit_id, User.holds_quota.is_(True),
                      UserRole.role.in_([r.value for r in LEADER_ROLES])))
    cases = db.session.scalars(select(Case).where(
        *_open_cases(unit_id, case_id, rule, catalogue), Case.handler_id.in_(leaders))
        .order_by(Case.id)).all()
    hits = []
    for case in cases:
        kind = catalogue.kind_of(case.kind_id, case.kind_code)
        major_rule = catalogue.major_rules.get(kind.line) if kind else None
        major = bool(case.major) or bool(major_rule and evaluate(major_rule.rule, case))
        if not major:
            hits.append(Hit(rule, case.id, unit_id, "", case.handler_id,
                            "院领导办理的案件不属于本条线界定的重大疑难复杂案件",
                            {"line": kind.line if kind else ""}))
    return hits


FINDERS = {"due_soon": due_soon, "overdue": overdue, "missing_document": missing_document,
           "missing_field": missing_field, "long_unclosed": long_unclosed,
           "designated": designated, "leader_case": leader_case}


def find_hits(unit_id: int, rules: list[EffectiveRule], today: date,
              case_id: int | None = None) -> dict[tuple, Hit]:
    """Every hit of the enabled ``rules`` over the unit's open cases (or one case)."""
    catalogue = load_catalogue(unit_id)
    hits: dict[tuple, Hit] = {}
    for rule in rules:
        if not rule.enabled:
            continue
        for hit in FINDERS[rule.kind](rule, unit_id, case_id, today, catalogue):
            hits.setdefault(hit.key, hit)
    return hits
