"""Crash figures: kill -9 of a real server under concurrent writes, repeated; restart time; losses.

    .venv/bin/python -m bench.reliability [--rounds 3] [--concurrent 1000]

Each round fires `--concurrent` writes at once (check-ins when PUT /api/checkins has landed,
else account creations), SIGKILLs the server after a third of them were acknowledged, restarts it
on the same data and counts: acknowledged, found after restart, lost (must be 0), and writes that
were in flight at the kill and were stored anyway (allowed: the client never heard back). Baseline:
the same server's clean start time, measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.harness import run
from bench.server_process import ServerProcess


async def _round(
    server: ServerProcess, concurrent: int, use_checkins: bool
) -> tuple[set[str], int]:
    """Fire the writes; return the keys acknowledged before the kill and how many were sent."""
    acknowledged: set[str] = set()
    kill_after = concurrent // 3
    limits = httpx.Limits(max_connections=concurrent)
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
        token = ""
        if use_checkins:
            made = await client.post(
                "/api/accounts", json={"role": "self", "locale": "sv", "timezone": "UTC"}
            )
            token = made.json()["token"]

        async def one(i: int) -> None:
            try:
                if use_checkins:
                    day = (date.today() - timedelta(days=1 + i)).isoformat()
                    answer = await client.put(
                        f"/api/checkins/{day}",
                        json={"used": False, "mood": 3},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    key = day
                else:
                    answer = await client.post(
                        "/api/accounts", json={"role": "self", "locale": "sv", "timezone": "UTC"}
                    )
                    key = answer.json().get("account_id", "") if answer.status_code == 201 else ""
            except httpx.TransportError:
                return
            if 200 <= answer.status_code < 300:
                acknowledged.add(key)
                if len(acknowledged) == kill_after and server.process is not None:
                    server.kill9()

        await asyncio.gather(*(one(i) for i in range(concurrent)))
    if server.process is not None:
        server.kill9()
    return acknowledged, concurrent


def _stored(path: Path, use_checkins: bool) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        if use_checkins:
            column = next(
                name
                for name in ("date", "day", "local_date")
                if name in {r[1] for r in conn.execute("PRAGMA table_info(checkins)")}
            )
            return {r[0] for r in conn.execute(f"SELECT {column} FROM checkins")}  # noqa: S608
        return {r[0] for r in conn.execute("SELECT id FROM accounts")}
    finally:
        conn.close()


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Crash figures")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrent", type=int, default=1000)
    args = parser.parse_args(argv or [])

    with tempfile.TemporaryDirectory(prefix="fotfeste-crash-") as tmp:
        starts, restarts = [], []
        lost_total = extra_total = acked_total = 0
        for n in range(args.rounds):
            server = ServerProcess(Path(tmp) / f"round{n}")
            began = time.perf_counter()
            server.start()
            starts.append(time.perf_counter() - began)
            async with httpx.AsyncClient() as client:
                paths = (await client.get(f"{server.url}/schema/openapi.json")).json()["paths"]
            use_checkins = any(p.startswith("/api/checkins/{") for p in paths)
            acknowledged, sent = await _round(server, args.concurrent, use_checkins)
            began = time.perf_counter()
            server.start()
            restarts.append(time.perf_counter() - began)
            server.stop()
            stored = _stored(server.database_path, use_checkins)
            lost = acknowledged - stored
            extra = len(stored - acknowledged)
            lost_total += len(lost)
            extra_total += extra
            acked_total += len(acknowledged)
            kind = "check-ins" if use_checkins else "account creations"
            print(
                f"round {n + 1}: {sent} concurrent {kind}, {len(acknowledged)} acknowledged "
                f"before SIGKILL, {len(lost)} of them lost, {extra} unacknowledged but stored"
            )
    print(f"lost acknowledged writes: {lost_total} of {acked_total} (must be 0)")
    print(f"in-flight writes stored without an answer: {extra_total} (a retry is idempotent)")
    print(
        f"clean start (baseline): {statistics.median(starts):.2f} s; restart after SIGKILL "
        f"(WAL recovery): {statistics.median(restarts):.2f} s; ratio "
        f"{statistics.median(restarts) / statistics.median(starts):.2f}"
    )


if __name__ == "__main__":
    run(lambda: main(sys.argv[1:]))
