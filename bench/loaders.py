"""Writing generated cases fast: PostgreSQL COPY, or Core ``insert()`` executemany.

``CopyLoader`` streams each batch with psycopg's ``cursor.copy()`` as the
superuser: COPY FROM is refused on a table under forced row-level security for
every other role. It may defer the secondary indexes (recreated in one pass at
the end, from their own ``pg_get_indexdef``) and skip the foreign-key triggers
(``session_replication_role = replica``): the generator only writes ids it has
read from the database. ``InsertLoader`` is the portable path (SQLite, or a
PostgreSQL account that is not a superuser): Core executemany through the app's
session under ``system_scope("bench data")``.

The generator makes the columns it knows (``bench.casegen``); ``Shape`` fits them
to the columns the migrated table really has, filling any other column with the
model's default (the case model grows while the bench stays the same).
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

import sqlalchemy as sa

from bench.casegen import Batch

TABLES = ("cases", "case_participants")


@dataclass(frozen=True)
class Shape:
    """The columns written to one table and how to make a row of them from a generated one."""

    table: str
    columns: tuple[str, ...]
    row: Callable[[tuple], tuple]


def _model_default(table: str, name: str, nullable: bool):
    from procuracy.extensions import db

    model = db.metadata.tables.get(table)
    column = model.c.get(name) if model is not None else None
    default = column.default if column is not None else None
    if default is None:
        if nullable:
            return None
        raise SystemExit(f"{table}.{name} is NOT NULL without a default: "
                         "add it to bench/casegen.py")
    return default.arg if default.is_scalar else default.arg(None)


def shape(engine: sa.Engine, table: str, generated: tuple[str, ...], for_copy: bool) -> Shape:
    """Fit ``generated`` columns to ``table`` as migrated; JSON defaults as text for COPY."""
    names, picks, consts = [], [], []
    for col in sa.inspect(engine).get_columns(table):
        name = col["name"]
        if name in generated:
            picks.append(generated.index(name))
        elif col.get("default") is not None:
            continue  # the database fills it
        else:
            value = _model_default(table, name, col["nullable"])
            if for_copy and isinstance(value, list | dict):
                value = json.dumps(value)
            picks.append(len(generated) + len(consts))
            consts.append(value)
        names.append(name)
    if picks == list(range(len(generated))):
        return Shape(table, tuple(names), lambda row: row)
    get, extra = itemgetter(*picks), tuple(consts)
    return Shape(table, tuple(names), lambda row: get(row + extra))


class CopyLoader:
    """PostgreSQL: COPY per batch, one commit per batch."""

    def __init__(self, dsn: str, shapes: tuple[Shape, Shape], fk_checks: bool = False,
                 defer_indexes: bool = True):
        import psycopg

        self.shapes = shapes
        self.conn = psycopg.connect(dsn)
        self.fk_checks = fk_checks
        self.defer_indexes = defer_indexes
        self.deferred: list[tuple[str, str]] = []
        self.timings: dict[str, float] = {}
        if not fk_checks:
            self.conn.execute("SET session_replication_role = replica")
        if defer_indexes:
            self.deferred = self._drop_secondary_indexes()
        self.conn.commit()

    def _drop_secondary_indexes(self) -> list[tuple[str, str]]:
        rows = self.conn.execute("""
            SELECT i.relname, pg_get_indexdef(i.oid)
              FROM pg_index x
              JOIN pg_class i ON i.oid = x.indexrelid
              JOIN pg_class t ON t.oid = x.indrelid
             WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                WHERE c.conindid = x.indexrelid AND c.conrelid = t.oid)
             ORDER BY i.relname""", [list(TABLES)]).fetchall()
        for name, _ in rows:
            self.conn.execute(f'DROP INDEX "{name}"')
        return rows

    def load(self, batch: Batch) -> None:
        with self.conn.cursor() as cur:
            for sh, rows in zip(self.shapes, (batch.cases, batch.participants), strict=True):
                with cur.copy(f"COPY {sh.table} ({', '.join(sh.columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(sh.row(row))
        self.conn.commit()

    def finish(self) -> dict[str, float]:
        """Indexes back, the id sequence past the last id, VACUUM ANALYZE."""
        t0 = time.perf_counter()
        self.conn.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in self.deferred:
            t = time.perf_counter()
            self.conn.execute(definition)
            self.conn.commit()
            print(f"  index {name}: {time.perf_counter() - t:.1f}s", flush=True)
        self.timings["indexes_s"] = time.perf_counter() - t0
        self.conn.execute("SET session_replication_role = DEFAULT")
        self.conn.execute("SELECT setval(pg_get_serial_sequence('cases', 'id'),"
                          " (SELECT coalesce(max(id), 1) FROM cases))")
        self.conn.commit()
        self.timings["analyze_s"] = vacuum_analyze(self.conn)
        self.conn.close()
        return self.timings


def vacuum_analyze(conn) -> float:
    """VACUUM ANALYZE the loaded tables (sets the visibility map too), ANALYZE the rest."""
    t0 = time.perf_counter()
    conn.autocommit = True
    for table in TABLES:
        conn.execute(f"VACUUM (ANALYZE) {table}")
    conn.execute("ANALYZE")
    conn.autocommit = False
    return time.perf_counter() - t0


class InsertLoader:
    """Any database: Core ``insert()`` executemany through the app session, batch by batch."""

    def __init__(self, shapes: tuple[Shape, Shape], admin_dsn: str | None = None):
        from procuracy.extensions import db

        self.shapes = shapes
        self.admin_dsn = admin_dsn  # PostgreSQL: who fixes the sequence and analyzes
        self.tables = []
        for sh in shapes:  # typed like the model, so values are stored as the app stores them
            model = db.metadata.tables[sh.table]
            self.tables.append(sa.Table(sh.table, sa.MetaData(), *[
                sa.Column(n, model.c[n].type if n in model.c else sa.NullType())
                for n in sh.columns]))

    def load(self, batch: Batch) -> None:
        from procuracy.extensions import db
        from procuracy.tenants.scope import system_scope

        with system_scope("bench data"):
            for sh, table, rows in zip(self.shapes, self.tables,
                                       (batch.cases, batch.participants), strict=True):
                db.session.execute(sa.insert(table), [
                    dict(zip(sh.columns, sh.row(r), strict=True)) for r in rows])
            db.session.commit()

    def finish(self) -> dict[str, float]:
        from procuracy.extensions import db

        if self.admin_dsn is None:  # SQLite
            t0 = time.perf_counter()
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            return {"indexes_s": 0.0, "analyze_s": time.perf_counter() - t0}
        import psycopg

        with psycopg.connect(self.admin_dsn) as conn:
            conn.execute("SELECT setval(pg_get_serial_sequence('cases', 'id'),"
                         " (SELECT coalesce(max(id), 1) FROM cases))")
            conn.commit()
            return {"indexes_s": 0.0, "analyze_s": vacuum_analyze(conn)}
