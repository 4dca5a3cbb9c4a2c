"""A real `fotfeste serve` in a subprocess for tests and benches: start, SIGKILL, restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

# Generous limits: one loopback client stands for thousands of people here.
TEST_ENV = {
    "FOTFESTE_DEMO": "0",
    "FOTFESTE_RATE_ACCOUNT_CREATE": "1000000/60",
    "FOTFESTE_RATE_RECOVER": "1000000/60",
    "FOTFESTE_RATE_PUBLIC": "1000000/60",
    "FOTFESTE_RATE_STAFF_LOGIN": "1000000/60",
    # One account writes thousands of times here; the per-account quotas are not measured.
    "FOTFESTE_QUOTA_WRITES_MINUTE": "100000000/60",
    "FOTFESTE_QUOTA_WRITES_HOUR": "100000000/3600",
    "FOTFESTE_MAX_RESPONSES_PER_DAY": "100000000",
    "FOTFESTE_LOG_LEVEL": "WARNING",
    "FOTFESTE_PUSH_HOSTS": "127.0.0.1:*",  # any port: fake push services listen anywhere
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    args: tuple[str, ...] = ()  # more `fotfeste serve` arguments, e.g. ("--workers", "2")
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "fotfeste.sqlite3"

    def start(self, timeout: float = 30) -> ServerProcess:
        env = {**os.environ, **TEST_ENV, **self.env, "FOTFESTE_DATA_DIR": str(self.data_dir)}
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir.parent / f"{self.data_dir.name}-server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fotfeste", "serve", "--port", str(self.port), *self.args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"fotfeste serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("fotfeste serve did not answer /api/health in time")

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no checkpoint, no flush — as a crash or the OOM killer would."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            self.process = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid
