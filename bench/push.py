"""Push fan-out: messages/s against the encryption-only ceiling, queueing, a minute's delivery.

Run as `.venv/bin/python -m bench.push [--quick]`. Sends only to a fake push service on 127.0.0.1
(its own process: a raw asyncio protocol on uvloop answering 201 without reading the bodies, so
it costs the shared cores little; its CPU share is printed beside the figures; the tests check
what is sent). Figures are the median of ROUNDS rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import uvloop
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from yarl import URL

from bench.server_process import ServerProcess
from fotfeste.clock import FixedClock, isoformat_utc
from fotfeste.db import Database
from fotfeste.push import delivery
from fotfeste.push.encryption import Encryptor, encrypt_batch
from fotfeste.push.logic import b64url_encode
from fotfeste.push.sender import PushService
from fotfeste.push.texts import notification
from fotfeste.reminders.scheduler import schedule_due
from fotfeste.settings import Settings

NOW = datetime(2026, 3, 16, 19, 0, tzinfo=UTC)  # 20:00 in Stockholm
# Requests in flight: FOTFESTE_PUSH_CONCURRENCY's default, as `fotfeste serve` runs.
CONCURRENCY = Settings().push_concurrency
ROUNDS = 3
PAYLOAD = notification("checkin", "sv", discreet=False, url="/#/checkin").encode()


def browser_keys(count: int) -> list[tuple[str, str]]:
    keys = []
    for _ in range(count):
        key = ec.generate_private_key(ec.SECP256R1())
        point = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        keys.append((b64url_encode(point), b64url_encode(os.urandom(16))))
    return keys


def start_fake() -> tuple[subprocess.Popen[str], int]:
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.push_fake"], cwd=root, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    return proc, int(proc.stdout.readline())


def fake_stats(port: int) -> dict[str, float]:
    """POSTs answered, when the last came (epoch seconds) and the fake's CPU seconds so far."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5) as answer:
        stats: dict[str, float] = json.loads(answer.read())
    return stats


def fill(
    path: Path,
    accounts: int,
    due: int,
    port: int,
    kinds: tuple[str, ...],
    due_at: datetime = NOW,
) -> None:
    """Accounts with one subscription each and one reminder per kind; `due` of them due at
    `due_at`, the others six hours later."""
    keys = browser_keys(64)
    now, later = isoformat_utc(NOW), isoformat_utc(due_at + timedelta(hours=6))
    when = isoformat_utc(due_at)
    # Closed, not only committed: the last connection out folds the WAL into the file (copied).
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("PRAGMA synchronous=OFF")
        conn.executemany(
            "INSERT INTO accounts (id, role, locale, timezone, discreet, created_at)"
            " VALUES (?, 'self', 'sv', 'Europe/Stockholm', 0, ?)",
            ((f"a{i}", now) for i in range(accounts)),
        )
        conn.executemany(
            "INSERT INTO push_subscriptions (id, account_id, endpoint, p256dh, auth, created_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (f"s{i}", f"a{i}", f"http://127.0.0.1:{port}/push/{i}", *keys[i % 64], now, now)
                for i in range(accounts)
            ),
        )
        conn.executemany(
            "INSERT INTO reminders (account_id, kind, enabled, local_time, days, zone,"
            " next_fire_at, updated_at) VALUES (?, ?, 1, '20:00', '0123456', 'Europe/Stockholm',"
            " ?, ?)",
            (
                (f"a{i}", kind, when if (i < due and kind == "checkin") else later, now)
                for i in range(accounts)
                for kind in kinds
            ),
        )


async def open_db(path: Path) -> Database:
    db = Database(path, readers=2)
    await db.connect()
    await db.migrate(FixedClock(NOW))
    return db


async def stall_monitor(stop: asyncio.Event, worst: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await asyncio.sleep(0.005)
        worst[0] = max(worst[0], loop.time() - started - 0.005)


async def ceiling(processes: int, messages: int, keys: list[tuple[str, str]]) -> float:
    """Encryption alone, the same way the sender does it (pool and chunking): messages/s."""
    encryptor = Encryptor(processes)
    items = [(PAYLOAD, *keys[i % len(keys)]) for i in range(messages)]
    await encryptor.encrypt(items[:64])  # start the workers outside the timing
    started = time.perf_counter()
    await asyncio.gather(*(encryptor.submit(items[i : i + 64]) for i in range(0, messages, 64)))
    elapsed = time.perf_counter() - started
    await encryptor.close()
    return messages / elapsed


async def http_ceiling(port: int, messages: int, concurrency: int) -> float:
    """Posting alone (bodies encrypted beforehand), with the sender's session and concurrency."""
    session = delivery.make_session(concurrency)
    body = encrypt_batch([(PAYLOAD, *browser_keys(1)[0])])[0]
    limit = asyncio.Semaphore(concurrency)

    async def post(i: int) -> None:
        async with limit:
            url = URL(f"http://127.0.0.1:{port}/push/{i}", encoded=True)
            await delivery.post(session, url, body, {})

    await asyncio.gather(*(post(i) for i in range(concurrency)))  # open the connections
    started = time.perf_counter()
    await asyncio.gather(*(post(i) for i in range(messages)))
    elapsed = time.perf_counter() - started
    await session.close()
    return messages / elapsed


async def fan_out(workdir: Path, template: Path, port: int, count: int) -> dict[str, float]:
    """One round: `count` reminders due, queued by the scheduler, then sent; in this process."""
    path = workdir / f"fanout-{count}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
    shutil.copy(template, path)
    settings = Settings(
        data_dir=workdir,
        push_hosts=("127.0.0.1:*",),
        push_encrypt_processes=1,
        push_concurrency=CONCURRENCY,
    )
    db = Database(path, readers=2)
    await db.connect()
    clock = FixedClock(NOW + timedelta(seconds=5))
    push = PushService(settings, db, clock)
    await push.start()
    await push._encryptor.encrypt([(PAYLOAD, *browser_keys(1)[0])])  # warm the pool
    stop, worst = asyncio.Event(), [0.0]
    monitor = asyncio.create_task(stall_monitor(stop, worst))
    started = time.perf_counter()
    queued = await schedule_due(db, clock)
    scheduled = time.perf_counter()
    schedule_stall, worst[0] = worst[0], 0.0
    fake_cpu, own_cpu = fake_stats(port)["cpu"], os.times()
    sending = time.perf_counter()
    report = await push.send_due()
    sent = time.perf_counter()
    fake_cpu, after = fake_stats(port)["cpu"] - fake_cpu, os.times()
    user, system = after.user - own_cpu.user, after.system - own_cpu.system
    stop.set()
    await monitor
    left = await db.fetchval("SELECT count(*) FROM push_outbox")
    await push.close()
    await db.close()
    if (queued, report.sent, left) != (count, count, 0):
        raise RuntimeError(f"lost messages: queued {queued}, sent {report.sent}, left {left}")
    return {
        "queue_s": scheduled - started,
        "queue_rate": count / (scheduled - started),
        "send_s": sent - sending,
        "rate": count / (sent - sending),
        "stall_ms": worst[0] * 1000,
        "queue_stall_ms": schedule_stall * 1000,
        "fake_cpu": fake_cpu / (sent - sending),
        "sender_cpu": (user + system) / (sent - sending),
        # CPU per message (µs), which the load of other work on the machine changes far less
        # than rates: the sender's process (loop and SQLite threads; user, system) and the fake.
        "sender_us": (user + system) / count * 1e6,
        "sender_sys_us": system / count * 1e6,
        "fake_us": fake_cpu / count * 1e6,
    }


async def scheduler_cost(workdir: Path, rows: int, due: int) -> dict[str, float]:
    path = workdir / "scheduler.sqlite3"
    db = await open_db(path)
    await db.close()
    kinds = ("checkin", "followup", "meeting", "milestone")
    fill(path, rows // len(kinds), due, 1, kinds)
    db = Database(path, readers=2)
    await db.connect()
    clock = FixedClock(NOW + timedelta(seconds=5))
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN SELECT * FROM reminders WHERE next_fire_at <= ?", ("x",)
    )
    started = time.perf_counter()
    queued = await schedule_due(db, clock)
    with_due = time.perf_counter() - started
    # Another 100 come due a minute later: the same pass with the index pages in memory.
    later = isoformat_utc(NOW + timedelta(minutes=1))
    await db.write(
        lambda conn: conn.execute(
            "UPDATE reminders SET next_fire_at = ? WHERE kind = 'checkin' AND account_id IN"
            " (SELECT id FROM accounts ORDER BY id DESC LIMIT ?)",
            (later, due),
        ),
        long=True,
    )
    clock.advance(timedelta(minutes=1))
    started = time.perf_counter()
    queued += await schedule_due(db, clock)
    warm = time.perf_counter() - started
    idle = []
    for _ in range(20):
        started = time.perf_counter()
        await schedule_due(db, clock)
        idle.append(time.perf_counter() - started)
    started = time.perf_counter()
    await db.fetchval(
        "SELECT count(*) FROM reminders NOT INDEXED WHERE next_fire_at <= ?",
        (isoformat_utc(clock.now()),),
    )
    scan = time.perf_counter() - started
    await db.close()
    return {
        "queued": queued,
        "with_due_ms": with_due * 1000,
        "warm_ms": warm * 1000,
        "idle_ms": sorted(idle)[len(idle) // 2] * 1000,
        "full_scan_ms": scan * 1000,
        "plan": " / ".join(str(row[3]) for row in plan),
    }


async def due_in_a_minute(
    workdir: Path, port: int, count: int, env: dict[str, str] | None = None
) -> dict[str, float]:
    """`fotfeste serve` as deployed (defaults), `count` reminders due at the next whole minute
    of the real clock, the API read by a few clients meanwhile: when the last is posted, and the
    API's latency from that minute until then."""
    data_dir = workdir / f"serve-{time.monotonic_ns()}"
    path = data_dir / "fotfeste.sqlite3"
    data_dir.mkdir()
    await (await open_db(path)).close()
    fill(path, count, count, port, ("checkin",), due_at=datetime(2099, 1, 1, tzinfo=UTC))
    env = {"FOTFESTE_PUSH_HOSTS": f"127.0.0.1:{port}", **(env or {})}
    server = ServerProcess(data_dir, env=env).start(60)
    latencies: list[float] = []
    try:
        async with aiohttp.ClientSession(server.url) as client:
            made = await client.post(
                "/api/accounts", json={"role": "self", "locale": "sv", "timezone": "UTC"}
            )
            token = (await made.json())["token"]
            soon = datetime.now(UTC) + timedelta(seconds=12)
            minute = (soon + timedelta(minutes=1)).replace(second=0, microsecond=0)
            with sqlite3.connect(path, timeout=30) as conn:
                conn.execute(
                    "UPDATE reminders SET next_fire_at = ? WHERE next_fire_at = ?",
                    (isoformat_utc(minute), isoformat_utc(datetime(2099, 1, 1, tzinfo=UTC))),
                )
            before = fake_stats(port)
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
            deadline = minute.timestamp() + 120
            while time.time() < deadline:
                stats = await asyncio.to_thread(fake_stats, port)
                if stats["count"] - before["count"] >= count:
                    break
                await asyncio.sleep(0.25)
            done.set()
            await asyncio.gather(*readers)
    finally:
        server.stop()
    took = stats["last"] - minute.timestamp()
    ordered = sorted(latencies) or [0.0]
    return {
        "delivered": stats["count"] - before["count"],
        "last_s": took,
        "p50_ms": ordered[len(ordered) // 2] * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99)] * 1000,
        "max_ms": ordered[-1] * 1000,
        "requests": len(latencies),
        "fake_cpu": (stats["cpu"] - before["cpu"]) / max(took, 1e-9),
    }


def median(rounds: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


async def main(quick: bool = False) -> None:
    sizes = (2_000, 10_000) if quick else (10_000, 100_000)
    cores = os.cpu_count() or 1
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"push fan-out benchmark ({cores} cores, load average {load}; median of {ROUNDS} rounds;")
    print("fake push service in its own process: raw asyncio protocol on uvloop, answering 201)")
    proc, port = start_fake()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            keys = browser_keys(64)
            started, cpu = time.perf_counter(), time.process_time()
            encrypt_batch([(PAYLOAD, *keys[i % 64]) for i in range(2000)])
            single = 2000 / (time.perf_counter() - started)
            encrypt_us = (time.process_time() - cpu) / 2000 * 1e6
            pooled = statistics.median(
                [await ceiling(1, 10_000 if not quick else 3000, keys) for _ in range(ROUNDS)]
            )
            posting = statistics.median(
                [await http_ceiling(port, 3000, CONCURRENCY) for _ in range(ROUNDS)]
            )
            print(
                f"encryption-only ceiling: {single:,.0f} msg/s in the loop's thread"
                f" ({encrypt_us:.0f} µs of CPU per message);"
            )
            print(f"  {pooled:,.0f} msg/s through the 1-process pool the sender uses")
            print(
                f"posting-only ceiling (aiohttp, {CONCURRENCY} connections, bodies encrypted"
                f" beforehand): {posting:,.0f} msg/s"
            )
            for count in sizes:
                template = workdir / f"template-{count}.sqlite3"
                await (await open_db(template)).close()
                fill(template, count, count, port, ("checkin",))
                rounds = [await fan_out(workdir, template, port, count) for _ in range(ROUNDS)]
                rate = median(rounds, "rate")
                spread = ", ".join(f"{r['rate'] / pooled:.2f}" for r in rounds)
                print(
                    f"fan-out {count:>7,} due: queue {median(rounds, 'queue_s'):.2f} s ="
                    f" {median(rounds, 'queue_rate'):,.0f}/s; send {median(rounds, 'send_s'):.2f} s"
                    f" = {rate:,.0f} msg/s ({rate / pooled:.2f}x pool ceiling; rounds"
                    f" {spread});"
                    f" worst loop stall {max(r['stall_ms'] for r in rounds):.0f} ms sending,"
                    f" {max(r['queue_stall_ms'] for r in rounds):.0f} ms queueing; CPU while"
                    f" sending: sender's loop {median(rounds, 'sender_cpu'):.0%} of a core, fake"
                    f" push service {median(rounds, 'fake_cpu'):.0%} of a core"
                )
                sender_us, fake_us = median(rounds, "sender_us"), median(rounds, "fake_us")
                # On two otherwise idle cores the pool's process encrypts on one; the sender and
                # the fake share what is left of both: the ratio these CPU costs allow.
                projected = min(1.0, 2 * encrypt_us / (encrypt_us + sender_us + fake_us))
                print(
                    f"  CPU per message: encryption {encrypt_us:.0f} µs, sender {sender_us:.0f} µs"
                    f" ({median(rounds, 'sender_sys_us'):.0f} µs of it in the kernel), fake"
                    f" {fake_us:.0f} µs: on two idle cores that allows {projected:.2f}x the"
                    " ceiling"
                )
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"(load average now {load})")
            m = await due_in_a_minute(workdir, port, sizes[1])
            print(
                f"`fotfeste serve`, {sizes[1]:,} reminders due in the same minute:"
                f" {m['delivered']:,.0f} posted, the last {m['last_s']:.1f} s after the minute;"
                f" API meanwhile ({m['requests']:,.0f} GET /api/reminders): p50"
                f" {m['p50_ms']:.1f} ms, p99 {m['p99_ms']:.1f} ms, max {m['max_ms']:.0f} ms;"
                f" fake push service {m['fake_cpu']:.0%} of a core"
            )
            rows = 200_000 if quick else 1_000_000
            s = await scheduler_cost(workdir, rows, 100)
            print(
                f"scheduler with {rows:,} reminder rows, 100 due: one pass"
                f" {s['with_due_ms']:.1f} ms (first, cold), {s['warm_ms']:.1f} ms (next minute);"
                f" idle pass {s['idle_ms']:.2f} ms; a full scan would take"
                f" {s['full_scan_ms']:.0f} ms (queued {s['queued']:.0f})"
            )
            print(f"  due query plan: {s['plan']}")
    finally:
        proc.terminate()
        proc.wait(5)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    # uvloop, as `fotfeste serve` runs the sender (uvicorn's loop="auto" picks it).
    uvloop.run(main(parser.parse_args().quick))
