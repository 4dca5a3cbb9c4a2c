"""Fixtures for reliability tests: real `fotfeste serve` subprocesses, stopped after the test.

Every test here is `slow` (real processes, floods, crashes): `make quick` leaves the folder out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server import ServerProcess


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    started: list[ServerProcess] = []

    def make(data_dir: Path | None = None, **env: Any) -> ServerProcess:
        server = ServerProcess(data_dir or tmp_path / f"data{len(started)}", env=env)
        started.append(server)
        return server.start()

    yield make
    for server in started:
        server.stop()
