"""Who sees what: the one place.

A ``Scope`` says, for the principal of the current session, which units' data
it may read and which it may write. ``install(session)`` hooks it into every
ORM statement (``with_loader_criteria`` on every unit-owned model), re-checks
identity-map hits of ``session.get``, refuses Core and ``text()`` reads of
unit-owned tables under a user scope, checks every flush against the write
scope, and on PostgreSQL hands the same read rule to row-level security per
transaction. A unit-owned query with no scope at all raises ``NoScope``.

The rules:
- reference data a unit publishes (templates, catalogue, calendar) reaches its tree;
- records of interference are read by their recorder, the unit's chief and the
  higher units' inspectors;
- inside a unit, prosecutors (and assistants, clerks) read the cases they work
  on; department heads their department's; chief, deputies, case managers and
  inspectors the whole unit;
- chiefs, deputies, case managers and inspectors read all descendants, read-only;
- a cross-review order lets the named reviewers read the named cases while it runs;
- everybody writes only in their own unit; nobody reads up or sideways.
Code that must see everything says so with ``system_scope("why")``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy import event, or_, select
from sqlalchemy.orm import ORMExecuteState, aliased, scoped_session, with_loader_criteria
from sqlalchemy.sql import util as sql_util

from procuracy.orm import Base, Session, utcnow
from procuracy.tenants.roles import SUPERVISORS, WHOLE_UNIT_READERS, Role

SCOPE_KEY = "procuracy.scope"
READS_KEY = "procuracy.reads"


class NoScope(RuntimeError):
    """A unit-owned table was touched with no scope set: fail closed."""


class UnscopedQuery(RuntimeError):
    """Core or text() SQL over unit-owned tables under a user scope."""


class OutOfScope(LookupError):
    """The object is not visible to the principal: answer 404."""


class WriteOutOfScope(PermissionError):
    """A flush would write a row outside the principal's own unit."""


@dataclass(frozen=True)
class Scope:
    kind: str  # "user", "system" or "anonymous"
    reason: str = ""
    user_id: int | None = None
    unit_id: int | None = None
    unit_readers: frozenset[int] = frozenset()  # unit-level data (users, lists, units)
    whole_case_units: frozenset[int] = frozenset()  # every case of these units
    department: tuple[int, int] | None = None  # (unit, department) for a department head
    granted_cases: frozenset[int] = frozenset()  # cross-review orders in force
    supervised: frozenset[int] = frozenset()  # descendants read by supervision
    ancestors: frozenset[int] = frozenset()  # whose published templates reach us
    roles: frozenset[str] = frozenset()
    write_units: frozenset[int] = frozenset()
    _options: list = field(default_factory=list, compare=False, repr=False)

    @property
    def everything(self) -> bool:
        return self.kind == "system"

    def right_for(self, unit_id: int, obj: object | None = None) -> str:
        """Under which right a row of ``unit_id`` is read."""
        if unit_id == self.unit_id:
            return "own_unit"
        if unit_id in self.supervised:
            return "supervision"
        if unit_id in self.ancestors:
            return "template"
        return "cross_review"

    def can_read_unit(self, unit_id: int) -> bool:
        return self.everything or unit_id in self.unit_readers

    def can_write_unit(self, unit_id: int) -> bool:
        return self.everything or unit_id in self.write_units


ANONYMOUS = Scope(kind="anonymous", reason="not signed in")


# ---------------------------------------------------------------- building
def scope_for_user(session: Session, user, now: datetime | None = None) -> Scope:
    """The scope of a signed-in user (reads the tree and orders as the system)."""
    from procuracy.tenants.crossreview import CrossReviewCase, CrossReviewer, CrossReviewOrder
    from procuracy.tenants.models import UnitClosure

    now = now or utcnow()
    roles = user.role_names
    own = user.unit_id
    with system_scope("computing a user's scope", session):
        supervised: frozenset[int] = frozenset()
        if roles & SUPERVISORS:
            supervised = frozenset(
                session.scalars(
                    select(UnitClosure.descendant_id).where(
                        UnitClosure.ancestor_id == own, UnitClosure.distance > 0
                    )
                )
            )
        ancestors = frozenset(
            session.scalars(
                select(UnitClosure.ancestor_id).where(
                    UnitClosure.descendant_id == own, UnitClosure.distance > 0
                )
            )
        )
        granted = frozenset(
            session.scalars(
                select(CrossReviewCase.case_id)
                .join(CrossReviewOrder, CrossReviewOrder.id == CrossReviewCase.order_id)
                .join(CrossReviewer, CrossReviewer.order_id == CrossReviewOrder.id)
                .where(
                    CrossReviewer.user_id == user.id,
                    CrossReviewOrder.reviewing_unit_id == own,
                    CrossReviewOrder.starts_at <= now,
                    CrossReviewOrder.ends_at > now,
                )
            )
        )
    whole = supervised | ({own} if roles & WHOLE_UNIT_READERS else frozenset())
    department = None
    if Role.DEPARTMENT_HEAD in roles and user.department_id:
        department = (own, user.department_id)
    return Scope(
        kind="user",
        reason=f"user {user.id}",
        user_id=user.id,
        unit_id=own,
        unit_readers=frozenset({own}) | supervised,
        whole_case_units=frozenset(whole),
        department=department,
        granted_cases=granted,
        supervised=supervised,
        ancestors=ancestors,
        roles=frozenset(roles),
        write_units=frozenset({own}),
    )


# ---------------------------------------------------------------- the rules as SQL
@cache
def scoped_classes() -> tuple[type, ...]:
    classes = [m.class_ for m in Base.registry.mappers if getattr(m.class_, "__scope__", None)]
    return tuple(sorted(classes, key=lambda c: c.__name__))


@cache
def scoped_tables() -> frozenset[str]:
    return frozenset(c.__table__.name for c in scoped_classes())


def _case_criterion(scope: Scope, cases) -> sa.ColumnElement[bool]:
    """``cases`` is the Case class (adapted to aliases by SQLAlchemy) or a Core alias's ``.c``."""
    from procuracy.cases.models import CaseParticipant

    participants = CaseParticipant.__table__.alias("scope_cp")
    clauses: list[sa.ColumnElement[bool]] = []
    if scope.whole_case_units:
        clauses.append(cases.unit_id.in_(sorted(scope.whole_case_units)))
    if scope.department:
        unit, dept = scope.department
        clauses.append(sa.and_(cases.unit_id == unit, cases.department_id == dept))
    if scope.user_id is not None:
        clauses.append(
            cases.id.in_(
                select(participants.c.case_id).where(participants.c.user_id == scope.user_id)
            )
        )
    if scope.granted_cases:
        clauses.append(cases.id.in_(sorted(scope.granted_cases)))
    return or_(*clauses) if clauses else sa.false()


def read_criterion(cls: type, scope: Scope) -> sa.ColumnElement[bool]:
    """The WHERE clause that limits ``cls`` to what ``scope`` may read."""
    kind = sa.inspect(cls).class_.__scope__
    readers = sorted(scope.unit_readers)
    if kind == "self":
        # A unit's own row: its name and code, not its data. Ancestors' rows are
        # visible for breadcrumbs; reading a unit's data needs ``can_read_unit``.
        names = sorted(scope.unit_readers | scope.ancestors)
        return cls.id.in_(names) if names else sa.false()
    if kind == "case":
        return _case_criterion(scope, cls)
    if kind == "template":
        # Published rule sets of the units above reach their whole tree.
        own = cls.unit_id.in_(readers) if readers else sa.false()
        if not scope.ancestors:
            return own
        published = sa.and_(cls.unit_id.in_(sorted(scope.ancestors)), cls.status == "published")
        return or_(own, published)
    if kind == "tree":
        # Reference data a unit publishes for its whole tree (catalogue, calendar).
        units = sorted(scope.unit_readers | scope.ancestors)
        return cls.unit_id.in_(units) if units else sa.false()
    if kind == "interference":
        # Records of interference: the recorder, the unit's chief, higher inspectors.
        clauses = [cls.recorded_by_id == scope.user_id] if scope.user_id else []
        if Role.CHIEF in scope.roles and scope.unit_id is not None:
            clauses.append(cls.unit_id == scope.unit_id)
        if Role.INSPECTOR in scope.roles and scope.supervised:
            clauses.append(cls.unit_id.in_(sorted(scope.supervised)))
        return or_(*clauses) if clauses else sa.false()
    if kind == "order":
        # A cross-review order is read by its issuer's readers and by the two units it names.
        own = cls.unit_id.in_(readers) if readers else sa.false()
        if scope.unit_id is None:
            return own
        return or_(own, cls.reviewing_unit_id == scope.unit_id,
                   cls.reviewed_unit_id == scope.unit_id)
    if kind == "child":
        # Rows that belong to a parent row (items of a list, cases of an order).
        parent = aliased(cls.__scope_parent__())
        key = getattr(cls, cls.__scope_parent_key__)
        return key.in_(select(parent.id).where(read_criterion(parent, scope)))
    if kind == "via_case":
        from procuracy.cases.models import Case

        cases = Case.__table__.alias("scope_case")
        return cls.case_id.in_(select(cases.c.id).where(_case_criterion(scope, cases.c)))
    return cls.unit_id.in_(readers) if readers else sa.false()


def loader_options(scope: Scope) -> list:
    if not scope._options:
        scope._options.extend(
            with_loader_criteria(cls, read_criterion(cls, scope), include_aliases=True)
            for cls in scoped_classes()
        )
    return scope._options


# ---------------------------------------------------------------- session plumbing
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
    state.statement = statement.options(*loader_options(scope))


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
        if obj.unit_id not in scope.write_units:
            raise WriteOutOfScope(f"{obj!r} belongs to unit {obj.unit_id}")


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
