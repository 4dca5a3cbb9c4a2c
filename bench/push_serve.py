"""`fotfeste serve` as deployed, for bench.push, with a log of its event loop's stalls.

`python -m bench.push_serve PORT STALL_LOG`: settings from FOTFESTE_* as `fotfeste serve` reads
them (so FOTFESTE_PUSH_WORKERS picks the sending mode), uvicorn on uvloop, and beside the app a
task that sleeps 5 ms at a time and writes each turn that came more than 2 ms late (epoch
seconds, stall ms) to STALL_LOG: the API's worst stall during a fan-out is read from it.
"""

from __future__ import annotations

import asyncio
import sys
import time

import uvicorn
import uvloop

from fotfeste.app import create_app
from fotfeste.settings import settings_from_env
from fotfeste.web.proxy import ForwardedFor

TICK = 0.005


async def watch(path: str) -> None:
    loop = asyncio.get_running_loop()
    # Opened once at start; each line is a few bytes to the page cache.
    with open(path, "a", buffering=1, encoding="utf-8") as out:  # noqa: ASYNC230
        while True:
            started = loop.time()
            await asyncio.sleep(TICK)
            stall = loop.time() - started - TICK
            if stall > 0.002:
                out.write(f"{time.time():.3f} {stall * 1000:.1f}\n")


async def main(port: int, stall_log: str) -> None:
    settings = settings_from_env()
    config = uvicorn.Config(
        ForwardedFor(create_app(settings), "127.0.0.1"),
        host="127.0.0.1",
        port=port,
        access_log=False,
        log_level="warning",
        lifespan="on",
        proxy_headers=False,
        timeout_graceful_shutdown=10,
    )
    watcher = asyncio.create_task(watch(stall_log))
    try:
        await uvicorn.Server(config).serve()
    finally:
        watcher.cancel()


if __name__ == "__main__":
    uvloop.run(main(int(sys.argv[1]), sys.argv[2]))
