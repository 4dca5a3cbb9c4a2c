"""The staff side under load: a real server in-process on 127.0.0.1, figures printed.

Run: .venv/bin/python -m bench.staff
Baseline: GET /api/health in the same run, so the ratios say what the domain adds per request.
Outcomes are measured with LINKED accounts linked to one clinic's codes.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import re
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.harness import in_process_server
from fotfeste.cli import build_parser
from fotfeste.settings import RateLimit, Settings

REQUESTS = 200
CONCURRENCY = 8
LINKED = 1000  # issue 18 item 10: a clinic with 1,000 linked people
PASSWORD = "a long and memorable phrase"  # noqa: S105 - a bench user on a temporary database


def _cli(settings: Settings, *argv: str) -> str:
    args = build_parser().parse_args(list(argv))
    out = io.StringIO()
    with contextlib.redirect_stdout(out), ThreadPoolExecutor(1) as pool:
        pool.submit(args.run, args, settings).result()
    return out.getvalue()


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match
    return match.group(1)


async def _form(client: httpx.AsyncClient, page: str, action: str, **fields: str) -> httpx.Response:
    answer = await client.get(page)
    assert answer.status_code == 200, answer.status_code
    csrf = _csrf(answer.text)
    return await client.post(action, data={"csrf": csrf, **fields})


async def _login(client: httpx.AsyncClient) -> httpx.Response:
    client.cookies.clear()  # a new browser each time: no session yet
    return await _form(client, "/staff/login", "/staff/login", email="b@c.se", password=PASSWORD)


async def _measure(
    name: str,
    send: Callable[[int], Awaitable[httpx.Response]],
    requests: int = REQUESTS,
    concurrency: int = CONCURRENCY,
) -> float:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(n)

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            started = time.perf_counter()
            answer = await send(n)
            latencies.append(time.perf_counter() - started)
            assert answer.status_code in (200, 204, 303), answer.text

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    rate = requests / (time.perf_counter() - started)
    p50 = statistics.median(latencies) * 1000
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000
    print(f"{name:<40} {rate:8.0f} req/s   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    return rate


async def _linked_people(anon: httpx.AsyncClient, code: str) -> list[str]:
    """LINKED accounts, each linked with the code and with an intake check-up answered."""
    tokens: list[str] = []

    async def one(n: int) -> None:
        answer = await anon.post(
            "/api/accounts", json={"role": "self", "locale": "sv", "timezone": "Europe/Stockholm"}
        )
        headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        linked = await anon.post(
            "/api/me/clinic-link", json={"code": code, "accept": True}, headers=headers
        )
        assert linked.status_code == 200, linked.text
        checkup = {"1": n % 11, "2": n % 31, "3": (n * 7) % 11}
        answered = await anon.post(
            "/api/responses", json={"instrument": "checkup", "answers": checkup}, headers=headers
        )
        assert answered.status_code == 201, answered.text
        tokens.append(headers["Authorization"].removeprefix("Bearer "))

    queue = list(range(LINKED))

    async def worker() -> None:
        while queue:
            await one(queue.pop())

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return tokens


async def _run(url: str, settings: Settings) -> None:
    _cli(settings, "staff", "add-clinic", "Bench clinic")
    out = _cli(settings, "staff", "add-user", "--clinic", "Bench clinic", "--email", "b@c.se")
    one_time = out.rsplit(" ", 1)[-1].strip()
    async with httpx.AsyncClient(base_url=url, timeout=60) as staff:
        await _form(staff, "/staff/login", "/staff/login", email="b@c.se", password=one_time)
        await _form(
            staff,
            "/staff/password",
            "/staff/password",
            current=one_time,
            new=PASSWORD,
            repeat=PASSWORD,
        )
        made = await _form(
            staff,
            "/staff/codes",
            "/staff/codes",
            programme="aftercare",
            locale="sv",
            contact_phone="08-123 456 78",
        )
        code = made.headers["location"].rsplit("/", 1)[-1]

        async with httpx.AsyncClient(base_url=url, timeout=60) as anon:
            tokens = await _linked_people(anon, code)

            def as_person(n: int) -> dict[str, str]:
                return {"Authorization": f"Bearer {tokens[n % LINKED]}"}

            base = await _measure("GET /api/health (baseline)", lambda n: anon.get("/api/health"))
            figures = {
                "GET /api/referrals/{code}": await _measure(
                    "GET /api/referrals/{code}", lambda n: anon.get(f"/api/referrals/{code}")
                ),
                "POST /api/me/clinic-link (accept)": await _measure(
                    "POST /api/me/clinic-link (accept)",
                    lambda n: anon.post(
                        "/api/me/clinic-link",
                        json={"code": code, "accept": True},
                        headers=as_person(n),
                    ),
                ),
                "GET /api/me/clinic-link": await _measure(
                    "GET /api/me/clinic-link",
                    lambda n: anon.get("/api/me/clinic-link", headers=as_person(n)),
                ),
            }
        figures["GET /staff/codes (session + page)"] = await _measure(
            "GET /staff/codes (session + page)", lambda n: staff.get("/staff/codes")
        )
        # The first look of the month makes the release (every figure, with noise) and stores
        # it; every later look in the month shows the stored one.
        started = time.perf_counter()
        first = await staff.get("/staff/outcomes")
        assert first.status_code == 200
        made = (time.perf_counter() - started) * 1000
        print(
            f"{'GET /staff/outcomes (first of the month)':<40} {made:8.0f} ms (makes the release)"
        )
        figures[f"GET /staff/outcomes ({LINKED} linked)"] = await _measure(
            f"GET /staff/outcomes ({LINKED} linked)", lambda n: staff.get("/staff/outcomes"), 100
        )
        figures["GET /staff/codes/{code}/card (QR)"] = await _measure(
            "GET /staff/codes/{code}/card (QR)", lambda n: staff.get(f"/staff/codes/{code}/card")
        )
        async with httpx.AsyncClient(base_url=url, timeout=60) as other:
            figures["POST /staff/login (argon2id)"] = await _measure(
                "POST /staff/login (argon2id)",
                lambda n: _login(other),
                20,
                concurrency=1,  # one browser: each login form carries its own cookie
            )
    print()
    for name, rate in figures.items():
        print(f"{name:<40} {rate / base:6.3f} × baseline throughput")


def main() -> None:
    for name in ("fotfeste", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            data_dir=Path(folder),
            demo=False,
            rate_account_create=RateLimit(100_000, 60),
            rate_public=RateLimit(1_000_000, 60),
            # One loopback client links a thousand people to the clinic's codes here.
            rate_clinic_link=RateLimit(1_000_000, 60),
            rate_clinic_link_account=RateLimit(1_000_000, 60),
            # One account writes thousands of times here; the per-account quotas are not measured.
            quota_writes_minute=RateLimit(100_000_000, 60),
            quota_writes_hour=RateLimit(100_000_000, 3600),
            max_responses_per_day=100_000_000,
        )
        with in_process_server(settings) as url:
            asyncio.run(_run(url, settings))


if __name__ == "__main__":
    main()
