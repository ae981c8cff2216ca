"""The demo province: Guangdong's units, their people, the power-list template.

Accounts follow ``ROLE1@CODE`` (``prosecutor1@440105``, ``inspector1@440000``).
Everything is written under ``system_scope``: seeding is done for all units.
"""
from __future__ import annotations

import csv
import random
from datetime import date
from importlib import resources
from pathlib import Path

from sqlalchemy import func, insert, select

from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.auth import hash_password
from procuracy.tenants.models import Department, Level, Unit, User, UserRole
from procuracy.tenants.power_models import PowerItem, PowerList
from procuracy.tenants.roles import Role
from procuracy.tenants.scope import system_scope
from procuracy.tenants.unit_io import import_units

DEPARTMENTS = [
    ("刑事检察部", "criminal"),
    ("民事行政检察部", "civil_admin"),
    ("公益诉讼检察部", "public_interest"),
    ("控告申诉检察部", "complaints"),
    ("案件管理部", "case_management"),
    ("检务督察部", "inspection"),
]
# (account prefix, roles, department kind, holds a prosecutor quota, count)
STAFF = [
    ("chief", [Role.CHIEF, Role.COMMITTEE_MEMBER], None, True, 1),
    ("deputy", [Role.DEPUTY_CHIEF, Role.COMMITTEE_MEMBER], None, True, 1),
    ("depthead", [Role.DEPARTMENT_HEAD, Role.PROSECUTOR], "criminal", True, 1),
    ("prosecutor", [Role.PROSECUTOR], "criminal", True, 4),
    ("civilprosecutor", [Role.PROSECUTOR], "civil_admin", True, 1),
    ("assistant", [Role.ASSISTANT], "criminal", False, 2),
    ("clerk", [Role.CLERK], "criminal", False, 2),
    ("casemanager", [Role.CASE_MANAGER], "case_management", False, 1),
    ("admin", [Role.UNIT_ADMIN], "case_management", False, 1),
]
INSPECTOR = ("inspector", [Role.INSPECTOR], "inspection", False, 1)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玲斌鹏宇浩然晨曦子涵雨欣"


def _data(name: str):
    return resources.files("procuracy.tenants").joinpath("data", name)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def seed_units(units_file: Path | None = None) -> dict:
    if units_file is not None:
        return import_units(units_file)
    with resources.as_file(_data("demo_units.csv")) as path:
        return import_units(path)


def seed_people(password: str, rng: random.Random) -> int:
    units = db.session.scalars(select(Unit).order_by(Unit.id)).all()
    db.session.execute(insert(Department), [
        {"unit_id": u.id, "name": name, "kind": kind} for u in units for name, kind in DEPARTMENTS
    ])
    depts = {(d.unit_id, d.kind): d.id for d in db.session.scalars(select(Department))}
    pw_hash = hash_password(password)  # one hash: the same password for every demo account
    users, roles = [], []
    for unit in units:
        staff = STAFF + ([INSPECTOR] if unit.level != Level.DISTRICT else [])
        for prefix, role_list, dept_kind, quota, count in staff:
            for i in range(1, count + 1):
                users.append({
                    "unit_id": unit.id, "username": f"{prefix}{i}@{unit.code}",
                    "full_name": _name(rng), "password_hash": pw_hash, "holds_quota": quota,
                    "department_id": depts.get((unit.id, dept_kind)) if dept_kind else None,
                    "active": True, "auth_epoch": 0, "failed_logins": 0,
                    "created_at": utcnow(), "updated_at": utcnow(),
                })
                roles.append((f"{prefix}{i}@{unit.code}", unit.id, role_list))
    db.session.execute(insert(User), users)
    ids = dict(db.session.execute(select(User.username, User.id)).all())
    db.session.execute(insert(UserRole), [
        {"user_id": ids[name], "unit_id": unit_id, "role": r.value}
        for name, unit_id, role_list in roles for r in role_list
    ])
    return len(users)


def seed_power_lists(effective_from: date) -> int:
    province_codes = db.session.scalars(select(Unit.code).where(Unit.level == Level.PROVINCE))
    with _data("power_template.csv").open(encoding="utf-8") as fh:
        template = list(csv.DictReader(fh))
    for code in province_codes:
        province = db.session.scalars(select(Unit).where(Unit.code == code)).one()
        pl = PowerList(unit_id=province.id, version=1, effective_from=effective_from,
                       status="published", published_at=utcnow(),
                       note="省院权力清单模板（演示）")
        db.session.add(pl)
        db.session.flush()
        db.session.execute(insert(PowerItem), [
            {"unit_id": province.id, "list_id": pl.id, "code": r["code"],
             "category": r["category"], "matter": r["matter"], "decider_role": r["decider_role"],
             "condition": r["condition"], "overridable": r["overridable"] == "yes",
             "note": r["note"]} for r in template
        ])
    _local_list("440105", effective_from, [
        # Haizhu keeps one overridable matter with its department heads, and adds a local one.
        _override(template, "department_head", "海珠区院：由部门负责人决定"),
        {"code": "HZ-001", "category": template[0]["category"], "matter": "检察官联席会议召集",
         "decider_role": "prosecutor", "condition": "", "overridable": True,
         "note": "海珠区院本地事项"},
    ])
    return len(template)


def _override(template: list[dict], role: str, note: str) -> dict:
    row = next(r for r in template if r["overridable"] == "yes" and r["decider_role"] == "prosecutor")
    return {**row, "decider_role": role, "overridable": True, "note": note}


def _local_list(unit_code: str, effective_from: date, rows: list[dict]) -> None:
    unit = db.session.scalars(select(Unit).where(Unit.code == unit_code)).first()
    if unit is None:
        return
    pl = PowerList(unit_id=unit.id, version=1, effective_from=effective_from,
                   status="published", published_at=utcnow(), note="本院调整（演示）")
    db.session.add(pl)
    db.session.flush()
    db.session.execute(insert(PowerItem), [
        {"unit_id": unit.id, "list_id": pl.id, "code": r["code"], "category": r["category"],
         "matter": r["matter"], "decider_role": r["decider_role"], "condition": r["condition"],
         "overridable": bool(r["overridable"]), "note": r["note"]} for r in rows
    ])


def seed_demo(password: str, cases: int = 0, seed: int = 20261123,
              units_file: Path | None = None) -> dict:
    """The demo province: units, people, the power-list template, the case catalogue
    and calendar, rotation groups, and (``cases``) realistic cases."""
    from procuracy.appraisal.checklists import seed_review_demo
    from procuracy.appraisal.demo_rules import seed_appraisal
    from procuracy.cases.catalogue import seed_catalogue_for_provinces
    from procuracy.cases.demo_intake import seed_demo_cases
    from procuracy.cases.demo_rotation import seed_rotation
    from procuracy.oversight.monitoring_seed import seed_monitoring

    rng = random.Random(seed)
    with system_scope("seeding the demo province"):
        if db.session.scalar(select(func.count(Unit.id))):
            raise RuntimeError("the database already holds units; seed an empty database")
        result = {"units": seed_units(units_file)["created"]}
        result["users"] = seed_people(password, rng)
        result["power_items"] = seed_power_lists(date(2026, 1, 1))
        result["checklists"] = seed_review_demo()
        result["case_kinds"] = seed_catalogue_for_provinces()
        result.update(seed_appraisal())
        result["rotation_groups"] = seed_rotation()
        result["monitoring_rules"] = seed_monitoring()
        if cases:
            result["cases"] = seed_demo_cases(cases, rng)
        db.session.commit()
    return result
