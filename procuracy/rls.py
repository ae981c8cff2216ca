"""Row-level security on PostgreSQL: the read rule of ``tenants.scope``, a second time.

The application connects as a role that neither owns the tables nor bypasses
RLS; ``tenants.scope`` sets ``procuracy.*`` per transaction (``set_config(...,
true)``); policies read them with ``current_setting(name, true)`` and compare
with ``= ANY(array)`` so the unit_id index serves. RLS holds the tenant (unit)
boundary and cross-review grants; the finer within-unit role rules (a prosecutor
sees the cases they work on) are the ORM criteria's, and Core or text() SQL is
refused under a user scope. Migrations call ``apply(op, tables)``; it is a no-op
on SQLite.
"""
from __future__ import annotations

FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION procuracy_ids(setting text) RETURNS bigint[]
       LANGUAGE sql STABLE AS $$
         SELECT coalesce(string_to_array(nullif(current_setting(setting, true), ''), ',')
                         ::bigint[], '{}'::bigint[]) $$""",
    """CREATE OR REPLACE FUNCTION procuracy_all() RETURNS boolean
       LANGUAGE sql STABLE AS $$
         SELECT coalesce(current_setting('procuracy.all', true), 'off') = 'on' $$""",
]

# Each setting is read once per statement (a scalar subquery), not parsed per row;
# the cast keeps ``= ANY(...)`` an array comparison that the unit_id index serves.
ALL = "(SELECT procuracy_all())"
UNITS = "(SELECT procuracy_ids('procuracy.units'))::bigint[]"
ANCESTORS = "(SELECT procuracy_ids('procuracy.ancestors'))::bigint[]"
CASES = "(SELECT procuracy_ids('procuracy.cases'))::bigint[]"
WRITE = "(SELECT procuracy_ids('procuracy.write_units'))::bigint[]"


def read_rule(kind: str, table: str, parent: str | None = None) -> str:
    if kind == "self":
        return (f"{ALL} OR id = ANY({UNITS}) OR id = ANY({ANCESTORS}) OR "
                f"id IN (SELECT c.unit_id FROM cases c WHERE c.id = ANY({CASES}))")
    if kind == "case":
        return f"{ALL} OR unit_id = ANY({UNITS}) OR id = ANY({CASES})"
    if kind == "via_case":
        # Row by row through the cases policy: ``case_id IN (SELECT id FROM cases)``
        # became a scan of every case (seconds at a million cases).
        return f"{ALL} OR EXISTS (SELECT 1 FROM cases c WHERE c.id = {table}.case_id)"
    if kind == "template":
        return (f"{ALL} OR unit_id = ANY({UNITS}) OR "
                f"(unit_id = ANY({ANCESTORS}) AND status = 'published')")
    if kind == "tree":
        return f"{ALL} OR unit_id = ANY({UNITS}) OR unit_id = ANY({ANCESTORS})"
    if kind == "review":
        return f"{ALL} OR unit_id = ANY({UNITS}) OR reviewed_unit_id = ANY({UNITS})"
    if kind == "order":
        return (f"{ALL} OR unit_id = ANY({UNITS}) OR reviewing_unit_id = ANY({WRITE}) "
                f"OR reviewed_unit_id = ANY({WRITE})")
    if kind == "child":
        key, parent_table = parent.split(":")
        return f"{ALL} OR EXISTS (SELECT 1 FROM {parent_table} p WHERE p.id = {table}.{key})"
    return f"{ALL} OR unit_id = ANY({UNITS})"


def write_rule(kind: str) -> str:
    column = "id" if kind == "self" else "unit_id"
    return f"{ALL} OR {column} = ANY({WRITE})"


def policy_statements(table: str, kind: str, parent: str | None = None) -> list[str]:
    read, write = read_rule(kind, table, parent), write_rule(kind)
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({read})",
        f"CREATE POLICY {table}_insert ON {table} FOR INSERT WITH CHECK ({write})",
        f"CREATE POLICY {table}_update ON {table} FOR UPDATE USING ({write}) WITH CHECK ({write})",
        f"CREATE POLICY {table}_delete ON {table} FOR DELETE USING ({write})",
    ]


def audit_statements() -> list[str]:
    """The audit trail: readable by unit, appendable by its actor, never changed."""
    return [
        "ALTER TABLE audit_entries ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE audit_entries FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY audit_entries_read ON audit_entries FOR SELECT "
        f"USING ({ALL} OR unit_id = ANY({UNITS}))",
        f"CREATE POLICY audit_entries_append ON audit_entries FOR INSERT WITH CHECK "
        f"({ALL} OR actor_id = (SELECT nullif(current_setting('procuracy.user', true), '')"
        f"::bigint))",
        """CREATE OR REPLACE FUNCTION procuracy_append_only() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$""",
        """CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
           FOR EACH ROW EXECUTE FUNCTION procuracy_append_only()""",
    ]


def sqlite_append_only(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
    ]


def postgres_append_only(table: str) -> list[str]:
    return [
        """CREATE OR REPLACE FUNCTION procuracy_append_only() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$""",
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION procuracy_append_only()""",
    ]


SQLITE_AUDIT = sqlite_append_only("audit_entries")


def apply(op, tables: dict[str, str], parents: dict[str, str] | None = None,
          audit: bool = False, append_only: tuple[str, ...] = ()) -> None:
    """From a migration: protect ``tables`` ({name: scope kind}); make the tables in
    ``append_only`` refuse UPDATE and DELETE."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_AUDIT if audit else []:
            op.execute(statement)
        for table in append_only:
            for statement in sqlite_append_only(table):
                op.execute(statement)
        return
    if bind.dialect.name != "postgresql":
        return
    for statement in FUNCTIONS:
        op.execute(statement)
    for table, kind in tables.items():
        for statement in policy_statements(table, kind, (parents or {}).get(table)):
            op.execute(statement)
    if audit:
        for statement in audit_statements():
            op.execute(statement)
    for table in append_only:
        for statement in postgres_append_only(table):
            op.execute(statement)


def grant_statements(role: str) -> list[str]:
    quoted = '"' + role.replace('"', '""') + '"'
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE UPDATE, DELETE ON audit_entries FROM {quoted}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {quoted}",
    ]


def role_settings(role: str) -> list[str]:
    """Settings for the application role (needs CREATEROLE or a superuser): JIT
    compiled plans for RLS subplans whose cost estimates are huge but which read a
    few buffers (1.1 s of compilation for a one-row lookup, measured in bench/)."""
    quoted = '"' + role.replace('"', '""') + '"'
    return [f"ALTER ROLE {quoted} SET jit = off"]
