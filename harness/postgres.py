"""A throwaway PostgreSQL server for tests and benchmarks: Debian's `postgresql` binaries, a
data directory in a temp folder, trust auth, listening on 127.0.0.1 (a free port) and on a
unix socket in that folder. The tests start one per pytest session (tests/support/postgres.py's
`postgres` fixture); bench/queue_bench.py one per run.

    with PostgresServer() as pg:            # initdb + postgres, as an ordinary user
        url = pg.create_database("t1")      # postgresql://runner@127.0.0.1:PORT/t1
    python -m harness.postgres              # start one by hand; prints its URL, Ctrl-C stops it

As root (CI, this machine), the server runs as Debian's `postgres` system account: PostgreSQL
refuses to run as root. Binaries are found at run time (`/usr/lib/postgresql/<ver>/bin`, the
newest, else PATH), never by a hard-coded version.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Self

import psycopg
from psycopg import sql

SUPERUSER = "runner"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
SERVICE_ACCOUNT = "postgres"  # created by Debian's package; used only when we are root
# Throwaway data: skip fsync so tests measure runner, not the disk. The benchmark passes
# durable=True to keep PostgreSQL's defaults (fsync on every commit).
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server binaries are not installed here."""


def bin_dir() -> Path:
    """The folder with initdb and postgres: the newest /usr/lib/postgresql/<ver>/bin, else PATH."""
    versions = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    if versions:
        return max(versions, key=lambda d: [int(x) for x in re.findall(r"\d+", d.parent.name)] or [0])
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresUnavailable("PostgreSQL's server is not installed (no initdb); install it: apt-get install postgresql")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One `postgres` process on a fresh data directory; `stop()` removes everything."""

    def __init__(self, *, durable: bool = False, settings: dict[str, str] | None = None) -> None:
        self.bin = bin_dir()
        self.settings = ({} if durable else dict(FAST_SETTINGS)) | (settings or {})
        self.port = 0
        self.root: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._user: str | None = None

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None
        return self.root / "run"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> Self:
        # A folder of its own directly in the temp dir, which the service account can reach
        # (pytest's tmp_path lives under a root-only folder); "/tmp" if $TMPDIR is private.
        parent = tempfile.gettempdir()
        if os.geteuid() == 0 and not os.stat(parent).st_mode & 0o001:
            parent = "/tmp"
        self.root = Path(tempfile.mkdtemp(prefix="runner-pg-", dir=parent))
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(SERVICE_ACCOUNT)
            except KeyError:
                raise PostgresUnavailable(
                    f"running as root and there is no {SERVICE_ACCOUNT!r} account to run PostgreSQL as; "
                    "install Debian's postgresql package (it creates one) or run the tests as an ordinary user") from None
            self._user = SERVICE_ACCOUNT
            for path in (self.root, self.socket_dir):
                os.chown(path, account.pw_uid, account.pw_gid)
        data = self.root / "data"
        self._run([str(self.bin / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                   "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
        for _ in range(5):  # a free port can be taken before postgres binds it: try another
            self.port = _free_port()
            if self._launch(data):
                return self
        raise RuntimeError(f"PostgreSQL did not start; its log:\n{self.log()}")

    def _launch(self, data: Path) -> bool:
        assert self.root is not None
        options = {"listen_addresses": "127.0.0.1", "port": str(self.port),
                   "unix_socket_directories": str(self.socket_dir), "max_connections": "200", **self.settings}
        args = [str(self.bin / "postgres"), "-D", str(data)]
        for key, value in options.items():
            args += ["-c", f"{key}={value}"]
        with open(self.root / "postgres.log", "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, user=self._user)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return True
            except psycopg.OperationalError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"PostgreSQL did not accept connections in {START_TIMEOUT_S:.0f} s; its log:\n{self.log()}")

    def _run(self, args: list[str]) -> None:
        done = subprocess.run(args, capture_output=True, text=True, user=self._user, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    def log(self) -> str:
        path = self.root / "postgres.log" if self.root else None
        return path.read_text(errors="replace") if path and path.exists() else ""

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def stop(self) -> None:
        """Fast shutdown (SIGINT: disconnect clients, checkpoint), then remove the data."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    """Start a throwaway server for manual runs; prints its URL, stops on Ctrl-C."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--durable", action="store_true", help="keep fsync on (default: off, for speed)")
    args = parser.parse_args()
    # On SIGTERM too, stop the server and remove its data (Python's default would just exit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with PostgresServer(durable=args.durable) as pg:
        print(pg.create_database("runner"), flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
