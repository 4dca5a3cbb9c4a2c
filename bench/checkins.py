"""PUT /api/checkins/{date} throughput and p99 next to a bare Litestar PUT, and a durability check.

Many clients, each its own account, each PUTting check-ins one after another. Every answered 200
is remembered; at the end the server is killed with SIGKILL (no clean shutdown) and the SQLite file
is read: every acknowledged write must be there with the last acknowledged value.

Check-ins are sent as the PWA sends them, which the fast path answers (recovery/fast.py), and,
for comparison, with a charset in the content type, which only the Litestar route answers.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta

from bench.foundation import sign_up
from bench.harness import (
    RequestMaker,
    Result,
    Server,
    bare_server,
    fotfeste_server,
    http_request,
    load,
    median_result,
    run,
    summary,
)

CLIENTS = 64
SECONDS = 3.0
ROUNDS = 5
# Taken by the Litestar route alone: the fast path wants exactly "application/json".
ROUTE_ONLY = "application/json; charset=utf-8"
DAYS = 600  # distinct dates each client cycles through (under the two-year limit)
# Yesterday in UTC is on or before today in Stockholm, whatever the hour.
LATEST = datetime.now(UTC).date() - timedelta(days=1)


def day_of(sequence: int) -> date:
    return LATEST - timedelta(days=sequence % DAYS)


def body_of(client: int, sequence: int) -> dict[str, object]:
    used = sequence % 17 == 0
    return {
        "used": used,
        "craving": sequence % 11,
        "mood": 1 + sequence % 5,
        "substances": ["alcohol"] if used else [],
        "note": f"c{client}-s{sequence}",
    }


class Acknowledged:
    """The last acknowledged note of every (account, date), from the 200 answers."""

    def __init__(self, accounts: list[str]) -> None:
        self.accounts = accounts
        self.notes: dict[tuple[str, str], str] = {}
        self.offset = 0  # requests of earlier rounds, so each round writes new values

    def hook(self, client: int, sequence: int, status: int, body: bytes) -> None:
        if status == 200:
            answer = json.loads(body)
            self.notes[(self.accounts[client], answer["date"])] = answer["note"]

    def check(self, server: Server) -> tuple[int, int]:
        """(acknowledged keys, keys missing or holding an older value) after a SIGKILL."""
        server.kill()
        assert server.data_dir is not None
        with sqlite3.connect(server.data_dir / "fotfeste.sqlite3") as conn:
            stored = {
                (account, day): note
                for account, day, note in conn.execute(
                    "SELECT account_id, date, note FROM checkins"
                )
            }
        wrong = sum(1 for key, note in self.notes.items() if stored.get(key) != note)
        return len(self.notes), wrong


async def _prepare(app: Server) -> tuple[list[str], Acknowledged]:
    tokens = await sign_up(app.url, CLIENTS)
    return tokens, Acknowledged([await _account_id(app.url, token) for token in tokens])


def _checkin_maker(
    app: Server,
    tokens: list[str],
    acknowledged: Acknowledged,
    content_type: str = "application/json",
) -> RequestMaker:
    def checkin(client: int, sequence: int) -> bytes:
        sequence += acknowledged.offset
        path = f"/api/checkins/{day_of(sequence).isoformat()}"
        body = body_of(client, sequence)
        token = tokens[client]
        return http_request(
            "PUT", path, app.port, body=body, token=token, content_type=content_type
        )

    return checkin


async def main() -> None:
    with (
        bare_server() as bare,
        fotfeste_server() as app,
        fotfeste_server(FOTFESTE_GROUP_COMMIT="0") as single,
    ):
        tokens, acknowledged = await _prepare(app)
        single_tokens, single_acknowledged = await _prepare(single)
        checkin = _checkin_maker(app, tokens, acknowledged)
        route_checkin = _checkin_maker(app, tokens, acknowledged, ROUTE_ONLY)
        single_checkin = _checkin_maker(single, single_tokens, single_acknowledged)

        def bare_put(client: int, sequence: int) -> bytes:
            path = f"/bare/{day_of(sequence).isoformat()}"
            return http_request("PUT", path, bare.port, body=body_of(client, sequence))

        progress = [http_request("GET", "/api/progress", app.port, token=t) for t in tokens]
        rounds: dict[str, list[Result]] = {
            "bare": [], "group": [], "route": [], "single": [], "progress": []
        }  # fmt: skip
        # Alternate the servers, round by round, so a noisy neighbour hits them alike.
        for _ in range(ROUNDS):
            rounds["bare"].append(
                await load("PUT /bare/{key} (bare Litestar)", bare, bare_put,
                           clients=CLIENTS, seconds=SECONDS)
            )  # fmt: skip
            rounds["group"].append(
                await load("PUT /api/checkins/{date}", app, checkin, clients=CLIENTS,
                           seconds=SECONDS, on_response=acknowledged.hook)
            )  # fmt: skip
            acknowledged.offset += 1_000_000
            rounds["route"].append(
                await load("  same, the Litestar route only", app, route_checkin,
                           clients=CLIENTS, seconds=SECONDS, on_response=acknowledged.hook)
            )  # fmt: skip
            rounds["single"].append(
                await load("  same, one transaction each", single, single_checkin,
                           clients=CLIENTS, seconds=SECONDS, on_response=single_acknowledged.hook)
            )  # fmt: skip
            acknowledged.offset += 1_000_000
            single_acknowledged.offset += 1_000_000
            rounds["progress"].append(
                await load("GET /api/progress", app, lambda c, i: progress[c],
                           clients=CLIENTS, seconds=SECONDS / 2)
            )  # fmt: skip
        keys, wrong = acknowledged.check(app)
        single_keys, single_wrong = single_acknowledged.check(single)

    baseline = median_result(rounds["bare"])
    ratios = [c.rps / b.rps for c, b in zip(rounds["group"], rounds["bare"], strict=True)]
    route = [c.rps / b.rps for c, b in zip(rounds["route"], rounds["bare"], strict=True)]
    single = [c.rps / b.rps for c, b in zip(rounds["single"], rounds["bare"], strict=True)]
    print(f"check-ins: {CLIENTS} clients, one account each, median of {ROUNDS} alternating rounds")
    print(baseline.line())
    print(median_result(rounds["group"]).line(baseline) + "  (group commit)")
    print(median_result(rounds["route"]).line(baseline))
    print(median_result(rounds["single"]).line(baseline))
    print(median_result(rounds["progress"]).line(baseline) + f"  (~{DAYS} check-ins each)")
    # A round's servers run back to back, so their ratio is the steadiest figure on a busy machine.
    print("check-ins ÷ bare, per round: " + ", ".join(f"{r:.2f}" for r in ratios)
          + f"; median {summary(ratios)}")  # fmt: skip
    print("the route only ÷ bare, per round: " + ", ".join(f"{r:.2f}" for r in route)
          + f"; median {summary(route)}")  # fmt: skip
    print("one transaction each ÷ bare, per round: " + ", ".join(f"{r:.2f}" for r in single)
          + f"; median {summary(single)}")  # fmt: skip
    for label, (count, bad) in (
        ("group commit", (keys, wrong)),
        ("one each", (single_keys, single_wrong)),
    ):
        print(
            f"durability after SIGKILL ({label}): {count} acknowledged (account, date) keys, "
            f"{bad} missing or stale -> {'OK' if bad == 0 else 'FAILED'}"
        )


async def _account_id(base_url: str, token: str) -> str:
    import httpx

    async with httpx.AsyncClient(base_url=base_url) as client:
        me = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        account_id: str = me.json()["account_id"]
        return account_id


if __name__ == "__main__":
    run(main)
