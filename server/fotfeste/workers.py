"""Background loops that live as long as the app: started in the lifespan, cancelled at shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from litestar.datastructures import State

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database
from fotfeste.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerContext:
    settings: Settings
    db: Database
    clock: Clock
    state: State


# The lease of the loops that queue notifications (reminder scheduler, supporter milestones):
# held by one app process, or by one push worker when `serve` runs them (push/worker.py).
PRODUCERS_LEASE = "push_producers"

# A worker runs until cancelled; it should catch and log its own per-item errors.
Worker = Callable[[WorkerContext], Awaitable[None]]


@contextlib.asynccontextmanager
async def run_workers(workers: Sequence[Worker], context: WorkerContext) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(_supervised(w, context), name=w.__name__) for w in workers]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _supervised(worker: Worker, context: WorkerContext) -> None:
    """Restart a worker that crashed, after a pause, so one bug never stops the loop for good."""
    while True:
        try:
            await worker(context)
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("worker %s crashed; restarting in 5 s", worker.__name__)
            await asyncio.sleep(5)


def leased(name: str, worker: Worker) -> Worker:
    """`worker`, run only in the process that holds the lease `name` (table `leases`, 0015).

    With several app processes (`serve --workers N`, or several hosts), loops such as the
    reminder scheduler must run in one of them at a time. Every process runs this wrapper: it
    takes the lease when it is free or expired, renews it every third of its time while the
    worker runs, and stops the worker if the lease was lost (the process stalled past expiry
    and another took over). A process killed with -9 renews no more: another takes over once
    the lease expires. At a clean shutdown the lease is released, so the next takes over at once.
    """

    async def run(context: WorkerContext) -> None:
        holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        seconds = context.settings.lease_seconds
        task: asyncio.Task[None] | None = None
        try:
            while True:
                try:
                    held = await take_lease(context.db, context.clock, name, holder, seconds)
                except Exception:
                    # A busy or failing database: keep what we have until the lease would expire.
                    log.exception("could not renew lease %s", name)
                    held = task is not None
                if held and task is None:
                    log.info("lease %s taken by %s", name, holder)
                    task = asyncio.create_task(_supervised(worker, context), name=name)
                elif not held and task is not None:
                    log.warning("lease %s lost; stopping %s here", name, worker.__name__)
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
                    task = None
                await asyncio.sleep(seconds / 3)
        finally:
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                with contextlib.suppress(Exception):
                    await release_lease(context.db, name, holder)

    run.__name__ = worker.__name__
    return run


async def take_lease(db: Database, clock: Clock, name: str, holder: str, seconds: float) -> bool:
    """Take or renew the lease `name` for `holder`; True when `holder` holds it now."""
    now = clock.now()
    expires = isoformat_utc(now + timedelta(seconds=seconds))

    def unit(conn: Conn) -> bool:
        # One statement on both engines: insert, or take over a lease that is ours or expired.
        conn.execute(
            "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
            " expires_at = excluded.expires_at"
            " WHERE leases.holder = excluded.holder OR leases.expires_at <= ?",
            (name, holder, expires, isoformat_utc(now)),
        )
        row = conn.execute("SELECT holder FROM leases WHERE name = ?", (name,)).fetchone()
        return row is not None and row[0] == holder

    return await db.write(unit)


async def release_lease(db: Database, name: str, holder: str) -> None:
    def unit(conn: Conn) -> None:
        conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))

    await db.write(unit)
