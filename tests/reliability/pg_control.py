"""A PostgreSQL cluster a test may stop and start again (pgcluster.Cluster plus pg_ctl stop/start).

`durable=True` runs it with PostgreSQL's defaults (fsync, synchronous_commit, full_page_writes
on), for figures comparable with SQLite's durable commits; otherwise fsync is off, as the tests'
session cluster has it.
"""

from __future__ import annotations

from fotfeste.pgcluster import Cluster

_FAST = " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class ControlledCluster(Cluster):
    """A throwaway cluster whose server can be stopped (`pg_stop`) and started (`pg_start`)."""

    def __init__(self, *, durable: bool = False) -> None:
        super().__init__()
        self.durable = durable

    def start(self) -> ControlledCluster:
        super().start()  # initdb, start with the fast options, create the database
        if self.durable:  # the same data, now with PostgreSQL's durable defaults
            self.pg_stop()
            self.pg_start()
        return self

    def pg_start(self) -> None:
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.base}'"
            " -c max_connections=200 -c shared_buffers=128MB"
        ) + ("" if self.durable else _FAST)
        log = str(self.base / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "60", "start"
        )

    def pg_stop(self, mode: str = "fast") -> None:
        """`pg_ctl stop -m fast`: open sessions are ended, committed data stays (a restart)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
