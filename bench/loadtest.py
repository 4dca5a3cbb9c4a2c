"""A realistic day's mixed traffic against a real `fotfeste serve`, from a separate process.

    .venv/bin/python -m bench.loadtest [--seconds 30] [--users 32] [--accounts 200]

Starts the server in a subprocess on loopback (demo data on, so nearby searches find meetings),
creates a population of accounts, then runs `--users` concurrent virtual people for `--seconds`,
each picking its next request by the weights below. Prints count, p50, p99 and throughput per
endpoint and overall, against a baseline (GET /api/health alone) measured in the same run.
Endpoints that have not landed (not in /schema/openapi.json) are left out and listed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.server_process import ServerProcess

Request = Callable[[httpx.AsyncClient, "Person", random.Random], Awaitable[httpx.Response]]


@dataclass
class Person:
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _day(rng: random.Random) -> str:
    return (date.today() - timedelta(days=rng.randint(1, 60))).isoformat()


# Cities in the three countries, for nearby searches.
_PLACES = [
    (59.33, 18.07),
    (57.71, 11.97),
    (55.60, 13.00),
    (59.91, 10.75),
    (60.39, 5.32),
    (55.68, 12.57),
]


async def _checkin(c: httpx.AsyncClient, p: Person, rng: random.Random) -> httpx.Response:
    body = {"used": rng.random() < 0.1, "craving": rng.randint(0, 10), "mood": rng.randint(1, 5)}
    return await c.put(f"/api/checkins/{_day(rng)}", json=body, headers=p.headers)


async def _progress(c: httpx.AsyncClient, p: Person, _: random.Random) -> httpx.Response:
    return await c.get("/api/progress", headers=p.headers)


async def _nearby(c: httpx.AsyncClient, p: Person, rng: random.Random) -> httpx.Response:
    lat, lon = rng.choice(_PLACES)
    params = {"lat": lat + rng.uniform(-0.05, 0.05), "lon": lon + rng.uniform(-0.05, 0.05)}
    return await c.get("/api/meetings/nearby", params=params, headers=p.headers)


async def _followups(c: httpx.AsyncClient, p: Person, _: random.Random) -> httpx.Response:
    return await c.get("/api/followups", headers=p.headers)


async def _me(c: httpx.AsyncClient, p: Person, _: random.Random) -> httpx.Response:
    return await c.get("/api/me", headers=p.headers)


async def _settings(c: httpx.AsyncClient, p: Person, rng: random.Random) -> httpx.Response:
    return await c.patch("/api/me", json={"discreet": rng.random() < 0.5}, headers=p.headers)


async def _sign_up(c: httpx.AsyncClient, _: Person, rng: random.Random) -> httpx.Response:
    body = {"role": rng.choice(["self", "self", "relative"]), "locale": "sv", "timezone": "UTC"}
    return await c.post("/api/accounts", json=body)


# name, the schema path that must exist, weight (share of a day's requests), request.
MIX: list[tuple[str, str, int, Request]] = [
    ("PUT /api/checkins/{date}", "/api/checkins/{date}", 30, _checkin),
    ("GET /api/progress", "/api/progress", 22, _progress),
    ("GET /api/meetings/nearby", "/api/meetings/nearby", 15, _nearby),
    ("GET /api/followups", "/api/followups", 8, _followups),
    ("GET /api/me", "/api/me", 15, _me),
    ("PATCH /api/me", "/api/me", 3, _settings),
    ("POST /api/accounts", "/api/accounts", 2, _sign_up),
]


def _start_server(data_dir: Path) -> ServerProcess:
    return ServerProcess(data_dir, env={"FOTFESTE_DEMO": "1"}).start()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _baseline(url: str, users: int, seconds: float) -> list[float]:
    times: list[float] = []
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:

        async def user() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                await client.get("/api/health")
                times.append(time.perf_counter() - started)

        await asyncio.gather(*(user() for _ in range(users)))
    return times


async def _day_of_traffic(
    url: str, mix: list[tuple[str, str, int, Request]], args: argparse.Namespace
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    limits = httpx.Limits(max_connections=args.users * 2)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        people: list[Person] = []
        for start in range(0, args.accounts, 20):
            made = await asyncio.gather(
                *(_sign_up(client, Person(""), random.Random(i)) for i in range(start, start + 20))
            )
            people += [Person(m.json()["token"]) for m in made if m.status_code == 201]
        names = [m[0] for m in mix]
        weights = [m[2] for m in mix]
        by_name = {m[0]: m[3] for m in mix}
        started_all = time.perf_counter()
        deadline = started_all + args.seconds

        async def user(seed: int) -> None:
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                name = rng.choices(names, weights)[0]
                started = time.perf_counter()
                answer = await by_name[name](client, rng.choice(people), rng)
                times[name].append(time.perf_counter() - started)
                if answer.status_code >= 400:
                    errors[name] += 1

        await asyncio.gather(*(user(s) for s in range(args.users)))
        elapsed = time.perf_counter() - started_all
    return times, errors, elapsed


def _row(name: str, values: list[float], seconds: float, errors: int = 0) -> str:
    return (
        f"{name:<28} {len(values):>7} {_pct(values, 0.5) * 1000:>8.1f} "
        f"{_pct(values, 0.99) * 1000:>8.1f} {len(values) / seconds:>9.1f} {errors:>6}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--accounts", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fotfeste-load-") as tmp:
        server = _start_server(Path(tmp) / "data")
        url = server.url
        try:
            paths = httpx.get(f"{url}/schema/openapi.json").json()["paths"]
            mix = [m for m in MIX if m[1] in paths]
            missing = [m[0] for m in MIX if m[1] not in paths]
            baseline = asyncio.run(_baseline(url, args.users, min(10.0, args.seconds / 3)))
            times, errors, elapsed = asyncio.run(_day_of_traffic(url, mix, args))
        finally:
            server.stop()

    print(
        f"Fotfeste load test: {args.users} concurrent users, {args.seconds:.0f} s, "
        f"{args.accounts} accounts, loopback, {os.cpu_count()} CPU(s), "
        f"load average {os.getloadavg()[0]:.1f} (the generator shares the machine)"
    )
    header = f"{'endpoint':<28} {'count':>7} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>9} {'errors':>6}"
    print(header)
    print("-" * len(header))
    base_seconds = min(10.0, args.seconds / 3)
    print(_row("baseline GET /api/health", baseline, base_seconds))
    everything: list[float] = []
    for name, *_ in mix:
        if times[name]:
            print(_row(name, times[name], elapsed, errors[name]))
            everything += times[name]
    print(_row("overall (mixed day)", everything, elapsed, sum(errors.values())))
    print(
        f"mixed throughput / baseline throughput: "
        f"{(len(everything) / elapsed) / (len(baseline) / base_seconds):.2f}; "
        f"mixed p50 / baseline p50: {_pct(everything, 0.5) / _pct(baseline, 0.5):.1f}x"
    )
    if missing:
        print("not measured (not on this build yet): " + ", ".join(missing))
    print(f"mean of the mixed day: {statistics.fmean(everything) * 1000:.1f} ms per request")


if __name__ == "__main__":
    main()
