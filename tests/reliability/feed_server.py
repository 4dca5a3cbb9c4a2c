"""A loopback HTTP server for feeds and push services that tests can make misbehave."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Script:
    """What the next GET answers: a body, optionally cut off after `cut_at` bytes."""

    body: bytes = b""
    status: int = 200
    cut_at: int | None = None
    posts: list[tuple[str, bytes]] = field(default_factory=list)
    post_status: int = 201
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def loopback_server(script: Script) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(script.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(script.body)))
            self.end_headers()
            if script.cut_at is None:
                self.wfile.write(script.body)
            else:  # promise the whole body, send part of it, hang up: a feed dying mid-transfer
                self.wfile.write(script.body[: script.cut_at])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with script.lock:
                script.posts.append((self.path, body))
            self.send_response(script.post_status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
