"""One app process against `serve --workers 2` on the same SQLite database engine (issue 19).

    .venv/bin/python -m bench.processes [--rounds 4]

Check-ins (64 clients, the PWA's fast path) and the mixed day of bench/loadtest.py, alternating
the two servers round by round so a noisy neighbour hits both alike. Throughput and p99 only:
the server's CPU is not comparable (the parent of `--workers` does no work; its children do).
"""

from __future__ import annotations

import argparse
import statistics
import sys

from bench import loadtest
from bench.checkins import body_of, day_of
from bench.foundation import sign_up
from bench.harness import Result, Server, fotfeste_server, http_request, load, run

CLIENTS = 64


async def _round(server: Server, tokens: list[str], offset: int) -> tuple[Result, Result]:
    def checkin(client: int, sequence: int) -> bytes:
        sequence += offset
        path = f"/api/checkins/{day_of(sequence).isoformat()}"
        body = body_of(client, sequence)
        return http_request("PUT", path, server.port, body=body, token=tokens[client])

    checkins = await load("PUT /api/checkins/{date}", server, checkin, clients=CLIENTS, seconds=3)
    mix = [m for m in loadtest.MIX if m[0] != "POST /api/accounts"]  # argon2 would dominate
    _, mixed = await loadtest._mixed(server, tokens, mix, 32, 5)
    return checkins, mixed


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    with (
        fotfeste_server(FOTFESTE_DEMO="1") as one,
        fotfeste_server("--workers", "2", FOTFESTE_DEMO="1") as two,
    ):
        tokens = {
            one.port: await sign_up(one.url, CLIENTS),
            two.port: await sign_up(two.url, CLIENTS),
        }
        results: dict[str, list[Result]] = {
            "1 checkins": [],
            "2 checkins": [],
            "1 mixed": [],
            "2 mixed": [],
        }
        for n in range(args.rounds):
            for label, server in (
                (("1", one), ("2", two)) if n % 2 == 0 else (("2", two), ("1", one))
            ):
                checkins, mixed = await _round(server, tokens[server.port], n * 1_000_000)
                results[f"{label} checkins"].append(checkins)
                results[f"{label} mixed"].append(mixed)
    for kind in ("checkins", "mixed"):
        for label in ("1", "2"):
            rounds = results[f"{label} {kind}"]
            rates = [r.requests / r.seconds for r in rounds]
            p99 = [r.percentile(99) for r in rounds]
            errors = sum(n for r in rounds for s, n in r.statuses.items() if s >= 400)
            print(
                f"{kind:<8} {label} process(es): {statistics.median(rates):6.0f} req/s median "
                f"(rounds {', '.join(f'{x:.0f}' for x in rates)}), p99 median "
                f"{statistics.median(p99):.1f} ms, errors {errors}"
            )
        ratios = [
            (b.requests / b.seconds) / (a.requests / a.seconds)
            for a, b in zip(results[f"1 {kind}"], results[f"2 {kind}"], strict=True)
        ]
        print(f"{kind:<8} 2 ÷ 1 per round: {', '.join(f'{r:.2f}' for r in ratios)}")


if __name__ == "__main__":
    run(lambda: main(sys.argv[1:]))
