"""Push fan-out: messages/s against the encryption-only ceiling, loop stalls, scheduler cost.

Run as `.venv/bin/python -m bench.push [--quick]`. Sends only to a fake push service on 127.0.0.1
(its own process, answering 201 without checking: the tests check).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvloop
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from fotfeste.clock import FixedClock, isoformat_utc
from fotfeste.db import Database
from fotfeste.push import delivery
from fotfeste.push.encryption import Encryptor, encrypt_batch
from fotfeste.push.logic import b64url_encode
from fotfeste.push.service import PushService
from fotfeste.push.texts import notification
from fotfeste.reminders.scheduler import schedule_due
from fotfeste.settings import Settings

NOW = datetime(2026, 3, 16, 19, 0, tzinfo=UTC)  # 20:00 in Stockholm
# Requests in flight: few connections, since httpcore checks each pooled one on every request.
CONCURRENCY = 8
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


def fill(path: Path, accounts: int, due: int, port: int, kinds: tuple[str, ...]) -> None:
    """Accounts with one subscription each and one reminder per kind; `due` of them due NOW."""
    keys = browser_keys(64)
    now, later = isoformat_utc(NOW), isoformat_utc(NOW + timedelta(hours=6))
    with sqlite3.connect(path) as conn:
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
                (f"a{i}", kind, now if (i < due and kind == "checkin") else later, now)
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
    """Posting alone (bodies encrypted beforehand), with the sender's transport and concurrency."""
    transport = delivery.make_transport(concurrency)
    body = encrypt_batch([(PAYLOAD, *browser_keys(1)[0])])[0]
    limit = asyncio.Semaphore(concurrency)

    async def post(i: int) -> None:
        async with limit:
            await delivery.post(transport, f"http://127.0.0.1:{port}/push/{i}", body, {})

    await asyncio.gather(*(post(i) for i in range(concurrency)))  # open the connections
    started = time.perf_counter()
    await asyncio.gather(*(post(i) for i in range(messages)))
    elapsed = time.perf_counter() - started
    await transport.aclose()
    return messages / elapsed


async def fan_out(workdir: Path, port: int, count: int, processes: int) -> dict[str, float]:
    path = workdir / f"fanout-{count}-{processes}.sqlite3"
    db = await open_db(path)
    await db.close()
    fill(path, count, count, port, ("checkin",))
    settings = Settings(
        data_dir=workdir,
        push_hosts=("127.0.0.1",),
        push_encrypt_processes=processes,
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
    report = await push.send_due()
    sent = time.perf_counter()
    stop.set()
    await monitor
    left = await db.fetchval("SELECT count(*) FROM push_outbox")
    await push.close()
    await db.close()
    if (queued, report.sent, left) != (count, count, 0):
        raise RuntimeError(f"lost messages: queued {queued}, sent {report.sent}, left {left}")
    return {
        "schedule_s": scheduled - started,
        "send_s": sent - scheduled,
        "rate": count / (sent - scheduled),
        "stall_ms": worst[0] * 1000,
        "schedule_stall_ms": schedule_stall * 1000,
        "done": report.outcomes.get("done", 0),
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
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE reminders SET next_fire_at = ? WHERE kind = 'checkin' AND account_id IN"
            " (SELECT id FROM accounts ORDER BY id DESC LIMIT ?)",
            (later, due),
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


async def main(quick: bool = False) -> None:
    sizes = (2_000, 10_000) if quick else (10_000, 100_000)
    cores = os.cpu_count() or 1
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"push fan-out benchmark ({cores} cores, load average {load}; fake push service in its")
    print("own process, answering 201 without checking: the tests check)")
    proc, port = start_fake()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            keys = browser_keys(64)
            started = time.perf_counter()
            encrypt_batch([(PAYLOAD, *keys[i % 64]) for i in range(2000)])
            single = 2000 / (time.perf_counter() - started)
            pooled = await ceiling(1, 10_000 if not quick else 3000, keys)
            posting = await http_ceiling(port, 1000 if quick else 3000, CONCURRENCY)
            print(f"encryption-only ceiling: {single:,.0f} msg/s in the loop's thread;")
            print(f"  {pooled:,.0f} msg/s through the 1-process pool the sender uses")
            print(
                f"posting-only ceiling (the sender's httpx transport on aiohttp, {CONCURRENCY}"
                " connections, bodies encrypted"
                f" beforehand): {posting:,.0f} msg/s"
            )
            # Encryption in a thread only on a small run: it is there to compare stalls.
            for processes, count in [(0, 2_000), (1, sizes[0]), (1, sizes[1])]:
                r = await fan_out(workdir, port, count, processes)
                where = "a thread" if processes == 0 else f"{processes} process"
                print(
                    f"fan-out {count:>7,} due reminders, encryption in {where}: "
                    f"schedule {r['schedule_s']:.2f} s, send {r['send_s']:.2f} s = "
                    f"{r['rate']:,.0f} msg/s ({r['rate'] / pooled:.2f}x pool ceiling, "
                    f"{r['rate'] / single:.2f}x single-thread ceiling, {r['rate'] / posting:.2f}x"
                    f" posting ceiling); worst loop stall "
                    f"{r['stall_ms']:.0f} ms sending, {r['schedule_stall_ms']:.0f} ms scheduling"
                )
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"(load average now {load})")
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
