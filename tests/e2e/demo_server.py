"""The demo served on localhost for the browser journeys, built as ``make demo``
builds it: SQLite through the migrations (``flask db upgrade``), ``flask seed-demo``
with a small number of cases, the journeys' own additions (``tests.e2e.world``),
then ``flask run`` on a free port with no ``REDIS_URL`` (jobs run in process).
The server's output goes to ``server.log`` in the run's folder.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "E2e-Demo-2026!"
CASES = 120  # spread over Guangdong's units: enough for the dashboards, quick to seed


@dataclass
class DemoServer:
    url: str
    world: dict
    log: Path
    process: subprocess.Popen

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _env(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "APP_ENV", "FLASK_DEBUG", "FLASK_APP", "TEST_DATABASE_URL")}
    env.update(DATABASE_URL=f"sqlite:///{folder / 'demo.db'}",
               REPORT_STORE=str(folder / "reports"), E2E_DOCUMENT_STORE=str(folder / "documents"),
               PYTHONUNBUFFERED="1")
    return env


def _run(args: list[str], env: dict) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args[2:6])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def compile_translations() -> None:
    """What ``make translations`` does (the pages are read in Chinese), in process:
    each catalogue's ``messages.mo``, written whole, then renamed into place."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted((ROOT / "procuracy").glob("**/*translations/*/LC_MESSAGES/messages.po")):
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parents[1].name)
        part = po.with_name(f"messages.mo.{os.getpid()}")
        with part.open("wb") as target:
            write_mo(target, catalog)
        part.replace(po.with_name("messages.mo"))


def build(folder: Path) -> dict:
    """Migrate and seed the demo database in ``folder``; the world's additions.

    A copy is kept as ``pristine.db`` with ``world.json``: with ``E2E_DEMO_FROM`` naming
    such a folder (of an earlier run), that copy is used instead, to rerun a journey
    quickly while working on it."""
    reuse = os.environ.get("E2E_DEMO_FROM")
    if reuse:
        shutil.copyfile(Path(reuse) / "pristine.db", folder / "demo.db")
        return json.loads((Path(reuse) / "world.json").read_text())
    env = _env(folder)
    compile_translations()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    _run([*flask, "db", "upgrade"], env)
    _run([*flask, "seed-demo", "--password", PASSWORD, "--cases", str(CASES)], env)
    world = json.loads(_run([sys.executable, "-m", "tests.e2e.world"], env).splitlines()[-1])
    shutil.copyfile(folder / "demo.db", folder / "pristine.db")
    (folder / "world.json").write_text(json.dumps(world, ensure_ascii=False))
    return world


def start(folder: Path, world: dict, timeout: float = 30.0) -> DemoServer:
    port = free_port()
    log = folder / "server.log"
    args = [sys.executable, "-m", "flask", "--app", "tests.e2e.serve:create", "run",
            "--host", "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger",
            "--with-threads"]
    with log.open("wb") as out:
        process = subprocess.Popen(args, cwd=ROOT, env=_env(folder), stdout=out,
                                   stderr=subprocess.STDOUT)
    server = DemoServer(f"http://127.0.0.1:{port}", world, log, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at once:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/login", timeout=2) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"the server did not answer within {timeout:.0f}s:\n{server.log_tail()}")


def stop(server: DemoServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)
