"""Demo cases for the foundation: enough to see who reads what. The cases work
replaces this with the full catalogue and flow."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from procuracy.cases.models import Case, CaseParticipant, new_public_id
from procuracy.extensions import db
from procuracy.orm import utcnow
from procuracy.tenants.models import Department, Level, Unit, User, UserRole
from procuracy.tenants.roles import Role

KINDS = [("审查逮捕", "捕"), ("审查起诉", "诉")]
TITLES = ["盗窃案", "诈骗案", "故意伤害案", "危险驾驶案", "帮助信息网络犯罪活动案", "寻衅滋事案",
          "掩饰、隐瞒犯罪所得案", "非法吸收公众存款案", "开设赌场案", "交通肇事案"]


def seed_cases(count: int, rng: random.Random, year: int = 2026) -> int:
    units = db.session.scalars(select(Unit).where(Unit.level == Level.DISTRICT)).all()
    criminal = {d.unit_id: d.id for d in db.session.scalars(
        select(Department).where(Department.kind == "criminal"))}
    handlers: dict[int, list[int]] = {}
    for user in db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.PROSECUTOR)
    ):
        if user.department_id == criminal.get(user.unit_id):
            handlers.setdefault(user.unit_id, []).append(user.id)
    assistants: dict[int, list[int]] = {}
    for user in db.session.scalars(select(User).join(UserRole).where(UserRole.role == Role.ASSISTANT)):
        assistants.setdefault(user.unit_id, []).append(user.id)
    seq: dict[tuple, int] = {}
    cases, parts = [], []
    start = date(year, 1, 1)
    for _ in range(count):
        unit = rng.choice(units)
        kind, short = rng.choice(KINDS)
        seq[(unit.id, kind)] = seq.get((unit.id, kind), 0) + 1
        handler = rng.choice(handlers[unit.id])
        received = start + timedelta(days=rng.randrange(300))
        closed = received + timedelta(days=rng.randrange(5, 40)) if rng.random() < 0.6 else None
        pid = new_public_id()
        cases.append({
            "public_id": pid, "unit_id": unit.id, "department_id": criminal[unit.id],
            "number": f"{unit.abbr}检刑{short}受〔{year}〕{seq[(unit.id, kind)]}号",
            "title": rng.choice(SURNAMES_FOR_TITLES) + "某" + rng.choice(TITLES),
            "kind_code": kind, "handler_id": handler, "received_on": received,
            "closed_on": closed, "status": "closed" if closed else "open",
            "suspects_count": rng.choice((1, 1, 1, 2, 3)), "major": rng.random() < 0.1,
            "detained": rng.random() < 0.5, "juvenile": rng.random() < 0.05,
            "created_at": utcnow(), "updated_at": utcnow(),
        })
    db.session.execute(insert(Case), cases)
    ids = dict(db.session.execute(select(Case.public_id, Case.id)).all())
    for c in cases:
        parts.append({"case_id": ids[c["public_id"]], "user_id": c["handler_id"],
                      "unit_id": c["unit_id"], "role": "handler"})
        if assistants.get(c["unit_id"]):
            parts.append({"case_id": ids[c["public_id"]], "unit_id": c["unit_id"],
                          "user_id": rng.choice(assistants[c["unit_id"]]), "role": "assistant"})
    db.session.execute(insert(CaseParticipant), parts)
    return len(cases)


SURNAMES_FOR_TITLES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
