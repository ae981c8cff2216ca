"""Restarting the machine's PostgreSQL and Redis, and making sure they run again.

PostgreSQL: the Debian cluster that listens on the server's port (``pg_lsclusters``),
restarted with ``pg_ctlcluster VERSION NAME restart`` (``-m fast``: open sessions are
cut, as a crash or an operator's restart would).

Redis: it may run outside systemd (``redis-server 127.0.0.1:6379`` started by hand or
an init script), so it is restarted from its own running configuration: ``CONFIG GET``
of what matters, ``SHUTDOWN NOSAVE``, then ``redis-server`` with those settings. With
``save ""`` and no append-only file (as here) a restart loses every key: the queue
included; whatever must survive comes from the database.
"""
from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass

from sqlalchemy.engine import make_url


def wait_for(test, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f} s")
        time.sleep(0.25)


# ---------------------------------------------------------------- PostgreSQL
@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    version: str
    cluster: str

    @classmethod
    def serving(cls, admin_url: str) -> Postgres | None:
        """The local cluster behind ``admin_url``; None if there is none to restart."""
        url = make_url(admin_url)
        port = url.port or 5432
        if url.host not in (None, "localhost", "127.0.0.1") or not shutil.which("pg_lsclusters"):
            return None
        listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True,
                                 text=True, check=False).stdout
        for line in listing.splitlines():
            version, cluster, cluster_port, *_ = line.split()
            if int(cluster_port) == port:
                return cls(url.host or "localhost", port, version, cluster)
        return None

    def ready(self) -> bool:
        return subprocess.run(["pg_isready", "-q", "-h", self.host, "-p", str(self.port),
                               "-t", "2"], check=False).returncode == 0

    def _ctl(self, action: str) -> None:
        subprocess.run(["pg_ctlcluster", "-m", "fast", self.version, self.cluster, action],
                       check=True, capture_output=True, timeout=120)

    def restart(self) -> float:
        """Restart the cluster; the seconds until it accepts connections again."""
        t0 = time.monotonic()
        self._ctl("restart")
        wait_for(self.ready, "PostgreSQL to accept connections", 120)
        return time.monotonic() - t0

    def ensure_running(self) -> None:
        if not self.ready():
            subprocess.run(["pg_ctlcluster", self.version, self.cluster, "start"],
                           check=False, capture_output=True, timeout=120)
            wait_for(self.ready, "PostgreSQL to start again", 120)


# ---------------------------------------------------------------- Redis
SETTINGS = ("bind", "port", "save", "appendonly", "dir", "logfile", "dbfilename",
            "databases", "protected-mode")


@dataclass
class Redis:
    url: str
    settings: dict | None = None

    def client(self):
        from redis import Redis as Client

        return Client.from_url(self.url, socket_connect_timeout=2, socket_timeout=5)

    def ready(self) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(self.client().ping())
        except RedisError:
            return False

    def remember(self) -> dict:
        """The running server's settings, to start it again the same way."""
        client = self.client()
        self.settings = {k: v for name in SETTINGS for k, v in
                         _decoded(client.config_get(name)).items()}
        return self.settings

    def command(self) -> list[str]:
        args = ["redis-server"]
        for name, value in (self.settings or {}).items():
            args += [f"--{name}", *(value.split() if name == "bind" else [value])]
        return [*args, "--daemonize", "yes"]

    def restart(self) -> float:
        """SHUTDOWN NOSAVE and start again; the seconds it was away."""
        from redis.exceptions import ConnectionError as RedisConnectionError

        self.settings = self.settings or self.remember()
        t0 = time.monotonic()
        try:
            self.client().shutdown(nosave=True)
        except RedisConnectionError:
            pass  # the server closes the connection as it goes
        wait_for(lambda: not self.ready(), "Redis to stop", 30)
        self.start()
        return time.monotonic() - t0

    def start(self) -> None:
        subprocess.run(self.command(), check=True, capture_output=True, timeout=30)
        wait_for(self.ready, "Redis to answer", 30)

    def ensure_running(self) -> None:
        if not self.ready() and self.settings:
            self.start()


def _decoded(mapping: dict) -> dict:
    return {(k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes)
                                                          else v) for k, v in mapping.items()}
