"""A realistic day's mixed traffic against a real `fotfeste serve`, from a separate process.

    .venv/bin/python -m bench.loadtest [--seconds 20] [--users 32] [--accounts 200]

Starts the server (bench/harness.py: `fotfeste serve` as deployed, in a subprocess, loopback only,
demo data on so nearby searches find meetings), creates a population of accounts, then keeps
`--users` keep-alive connections busy for `--seconds`, each picking its next request by the weights
of MIX. Prints count, p50, p99 and throughput per endpoint and overall, next to a bare Litestar GET
on the same uvicorn settings measured in the same run. Endpoints that have not landed (not in
/schema/openapi.json) are left out and listed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from bench.foundation import sign_up
from bench.harness import (
    HOST,
    Result,
    Server,
    _read_response,
    bare_server,
    fotfeste_server,
    http_request,
    load,
    run,
)

# (port, token, rng) -> a raw request
Maker = Callable[[int, str, random.Random], bytes]
LATEST = datetime.now(UTC).date() - timedelta(days=1)  # yesterday in UTC is past everywhere


def _day(rng: random.Random) -> str:
    return (LATEST - timedelta(days=rng.randint(0, 60))).isoformat()


# Cities in the three countries, for nearby searches.
_PLACES = [
    (59.33, 18.07),
    (57.71, 11.97),
    (55.60, 13.00),
    (59.91, 10.75),
    (60.39, 5.32),
    (55.68, 12.57),
]


def _checkin(port: int, token: str, rng: random.Random) -> bytes:
    body = {"used": rng.random() < 0.1, "craving": rng.randint(0, 10), "mood": rng.randint(1, 5)}
    return http_request("PUT", f"/api/checkins/{_day(rng)}", port, body=body, token=token)


def _progress(port: int, token: str, _: random.Random) -> bytes:
    return http_request("GET", "/api/progress", port, token=token)


def _nearby(port: int, token: str, rng: random.Random) -> bytes:
    lat, lon = rng.choice(_PLACES)
    query = f"lat={lat + rng.uniform(-0.05, 0.05):.4f}&lon={lon + rng.uniform(-0.05, 0.05):.4f}"
    return http_request("GET", f"/api/meetings/nearby?{query}", port, token=token)


def _followups(port: int, token: str, _: random.Random) -> bytes:
    return http_request("GET", "/api/followups", port, token=token)


def _me(port: int, token: str, _: random.Random) -> bytes:
    return http_request("GET", "/api/me", port, token=token)


def _settings(port: int, token: str, rng: random.Random) -> bytes:
    return http_request(
        "PATCH", "/api/me", port, body={"discreet": rng.random() < 0.5}, token=token
    )


def _sign_up(port: int, _: str, rng: random.Random) -> bytes:
    body = {"role": rng.choice(["self", "self", "relative"]), "locale": "sv", "timezone": "UTC"}
    return http_request("POST", "/api/accounts", port, body=body)


# name, the schema path that must exist, weight (share of a day's requests), request maker.
MIX: list[tuple[str, str, int, Maker]] = [
    ("PUT /api/checkins/{day}", "/api/checkins/{day}", 30, _checkin),
    ("GET /api/progress", "/api/progress", 22, _progress),
    ("GET /api/meetings/nearby", "/api/meetings/nearby", 15, _nearby),
    ("GET /api/followups", "/api/followups", 8, _followups),
    ("GET /api/me", "/api/me", 16, _me),
    ("PATCH /api/me", "/api/me", 3, _settings),
    ("POST /api/accounts", "/api/accounts", 1, _sign_up),
]


async def _mixed(
    app: Server,
    tokens: list[str],
    mix: list[tuple[str, str, int, Maker]],
    users: int,
    seconds: float,
) -> tuple[dict[str, Result], Result]:
    """Keep-alive connections, each sending its next weighted-random request when answered."""
    per: dict[str, Result] = {name: Result(name, users, seconds) for name, *_ in mix}
    overall = Result("overall (a mixed day)", users, seconds)
    names = [m[0] for m in mix]
    weights = [m[2] for m in mix]
    makers = {m[0]: m[3] for m in mix}
    stop_at = time.perf_counter() + seconds
    before = app.cpu_seconds()

    async def user(number: int) -> None:
        rng = random.Random(number)
        reader, writer = await asyncio.open_connection(HOST, app.port)
        try:
            while (started := time.perf_counter()) < stop_at:
                name = rng.choices(names, weights)[0]
                writer.write(makers[name](app.port, rng.choice(tokens), rng))
                status, _ = await _read_response(reader)
                took = time.perf_counter() - started
                for result in (per[name], overall):
                    result.latencies.append(took)
                    result.statuses[status] += 1
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    await asyncio.gather(*(user(n) for n in range(users)))
    overall.cpu = app.cpu_seconds() - before
    for result in per.values():  # CPU is shared; attribute it by request count
        result.cpu = overall.cpu * result.requests / max(1, overall.requests)
    return per, overall


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A realistic day's mixed traffic")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--accounts", type=int, default=200)
    args = parser.parse_args(argv or [])

    with bare_server() as bare, fotfeste_server(FOTFESTE_DEMO="1") as app:
        async with httpx.AsyncClient() as client:
            paths = (await client.get(f"{app.url}/schema/openapi.json")).json()["paths"]
        mix = [m for m in MIX if m[1] in paths]
        missing = [m[0] for m in MIX if m[1] not in paths]
        tokens: list[str] = []
        while len(tokens) < args.accounts:
            tokens += await sign_up(app.url, min(50, args.accounts - len(tokens)))
        get_bare = http_request("GET", "/bare", bare.port)
        baseline = await load(
            "GET /bare (bare Litestar)", bare, lambda c, i: get_bare,
            clients=args.users, seconds=min(5.0, args.seconds / 3),
        )  # fmt: skip
        per, overall = await _mixed(app, tokens, mix, args.users, args.seconds)

    print(
        f"a realistic day: {args.users} keep-alive users, {args.seconds:.0f} s, "
        f"{args.accounts} accounts, loopback, {os.cpu_count()} CPU(s), load average "
        f"{os.getloadavg()[0]:.1f} (the generator shares the machine)"
    )
    print(baseline.line())
    for name, *_ in mix:
        if per[name].requests:
            print(per[name].line(baseline))
    print(overall.line(baseline))
    errors = Counter({s: n for s, n in overall.statuses.items() if s >= 400})
    print(f"errors: {dict(errors) or 'none'}")
    if missing:
        print("not measured (not on this build yet): " + ", ".join(missing))


if __name__ == "__main__":
    run(lambda: main(sys.argv[1:]))
