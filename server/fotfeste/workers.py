"""Background loops that live as long as the app: started in the lifespan, cancelled at shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from litestar.datastructures import State

from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerContext:
    settings: Settings
    db: Database
    clock: Clock
    state: State


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
