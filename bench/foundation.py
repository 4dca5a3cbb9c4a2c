"""Foundation figures: POST /api/accounts and GET /api/me next to a bare Litestar endpoint."""

from __future__ import annotations

import asyncio

import httpx

from bench.harness import (
    Result,
    bare_server,
    fotfeste_server,
    http_request,
    load,
    median_result,
    run,
    summary,
)

CLIENTS = 64
SECONDS = 4.0
ROUNDS = 3
ACCOUNT = {"role": "self", "locale": "sv", "timezone": "Europe/Stockholm"}


async def sign_up(base_url: str, count: int) -> list[str]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        answers = await asyncio.gather(
            *(client.post("/api/accounts", json=ACCOUNT) for _ in range(count))
        )
    return [a.json()["token"] for a in answers]


async def main() -> None:
    with bare_server() as bare, fotfeste_server() as app:
        tokens = await sign_up(app.url, CLIENTS)
        get_bare = http_request("GET", "/bare", bare.port)
        health = http_request("GET", "/api/health", app.port)
        me = [http_request("GET", "/api/me", app.port, token=t) for t in tokens]
        rounds: dict[str, list[Result]] = {"bare": [], "health": [], "me": []}
        # Alternate the servers, round by round, so a noisy neighbour hits both alike.
        for _ in range(ROUNDS):
            rounds["bare"].append(
                await load("GET /bare (bare Litestar)", bare, lambda c, i: get_bare,
                           clients=CLIENTS, seconds=SECONDS)
            )  # fmt: skip
            rounds["health"].append(
                await load("GET /api/health", app, lambda c, i: health,
                           clients=CLIENTS, seconds=SECONDS)
            )  # fmt: skip
            rounds["me"].append(
                await load("GET /api/me", app, lambda c, i: me[c],
                           clients=CLIENTS, seconds=SECONDS)
            )  # fmt: skip
        create = http_request("POST", "/api/accounts", app.port, body=ACCOUNT)
        # Account creation hashes a recovery code with argon2id (19 MiB, t=2): CPU-bound by design.
        accounts = await load(
            "POST /api/accounts", app, lambda c, i: create, clients=8, seconds=SECONDS
        )
    baseline = median_result(rounds["bare"])
    print(f"foundation: {CLIENTS} keep-alive clients, median of {ROUNDS} alternating rounds")
    print(baseline.line())
    print(median_result(rounds["health"]).line(baseline))
    print(median_result(rounds["me"]).line(baseline))
    ratios = [m.rps / b.rps for m, b in zip(rounds["me"], rounds["bare"], strict=True)]
    print("GET /api/me ÷ bare, per round: " + ", ".join(f"{r:.2f}" for r in ratios)
          + f"; median {summary(ratios)}")  # fmt: skip
    print(accounts.line(baseline) + "  (8 clients)")


if __name__ == "__main__":
    run(main)
