"""A throw-away PostgreSQL database with the demo province, and the app serving it.

The database is made as the tests make theirs (``tests/pg.py``): owned by
``procuracy_owner``, which runs the migrations; the app connects as ``procuracy_app``,
which owns nothing and stays under row-level security. The demo province is seeded
with ``flask seed-demo``; the app runs under gunicorn on loopback.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "out" / "load"
PASSWORD = "Load-pass-2026!"


def admin_url() -> str:
    """``LOAD_ADMIN_URL``, else what ``scripts/pg_admin_url.sh`` finds ("" if nothing)."""
    given = os.environ.get("LOAD_ADMIN_URL")
    if given:
        return given
    found = subprocess.run(["bash", str(ROOT / "scripts" / "pg_admin_url.sh")],
                           capture_output=True, text=True, check=False)
    return found.stdout.strip()


@dataclass
class Database:
    admin: str
    name: str
    owner_url: str
    app_url: str

    def libpq(self, which: str = "admin") -> str:
        """A plain postgresql:// URL of this database for psycopg."""
        from sqlalchemy.engine import make_url

        url = make_url(self.admin).set(drivername="postgresql", database=self.name) \
            if which == "admin" else make_url(getattr(self, f"{which}_url"))
        return url.set(drivername="postgresql").render_as_string(hide_password=False)


def flask(args: list[str], database_url: str) -> str:
    env = dict(os.environ, DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
    env.pop("REDIS_URL", None)
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args[:1])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def create_database(admin: str, cases: int) -> Database:
    """A fresh database: migrated as the owner, granted to the app role, seeded."""
    sys.path.insert(0, str(ROOT))
    from tests import pg

    name, owner_url, app_url = pg.create(admin)
    db = Database(admin, name, owner_url, app_url)
    try:
        flask(["db", "upgrade"], owner_url)
        flask(["grant-app-role", pg.APP], owner_url)
        flask(["seed-demo", "--password", PASSWORD, "--cases", str(cases)], app_url)
    except BaseException:
        drop_database(db)
        raise
    return db


def existing_database(admin: str, name: str) -> Database:
    """A database made earlier (``--keep``), with the same roles."""
    from sqlalchemy.engine import make_url

    from tests import pg

    base = make_url(admin).set(drivername="postgresql+psycopg", database=name, password=None)
    return Database(admin, name,
                    base.set(username=pg.OWNER).render_as_string(hide_password=False),
                    base.set(username=pg.APP).render_as_string(hide_password=False))


def drop_database(db: Database) -> None:
    from tests import pg

    pg.drop(db.admin, db.name)


@dataclass
class Server:
    """gunicorn serving ``bench.load.wsgi:create()`` on 127.0.0.1:``port``."""

    database_url: str
    port: int
    workers: int
    redis_url: str | None = None
    store: Path = OUT / "documents"
    log: Path = OUT / "gunicorn.log"
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 240) -> None:
        self.store.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, DATABASE_URL=self.database_url, PYTHONPATH=str(ROOT),
                   SECRET_KEY=secrets.token_hex(32), LOAD_DOCUMENT_STORE=str(self.store))
        env.pop("REDIS_URL", None)
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url  # the sign-in limiter's shared storage
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(self.workers), "--bind",
             f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "10",
             "bench.load.wsgi:create()"],
            cwd=ROOT, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            if healthy(self.url):
                return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
