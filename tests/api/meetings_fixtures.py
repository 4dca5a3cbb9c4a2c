"""Helpers for meeting tests: a small Nordic feed, the import command, a local feed server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests import engine

# Stockholm Centralstation is the search point; the others are at known distances from it.
CENTRAL = (59.3303, 18.0588)
FEED: list[dict[str, Any]] = [
    {
        "slug": "sthlm-monday",
        "name": "Måndagsgruppen",
        "day": 1,
        "time": "19:00",
        "end_time": "20:30",
        "timezone": "Europe/Stockholm",
        "types": ["O", "D", "SV"],
        "location": "Demohuset",
        "formatted_address": "Exempelgatan 1, Stockholm",
        "latitude": 59.3326,
        "longitude": 18.0649,
        "notes": "Side door",
    },
    {
        "slug": "sthlm-tuesday",
        "name": "Tisdagsgruppen",
        "day": 2,
        "time": "18:30:00",
        "timezone": "Europe/Stockholm",
        "types": ["C", "SV"],
        "formatted_address": "Låtsasgatan 2, Stockholm",
        "latitude": "59.3420",
        "longitude": "18.0500",
    },
    {
        "slug": "uppsala",
        "name": "Uppsalagruppen",
        "day": [1, 4],
        "time": "19:00",
        "timezone": "Europe/Stockholm",
        "types": ["O"],
        "formatted_address": "Påhittade vägen 3, Uppsala",
        "latitude": 59.8586,
        "longitude": 17.6389,
    },
    {
        "slug": "sthlm-closed-room",
        "name": "Stängda lokalen",
        "day": 1,
        "time": "12:00",
        "timezone": "Europe/Stockholm",
        "types": ["TC", "O"],
        "formatted_address": "Exempelgatan 9, Stockholm",
        "latitude": 59.3310,
        "longitude": 18.0600,
    },
    {
        "slug": "oslo-hybrid",
        "name": "Nettmøtet",
        "day": 1,
        "time": "20:00",
        "timezone": "Europe/Oslo",
        "types": ["O", "NO"],
        "formatted_address": "Eksempelveien 1, Oslo",
        "latitude": 59.9139,
        "longitude": 10.7522,
        "conference_url": "https://meet.example.org/oslo",
    },
    {
        "slug": "online-sv",
        "name": "Morgonkaffe online",
        "day": 2,
        "time": "07:30",
        "timezone": "Europe/Stockholm",
        "types": ["O", "SV"],
        "formatted_address": "Stockholm",
        "approximate": "yes",
        "conference_url": "https://meet.example.org/kaffe",
    },
    {
        "slug": "online-en",
        "name": "Nordic English online",
        "day": 1,
        "time": "13:00",
        "timezone": "Europe/London",
        "types": ["O", "EN"],
        "conference_phone": "+44 20 0000 0000",
    },
    {"slug": "broken", "name": "Utan dag", "time": "19:00", "timezone": "Europe/Stockholm"},
    {"slug": "no-name", "day": 1, "time": "19:00"},
]


def run_import(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`fotfeste meetings import …` against a data dir, as an operator runs it."""
    env = {**os.environ, "FOTFESTE_DATA_DIR": str(data_dir)}
    url = engine.database_url(data_dir)  # the server's own database when it is not SQLite
    if url is not None:
        env["FOTFESTE_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "fotfeste", "meetings", "import", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write_feed(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


@dataclass
class FeedServer:
    """A tiny HTTP server on loopback with ETag/Last-Modified support and a request log."""

    routes: dict[str, Callable[[dict[str, str], str], tuple[int, dict[str, str], bytes]]]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""

    def serve(self) -> Iterator[FeedServer]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append((self.path, headers))
                path, _, query = self.path.partition("?")
                handler = outer.routes.get(path)
                status, extra, body = handler(headers, query) if handler else (404, {}, b"")
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


def etag_route(
    state: dict[str, Any],
) -> Callable[[dict[str, str], str], tuple[int, dict[str, str], bytes]]:
    """Serve state["body"] with state["etag"]; answer 304 when the client already has it."""

    def route(headers: dict[str, str], _query: str) -> tuple[int, dict[str, str], bytes]:
        validators = {"ETag": state["etag"], "Last-Modified": "Mon, 16 Mar 2026 08:00:00 GMT"}
        if headers.get("if-none-match") == state["etag"]:
            return 304, validators, b""
        return 200, {"Content-Type": "application/json", **validators}, state["body"]

    return route
