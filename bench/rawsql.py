"""The raw-SQL baseline: replay, with the DB-API alone, the statements the ORM sent.

The ORM call is recorded once (``bench.timing.Recorder``); its statements (the
``set_config`` that hands the scope to RLS, then the query) are sent again with
psycopg or sqlite3 straight, one transaction per call, rolled back. What is
left out is exactly SQLAlchemy, the session and the scope hooks; what stays in
is the same SQL with the same parameters and, on PostgreSQL, the same RLS.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from bench.common import Target

Statements = Sequence[tuple[str, object]]


class Replayer:
    """One DB-API connection as one role: ``app``, ``owner`` or ``admin`` (superuser)."""

    def __init__(self, target: Target, who: str = "app"):
        self.postgres = target.postgres
        if self.postgres:
            import psycopg

            self.conn = psycopg.connect(target.libpq(who))
        else:
            self.conn = sqlite3.connect(target.name, check_same_thread=False)

    def run(self, statements: Statements) -> int:
        """Send ``statements`` in one transaction; the row count of the last."""
        cur = self.conn.cursor()
        rows: list = []
        try:
            for sql, params in statements:
                cur.execute(sql, params)
                rows = cur.fetchall() if cur.description else []
        finally:
            cur.close()
            self.conn.rollback()
        return len(rows)

    def call(self, statements: Statements) -> Callable[[], int]:
        return lambda: self.run(statements)

    def explain(self, statements: Statements) -> str:
        """EXPLAIN ANALYZE (PostgreSQL, with buffers) or EXPLAIN QUERY PLAN (SQLite) of the last."""
        cur = self.conn.cursor()
        try:
            for sql, params in statements[:-1]:
                cur.execute(sql, params)
            sql, params = statements[-1]
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if self.postgres else "EXPLAIN QUERY PLAN "
            cur.execute(prefix + sql, params)
            rows = cur.fetchall()
        finally:
            cur.close()
            self.conn.rollback()
        if self.postgres:
            return "\n".join(r[0] for r in rows)
        return "\n".join(" " * (2 * int(r[1] != 0)) + str(r[-1]) for r in rows)

    def close(self) -> None:
        self.conn.close()
