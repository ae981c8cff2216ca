"""Inspections as the API and the pages show them: unit codes, team usernames and,
for one inspection, its findings with their ledger entries (a fixed handful of
statements whatever the number of inspections or findings)."""
from __future__ import annotations

from sqlalchemy import select

from procuracy.extensions import db
from procuracy.oversight import inspections, ledger_query
from procuracy.oversight.ledger_models import Inspection
from procuracy.tenants.models import Unit, User


def _codes(unit_ids: set[int]) -> dict[int, str]:
    if not unit_ids:
        return {}
    return dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids))).all())


def many(items: list[Inspection]) -> list[dict]:
    unit_ids = {i.unit_id for i in items} | {u for i in items for u in i.target_unit_ids or []}
    codes = _codes(unit_ids)
    people = {u for i in items for u in i.team_ids or []}
    names = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_(people))).all()) if people else {}
    return [{
        "inspection": i, "id": i.public_id, "title": i.title, "topic": i.topic,
        "unit": codes.get(i.unit_id), "units": [codes.get(u) for u in i.target_unit_ids or []],
        "with_descendants": i.with_descendants, "period_from": i.period_from,
        "period_to": i.period_to, "team": [names[u] for u in i.team_ids or [] if u in names],
        "status": i.status, "conclusion": i.conclusion, "created_at": i.created_at,
        "closed_at": i.closed_at,
    } for i in items]


def one(public_id: str, user=None) -> dict:
    inspection = inspections.get_inspection(public_id)
    out = many([inspection])[0]
    pairs = inspections.findings_of(inspection)
    rows = {r["id"]: r for r in ledger_query.rows_for([e.id for _, e in pairs], user)}
    codes = _codes({f.target_unit_id for f, _ in pairs})
    out["findings"] = [{"seq": f.seq, "unit": codes.get(f.target_unit_id),
                        "entry": rows.get(e.public_id)} for f, e in pairs]
    out["may_record"] = bool(user) and inspections.may_record(user, inspection)
    out["may_close"] = bool(user) and inspections.may_close(user, inspection)
    return out
