"""The demo's evaluation rules: the province's monthly templates for prosecutors,
assistants and clerks, modelled on Haizhu (6 aspects; quantity + quality + judicial
skills = 75% ≥ 70%; quota grading, at most 15% 优秀), Haizhu's own adjusted version,
and some score events and hand-entered scores for Haizhu's people.

``seed_appraisal()`` runs inside ``seed_demo`` (under its ``system_scope``) after the
catalogue is seeded: indicators name case kinds of the catalogue, and every rule set
is checked (``rules_checks.check``) before it is written.
"""
from __future__ import annotations

import copy
import random
from datetime import date

from sqlalchemy import select

from procuracy.appraisal.rule_models import Aspect, Indicator, ManualScore, RuleSet, ScoreEvent
from procuracy.appraisal.rules import known_case_kinds
from procuracy.appraisal.rules_checks import check
from procuracy.cases.calendar import china_today
from procuracy.cases.models import new_public_id
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Level, Unit, User, UserRole
from procuracy.tenants.roles import Role

EFFECTIVE = date(2026, 1, 1)
HAIZHU = "440105"
ASPECTS = [  # code, name, weight, core
    ("QTY", "数量", 30, True), ("QLT", "质量", 30, True), ("SKL", "司法技能", 15, True),
    ("EXT", "外部评价", 10, False), ("ETH", "职业操守", 10, False), ("STU", "学习调研", 5, False),
]
GRADING = {"method": "quota", "grades": [
    {"name": "优秀", "max_share": 0.15, "min": 60}, {"name": "称职", "min": 45},
    {"name": "基本称职", "min": 35}, {"name": "不称职", "min": None}]}
ALLOWANCES = {"core_min": 70, "aspect_weights": True, "max_weight_change": 10,
              "indicators": ["Q01", "Q02", "Q03", "Q05", "Z01", "S01", "L01", "L02"],
              "add_indicators": True, "remove_indicators": False, "grading": False}
MANUAL = {"Z04": (70, 98), "S02": (65, 95), "W01": (70, 100), "W02": (75, 100), "E01": (85, 100)}


def _ind(code, aspect, name, kind, params=None, ppu=1.0, max_points=None, normalise=False):
    return {"code": code, "aspect_code": aspect, "name": name, "kind": kind,
            "params": params or {}, "points_per_unit": ppu, "max_points": max_points,
            "normalise": normalise}


def indicators(role: str) -> list[dict]:
    """The template's indicators; ``role`` is how the audience takes part in cases."""
    cases = {"role": role}
    return [
        _ind("Q01", "QTY", "办结案件数", "case_count", {**cases, "date": "closed"}, 1.0, 8),
        _ind("Q02", "QTY", "办案权重（部门内相对最优）", "weighted_cases",
             {**cases, "date": "closed"}, 1.0, 12, normalise=True),
        _ind("Q03", "QTY", "受理案件数", "case_count", {**cases, "date": "received"}, 0.5, 3),
        _ind("Q04", "QTY", "结案率（办结/受理）", "ratio",
             {"numerator": "Q01", "denominator": "Q03"}, 4.0, 4),
        _ind("Q05", "QTY", "审查起诉案件办结数", "case_count",
             {**cases, "date": "closed", "kinds": ["prosecution_review"]}, 0.5, 3),
        _ind("Z01", "QLT", "案件质量评查等次", "review_grade",
             {"points": {"优质": 10, "合格": 6, "瑕疵": -4, "不合格": -10}}, 1.0, 15),
        _ind("Z02", "QLT", "办案瑕疵", "event_points", {"types": ["flaw"]}, 1.0, 10),
        _ind("Z03", "QLT", "超期及流程监控", "event_points",
             {"types": ["overdue", "monitoring_notice"]}, 1.0, 5),
        _ind("Z04", "QLT", "案件质量综合评价（案管评定）", "manual", {"max": 100}, 0.15, 15),
        _ind("S01", "SKL", "精品案例、优秀文书", "event_points", {"types": ["model_case"]}, 1.0, 6),
        _ind("S02", "SKL", "司法技能考核", "manual", {"max": 100}, 0.09, 9),
        _ind("W01", "EXT", "外部评价（公安、法院、律师）", "manual", {"max": 100}, 0.06, 6),
        _ind("W02", "EXT", "人民监督员评价", "manual", {"max": 100}, 0.04, 4),
        _ind("E01", "ETH", "职业操守评价", "manual", {"max": 100}, 0.1, 10),
        _ind("E02", "ETH", "有效投诉、违纪", "event_points",
             {"types": ["complaint", "misconduct"]}, 1.0, 10),
        _ind("L01", "STU", "调研成果、培训学习", "event_points",
             {"types": ["research", "training"]}, 1.0, 3),
        _ind("L02", "STU", "表彰奖励", "event_points", {"types": ["award", "commendation"]},
             1.0, 2),
    ]


AUDIENCE_ROLE = {"prosecutor": "handler", "assistant": "assistant", "clerk": "clerk"}
NAMES = {"prosecutor": "员额检察官", "assistant": "检察官助理", "clerk": "书记员"}


def template_content(audience: str) -> dict:
    return {
        "audience": audience, "period_kind": "month", "grading": copy.deepcopy(GRADING),
        "allowances": copy.deepcopy(ALLOWANCES),
        "aspects": [{"code": c, "name": n, "weight": w, "core": core, "seq": i}
                    for i, (c, n, w, core) in enumerate(ASPECTS, start=1)],
        "indicators": [{**ind, "seq": i} for i, ind in enumerate(
            indicators(AUDIENCE_ROLE[audience]), start=1)],
    }


def haizhu_content() -> dict:
    """Haizhu's adjustments within the allowances: more weight on quantity, less on
    judicial skills (core still 75%), a larger weighted-cases indicator, and a local
    indicator for arrest reviews."""
    content = template_content("prosecutor")
    weights = {"QTY": 35, "SKL": 10}
    for a in content["aspects"]:
        a["weight"] = weights.get(a["code"], a["weight"])
    for ind in content["indicators"]:
        if ind["code"] == "Q02":
            ind["max_points"] = 15
    content["indicators"].append({**_ind(
        "HZ01", "QTY", "审查逮捕案件办结数（海珠）", "case_count",
        {"role": "handler", "date": "closed", "kinds": ["arrest_review"]}, 0.5, 3),
        "seq": len(content["indicators"]) + 1})
    return content


def write_rule_set(unit: Unit, content: dict, name: str, version: int = 1,
                   based_on: RuleSet | None = None, status: str = "published",
                   effective_from: date = EFFECTIVE, note: str = "") -> RuleSet:
    """Check ``content`` (against ``based_on``'s) and write it as a rule set."""
    from procuracy.appraisal.rules import content_of

    template = content_of(based_on) if based_on is not None else None
    errors = check(content, template, known_case_kinds(unit.id))
    if errors:
        raise ValueError(f"demo rule set {name} is not valid: {errors}")
    rs = RuleSet(unit_id=unit.id, public_id=new_public_id(), name=name,
                 audience=content["audience"], period_kind=content["period_kind"],
                 version=version, status="draft", based_on_id=based_on.id if based_on else None,
                 effective_from=effective_from, grading=content["grading"],
                 allowances=content["allowances"], note=note)
    rs.aspects = [Aspect(unit_id=unit.id, **a) for a in content["aspects"]]
    rs.indicators = [Indicator(unit_id=unit.id, **i) for i in content["indicators"]]
    db.session.add(rs)
    db.session.flush()  # written as a draft: a published version takes no new rows
    if status == "published":
        rs.status, rs.published_at = "published", utcnow()
        db.session.flush()
    return rs


def seed_appraisal(seed: int = 2026) -> dict:
    """Templates for every province, Haizhu's own version, and Haizhu's events and
    hand-entered scores for each month of 2026 up to the last full one (at least to
    March)."""
    rng = random.Random(seed)
    provinces = db.session.scalars(select(Unit).where(Unit.level == Level.PROVINCE)
                                   .order_by(Unit.code)).all()
    written = 0
    templates: dict[tuple[int, str], RuleSet] = {}
    for province in provinces:
        for audience in ("prosecutor", "assistant", "clerk"):
            templates[(province.id, audience)] = write_rule_set(
                province, template_content(audience), f"{province.abbr}{NAMES[audience]}月度考评模板",
                note="省院模板（演示）：参照海珠区院六个方面，数量+质量+司法技能≥70%")
            written += 1
    haizhu = db.session.scalars(select(Unit).where(Unit.code == HAIZHU)).first()
    events = manual = 0
    if haizhu is not None:
        root = db.session.get(Unit, _root_id(haizhu))
        write_rule_set(haizhu, haizhu_content(), "海珠区院员额检察官月度考评办法",
                       based_on=templates[(root.id, "prosecutor")],
                       note="海珠区院：数量35%、司法技能10%，增设审查逮捕办结数")
        written += 1
        events, manual = _seed_haizhu_people(haizhu, rng)
    return {"rule_sets": written, "score_events": events, "manual_scores": manual}


def _root_id(unit: Unit) -> int:
    while unit.parent_id is not None:
        unit = db.session.get(Unit, unit.parent_id)
    return unit.id


EVENTS = [("award", 2.0, "市院通报表彰"), ("model_case", 3.0, "入选市院精品案例"),
          ("research", 1.0, "调研文章获刊发"), ("flaw", -2.0, "法律文书引用条文错误"),
          ("overdue", -1.0, "审查期限届满前未办结"), ("training", 0.5, "参加业务培训"),
          ("monitoring_notice", -1.0, "流程监控通知：未按时录入案卡")]


def _seed_haizhu_people(unit: Unit, rng: random.Random) -> tuple[int, int]:
    people = db.session.scalars(
        select(User).where(User.unit_id == unit.id, User.active.is_(True),
                           (User.holds_quota.is_(True)) | User.id.in_(
                               select(UserRole.user_id).where(UserRole.role == Role.PROSECUTOR)))
        .order_by(User.id)).all()
    recorder = db.session.scalars(select(User).where(
        User.unit_id == unit.id, User.username.like("casemanager1@%"))).first()
    if not people or recorder is None:
        return 0, 0
    events = manual = 0
    today = china_today()
    last = 12 if today.year > 2026 else max(3, today.month - 1) if today.year == 2026 else 3
    for month in range(1, last + 1):
        period = f"2026-{month:02d}"
        for person in people:
            for code, (low, high) in MANUAL.items():
                db.session.add(ManualScore(unit_id=unit.id, period=period, user_id=person.id,
                                           indicator_code=code, value=float(rng.randint(low, high)),
                                           entered_by_id=recorder.id, note="演示录入"))
                manual += 1
            for kind, points, note in rng.sample(EVENTS, rng.randint(0, 3)):
                db.session.add(ScoreEvent(
                    unit_id=unit.id, public_id=new_public_id(), user_id=person.id, type=kind,
                    points=points, occurred_on=date(2026, month, rng.randint(1, 28)),
                    source="manual", note=note, recorded_by_id=recorder.id))
                events += 1
    db.session.flush()
    return events, manual
