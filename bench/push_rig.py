"""bench.push's rig: browser keys, the fake push service, filled databases, stall monitors and
the ceilings (encryption alone, posting alone) that the fan-out is compared with."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from tests.server import children
from yarl import URL

from fotfeste.clock import FixedClock, isoformat_utc
from fotfeste.db import Database
from fotfeste.push import delivery
from fotfeste.push.encryption import Encryptor, encrypt_batch
from fotfeste.push.logic import b64url_encode
from fotfeste.push.texts import notification
from fotfeste.reminders.scheduler import schedule_due

NOW = datetime(2026, 3, 16, 19, 0, tzinfo=UTC)  # 20:00 in Stockholm
PAYLOAD = notification("checkin", "sv", discreet=False, url="/#/checkin").encode()


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def descendants(pid: int) -> list[int]:
    """The live children of a process, their children, and so on."""
    return [found for child in children(pid) for found in (child, *descendants(child))]


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


def people(
    count: int,
    push_url: str,
    *,
    due_at: datetime,
    created_at: datetime = NOW,
    due: int | None = None,
    kinds: tuple[str, ...] = ("checkin",),
    keys: int = 64,
) -> list[tuple[str, list[tuple[object, ...]]]]:
    """The statements and rows for `count` people with one subscription each (at
    `push_url`/push/i) and one reminder per kind; `due` of the check-ins (all by default) due at
    `due_at`, the rest six hours later. Plain SQL, so a raw sqlite3 file (fill) and a database
    session on either engine (tests/reliability) write the same people."""
    browser = browser_keys(keys)
    created, when = isoformat_utc(created_at), isoformat_utc(due_at)
    later = isoformat_utc(due_at + timedelta(hours=6))
    due = count if due is None else due
    return [
        (
            "INSERT INTO accounts (id, role, locale, timezone, discreet, created_at)"
            " VALUES (?, 'self', 'sv', 'Europe/Stockholm', 0, ?)",
            [(f"a{i}", created) for i in range(count)],
        ),
        (
            "INSERT INTO push_subscriptions (id, account_id, endpoint, p256dh, auth, created_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (f"s{i}", f"a{i}", f"{push_url}/push/{i}", *browser[i % keys], created, created)
                for i in range(count)
            ],
        ),
        (
            "INSERT INTO reminders (account_id, kind, enabled, local_time, days, zone,"
            " next_fire_at, updated_at) VALUES (?, ?, 1, '20:00', '0123456', 'Europe/Stockholm',"
            " ?, ?)",
            [
                (f"a{i}", kind, when if (i < due and kind == "checkin") else later, created)
                for i in range(count)
                for kind in kinds
            ],
        ),
    ]


def fill(
    path: Path,
    accounts: int,
    due: int,
    port: int,
    kinds: tuple[str, ...],
    due_at: datetime = NOW,
) -> None:
    """`people` written straight into a SQLite file."""
    statements = people(accounts, f"http://127.0.0.1:{port}", due_at=due_at, due=due, kinds=kinds)
    # Closed, not only committed: the last connection out folds the WAL into the file (copied).
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("PRAGMA synchronous=OFF")
        for sql, rows in statements:
            conn.executemany(sql, rows)


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
