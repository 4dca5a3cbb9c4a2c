"""Push fan-out in both sending modes: the API's own process, or `fotfeste push-worker`.

Run as `.venv/bin/python -m bench.push [--sizes 10000,100000] [--minute 100000] [--rounds 3]`.
Sends only to a fake push service on 127.0.0.1 (its own process: a raw asyncio protocol on
uvloop answering 201 without reading the bodies, so it costs the shared cores little; its CPU
share is printed beside the figures). The two modes run interleaved, round by round (the order
alternating), so both see the same noise of a shared machine; figures are the median of the
rounds, with the load average of each part.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import msgspec
import uvloop
from tests.server import cpu_seconds

from bench import push_rig as rig
from bench.server_process import TEST_ENV, free_port
from fotfeste.clock import FixedClock, isoformat_utc
from fotfeste.db import Database
from fotfeste.push.sender import PushService
from fotfeste.push.worker import WorkerProcesses
from fotfeste.reminders.scheduler import schedule_due
from fotfeste.settings import Settings

# Requests in flight: FOTFESTE_PUSH_CONCURRENCY's default, as `fotfeste serve` runs.
CONCURRENCY = Settings().push_concurrency
ROUNDS = 3
MODES = ("in-process", "push-worker")
# Push workers in "push-worker" mode (--workers): FOTFESTE_PUSH_WORKERS's default.
WORKERS = 1
# Rows due a little before the run's clock: real time, as a worker process uses the system clock
# (and a message older than its TTL would be dropped unsent).
NOW = datetime.now(UTC).replace(microsecond=0)


async def fan_out(
    workdir: Path, template: Path, port: int, count: int, mode: str, fake_pid: int
) -> dict[str, float]:
    """One round: `count` reminders due, queued by the scheduler (timed), then sent: by this
    process's PushService, or by a push worker (started and warmed first, paused while the
    rows are queued, then let go), from the moment sending may start to the last POST."""
    data_dir = workdir / f"fanout-{count}-{mode}-{time.monotonic_ns()}"
    data_dir.mkdir()
    settings = Settings(
        data_dir=data_dir,
        push_hosts=("127.0.0.1:*",),
        push_encrypt_processes=1,
        push_concurrency=CONCURRENCY,
    )
    shutil.copy(template, settings.database_path)
    db = Database(settings.database_path, readers=2)
    await db.connect()
    clock = FixedClock(NOW + timedelta(seconds=5))
    push = PushService(settings, db, clock)
    await push.start()
    if mode == "push-worker":
        # As serve starts one, but without the scheduler: this process queues, timed.
        one = msgspec.structs.replace(settings, push_workers=WORKERS)
        push.processes = workers = WorkerProcesses(one, produce=False)
        await workers.start()
    else:
        workers = None
    await warm(push, db, port)
    if workers is not None:
        for pid in workers.pids:
            os.kill(pid, signal.SIGSTOP)  # nothing is sent while the rows are queued
    stop, worst = asyncio.Event(), [0.0]
    monitor = asyncio.create_task(rig.stall_monitor(stop, worst))
    started, cpu = time.perf_counter(), time.process_time()
    queued = await schedule_due(db, clock)
    queue_s, queue_cpu = time.perf_counter() - started, time.process_time() - cpu
    queue_stall, worst[0] = worst[0], 0.0
    before = rig.fake_stats(port)
    # CPU per message: the sending process (this one, or the worker), and its encryption pool.
    sender = os.getpid() if workers is None else workers.pids[0]
    pool = [pid for pid in rig.descendants(sender) if pid != fake_pid]
    cpu_before = [cpu_seconds(sender), sum(map(cpu_seconds, pool))]
    sending, wall = time.perf_counter(), time.time()
    if workers is None:
        sent = (await push.send_due()).sent
        send_s = time.perf_counter() - sending
    else:
        for pid in workers.pids:
            os.kill(pid, signal.SIGCONT)
        push.wake()
        sent = await wait_for_posts(port, before["count"] + count, 600) - before["count"]
        send_s = rig.fake_stats(port)["last"] - wall
    fake_cpu = rig.fake_stats(port)["cpu"] - before["cpu"]
    sender_cpu = cpu_seconds(sender) - cpu_before[0]
    pool_cpu = sum(map(cpu_seconds, pool)) - cpu_before[1]
    stop.set()
    await monitor
    left = await settled(db, 60 if workers is not None else 0)
    await push.close()
    await db.close()
    shutil.rmtree(data_dir)
    if (queued, sent, left) != (count, count, 0):
        raise RuntimeError(f"{mode}: queued {queued}, sent {sent}, left {left} of {count}")
    return {
        "queue_rate": count / queue_s,
        # Per CPU second of this process (its loop and SQLite threads), which the other work on
        # a shared machine changes far less than the rate: what an idle core would reach.
        "queue_cpu_rate": count / queue_cpu,
        "send_s": send_s,
        "rate": count / send_s,
        "stall_ms": worst[0] * 1000,
        "queue_stall_ms": queue_stall * 1000,
        "fake_cpu": fake_cpu / send_s,
        "sender_us": sender_cpu / count * 1e6,
        "pool_us": pool_cpu / count * 1e6,
        "fake_us": fake_cpu / count * 1e6,
    }


async def settled(db: Database, seconds: float) -> int:
    """Rows left in the outbox once the sender has recorded its outcomes (a worker records the
    last ones a moment after the last POST)."""
    deadline = time.monotonic() + seconds
    while True:
        left = int(await db.fetchval("SELECT count(*) FROM push_outbox"))
        if left == 0 or time.monotonic() > deadline:
            return left
        await asyncio.sleep(0.1)


async def warm(push: PushService, db: Database, port: int) -> None:
    """One message sent first: the encryption pool started, a connection open, the key made."""
    before = rig.fake_stats(port)["count"]
    await db.write(
        lambda conn: conn.execute(
            "INSERT INTO push_outbox (id, account_id, subscription_id, payload, topic, urgency,"
            " ttl, created_at, available_at) SELECT 'warm', account_id, id, ?, NULL, 'normal',"
            " 3600, ?, ? FROM push_subscriptions LIMIT 1",
            (rig.PAYLOAD.decode(), isoformat_utc(NOW), isoformat_utc(NOW)),
        )
    )
    if push.processes is None:
        await push.send_due()
    else:
        push.wake()
        await wait_for_posts(port, before + 1, 60)


async def wait_for_posts(port: int, target: float, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while True:
        count = int(rig.fake_stats(port)["count"])
        if count >= target or time.monotonic() > deadline:
            return count
        await asyncio.sleep(0.05)


async def due_in_a_minute(workdir: Path, port: int, count: int, mode: str) -> dict[str, float]:
    """The API as `fotfeste serve` runs it (bench.push_serve), `count` reminders due at the next
    whole minute of the real clock, the API read by a few clients meanwhile: when the last is
    posted, the API's latency and its event loop's worst stall from that minute until then."""
    data_dir = workdir / f"serve-{mode}-{time.monotonic_ns()}"
    path = data_dir / "fotfeste.sqlite3"
    data_dir.mkdir()
    await (await rig.open_db(path)).close()
    never = datetime(2099, 1, 1, tzinfo=UTC)
    rig.fill(path, count, count, port, ("checkin",), due_at=never)
    workers = "1" if mode == "push-worker" else "0"
    env = {**os.environ, **TEST_ENV, "FOTFESTE_DATA_DIR": str(data_dir)}
    env |= {"FOTFESTE_PUSH_HOSTS": f"127.0.0.1:{port}", "FOTFESTE_PUSH_WORKERS": workers}
    stall_log, api_port = data_dir / "stalls.log", free_port()
    server = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bench.push_serve", str(api_port), str(stall_log)), env=env
    )
    latencies: list[float] = []
    try:
        async with aiohttp.ClientSession(f"http://127.0.0.1:{api_port}") as client:
            token = await sign_up(client)
            soon = datetime.now(UTC) + timedelta(seconds=12)
            minute = (soon + timedelta(minutes=1)).replace(second=0, microsecond=0)
            with sqlite3.connect(path, timeout=30) as conn:
                conn.execute(
                    "UPDATE reminders SET next_fire_at = ? WHERE next_fire_at = ?",
                    (isoformat_utc(minute), isoformat_utc(never)),
                )
            before = rig.fake_stats(port)
            done = asyncio.Event()

            async def reader() -> None:
                headers = {"Authorization": f"Bearer {token}"}
                while not done.is_set():
                    started = time.perf_counter()
                    async with client.get("/api/reminders", headers=headers) as answer:
                        await answer.read()
                        assert answer.status == 200
                    if time.time() >= minute.timestamp():
                        latencies.append(time.perf_counter() - started)
                    await asyncio.sleep(0.02)

            readers = [asyncio.create_task(reader()) for _ in range(4)]
            await wait_for_posts(
                port, before["count"] + count, minute.timestamp() - time.time() + 120
            )
            done.set()
            await asyncio.gather(*readers)
            stats = rig.fake_stats(port)
    finally:
        server.terminate()
        try:
            await asyncio.wait_for(server.wait(), 60)
        except TimeoutError:
            server.kill()  # a machine this busy may take longer; the figures are already read
            await server.wait()
    took = stats["last"] - minute.timestamp()
    stalls = [
        float(ms)
        for at, ms in (line.split() for line in stall_log.read_text().splitlines())
        if minute.timestamp() <= float(at) <= stats["last"] + 0.5
    ]
    shutil.rmtree(data_dir)
    ordered = sorted(latencies) or [0.0]
    return {
        "delivered": stats["count"] - before["count"],
        "last_s": took,
        "p99_ms": ordered[int(len(ordered) * 0.99)] * 1000,
        "max_ms": ordered[-1] * 1000,
        "stall_ms": max(stalls, default=0.0),
        "fake_cpu": (stats["cpu"] - before["cpu"]) / max(took, 1e-9),
    }


async def sign_up(client: aiohttp.ClientSession) -> str:
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(aiohttp.ClientError):
            made = await client.post(
                "/api/accounts", json={"role": "self", "locale": "sv", "timezone": "UTC"}
            )
            token: str = (await made.json())["token"]
            return token
        if time.monotonic() > deadline:
            raise RuntimeError("bench.push_serve did not start")
        await asyncio.sleep(0.2)


def report(
    title: str, rounds: dict[str, list[dict[str, float]]], lines: list[tuple[str, str]]
) -> None:
    """One line per figure: each mode's median (and rounds), then push-worker / in-process."""
    print(title)
    for key, form in lines:
        values = {m: statistics.median(r[key] for r in rounds[m]) for m in MODES}
        each = "; ".join(
            f"{m} {form.format(values[m])} ({', '.join(form.format(r[key]) for r in rounds[m])})"
            for m in MODES
        )
        ratio = values["push-worker"] / values["in-process"] if values["in-process"] else 0.0
        print(f"  {key:>14}: {each}; ratio {ratio:.2f}")


async def main(sizes: list[int], minute: int, runs: int) -> None:
    print(f"push benchmark ({os.cpu_count()} cores, load average {rig.load()}; median of {runs}")
    print("rounds, modes interleaved; fake push service in its own process, answering 201)")
    proc, port = rig.start_fake()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            keys = rig.browser_keys(64)
            pooled = statistics.median([await rig.ceiling(1, 10_000, keys) for _ in range(runs)])
            posting = statistics.median(
                [await rig.http_ceiling(port, 3000, CONCURRENCY) for _ in range(runs)]
            )
            print(
                f"encryption-only ceiling through the sender's 1-process pool: {pooled:,.0f} msg/s;"
            )
            print(f"posting-only ceiling ({CONCURRENCY} connections): {posting:,.0f} msg/s")
            if minute:
                minute_rounds: dict[str, list[dict[str, float]]] = {m: [] for m in MODES}
                loads = []
                for n in range(runs):
                    loads.append(rig.load().split(",")[0])
                    for mode in MODES if n % 2 == 0 else MODES[::-1]:
                        minute_rounds[mode].append(
                            await due_in_a_minute(workdir, port, minute, mode)
                        )
                report(
                    f"`fotfeste serve`, {minute:,} due in the same minute (load average at each"
                    f" round: {', '.join(loads)}; API: 4 clients reading GET /api/reminders):",
                    minute_rounds,
                    [
                        ("delivered", "{:,.0f}"),
                        ("last_s", "{:.1f} s"),
                        ("p99_ms", "{:.0f} ms"),
                        ("max_ms", "{:.0f} ms"),
                        ("stall_ms", "{:.0f} ms"),
                        ("fake_cpu", "{:.0%}"),
                    ],
                )
            for count in sizes:
                template = workdir / f"template-{count}.sqlite3"
                await (await rig.open_db(template)).close()
                rig.fill(template, count, count, port, ("checkin",), due_at=NOW)
                rounds: dict[str, list[dict[str, float]]] = {m: [] for m in MODES}
                loads = []
                for n in range(runs):
                    loads.append(rig.load().split(",")[0])
                    for mode in MODES if n % 2 == 0 else MODES[::-1]:
                        figures = await fan_out(workdir, template, port, count, mode, proc.pid)
                        figures["ceiling"] = figures["rate"] / pooled
                        rounds[mode].append(figures)
                report(
                    f"fan-out of {count:,} due (load average at each round: {', '.join(loads)}):",
                    rounds,
                    [
                        ("queue_rate", "{:,.0f}/s"),
                        ("queue_cpu_rate", "{:,.0f}/CPU-s"),
                        ("rate", "{:,.0f} msg/s"),
                        ("ceiling", "{:.2f}x"),
                        ("stall_ms", "{:.0f} ms"),
                        ("queue_stall_ms", "{:.0f} ms"),
                        ("fake_cpu", "{:.0%}"),
                        ("sender_us", "{:.0f} µs/msg"),
                        ("pool_us", "{:.0f} µs/msg"),
                        ("fake_us", "{:.0f} µs/msg"),
                    ],
                )
            if sizes and max(sizes) >= 100_000:
                s = await rig.scheduler_cost(workdir, 1_000_000, 100)
                print(
                    f"scheduler with 1,000,000 reminder rows, 100 due: one pass"
                    f" {s['with_due_ms']:.1f} ms (cold), {s['warm_ms']:.1f} ms (next minute); idle"
                    f" {s['idle_ms']:.2f} ms; a full scan {s['full_scan_ms']:.0f} ms; {s['plan']}"
                )
            print(f"(load average at the end: {rig.load()})")
    finally:
        proc.terminate()
        proc.wait(5)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="fan-out sizes, comma-separated")
    parser.add_argument("--minute", type=int, default=100_000, help="due in one minute (0: skip)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds per figure (median)")
    # uvloop, as `fotfeste serve` runs the sender (uvicorn's loop="auto" picks it).
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    uvloop.run(main(sizes, args.minute, args.rounds))
