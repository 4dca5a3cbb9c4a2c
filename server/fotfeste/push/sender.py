"""The push sender: claims outbox rows, encrypts off the loop, posts, and settles the outcomes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import aiohttp

from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.push import outbox
from fotfeste.push.delivery import Delivery, make_session
from fotfeste.push.encryption import Encryptor
from fotfeste.push.keys import VapidKey, load_or_create_key
from fotfeste.push.outbox import Message, Result
from fotfeste.push.worker import WorkerProcesses
from fotfeste.settings import Settings
from fotfeste.workers import WorkerContext

log = logging.getLogger(__name__)

CLAIM_BATCH = 256
# The sender never naps shorter than this between passes (no busy loop on a row due now).
MIN_NAP = 0.05
ENCRYPT_CHUNK = 64

# Work that turns due things into outbox rows (the reminders scheduler); returns rows queued.
Producer = Callable[[], Awaitable[int]]


@dataclass
class PassReport:
    produced: int = 0
    sent: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


class PushService:
    """One per app. Background workers call run_sender/run_producers; tests call tick()."""

    def __init__(self, settings: Settings, db: Database, clock: Clock) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.producers: list[Producer] = []
        self._key: VapidKey | None = None
        self._session: aiohttp.ClientSession | None = None
        self._delivery: Delivery | None = None
        self._encryptor = Encryptor(settings.push_encrypt_processes)
        self._send_lock = asyncio.Lock()
        self._produce_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False
        self.loop: asyncio.AbstractEventLoop | None = None
        # `fotfeste serve` with FOTFESTE_PUSH_WORKERS > 0: worker processes send, this one queues.
        self.processes: WorkerProcesses | None = None

    @property
    def key(self) -> VapidKey:
        if self._key is None:
            self._key = load_or_create_key(self.settings)
        return self._key

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._session = make_session(max(1, self.settings.push_concurrency))
        self._delivery = Delivery(
            self.key,
            self.settings.vapid_subject,
            self.settings.push_hosts,
            self.clock,
            self._session,
        )
        if self.settings.push_workers > 0:
            self.processes = WorkerProcesses(self.settings)
            await self.processes.start()

    async def close(self) -> None:
        if self.processes is not None:
            await self.processes.stop()
        if self._session is not None:
            await self._session.close()
        await self._encryptor.close()

    @property
    def delivery(self) -> Delivery:
        if self._delivery is None:
            raise RuntimeError("PushService.start() has not been called")
        return self._delivery

    def wake(self) -> None:
        """New rows are waiting: the sender looks now instead of at its next poll."""
        self._wake.set()
        if self.processes is not None:
            self.processes.wake()

    def stop(self) -> None:
        """Claim nothing more: what is claimed is posted and settled, then send_until_stopped
        returns (a worker's SIGTERM)."""
        self._stopping = True
        self._wake.set()

    # --- one pass of each stage (what the workers loop on and tests call) --------------------

    async def produce(self) -> int:
        async with self._produce_lock:
            total = 0
            for producer in self.producers:
                try:
                    total += await producer()
                except Exception:
                    log.exception("push producer %s failed", getattr(producer, "__name__", "?"))
            return total

    async def send_due(self) -> PassReport:
        """Send everything available now, in a pipeline: the next chunk encrypts in the pool
        while earlier ones are on the wire; outcomes are settled in batches."""
        report = PassReport()
        async with self._send_lock:
            queue: asyncio.Queue[tuple[list[Message], asyncio.Future[list[bytes]]] | None]
            queue = asyncio.Queue(maxsize=16)  # chunks encrypted ahead: ~1,000 messages
            producer = asyncio.create_task(self._claim_and_encrypt(queue))
            try:
                await self._post_all(queue, report)
            finally:
                producer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await producer
        return report

    async def _claim_and_encrypt(
        self, queue: asyncio.Queue[tuple[list[Message], asyncio.Future[list[bytes]]] | None]
    ) -> None:
        cancelled = False
        try:
            lease = timedelta(seconds=self.settings.push_lease_seconds)
            while not self._stopping and (
                batch := await outbox.claim(self.db, self.clock.now(), CLAIM_BATCH, lease)
            ):
                for start in range(0, len(batch), ENCRYPT_CHUNK):
                    chunk = batch[start : start + ENCRYPT_CHUNK]
                    future = self._encryptor.submit([(m.payload, m.p256dh, m.auth) for m in chunk])
                    await queue.put((chunk, future))
        except asyncio.CancelledError:
            # Cancelled only once the poster has gone (send_due's finally): nobody would take
            # the end mark from a full queue, and waiting to put it would hang the shutdown.
            cancelled = True
            raise
        finally:
            if not cancelled:
                await queue.put(None)

    async def _post_all(
        self,
        queue: asyncio.Queue[tuple[list[Message], asyncio.Future[list[bytes]]] | None],
        report: PassReport,
    ) -> None:
        results: list[Result] = []
        # Settling runs beside the posting (its SQL waits on the writer thread): posting goes on.
        settling: list[asyncio.Task[None]] = []
        # push_concurrency posters, each posting one message after another: the requests in
        # flight are bounded without a task, a semaphore and a callback for every message.
        ready: asyncio.Queue[tuple[Message, bytes] | None] = asyncio.Queue(maxsize=ENCRYPT_CHUNK)
        posters = [
            asyncio.create_task(self._poster(ready, results))
            for _ in range(max(1, self.settings.push_concurrency))
        ]
        try:
            while (item := await queue.get()) is not None:
                chunk, future = item
                try:
                    bodies = await future
                except BrokenExecutor:
                    # The pool died under this chunk: nothing is wrong with the messages, so
                    # they are tried again (with backoff), never dropped.
                    log.error("push encryption pool died; %d messages will be retried", len(chunk))
                    results.extend(Result(m, None, error="encryption pool") for m in chunk)
                    continue
                except Exception:
                    # Unencryptable (e.g. keys a browser will never accept): drop, as a 4xx would.
                    log.exception("push encryption failed for %d messages", len(chunk))
                    results.extend(Result(m, 400, error="encryption") for m in chunk)
                    continue
                for pair in zip(chunk, bodies, strict=True):
                    await ready.put(pair)
                if len(results) >= CLAIM_BATCH:
                    # One settle at a time: what was posted but not yet recorded (sent again
                    # after a crash) stays within about two batches plus the requests in flight.
                    if settling and not settling[-1].done():
                        await asyncio.wait([settling[-1]])
                    settling.append(asyncio.create_task(self._settle(self._take(results), report)))
            for _ in posters:
                await ready.put(None)
            await asyncio.gather(*posters)
        finally:
            for poster in posters:
                poster.cancel()
        settling.append(asyncio.create_task(self._settle(self._take(results), report)))
        # Every message gets its result recorded, even if one settle fails (its rows come back
        # after the lease); the first failure is raised once all have finished.
        failures = [r for r in await asyncio.gather(*settling, return_exceptions=True) if r]
        if failures:
            raise failures[0]

    async def _poster(
        self, ready: asyncio.Queue[tuple[Message, bytes] | None], results: list[Result]
    ) -> None:
        post = self.delivery.post  # always a Result: one message's failure stops nothing
        while (item := await ready.get()) is not None:
            results.append(await post(*item))

    @staticmethod
    def _take(results: list[Result]) -> list[Result]:
        # Taken and cleared at once: posts finishing later append to the same list.
        batch = list(results)
        results.clear()
        return batch

    async def _settle(self, batch: list[Result], report: PassReport) -> None:
        if not batch:
            return
        counts = await outbox.settle(self.db, self.clock, batch)
        report.sent += len(batch)
        for name, count in counts.items():
            report.outcomes[name] = report.outcomes.get(name, 0) + count

    async def tick(self) -> PassReport:
        """Run the producers, then send everything that is due (tests drive time with this)."""
        produced = await self.produce()
        report = await self.send_due()
        report.produced = produced
        return report

    # --- workers -------------------------------------------------------------------------------

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def _until_next_row(self) -> float:
        """Seconds until the earliest outbox row comes due (a retry the push service asked for
        in 1 s goes out then, not at the next poll); the poll interval at most."""
        poll = self.settings.push_poll_seconds
        soonest = await outbox.next_available(self.db)
        if soonest is None:
            return poll
        left = (soonest - self.clock.now()).total_seconds()
        return min(poll, max(MIN_NAP, left))

    async def run_sender(self, _: WorkerContext) -> None:
        if self.processes is not None:
            await self.processes.supervise()  # they send; this loop keeps them running
            return
        await self.send_until_stopped()

    async def send_until_stopped(self) -> None:
        while not self._stopping:
            try:
                await self.send_due()
            except Exception:
                # A pass that failed (e.g. the database busy for too long) leaves its rows to
                # their lease; the next pass goes on.
                log.exception("push send pass failed; trying again in 5 s")
                await self._sleep(5)
                continue
            if not self._stopping:
                await self._sleep(await self._until_next_row())

    async def run_producers(self, _: WorkerContext) -> None:
        if self.processes is not None:
            return  # a push worker queues too: the evening's 100,000 rows cost this loop nothing
        await self.produce_forever()

    async def produce_forever(self) -> None:
        # Reminders fall on whole minutes: look just after each minute begins (the evening's
        # 100,000 check-ins must not wait for a poll), and at least every 10 s.
        interval = min(10.0, self.settings.push_poll_seconds)
        while not self._stopping:
            if await self.produce():
                self.wake()
            now = self.clock.now()
            to_minute = 60 - now.second - now.microsecond / 1e6 + 0.05
            await asyncio.sleep(min(interval, to_minute))
