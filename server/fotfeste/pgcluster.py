"""A throwaway PostgreSQL cluster for tests and development: initdb in a temp dir, a unix socket.

`python -m fotfeste.pgcluster` starts one and prints its URL until Ctrl-C. PostgreSQL refuses to
run as root, so as root the cluster belongs to the `postgres` user Debian's package creates.
fsync is off: the data is thrown away, and tests should not wait for a disk.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

# Debian's layout first (several majors may be installed side by side), then PATH.
_BIN_GLOB = "/usr/lib/postgresql/*/bin"


class ClusterError(RuntimeError):
    """PostgreSQL's programs are missing or the cluster did not start."""


def find_bindir() -> Path:
    candidates = sorted(Path("/").glob(_BIN_GLOB.lstrip("/")), key=lambda p: p.parent.name)
    for bindir in reversed(candidates):
        if (bindir / "initdb").exists():
            return bindir
    initdb = shutil.which("initdb")
    if initdb is None:
        raise ClusterError("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(initdb).parent


class Cluster:
    """One postmaster on a unix socket in its own directory; `url` reaches its database."""

    def __init__(self, base: Path | None = None, *, database: str = "fotfeste") -> None:
        self.bindir = find_bindir()
        self.base = Path(tempfile.mkdtemp(prefix="fotfeste-pg-", dir=base))
        self.data = self.base / "data"
        self.database = database
        self._user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self._user = pwd.getpwnam("postgres")
            except KeyError:
                raise ClusterError(
                    "as root, a 'postgres' user must exist to run the cluster"
                ) from None
            os.chown(self.base, self._user.pw_uid, self._user.pw_gid)
        self.role = self._user.pw_name if self._user else pwd.getpwuid(os.geteuid()).pw_name

    @property
    def url(self) -> str:
        return f"postgresql://{self.role}@/{self.database}?host={quote(str(self.base), safe='')}"

    def url_for(self, database: str) -> str:
        return f"postgresql://{self.role}@/{database}?host={quote(str(self.base), safe='')}"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._user is not None:
            command = ["runuser", "-u", self._user.pw_name, "--", *command]
        # The programs are PostgreSQL's own, found by find_bindir(); no shell.
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ClusterError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> Cluster:
        # C collation: text sorts byte by byte, as SQLite's BINARY does, so both engines agree.
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-E", "UTF8", "--no-locale")
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.base}' -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            " -c shared_buffers=64MB"
        )
        # -l: the server's output goes to a file, not to our pipes (which would then never close).
        log = str(self.base / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "30", "start"
        )
        self.create_database(self.database)
        return self

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", str(self.base), name)
        return self.url_for(name)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(ClusterError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


def main() -> None:
    signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    cluster = Cluster().start()
    print(cluster.url, flush=True)
    try:
        signal.sigwait(signals)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
