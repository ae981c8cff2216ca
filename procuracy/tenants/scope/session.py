"""Session plumbing: where the scope lives, the hooks that apply it to every
statement and flush, PostgreSQL's per-transaction settings, and cross-unit reads."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, scoped_session
from sqlalchemy.sql import util as sql_util

from procuracy.orm import Session
from procuracy.tenants.scope.model import (
    READS_KEY,
    SCOPE_KEY,
    NoScope,
    OutOfScope,
    Scope,
    UnscopedQuery,
    WriteOutOfScope,
)
from procuracy.tenants.scope.rules import (
    classes_by_table,
    loader_options,
    reachable,
    read_criterion,
    scoped_classes,
    scoped_tables,
)


def _real(session) -> Session:
    return session() if isinstance(session, scoped_session) else session


def current_scope(session: Session) -> Scope | None:
    return _real(session).info.get(SCOPE_KEY)


def set_scope(session: Session, scope: Scope | None) -> None:
    session = _real(session)
    session.info[SCOPE_KEY] = scope
    if session.in_transaction():
        try:
            _push_to_database(session.connection(), scope)
        except sa.exc.DBAPIError as exc:
            # An aborted transaction reads nothing more; the next one gets the
            # scope from ``after_begin``.
            if getattr(exc.orig, "sqlstate", None) != "25P02":
                raise


@contextmanager
def system_scope(reason: str, session: Session | None = None) -> Iterator[Scope]:
    """See everything, for code that must (jobs over all units, sign-in). Say why."""
    if session is None:
        from procuracy.extensions import db

        session = db.session()
    previous = current_scope(session)
    scope = Scope(kind="system", reason=reason)
    set_scope(session, scope)
    try:
        yield scope
    finally:
        set_scope(session, previous)


@contextmanager
def acting_as(session: Session, scope: Scope) -> Iterator[Scope]:
    previous = current_scope(session)
    set_scope(session, scope)
    try:
        yield scope
    finally:
        set_scope(session, previous)


def _classes_touched(state: ORMExecuteState) -> set[type]:
    """Unit-owned classes the statement names anywhere (joins and subqueries too),
    and those reachable from them through relationships."""
    by_table = classes_by_table()
    found: set[type] = set()
    for mapper in state.all_mappers:
        if getattr(mapper.class_, "__scope__", None):
            found |= reachable(mapper.class_)
    for table in sql_util.find_tables(state.statement, include_joins=True,
                                      include_aliases=True, include_crud=True):
        cls = by_table.get(getattr(table, "name", None))
        if cls is not None:
            found |= reachable(cls)
    return found


def _touches_scoped(state: ORMExecuteState) -> bool:
    return any(getattr(m.class_, "__scope__", None) for m in state.all_mappers)


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _core_tables(statement) -> set[str]:
    if isinstance(statement, sa.TextClause):
        return set(_WORD.findall(statement.text)) & scoped_tables()
    return {t.name for t in sql_util.find_tables(statement, include_crud=True)} & scoped_tables()


@event.listens_for(Session, "do_orm_execute")
def _apply_read_scope(state: ORMExecuteState) -> None:
    scope = current_scope(state.session)
    statement = state.statement
    orm = bool(state.all_mappers)
    if orm and not _touches_scoped(state):
        return
    if not orm:
        tables = _core_tables(statement)
        if not tables:
            return
        if scope is None:
            raise NoScope(f"no scope set for SQL over {sorted(tables)}")
        if not scope.everything:
            raise UnscopedQuery(
                f"Core/text SQL over unit-owned tables {sorted(tables)} under a user scope; "
                "use the ORM (filtered by scope) or system_scope()"
            )
        return
    if scope is None:
        raise NoScope("unit-owned data queried with no scope set")
    if scope.everything:
        return
    if state.is_column_load:
        # Refreshing expired attributes: SQLAlchemy skips loader criteria here.
        mapper = state.bind_mapper
        if mapper is not None and getattr(mapper.class_, "__scope__", None):
            state.statement = statement.where(read_criterion(mapper.class_, scope))
        return
    state.statement = statement.options(*loader_options(scope, _classes_touched(state)))


@event.listens_for(Session, "before_flush")
def _check_write_scope(session: Session, flush_context, instances) -> None:
    scope = current_scope(session)
    for obj in [*session.new, *session.deleted, *session.dirty]:
        if not getattr(type(obj), "__scope__", None):
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if scope is None:
            raise NoScope(f"write of {obj!r} with no scope set")
        if scope.everything:
            continue
        units = {obj.unit_id}
        if "unit_id" in sa.inspect(type(obj)).columns:
            units.update(sa.inspect(obj).attrs.unit_id.history.deleted or ())
        outside = units - scope.write_units
        if outside:
            raise WriteOutOfScope(f"{obj!r} belongs to unit {sorted(outside)[0]}")


@event.listens_for(Session, "after_begin")
def _begin_transaction(session: Session, transaction, connection) -> None:
    _push_to_database(connection, current_scope(session))


def _push_to_database(connection: sa.Connection, scope: Scope | None) -> None:
    """Hand the read rule to PostgreSQL row-level security for this transaction."""
    if connection.dialect.name != "postgresql":
        return
    if scope is None:
        values = {"all": "off", "units": "", "anc": "", "cases": "", "write": "", "user": ""}
    else:
        values = {
            "all": "on" if scope.everything else "off",
            "units": ",".join(map(str, sorted(scope.unit_readers))),
            "anc": ",".join(map(str, sorted(scope.ancestors))),
            "cases": ",".join(map(str, sorted(scope.granted_cases))),
            "write": ",".join(map(str, sorted(scope.write_units))),
            "user": str(scope.user_id or ""),
        }
    connection.execute(
        sa.text(
            "SELECT set_config('procuracy.all', :all, true),"
            " set_config('procuracy.units', :units, true),"
            " set_config('procuracy.ancestors', :anc, true),"
            " set_config('procuracy.cases', :cases, true),"
            " set_config('procuracy.write_units', :write, true),"
            " set_config('procuracy.user', :user, true)"
        ),
        values,
    )


def recheck_identity_hit(session: Session, obj: object) -> bool:
    """``session.get`` found ``obj`` without SQL: ask the database under the scope."""
    cls = type(obj)
    if not getattr(cls, "__scope__", None):
        return True
    scope = current_scope(session)
    if scope is None:
        raise NoScope(f"{cls.__name__} read with no scope set")
    if scope.everything:
        return True
    mapper = sa.inspect(cls)
    ident = sa.inspect(obj).identity
    attrs = [mapper.get_property_by_column(col).class_attribute for col in mapper.primary_key]
    where = [attr == val for attr, val in zip(attrs, ident, strict=True)]
    found = session.execute(select(*attrs).where(*where)).first()
    return found is not None


# ---------------------------------------------------------------- reads across units
def _record_load(target, context) -> None:
    session = context.session
    scope = current_scope(session)
    if scope is None or scope.kind != "user" or not type(target).__record_reads__:
        return
    unit_id = target.unit_id
    if unit_id == scope.unit_id or unit_id in scope.ancestors:
        return  # own data, or a template published down to us
    ident = sa.inspect(target).identity
    session.info.setdefault(READS_KEY, []).append(
        (unit_id, type(target).__name__, ident[0] if ident else None, scope.right_for(unit_id))
    )


def install() -> None:
    """Register the load hook on every unit-owned model (idempotent)."""
    for cls in scoped_classes():
        if not event.contains(cls, "load", _record_load):
            event.listen(cls, "load", _record_load)


def get_or_404(session: Session, cls: type, **by):
    """The one way views fetch a unit-owned object by key: out of scope is 404."""
    obj = session.scalars(select(cls).filter_by(**by)).first()
    if obj is None:
        raise OutOfScope(f"{cls.__name__} {by}")
    return obj
