"""Issue 22, finding 5: argon2 work runs in bounded pools, one per kind of secret, so a flood of
staff logins cannot hold up recoveries; a full pool answers 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import httpx

from tests.api.conftest import sign_up
from tests.api.test_attacks_auth import NO_SUCH_CODE, _recover
from tests.conftest import LiveServer
from tests.staff_portal import StaffClient


# --- finding 5: argon2 work in bounded pools, one per kind ------------------------------------
def test_a_recovery_completes_while_staff_logins_fill_their_queue(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory()
    person = sign_up(server.url)
    person.client.close()
    stop = threading.Event()
    busy = threading.Event()
    busy_after_recovery = threading.Event()
    recovered = threading.Event()
    retry_after: list[str] = []

    def flood(n: int) -> None:
        client = StaffClient(server.url)
        try:
            # A fresh e-mail address every time: a locked address would skip the KDF.
            for i in range(60):
                if stop.is_set():
                    return
                answer = client.login(f"flood-{n}-{i}@clinic.example", "a wrong password")
                if answer.status_code == 503:
                    retry_after.append(answer.headers.get("retry-after", ""))
                    busy.set()
                    if recovered.is_set():
                        busy_after_recovery.set()
                else:
                    assert answer.status_code == 401, answer.status_code
        finally:
            client.close()

    threads = [threading.Thread(target=flood, args=(n,), daemon=True) for n in range(24)]
    for thread in threads:
        thread.start()
    try:
        assert busy.wait(timeout=120), "the staff logins never filled their queue"
        with httpx.Client(base_url=server.url, timeout=60) as client:
            answer = _recover(client, person.recovery_code, "192.0.2.40")
        recovered.set()
        assert answer.status_code == 200, answer.text
        # The staff queue was still full after the recovery had its answer: it did not wait
        # for the staff backlog to drain.
        assert busy_after_recovery.wait(timeout=120), "the staff queue drained first"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert retry_after and all(int(value) > 0 for value in retry_after)


def test_a_flood_of_recovery_attempts_is_answered_503_with_retry_after(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory()
    person = sign_up(server.url)
    person.client.close()

    async def flood() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=80)
        async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits) as client:
            return await asyncio.gather(
                *(
                    client.post("/api/accounts/recover", json={"recovery_code": NO_SUCH_CODE})
                    for _ in range(80)
                )
            )

    busy: list[httpx.Response] = []
    for _ in range(3):  # a few rounds at most: one is enough when the pool fills
        busy = [a for a in asyncio.run(flood()) if a.status_code == 503]
        if busy:
            break
    assert busy, "80 recovery attempts at once never filled the pool"
    assert int(busy[0].headers["retry-after"]) > 0
    assert "try again" in busy[0].json()["detail"]
    # Nothing was changed: the real code still works once the flood is over.
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert _recover(client, person.recovery_code, "192.0.2.41").status_code == 200
