"""Who sees what: the one place (this package).

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
from procuracy.tenants.scope.model import (  # noqa: F401
    ANONYMOUS,
    READS_KEY,
    SCOPE_KEY,
    NoScope,
    OutOfScope,
    Scope,
    UnscopedQuery,
    WriteOutOfScope,
    scope_for_user,
)
from procuracy.tenants.scope.rules import (  # noqa: F401
    loader_options,
    read_criterion,
    scoped_classes,
    scoped_tables,
)
from procuracy.tenants.scope.session import (  # noqa: F401
    acting_as,
    current_scope,
    get_or_404,
    install,
    recheck_identity_hit,
    set_scope,
    system_scope,
)
