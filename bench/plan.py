"""Articles and the plan under load: a real server in-process on 127.0.0.1, figures printed.

Run: .venv/bin/python -m bench.plan
Baseline: GET /api/health in the same run, so the ratios say what the domain adds per request.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from bench.harness import in_process_server
from fotfeste.content.library import Library
from fotfeste.settings import RateLimit, Settings

REQUESTS = 400
CONCURRENCY = 8


def _settings(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        demo=False,
        rate_account_create=RateLimit(100_000, 60),
        rate_public=RateLimit(1_000_000, 60),
        # One account writes thousands of times here; the per-account quotas are not measured.
        quota_writes_minute=RateLimit(100_000_000, 60),
        quota_writes_hour=RateLimit(100_000_000, 3600),
        max_responses_per_day=100_000_000,
    )


async def _measure(
    name: str,
    send: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    client: httpx.AsyncClient,
) -> float:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(REQUESTS):
        queue.put_nowait(n)

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            started = time.perf_counter()
            answer = await send(client, n)
            latencies.append(time.perf_counter() - started)
            assert answer.status_code in (200, 204), answer.text

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    rate = REQUESTS / (time.perf_counter() - started)
    p50 = statistics.median(latencies) * 1000
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000
    print(f"{name:<34} {rate:8.0f} req/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    return rate


def _plan(n: int) -> dict[str, object]:
    lines = [{"id": str(uuid.uuid4()), "text": f"line {n}-{i}"} for i in range(5)]
    return {
        "warning_signs": lines,
        "coping_actions": [{"id": str(uuid.uuid4()), "text": "walk"}],
        "reasons": [{"id": str(uuid.uuid4()), "text": "my kids"}],
        "people": [{"id": str(uuid.uuid4()), "name": "Mor", "phone": "+47 912 34 567"}],
    }


async def _run(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as anon:
        made = await anon.post(
            "/api/accounts", json={"role": "self", "locale": "nb", "timezone": "Europe/Oslo"}
        )
        token = made.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=30, headers=headers) as client:
        base = await _measure(
            "GET /api/health (baseline)", lambda c, n: c.get("/api/health"), client
        )
        figures = {
            "GET /api/articles/nb": await _measure(
                "GET /api/articles/nb", lambda c, n: c.get("/api/articles/nb"), client
            ),
            "GET /api/articles/nb/<slug>": await _measure(
                "GET /api/articles/nb/<slug>",
                lambda c, n: c.get("/api/articles/nb/talking-about-drugs"),
                client,
            ),
            "PUT /api/plan (8 lines, 1 person)": await _measure(
                "PUT /api/plan (8 lines, 1 person)",
                lambda c, n: c.put("/api/plan", json=_plan(n)),
                client,
            ),
            "GET /api/plan": await _measure(
                "GET /api/plan", lambda c, n: c.get("/api/plan"), client
            ),
        }
    print()
    for name, rate in figures.items():
        print(f"{name:<34} {rate / base:5.2f} × baseline throughput")


def main() -> None:
    # One log line per request would measure the logger, not the domain.
    logging.disable(logging.INFO)
    started = time.perf_counter()
    Library.load()
    print(f"loading and rendering all articles: {(time.perf_counter() - started) * 1000:.0f} ms\n")
    with tempfile.TemporaryDirectory() as tmp, in_process_server(_settings(Path(tmp))) as url:
        asyncio.run(_run(url))


if __name__ == "__main__":
    main()
