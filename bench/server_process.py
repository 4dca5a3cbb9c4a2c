"""`fotfeste serve` in a subprocess for benches: the one helper lives in tests/server.py."""

from __future__ import annotations

from tests.server import TEST_ENV, ServerProcess, free_port

__all__ = ["TEST_ENV", "ServerProcess", "free_port"]
