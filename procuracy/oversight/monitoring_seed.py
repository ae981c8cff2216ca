"""The demo monitoring rules each province publishes for its tree.

The numbers are the law's: the catalogue's warning windows (five days before the
one-month prosecution review runs out, two before the seven-day arrest review of a
detained suspect), and what units may change: warn earlier (never later), give less
grace for a missing document (never more), flag long-unclosed cases sooner, never
switch off the overdue check.
"""
from __future__ import annotations

from sqlalchemy import select

from procuracy.extensions import db
from procuracy.oversight.monitoring_models import MonitoringRule
from procuracy.tenants.models import Unit

REVIEWS = ["arrest_review", "prosecution_review"]
DEMO_RULES = [
    {"code": "due_soon.arrest_review", "kind": "due_soon", "name": "审查逮捕期限临近届满预警",
     "params": {"kinds": ["arrest_review"], "days": 2}, "severity": "normal",
     "step": "reminder", "limits": {"days": {"min": 2, "max": 5}}},
    {"code": "due_soon.prosecution_review", "kind": "due_soon", "name": "审查起诉期限临近届满预警",
     "params": {"kinds": ["prosecution_review"], "days": 5}, "severity": "normal",
     "step": "reminder", "limits": {"days": {"min": 5, "max": 15}}},
    {"code": "due_soon.other", "kind": "due_soon", "name": "其他办案期限临近届满预警",
     "params": {"exclude": REVIEWS, "days": 3}, "severity": "minor", "step": "reminder",
     "limits": {"days": {"min": 3, "max": 15}}},
    {"code": "overdue", "kind": "overdue", "name": "超期办案", "params": {},
     "severity": "major", "step": "notice", "limits": {"may_disable": False}},
    {"code": "missing_document", "kind": "missing_document", "name": "节点必备文书缺失",
     "params": {"grace_days": 3}, "severity": "normal", "step": "reminder",
     "limits": {"grace_days": {"min": 0, "max": 3}}},
    {"code": "missing_field", "kind": "missing_field", "name": "案卡必填项目未填录",
     "params": {"grace_days": 1}, "severity": "minor", "step": "reminder",
     "limits": {"grace_days": {"min": 0, "max": 1}}},
    {"code": "long_unclosed", "kind": "long_unclosed", "name": "长期未办结案件",
     "params": {"days": 180}, "severity": "normal", "step": "notice",
     "limits": {"days": {"min": 30, "max": 180}}},
    {"code": "designated", "kind": "designated", "name": "指定分案核查", "params": {},
     "severity": "minor", "step": "reminder", "limits": {"may_disable": True}},
    {"code": "leader_case", "kind": "leader_case", "name": "院领导办案不属于重大疑难复杂案件",
     "params": {}, "severity": "normal", "step": "reminder", "limits": {"may_disable": True}},
]


def seed_monitoring() -> int:
    """Publish the demo rules as every province's (top-level unit's). Idempotent: codes
    a province has already are left alone. Returns the rules added. Run it under
    ``system_scope`` (the demo seed does); flushes, the caller commits."""
    provinces = db.session.scalars(select(Unit).where(Unit.parent_id.is_(None))).all()
    added = 0
    for province in provinces:
        have = set(db.session.scalars(select(MonitoringRule.code).where(
            MonitoringRule.unit_id == province.id)))
        for rule in DEMO_RULES:
            if rule["code"] in have:
                continue
            db.session.add(MonitoringRule(unit_id=province.id, enabled=True,
                                          status="published", **rule))
            added += 1
    db.session.flush()
    return added
