"""A PostgreSQL server of a test's own: `initdb` in a temporary directory, started with `pg_ctl` on a free
port of 127.0.0.1 (issue 23). A test that stops or restarts the server must use one of these, never the
machine's shared server at TEST_POSTGRES_URL: restarting that one failed every other suite running at the
time with 「the database system is shutting down」.

Debian installs the server binaries under /usr/lib/postgresql/<version>/bin (not on the PATH); the newest
is used, or the ones on the PATH. `initdb` refuses to run as root, so as root the cluster is made and run
by the `postgres` user (runuser), in a directory that user owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


def server_bin() -> Path | None:
    """The directory of initdb and pg_ctl, or None when there is no PostgreSQL server installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path and shutil.which("pg_ctl") else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnPostgres:
    """One throw-away cluster: `start()`, `restart()` (the seconds it was away), `stop()` (also removes it)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="taskbot-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[:800]}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self._ctl("start")

    def _ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        log = str(self.root / "log")
        self._run("pg_ctl", action, *extra, "-w", "-t", "60", "-D", str(self.data), "-l", log, "-o", options)

    def restart(self) -> float:
        """Restart the server (fast shutdown, as `pg_ctlcluster restart`); the seconds until it answers again."""
        began = time.monotonic()
        self._ctl("restart", "-m", "fast")
        self.wait(60)
        return time.monotonic() - began

    def answers(self) -> bool:
        try:
            with psycopg.connect(self.url.replace("+psycopg", ""), connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.answers():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the test's own PostgreSQL on port {self.port} did not answer in {timeout:.0f} s")
            time.sleep(0.2)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(self.data))
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
