"""The audit trail (全程留痕): every write and every cross-unit read, append-only,
hash-chained per unit.

Writes are caught at flush time for every model marked ``__audited__``; reads of
another unit's rows are gathered by ``tenants.scope`` while a request runs and
written here when it ends (``flush_reads``). Each unit's chain has a head row
(``audit_heads``) that serialises appends: the UPDATE that bumps its sequence
takes the row lock on PostgreSQL and the write lock on SQLite.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Index, String, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, mapped_column

from procuracy.extensions import db
from procuracy.orm import Session, utcnow
from procuracy.ownership import UnitOwned
from procuracy.tenants.scope import READS_KEY, current_scope

GENESIS = "0" * 64


class AuditEntry(UnitOwned, db.Model):
    __tablename__ = "audit_entries"
    __audited__ = False
    __record_reads__ = False
    __table_args__ = (
        UniqueConstraint("unit_id", "seq"),
        Index("ix_audit_entries_unit_action_at", "unit_id", "action", "at"),
        # No INSERT ... RETURNING: under RLS that needs the read policy too, and a
        # cross-reviewer appends reads to a chain it may not read.
        {"implicit_returning": False},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    actor_unit_code: Mapped[str] = mapped_column(String(8), default="")
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(64), default="")
    right: Mapped[str] = mapped_column(String(32), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    __tablename__ = "audit_heads"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


@dataclass
class Pending:
    unit_id: int
    action: str
    object_type: str
    object_id: str
    right: str = ""
    detail: dict | None = None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _at_text(value)
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _at_text(at: datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def entry_hash(unit_id, seq, at, actor_id, actor_name, action, object_type, object_id,
               right, detail, prev_hash) -> str:
    payload = [unit_id, seq, _at_text(at), actor_id, actor_name, action, object_type,
               object_id, right, detail or {}, prev_hash]
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def append(connection: sa.Connection, pending: list[Pending], actor: dict) -> None:
    """Append entries to their units' chains on ``connection``'s transaction."""
    by_unit: dict[int, list[Pending]] = defaultdict(list)
    for p in pending:
        by_unit[p.unit_id].append(p)
    heads = AuditHead.__table__
    entries = AuditEntry.__table__
    at = utcnow()
    for unit_id in sorted(by_unit):  # a fixed order avoids deadlocks between chains
        items = by_unit[unit_id]
        bump = (
            sa.update(heads)
            .where(heads.c.unit_id == unit_id)
            .values(seq=heads.c.seq + len(items))
            .returning(heads.c.seq, heads.c.hash)
        )
        row = connection.execute(bump).first()
        if row is None:
            connection.execute(sa.insert(heads).values(unit_id=unit_id, seq=0, hash=GENESIS))
            row = connection.execute(bump).first()
        seq, prev = row.seq - len(items), row.hash
        rows = []
        for p in items:
            seq += 1
            detail = _plain(p.detail or {})
            digest = entry_hash(unit_id, seq, at, actor["id"], actor["name"], p.action,
                                p.object_type, p.object_id, p.right, detail, prev)
            rows.append(dict(unit_id=unit_id, seq=seq, at=at, actor_id=actor["id"],
                             actor_name=actor["name"], actor_unit_code=actor["unit_code"],
                             action=p.action, object_type=p.object_type,
                             object_id=p.object_id, right=p.right, detail=detail,
                             prev_hash=prev, hash=digest))
            prev = digest
        connection.execute(sa.insert(entries), rows)
        connection.execute(sa.update(heads).where(heads.c.unit_id == unit_id).values(hash=prev))


def _actor(session: Session) -> dict:
    scope = current_scope(session)
    info = session.info.get("procuracy.actor") or {}
    if scope is None or scope.kind != "user":
        return {"id": None, "name": info.get("name") or (scope.reason if scope else "system"),
                "unit_code": ""}
    return {"id": scope.user_id, "name": info.get("name", ""),
            "unit_code": info.get("unit_code", "")}


def set_actor(session: Session, user) -> None:
    """Names written beside the actor's id, so a unit can read who read it."""
    session.info["procuracy.actor"] = {
        "name": f"{user.full_name} ({user.username})",
        "unit_code": user.unit.code if user.unit else "",
    }


# ---------------------------------------------------------------- writes
def _changes(obj, exclude: frozenset[str]) -> dict:
    state = sa.inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        if attr.key in exclude:
            continue
        hist = state.attrs[attr.key].history
        if hist.added:
            out[attr.key] = hist.added[0]
    return out


def _pk(obj) -> str:
    ident = sa.inspect(obj).identity or sa.inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join(str(v) for v in ident)


@event.listens_for(Session, "after_flush")
def _audit_writes(session: Session, flush_context) -> None:
    pending: list[Pending] = []
    for action, objs in (("create", session.new), ("update", session.dirty),
                         ("delete", session.deleted)):
        for obj in objs:
            cls = type(obj)
            if not getattr(cls, "__audited__", False):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            detail = {} if action == "delete" else _changes(obj, cls.__audit_exclude__)
            if action == "update" and not detail:
                continue
            pending.append(Pending(obj.unit_id, action, cls.__name__, _pk(obj), "", detail))
    if pending:
        append(session.connection(), pending, _actor(session))


# ---------------------------------------------------------------- reads
def flush_reads(session: Session, where: str = "") -> int:
    """Write the cross-unit reads gathered during a request; returns entries written."""
    reads = session.info.pop(READS_KEY, None)
    if not reads:
        return 0
    grouped: dict[tuple, list] = defaultdict(list)
    for unit_id, object_type, object_id, right in reads:
        grouped[(unit_id, object_type, right)].append(object_id)
    pending = []
    for (unit_id, object_type, right), ids in grouped.items():
        unique = list(dict.fromkeys(ids))
        pending.append(Pending(unit_id, "read", object_type,
                               str(unique[0]) if len(unique) == 1 else "",
                               right, {"ids": unique[:200], "count": len(unique), "where": where}))
    append(session.connection(), pending, _actor(session))
    session.commit()
    return len(pending)


# ---------------------------------------------------------------- verification
@dataclass
class Break:
    unit_id: int
    seq: int
    entry_id: int | None
    reason: str


def verify_chain(session: Session, unit_id: int) -> Break | None:
    """Recompute one unit's chain; the first broken entry, or None if intact."""
    prev, expected_seq = GENESIS, 1
    rows = session.execute(
        select(AuditEntry.__table__).where(AuditEntry.__table__.c.unit_id == unit_id)
        .order_by(AuditEntry.__table__.c.seq)
    )
    for row in rows:
        if row.seq != expected_seq:
            return Break(unit_id, expected_seq, row.id, f"entry {expected_seq} is missing")
        if row.prev_hash != prev:
            return Break(unit_id, row.seq, row.id, "prev_hash does not match the entry before")
        digest = entry_hash(row.unit_id, row.seq, row.at, row.actor_id, row.actor_name,
                            row.action, row.object_type, row.object_id, row.right,
                            row.detail, row.prev_hash)
        if digest != row.hash:
            return Break(unit_id, row.seq, row.id, "content does not match its hash")
        prev, expected_seq = row.hash, expected_seq + 1
    head = session.get(AuditHead, unit_id)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return Break(unit_id, expected_seq, None, "entries after the last one were removed")
    return None
