"""Articles and the plan under load: a real server in-process on 127.0.0.1, figures printed.

Run: .venv/bin/python -m bench.plan
Baseline: GET /api/health in the same run, so the ratios say what the domain adds per request.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import uvicorn

from fotfeste.app import create_app
from fotfeste.content.library import Library
from fotfeste.settings import RateLimit, Settings

REQUESTS = 400
CONCURRENCY = 8


def _start(data_dir: Path) -> tuple[str, uvicorn.Server, threading.Thread]:
    settings = Settings(
        data_dir=data_dir,
        demo=False,
        rate_account_create=RateLimit(100_000, 60),
        rate_public=RateLimit(1_000_000, 60),
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), log_level="error", access_log=False, lifespan="on")
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{port}", server, thread


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
    with tempfile.TemporaryDirectory() as tmp:
        url, server, thread = _start(Path(tmp))
        try:
            asyncio.run(_run(url))
        finally:
            server.should_exit = True
            thread.join(timeout=10)


if __name__ == "__main__":
    main()
