"""`fotfeste push-worker`: the sender in a process of its own, and `serve`'s side that runs it.

Encrypting and posting 100,000 messages in the API's process costs its event loop the time it
needs to answer people. A worker claims outbox rows with leases from the same database (SQLite in
WAL mode: several processes may write, the group commit retries while another holds the lock),
so one or more can run beside the API, and a worker killed mid fan-out loses nothing: its rows
come back when their lease runs out and another claims them.

`fotfeste serve` starts FOTFESTE_PUSH_WORKERS of them (WorkerProcesses) and hands each its
settings on stdin; the same pipe then carries "look now" nudges (new rows queued), and its end
of file tells the worker that serve is gone, so no worker outlives it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path, PurePath

import msgspec
from litestar.datastructures import State

from fotfeste.clock import SystemClock
from fotfeste.db import open_database
from fotfeste.settings import Settings
from fotfeste.workers import PRODUCERS_LEASE, WorkerContext, leased

log = logging.getLogger(__name__)

# How long a stopping worker may take to post what it has claimed and record the outcomes;
# what is left then comes back after its lease.
STOP_SECONDS = 10.0
# How often a worker checks that the serve that started it is still its parent.
PARENT_CHECK_SECONDS = 1.0
# An idle worker looks for rows this often (nudges make it sooner).
IDLE_POLL_SECONDS = 1.0
# A worker that died (crash, OOM killer) is started again after this pause.
RESTART_SECONDS = 1.0


def encode_settings(settings: Settings) -> bytes:
    return msgspec.json.encode(settings, enc_hook=_to_json)


def decode_settings(data: bytes) -> Settings:
    return msgspec.json.decode(data, type=Settings, dec_hook=_from_json)


def _to_json(value: object) -> object:
    if isinstance(value, PurePath):
        return str(value)
    raise NotImplementedError(type(value))


def _from_json(kind: type, value: object) -> object:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(kind)


class WorkerProcesses:
    """`serve`'s side: starts the workers, nudges them, restarts one that dies, stops them."""

    def __init__(self, settings: Settings, *, produce: bool = True) -> None:
        self.settings = settings
        self.count = settings.push_workers
        self.produce = produce  # the first worker also runs the scheduler
        self._procs: list[asyncio.subprocess.Process] = []
        self._stopping = False

    async def _spawn(self, index: int) -> asyncio.subprocess.Process:
        # The first also runs the scheduler (one is enough: the others would redo its reads).
        produce = ["--produce"] if index == 0 and self.produce else []
        proc = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "fotfeste", "push-worker", "--from-serve", str(os.getpid())),
            *produce,
            stdin=asyncio.subprocess.PIPE,
        )
        assert proc.stdin is not None
        # The very settings this serve runs with (also those built in code, not from FOTFESTE_*).
        proc.stdin.write(encode_settings(self.settings) + b"\n")
        await proc.stdin.drain()
        log.info("push worker %d started", proc.pid)
        return proc

    async def start(self) -> None:
        self._procs = [await self._spawn(index) for index in range(self.count)]

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self._procs if proc.returncode is None]

    def wake(self) -> None:
        for proc in self._procs:
            if proc.returncode is None and proc.stdin is not None:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    proc.stdin.write(b".")

    async def supervise(self) -> None:
        """Restart a worker that exited while serve is running (it never should)."""
        while not self._stopping:
            waits = {asyncio.ensure_future(proc.wait()): i for i, proc in enumerate(self._procs)}
            if not waits:
                return
            try:
                done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in waits:
                    task.cancel()
            for task in done:
                index = waits[task]
                log.warning(
                    "push worker %d exited with %s; starting another",
                    self._procs[index].pid,
                    self._procs[index].returncode,
                )
                await asyncio.sleep(RESTART_SECONDS)
                if not self._stopping:
                    self._procs[index] = await self._spawn(index)

    async def stop(self) -> None:
        """SIGTERM each worker (it finishes what it claimed), SIGKILL one that takes too long."""
        self._stopping = True
        for proc in self._procs:
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.terminate()
        for proc in self._procs:
            try:
                await asyncio.wait_for(proc.wait(), STOP_SECONDS + 5)
            except TimeoutError:
                log.warning("push worker %d did not stop; killed", proc.pid)
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        self._procs = []


# --- the worker process ---------------------------------------------------------------------


def read_settings_line(fd: int = 0) -> Settings:
    """The first line on stdin: serve's settings as JSON. Read unbuffered, byte by byte, so
    nothing after it is taken from the pipe the nudges come through."""
    line = bytearray()
    while not line.endswith(b"\n"):
        chunk = os.read(fd, 1)
        if not chunk:
            raise SystemExit("fotfeste push-worker: serve closed the pipe before the settings")
        line += chunk
    return decode_settings(bytes(line))


class _Nudges(asyncio.Protocol):
    """Bytes from serve: look for rows now. End of file: serve is gone, stop."""

    def __init__(self, wake: asyncio.Event, gone: asyncio.Event) -> None:
        self.wake, self.gone = wake, gone

    def data_received(self, data: bytes) -> None:
        self.wake.set()

    def eof_received(self) -> bool | None:
        self.gone.set()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.gone.set()


async def _watch_parent(parent: int, gone: asyncio.Event) -> None:
    # Backs up the pipe's end of file (a descendant holding the pipe open would hide it).
    while not gone.is_set():
        if os.getppid() != parent:
            gone.set()
        await asyncio.sleep(PARENT_CHECK_SECONDS)


async def run_worker(settings: Settings, parent: int | None, produce: bool) -> int:
    """Send until SIGTERM/SIGINT or, when started by serve (`parent`), until serve is gone;
    with `produce`, also turn due reminders (and the other producers' work) into outbox rows."""
    from fotfeste.app import push_producers
    from fotfeste.push.sender import PushService

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    if parent is None:
        loop.add_signal_handler(signal.SIGINT, stop.set)
    else:
        # Ctrl-C in a terminal reaches the whole process group: serve stops its workers itself
        # (SIGTERM, after its requests), so one does not exit early and get started again.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The engine serve runs on (FOTFESTE_DATABASE_URL): the same outbox, leases and clock.
    db = open_database(settings, readers=1)
    await db.connect()
    # Another worker (or serve's API) may queue rows without a nudge reaching this one: an idle
    # worker looks at the outbox's first row every second (one indexed read).
    poll = min(settings.push_poll_seconds, IDLE_POLL_SECONDS)
    settings = msgspec.structs.replace(settings, push_workers=0, push_poll_seconds=poll)
    clock = SystemClock()
    push = PushService(settings, db, clock)
    await push.start()
    watchers: list[asyncio.Task[None]] = []
    nudged = asyncio.Event()
    if parent is not None:
        await loop.connect_read_pipe(lambda: _Nudges(nudged, stop), sys.stdin)
        watchers.append(asyncio.create_task(_watch_parent(parent, stop)))

    async def relay() -> None:
        while True:
            await nudged.wait()
            nudged.clear()
            push.wake()

    watchers.append(asyncio.create_task(relay()))
    if produce:
        # Under the same lease as in an app process: with `serve --workers N` every app process
        # has a worker of its own, and the reminders must still be queued by one at a time.
        push.producers.extend(push_producers(db, clock, push.wake))
        context = WorkerContext(settings=settings, db=db, clock=clock, state=State({}))
        producing = leased(PRODUCERS_LEASE, lambda _: push.produce_forever())

        async def produce_while_leased() -> None:
            await producing(context)

        watchers.append(asyncio.create_task(produce_while_leased()))
    sender = asyncio.create_task(push.send_until_stopped())
    engine = "PostgreSQL" if settings.postgresql else str(settings.database_path)  # no password
    log.info("push worker %d sending from %s", os.getpid(), engine)
    try:
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({sender, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        push.stop()
        try:
            await asyncio.wait_for(sender, STOP_SECONDS)
        except TimeoutError:
            log.warning("push worker stopped before its claimed rows were all sent")
    finally:
        for task in watchers:
            task.cancel()
        await asyncio.gather(*watchers, return_exceptions=True)
        await push.close()
        await db.close()
    log.info("push worker %d stopped", os.getpid())
    return 0
