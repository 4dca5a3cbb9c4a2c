"""Benchmark harness: real servers in subprocesses and a keep-alive HTTP load generator."""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.server import HOST, ROOT, ServerProcess, free_port, running

__all__ = ["HOST", "ROOT", "free_port"]  # re-exported: benchmarks import them from here


@contextlib.contextmanager
def in_process_server(settings: Any, clock: Any = None) -> Iterator[str]:
    """The real app under uvicorn in a thread of this process, on a free port; yields its URL."""
    with running(settings, clock) as server:
        yield server.url


# (client number, request number) -> the raw request to send
RequestMaker = Callable[[int, int], bytes]
# (client number, request number, status, body) -> None, e.g. to remember acknowledged writes
ResponseHook = Callable[[int, int, int, bytes], None]


# What `load` drives: `fotfeste serve` or the bare baseline, each a real process.
Server = ServerProcess


@contextlib.contextmanager
def fotfeste_server(*serve_args: str, **env: str) -> Iterator[Server]:
    """`fotfeste serve` as deployed (uvicorn, uvloop, httptools, INFO log) on a fresh data dir;
    `serve_args` are more of its arguments (e.g. "--workers", "2")."""
    with tempfile.TemporaryDirectory(prefix="fotfeste-bench-") as tmp:
        server = ServerProcess(
            Path(tmp) / "data",
            env={"FOTFESTE_LOG_LEVEL": "INFO", **env},
            args=serve_args,
        )
        try:
            yield server.start()
        finally:
            server.stop()


@contextlib.contextmanager
def bare_server() -> Iterator[Server]:
    """The baseline: a bare Litestar app on the same uvicorn settings (see bench/bare.py)."""
    with tempfile.TemporaryDirectory(prefix="fotfeste-bare-") as tmp:
        server = ServerProcess(
            Path(tmp) / "bare", name="bare", argv=("-m", "bench.bare"), health="/bare"
        )
        try:
            yield server.start()
        finally:
            server.stop()


def http_request(
    method: str,
    path: str,
    port: int,
    *,
    body: Any = None,
    token: str | None = None,
    content_type: str = "application/json",
) -> bytes:
    """A raw HTTP/1.1 keep-alive request."""
    payload = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", f"Content-Length: {len(payload)}"]
    if body is not None:
        lines.append(f"Content-Type: {content_type}")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


@dataclass
class Result:
    name: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    cpu: float = 0.0  # the server's CPU seconds while measured

    @property
    def cpu_per_request_us(self) -> float:
        return self.cpu / self.requests * 1e6 if self.requests else float("nan")

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency in milliseconds at percentile p (0–100)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    def line(self, baseline: Result | None = None) -> str:
        ratio = f"{self.rps / baseline.rps:5.2f}×" if baseline and baseline.rps else "     "
        other = {s: n for s, n in self.statuses.items() if not 200 <= s < 300}
        return (
            f"{self.name:<34} {self.rps:7.0f} req/s {ratio}  p50 {self.percentile(50):6.2f} ms"
            f"  p99 {self.percentile(99):6.2f} ms  server CPU {self.cpu_per_request_us:4.0f} µs/req"
            f"  n={self.requests}" + (f"  non-2xx={other}" if other else "")
        )


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    headers = head.decode("latin-1").lower()
    for line in headers.split("\r\n"):
        if line.startswith("content-length:"):
            return status, await reader.readexactly(int(line.split(":", 1)[1]))
    if "transfer-encoding: chunked" in headers:
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return status, b"".join(chunks)
            chunks.append(chunk[:-2])
    return status, b""


async def load(
    name: str,
    server: Server,
    make_request: RequestMaker,
    *,
    clients: int,
    seconds: float,
    warmup: float = 0.5,
    on_response: ResponseHook | None = None,
) -> Result:
    """`clients` keep-alive connections, each sending its next request when the last is answered.

    Requests during the first `warmup` seconds are sent but not counted (the hook still sees them).
    """
    result = Result(name, clients, seconds)
    started = time.perf_counter()
    measure_from, stop_at = started + warmup, started + warmup + seconds
    port = server.port

    async def measure_cpu() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        before = server.cpu_seconds()
        await asyncio.sleep(max(0.0, stop_at - time.perf_counter()))
        result.cpu = server.cpu_seconds() - before

    async def client(number: int) -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        sequence = 0
        try:
            while (now := time.perf_counter()) < stop_at:
                request = make_request(number, sequence)
                writer.write(request)
                status, body = await _read_response(reader)
                done = time.perf_counter()
                if on_response is not None:
                    on_response(number, sequence, status, body)
                if now >= measure_from:
                    result.latencies.append(done - now)
                    result.statuses[status] += 1
                sequence += 1
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    await asyncio.gather(measure_cpu(), *(client(n) for n in range(clients)))
    return result


def run(main: Callable[[], Awaitable[None]]) -> None:
    """Run a benchmark's async main on uvloop when it is there (a faster load generator)."""
    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())


def median_result(results: list[Result]) -> Result:
    """The run with the median throughput (rounds alternate between servers to share noise)."""
    ordered = sorted(results, key=lambda r: r.rps)
    return ordered[len(ordered) // 2]


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"
