"""Scales benchmark: answer, follow-up and instrument endpoints beside the bare health endpoint.

Run: .venv/bin/python -m bench.scales [--requests N] [--clients N]
Starts a real server (uvicorn, in-process thread) on a free loopback port with a fresh SQLite
file, then measures requests/s and p50/p99 latency over HTTP for GET /api/health (the baseline),
POST /api/responses, GET /api/followups, GET /api/instruments and GET /api/responses, all in
this run; and the pure scoring function in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.harness import in_process_server
from fotfeste.clock import FixedClock
from fotfeste.scales.definitions import catalogue
from fotfeste.scales.logic import score
from fotfeste.settings import RateLimit, Settings

NOW = datetime(2026, 3, 16, 11, 0, tzinfo=UTC)
PHQ9 = {str(n): n % 4 for n in range(1, 10)} | {"9": 0}


def settings_for(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        demo=False,
        rate_account_create=RateLimit(1_000_000, 60),
        rate_public=RateLimit(1_000_000, 60),
        # One account writes thousands of times here; the per-account quotas are not measured.
        quota_writes_minute=RateLimit(100_000_000, 60),
        quota_writes_hour=RateLimit(100_000_000, 3600),
        max_responses_per_day=100_000_000,
    )


async def measure(
    url: str, tokens: list[str], requests: int, clients: int, make: Callable[[int], Any]
) -> tuple[float, float, float]:
    latencies: list[float] = []
    counter = iter(range(requests))

    async def client(n: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
            for i in counter:
                method, path, body = make(i)
                began = time.perf_counter()
                answer = await http.request(method, path, json=body)
                latencies.append(time.perf_counter() - began)
                assert answer.status_code < 300, answer.text

    began = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return requests / elapsed, statistics.median(latencies) * 1000, p99 * 1000


async def run(url: str, requests: int, clients: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        tokens = []
        for _ in range(clients):
            made = await http.post(
                "/api/accounts", json={"role": "self", "locale": "sv", "timezone": "Europe/Oslo"}
            )
            tokens.append(made.json()["token"])
    cases: list[tuple[str, Callable[[int], Any]]] = [
        ("GET /api/health (baseline)", lambda i: ("GET", "/api/health", None)),
        (
            "POST /api/responses",
            lambda i: ("POST", "/api/responses", {"instrument": "phq9", "answers": PHQ9}),
        ),
        ("GET /api/followups", lambda i: ("GET", "/api/followups", None)),
        ("GET /api/instruments", lambda i: ("GET", "/api/instruments", None)),
        (
            "GET /api/responses?instrument=phq9",
            lambda i: ("GET", "/api/responses?instrument=phq9", None),
        ),
    ]
    baseline = None
    print(f"{requests} requests per case, {clients} concurrent clients, one server process")
    print(f"{'case':40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8}")
    for name, make in cases:
        rate, p50, p99 = await measure(url, tokens, requests, clients, make)
        baseline = baseline or rate
        print(f"{name:40} {rate:8.0f} {p50:8.2f} {p99:8.2f} {rate / baseline:8.2f}")


def scoring_rate(seconds: float = 1.0) -> float:
    phq9 = catalogue().instrument("phq9", "self")
    assert phq9 is not None
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        score(phq9, PHQ9)
        count += 1
    return count / (time.perf_counter() - began)


async def main() -> None:
    """Async, so `make bench` (bench.run_all) can run it like the others."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    args, _ = parser.parse_known_args()
    logging.disable(logging.INFO)  # the access log would drown the figures
    with (
        tempfile.TemporaryDirectory() as folder,
        in_process_server(settings_for(Path(folder)), FixedClock(NOW)) as url,
    ):
        await run(url, args.requests, args.clients)
    print(f"score(PHQ-9) in-process: {scoring_rate():,.0f} per second")


if __name__ == "__main__":
    asyncio.run(main())
